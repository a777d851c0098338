"""Phrases an answer negates: a label taken from them would say the opposite of the answer
("Underlying issues addressed" from "didn't give us confidence the underlying issues were
addressed"), so such a phrase is no label."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_NEG_TEXT = re.compile(r"\b(?:not|no|never|without|nobody|nothing|none|neither|nor|cannot)\b|n't|nt\b", re.I)
#: a clause joined this way says something of its own: "I didn't cancel, but the price went up"
_OWN_CLAUSE = {"conj", "advcl", "parataxis"}
#: a clause that completes a word above it ("confidence [the issues were addressed]")
_COMPLEMENT = {"ccomp", "xcomp", "acl", "relcl"}


def _negator(token: Any, span: set[int]) -> bool:
    """Is a child of ``token`` outside ``span`` (or ``token`` itself) a negation word? Not
    "without" below it: "tickets closed without a fix" were closed."""
    if token.i not in span and token.lower_ in {"without", "nobody", "nothing", "none"}:
        return True
    return any(c.i not in span and (_negates(c) or _no_object(c)) for c in token.children)


def _negates(child: Any) -> bool:
    """Does ``child`` negate its head: "not", "n't", "never", "no", or "nobody"/"nothing" as its
    subject ("nothing was fixed"; "did nothing" says what someone did, not what did not happen)?"""
    if child.dep_ == "intj":
        return False
    if child.lower_ in {"nobody", "nothing", "none"}:
        return child.dep_ in {"nsubj", "nsubjpass"}
    return child.dep_ == "neg" or child.lower_ in {"not", "n't", "no", "never", "neither", "nor"}


def _no_object(token: Any) -> bool:
    """Is ``token`` an object with "no" before it: "had no confidence (the issues were addressed)"
    negates what the verb says, as "didn't have" would."""
    return token.dep_ in {"dobj", "attr"} and any(g.lower_ == "no" for g in token.children)


def negated_at(doc: Any, tokens: list[int]) -> bool:
    """Is the phrase made of ``tokens`` (indexes into ``doc``, a dependency-parsed spaCy doc)
    negated by a word outside it? A word of it with a negation word below it ("no refund", "never
    arrived"), a thing after "without", or, where it says something happened (it has a verb), a
    head above that verb in the same clause or a clause it belongs to with one ("confidence the
    issues were addressed" under "didn't give"). A negation inside the phrase ("no longer needed")
    is part of what it says; a thing a negated verb is about still exists ("didn't fix the import
    bug" still names the bug)."""
    span = set(tokens)
    for i in tokens:
        token = doc[i]
        if _negator(token, span) or token.head.i not in span and token.head.lower_ == "without":
            return True
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        while token.head.i != token.i and token.dep_ not in _OWN_CLAUSE:
            if token.dep_ in _COMPLEMENT and token.head.i > token.i:
                break  # a complement follows what governs it: before it, a misparse of two clauses
            token = token.head
            if token.i not in span and _negator(token, span):
                return True
    return False


def find_phrase(words: list[str], lowered: list[str], gap: int = 3) -> list[list[int]]:
    """Where ``words`` occur in order in ``lowered`` (a doc's lower-case tokens), each within
    ``gap`` tokens of the one before (the phrases skip auxiliaries: "issues were addressed" gives
    "issues addressed")."""
    found = []
    for start, token in enumerate(lowered):
        if token != words[0]:
            continue
        at = [start]
        for word in words[1:]:
            nxt = next(
                (k for k in range(at[-1] + 1, at[-1] + 1 + gap) if k < len(lowered) and lowered[k] == word),
                None,
            )
            if nxt is None:
                break
            at.append(nxt)
        if len(at) == len(words):
            found.append(at)
    return found


def negation_check(texts: list[str], parser: Any) -> Callable[[str], bool]:
    """A test for labels of a theme whose answers are ``texts``: True where a label is a phrase
    its answers write under a negation in at least half the answers that write it. Only answers
    with a negation word and every word of the label are parsed, once each."""
    docs: dict[str, Any] = {}

    def negated(label: str) -> bool:
        words = label.lower().split()
        if not words or parser is None:
            return False
        written = negating = 0
        for text in texts:
            lower = text.lower()
            if not all(w in lower for w in words):
                continue
            if not _NEG_TEXT.search(lower):  # nothing to negate it: written here if its words are
                written += 1
                continue
            if text not in docs:
                docs[text] = parser(text)
            spots = find_phrase(words, [t.lower_ for t in docs[text]])
            if spots:
                written += 1
                negating += any(negated_at(docs[text], at) for at in spots)
        return written > 0 and 2 * negating >= written

    return negated
