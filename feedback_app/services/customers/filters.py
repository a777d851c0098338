"""Which departed customers a list, a report or an invitation run is about: the filter fields
they share, turned into SQL in one place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer

#: The customers list's "status" choices ("" = any).
STATUS_FILTERS = ("", "returned", "not_returned", "opted_out")


@dataclass(frozen=True)
class CustomerFilters:
    """Departed customers to consider (all when empty). ``q`` searches email, name, company and
    external id; ``left_from``/``left_to`` bound the departure date inclusively, ``left_before``
    exclusively."""

    q: str = ""
    source: str = ""
    plan: str = ""
    segment: str = ""
    churn_type: str = ""
    status: str = ""
    left_from: date | None = None
    left_to: date | None = None
    left_before: date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments (a page link keeps the selection)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v}


def _folded(value: ColumnElement[str] | InstrumentedAttribute[str | None]) -> ColumnElement[str]:
    # Folded in SQL on both sides, so SQLite and PostgreSQL (and Python's own ``lower``) never disagree.
    return func.lower(func.trim(value))


def same_label(column: InstrumentedAttribute[str | None], value: str) -> ColumnElement[bool]:
    """``column`` holds ``value`` up to case and surrounding spaces ("Team " from a CSV is "team")."""
    return _folded(column) == _folded(literal(value))


def any_label(column: InstrumentedAttribute[str | None], values: Iterable[str]) -> ColumnElement[bool]:
    """``column`` holds one of ``values`` up to case and surrounding spaces."""
    return or_(*(same_label(column, value) for value in values))


def label_choices(column: InstrumentedAttribute[str | None]) -> list[str]:
    """The distinct labels in ``column`` (plan, segment...), spellings that differ only by case or
    surrounding spaces grouped as one and shown by their most common spelling (stored data untouched)."""
    key = _folded(column)
    rows = db.session.execute(
        select(key, column, func.count()).where(column.is_not(None), key != "").group_by(key, column)
    ).all()
    spellings: Counter[tuple[str, str]] = Counter()
    for folded, spelling, count in rows:
        spellings[(folded, (spelling or "").strip())] += count  # " Team" and "Team " are one spelling
    best: dict[str, tuple[int, str]] = {}
    for (folded, spelling), count in spellings.items():
        held = best.get(folded)
        # Most common first; a tie goes to the alphabetically first spelling, so the pick is stable.
        if held is None or (-count, spelling) < (-held[0], held[1]):
            best[folded] = (count, spelling)
    return sorted((spelling for _count, spelling in best.values()), key=lambda s: (s.lower(), s))


def as_choices(values: Iterable[str], choices: list[str]) -> list[str]:
    """Stored labels (a saved campaign's "team") as the spellings :func:`label_choices` offers
    ("Team"), so a form shows them picked; a label no customer has any more is kept as it is."""
    offered = {" ".join(choice.split()).casefold(): choice for choice in choices}
    return [offered.get(" ".join(value.split()).casefold(), value) for value in values]


def conditions(filters: CustomerFilters) -> list[ColumnElement[bool]]:
    """The SQL conditions on ``DepartedCustomer`` the filters ask for."""
    found: list[ColumnElement[bool]] = []
    if filters.q.strip():
        # Folded by the database's lower() like the columns: Python's folds 'İ' to 'i' + a combining
        # dot where PostgreSQL's gives 'i', so "İstanbul" found nothing there.
        like = func.lower(literal(f"%{filters.q.strip()}%"))
        found.append(
            or_(
                func.lower(DepartedCustomer.email).like(like),
                func.lower(DepartedCustomer.name).like(like),
                func.lower(DepartedCustomer.company).like(like),
                func.lower(DepartedCustomer.external_id).like(like),
            )
        )
    for column, value in (
        (DepartedCustomer.source, filters.source),
        (DepartedCustomer.churn_type, filters.churn_type),
    ):
        if value:
            found.append(column == value)
    for column, value in ((DepartedCustomer.plan, filters.plan), (DepartedCustomer.segment, filters.segment)):
        if value.strip():
            found.append(same_label(column, value))
    if filters.left_from:
        found.append(DepartedCustomer.left_at >= filters.left_from)
    if filters.left_to:
        found.append(DepartedCustomer.left_at <= filters.left_to)
    if filters.left_before:
        found.append(DepartedCustomer.left_at < filters.left_before)
    if filters.status == "returned":
        found.append(DepartedCustomer.returned_at.is_not(None))
    elif filters.status == "not_returned":
        found.append(DepartedCustomer.returned_at.is_(None))
    elif filters.status == "opted_out":
        found.append(DepartedCustomer.opted_out.is_(True))
    return found


def customer_query(filters: CustomerFilters) -> Select[Any]:
    """``select(DepartedCustomer)`` narrowed by the filters (no order: each caller picks its own)."""
    return select(DepartedCustomer).where(*conditions(filters))
