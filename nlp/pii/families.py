"""Family names written before the given name, and given names of romanised syllables.

Chinese, Korean, Vietnamese and Japanese writers often put the family name first ("Dang Quoc
Bao", "TANAKA HIROSHI", "park ji-hoon"), and the given-name lists know the second part at best;
Korean and Chinese given names are often two syllables joined by a hyphen ("Bo-young", "Ji-hoon").
"""

from __future__ import annotations

import functools
import re

from .letters import LO, UP
from .lowercase import lower_given
from .words import DATA

# A family signing by its surname in the plural on the answer's last line: "Love, the Okafors",
# "Thank you!\nthe Nakamuras", "love, the Ashworths x" (not a place or shop, as "the" before a name is elsewhere).
FAMILY_SIGNS = re.compile(
    rf"(?:^|\n|[,:—–-])[ \t]*(?i:the)[ \t]+([{UP}][{LO}'’-]+(?:-[{UP}][{LO}'’]+)?s)[ \t]*(?:[xX]{{1,3}}[ \t]*)?[.!]?\s*$"
)

# One romanised syllable of Korean, Mandarin or Vietnamese ("bo", "young", "hoon", "xiao", "ming").
_SYLLABLE = re.compile(r"(?:[bcdfghjklmnpqrstwxyz]{0,2}h?)(?:[aeiouy]{1,3})(?:ng|n|m|k|p|t|l|r|h)?")


@functools.cache
def family_names() -> frozenset[str]:
    """Family names written before the given name (``nlp/data/family_names.txt``), lower case."""
    text = (DATA / "family_names.txt").read_text(encoding="utf-8")
    return frozenset(
        w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


def signs_as_family(text: str, start: int) -> bool:
    """Does the name at ``start`` sign the answer as a family ("the [Nakamuras]")?"""
    m = FAMILY_SIGNS.search(text, max(0, start - 8))
    return m is not None and m.start(1) == start


def syllable_name(word: str) -> bool:
    """A hyphenated given name of romanised syllables: "Bo-young", "Ji-hoon", "Xiao-ming"."""
    parts = word.lower().split("-")
    return len(parts) == 2 and all(_SYLLABLE.fullmatch(p) for p in parts)


def surname_first(words: list[str]) -> bool:
    """A family name then a given name of syllables or one the lists know: "park ji-hoon", "Kim Min-jun"."""
    return (
        len(words) == 2
        and words[0].lower() in family_names()
        and (syllable_name(words[1]) or lower_given(words[1].lower()))
    )
