"""Names written surname first, as forms and lists write them: "Account holder: WILLIAMS, GARETH",
"Fdo.: Martínez Gómez, Carlos", "okafor, chidi again".

The shape is one to three surname words, a comma, then a known given name (one or two words),
standing where a name is written on its own: after a label's colon, at the start of the answer,
a line or a sentence. The given name must be one the lists know and the surname words must be
no word customers use, no brand, town, closing or greeting, so "Thanks, Anna", "Netflix, Chris"
or "Lisbon, Maria" are not read as surnames. All parts share one case (title, capitals or lower).
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .letters import LO, UP
from .lowercase import common_lower
from .spans import Span
from .words import GREETED, NOT_NAMES, PLACES, given_names_lower

_TITLE = rf"[{UP}][{LO}'’-]+"
_CAPS = rf"[{UP}][{UP}'’-]+"
_LOWER = rf"[{LO}][{LO}'’-]+"
_WHERE = r"(?:^|\n[ \t]*|[.!?][ \t]+|:[ \t]*)"
INVERTED = [
    re.compile(
        rf"{_WHERE}((?:{w}[ \t]+){{0,2}}{w}),[ \t]*({w}(?:[ \t]+{w})?)(?=[ \t]*(?:$|[.,;!?\n(]|[ \t]+[{LO}]))"
    )
    for w in (_TITLE, _CAPS, _LOWER)
]


def _surname(word: str) -> bool:
    """Could ``word`` be (part of) a surname here: not a word customers use, brand, town or greeting."""
    title = word.title()
    return not (
        common_lower(word.lower())
        or title in NOT_NAMES
        or title in GREETED
        or title in PLACES
        or is_plain_brand(word)
    )


def inverted_name_spans(text: str) -> list[Span]:
    """ "Surname, Given" where a name is written alone (see the module's docstring)."""
    spans: list[Span] = []
    if "," not in text:
        return spans
    for pattern in INVERTED:
        for m in pattern.finditer(text):
            given = m.group(2).split()
            if given[0].lower() not in given_names_lower() or common_lower(given[0].lower()):
                continue
            if any(w.lower() not in given_names_lower() for w in given[1:]):
                given = given[:1]  # "okafor, chidi again": a second given name or none
            if all(_surname(w) for w in m.group(1).split()) and not is_plain_brand(m.group(1)):
                end = m.start(2) + len(" ".join(given)) if len(given) == 1 else m.end(2)
                spans.append((m.start(1), end, "PERSON"))
    return spans
