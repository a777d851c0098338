"""A person's tickets and interviews are in their access export and gone after erasure."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from feedback_app.models import ComplaintCase, Conversation, ConversationMessage, Theme
from feedback_app.services.privacy import erasure, export
from tests.app.insights_data import World


def test_export_includes_and_erasure_removes_conversations(app, make, db):
    world = World(make, db)
    theme = world.theme(
        "t-support",
        "support never answered",
        category="support",
        quotes=["Unique words about my lost invoice and nothing else."],
    )
    person, _ = world.answer(theme, email="zoe@example.org")
    ticket = Conversation(
        customer_id=person.id,
        kind="ticket",
        origin="csv",
        external_id="T-1",
        status="open",
        opened_at=datetime(2026, 9, 1, tzinfo=UTC),
        subject="Lost invoice",
        redacted_text="Unique words about my lost invoice and nothing else.",
    )
    ticket.messages = [
        ConversationMessage(position=0, author_role="customer", body_redacted=ticket.redacted_text),
        ConversationMessage(position=1, author_role="agent", body_redacted="We are on it, [PERSON]."),
    ]
    db.session.add(ticket)
    db.session.flush()
    db.session.add(ComplaintCase(customer_id=person.id, conversation_id=ticket.id, history=[]))
    db.session.commit()
    exported = export.export_person("zoe@example.org")["records"][0]["conversations"]
    assert exported[0]["ticket_id"] == "T-1" and [m["author"] for m in exported[0]["messages"]] == [
        "customer",
        "agent",
    ]
    erasure.erase_person("zoe@example.org")
    assert db.session.scalar(select(func.count(Conversation.id))) == 0
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 0
    assert db.session.scalar(select(func.count(ComplaintCase.id))) == 0
    assert "lost invoice" not in " ".join(db.session.get(Theme, theme.id).quotes)
