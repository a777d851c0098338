"""Recording staff and system actions in the audit log."""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import AuditEvent
from feedback_app.pagination import paginate


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


def list_events(*, action: str | None = None, actor: str | None = None, page: int = 1, per_page: int = 50) -> Pagination:
    """Newest first, optionally one action or actor, one page at a time (the admin audit page)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return paginate(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()), page, per_page)


def actions() -> list[str]:
    """The actions recorded so far, for the audit page's filter."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
