"""The invitation funnel: invited -> sent -> opened -> completed, with opt-outs and bounces.

The one definition of "invitations sent" (and opened, answered): the overview, the funnel page
and the outbox page all count through :func:`invitation_funnel`, so the numbers agree everywhere.
An answer implies the link was opened, and an opened link implies the email was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, func, or_, select

from feedback_app.extensions import db
from feedback_app.models import Invitation, Response, Survey


@dataclass(frozen=True)
class FunnelRow:
    survey_id: int | None
    survey_key: str
    survey_title: str
    invited: int
    sent: int
    opened: int
    completed: int
    opted_out: int
    bounced: int

    def rate(self, part: str) -> float | None:
        """A stage as a share of invitations sent (None when nothing was sent)."""
        return getattr(self, part) / self.sent if self.sent else None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def invitation_funnel(
    survey_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    customer_ids: Select | None = None,
    survey_key: str | None = None,
) -> list[FunnelRow]:
    """Funnel counts per survey (one row each, by key), for invitations created in [since, until)
    and, with ``customer_ids`` (a select of customer ids), only those customers' invitations.

    ``sent`` counts invitations whose email was accepted; ``opened`` those whose link was
    opened; ``completed`` those answered; an answer implies opened, and opened implies sent.
    """
    completed = or_(
        Response.id.is_not(None), Invitation.status == "completed", Invitation.completed_at.is_not(None)
    )
    opened = or_(completed, Invitation.status == "opened", Invitation.opened_at.is_not(None))
    sent = or_(opened, Invitation.sent_at.is_not(None), Invitation.status == "sent")
    opted_out = or_(Invitation.status == "opted_out", Invitation.opted_out_at.is_not(None))
    query = (
        select(
            Survey.id,
            Survey.key,
            Survey.title,
            func.count(Invitation.id),
            _count(sent),
            _count(opened),
            _count(completed),
            _count(opted_out),
            _count(Invitation.status == "bounced"),
        )
        .join(Invitation, Invitation.survey_id == Survey.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .group_by(Survey.id, Survey.key, Survey.title)
        .order_by(Survey.key)
    )
    if survey_id is not None:
        query = query.where(Survey.id == survey_id)
    if survey_key is not None:
        query = query.where(Survey.key == survey_key)
    if customer_ids is not None:
        query = query.where(Invitation.customer_id.in_(customer_ids))
    if since is not None:
        query = query.where(Invitation.created_at >= since)
    if until is not None:
        query = query.where(Invitation.created_at < until)
    return [
        FunnelRow(sid, key, title, *(int(value) for value in counts))
        for sid, key, title, *counts in db.session.execute(query)
    ]


def funnel_total(rows: list[FunnelRow]) -> FunnelRow:
    """All surveys together."""
    sums = [
        sum(getattr(row, name) for row in rows)
        for name in ("invited", "sent", "opened", "completed", "opted_out", "bounced")
    ]
    return FunnelRow(None, "all", "All surveys", *sums)
