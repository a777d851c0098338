"""The one check for an email address entering the app: API, CSV, Stripe, staff forms and CLI.

An address is stored once and later written into a ``To`` header and an SMTP ``RCPT TO``, so it
must be exactly one plain address: ``bad0@x.example,v6@evil.example``, ``a@x <b@evil.example>``
or an address holding ``\\rBcc:`` must be refused where it comes in, not when delivery fails.

Two steps: characters that never belong in one plain address (white space, control and format
characters, ``,`` ``;`` ``<`` ``>`` ``"`` and the ``=?`` that starts an RFC 2047 encoded word)
are refused outright; then the address must pass ``email_validator`` (syntax only, no DNS).
Plain ASCII addresses matching a narrow pattern (dot-atom local part, letters-digits-hyphen
domain labels, a letters-only top-level domain) skip ``email_validator``, which is about ten
times slower and dominated a 100,000-row import; that pattern only accepts what
``email_validator`` accepts too (a property test in ``tests/app/validation/test_email_addresses.py``).
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321 path limit less the angle brackets; email_validator's limit too
#: Punctuation that separates or wraps addresses, or quotes a local part, in a header.
_SEPARATORS = frozenset(',;<>"')
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_FAST_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_FAST_DOMAIN = re.compile(r"(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}")


class InvalidEmail(ValueError):
    """Not one valid email address; the message says why and can be shown as is."""


def _shown(text: str) -> str:
    """The value for an error message: quoted, and cut short so large input is never echoed."""
    return repr(text if len(text) <= 80 else text[:80] + "...")


def _unsafe_character(text: str) -> str | None:
    """A description of the first character no plain address may hold, or None."""
    for char in text:
        if char in _SEPARATORS:
            return f"{char!r}"
        category = unicodedata.category(char)
        if char.isspace() or category[0] in {"C", "Z"}:
            return f"a space or control character (U+{ord(char):04X})"
    if "=?" in text:
        return "'=?' (the start of an encoded word)"
    return None


def _fast_accept(text: str) -> bool:
    """True for plain ASCII addresses that ``email_validator`` certainly accepts unchanged."""
    local, _, domain = text.rpartition("@")
    if len(text) > MAX_LENGTH or len(local) > 64 or not _FAST_LOCAL.fullmatch(local):
        return False
    if not _FAST_DOMAIN.fullmatch(domain) or any(len(label) > 63 for label in domain.split(".")):
        return False
    domain = domain.lower()
    return not any(domain == name or domain.endswith("." + name) for name in SPECIAL_USE_DOMAIN_NAMES)


def check_email(value: object) -> str:
    """One plain email address, normalised and lower-cased; :class:`InvalidEmail` otherwise.

    Spaces and tabs around the address are dropped (a CSV cell, a pasted value); anything
    else that is not part of an address is refused, never cleaned away.
    """
    if not isinstance(value, str):
        raise InvalidEmail("must be text")
    text = value.strip(" \t")
    if not text:
        raise InvalidEmail("is empty")
    unsafe = _unsafe_character(text)
    if unsafe:
        raise InvalidEmail(f"{_shown(text)} is not one plain email address: it contains {unsafe}")
    if _fast_accept(text):
        return text.lower()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(f"{_shown(text)} is not a valid email address ({exc})") from None
    return checked.normalized.lower()
