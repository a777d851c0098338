"""One rule for control characters in text that comes from outside: survey answers, API and
webhook fields, CSV cells.

- Free text (multi-line answers): NUL, the other C0 controls except tab and line breaks, DEL,
  the C1 controls (U+0080-U+009F) and lone surrogates are removed; CRLF and a lone CR become LF.
- Single-line fields (names, ids, plans, short answers): the same, and tabs and line breaks
  (``\\t \\n \\r``, VT, FF, NEL, U+2028, U+2029) become one space each run.

Removed rather than refused: a pasted NUL or a stray escape is never what the person meant, and
PostgreSQL cannot store NUL in a text column (the insert fails) while every driver fails on a lone
surrogate. A value that is empty once cleaned and stripped is blank: ``"\\0\\0\\0"`` answers
nothing. Applied where text enters, never on output: every query parameter and form field as it is
parsed (``security.CleanInputRequest``, multi-line rule), one-line survey answers
(``question_types``), and API, webhook and CSV fields (``customer_records``).
"""

from __future__ import annotations

import re
from typing import Any

#: Removed everywhere: C0 controls but tab, LF and CR; DEL and C1; lone UTF-16 surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_ENDINGS = re.compile("\r\n?")
#: In a single-line field these separate words: one space for a run of them.
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool) -> str:
    """``value`` with control characters removed (see the module docstring); not stripped."""
    if multiline:
        return _LINE_ENDINGS.sub("\n", _CONTROL.sub("", value))
    return _CONTROL.sub("", _BREAKS.sub(" ", value))


def is_blank(value: Any) -> bool:
    """None, or a text that holds nothing but whitespace and control characters."""
    return value is None or (isinstance(value, str) and not clean_text(value, multiline=True).strip())


def has_control_characters(value: str) -> bool:
    """Whether free text holds characters the rule removes (text stored before the rule existed)."""
    return bool(_CONTROL.search(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value: str) -> bool:
    """Whether ``value`` holds a lone surrogate: bytes that were not UTF-8 (a command line's
    ``surrogateescape``), which no database driver can store."""
    return bool(_SURROGATE.search(value))
