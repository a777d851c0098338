"""What must never be sent: checked at send time (and before a retry), after the email was queued."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import Select, func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, OutboxEmail, Response, Survey
from feedback_app.services.billing.feedback import SURVEY_KEY as BILLING_SURVEY_KEY
from feedback_app.services.outreach.people import address_key

#: Invitation states in which no more email about that invitation may go out.
CLOSED_INVITATION_STATES = ("completed", "opted_out", "bounced", "revoked")

#: Email kinds written to someone because they left: none may reach a customer who came back. An
#: interview invitation is not one of them: staff invite one person on purpose, told on the page
#: when that customer came back (``conversations/interviews.py``, ``CameBack``).
FOR_THOSE_WHO_LEFT = ("invitation", "reminder", "winback", "cpr_offer")

#: Kept in an interview invitation's ``headers`` (never sent: not in ``ALLOWED_EXTRA_HEADERS``): the
#: day of the return staff confirmed when they invited a customer who had come back. A return
#: recorded after the invitation was queued (billing webhook, API, import) was never confirmed, so
#: the invitation is not sent.
CAME_BACK_CONFIRMED = "X-Afterword-Came-Back-Confirmed"

#: The email kinds about an exit survey: ``SKIP_SURVEY_WHEN_BILLING_REASON`` stops them for a
#: customer who gave a reason in the billing cancel form, queued before that reason came in too.
SURVEY_EMAILS = ("invitation", "reminder")
#: Why such an email is not sent (``not sent: ...``), the words of the invitation page's skip reason.
BILLING_REASON_GIVEN = "gave a reason in the billing cancel form"


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


def address_opted_out(address: str) -> bool:
    """True when any customer with this address opted out. The opt-out is the person's, not one
    customer row's: the same person stored again under another source (a billing provider's event
    after a CSV export of the same cancellation) or another id must not be written to either."""
    return bool(
        db.session.scalar(
            select(func.count(DepartedCustomer.id)).where(
                func.lower(DepartedCustomer.email) == address.strip().lower(),
                DepartedCustomer.opted_out.is_(True),
            )
        )
    )


def opted_out_addresses() -> set[str]:
    """Every opted-out customer's address in lower case, for checking many customers at once."""
    return set(
        db.session.scalars(
            select(func.lower(func.trim(DepartedCustomer.email))).where(
                DepartedCustomer.opted_out.is_(True), DepartedCustomer.email.is_not(None)
            )
        )
    )


def returns_by_address(only: str | None = None) -> dict[str, date]:
    """Each address's latest return (``returned_at``) over its customer rows, in lower case, for
    checking many customers at once (:func:`came_back_as_another_row`); ``only``: that address's."""
    address = func.lower(func.trim(DepartedCustomer.email))
    query = (
        select(address, func.max(DepartedCustomer.returned_at))
        .where(DepartedCustomer.returned_at.is_not(None), DepartedCustomer.email.is_not(None))
        .group_by(address)
    )
    if only is not None:
        query = query.where(address == address_key(only))
    return {key: returned for key, returned in db.session.execute(query)}


def came_back_as_another_row(email: str | None, left_at: date, returns: dict[str, date]) -> bool:
    """Whether the person came back, as any of their customer rows, since this row's departure
    (``returns``: :func:`returns_by_address`): the billing provider's row records the new
    subscription while the CSV row of the same cancellation does not, and a win-back offer to it
    would reach a paying customer. A return before ``left_at`` was followed by this departure."""
    returned = returns.get(address_key(email)) if email else None
    return returned is not None and returned >= left_at


def billing_answered_query() -> Select[int]:
    """The ids of customers who gave a reason (a picked code or their words) in their billing
    provider's cancel form (``billing/feedback.py``: a response to the built-in
    ``billing_cancellation`` survey). The reason is the person's, as an opt-out is: another
    customer row with the same address (the CSV export of the cancellation the provider's webhook
    reported) is in it too."""
    answered = (
        select(Invitation.customer_id)
        .join(Survey, Invitation.survey_id == Survey.id)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(Survey.key == BILLING_SURVEY_KEY)
    )
    addresses = select(func.lower(DepartedCustomer.email)).where(
        DepartedCustomer.id.in_(answered), DepartedCustomer.email.is_not(None)
    )
    return select(DepartedCustomer.id).where(
        DepartedCustomer.id.in_(answered) | func.lower(DepartedCustomer.email).in_(addresses)
    )


def billing_answered(customer_ids: Iterable[int] | None = None) -> set[int]:
    """Customers in :func:`billing_answered_query` when ``SKIP_SURVEY_WHEN_BILLING_REASON`` is on;
    always empty when it is off (then they are surveyed like everyone else)."""
    if not current_app.config.get("SKIP_SURVEY_WHEN_BILLING_REASON"):
        return set()
    query = billing_answered_query()
    if customer_ids is not None:
        query = query.where(DepartedCustomer.id.in_(list(customer_ids)))
    return set(db.session.scalars(query))


def _billing_reason_given(email: OutboxEmail) -> bool:
    """A survey email (not one about the billing form's own survey) to a customer who has given a
    reason in the billing cancel form since it was queued, with ``SKIP_SURVEY_WHEN_BILLING_REASON`` on."""
    if email.kind not in SURVEY_EMAILS or email.customer_id is None:
        return False
    if not billing_answered([email.customer_id]):
        return False
    invitation = db.session.get(Invitation, email.invitation_id) if email.invitation_id else None
    survey = db.session.get(Survey, invitation.survey_id) if invitation is not None else None
    return survey is None or survey.key != BILLING_SURVEY_KEY


def opted_out_as_another_row(email: str | None, opted_out: set[str]) -> bool:
    """Whether ``email`` opted out as any customer row (``opted_out``: :func:`opted_out_addresses`,
    read once for a list), so that the lists of whom to write to leave out the person whose
    other row opted out, as the send would (``suppression_reason``: "address opted out")."""
    return bool(email) and address_key(email) in opted_out


def suppression_reason(email: OutboxEmail) -> str | None:
    """Why this email must not go out now (checked at send time, after it was queued)."""
    customer = db.session.get(DepartedCustomer, email.customer_id) if email.customer_id else None
    if customer is not None:
        if customer.erased_at is not None:
            return "customer erased"
        if customer.opted_out:
            return "customer opted out"
        if customer.returned_at is not None and email.kind in FOR_THOSE_WHO_LEFT:
            return "customer came back"
        if (
            email.kind in FOR_THOSE_WHO_LEFT
            and customer.email
            and came_back_as_another_row(
                customer.email, customer.left_at, returns_by_address(only=customer.email)
            )
        ):
            return "customer came back (recorded on another customer row with the same address)"
        if (
            customer.returned_at is not None
            and email.kind == "interview"
            and (email.headers or {}).get(CAME_BACK_CONFIRMED) != customer.returned_at.isoformat()
        ):
            return (
                f"customer came back on {customer.returned_at.isoformat()}, after the invitation was queued"
            )
    # The address-wide opt-out is about emails to departed customers (every one names its
    # customer); one to staff (the digest, a test send) goes even when that person once opted out
    # as a customer, e.g. trying the survey with their own address. A bounce stops both.
    if email.customer_id is not None and address_opted_out(email.recipient):
        return "address opted out"
    if address_bounced(email.recipient):
        return "address bounced earlier"
    invitation = db.session.get(Invitation, email.invitation_id) if email.invitation_id else None
    if invitation is not None and invitation.status in CLOSED_INVITATION_STATES:
        return f"invitation {invitation.status.replace('_', ' ')}"
    if _billing_reason_given(email):
        return BILLING_REASON_GIVEN
    if email.kind == "interview" and _newer_interview_invitation(email):
        return "a newer invitation to an interview replaced it"
    return None


def _newer_interview_invitation(email: OutboxEmail) -> bool:
    """Whether the customer was invited to an interview again after this invitation (inviting again
    after a failed email cancels that interview): the old one, retried, would go out beside it."""
    if email.customer_id is None:
        return False
    return (
        db.session.scalar(
            select(OutboxEmail.id)
            .where(
                OutboxEmail.kind == "interview",
                OutboxEmail.customer_id == email.customer_id,
                OutboxEmail.id > email.id,
            )
            .limit(1)
        )
        is not None
    )
