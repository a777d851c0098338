"""Each customer's newest answer: the one whose contact wish counts.

A customer who answered more than once (two surveys, a resent link) may have changed their mind
about being contacted; the newest answer's ``contact_ok`` decides (``answers.contact_refusal``),
so a later "no" stops every email an older "yes" allowed, and a later "yes" allows it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Invitation, Response


def newest_key(submitted_at: datetime, response_id: int) -> tuple[datetime, int]:
    """How answers sort, oldest first: by when they came, then by id (two in the same second)."""
    return submitted_at, response_id


def latest_answers(customer_ids: Iterable[int]) -> dict[int, dict[str, Any] | None]:
    """The newest answer's ``answers`` of each customer who has one, by customer id (one query)."""
    ids = list(set(customer_ids))
    latest: dict[int, dict[str, Any] | None] = {}
    if not ids:
        return latest
    rows = db.session.execute(
        select(Invitation.customer_id, Response.answers)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id.in_(ids))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    for customer_id, answers in rows:
        latest.setdefault(customer_id, answers)
    return latest
