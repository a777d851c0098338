"""Demo tickets and exit interviews for Brightloop (fictional): most customers who left over support
had a complaint still open, or closed without resolution, when they left.

They are written as people write them, names, phone numbers and addresses included, and stored the
way real ones are (``tickets.import_records``, ``interviews.record``): redacted before anything is
kept, so the demo shows what the redaction does and never a person's details.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response
from feedback_app.services.conversations import interviews, tickets
from feedback_app.services.conversations.records import MessageRecord, TicketRecord

ORIGIN = "demo"

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
#: The agent's reply greets the customer by first name, as help desks do.
AGENT = "Hi {first}, thanks for reaching out. We have passed this to the team."
#: The customer signs with how to reach them and their name.
SIGNED = "{body} You can reach me at {contact}.\n{name}"
INTERVIEWER = "Priya (CX)"
#: The interviewer's notes name the customer.
NOTES = "Spoke with {first} for twenty minutes. {notes}"
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


def _first_name(customer: DepartedCustomer) -> str:
    return (customer.name or "").split(" ")[0]


def _ticket(customer: DepartedCustomer, rng: random.Random, reason: str) -> TicketRecord:
    """One ticket of ``customer``'s, opened before they left, in the customer's and the agent's words."""
    subject, body = rng.choice(TICKETS[reason])
    opened = customer.left_at - timedelta(days=rng.randint(10, 60))
    outcome = rng.random()
    status, resolution, closed = "open", None, None  # still open when they left
    if outcome >= 0.45:  # closed: without resolution most of the time
        status, resolution = "closed", "unresolved" if outcome < 0.8 else "resolved"
        closed = _at(opened + timedelta(days=rng.randint(2, 8)), 17)
    return TicketRecord(
        ticket_id=f"demo-{customer.id}",
        customer_ref=customer.external_id,
        created_at=_at(opened, 9),
        status=status,
        resolution=resolution,
        closed_at=closed,
        subject=subject,
        messages=[
            MessageRecord(
                "customer",
                SIGNED.format(body=body, contact=customer.phone or customer.email, name=customer.name or ""),
                _at(opened, 9),
            ),
            MessageRecord("agent", AGENT.format(first=_first_name(customer))),
        ],
        where=f"demo ticket {customer.external_id}",
    )


def add(seed: int = 7) -> int:
    """Add tickets and interviews to the demo customers who answered; returns how many."""
    rng = random.Random(seed)
    rows = db.session.execute(
        select(DepartedCustomer, Response.answers)
        .join(Invitation, Invitation.customer_id == DepartedCustomer.id)
        .join(Response, Response.invitation_id == Invitation.id)
        .order_by(DepartedCustomer.id)
    ).all()
    records: list[TicketRecord] = []
    notes: list[tuple[DepartedCustomer, str]] = []
    left = list(INTERVIEWS)
    for customer, answers in rows:
        reason = (answers or {}).get("main_reason")
        if reason in TICKETS and rng.random() < 0.85:
            records.append(_ticket(customer, rng, reason))
        match = next((i for i in left if i[0] == reason), None)
        if match is not None and customer.email:
            left.remove(match)
            notes.append((customer, match[1]))
    report = tickets.import_records(records, origin=ORIGIN, actor="demo")
    for customer, text in notes:
        interviews.record(
            customer,
            interviewer=INTERVIEWER,
            held_on=min(customer.left_at + timedelta(days=12), date.today()),
            notes=NOTES.format(first=_first_name(customer), notes=text),
            actor="demo",
            origin=ORIGIN,
        )
    return report.created + len(notes)
