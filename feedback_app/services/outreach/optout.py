"""Opting out: a former customer asks for no further email.

One function for every way in (the survey page's opt-out form, the RFC 8058 one-click POST
an email client sends, an email reply handled by staff), so they all record the same thing:
``customer.opted_out`` with its time, the invitation marked ``opted_out`` and an audit event.
Mail sending must skip customers with ``opted_out`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, utcnow
from feedback_app.services.accounts import audit


@dataclass
class OptOutOutcome:
    customer_id: int
    already: bool  # True when the customer had opted out before this call


def opt_out(
    customer: DepartedCustomer, *, invitation: Invitation | None = None, channel: str = "survey_page"
) -> OptOutOutcome:
    """Opt a customer out of all further email; idempotent (the first time is kept).

    An invitation that was already answered keeps its ``completed`` status (the answer still
    counts), and a revoked one its ``revoked``, but gets ``opted_out_at``; any other invitation
    becomes ``opted_out``.
    """
    now = utcnow()
    already = customer.opted_out
    if not already:
        customer.opted_out = True
        customer.opted_out_at = now
    if invitation is not None:
        if invitation.opted_out_at is None:
            invitation.opted_out_at = now
        if invitation.status not in ("completed", "revoked"):
            invitation.status = "opted_out"
    if not already:
        audit.record(
            "customer.opted_out",
            actor="respondent",
            target_type="departed_customer",
            target_id=customer.id,
            channel=channel,
            invitation_id=invitation.id if invitation is not None else None,
        )
    db.session.commit()
    return OptOutOutcome(customer.id, already)
