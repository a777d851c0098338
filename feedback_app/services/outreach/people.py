"""One person, however many customer rows: the same address (in any case) is the same person.

A person may be stored twice (a CSV export's row beside the billing provider's webhook row for
the same cancellation, or under another id). The lists of whom to write to (close the loop,
win-back campaigns) hold one entry per person, as the address-wide opt-out
(``suppression.address_opted_out``) treats them, so nobody gets the same email twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer


def address_key(email: str | None) -> str:
    """An address as it names a person: trimmed, in lower case ("" for none); the same as the
    database's ``lower(trim(email))`` in :func:`addresses_of` and ``suppression.opted_out_addresses``."""
    return (email or "").strip().lower()


class CustomerRow(Protocol):
    """A customer row, or a query row with its ``id`` and ``email`` (a list read as columns)."""

    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str | None: ...


def person_key(customer: CustomerRow) -> str:
    """The person a customer row belongs to: their address in lower case, else the row itself."""
    return address_key(customer.email) or f"#{customer.id}"


def addresses_of(customer_ids: Iterable[int]) -> set[str]:
    """The addresses (lower case) of these customer rows, e.g. of those already emailed."""
    ids = list(set(customer_ids))
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(func.lower(func.trim(DepartedCustomer.email))).where(
                DepartedCustomer.id.in_(ids), DepartedCustomer.email.is_not(None)
            )
        )
    )
