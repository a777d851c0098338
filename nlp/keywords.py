"""Theme keywords that read as what the answers talk about: c-TF-IDF's ranking, less the words a
person would not list ("day", "asked", "old", "thing"), one form per word ("outages", not
"outages, outage"), topped up from further down the ranking."""

from __future__ import annotations

from .label_checks import GENERIC_NOUNS
from .pii.lexicon import english_noun, english_verb, english_word
from .word_use import WordUse, singular


def names_a_thing(word: str, use: WordUse) -> bool:
    """Is ``word`` a noun as the answers use it: not a time or filler noun, and not one the
    answers tag as something else more often than as a noun ("old", "asked"); where they never
    write it, not a word WordNet knows only as a verb, adjective or adverb ("occasional") nor a
    past form of a verb ("looked")? A name no dictionary knows ("SSO", "Asanda") is a thing."""
    key = singular(word)
    if word in GENERIC_NOUNS or key in GENERIC_NOUNS:
        return False
    if use.as_noun[key] + use.not_noun[key]:  # as the answers use it ("sync" is a noun here)
        return use.as_noun[key] >= use.not_noun[key]
    if english_noun(word) is False and english_word(word):
        return False
    return not (word.endswith("ed") and english_verb(word))


def readable_keywords(ranked: list[tuple[str, float]], use: WordUse, n: int) -> list[tuple[str, float]]:
    """The first ``n`` of c-TF-IDF's ``ranked`` terms that read as things (see :func:`names_a_thing`):
    a word or a two-word term whose last word names one and whose first is no verb (one the
    answers use as a verb more than as a noun: "looked pricing", "asked team"), and whose
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
            if (
                use.as_verb[first] > use.as_noun[first]
                or english_noun(words[0]) is False
                and english_verb(words[0])
            ):
                continue
        key = " ".join([*words[:-1], singular(words[-1])])
        if key in seen:
            continue
        seen.add(key)
        out.append((use.form(term) if len(words) == 1 else term, score))
        if len(out) >= n:
            break
    return out
