"""Database ids given from outside: a form's hidden field, a query string, a cursor, a CLI argument."""

from __future__ import annotations

#: The largest id a row can have: the largest value of the database's integer primary keys
#: (PostgreSQL ``integer``). A larger number is no row, never an overflow in the driver.
MAX_ROW_ID = 2**31 - 1


def row_id(text: str | None) -> int | None:
    """The id ``text`` names (ASCII digits, 1 to MAX_ROW_ID), else None: no row has it.

    ``str.isdigit`` alone is not enough: it accepts '²', which ``int`` refuses.
    """
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None
