"""Numbers redacted in part, grown to the whole code they belong to (issue 17, h-pii41).

A pattern that finds the digits of a reference often stops where the writer's code goes on:
"Booking conf. [TKT-22819]-Q", "Order [5512]-AX-09", "Versicherungsnummer [KV-884120]-3",
"Parcel 1Z 999 AA1 [2345 6784]", "on [555-0142] ext. 3". What is left beside the placeholder is
still the customer's code, so an ``ACCOUNT``, ``PHONE`` or ``CARD`` span is grown over the parts
joined to it without a space (a hyphen or slash and letters or digits), over the extension after
a phone, and back over the groups of the same code written before it (each with a digit, in
capitals and digits only: "1Z 999 AA1"). A number joined to an account number by "and",
"then" or a comma is another of its kind ("Admission nos [5501] and 2215").
"""

from __future__ import annotations

import re

from .spans import Span

_CODE_TAGS = frozenset({"ACCOUNT", "PHONE", "CARD"})
# A part joined on after the digits: "-Q", "-AX-09", "/UK", "-3".
_JOINED_AFTER = re.compile(r"(?:[-/][A-Za-z0-9]{1,8})+(?![\w@-])")
# Letters or digits glued before the digits: "KV-" before "884120".
_JOINED_BEFORE = re.compile(r"(?<![\w.@/-])[A-Za-z0-9]{1,8}-$")
# A phone's extension: "ext. 3", "x 12", "extension 204".
_EXTENSION = re.compile(r"[ \t]*,?[ \t]*(?i:ext\.?|extension|x)[ \t]*\d{1,5}(?!\w)")
# One group of the same code before it: capitals and digits with at least one digit.
_GROUP_BEFORE = re.compile(r"(?<![\w.,-])(?=[A-Z0-9]*\d)[A-Z0-9]{1,6}[ \t]$")


# Another number of the same kind joined on: "ticket [48812] then 7799 then 7832", "nos [5501] and 2215".
_NEXT_NUMBER = re.compile(
    r"[ \t]*(?:,[ \t]*(?:(?:and|or|then)[ \t]+)?|&[ \t]*|(?:and|or|then)[ \t]+)(?:then[ \t]+)?#?(\d{4,})"
    r"(?![\w.,:/-]\w|[%:])"
)
_YEAR = re.compile(r"(?:19[5-9]|20[0-3])\d")


def grow_codes(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each code span grown over the parts of its code left beside it, and the
    numbers joined on after an account number ("... then 7799 then 7832") redacted as it is."""
    out: list[Span] = []
    for start, end, tag in spans:
        if tag in _CODE_TAGS:
            start, end = _grown(text, start, end, tag)
        out.append((start, end, tag))
        while tag == "ACCOUNT" and (nxt := _NEXT_NUMBER.match(text, end)):
            if _YEAR.fullmatch(nxt.group(1)):
                break  # "ticket 4471 and 2019": a year
            start, end = nxt.start(1), nxt.end(1)
            out.append((start, end, tag))
    return out


def _grown(text: str, start: int, end: int, tag: str) -> tuple[int, int]:
    if not any(ch.isdigit() for ch in text[start:end]):
        return start, end
    after = _JOINED_AFTER.match(text, end)
    if after and any(ch.isdigit() or ch.isupper() for ch in after.group()):
        end = after.end()
    if tag == "PHONE" and (ext := _EXTENSION.match(text, end)):
        end = ext.end()
    before = _JOINED_BEFORE.search(text, max(0, start - 9), start)
    if before:
        start = before.start()
    for _ in range(3):  # "1Z 999 AA1 [2345 6784]": at most three groups back
        group = _GROUP_BEFORE.search(text, max(0, start - 7), start)
        if group is None:
            break
        start = group.start()
    return start, end
