"""Where a reason was heard: survey answers, billing-portal reasons, exit interviews, support
tickets. The figures read conversations as facts beside the answers, so a customer who spoke
through several sources still counts once per theme and once per root cause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select

from feedback_app.extensions import db
from feedback_app.models import Conversation, DepartedCustomer
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.conversations.quotes import SOURCE_NAMES

if TYPE_CHECKING:
    from feedback_app.services.insights.metrics import Fact

SOURCES = tuple(SOURCE_NAMES)


def source_name(key: str | None) -> str:
    return SOURCE_NAMES.get(key or "", key or "–")


def conversation_facts(customer_ids: Select[Any], source: str | None) -> list[Fact]:
    """One metrics Fact per analysed conversation of these customers (a subquery of ids), optionally
    of one source, so the figures count what customers said anywhere, not only in the survey."""
    from feedback_app.services.insights.metrics import Fact  # metrics reads this module

    if source == "survey":
        return []
    query = (
        select(
            Conversation.id,
            Conversation.kind,
            Conversation.sentiment,
            Conversation.opened_at,
            DepartedCustomer.id,
            DepartedCustomer.left_at,
            DepartedCustomer.monthly_revenue_cents,
            DepartedCustomer.lifetime_value_cents,
            DepartedCustomer.returned_at,
        )
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(
            DepartedCustomer.id.in_(customer_ids), Conversation.status.in_(analysis_feed.ANALYSED_STATUSES)
        )
        .order_by(Conversation.id)
    )
    if source:
        query = query.where(Conversation.kind == source)
    rows = db.session.execute(query).all()
    themes = analysis_feed.current_themes([r[0] for r in rows]) if rows else {}
    return [
        Fact(
            response_id=0,
            customer_id=cid,
            survey_key="",
            left_at=left,
            submitted_at=opened,
            mrr_cents=mrr or 0,
            ltv_cents=ltv or 0,
            returned=returned is not None,
            score=None,
            sentiment=sentiment,
            theme=themes.get(conv_id),
            source=kind,
        )
        for conv_id, kind, sentiment, opened, cid, left, mrr, ltv, returned in rows
        if conv_id in themes
    ]
