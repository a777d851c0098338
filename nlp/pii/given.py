"""Known given names in the spots only a person fills: the last sentence alone ("Not for me.
Marcin"), addressed after thanks or an apology ("Sorry Maurice, ..."), or with "and I" ("Paola
and I share the account").

With ~20,000 given names of ~80 locales (``words.given_names``) the name itself is the evidence
these patterns need; brands, the words in ``NOT_NAMES`` and, where the name is also a word, the
ambiguous given names ("Will", "Grace") are left alone except where a person is addressed.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .names import FULL_NAME, NAME_WORD
from .spans import Span
from .words import AMBIGUOUS_GIVEN, NOT_NAMES, given_names

# The answer's last sentence is a name and nothing else: "Too expensive. Marcin", "No thanks! Ana Lima."
LAST_SENTENCE_NAME = re.compile(rf"[.!?][ \t]+({FULL_NAME})[ \t]*[.!]?\s*$")
# A person addressed after thanks, an apology or a goodbye: "Thank you Nina for trying!", "Sorry Maurice,".
ADDRESSED_NAME = re.compile(
    rf"\b(?i:thank you|thanks|thx|sorry|cheers|bye|goodbye)[ \t]*,?[ \t]+({NAME_WORD})(?=[ \t]*(?:[,!.]|for\b|$))"
)
# A person who shares the account with the writer: "Paola and I", "Domenica and me".
AND_I_NAME = re.compile(rf"(?:^|[.!?][ \t]+|\n)({NAME_WORD})[ \t]+and[ \t]+(?:I|me|my)\b")


def _known(word: str, ambiguous_ok: bool = False) -> bool:
    """A known given name that is no brand or non-name word (nor, unless allowed, also a word)."""
    return (
        word in given_names()
        and (ambiguous_ok or word not in AMBIGUOUS_GIVEN)
        and word not in NOT_NAMES
        and not is_plain_brand(word)
    )


def given_name_spans(text: str) -> list[Span]:
    """PERSON spans of known given names in the spots above."""
    spans: list[Span] = []
    for m in LAST_SENTENCE_NAME.finditer(text):
        words = m.group(1).split()
        if _known(words[0]) and not any(is_plain_brand(w) or w in NOT_NAMES for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in ADDRESSED_NAME.finditer(text):
        if _known(m.group(1), ambiguous_ok=True):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in AND_I_NAME.finditer(text):
        if _known(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans
