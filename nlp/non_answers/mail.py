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

from .signature import name_line

# Header fields of a forwarded or quoted e-mail in the five shipped languages; the field runs to
# the end of its line, or on one line to the next field or the end of a sentence.
_FIELD_NAMES = (
    r"from|sent|to|cc|bcc|date|subject|reply-to|"
    r"de|para|asunto|enviado|fecha|von|an|gesendet|betreff|datum|à|objet|envoyé|assunto|enviada|data"
)
_FIELD = re.compile(
    rf"(?im)(?:^|(?<=\s))(?:{_FIELD_NAMES})\s*:[ \t]*(?:[^\n]*?)(?=\s+(?:{_FIELD_NAMES})\s*:|(?<=[.!?])\s|\n|$)"
)
_MARKER = re.compile(
    r"(?im)-{2,}\s*(?:forwarded message|original message|mensaje reenviado|mensaje original|"
    r"weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine|"
    r"mensagem encaminhada|mensagem original)\s*-*|"
    r"\bbegin forwarded message\s*:?|(?:^|\s)(?:(?:re|fw|fwd|aw|wg|tr)\s*:\s*)+|"
    r"^\s*original message\b\s*-*"
)
_QUOTED = re.compile(r"(?m)^\s*>.*$")
_CLIENT = re.compile(
    r"(?i)\b(?:sent from my|get outlook for|von meinem \w+ gesendet|enviado desde mi|envoyé de mon|"
    r"enviado do meu)\b[^\n.]*\.?"
)
# A signature under the delimiter line "-- " (RFC 3676): short lines of a name, job title, company
# and phone, never the answer; a longer line or a "P.S." after them is the customer's again, and so
# are short lines that are not a signature's ("--\nPrice went up again": see _signature_out).
_SIGNATURE = re.compile(
    r"(?m)^[ \t]*--[ \t]*\n((?:[ \t]*(?!p\.?s\b)\S+(?:[ \t]+\S+){0,5}[ \t]*(?:\n|\Z))+)", re.IGNORECASE
)
_RULE = re.compile(r"(?m)^[\s_=*-]{3,}$|_{4,}|-{4,}")
# The notice under a work e-mail: a sentence with "confidential"/"privileged" and "intended", and
# the sentences after it that say what to do with a message received in error.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SECRET = re.compile(r"(?i)\b(?:confidential|privileged|vertraulich|confidencial|confidentiel)\b")
_INTENDED = re.compile(r"(?i)\bintend")
_IN_ERROR = re.compile(r"(?i)\b(?:in error|by mistake|notify the sender|delete)\b")


def _has_notice(text: str) -> bool:
    """Does ``text`` hold a confidentiality notice?"""
    return any(_SECRET.search(x) and _INTENDED.search(x) for x in _SENTENCE.split(text))


def _without_notice(text: str) -> str:
    """``text`` without a confidentiality notice (sentence by sentence: linear in its length)."""
    if not _has_notice(text):
        return text
    kept: list[str] = []
    inside = False
    for sentence in _SENTENCE.split(text):
        if _SECRET.search(sentence) and _INTENDED.search(sentence):
            inside = True
        elif not (inside and _IN_ERROR.search(sentence)):
            inside = False
            kept.append(sentence)
    return " ".join(kept)


def _signature_out(match: re.Match[str]) -> str:
    """The lines under a "--" line taken out when each reads as a signature's (a name, a title, a
    company, contact details: :func:`.signature.name_line`); kept when one gives a reason."""
    lines = [line.strip(" .;:") for line in match.group(1).splitlines()]
    return " " if all(name_line(line) for line in lines if line) else match.group(0)


def strip_mail(text: str) -> str:
    """``text`` without e-mail furniture (see the module docstring); unchanged when it has none."""
    out = _SIGNATURE.sub(_signature_out, _QUOTED.sub(" ", text))
    out = _without_notice(out)
    if _headers(out):
        out = _FIELD.sub(" ", _MARKER.sub(" ", out))
    out = _CLIENT.sub(" ", out)
    out = _RULE.sub(" ", out)
    return re.sub(r"\s+", " ", out).strip(" .,;:")


def has_mail_furniture(text: str) -> bool:
    """Does ``text`` hold any header, forwarding marker, quoted line, signature or confidentiality
    notice?"""
    return bool(_QUOTED.search(text) or _SIGNATURE.search(text) or _has_notice(text) or _headers(text))


def _headers(text: str) -> bool:
    """Header fields only count beside a forwarding marker or as two fields or more: one "to:"
    may be the customer's own ("moved to: Vodafone")."""
    return bool(_MARKER.search(text)) or len(_FIELD.findall(text)) >= 2
