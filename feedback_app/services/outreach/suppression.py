"""What must never be sent: checked at send time (and before a retry), after the email was queued."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, OutboxEmail

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
            select(func.lower(DepartedCustomer.email)).where(
                DepartedCustomer.opted_out.is_(True), DepartedCustomer.email.is_not(None)
            )
        )
    )


def opted_out_as_another_row(email: str | None, opted_out: set[str]) -> bool:
    """Whether ``email`` opted out as any customer row (``opted_out``: :func:`opted_out_addresses`,
    read once for a list), so that the lists of whom to write to leave out the person whose
    other row opted out, as the send would (``suppression_reason``: "address opted out")."""
    return bool(email) and (email or "").strip().lower() in opted_out


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
