"""Database ids given from outside: a form's hidden field, a query string, a cursor, a CLI argument."""

from __future__ import annotations

#: The largest id a row can have: the largest value of the database's integer primary keys
#: (PostgreSQL ``integer``). A larger number is no row, never an overflow in the driver.
MAX_ROW_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ROW_ID))


def row_id(text: str | None) -> int | None:
    """The id ``text`` names (ASCII digits, 1 to MAX_ROW_ID), else None: no row has it.

    ``str.isdigit`` alone is not enough: it accepts '²', which ``int`` refuses; and the length is
    checked first, as ``int`` refuses more than 4,300 digits with a ValueError.
    """
    if not text or len(text) > _MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None


def coerce_row_id(value: object) -> int:
    """A form's id field (WTForms ``coerce``): the id, else ValueError, which WTForms shows on the
    field. ``coerce=int`` took '99999999999999999999' and the database overflowed on it."""
    ident = value if isinstance(value, int) and not isinstance(value, bool) else row_id(str(value))
    if ident is None or not 1 <= ident <= MAX_ROW_ID:
        raise ValueError(f"{str(value)[:20]!r} is not an id")
    return ident
