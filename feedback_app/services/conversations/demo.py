"""Demo tickets and exit interviews for Brightloop (fictional): most customers who left over support
had a complaint still open, or closed without resolution, when they left."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Conversation, ConversationMessage, DepartedCustomer, Invitation, Response

TICKETS = {
    "poor_support": [
        ("Still waiting on a reply", "We reported the sync problem two weeks ago and nobody has replied."),
        ("Ticket closed without an answer", "Support closed my ticket but the problem is not fixed."),
        ("Escalation please", "Third time asking: the import fails and support keeps sending the same link."),
    ],
    "billing_problem": [
        ("Charged twice", "We were charged twice this month and the refund has not arrived."),
        ("Invoice wrong", "The invoice bills seats we removed in March."),
    ],
}
AGENT = "Thanks for reaching out, [PERSON]. We have passed this to the team."
INTERVIEWS = [
    (
        "poor_support",
        (
            "They waited weeks for support on a broken import and felt nobody owned it. Would come back "
            "for a named support contact."
        ),
    ),
    (
        "bugs_or_outages",
        "Outages during their month-end close cost them a client report; they moved to ClickStack.",
    ),
    ("poor_support", "Support answers were copy-paste; the ticket was closed while the bug was still there."),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def add(seed: int = 7) -> int:
    """Add tickets and interviews to the demo customers who answered; returns how many."""
    rng = random.Random(seed)
    rows = db.session.execute(
        select(DepartedCustomer, Response.answers)
        .join(Invitation, Invitation.customer_id == DepartedCustomer.id)
        .join(Response, Response.invitation_id == Invitation.id)
        .order_by(DepartedCustomer.id)
    ).all()
    added = 0
    interviews = list(INTERVIEWS)
    for customer, answers in rows:
        reason = (answers or {}).get("main_reason")
        if reason in TICKETS and rng.random() < 0.85:
            subject, body = rng.choice(TICKETS[reason])
            opened = customer.left_at - timedelta(days=rng.randint(10, 60))
            outcome = rng.random()
            ticket = Conversation(
                customer_id=customer.id,
                kind="ticket",
                origin="demo",
                external_id=f"demo-{customer.id}",
                subject=subject,
                opened_at=_at(opened, 9),
                redacted_text=f"{subject}\n{body}",
            )
            if outcome < 0.45:  # still open when they left
                ticket.status = "open"
            else:  # closed: without resolution most of the time
                ticket.status, ticket.closed_at = (
                    "closed",
                    _at(opened + timedelta(days=rng.randint(2, 8)), 17),
                )
                ticket.resolution = "unresolved" if outcome < 0.8 else "resolved"
            ticket.messages = [
                ConversationMessage(
                    position=0, author_role="customer", sent_at=ticket.opened_at, body_redacted=body
                ),
                ConversationMessage(position=1, author_role="agent", body_redacted=AGENT),
            ]
            db.session.add(ticket)
            added += 1
        match = next((i for i in interviews if i[0] == reason), None)
        if match is not None and customer.email:
            interviews.remove(match)
            db.session.add(
                Conversation(
                    customer_id=customer.id,
                    kind="interview",
                    origin="demo",
                    status="held",
                    opened_at=_at(customer.left_at + timedelta(days=12), 12),
                    interviewer="Priya (CX)",
                    redacted_text=match[1],
                )
            )
            added += 1
    db.session.commit()
    from feedback_app.services.conversations import complaint_queue

    complaint_queue.refresh()
    return added
