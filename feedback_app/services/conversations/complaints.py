"""Complaints before defection: the tickets a customer opened in the N days before they left
(``COMPLAINT_WINDOW_DAYS``, default 90), whether each was still open or closed without resolution
when they left, and the share of a cause's departures that an unresolved complaint on that same
cause came before (with a 95% Wilson interval).

A ticket is *open at departure* when it was opened on or before ``left_at`` and not closed by the
end of that day; *closed without resolution* when it was closed by then with resolution
``unresolved``. Its cause is the root cause of its current main theme (after an analysis run).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Conversation, DepartedCustomer
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.insights import metrics
from feedback_app.services.insights.statistics import rate, wilson_interval


@dataclass
class Complaint:
    conversation_id: int
    customer_id: int
    left_at: date
    opened_on: date
    closed_on: date | None
    resolution: str | None
    subject: str | None
    cause_key: str | None

    @property
    def open_at_departure(self) -> bool:
        return self.closed_on is None or self.closed_on > self.left_at

    @property
    def closed_unresolved(self) -> bool:
        return not self.open_at_departure and self.resolution == "unresolved"

    @property
    def unresolved(self) -> bool:
        return self.open_at_departure or self.closed_unresolved

    @property
    def flag(self) -> str:
        if self.open_at_departure:
            return "Still open when they left"
        return "Closed without resolution" if self.closed_unresolved else "Resolved"


def window_days() -> int:
    return max(0, int(current_app.config.get("COMPLAINT_WINDOW_DAYS", 90)))


def before_departure(
    customer_ids: list[int] | None = None, days: int | None = None
) -> dict[int, list[Complaint]]:
    """Each departed customer's tickets opened in the ``days`` before they left, oldest first."""
    days = window_days() if days is None else days
    query = (
        select(
            Conversation.id,
            Conversation.customer_id,
            DepartedCustomer.left_at,
            Conversation.opened_at,
            Conversation.closed_at,
            Conversation.resolution,
            Conversation.subject,
        )
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(Conversation.kind == "ticket", DepartedCustomer.erased_at.is_(None))
        .order_by(Conversation.opened_at, Conversation.id)
    )
    if customer_ids is not None:
        query = query.where(Conversation.customer_id.in_(customer_ids))
    rows = [
        r
        for r in db.session.execute(query)
        if r.left_at - timedelta(days=days) <= r.opened_at.date() <= r.left_at
    ]
    themes = analysis_feed.current_themes([r.id for r in rows]) if rows else {}
    out: dict[int, list[Complaint]] = defaultdict(list)
    for r in rows:
        theme = themes.get(r.id)
        out[r.customer_id].append(
            Complaint(
                r.id,
                r.customer_id,
                r.left_at,
                r.opened_at.date(),
                r.closed_at.date() if r.closed_at else None,
                r.resolution,
                r.subject,
                theme.category if theme is not None else None,
            )
        )
    return dict(out)


def unresolved_by_cause(customer_ids: list[int] | None = None) -> dict[str, set[int]]:
    """Cause key -> customers who left with an unresolved complaint on that cause."""
    found: dict[str, set[int]] = defaultdict(set)
    for customer_id, complaints in before_departure(customer_ids).items():
        for complaint in complaints:
            if complaint.unresolved and complaint.cause_key:
                found[complaint.cause_key].add(customer_id)
    return found


@dataclass
class Preceded:
    """Of ``departures`` with a cause, how many an unresolved complaint on that cause came before."""

    preceded: int
    departures: int

    @property
    def share(self) -> float | None:
        return rate(self.preceded, self.departures)

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.preceded, self.departures)


def preceded_by_cause(causes: list[metrics.RootCauseFigures]) -> dict[str, Preceded]:
    """For each root cause row of the themes page, the departures an unresolved complaint preceded."""
    unresolved = unresolved_by_cause()
    out = {}
    for cause in causes:
        customers = {f.customer_id for t in cause.themes for f in t.facts}
        out[cause.key] = Preceded(len(customers & unresolved.get(cause.key, set())), len(customers))
    return out


def preceded_for_theme(figures: metrics.ThemeFigures | None) -> Preceded | None:
    """The same for one theme: its customers, and an unresolved complaint on the theme's cause."""
    if figures is None:
        return None
    customers = {f.customer_id for f in figures.facts}
    unresolved = unresolved_by_cause(list(customers)).get(figures.theme.category, set())
    return Preceded(len(customers & unresolved), len(customers))
