"""A closing signed with a name, a job title, a company and contact lines, and nothing else:
"Kind regards,\\nDavid Okafor\\nSenior Procurement Officer | Halden Logistics Ltd\\nT: [PHONE]",
"Best,\\nJ. Whitfield\\nWhitfield & Daughters Florists\\nwww.whitfield.example", "Regards, Accounts
Payable", "Take care, all the best - Marta".

People reply to the survey e-mail and only their signature comes through. Without the "-- "
delimiter (:mod:`.mail`) the signature is told by its shape: a closing ("Kind regards", "Best",
"Cordialement"), only non-answers before it ("Thanks."), and after it only lines of capitalised
words, initials, placeholders, phone numbers, e-mail or web addresses. One lower-case word after the
closing is a sentence, not a signature ("Kind regards and good luck fixing that snail-paced
dashboard, Priya" keeps its reason; "Thanks,\\nJohn\\nprices went up" keeps the answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import kinds

# Pieces of a signed answer: lines, the comma after a closing, " - " or " | " between fields, and
# sentences ("Many thanks for the years. Kind regards, ..."), not the full stop of an initial ("J.").
_PIECE = re.compile(r"\n+|,\s*|\s+[-–—|/]+\s+|(?<=[^\W\d_]{2}[.!?])\s+")
_CONTACT = re.compile(
    r"\[[A-Z_]+\]|\S+@\S+|(?i:https?://\S+|www\.\S+|\b\S+\.(?:com|org|net|example|co\.uk|de|fr|es|pt|io)\b)|"
    r"(?i:\b(?:t|m|e|w|f|p|tel|mob|mobile|phone|fax|email|e-mail|web)\s*[:.])|[+(]?\d[\d\s().-]*"
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|&")
# Lower-case words inside a name or a company: "Whitfield & Daughters", "María de la Cruz".
NAME_GLUE = frozenset("& and of de del la le du des von van der den y e da do dos und the for".split())
_MAX_WORDS = 8


def name_line(piece: str) -> bool:
    """A line of a signature: a name, a job title, a company or contact details; capitalised
    words (not a shouted one, "EXPENSIVE"), initials and name glue only, or contact details."""
    if "?" in piece or "!" in piece:
        return False
    from ..pii.words import brands  # nlp.pii imports this package

    words = _WORD.findall(_CONTACT.sub(" ", piece))
    if len(words) > _MAX_WORDS:
        return False
    for word in words:
        if word.lower() in NAME_GLUE:
            continue
        if not word[0].isupper() or (len(word) > 4 and word.isupper()) or word.lower() in brands():
            return False
    return True


def is_signed_closing(text: str, says_nothing: Callable[[str], bool]) -> bool:
    """Is ``text`` (normalised, lines kept) a closing with only a signature after it and only
    non-answers before it? ``says_nothing``: the rules' test of one sentence (``_Judge``)."""
    pieces = [x.strip(" .;:") for x in _PIECE.split(text)]
    pieces = [x for x in pieces if x]
    last = max((i for i, x in enumerate(pieces) if kinds.is_polite(x.lower())), default=-1)
    if last < 0 or last == len(pieces) - 1:
        return False  # no closing, or nothing signed under it (the other rules judge those)
    return all(says_nothing(x) for x in pieces[:last]) and all(name_line(x) for x in pieces[last + 1 :])
