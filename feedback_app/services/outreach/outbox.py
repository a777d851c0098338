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
message. A Celery worker kills a job that runs past ``CELERY_TASK_TIME_LIMIT`` wherever it is, so
the background job claims new rows only for ``MAIL_RUN_SECONDS`` and leaves the rest pending for
the next run, which it queues itself (a large batch with a rate limit outlasts any time limit). Such rows are reported as "outcome unknown" once their claim is older than
``MAIL_CLAIM_LEASE_SECONDS`` and are resent only when a person asks (``flask outbox requeue``
or the dashboard), never blindly. See docs/email.md. What must never be sent is decided in
:mod:`.suppression`; counts, requeueing and retries are in :mod:`.outbox_admin`.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, case, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job, soft_time_limit
from feedback_app.models import EMAIL_KINDS, DepartedCustomer, Invitation, MailSendSlot, OutboxEmail, utcnow
from feedback_app.services.accounts import audit
from feedback_app.services.mail import PermanentMailError, TransientMailError, Transport, get_transport
from feedback_app.services.mail.message import build_message, new_message_id
from feedback_app.services.outreach.suppression import suppression_reason

MAX_BACKOFF_SECONDS = 6 * 3600
#: How many ``MAIL_TIMEOUT``s one message may take at worst: connect, EHLO, STARTTLS, EHLO, login,
#: MAIL, RCPT, DATA, the body and its reply each wait up to the timeout.
MAIL_TIMEOUTS_PER_MESSAGE = 10


@dataclass
class DeliveryReport:
    """What one deliver run did; ``unreachable`` holds the error when the server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    bounced: int = 0
    cancelled: int = 0
    unreachable: str | None = None
    #: The run stopped claiming because its time budget was spent; due emails may be left.
    out_of_time: bool = False
    #: The run stopped because the shared send slot (``MAIL_RATE_PER_SECOND``) could not be
    #: reserved (a database error); the email in hand went back to the queue unsent.
    slot_error: str | None = None
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


def due_clause(now: datetime) -> ColumnElement[bool]:
    """Pending, and its backoff (if any) has passed."""
    return (OutboxEmail.status == "pending") & or_(
        OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now
    )


def claim_next(worker: str, exclude: set[int] | frozenset[int] = frozenset()) -> OutboxEmail | None:
    """Claim the oldest due pending email for ``worker`` and commit; None when nothing is due."""
    now = utcnow()
    due = select(OutboxEmail.id).where(due_clause(now))
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


# -- the shared send rate ---------------------------------------------------------------------

#: The one :class:`MailSendSlot` row.
SEND_SLOT_ID = 1


def reserve_send_slot(interval: float) -> float:
    """Reserve the next send of all runs together, ``interval`` seconds after the one before, and
    commit; returns when (``time.time()``) this one may go. A single UPDATE moves the shared slot
    on (PostgreSQL locks the row, SQLite takes its write lock), so two runs never get the same
    moment and ``MAIL_RATE_PER_SECOND`` holds however many runs or workers send at once (each run
    spacing only its own sends let two workers send at twice the rate)."""
    for attempt in range(5):
        now = time.time()
        move = (
            update(MailSendSlot)
            .where(MailSendSlot.id == SEND_SLOT_ID)
            .values(
                next_send_at=case((MailSendSlot.next_send_at > now, MailSendSlot.next_send_at), else_=now)
                + interval
            )
            .returning(MailSendSlot.next_send_at)
            .execution_options(synchronize_session=False)
        )
        try:
            reserved = db.session.execute(move).scalar()
            if reserved is None:  # a new database: the first run makes the row
                db.session.execute(insert(MailSendSlot).values(id=SEND_SLOT_ID, next_send_at=now + interval))
                reserved = now + interval
            db.session.commit()
            return float(reserved) - interval
        except (OperationalError, IntegrityError):  # locked past busy_timeout, or another run made the row
            db.session.rollback()
            if attempt == 4:
                raise
            threading.Event().wait(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def wait_for_send_slot(config: Mapping[str, Any]) -> None:
    """Sleep until this run's turn under ``MAIL_RATE_PER_SECOND`` (no wait when it is 0)."""
    rate = float(config.get("MAIL_RATE_PER_SECOND") or 0.0)
    if rate <= 0:
        return
    delay = reserve_send_slot(1.0 / rate) - time.time()
    if delay > 0:
        time.sleep(delay)


# -- outcomes ---------------------------------------------------------------------------------


def backoff_seconds(attempts: int, base: float) -> float:
    """Exponential backoff with jitter: base * 2^(attempts-1), capped, times a random 0.5-1.0."""
    ceiling = min(MAX_BACKOFF_SECONDS, base * (2 ** max(0, attempts - 1)))
    return ceiling * random.uniform(0.5, 1.0)


def release_claim(email: OutboxEmail) -> None:
    """The row is no longer held by a sender."""
    email.claimed_at = None
    email.claimed_by = None


def _mark_sent(email: OutboxEmail) -> None:
    now = utcnow()
    email.status, email.sent_at, email.last_error = "sent", now, None
    release_claim(email)
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
    release_claim(email)
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


def _mark_unsent(email: OutboxEmail, why: str) -> None:
    """Back to pending as it was before the claim: nothing was handed to the server (it could not
    be reached, or the send slot could not be reserved), so the try is not one of the email's
    attempts (an outage longer than the backoffs must not fail emails). Should the database refuse
    this write too, the row stays in ``sending``, shown as "outcome unknown" for a person to requeue."""
    release_claim(email)
    email.status, email.last_error = "pending", why
    email.attempts = max(0, email.attempts - 1)
    email.updated_at = utcnow()
    db.session.commit()


def database_error_text(exc: DBAPIError) -> str:
    """The driver's message, first line only (no SQL, no parameters: they may hold an address)."""
    lines = str(exc.orig).strip().splitlines()
    return (lines[0] if lines else type(exc.orig).__name__)[:300]


def _close_invitation_as_bounced(invitation_id: int | None) -> None:
    invitation = db.session.get(Invitation, invitation_id) if invitation_id else None
    if invitation is not None and invitation.status in ("pending", "sent", "opened"):
        invitation.status = "bounced"


def _mark_permanent(email: OutboxEmail, error: PermanentMailError) -> None:
    """Failed, never retried; a refused recipient suppresses every further email to that address."""
    release_claim(email)
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
    release_claim(email)
    email.status, email.last_error = "cancelled", f"not sent: {reason}"
    db.session.commit()


def message_for(email: OutboxEmail) -> EmailMessage:
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


def deliver(
    limit: int | None = None, transport: Transport | None = None, budget_seconds: float | None = None
) -> DeliveryReport:
    """Send due pending emails, each at most once per run; stop early if the server is unreachable.

    With ``budget_seconds`` no further email is claimed once that long has passed since the run
    began (the first always is, so every run makes progress): the email in hand is always finished
    (sent and marked), the rest stay pending for another run, and ``out_of_time`` says so. A job
    killed by a time limit mid-send would leave its email in doubt ("outcome unknown"); one that
    stops claiming in time leaves none.
    """
    report = DeliveryReport()
    worker = worker_name()
    tried: set[int] = set()
    transport = transport or get_transport(current_app.config)
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    with transport:
        while limit is None or report.processed < limit:
            if deadline is not None and tried and time.monotonic() >= deadline:
                report.out_of_time = True
                break
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
                message = message_for(email)
            except ValueError as exc:  # an address that cannot be written as a header
                _mark_permanent(email, PermanentMailError(f"invalid address: {exc}", bounce=False))
                report.failed += 1
                continue
            email_id, recipient = email.id, email.recipient
            try:
                wait_for_send_slot(current_app.config)
            except DBAPIError as exc:  # the database is locked, unavailable, or lost the slot row
                db.session.rollback()
                report.slot_error = f"the send slot for MAIL_RATE_PER_SECOND could not be reserved: {database_error_text(exc)}"
                _mark_unsent(db.session.get_one(OutboxEmail, email_id), f"not sent yet: {report.slot_error}")
                report.retrying += 1
                report.errors.append(f"{recipient}: {report.slot_error}")
                break
            try:
                transport.send(message)
            except ValueError as exc:  # an address that cannot be written as a header
                _mark_permanent(email, PermanentMailError(f"invalid address: {exc}", bounce=False))
                report.failed += 1
            except TransientMailError as exc:
                report.errors.append(f"{email.recipient}: {exc.reply}")
                if exc.unreachable:
                    _mark_unsent(email, exc.reply)
                    report.retrying += 1
                    report.unreachable = exc.reply
                    break
                if _mark_transient(email, exc):
                    report.retrying += 1
                else:
                    report.failed += 1
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


def run_budget(config: Mapping[str, Any]) -> float:
    """Seconds a background run may claim emails: ``MAIL_RUN_SECONDS``, and on Celery at most what
    leaves one message at its slowest (``MAIL_TIMEOUTS_PER_MESSAGE`` x ``MAIL_TIMEOUT``, and the
    rate limit's wait) before the soft time limit, so the worker never stops a run mid-send."""
    budget = float(config["MAIL_RUN_SECONDS"])
    if config.get("JOB_RUNNER") == "celery":
        rate = float(config.get("MAIL_RATE_PER_SECOND") or 0.0)
        slowest = MAIL_TIMEOUTS_PER_MESSAGE * float(config.get("MAIL_TIMEOUT") or 10.0)
        slowest += 1.0 / rate if rate > 0 else 0.0
        budget = min(budget, soft_time_limit(int(config["CELERY_TASK_TIME_LIMIT"])) - slowest)
    return max(0.0, budget)


@job("outbox.deliver")
def deliver_job(limit: int | None = None) -> dict[str, Any]:
    """Background delivery (after invitations are created, or on a schedule), claiming for at
    most :func:`run_budget` seconds, so Celery's time limit never stops it mid-send; a run that ran
    out of time queues the next one for the rest (beat's periodic run would pick it up too)."""
    report = deliver(limit=limit, budget_seconds=run_budget(current_app.config))
    if report.out_of_time:
        enqueue("outbox.deliver", limit=limit)
    return {
        "sent": report.sent,
        "retrying": report.retrying,
        "failed": report.failed,
        "bounced": report.bounced,
        "cancelled": report.cancelled,
        "unreachable": report.unreachable,
        "out_of_time": report.out_of_time,
        "slot_error": report.slot_error,
    }
