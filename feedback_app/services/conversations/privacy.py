"""A person's conversations in access requests and erasure: exported whole, erased whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import ComplaintCase, Conversation, DepartedCustomer


def export(customer: DepartedCustomer) -> list[dict[str, Any]]:
    """The customer's tickets, interviews and portal reasons, with every message (as stored: redacted)."""
    out = []
    for c in db.session.scalars(
        select(Conversation).where(Conversation.customer_id == customer.id).order_by(Conversation.id)
    ):
        out.append(
            {
                "kind": c.kind,
                "origin": c.origin,
                "ticket_id": c.external_id,
                "subject": c.subject,
                "status": c.status,
                "resolution": c.resolution,
                "opened_at": c.opened_at.isoformat(),
                "closed_at": c.closed_at.isoformat() if c.closed_at else None,
                "interviewer": c.interviewer,
                "invitation_note": c.booking_note,
                "text": c.redacted_text,
                "messages": [
                    {
                        "author": m.author_role,
                        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                        "body": m.body_redacted,
                    }
                    for m in c.messages
                ],
            }
        )
    return out


def erase(customer_ids: list[int]) -> tuple[list[str], int]:
    """Delete these customers' conversations (their messages and themes go with them) and complaint
    cases; returns the texts removed (to scrub from quotes and caches) and how many rows went."""
    texts: list[str] = []
    removed = 0
    for conversation in db.session.scalars(
        select(Conversation).where(Conversation.customer_id.in_(customer_ids))
    ):
        texts += [
            t for t in (conversation.redacted_text, conversation.subject, conversation.booking_note) if t
        ]
        texts += [m.body_redacted for m in conversation.messages if m.body_redacted]
        db.session.delete(conversation)
        removed += 1
    for case in db.session.scalars(select(ComplaintCase).where(ComplaintCase.customer_id.in_(customer_ids))):
        db.session.delete(case)
        removed += 1
    return texts, removed
