"""Theme keywords that read as what the answers talk about: c-TF-IDF's ranking, less the words a
person would not list ("day", "asked", "old", "thing"), one form per word ("outages", not
"outages, outage"), topped up from further down the ranking."""

from __future__ import annotations

import re

from .label_checks import GENERIC_NOUNS, is_problem_word
from .pii.lexicon import english_noun, english_word
from .word_use import WordUse, singular


def names_a_thing(word: str, use: WordUse) -> bool:
    """Is ``word`` a noun as the answers (``use``) write it: one they write, not a time or filler
    noun, not a word WordNet knows only as a verb, adjective or adverb ("occasional") unless they
    use it as a noun, and not one they tag as something else more often than as a noun ("old",
    "asked", "looked"; "sync" stays), save a plural WordNet knows as a noun ("crashes", "drops",
    however often "the app crashes") that they tag a noun once or that names a problem; never one
    they tag only as an auxiliary or verb ("trial does", "support keeps", "adds": verb fragments)?
    A name no dictionary knows ("SSO", "Asanda") is a thing."""
    key = singular(word)
    if word in GENERIC_NOUNS or key in GENERIC_NOUNS:
        return False
    if not use.anywhere[key]:  # a form the answers never write: "id" of "I'd"
        return False
    if english_noun(word) is False and english_word(word) and not use.as_noun[key]:
        return False
    if use.as_aux[key] and not use.as_noun[key]:  # an auxiliary, never a thing: "does" of "trial does"
        return False
    if word != key and english_noun(word) and (use.as_noun[key] or is_problem_word(word)):
        return True  # a plural WordNet knows as a noun: "crashes", "drops"; not "keeps", "adds"
    return use.as_noun[key] >= use.not_noun[key]  # as the answers use it ("sync" is a noun here)


def readable_keywords(ranked: list[tuple[str, float]], use: WordUse, n: int) -> list[tuple[str, float]]:
    """The first ``n`` of c-TF-IDF's ``ranked`` terms that read as things (see :func:`names_a_thing`):
    a word or a two-word term whose last word names one, whose first is no time or filler noun
    ("weeks reminders") nor a verb (one the answers use as a verb more than as a noun: "asked
    team"), which an answer writes as it stands (not "seconds outages" across "seconds. Outages"),
    and whose
    singular is not taken by a term higher up ("outages" then "outage": one, in the form ``use``
    (the theme's answers) writes most)."""
    out: list[tuple[str, float]] = []
    seen: set[str] = set()
    for term, score in ranked:
        words = term.split()
        if not words or len(words) > 2 or len(set(words)) < len(words) or not names_a_thing(words[-1], use):
            continue
        if len(words) == 2:
            first = singular(words[0])
            if first in GENERIC_NOUNS or use.as_verb[first] > use.as_noun[first] or not written(term, use):
                continue
        key = " ".join([*words[:-1], singular(words[-1])])
        if key in seen:
            continue
        seen.add(key)
        out.append((use.form(term) if len(words) == 1 else term, score))
        if len(out) >= n:
            break
    return out


def written(term: str, use: WordUse) -> bool:
    """Does an answer write ``term``'s words next to each other, its last in any form they use?"""
    words = term.lower().split()
    heads = sorted({words[-1], *use.forms.get(singular(words[-1]), ())}, key=len, reverse=True)
    before = r"\s+".join(map(re.escape, words[:-1]))
    pattern = re.compile(rf"(?<![\w-]){before}\s+(?:{'|'.join(map(re.escape, heads))})(?![\w-])")
    return any(pattern.search(t) for t in use.lowered)
