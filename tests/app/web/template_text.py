"""Finds words in a Jinja template's source that would reach a page without passing through gettext.

Used by the translation checks: template text outside ``{{ }}``/``{% %}``, outside tags and
outside ``{% trans %}`` blocks is untranslatable, and so is a literal ``title``, ``aria-label``,
``placeholder`` or ``alt`` attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

JINJA = re.compile(r"({%-?.*?-?%}|{{-?.*?-?}}|{#.*?#})", re.S)
TRANS_OPEN = re.compile(r"{%-?\s*trans\b")
TRANS_CLOSE = re.compile(r"{%-?\s*endtrans\b")
ATTRIBUTE = re.compile(r"""\b(title|aria-label|placeholder|alt)=(["'])([^"']*)""")
WORD = re.compile(r"[A-Za-z]{2,}")
#: Elements whose content is code, script or a preformatted copy, never prose.
RAW_ELEMENTS = ("script", "style", "code", "pre")


@dataclass(frozen=True)
class Text:
    """One run of words in the source: where it starts and ends (offsets) and what it says."""

    start: int
    end: int
    text: str


def _chunks(source: str) -> list[tuple[int, str, bool]]:
    """(offset, text, is_jinja) for the template's data and Jinja parts, in order."""
    parts, offset = [], 0
    for piece in JINJA.split(source):
        if piece:
            parts.append((offset, piece, bool(JINJA.fullmatch(piece))))
        offset += len(piece)
    return parts


def bare_text(source: str) -> list[Text]:
    """Every run of template text with words in it that no gettext call or trans block covers."""
    found: list[Text] = []
    in_trans = 0
    in_tag = False
    quote: str | None = None
    raw_until: str | None = None
    for offset, chunk, is_jinja in _chunks(source):
        if is_jinja:
            if TRANS_OPEN.match(chunk):
                in_trans += 1
            elif TRANS_CLOSE.match(chunk):
                in_trans -= 1
            continue
        for match in ATTRIBUTE.finditer(chunk):
            if not in_trans and WORD.search(match.group(3)):
                found.append(Text(offset + match.start(3), offset + match.end(3), match.group(3)))
        i, run_start = 0, None
        while i < len(chunk):
            char = chunk[i]
            if raw_until:
                end = chunk.find(raw_until, i)
                if end < 0:
                    break
                i, raw_until, in_tag = end, None, True
                continue
            if quote:
                close = chunk.find(quote, i)
                i, quote = (len(chunk), quote) if close < 0 else (close + 1, None)
                continue
            if in_tag:
                if char in "\"'":
                    quote = char
                    i += 1
                    continue
                if char == ">":
                    in_tag = False
                    run_start = i + 1
                i += 1
                continue
            if char == "<" and re.match(r"</?[A-Za-z!]", chunk[i : i + 3]):
                if run_start is not None and not in_trans:
                    _add(found, chunk, offset, run_start, i)
                tag = re.match(r"<([A-Za-z]+)", chunk[i:])
                if tag and tag.group(1).lower() in RAW_ELEMENTS:
                    raw_until = f"</{tag.group(1)}"
                in_tag, run_start = True, None
                i += 1
                continue
            if run_start is None:
                run_start = i
            i += 1
        if run_start is not None and not in_tag and not in_trans:
            _add(found, chunk, offset, run_start, len(chunk))
    return found


def _add(found: list[Text], chunk: str, offset: int, start: int, end: int) -> None:
    text = chunk[start:end]
    if WORD.search(re.sub(r"&\w+;", " ", text)):
        found.append(Text(offset + start, offset + end, text))
