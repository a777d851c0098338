"""The demo's tickets and exit interviews are stored the way real ones are: redacted before anything
is kept, by the same code (tickets.import_records, interviews.record). Redaction loads spaCy's small
model (marked slow)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.models import Conversation, DepartedCustomer

pytestmark = pytest.mark.slow


def _details(customer: DepartedCustomer) -> list[str]:
    """What would identify the customer: each part of the name, the email, the phone."""
    parts = (customer.name or "").split() + [customer.email or "", customer.phone or ""]
    return [p for p in parts if p]


def test_demo_tickets_and_interviews_go_through_the_redaction_and_the_pages_show_them_redacted(
    db, client, login, demo
):
    """The demo stored its tickets' messages as written ("[PERSON]" typed into the agent's reply),
    past the redaction every imported ticket and recorded interview goes through: it now writes
    them as people do, names, phones and addresses included, and they come out redacted, on the
    conversation pages too (one load of the demo for both; the ``demo`` fixture records what the
    load sent through ``redaction.redact_all`` and what came out: tests/app/demo/conftest.py)."""
    redacted = demo.redacted

    conversations = db.session.scalars(select(Conversation).order_by(Conversation.id)).all()
    kinds = [c.kind for c in conversations]
    assert kinds.count("interview") == 3 and kinds.count("ticket") > 20
    came_out = {out for _, out in redacted}
    stored = [c.redacted_text for c in conversations if c.kind == "interview"]
    stored += [t for c in conversations for t in (c.subject, *(m.body_redacted for m in c.messages)) if t]
    assert set(stored) <= came_out, "a demo text was stored without going through the redaction"

    went_in = "\n".join(text for text, _ in redacted)
    for conversation in conversations:
        details = _details(conversation.customer)
        kept = "\n".join(
            [conversation.subject or "", conversation.redacted_text or ""]
            + [m.body_redacted for m in conversation.messages]
        )
        assert any(d in went_in for d in details), "the demo writes the person's details"
        assert not [d for d in details if d in kept], (conversation.kind, kept)
    agents = [m.body_redacted for c in conversations for m in c.messages if m.author_role == "agent"]
    assert agents and all(a.startswith("Hi [PERSON],") for a in agents)
    customers = [m.body_redacted for c in conversations for m in c.messages if m.author_role == "customer"]
    assert any("[PHONE]" in m for m in customers) and any("[EMAIL]" in m for m in customers)
    assert all(c.origin == "demo" for c in conversations)

    # the conversation pages show them redacted
    people = db.session.scalars(
        select(DepartedCustomer).where(DepartedCustomer.id.in_(select(Conversation.customer_id)))
    ).all()
    login("cx")
    shown = client.get("/dashboard/conversations").get_data(as_text=True)
    shown += client.get("/dashboard/interviews").get_data(as_text=True)
    assert "[PERSON]" in shown
    for person in people:  # the Customer column names them; their words never do
        for detail in filter(None, (person.email, person.phone)):
            assert detail not in shown
