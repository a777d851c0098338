"""What people do with the outbox: counts and pages of emails, requeueing claims whose outcome is
unknown, retrying a failed or cancelled email (see docs/email.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import EMAIL_KINDS, EMAIL_STATUSES, OutboxEmail, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.outreach.outbox import due_clause, release_claim
from feedback_app.services.outreach.suppression import suppression_reason


def stale_claims(lease_seconds: int | None = None) -> list[OutboxEmail]:
    """Rows claimed longer ago than the lease: the sender died; the outcome is unknown."""
    lease = (
        lease_seconds if lease_seconds is not None else int(current_app.config["MAIL_CLAIM_LEASE_SECONDS"])
    )
    cutoff = utcnow() - timedelta(seconds=lease)
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.status == "sending", OutboxEmail.claimed_at <= cutoff)
            .order_by(OutboxEmail.id)
        )
    )


def requeue_stale(
    lease_seconds: int | None = None, *, actor: str = "system", actor_user_id: int | None = None
) -> int:
    """Put stale claims back to pending (a person decided a possible duplicate beats a loss)."""
    rows = stale_claims(lease_seconds)
    for email in rows:
        release_claim(email)
        email.status, email.next_attempt_at = "pending", None
        email.last_error = "requeued after an unknown outcome (claim expired)"
        audit.record(
            "email.requeued",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="outbox_email",
            target_id=email.id,
        )
    db.session.commit()
    return len(rows)


class RetryRefused(ValueError):
    """A retry that must not happen, with the reason to show."""


def retry(email_id: int, *, actor: str = "system", actor_user_id: int | None = None) -> OutboxEmail:
    """Send a failed or cancelled email again (fresh attempts); refused for a bounced address."""
    email = db.session.get(OutboxEmail, email_id)
    if email is None:
        raise RetryRefused(f"No email with id {email_id}.")
    if email.status not in ("failed", "cancelled"):
        raise RetryRefused(
            f"Email {email_id} is {email.status}; only failed or cancelled emails can be retried."
        )
    reason = suppression_reason(email)
    if reason:
        raise RetryRefused(f"Email {email_id} to {email.recipient} cannot be retried: {reason}.")
    email.status, email.attempts, email.next_attempt_at = "pending", 0, None
    audit.record(
        "email.retry",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="outbox_email",
        target_id=email.id,
    )
    db.session.commit()
    return email


def status_counts() -> dict[str, Any]:
    """Counts by status and by kind, for the CLI and the dashboard."""
    rows = db.session.execute(
        select(OutboxEmail.kind, OutboxEmail.status, func.count(OutboxEmail.id)).group_by(
            OutboxEmail.kind, OutboxEmail.status
        )
    ).all()
    by_kind = {kind: dict.fromkeys(EMAIL_STATUSES, 0) for kind in EMAIL_KINDS}
    for kind, status, count in rows:
        by_kind.setdefault(kind, dict.fromkeys(EMAIL_STATUSES, 0))[status] = count
    totals = {status: sum(counts[status] for counts in by_kind.values()) for status in EMAIL_STATUSES}
    return {
        "by_kind": by_kind,
        "totals": totals,
        "all": sum(totals.values()),  # every email, whatever its kind and status
        "stale": len(stale_claims()),
        "due": db.session.scalar(select(func.count(OutboxEmail.id)).where(due_clause(utcnow()))) or 0,
    }


def list_emails(
    *, status: str | None = None, kind: str | None = None, page: int = 1, per_page: int = 50
) -> Pagination:
    """One page of emails, newest first (past the last page: the last page)."""
    query = select(OutboxEmail)
    if status:
        query = query.where(OutboxEmail.status == status)
    if kind:
        query = query.where(OutboxEmail.kind == kind)
    return paginate(query.order_by(OutboxEmail.id.desc()), page, per_page)
