"""E-mail furniture pasted into an answer: header fields, forwarding markers, quoted lines, a mail
client's signature line and the confidentiality notice under a work e-mail.

People answer exit surveys by replying to or forwarding the e-mail that asked, so answers arrive
as "---------- Forwarded message --------- From: ... Subject: Re: your account" or "> Why are
you leaving? ... Replying as requested". None of that furniture says why; what is left once it
is taken out is what the customer wrote, and that alone decides ("From: Customer Care Subject:
We're sorry to see you go. Because you lost my parcel twice" keeps its reason).
"""

from __future__ import annotations

import re

from ..mail_furniture import (
    BEGIN_FORWARDED,
    CLIENT,
    FORWARDED,
    HEADER_FIELDS,
    NOTICE_IN_ERROR,
    ORIGINAL,
    SUBJECT_PREFIX,
    opens_notice,
    opens_quote,
)
from .signature import name_line

# A header field (:data:`.mail_furniture.HEADER_FIELDS`) runs to the end of its line, or on one
# line to the next field or the end of a sentence: answers often arrive on one line.
_FIELD = re.compile(
    rf"(?im)(?:^|(?<=\s))(?:{HEADER_FIELDS})\s*:[ \t]*(?:[^\n]*?)(?=\s+(?:{HEADER_FIELDS})\s*:|(?<=[.!?])\s|\n|$)"
)
# A forwarding or original-message marker anywhere ("... ---------- Forwarded message ---------
# From: ..."), a subject's "Re:"/"Fwd:" prefixes.
_MARKER = re.compile(
    rf"(?im)-{{2,}}\s*(?:{FORWARDED}|{ORIGINAL})\s*-*|"
    rf"\b{BEGIN_FORWARDED}\s*:?|(?:^|\s)(?:(?:{SUBJECT_PREFIX})\s*:\s*)+|"
    r"^\s*original message\b\s*-*"
)
_QUOTED = re.compile(r"(?m)^\s*>.*$")
# A mail client's line, anywhere: on one line it follows the answer ("... refund. Sent from my iPhone").
_CLIENT = re.compile(rf"(?i)\b(?:{CLIENT})\.?")
# A signature under the delimiter line "-- " (RFC 3676): short lines of a name, job title, company
# and phone, never the answer; a longer line or a "P.S." after them is the customer's again, and so
# are short lines that are not a signature's ("--\nPrice went up again": see _signature_out).
_SIGNATURE = re.compile(
    r"(?m)^[ \t]*--[ \t]*\n((?:[ \t]*(?!p\.?s\b)\S+(?:[ \t]+\S+){0,5}[ \t]*(?:\n|\Z))+)", re.IGNORECASE
)
_RULE = re.compile(r"(?m)^[\s_=*-]{3,}$|_{4,}|-{4,}")
# The confidentiality notice under a work e-mail (:func:`.mail_furniture.opens_notice`) and the
# sentences after it that say what to do with a message received in error.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _has_notice(text: str) -> bool:
    """Does ``text`` hold a confidentiality notice?"""
    return any(opens_notice(x) for x in _SENTENCE.split(text))


def _without_notice(text: str) -> str:
    """``text`` without a confidentiality notice (sentence by sentence: linear in its length)."""
    if not _has_notice(text):
        return text
    kept: list[str] = []
    inside = False
    for sentence in _SENTENCE.split(text):
        if opens_notice(sentence):
            inside = True
        elif not (inside and NOTICE_IN_ERROR.search(sentence)):
            inside = False
            kept.append(sentence)
    return " ".join(kept)


def _signature_out(match: re.Match[str]) -> str:
    """The lines under a "--" line taken out when each reads as a signature's (a name, a title, a
    company, contact details: :func:`.signature.name_line`); kept when one gives a reason."""
    lines = [line.strip(" .;:") for line in match.group(1).splitlines()]
    return " " if all(name_line(line) for line in lines if line) else match.group(0)


def _above_quote(text: str) -> str:
    """``text`` above the line that opens the quoted e-mail ("On ... wrote:"), when the customer
    wrote anything above it (normalised text has lost the "> " marks of the quoted lines); with
    nothing above it, only that line goes: the answer may be written under the quote."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if opens_quote(line.strip()):
            above = _CLIENT.sub(" ", "\n".join(lines[:i]))
            if any(ch.isalnum() for ch in above):
                return "\n".join(lines[:i])
            return "\n".join(lines[:i] + lines[i + 1 :])
    return text


def strip_mail(text: str) -> str:
    """``text`` without e-mail furniture (see the module docstring); unchanged when it has none."""
    out = _SIGNATURE.sub(_signature_out, _QUOTED.sub(" ", _above_quote(text)))
    out = _without_notice(out)
    if _headers(out):
        out = _FIELD.sub(" ", _MARKER.sub(" ", out))
    out = _CLIENT.sub(" ", out)
    out = _RULE.sub(" ", out)
    return re.sub(r"\s+", " ", out).strip(" .,;:")


def has_mail_furniture(text: str) -> bool:
    """Does ``text`` hold any header, forwarding marker, quoted line or the line that opens them,
    signature or confidentiality notice?"""
    return bool(
        _QUOTED.search(text)
        or _SIGNATURE.search(text)
        or _has_notice(text)
        or _headers(text)
        or any(opens_quote(line.strip()) for line in text.split("\n"))
    )


def _headers(text: str) -> bool:
    """Header fields only count beside a forwarding marker or as two fields or more: one "to:"
    may be the customer's own ("moved to: Vodafone")."""
    return bool(_MARKER.search(text)) or len(_FIELD.findall(text)) >= 2
