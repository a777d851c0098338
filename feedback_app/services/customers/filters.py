"""Which departed customers a list, a report or an invitation run is about: the filter fields
they share, turned into SQL in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

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


def conditions(filters: CustomerFilters) -> list[ColumnElement[bool]]:
    """The SQL conditions on ``DepartedCustomer`` the filters ask for."""
    found: list[ColumnElement[bool]] = []
    if filters.q.strip():
        like = f"%{filters.q.strip().lower()}%"
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
        (DepartedCustomer.plan, filters.plan),
        (DepartedCustomer.segment, filters.segment),
        (DepartedCustomer.churn_type, filters.churn_type),
    ):
        if value:
            found.append(column == value)
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
