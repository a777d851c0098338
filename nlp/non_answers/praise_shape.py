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
reasons. The same shape holds praise told as a job done well or on time ("sorted my direct debit
in 2 mins", "went out on time"), litotes that rules out a trouble ("never had an outage", "no
faff"; a negation of anything else keeps the answer: "never had time to use it") and slang
praise where it is what the thing is ("the graphs are class", not "the class was full").
English only: the parser is spaCy's English one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from ..languages import looks_non_english
from ..sentiment import word_valence
from . import words as w

#: Words that turn praise into a complaint or give a reason; a clause holding one is never praise.
PROBLEM = re.compile(
    r"(?i)(?:\b(?:none|nor|n't|but|though|although|however|except|until|till|"
    r"unless|used|anymore|longer|if|than|because|cause|cos|since|due|as|then|now|anymore|lately|recently|"
    r"before|after|previous|previously|old|older|former|formerly|original|originally|initially|first|"
    r"beginning|start|started|once|ago|eventually|finally|ages|forever|twice|weeks?|months?|years?|hidden|buried|overdue|behind|new|newer|other|another|elsewhere|else|only|too|enough|sadly|"
    r"unfortunately|shame|pity|miss|missed|wish|hope|should|could|would|might|may|must|can|need|needed|"
    r"want|wanted|afford|cost|price|prices|priced|money|fee|fees|while|when|whilst|still|yet|again|"
    r"hardly|barely|rarely|sometimes|usually|mostly|occasionally|far|less|least|why|what|how|bit|"
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
#: What a verb of a job done may hold besides its praise ("sorted my direct debit in 2 mins").
_SERVICE_DEPS = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "csubj",
        "aux",
        "auxpass",
        "advmod",
        "npadvmod",
        "prt",
        "dobj",
        "dative",
        "prep",
        "punct",
        "cc",
        "conj",
        "acomp",
    }
)
#: Dependencies of words that are the evaluation: each must be positive.
_EVALUATIVE = frozenset({"acomp", "oprd", "ROOT", "advmod", "attr", "conj"})
#: Negations a clause of praise may hold only as litotes, each ruling out a trouble word ("never
#: had an outage", "no complaints about the cleaners", "without any faff", "zero drama").
_NEGATORS = frozenset({"no", "not", "never", "nothing", "without", "zero"})
#: Where the thing a negation rules out stands on the negation's verb ("never had an outage").
_RULED_OUT = frozenset({"dobj", "attr", "acomp", "pobj"})
#: Verbs around a trouble word that litotes rules out ("never had an outage I noticed").
_LITOTES_VERBS = frozenset({"have", "get", "see", "notice", "experience", "hear", "face", "complain"})
#: Adverbs of promptness: praise on a verb of a job done or a copula ("replied promptly", "were on
#: time"), not on any verb ("quickly outdated").
_PROMPT = frozenset({"promptly", "quickly", "instantly", "immediately", "swiftly", "fast"})
#: Where a word of praise in slang or as a noun is the evaluation ("the graphs are class"); as a
#: subject or object it names a thing ("the class was full").
_PREDICATE = frozenset({"acomp", "attr", "ROOT", "conj", "oprd", "appos"})
#: Phrases of praise told in several words, and promptness told as a time ("sorted it in 2 mins",
#: "worked first time", "always on time"), read as one word before parsing.
_PHRASES = (
    (
        re.compile(r"(?i)\b(?:spot[ -]on|top[ -]notch|top[ -]tier|rock[ -]solid|sound as a pound)\b"),
        "excellent",
    ),
    (re.compile(r"(?i)\bnot (?:once|one time)\b"), "never"),
    (re.compile(r"(?i)\b(good|great|excellent|decent) value for (?:the )?money\b"), r"\1 value"),
    (re.compile(r"(?i)\bworked a treat\b|\bjust work(?:s|ed)$"), "worked perfectly"),
    (re.compile(r"(?i)\bur\b"), "your"),  # text speak: "ur drivers r always polite"
    (re.compile(r"(?i)\br\b"), "are"),
    (re.compile(r"(?i)\bu\b"), "you"),
    (re.compile(r"(?i)\bn\b"), "and"),
    (
        re.compile(
            r"(?i)\b(?:on time|first time|straight away|right away|in no time|(?:the )?same day|in minutes|"
            r"within minutes|in (?:a|an|one) (?:day|hour|minute)|(?:in|within) \d+ ?(?:mins?|minutes|secs?|seconds))\b"
        ),
        "promptly",
    ),
)
_REPEATS = re.compile(r"(?i)([a-z])\1{2,}")  # "sooo comfy", "reeeally pretty"
PLACEHOLDER = re.compile(r"\[(?:person|email|phone|account|card|address|url)\]", re.IGNORECASE)
_MAX_WORDS = 16  # a longer clause says more than its praise
_MAX_CHARS = 240  # sixteen words seldom run past this; a longer "word" is marks or junk, slow to parse


def _parser() -> Any:
    from ..models import load_parser

    return load_parser()


def _tidy(clause: str) -> str:
    """The clause as the parser should read it: a placeholder as a person ("[PERSON] was
    fantastic"), no emoji, no stretched letters ("sooo"), phrases of praise and of promptness as
    one word ("spot on" as "excellent", "sorted it in 2 mins" as "sorted it promptly")."""
    text = PLACEHOLDER.sub("they", clause)
    text = "".join(c for c in text if c.isascii() or unicodedata.category(c)[0] not in "SCM")
    text = _REPEATS.sub(r"\1", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _informal(token: Any) -> bool:
    """Praise in slang or as a noun where it is the evaluation ("the graphs are class", "a genius
    idea", "was a lifesaver"), not where it names a thing ("the class was full")."""
    if token.lower_ not in w.PRAISE_INFORMAL or token.tag_ == "VBG":  # "the screen is cracking"
        return False
    return token.dep_ in _PREDICATE or (token.dep_ in ("amod", "compound") and token.head.dep_ == "attr")


def _positive(token: Any) -> bool:
    """A word of praise in its part of speech: an adjective or adverb that VADER rates 1.0 or more
    or that the rules list ("slick", "reliable"), a verb of liking, a noun of praise ("a gem").
    VADER's nouns and verbs rate feeling, not quality ("support", "trust", "joke", "shared")."""
    lower, lemma, pos = token.lower_, token.lemma_.lower(), token.pos_
    if _informal(token):
        return True
    if pos == "ADV" and lower in _PROMPT:  # "replied promptly", "were always on time"
        head = token.head
        lemma = head.lemma_.lower()  # "friendly and on time": promptness beside praise
        return (
            lemma == "be"
            or lemma in w.SERVICE_VERBS
            or lemma in _RUNNING
            or (head.i != token.i and _positive(head))  # spaCy makes a new Token per access: no `is`
        )
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


def _as_adjective(token: Any) -> bool:
    """A participle or mis-tagged adjective that is the praise of a copula ("was oddly soothing",
    "were quick and organised", "the bed was so comfy")."""
    if (
        token.pos_ != "VERB"
        or token.dep_ not in ("ROOT", "conj", "oprd")
        or any(c.dep_ == "dobj" for c in token.children)
    ):
        return False
    lower, lemma = token.lower_, token.lemma_.lower()
    if lower in w.PRAISE_ADJECTIVES or lemma in w.PRAISE_ADJECTIVES or _informal(token):
        return True
    copula = any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" for c in token.children)
    return copula and token.tag_ == "VBG" and word_valence(lower) >= 1.0


def _done_well(token: Any) -> bool:
    """A verb of a job done, or a passive participle, with praise or promptness on it ("sorted my
    direct debit promptly", "explained things really clearly", "went out on time", "well laid
    out", "booked easily"); the verb alone is no praise ("sorted it eventually")."""
    lemma = token.lemma_.lower()
    passive = token.tag_ == "VBN" and any(
        c.dep_ in ("auxpass", "aux") and c.lemma_ == "be" for c in token.children
    )
    if not (lemma in w.SERVICE_VERBS or lemma in _RUNNING or passive):
        return False
    deps = {c.dep_ for c in token.children}
    return deps <= _SERVICE_DEPS and any(
        c.dep_ in ("advmod", "npadvmod", "acomp") and _positive(c) for c in token.children
    )


def _best(token: Any) -> bool:
    return token.tag_ == "JJS" and _positive(token)


def _of_the_best(token: Any) -> bool:
    """The experience a superlative of praise is measured by ("the best I've slept on", "best
    speeds I've had in this flat"): a relative clause of the speaker's own on the best thing."""
    head = token.head
    if token.dep_ != "relcl" or not (_best(head) or any(_best(c) for c in head.children if c.dep_ == "amod")):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj"]
    return (
        bool(subjects)
        and all(c.lower_ in ("i", "we") for c in subjects)
        and {c.dep_ for c in token.children} <= {"nsubj", "aux", "advmod", "prep", "prt", "punct"}
    )


_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: Verbs of leaving or change: a relative clause with one tells what changed ("the coach who left").
_LEAVING = frozenset({"leave", "quit", "go", "move", "change", "stop", "retire", "close", "replace", "cut"})


def _in_subject(token: Any) -> bool:
    """Is the word inside the clause's subject ("the offline downloads feature is brilliant")?"""
    return any(a.dep_ in _SUBJECTS for a in (token, *token.ancestors))


def _describes_subject(token: Any) -> bool:
    """Is the word inside a relative clause of the subject ("the engineer who came round"), one
    that tells of no leaving or change ("the coach who left")?"""
    for a in (token, *token.ancestors):
        if a.dep_ == "relcl":
            return _in_subject(a) and a.lemma_.lower() not in _LEAVING
    return False


def _to_use(token: Any) -> bool:
    """The infinitive "to use", "to read" after a copula whose praise is an adjective ("the app was super simple
    to use", "letters were clear and easy to read"): says what the praise is about."""
    head = token.head
    return (
        token.dep_ == "xcomp"
        and head.lemma_ == "be"
        and all(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        and any(
            c.dep_ == "acomp" and (_positive(c) or any(g.dep_ == "conj" and _positive(g) for g in c.children))
            for c in head.children
        )
    )


def _gerund_subject(token: Any) -> bool:
    """A gerund that names the thing praised ("roaming in Spain worked straight away"), not an
    act of leaving ("switching to Sky was easy": where it went is a reason)."""
    if token.tag_ != "VBG" or token.dep_ not in ("csubj", "nsubj"):
        return False
    return all(
        c.dep_ in ("det", "amod", "compound", "poss", "dobj")
        or (c.dep_ == "prep" and c.lower_ in ("in", "on", "at", "with", "between", "via", "through"))
        for c in token.children
    )


def _litotes(doc: Any) -> set[int] | None:
    """Indices of the words of litotes in a clause ("never had an outage", "no complaints about the
    cleaners", "zero drama"): each negation with a trouble word in its reach, and that word with
    its own negative modifiers. ``None`` when a negation rules out something else ("never had
    time to use it", "not good")."""
    covered: set[int] = set()
    for neg in (t for t in doc if t.lower_ in _NEGATORS):
        head = neg.head  # "no complaints", "never late"; "never had an outage", "without any faff"
        near = [head, *neg.children, *(c for c in head.children if c.dep_ in _RULED_OUT)]
        troubles = [t for t in near if t.i != neg.i and _troubled(t)]
        if not troubles:
            return None
        covered.add(neg.i)
        for t in troubles:
            covered.add(t.i)
            covered.update(c.i for c in t.children if c.dep_ in ("amod", "det") or _trouble(c))
    return covered


def _troubled(token: Any) -> bool:
    """A trouble word, or a thing with a trouble on it ("weird swaps")."""
    return _trouble(token) or any(c.dep_ == "amod" and _trouble(c) for c in token.children)


def _trouble(token: Any) -> bool:
    lower, lemma = token.lower_, token.lemma_.lower()
    # VADER's mild negatives are often a feature's name ("offline" -0.5, "limited" -0.9)
    return lower in w.TROUBLE_WORDS or lemma in w.TROUBLE_WORDS or word_valence(lower) <= -1.0


def _licensed(token: Any, covered: AbstractSet[int] = frozenset()) -> tuple[bool, bool]:
    """(may this token stand in a clause of praise, is it a word of praise)."""
    if token.is_punct or token.is_space:
        return True, False
    lower, lemma, pos = token.lower_, token.lemma_.lower(), token.pos_
    if token.i in covered:  # litotes: the negation and what it rules out are the praise
        return True, True
    if lower in w.PRAISE_INTENSIFIERS and token.i + 1 < len(token.doc):
        after = token.doc[token.i + 1]  # "dead easy", "pure dead brilliant"
        if after.lower_ in w.PRAISE_INTENSIFIERS or _positive(after) or _as_adjective(after):
            return True, False
    if _informal(token):
        return True, True  # "deadly", "class": slang VADER rates as a threat or does not know
    if pos == "VERB" and covered and lemma in _LITOTES_VERBS:
        return True, False  # "never had an outage I noticed"
    if lower == "for" and token.dep_ == "prep":
        # "the claims handler for our burst pipe was kind": what the subject is for, not a
        # reason or an amount ("great for a while", "good deal for new customers")
        return token.head.dep_ in _SUBJECTS, False
    mild = -1.0 < min(word_valence(lower), word_valence(lemma)) <= -0.5
    if mild and token.dep_ in ("amod", "compound") and _in_subject(token):
        return True, False  # a feature's name in the subject: "the offline downloads feature"
    if word_valence(lower) <= -0.5 or word_valence(lemma) <= -0.5 or token.dep_ == "neg":
        return False, False
    if _describes_subject(token):
        # who or what is praised, told by a relative clause ("the engineer who came out was a
        # legend", "the podcast that came with it was excellent"); not a leaving ("who left")
        return True, False
    if token.tag_ in ("JJR", "RBR") and not any(c.lower_ == "even" for c in token.children):
        return False, False  # "better elsewhere", "slower than"; "even better" is praise
    positive = _positive(token)
    if pos == "VERB" and token.dep_ == "acomp":
        return positive, positive  # a participle as the praise: "very understanding", "well organised"
    if pos == "VERB":
        if lemma in _LIKING:
            return True, True
        if _as_adjective(token):
            return True, True
        if lemma in _LINKING:
            return True, False
        if token.dep_ in ("compound", "amod") and token.tag_ in ("VBG", "VBN"):
            return True, False  # a noun's modifier: "the budgeting feature", "guided runs"
        if _done_well(token):
            return True, False
        if _of_the_best(token) or _gerund_subject(token) or _to_use(token):
            return True, False
        # "easy to use", "simple to set up": a verb that only says what the praise is about
        head = token.head
        return token.dep_ in ("xcomp", "acl", "advcl") and head.pos_ == "ADJ" and _positive(head), False
    if pos in ("ADJ", "ADV") and token.dep_ in _EVALUATIVE and lower not in w.PRAISE_GLUE:
        head = token.head
        if positive and not (pos == "ADV" and head.pos_ == "VERB" and head.dep_ in ("amod", "compound")):
            return True, True
        # an intensifier on a word of praise ("incredibly helpful", "super quick")
        return pos == "ADV" and token.dep_ == "advmod" and head.i != token.i and (
            _positive(head) or _as_adjective(head)
        ), False
    if pos == "ADJ" and token.dep_ == "amod":
        # "brilliant coaches"; a plain modifier only names the thing ("front desk", "flexible
        # plans"), not where a fragment lists things of its own ("great coaches and a crowded gym")
        return positive or token.head.dep_ not in ("ROOT", "conj", "appos"), positive
    if pos == "NOUN" and positive:
        return True, True  # "a delight", "gems", "a pleasure"
    if token.dep_ == "attr":  # "was a nightmare", "is a joke"; "was a great experience" is praise
        if pos == "PRON" and token.lower_ in ("some", "one"):  # "some of the best I've read"
            return any(
                c.dep_ == "prep" and any(_positive(g) or _best(g) for g in c.subtree) for c in token.children
            ), False
        return any(
            c.dep_ in ("amod", "compound") and _positive(c) for c in token.subtree if c.i != token.i
        ), False
    return pos not in ("NUM", "X", "SYM"), positive


def is_praise_clause(clause: str, parsed: Mapping[str, Any] | None = None) -> bool:
    """One clause that only praises something by its shape ("The coaches were brilliant", "loved
    the recipes", "Very easy to use interface"); see the module docstring for what disqualifies.
    ``parsed``: parses made beforehand in a batch (:func:`parse_clauses`); a clause not in it is
    parsed here."""
    text = _tidy(clause)
    if not could_be_clause(text):
        return False
    doc = parsed.get(text) if parsed is not None else None
    if doc is None:
        doc = _parser()(text)
    covered = _litotes(doc)
    if covered is None:
        return False
    praised = False
    for token in doc:
        allowed, positive = _licensed(token, covered)
        if not allowed:
            return False
        praised = praised or positive
    return praised


def parse_clauses(clauses: Iterable[str], batch_size: int = 256) -> dict[str, Any]:
    """The parses :func:`is_praise_clause` would make of ``clauses``, made in batches
    (``nlp.pipe``: about a fifth of the CPU of parsing them one by one) and each distinct clause
    once; pass the result to it as ``parsed``. Clauses the cheap test rules out are not parsed."""
    texts = list(dict.fromkeys(text for text in map(_tidy, clauses) if could_be_clause(text)))
    return dict(zip(texts, _parser().pipe(texts, batch_size=batch_size), strict=True)) if texts else {}


def could_be_clause(text: str) -> bool:
    """Cheap test of one clause before parsing: short (in words and characters), English, a word
    of praise, no word of a problem."""
    text = _tidy(text)
    return (
        bool(text)
        and len(text.split()) <= _MAX_WORDS
        and len(text) <= _MAX_CHARS
        and text.isascii()
        and not PROBLEM.search(text)
        and could_be_praise(text)
        and not looks_non_english(text)
    )


def could_be_praise(text: str) -> bool:
    """Cheap test before parsing: a word of praise, and no more words than a few clauses hold."""
    found = _WORDS.findall(_tidy(text).lower())
    return len(found) <= 3 * _MAX_WORDS and any(_praise_word(t) for t in found)


_WORDS = re.compile(r"[a-z][a-z'-]*")


def _praise_word(word: str) -> bool:
    return (
        word in w.PRAISE_WORDS
        or word in w.PRAISE_ADJECTIVES
        or word in w.PRAISE_INFORMAL
        or word in w.TROUBLE_WORDS
        or word == "promptly"
        or word_valence(word) >= 1.0
    )
