"""Praise of one aspect, told by the clause's shape rather than its nouns.

"The coaches were brilliant", "loved the recipes", "app's design is slick", "very easy to use
interface": asked why they left, a customer who only praises one thing gives no reason. What is
praised is an open set of nouns (meter readings, kids' profiles, the budgeting feature), so a word
list of subjects chases the rows it was tuned on (bench/README.md). The shape is closed: a clause
whose only verbs are a copula or a verb of liking ("were", "loved", "enjoyed"), whose evaluative
words are all positive (VADER's lexicon, or the rules' ``praise_words`` and ``praise_adjectives``)
and which holds no sign of a problem: no negation, no turn or time word ("but", "until", "used
to", "now", "old"), no comparative, no cause cue ("because", "since", "so I"), no amount, no
modal ("would", "could"), no other verb ("left", "moved", "raised"). Any clause that does not fit
keeps the answer, so "loved the classes, moving abroad" and "great staff but too pricey" are
reasons. English only: the parser is spaCy's English one.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..languages import looks_non_english
from ..sentiment import word_valence
from . import words as w

#: Words that turn praise into a complaint or give a reason; a clause holding one is never praise.
_PROBLEM = re.compile(
    r"(?i)(?:\b(?:not|no|never|nothing|none|nor|without|n't|but|though|although|however|except|until|till|"
    r"unless|used|anymore|longer|if|for|than|because|cause|cos|since|due|as|then|now|anymore|lately|recently|"
    r"before|after|previous|previously|old|older|former|formerly|original|originally|initially|first|"
    r"beginning|start|started|once|ago|new|newer|other|another|elsewhere|else|only|too|enough|sadly|"
    r"unfortunately|shame|pity|miss|missed|wish|hope|should|could|would|might|may|must|can|need|needed|"
    r"want|wanted|afford|cost|price|prices|priced|money|fee|fees|while|when|whilst|still|yet|again|"
    r"hardly|barely|rarely|sometimes|usually|mostly|occasionally|far|less|least|why|what|how|who|bit|"
    r"little|slightly|somewhat|fairly|kinda|sort|lol|sarcasm|free|cheap|cheaper|dear|dearer|"
    # a reason's own nouns ("ethical concerns", "moral grounds") and an offer ("good deal from Sky")
    r"concerns?|reasons?|grounds|principles?|values|issues?|problems?|deals?|offers?|promos?|discounts?)\b|"
    r"n't\b|\d|[$£€¥%?\"“”])"
)
#: Verbs that carry praise ("loved the recipes", "enjoyed every class") and verbs that only link
#: the thing to its praise ("were", "seemed", "found it easy").
_LIKING = frozenset({"love", "like", "enjoy", "appreciate", "adore", "rate", "rock", "admire", "cherish"})
_LINKING = frozenset({"be", "seem", "feel", "look", "taste", "find", "sound", "stay", "remain", "keep"})
#: Verbs that are praise only with a word of praise on them ("everything went smoothly", "it
#: worked well", "ran like clockwork" is not caught).
_RUNNING = frozenset({"go", "work", "run"})
_RUNNING_DEPS = frozenset({"nsubj", "aux", "advmod", "punct", "cc", "conj"})
#: Dependencies of words that are the evaluation: each must be positive.
_EVALUATIVE = frozenset({"acomp", "oprd", "ROOT", "advmod", "attr", "conj"})
PLACEHOLDER = re.compile(r"\[(?:person|email|phone|account|card|address|url)\]", re.IGNORECASE)
_MAX_WORDS = 16  # a longer clause says more than its praise


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from ..models import load_parser

    return load_parser()


def _positive(token: Any) -> bool:
    """A word of praise in its part of speech: an adjective or adverb that VADER rates 1.0 or more
    or that the rules list ("slick", "reliable"), a verb of liking, a noun of praise ("a gem").
    VADER's nouns and verbs rate feeling, not quality ("support", "trust", "joke", "shared")."""
    lower, lemma, pos = token.lower_, token.lemma_.lower(), token.pos_
    if pos in ("ADJ", "ADV") or (pos == "VERB" and token.dep_ == "acomp"):  # "very understanding"
        return (
            lower in w.PRAISE_WORDS
            or lower in w.PRAISE_ADJECTIVES
            or lemma in w.PRAISE_ADJECTIVES
            or word_valence(lower) >= 1.0
        )
    if pos == "VERB":
        return lemma in _LIKING and token.dep_ != "acomp"
    return pos in ("NOUN", "PROPN", "INTJ") and lower in w.PRAISE_WORDS


def _licensed(token: Any) -> tuple[bool, bool]:
    """(may this token stand in a clause of praise, is it a word of praise)."""
    if token.is_punct or token.is_space:
        return True, False
    lower, lemma, pos = token.lower_, token.lemma_.lower(), token.pos_
    if word_valence(lower) <= -0.5 or word_valence(lemma) <= -0.5 or token.dep_ == "neg":
        return False, False
    if token.tag_ in ("JJR", "RBR") and not any(c.lower_ == "even" for c in token.children):
        return False, False  # "better elsewhere", "slower than"; "even better" is praise
    positive = _positive(token)
    if pos == "VERB" and token.dep_ == "acomp":
        return positive, positive  # a participle as the praise: "very understanding", "well organised"
    if pos == "VERB":
        if lemma in _LIKING:
            return True, True
        if lemma in _LINKING:
            return True, False
        if token.dep_ in ("compound", "amod") and token.tag_ in ("VBG", "VBN"):
            return True, False  # a noun's modifier: "the budgeting feature", "guided runs"
        if lemma in _RUNNING:
            deps = {c.dep_ for c in token.children}
            return deps <= _RUNNING_DEPS and any(
                c.dep_ == "advmod" and c.i > token.i and _positive(c) for c in token.children
            ), False
        # "easy to use", "simple to set up": a verb that only says what the praise is about
        head = token.head
        return token.dep_ in ("xcomp", "acl", "advcl") and head.pos_ == "ADJ" and _positive(head), False
    if pos in ("ADJ", "ADV") and token.dep_ in _EVALUATIVE and lower not in w.PRAISE_GLUE:
        head = token.head
        if positive and not (pos == "ADV" and head.pos_ == "VERB" and head.dep_ in ("amod", "compound")):
            return True, True
        # an intensifier on a word of praise ("incredibly helpful", "super quick")
        return pos == "ADV" and token.dep_ == "advmod" and head is not token and _positive(head), False
    if pos == "ADJ" and token.dep_ == "amod":
        # "brilliant coaches"; a plain modifier only names the thing ("front desk", "flexible
        # plans"), not where a fragment lists things of its own ("great coaches and a crowded gym")
        return positive or token.head.dep_ not in ("ROOT", "conj", "appos"), positive
    if pos == "NOUN" and positive:
        return True, True  # "a delight", "gems", "a pleasure"
    if token.dep_ == "attr":  # "was a nightmare", "is a joke"; "was a great experience" is praise
        return any(c.dep_ == "amod" and _positive(c) for c in token.children), False
    return pos not in ("NUM", "X", "SYM"), positive


def is_praise_clause(clause: str) -> bool:
    """One clause that only praises something by its shape ("The coaches were brilliant", "loved
    the recipes", "Very easy to use interface"); see the module docstring for what disqualifies."""
    text = PLACEHOLDER.sub("they", clause).strip()  # "[PERSON] was fantastic"
    if not could_be_clause(text):
        return False
    praised = False
    for token in _parser()(text):
        allowed, positive = _licensed(token)
        if not allowed:
            return False
        praised = praised or positive
    return praised


def could_be_clause(text: str) -> bool:
    """Cheap test of one clause before parsing: short, English, a word of praise, no word of a
    problem."""
    return (
        bool(text)
        and len(text.split()) <= _MAX_WORDS
        and text.isascii()
        and not _PROBLEM.search(text)
        and could_be_praise(text)
        and not looks_non_english(text)
    )


def could_be_praise(text: str) -> bool:
    """Cheap test before parsing: a word of praise, and no more words than a few clauses hold."""
    found = _WORDS.findall(text.lower())
    return len(found) <= 3 * _MAX_WORDS and any(_praise_word(t) for t in found)


_WORDS = re.compile(r"[a-z][a-z'-]*")


@functools.lru_cache(maxsize=65536)
def _praise_word(word: str) -> bool:
    return word in w.PRAISE_WORDS or word in w.PRAISE_ADJECTIVES or word_valence(word) >= 1.0
