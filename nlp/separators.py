"""The separator of a CSV a person saved: a comma, or the semicolon (tab, bar) a spreadsheet
writes where the decimal mark is a comma. Shared by the answers file and the example bank or
corrections file, which often come from the same spreadsheet."""

from __future__ import annotations

import csv


def header_delimiter(raw: str) -> str:
    """The header row's separator (a comma when the header alone cannot tell)."""
    header = raw.splitlines()[0] if raw.strip() else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
