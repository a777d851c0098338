"""How a theme's answers use a word: in how many of them it stands as a noun, in how many at all,
and which of its written forms (singular or plural) they use most."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_NOUNS = {"NOUN", "PROPN"}


def singular(word: str) -> str:
    """A plural noun's singular, by its ending ("outages" -> "outage", "replies" -> "reply",
    "boxes" -> "box"); a word ending "ss", "us" or "is" is left ("status", "access", "analysis")."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass
class WordUse:
    """Per word (keyed by :func:`singular`): the answers it is in, those it is a noun in, those it
    is only tagged something else in, those it is a verb in, those it is an auxiliary ("does",
    "was") in, those it is a verb other than a gerund in ("paste", "forgot"; not "booking" of
    "booking system"), and its written forms by count."""

    n_answers: int = 0
    lowered: tuple[str, ...] = ()
    anywhere: Counter[str] = field(default_factory=Counter)
    as_noun: Counter[str] = field(default_factory=Counter)
    not_noun: Counter[str] = field(default_factory=Counter)
    as_verb: Counter[str] = field(default_factory=Counter)
    as_aux: Counter[str] = field(default_factory=Counter)
    as_clause_verb: Counter[str] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=dict)

    def form(self, word: str) -> str:
        """The form of ``word`` the answers write most (``word`` itself where they never do)."""
        seen = self.forms.get(singular(word))
        return seen.most_common(1)[0][0] if seen else word.lower()


def word_use(texts: Iterable[str], tagger: Any) -> WordUse:
    """How ``texts`` (a theme's answers) use their words; ``tagger`` a spaCy pipeline with a tagger
    (None: every word counts as a noun)."""
    texts = tuple(texts)
    use = WordUse(n_answers=len(texts), lowered=tuple(t.lower() for t in texts))
    docs: Iterable[Any] = tagger.pipe(texts) if tagger is not None else [None] * len(texts)
    for text, doc in zip(texts, docs, strict=True):
        tokens = (
            [(t.text.lower(), t.pos_, t.tag_) for t in doc]
            if doc is not None
            else [(w.lower(), "NOUN", "NN") for w in re.findall(r"[^\W\d_]+", text)]
        )
        nouns: set[str] = set()
        others: set[str] = set()
        verbs: set[str] = set()
        auxes: set[str] = set()
        clause_verbs: set[str] = set()
        seen: set[str] = set()
        for word, pos, tag in tokens:
            if not re.fullmatch(r"[^\W\d_][\w'-]*", word):
                continue
            key = singular(word)
            seen.add(key)
            use.forms.setdefault(key, Counter())[word] += 1
            (nouns if pos in _NOUNS else others).add(key)
            if pos in {"VERB", "AUX"}:
                verbs.add(key)
            if pos == "AUX":
                auxes.add(key)
            if pos in {"VERB", "AUX"} and tag != "VBG":
                clause_verbs.add(key)
        use.anywhere.update(seen)
        use.as_noun.update(nouns)
        use.not_noun.update(others - nouns)
        use.as_verb.update(verbs)
        use.as_aux.update(auxes)
        use.as_clause_verb.update(clause_verbs)
    return use
