"""Recording staff and system actions in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import AuditEvent


def record(action: str, *, actor: str = "system", actor_user_id: int | None = None,
           target_type: str | None = None, target_id: object = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        actor=actor,
        actor_user_id=actor_user_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details,
    )
    db.session.add(event)
    return event


@dataclass
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int
    actions: list[str]


def list_events(*, action: str | None = None, actor: str | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    """Newest first, optionally one action or actor, one page at a time (the admin audit page)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    events = list(db.session.scalars(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                     .offset((page - 1) * per_page).limit(per_page)))
    actions = list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    return AuditPage(events, total, page, pages, actions)
