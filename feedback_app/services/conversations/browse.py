"""The conversations list of the dashboard: tickets, interviews and portal reasons, newest first."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.i18n import N_
from feedback_app.models import Conversation, DepartedCustomer
from feedback_app.pagination import paginate

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
    *, kind: str | None = None, customer_id: int | None = None, page: int = 1, per_page: int = 25
) -> Pagination:
    """One page of conversations (a Flask-SQLAlchemy pagination)."""
    query = (
        select(Conversation)
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
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
