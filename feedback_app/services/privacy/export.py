"""Export of everything held about a person, as JSON-ready data (a data subject's access request),
for ``flask customers export`` and the admin page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.logsafety import mask_link_tokens
from feedback_app.models import FollowUp, OutboxEmail, ThemeAssignment, utcnow
from feedback_app.services.accounts import audit
from feedback_app.services.conversations import privacy as conversation_privacy
from feedback_app.services.privacy.people import normalise_email, require_customers


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_person(email: str, *, actor: str = "cli", actor_user_id: int | None = None) -> dict[str, Any]:
    """Everything held about the person with this email, as JSON-ready data (an access request)."""
    customers = require_customers(email)
    records = []
    for customer in customers:
        invitations = []
        for invitation in customer.invitations:
            response = invitation.response
            invitations.append(
                {
                    "survey": invitation.survey.key,
                    "status": invitation.status,
                    **{
                        name: _iso(getattr(invitation, name))
                        for name in (
                            "created_at",
                            "sent_at",
                            "reminded_at",
                            "opened_at",
                            "completed_at",
                            "opted_out_at",
                            "expires_at",
                        )
                    },
                    "response": None
                    if response is None
                    else {
                        "submitted_at": _iso(response.submitted_at),
                        "edited_at": _iso(response.edited_at),
                        "answers": response.answers,
                        "redacted_text": response.redacted_text,
                        "sentiment": response.sentiment,
                        "text_purged_at": _iso(response.text_purged_at),
                        "themes": sorted(
                            {
                                a.theme.display_label
                                for a in db.session.scalars(
                                    select(ThemeAssignment).where(ThemeAssignment.response_id == response.id)
                                )
                            }
                        ),
                        "follow_ups": [
                            {"reason": f.reason, "handled_at": _iso(f.handled_at), "note": f.note}
                            for f in db.session.scalars(
                                select(FollowUp).where(FollowUp.response_id == response.id)
                            )
                        ],
                    },
                }
            )
        emails = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.customer_id == customer.id).order_by(OutboxEmail.id)
        )
        records.append(
            {
                "customer": {
                    name: _iso(getattr(customer, name))
                    for name in (
                        "source",
                        "external_id",
                        "email",
                        "phone",
                        "name",
                        "company",
                        "plan",
                        "segment",
                        "monthly_revenue_cents",
                        "lifetime_value_cents",
                        "tenure_months",
                        "left_at",
                        "churn_type",
                        "contact_consent",
                        "opted_out",
                        "opted_out_at",
                        "email_bounced_at",
                        "returned_at",
                        "created_at",
                    )
                },
                "invitations": invitations,
                "conversations": conversation_privacy.export(customer),
                "emails": [
                    {
                        "kind": e.kind,
                        "to": e.recipient,
                        "subject": e.subject,
                        "body_text": mask_link_tokens(e.body_text),
                        "status": e.status,
                        "sent_at": _iso(e.sent_at),
                        "created_at": _iso(e.created_at),
                    }
                    for e in emails
                ],
            }
        )
    audit.record(
        "customer.export",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="departed_customer",
        target_id=",".join(str(c.id) for c in customers)[:64],
        records=len(records),
    )
    db.session.commit()
    return {"email": normalise_email(email), "exported_at": _iso(utcnow()), "records": records}
