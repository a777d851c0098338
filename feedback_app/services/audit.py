"""Recording staff and system actions in the audit log."""

from __future__ import annotations

from typing import Any

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
