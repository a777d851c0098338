"""Exit interviews: invite a departed customer to talk (through the outbox), then record the notes
or transcript, redacted, as a conversation the analysis reads like an answer (source ``interview``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from feedback_app.extensions import db
from feedback_app.jobs import enqueue
from feedback_app.models import Conversation, ConversationAssignment, DepartedCustomer, OutboxEmail, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.actions import close_loop_links
from feedback_app.services.conversations import analysis_feed, redaction
from feedback_app.services.conversations.records import CustomerIndex
from feedback_app.services.outreach import outbox, suppression
from feedback_app.services.outreach.emails import opt_out_headers
from feedback_app.services.outreach.follow_up_language import OPT_OUT, language_of, with_text_footer
from feedback_app.services.validation.text_input import clean_text


class InterviewError(ValueError):
    """An interview that cannot be scheduled or recorded; the message says why."""


class AlreadyInvited(InterviewError):
    """The customer's invitation to an interview is still open (a double-submitted form): nothing
    is sent again."""

    def __init__(self, interview: Conversation, email: str) -> None:
        self.interview = interview
        self.email = email
        sent = interview.invited_at.date().isoformat() if interview.invited_at else ""
        super().__init__(f"{email} was already invited to an interview on {sent}; nothing was sent again.")


class CameBack(InterviewError):
    """The customer came back (``returned_at``): every email written because they left (survey,
    reminder, win-back, CPR offer) skips them, but an interview is one person asking another, and
    what brought them back is worth hearing. So staff are told, and invite them only on purpose."""

    def __init__(self, customer: DepartedCustomer) -> None:
        self.returned_at = customer.returned_at or date.today()
        super().__init__(
            f"{customer.email or customer.external_id} came back on {self.returned_at.isoformat()}: the "
            "invitation asks why they left, so ask also what brought them back, and confirm to send it."
        )


def open_invitation(customer: DepartedCustomer) -> Conversation | None:
    """The customer's interview invited and not yet held or cancelled, if any."""
    return db.session.scalar(
        select(Conversation)
        .where(
            Conversation.customer_id == customer.id,
            Conversation.kind == "interview",
            Conversation.status == "scheduled",
            Conversation.invited_at.is_not(None),
        )
        .order_by(Conversation.id.desc())
        .limit(1)
    )


def _never_reached_them(interview: Conversation) -> bool:
    """Whether the interview's invitation email failed or was cancelled in the outbox (it will not
    be sent), so the invitation is no reason to refuse a new one."""
    sent = invitation_email(interview)
    return sent is not None and sent.status in ("failed", "cancelled")


def _invitation_key(customer_id: int, before_id: int | None) -> str:
    """The outbox key of a customer's interview invitation: per recipient, after their previous
    invitation (``before_id``: the interview's own id when looking it up; ``None`` when inviting, as
    only a held or cancelled one can come before: while one is open, every new invitation gets its
    key, and the outbox's unique key turns away a second request that raced past the check)."""
    previous = db.session.scalar(
        select(func.max(Conversation.id)).where(
            Conversation.customer_id == customer_id,
            Conversation.kind == "interview",
            Conversation.invited_at.is_not(None),
            Conversation.id < before_id if before_id is not None else Conversation.status != "scheduled",
        )
    )
    return f"interview:{customer_id}:after:{previous or 0}"


def find_customer(ref: str) -> DepartedCustomer:
    """The departed customer named by external id or email, or an error saying why not."""
    customer_id, why = CustomerIndex().find((ref or "").strip())
    if customer_id is None:
        raise InterviewError(
            f"Customer: {why}" if ref and ref.strip() else "Customer: give an email or external id."
        )
    customer = db.session.get(DepartedCustomer, customer_id)
    if customer is None:
        raise InterviewError("Customer: no longer on record.")
    return customer


def why_not_emailable(customer: DepartedCustomer) -> str | None:
    if customer.erased_at:
        return "their data was erased"
    if not customer.email:
        return "we have no email address for them"
    if customer.opted_out:
        return "they opted out of our emails"
    if customer.email_bounced_at or suppression.address_bounced(customer.email):
        return "email to them bounced"  # under this record or another with their address
    return None


def booking_link(link: str | None) -> str | None:
    """The booking link trimmed, None when empty; an error unless it is an http(s) address with a
    host: it becomes the button of an email to the customer, where ``javascript:`` or ``data:``
    must never go (the form checks this too, but the service is what every caller goes through)."""
    link = (link or "").strip()
    if not link:
        return None
    try:
        parts = urlsplit(link)
        web = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket
        web = False
    if not web:
        raise InterviewError("Booking link: give a full web address starting with https://.")
    return link


def schedule(
    customer: DepartedCustomer,
    *,
    interviewer: str,
    note: str,
    link: str | None,
    actor: str,
    actor_user_id: int | None = None,
    came_back_ok: bool = False,
) -> Conversation:
    """Queue an invitation to an interview (the note and booking link the business wrote); a
    customer who came back only with ``came_back_ok`` (:class:`CameBack`)."""
    link = booking_link(link)
    reason = why_not_emailable(customer)
    if reason or customer.email is None:  # a missing address is one of the reasons
        raise InterviewError(f"{customer.email or customer.external_id} cannot be invited: {reason}.")
    if customer.returned_at is not None and not came_back_ok:
        raise CameBack(customer)
    email = customer.email
    already = open_invitation(customer)
    replaced = None
    if already is not None:
        if not _never_reached_them(already):
            raise AlreadyInvited(already, email)
        # Nothing else closes an invitation: one whose email failed or was cancelled is cancelled
        # here, so the customer can be invited again (the new one's key follows it); the audit
        # event of the new one names it.
        already.status, replaced = "cancelled", already.id
        db.session.flush()
    key = _invitation_key(customer.id, None)
    note = clean_text(note or "", multiline=True).strip()
    booking = note + (f"\n\nBook a time: {link}" if link else "")
    now = utcnow()
    interview = Conversation(
        customer_id=customer.id,
        kind="interview",
        origin="dashboard",
        status="scheduled",
        opened_at=now,
        interviewer=" ".join(interviewer.split())[:200],
        booking_note=booking,
        invited_at=now,
    )
    db.session.add(interview)
    db.session.flush()
    context = {
        "customer": customer,
        "company": current_app.config["COMPANY_NAME"],
        "note": note,
        "link": link or "",
        "interviewer": interview.interviewer,
    }
    # Their own signed opt-out link, as on every email to customers: the footer and the one-click header.
    opt_out_url = close_loop_links.opt_out_url(customer, "interview")
    with force_locale(language_of(customer)):  # as their survey emails: the same rule, the catalogue
        subject = gettext("Could we talk about why you left %(company)s?", company=context["company"])
        footer, link_text = gettext(OPT_OUT), gettext("opt out")
        body_text = with_text_footer(
            render_template("email/interview.txt", **context), f"{footer} {opt_out_url}"
        )
        body_html = render_template(
            "email/interview.html", **context, footer=footer, opt_out_url=opt_out_url, link_text=link_text
        )
    outbox.queue_email(
        kind="interview",
        idempotency_key=key,
        recipient=customer.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers={
            **opt_out_headers(opt_out_url),
            "X-Afterword-Kind": "interview",
            # The return staff confirmed (never sent): one recorded after this is checked at send time.
            **(
                {suppression.CAME_BACK_CONFIRMED: customer.returned_at.isoformat()}
                if customer.returned_at is not None
                else {}
            ),
        },
        customer_id=customer.id,
    )
    audit.record(
        "interview.schedule",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="conversation",
        target_id=interview.id,
        customer_id=customer.id,
        came_back=customer.returned_at.isoformat() if customer.returned_at else None,
        replaced=replaced,
    )
    customer_id = customer.id
    try:
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once: the first request's invitation holds the key.
        db.session.rollback()
        if db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key)) is None:
            raise
        customer = db.session.get_one(DepartedCustomer, customer_id)
        already = open_invitation(customer)
        if already is None:
            raise
        raise AlreadyInvited(already, email) from None
    enqueue("outbox.deliver")
    return interview


def record(
    customer: DepartedCustomer,
    *,
    interviewer: str,
    held_on: date,
    notes: str,
    actor: str,
    actor_user_id: int | None = None,
    origin: str = "dashboard",
) -> Conversation:
    """Store an interview's notes (redacted first) and queue its root cause and theme; a scheduled
    interview of this customer becomes the held one. ``origin`` says who recorded one not scheduled
    here (the demo's are ``demo``)."""
    text = clean_text(notes or "", multiline=True).strip()
    if not text:
        raise InterviewError("Notes: write the notes or paste the transcript.")
    if held_on > date.today():
        raise InterviewError("Date of the interview: it cannot be in the future.")
    interview = db.session.scalar(
        select(Conversation)
        .where(
            Conversation.customer_id == customer.id,
            Conversation.kind == "interview",
            Conversation.status == "scheduled",
        )
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    if interview is None:
        interview = Conversation(customer_id=customer.id, kind="interview", origin=origin)
        db.session.add(interview)
    else:
        db.session.execute(
            delete(ConversationAssignment).where(ConversationAssignment.conversation_id == interview.id)
        )
    interview.status = "held"
    interview.interviewer = " ".join(interviewer.split())[:200]
    interview.opened_at = datetime.combine(held_on, time(12, 0), tzinfo=UTC)
    interview.redacted_text = redaction.redact(text)
    db.session.flush()
    audit.record(
        "interview.record",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="conversation",
        target_id=interview.id,
        customer_id=customer.id,
        held_on=held_on.isoformat(),
    )
    db.session.commit()
    analysis_feed.queue_assignment([interview.id])
    return interview


def invitation_email(interview: Conversation) -> OutboxEmail | None:
    keys = [f"interview:{interview.id}"]  # invitations queued before keys were per recipient
    if interview.invited_at is not None:
        keys.append(_invitation_key(interview.customer_id, interview.id))
    return db.session.scalar(select(OutboxEmail).where(OutboxEmail.idempotency_key.in_(keys)).limit(1))


def invitation_emails(shown: Sequence[Conversation]) -> dict[int, OutboxEmail]:
    """Each listed interview's invitation email (as :func:`invitation_email`) by interview id, in
    two queries however many are listed: the list page asked per row."""
    customers = {c.customer_id for c in shown if c.invited_at is not None}
    keys: dict[int, list[str]] = {c.id: [f"interview:{c.id}"] for c in shown}
    previous: dict[int, int] = {}
    for interview_id, customer_id in db.session.execute(
        select(Conversation.id, Conversation.customer_id)
        .where(
            Conversation.customer_id.in_(customers),
            Conversation.kind == "interview",
            Conversation.invited_at.is_not(None),
        )
        .order_by(Conversation.id)
    ):
        if interview_id in keys:
            keys[interview_id].append(f"interview:{customer_id}:after:{previous.get(customer_id, 0)}")
        previous[customer_id] = interview_id
    wanted = [key for each in keys.values() for key in each]
    found = {
        email.idempotency_key: email
        for email in db.session.scalars(select(OutboxEmail).where(OutboxEmail.idempotency_key.in_(wanted)))
    }
    return {
        interview_id: email
        for interview_id, each in keys.items()
        if (email := next((found[key] for key in each if key in found), None)) is not None
    }


def list_interviews(*, page: int = 1, per_page: int = 25) -> Pagination:
    """Interviews, newest first (a Flask-SQLAlchemy pagination), each with its customer loaded."""
    query = (
        select(Conversation)
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .options(contains_eager(Conversation.customer))
        .where(Conversation.kind == "interview", DepartedCustomer.erased_at.is_(None))
        .order_by(Conversation.opened_at.desc(), Conversation.id.desc())
    )
    return paginate(query, page, per_page)
