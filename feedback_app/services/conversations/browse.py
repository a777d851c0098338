"""The conversations list of the dashboard (tickets, interviews and portal reasons, newest first)
and one conversation's page."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import Conversation, DepartedCustomer, Theme
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.conversations.analysis_feed import current_themes

KIND_NAMES = {
    "ticket": N_("Support ticket"),
    "interview": N_("Exit interview"),
    "billing_portal": N_("Billing-portal reason"),
}
ORIGIN_NAMES = {
    "csv": N_("CSV file"),
    "zendesk": N_("Zendesk"),
    "intercom": N_("Intercom"),
    "dashboard": N_("Dashboard"),
    "stripe": N_("Stripe"),
    "demo": N_("Demo data"),
}
STATUS_NAMES = {
    "open": N_("Open"),
    "closed": N_("Closed"),
    "scheduled": N_("Scheduled"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
    "given": N_("Given"),
}


def list_conversations(
    *, kind: str | None = None, customer_id: int | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Pagination:
    """One page of conversations (a Flask-SQLAlchemy pagination), each with its customer loaded
    from the same join: the list names every row's customer, so one query each would grow with
    the page."""
    query = (
        select(Conversation)
        .join(Conversation.customer)
        .options(contains_eager(Conversation.customer))
        .where(DepartedCustomer.erased_at.is_(None))
        .order_by(Conversation.opened_at.desc(), Conversation.id.desc())
    )
    if kind in KIND_NAMES:
        query = query.where(Conversation.kind == kind)
    if customer_id is not None:
        query = query.where(Conversation.customer_id == customer_id)
    return paginate(query, page, per_page)


def customer_words(conversation: Conversation) -> str:
    """The customer's words without the subject line the analysis reads before them: the list shows
    the subject in its own column, and the two ran together ("Charged twice We were charged ...")."""
    text = conversation.redacted_text or ""
    subject = (conversation.subject or "").strip()
    first, _, rest = text.partition("\n")
    return rest.strip() if subject and first.strip() == subject and rest.strip() else text


AUTHOR_NAMES = {"customer": N_("Customer"), "agent": N_("Agent")}


@dataclass(frozen=True)
class ConversationView:
    """One conversation as its page shows it: the redacted words only (as the list and the
    analysis read them), and the theme it counts toward now."""

    conversation: Conversation
    customer: DepartedCustomer
    #: The customer's words (redacted), without the subject line; '' when none are recorded yet.
    text: str
    #: The theme it counts toward now (a human move, else the latest run), or None.
    theme: Theme | None
    #: How many conversations the customer has: the page links to the list of all of them.
    customer_conversations: int


def conversation_view(conversation_id: int) -> ConversationView | None:
    """One conversation with its customer, messages and theme; None when there is no such
    conversation or its customer was erased (the list leaves those out too)."""
    found = db.session.execute(
        select(Conversation, DepartedCustomer)
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(Conversation.id == conversation_id, DepartedCustomer.erased_at.is_(None))
        .options(selectinload(Conversation.messages))
    ).one_or_none()
    if found is None:
        return None
    conversation, customer = found
    count = db.session.scalar(
        select(func.count(Conversation.id)).where(Conversation.customer_id == customer.id)
    )
    return ConversationView(
        conversation,
        customer,
        customer_words(conversation),
        current_themes([conversation.id]).get(conversation.id),
        int(count or 0),
    )
