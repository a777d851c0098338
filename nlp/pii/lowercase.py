"""Is a lower-case word a name or a word customers use? The tests behind lower-case names
("thx, ángel", "asked gareth in support"), kept apart from the name patterns that call them."""

from __future__ import annotations

import functools
import re

from ..languages import stop_words
from ..non_answers.words import FILLER_EDGE, POLITE_FILLER, POLITE_HEAD
from .closings import CLOSING
from .letters import LO
from .words import AMBIGUOUS_GIVEN, NAME_PARTICLES, bank_vocabulary, given_names_lower


def lower_given(word: str) -> bool:
    """A lower-case word that can only be a given name here (not "will", not "grace"); a
    hyphenated one when each part is one ("rosa-maria", "jean-luc")."""
    if "-" in word.strip("-"):
        return all(lower_given(part) for part in word.split("-"))
    return (
        word in given_names_lower()
        and word.title() not in AMBIGUOUS_GIVEN
        and word not in bank_vocabulary()
        and word not in stop_words()["en"]
    )


def lower_name(words: list[str]) -> bool:
    """Do lower-case words after a closing name someone? A known given name, or words that are
    neither closings, filler, function words nor words of the example bank ("take care")."""
    if len(words) > 1 and any(w in stop_words()["en"] or w in ("do", "does", "did") for w in words[1:]):
        return False  # "thanks, will do", "cheers, mark it done": a name then a function word is a phrase
    if any(w in given_names_lower() for w in words) or (
        len(words) == 1 and words[0].title() in AMBIGUOUS_GIVEN
    ):
        return True  # "cheers, bill": after a closing's comma, a name that is also a word names someone
    common = everyday_words()
    english = stop_words()["en"]
    return not any(w in common or w in english for w in words) and not re.fullmatch(CLOSING, " ".join(words))


@functools.cache
def everyday_words() -> frozenset[str]:
    """Closing and filler words and every word of the example bank: words customers use."""
    return POLITE_HEAD | POLITE_FILLER | FILLER_EDGE | bank_vocabulary()


def common_lower(word: str) -> bool:
    """A lower-case word customers use, a closing or filler word, or a function word."""
    return (
        word in everyday_words()
        or any(word in w for w in stop_words().values())
        or bool(re.fullmatch(CLOSING, word))
    )


def lower_signed(words: list[str], known_only: bool = False) -> bool:
    """Stricter than :func:`lower_name`, for a name with no comma or line before it ("rgds
    aditya", "- ana p."): a given name that is no word leads or, unless ``known_only``, no word
    is a common one ("un saludo cordial" is a closing, so a bare space needs a known name)."""
    # initials ("ana p.", "j.p. okonkwo") and particles inside ("pieter de vries") say nothing
    words = [
        w
        for i, w in enumerate(words)
        if not re.fullmatch(rf"(?:[{LO}]\.)+", w) and not (i and w in NAME_PARTICLES)
    ]
    if not words:
        return False
    return lower_given(words[0]) or (
        not known_only and not any(common_lower(w) or word_shaped(w) for w in words)
    )


# English endings of verbs, adjectives and abstract nouns, which given names not already known
# rarely have: "i'm traveling", "I am dissatisfied", "it's frustrating" are no introductions.
_WORD_ENDING = re.compile(r"[a-z]{2,}(?:ing|ed|ly|ful|ous|ive|ness|ment|tion|sion|ency|ancy|able|ible|ity)")


# A lower-case name word, also with an apostrophe or hyphen inside: "o'brien", "oyelaran-bello".
LOWER_NAME_WORD = rf"[{LO}]+(?:['’-][{LO}]+)*"


def word_shaped(word: str) -> bool:
    """A lower-case word shaped like an English verb form, adjective or abstract noun."""
    return bool(_WORD_ENDING.fullmatch(word))
