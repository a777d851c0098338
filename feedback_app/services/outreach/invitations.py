"""Inviting departed customers to a survey, reminding those who have not answered, and
inviting new departures automatically after a per-survey delay.

Each invitation and its outbox email are written in ONE transaction (transactional outbox):
either both exist or neither does. The raw token is generated here and goes only into the
email (its body); the invitation stores its SHA-256. The email's opt-out link is a signed one
that never expires (``emails.links_for``).

Reminders reuse the link from the invitation's earlier email when it is still there and
still matches the stored hash, so the first email's survey link keeps working. When no such email exists (invitations made before this service, or the email row
was purged) the token is rotated: a fresh token, a new hash, and the reminder carries the
only working link. No raw token is ever stored outside an outbox row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import DepartedCustomer, Invitation, OutboxEmail, Response, Survey, utcnow
from feedback_app.services.accounts import audit
from feedback_app.services.billing.feedback import SURVEY_KEY as BILLING_SURVEY_KEY
from feedback_app.services.customers.filters import CustomerFilters, customer_query
from feedback_app.services.outreach.emails import ComposedEmail, compose, token_in
from feedback_app.services.outreach.outbox import queue_email
from feedback_app.services.outreach.suppression import (
    BILLING_REASON_GIVEN,
    address_opted_out,
    billing_answered,
    billing_answered_query,
    opted_out_addresses,
)
from feedback_app.services.outreach.tokens import hash_token, new_token

#: Skip reasons, in the order they are checked and reported.
SKIP_REASONS = (
    "erased",
    "no email address",
    "opted out",
    "email bounced",
    "came back",
    "involuntary departure",
    "not left yet",
    "already invited to this survey",
    "gave a reason in the billing cancel form",
)

#: ``BILLING_REASON_GIVEN`` (suppression.py) is the reason ``SKIP_SURVEY_WHEN_BILLING_REASON`` skips a
#: customer for (see :func:`.suppression.billing_answered`); an email queued before it is cancelled.
BILLING_REASON_NOTE = (
    "SKIP_SURVEY_WHEN_BILLING_REASON is on: their cancel-form reason is analysed as an answer "
    "already; turn it off to invite them too"
)


class InvitationError(ValueError):
    """The request cannot be carried out; the message says what to change."""


@dataclass(frozen=True)
class InvitationFilters:
    """Which departed customers a run considers (all when empty)."""

    left_since: date | None = None
    left_before: date | None = None
    segment: str | None = None
    plan: str | None = None
    include_involuntary: bool = False


@dataclass
class InvitationRun:
    """What a create run found and did."""

    survey_key: str
    dry_run: bool = False
    considered: int = 0
    eligible: int = 0
    created: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: The earliest and latest departure date of the customers skipped as "not left yet".
    waiting_from: date | None = None
    waiting_until: date | None = None

    def wait_for(self, left_at: date) -> None:
        """Count a customer whose departure date is still ahead."""
        self.skipped["not left yet"] += 1
        self.waiting_from = min(self.waiting_from or left_at, left_at)
        self.waiting_until = max(self.waiting_until or left_at, left_at)

    def waiting_text(self) -> str | None:
        """When the customers who have not left yet can be invited, or None when there are none."""
        if self.waiting_from is None or self.waiting_until is None:
            return None
        if self.waiting_from == self.waiting_until:
            return f"they leave on {self.waiting_from.isoformat()}; invite them from that day"
        return (
            f"they leave from {self.waiting_from.isoformat()} to {self.waiting_until.isoformat()}; "
            "invite each from their departure day"
        )

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        text = (
            f"Survey {self.survey_key}: {self.considered} departed customers matched, {self.eligible} eligible, "
            f"{verb} {self.created if not self.dry_run else self.eligible} invitations, "
            f"{sum(self.skipped.values())} skipped."
        )
        reasons = [
            f"  skipped, {reason}: {self.skipped[reason]}" for reason in SKIP_REASONS if self.skipped[reason]
        ]
        if waiting := self.waiting_text():
            reasons.append(f"  ({waiting})")
        if self.skipped[BILLING_REASON_GIVEN]:
            reasons.append(f"  ({BILLING_REASON_NOTE})")
        return "\n".join([text, *reasons])


@dataclass
class ReminderRun:
    """What a remind run queued."""

    queued: int = 0
    reused_links: int = 0
    rotated_links: int = 0
    invitation_ids: list[int] = field(default_factory=list)


# -- eligibility ------------------------------------------------------------------------------


def get_survey(key: str) -> Survey:
    """The survey with this key, or an error naming the keys that exist."""
    survey = db.session.scalar(select(Survey).where(Survey.key == key))
    if survey is None:
        known = ", ".join(db.session.scalars(select(Survey.key).order_by(Survey.key))) or "none yet"
        raise InvitationError(f"No survey with key {key!r}. Known surveys: {known}.")
    if not survey.active:
        raise InvitationError(f"Survey {key!r} is not active; activate it before inviting anyone.")
    return survey


def active_surveys() -> list[Survey]:
    """Surveys that can take invitations, by key (for forms)."""
    return list(db.session.scalars(select(Survey).where(Survey.active.is_(True)).order_by(Survey.key)))


def _address(customer: DepartedCustomer) -> str:
    """The address to write to; skip_reason() and reminder_candidates() leave out customers without one."""
    if customer.email is None:
        raise InvitationError(f"Customer {customer.id} has no email address.")
    return customer.email.strip()


def _queue(email: ComposedEmail, invitation: Invitation, *, kind: str, key: str) -> None:
    """Queue a survey email to the invitation's customer, linked to both so the outbox can show
    and cancel it (the caller commits)."""
    customer = invitation.customer
    queue_email(
        kind=kind,
        idempotency_key=key,
        recipient=_address(customer),
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        headers=email.headers,
        customer_id=customer.id,
        invitation_id=invitation.id,
    )


def skip_reason(
    customer: DepartedCustomer,
    *,
    invited: bool,
    include_involuntary: bool,
    today: date | None = None,
    billing_reason: bool = False,
    opted_out: set[str] | None = None,
) -> str | None:
    """Why this customer gets no invitation, or None when they are eligible. A departure dated
    ahead (a cancellation at the end of a paid period) waits for its day: "You recently
    cancelled" must not reach someone who is still a customer. An address that opted out as
    another customer row (the same person from another source) is opted out here too;
    ``opted_out`` is :func:`~.suppression.opted_out_addresses` when checking many customers."""
    if customer.erased_at is not None:
        return "erased"
    address = (customer.email or "").strip()
    if not address:
        return "no email address"
    if customer.opted_out:
        return "opted out"
    if address.lower() in opted_out if opted_out is not None else address_opted_out(address):
        return "opted out"
    if customer.email_bounced_at is not None:
        return "email bounced"
    if customer.returned_at is not None:
        return "came back"
    if customer.churn_type == "involuntary" and not include_involuntary:
        return "involuntary departure"
    if customer.left_at > (today or utcnow().date()):
        return "not left yet"
    if invited:
        return "already invited to this survey"
    if billing_reason:
        return BILLING_REASON_GIVEN
    return None


def _matching_customers(
    filters: InvitationFilters, extra: Iterable[ColumnElement[bool]] = ()
) -> list[DepartedCustomer]:
    query = customer_query(
        CustomerFilters(
            left_from=filters.left_since,
            left_before=filters.left_before,
            segment=filters.segment or "",
            plan=filters.plan or "",
        )
    )
    return list(db.session.scalars(query.where(*extra).order_by(DepartedCustomer.id)))


# -- creating ---------------------------------------------------------------------------------


def create_invitations(
    survey_key: str,
    filters: InvitationFilters | None = None,
    *,
    dry_run: bool = False,
    actor: str = "system",
    actor_user_id: int | None = None,
    extra: Iterable[ColumnElement[bool]] = (),
) -> InvitationRun:
    """Invite every eligible matching customer: one invitation + one outbox email each, one commit."""
    filters = filters or InvitationFilters()
    if filters.left_since and filters.left_before and filters.left_since >= filters.left_before:
        raise InvitationError("--left-since must be before --left-before.")
    survey = get_survey(survey_key)
    run = InvitationRun(survey_key=survey.key, dry_run=dry_run)
    customers = _matching_customers(filters, extra)
    invited = set(db.session.scalars(select(Invitation.customer_id).where(Invitation.survey_id == survey.id)))
    run.considered = len(customers)
    gave_billing_reason = billing_answered() if survey.key != BILLING_SURVEY_KEY else set()
    today = utcnow().date()
    opted_out = opted_out_addresses()
    eligible = []
    for customer in customers:
        reason = skip_reason(
            customer,
            invited=customer.id in invited,
            include_involuntary=filters.include_involuntary,
            today=today,
            billing_reason=customer.id in gave_billing_reason,
            opted_out=opted_out,
        )
        if reason == "not left yet":
            run.wait_for(customer.left_at)
        elif reason:
            run.skipped[reason] += 1
        else:
            eligible.append(customer)
    run.eligible = len(eligible)
    if dry_run or not eligible:
        return run
    expires_at = utcnow() + timedelta(days=int(current_app.config["SURVEY_TOKEN_TTL_DAYS"]))
    try:
        for customer in eligible:
            token = new_token()
            invitation = Invitation(
                customer=customer,
                survey=survey,
                token_hash=hash_token(token),
                status="pending",
                expires_at=expires_at,
            )
            db.session.add(invitation)
            db.session.flush()
            email = compose("invitation", customer, survey, token, invitation_id=invitation.id)
            _queue(email, invitation, kind="invitation", key=f"invitation:{survey.id}:{customer.id}")
            run.created += 1
        audit.record(
            "invitations.created",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="survey",
            target_id=survey.id,
            created=run.created,
            skipped=dict(run.skipped),
            filters={k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(filters).items()},
        )
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvitationError(
            "Another run invited some of these customers at the same moment; nothing was "
            "created by this run. Run it again to invite the rest."
        ) from exc
    return run


def invite_customer(
    customer: DepartedCustomer, survey_key: str, *, actor: str = "system", actor_user_id: int | None = None
) -> InvitationRun:
    """Invite one customer (from their page) by the same rules and in the same transaction as a
    run: ``run.created`` is 0 and ``run.skipped`` says why when they may not be invited."""
    return create_invitations(
        survey_key, actor=actor, actor_user_id=actor_user_id, extra=[DepartedCustomer.id == customer.id]
    )


# -- reminders --------------------------------------------------------------------------------


def reminder_candidates(
    after_days: int, max_reminders: int, *, now: datetime | None = None
) -> list[Invitation]:
    """Invitations due a reminder: sent, not completed, not opted out, bounced, erased, come back or
    expired, last email older than ``after_days``, fewer than ``max_reminders`` reminders, none queued.
    With ``SKIP_SURVEY_WHEN_BILLING_REASON`` on, a customer who has given a reason in the billing
    cancel form (before or after the invitation, see :func:`billing_answered`) is not reminded either."""
    now = now or utcnow()
    cutoff = now - timedelta(days=after_days)
    queued = exists().where(
        OutboxEmail.invitation_id == Invitation.id, OutboxEmail.status.in_(("pending", "sending"))
    )
    answered = exists().where(Response.invitation_id == Invitation.id)
    query = (
        select(Invitation)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .join(Survey, Invitation.survey_id == Survey.id)
        .where(
            Invitation.status.in_(("sent", "opened")),
            Invitation.sent_at.is_not(None),
            Invitation.completed_at.is_(None),
            Invitation.opted_out_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.reminder_count < max_reminders,
            or_(Invitation.expires_at.is_(None), Invitation.expires_at > now),
            or_(Invitation.reminded_at.is_(None), Invitation.reminded_at <= cutoff),
            Invitation.sent_at <= cutoff,
            DepartedCustomer.opted_out.is_(False),
            DepartedCustomer.erased_at.is_(None),
            DepartedCustomer.email_bounced_at.is_(None),
            DepartedCustomer.returned_at.is_(None),
            DepartedCustomer.email.is_not(None),
            Survey.active.is_(True),
            ~queued,
            ~answered,
        )
        .order_by(Invitation.id)
    )
    # the opt-out and the billing reason are the person's: any customer row with the address counts
    opted_out_address = select(func.lower(DepartedCustomer.email)).where(
        DepartedCustomer.opted_out.is_(True), DepartedCustomer.email.is_not(None)
    )
    query = query.where(func.lower(DepartedCustomer.email).not_in(opted_out_address))
    if current_app.config.get("SKIP_SURVEY_WHEN_BILLING_REASON"):
        # the same customers (and rows with their address) the send-time check cancels for
        query = query.where(DepartedCustomer.id.not_in(billing_answered_query()))
    return list(db.session.scalars(query))


def _current_token(invitation: Invitation) -> str | None:
    """The raw token from this invitation's latest email, if it still matches the stored hash."""
    bodies = db.session.scalars(
        select(OutboxEmail.body_text)
        .where(OutboxEmail.invitation_id == invitation.id)
        .order_by(OutboxEmail.id.desc())
    )
    for body in bodies:
        token = token_in(body)
        if token and hash_token(token) == invitation.token_hash:
            return token
    return None


def queue_reminders(
    after_days: int | None = None,
    max_reminders: int | None = None,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    actor: str = "system",
) -> ReminderRun:
    """Queue one reminder per due invitation (defaults: REMINDER_AFTER_DAYS, REMINDER_MAX)."""
    config = current_app.config
    after_days = int(config["REMINDER_AFTER_DAYS"] if after_days is None else after_days)
    max_reminders = int(config["REMINDER_MAX"] if max_reminders is None else max_reminders)
    if after_days < 0 or max_reminders < 0:
        raise InvitationError("--after-days and --max-reminders must be zero or more.")
    run = ReminderRun()
    candidates = reminder_candidates(after_days, max_reminders, now=now)
    run.invitation_ids = [invitation.id for invitation in candidates]
    if dry_run:
        run.queued = len(candidates)
        return run
    seen = [(invitation.id, invitation.reminder_count) for invitation in candidates]
    for invitation_id, reminders in seen:
        # Each reminder (its token, count and email) is committed on its own: one that cannot be
        # written is left for the next run and does not stop the others. A count that moved since
        # the candidates were read is a run beside this one that reminded it: not again.
        try:
            invitation = db.session.get(Invitation, invitation_id)
            if invitation is None or invitation.reminder_count != reminders:
                continue
            reused = _queue_reminder(invitation, max_reminders, now or utcnow())
            db.session.commit()
        except IntegrityError:  # a run beside this one queued it first
            db.session.rollback()
            continue
        except Exception:
            db.session.rollback()
            current_app.logger.exception(
                "reminder for invitation %s not queued; the next run tries again", invitation_id
            )
            continue
        run.queued += 1
        if reused:
            run.reused_links += 1
        else:
            run.rotated_links += 1
    if run.queued:
        audit.record("invitations.reminded", actor=actor, queued=run.queued)
        db.session.commit()
    return run


def _queue_reminder(invitation: Invitation, max_reminders: int, now: datetime) -> bool:
    """Queue one reminder (the caller commits); True when it reuses the invitation email's link."""
    token = _current_token(invitation)
    reused = token is not None
    if token is None:
        token = new_token()
        invitation.token_hash = hash_token(token)
    invitation.reminder_count += 1
    invitation.reminded_at = now
    email = compose(
        "reminder",
        invitation.customer,
        invitation.survey,
        token,
        last_reminder=invitation.reminder_count >= max_reminders,
        invitation_id=invitation.id,
    )
    _queue(email, invitation, kind="reminder", key=f"reminder:{invitation.id}:{invitation.reminder_count}")
    return reused


# -- automatic invitations --------------------------------------------------------------------


def set_auto_invite(survey_key: str, hours: int | None, *, actor: str) -> Survey:
    """Invite this survey's new departures ``hours`` after they are recorded (None: stop); the
    delay must fall inside AUTO_INVITE_LOOKBACK_DAYS, or nobody would ever be invited."""
    survey = get_survey(survey_key)
    lookback_hours = int(current_app.config["AUTO_INVITE_LOOKBACK_DAYS"]) * 24
    if hours is not None and not 0 <= hours < lookback_hours:
        raise InvitationError(
            f"--after-hours must be from 0 to {lookback_hours - 1}: departures recorded more than "
            f"AUTO_INVITE_LOOKBACK_DAYS ({lookback_hours // 24}) days ago are never invited automatically."
        )
    survey.auto_invite_delay_hours = hours
    audit.record(
        "survey.auto_invite", actor=actor, target_type="survey", target_id=survey.id, after_hours=hours
    )
    db.session.commit()
    return survey


def auto_invite(*, now: datetime | None = None, actor: str = "auto-invite") -> list[InvitationRun]:
    """Invite departures recorded at least ``Survey.auto_invite_delay_hours`` ago and whose
    departure day is that long past too, for every active survey that sets a delay.

    A cancellation scheduled for the end of a paid period is recorded weeks before its day: it
    waits for that day, and the AUTO_INVITE_LOOKBACK_DAYS window counts from whichever came later,
    the record or the departure day, so it is not left behind as "recorded too long ago".
    """
    now = now or utcnow()
    lookback = now - timedelta(days=int(current_app.config["AUTO_INVITE_LOOKBACK_DAYS"]))
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.active.is_(True), Survey.auto_invite_delay_hours.is_not(None))
        .order_by(Survey.key)
    )
    runs = []
    for key, delay in [(survey.key, survey.auto_invite_delay_hours) for survey in surveys]:
        ready_before = now - timedelta(hours=max(0, delay or 0))
        try:
            runs.append(
                create_invitations(
                    key,
                    actor=actor,
                    extra=(
                        DepartedCustomer.created_at <= ready_before,
                        DepartedCustomer.left_at <= ready_before.date(),
                        or_(
                            DepartedCustomer.created_at >= lookback,
                            DepartedCustomer.left_at >= lookback.date(),
                        ),
                    ),
                )
            )
        except Exception:  # nothing of this survey was written; the other surveys still invite
            db.session.rollback()
            current_app.logger.exception("auto-invite for survey %s failed; the next run tries again", key)
    return runs


def kick_auto_invite() -> None:
    """After a departure is recorded (a billing webhook): start the auto-invite job when a survey
    invites automatically, so a delay of 0 invites at once; scheduled runs catch the rest."""
    automatic = select(Survey.id).where(Survey.active.is_(True), Survey.auto_invite_delay_hours.is_not(None))
    if db.session.scalar(automatic.limit(1)) is None:
        return
    from feedback_app.jobs import enqueue

    try:
        enqueue("invitations.auto_invite")
    except Exception:  # the departure is committed; the scheduled run invites them
        current_app.logger.exception("could not start the auto-invite job; the next scheduled run will")


# -- jobs -------------------------------------------------------------------------------------


@job("outbox.reminders")
def reminders_job() -> dict[str, Any]:
    """Scheduled: queue due reminders, then deliver them."""
    run = queue_reminders(actor="job")
    _deliver_soon()
    return {"queued": run.queued}


@job("invitations.auto_invite")
def auto_invite_job() -> dict[str, Any]:
    """Scheduled or after a webhook: invite departures whose survey delay has passed, then deliver."""
    runs = auto_invite()
    if any(run.created for run in runs):
        _deliver_soon()
    return {run.survey_key: run.created for run in runs}


def _deliver_soon() -> None:
    from feedback_app.jobs import enqueue

    enqueue("outbox.deliver")
