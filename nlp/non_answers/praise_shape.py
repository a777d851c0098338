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
    r"little|slightly|somewhat|fairly|kinda|sort|lol|sarcasm|free|cheap|cheaper|dear|dearer)\b|n't\b|\d|[$£€¥%?\"“”])"
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
_PLACEHOLDER = re.compile(r"\[(?:person|email|phone|account|card|address|url)\]", re.IGNORECASE)
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
        if positive:
            return True, True
        # an intensifier on a word of praise ("incredibly helpful", "super quick")
        return pos == "ADV" and token.dep_ == "advmod" and _positive(token.head), False
    if pos == "ADJ" and token.dep_ == "amod":
        return True, positive  # "front desk", "brilliant coaches"
    if pos == "NOUN" and positive:
        return True, True  # "a delight", "gems", "a pleasure"
    return pos not in ("NUM", "X", "SYM"), positive


def is_praise_clause(clause: str) -> bool:
    """One clause that only praises something by its shape ("The coaches were brilliant", "loved
    the recipes", "Very easy to use interface"); see the module docstring for what disqualifies."""
    text = _PLACEHOLDER.sub("they", clause).strip()
    if (
        not text
        or len(text.split()) > _MAX_WORDS
        or _PROBLEM.search(text)
        or not text.isascii()
        or looks_non_english(text)
    ):
        return False
    praised = False
    for token in _parser()(text):
        allowed, positive = _licensed(token)
        if not allowed:
            return False
        praised = praised or positive
    return praised


def could_be_praise(text: str) -> bool:
    """Cheap test before parsing: no word of a problem and at least one word of praise."""
    if _PROBLEM.search(text):
        return False
    return any(
        t in w.PRAISE_WORDS or t in w.PRAISE_ADJECTIVES or word_valence(t) >= 1.0
        for t in re.findall(r"[a-z][a-z'-]*", text.lower())
    )
