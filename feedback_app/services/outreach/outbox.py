"""The transactional outbox: queue emails in the caller's transaction, deliver them exactly once.

Delivery is claim -> send -> mark:

1. **claim** one row with a single compare-and-set ``UPDATE ... SET status='sending' WHERE
   status='pending' AND id=(oldest due row)``, committed at once. On PostgreSQL the inner
   SELECT takes ``FOR UPDATE SKIP LOCKED`` so concurrent senders pass each other by; on
   SQLite the write lock serialises the UPDATEs and the ``status='pending'`` check makes the
   loser claim nothing. Only one sender can ever hold a row.
2. **send** it through the configured transport, with the row's fixed Message-ID.
3. **mark** it sent (or back to pending with a backoff, or failed) and commit at once.

A crash between 2 and 3 leaves the row in ``sending``: the server may or may not have the
message. Such rows are reported as "outcome unknown" once their claim is older than
``MAIL_CLAIM_LEASE_SECONDS`` and are resent only when a person asks (``flask outbox requeue``
or the dashboard), never blindly. See docs/email.md.
"""

from __future__ import annotations

import os
import random
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import OperationalError

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import EMAIL_KINDS, EMAIL_STATUSES, DepartedCustomer, Invitation, OutboxEmail, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.mail import PermanentMailError, TransientMailError, Transport, get_transport
from feedback_app.services.mail.message import build_message, new_message_id

MAX_BACKOFF_SECONDS = 6 * 3600
#: Invitation states in which no more email about that invitation may go out.
CLOSED_INVITATION_STATES = ("completed", "opted_out", "bounced", "revoked")


@dataclass
class DeliveryReport:
    """What one deliver run did; ``unreachable`` holds the error when the server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    bounced: int = 0
    cancelled: int = 0
    unreachable: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.sent + self.retrying + self.failed + self.bounced + self.cancelled


# -- queueing ---------------------------------------------------------------------------------


def queue_email(
    *,
    kind: str,
    idempotency_key: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str,
    headers: dict[str, str] | None = None,
    customer_id: int | None = None,
    invitation_id: int | None = None,
    action_item_id: int | None = None,
) -> OutboxEmail:
    """Add one email to the caller's transaction (the caller commits, together with its own rows)."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown email kind {kind!r}; expected one of {', '.join(EMAIL_KINDS)}")
    email = OutboxEmail(
        kind=kind,
        idempotency_key=idempotency_key,
        message_id=new_message_id(current_app.config["MAIL_DEFAULT_SENDER"]),
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=dict(headers or {}),
        status="pending",
        attempts=0,
        customer_id=customer_id,
        invitation_id=invitation_id,
        action_item_id=action_item_id,
    )
    db.session.add(email)
    return email


# -- claiming ---------------------------------------------------------------------------------


def worker_name() -> str:
    """Who holds a claim: host, process and thread, so a stuck row can be traced."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def _due(now: datetime) -> ColumnElement[bool]:
    """Pending, and its backoff (if any) has passed."""
    return (OutboxEmail.status == "pending") & or_(
        OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now
    )


def claim_next(worker: str, exclude: set[int] | frozenset[int] = frozenset()) -> OutboxEmail | None:
    """Claim the oldest due pending email for ``worker`` and commit; None when nothing is due."""
    now = utcnow()
    due = select(OutboxEmail.id).where(_due(now))
    if exclude:
        due = due.where(OutboxEmail.id.not_in(sorted(exclude)))
    # FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite renders nothing and relies on its write lock.
    due_id = due.order_by(OutboxEmail.id).limit(1).with_for_update(skip_locked=True).scalar_subquery()
    claim = (
        update(OutboxEmail)
        .where(OutboxEmail.id == due_id, OutboxEmail.status == "pending")
        .values(
            status="sending",
            claimed_at=now,
            claimed_by=worker,
            attempts=OutboxEmail.attempts + 1,
            updated_at=now,
        )
        .returning(OutboxEmail.id)
        .execution_options(synchronize_session=False)
    )
    for attempt in range(5):
        try:
            claimed_id = db.session.execute(claim).scalar()
            db.session.commit()
            break
        except OperationalError:  # "database is locked" past busy_timeout: back off and try again
            db.session.rollback()
            if attempt == 4:
                raise
            threading.Event().wait(0.05 * (attempt + 1))
    if claimed_id is None:
        return None
    return db.session.get(OutboxEmail, claimed_id, populate_existing=True)


# -- what must never be sent ----------------------------------------------------------------


def address_bounced(address: str) -> bool:
    """True when any customer with this address has bounced: no further email to it."""
    return bool(
        db.session.scalar(
            select(func.count(DepartedCustomer.id)).where(
                func.lower(DepartedCustomer.email) == address.strip().lower(),
                DepartedCustomer.email_bounced_at.is_not(None),
            )
        )
    )


def suppression_reason(email: OutboxEmail) -> str | None:
    """Why this email must not go out now (checked at send time, after it was queued)."""
    customer = db.session.get(DepartedCustomer, email.customer_id) if email.customer_id else None
    if customer is not None:
        if customer.erased_at is not None:
            return "customer erased"
        if customer.opted_out:
            return "customer opted out"
    if address_bounced(email.recipient):
        return "address bounced earlier"
    invitation = db.session.get(Invitation, email.invitation_id) if email.invitation_id else None
    if invitation is not None and invitation.status in CLOSED_INVITATION_STATES:
        return f"invitation {invitation.status.replace('_', ' ')}"
    return None


# -- outcomes ---------------------------------------------------------------------------------


def backoff_seconds(attempts: int, base: float) -> float:
    """Exponential backoff with jitter: base * 2^(attempts-1), capped, times a random 0.5-1.0."""
    ceiling = min(MAX_BACKOFF_SECONDS, base * (2 ** max(0, attempts - 1)))
    return ceiling * random.uniform(0.5, 1.0)


def _release(email: OutboxEmail) -> None:
    email.claimed_at = None
    email.claimed_by = None


def _mark_sent(email: OutboxEmail) -> None:
    now = utcnow()
    email.status, email.sent_at, email.last_error = "sent", now, None
    _release(email)
    invitation = db.session.get(Invitation, email.invitation_id) if email.invitation_id else None
    if invitation is not None:
        if email.kind == "invitation":
            invitation.sent_at = invitation.sent_at or now
            if invitation.status == "pending":
                invitation.status = "sent"
        elif email.kind == "reminder":
            invitation.reminded_at = now
    db.session.commit()


def _mark_transient(email: OutboxEmail, error: TransientMailError) -> bool:
    """Back to pending with a backoff; failed for good after MAIL_MAX_ATTEMPTS. True if it will retry."""
    config = current_app.config
    _release(email)
    if email.attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
        email.status = "failed"
        email.last_error = f"gave up after {email.attempts} attempts: {error.reply}"
        db.session.commit()
        return False
    delay = backoff_seconds(email.attempts, float(config["MAIL_RETRY_BASE_SECONDS"]))
    email.status, email.last_error = "pending", error.reply
    email.next_attempt_at = utcnow() + timedelta(seconds=delay)
    db.session.commit()
    return True


def _close_invitation_as_bounced(invitation_id: int | None) -> None:
    invitation = db.session.get(Invitation, invitation_id) if invitation_id else None
    if invitation is not None and invitation.status in ("pending", "sent", "opened"):
        invitation.status = "bounced"


def _mark_permanent(email: OutboxEmail, error: PermanentMailError) -> None:
    """Failed, never retried; a refused recipient suppresses every further email to that address."""
    _release(email)
    email.status, email.last_error = "failed", error.reply
    if error.bounce:
        now = utcnow()
        address = email.recipient.strip().lower()
        for customer in db.session.scalars(
            select(DepartedCustomer).where(func.lower(DepartedCustomer.email) == address)
        ):
            customer.email_bounced_at = customer.email_bounced_at or now
        _close_invitation_as_bounced(email.invitation_id)
        for other in db.session.scalars(
            select(OutboxEmail).where(
                func.lower(OutboxEmail.recipient) == address, OutboxEmail.status == "pending"
            )
        ):
            other.status, other.last_error = "cancelled", f"address bounced: {error.reply}"
            _close_invitation_as_bounced(other.invitation_id)
        audit.record("email.bounced", target_type="outbox_email", target_id=email.id, reply=error.reply)
    db.session.commit()


def _cancel(email: OutboxEmail, reason: str) -> None:
    _release(email)
    email.status, email.last_error = "cancelled", f"not sent: {reason}"
    db.session.commit()


def message_for(email: OutboxEmail) -> Any:
    """The EmailMessage for a row, with the sender and reply-to from config."""
    config = current_app.config
    customer = db.session.get(DepartedCustomer, email.customer_id) if email.customer_id else None
    return build_message(
        sender=config["MAIL_DEFAULT_SENDER"],
        recipient=email.recipient,
        recipient_name=customer.name if customer is not None else None,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        message_id=email.message_id,
        reply_to=config.get("MAIL_REPLY_TO"),
        headers=email.headers,
    )


# -- delivering -------------------------------------------------------------------------------


def deliver(limit: int | None = None, transport: Transport | None = None) -> DeliveryReport:
    """Send due pending emails, each at most once per run; stop early if the server is unreachable."""
    report = DeliveryReport()
    worker = worker_name()
    tried: set[int] = set()
    transport = transport or get_transport(current_app.config)
    with transport:
        while limit is None or report.processed < limit:
            email = claim_next(worker, exclude=tried)
            if email is None:
                break
            tried.add(email.id)
            reason = suppression_reason(email)
            if reason:
                _cancel(email, reason)
                report.cancelled += 1
                continue
            try:
                transport.send(message_for(email))
            except ValueError as exc:  # an address that cannot be written as a header
                _mark_permanent(email, PermanentMailError(f"invalid address: {exc}", bounce=False))
                report.failed += 1
            except TransientMailError as exc:
                if _mark_transient(email, exc):
                    report.retrying += 1
                else:
                    report.failed += 1
                report.errors.append(f"{email.recipient}: {exc.reply}")
                if exc.unreachable:
                    report.unreachable = exc.reply
                    break
            except PermanentMailError as exc:
                _mark_permanent(email, exc)
                report.errors.append(f"{email.recipient}: {exc.reply}")
                if exc.bounce:
                    report.bounced += 1
                else:
                    report.failed += 1
            else:
                _mark_sent(email)
                report.sent += 1
    return report


@job("outbox.deliver")
def deliver_job(limit: int | None = None) -> dict[str, Any]:
    """Background delivery (after invitations are created, or on a schedule)."""
    report = deliver(limit=limit)
    return {
        "sent": report.sent,
        "retrying": report.retrying,
        "failed": report.failed,
        "bounced": report.bounced,
        "cancelled": report.cancelled,
        "unreachable": report.unreachable,
    }


# -- operating --------------------------------------------------------------------------------


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


def requeue_stale(lease_seconds: int | None = None, *, actor: str = "system") -> int:
    """Put stale claims back to pending (a person decided a possible duplicate beats a loss)."""
    rows = stale_claims(lease_seconds)
    for email in rows:
        _release(email)
        email.status, email.next_attempt_at = "pending", None
        email.last_error = "requeued after an unknown outcome (claim expired)"
        audit.record("email.requeued", actor=actor, target_type="outbox_email", target_id=email.id)
    db.session.commit()
    return len(rows)


class RetryRefused(ValueError):
    """A retry that must not happen, with the reason to show."""


def retry(email_id: int, *, actor: str = "system") -> OutboxEmail:
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
    audit.record("email.retry", actor=actor, target_type="outbox_email", target_id=email.id)
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
        "stale": len(stale_claims()),
        "due": db.session.scalar(select(func.count(OutboxEmail.id)).where(_due(utcnow()))) or 0,
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
