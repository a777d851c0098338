"""Staff pages show a customer's words with ``dir="auto"``, as the survey's answer boxes are: an
answer in Arabic or Hebrew then reads right to left (its full stop at its left end) on an English
page, instead of being laid out left to right."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from feedback_app.models import ConversationMessage, FollowUp
from tests.app.customers.detail_data import full_history

ARABIC = "المزامنة فقدت عملنا مرتين."
HEBREW = "הסנכרון איבד את העבודה שלנו."


def _in_dir_auto(page: str, words: str) -> bool:
    """Whether ``words`` start an element marked ``dir="auto"`` (its first text)."""
    return re.search(r'dir="auto"[^>]*>\s*' + re.escape(html.escape(words)), page) is not None


def test_customers_words_are_marked_dir_auto_on_the_staff_pages(client, login, make, db):
    history = full_history(make, db)
    history.response.answers = {**history.response.answers, "what_happened": ARABIC}
    history.response.redacted_text = ARABIC
    history.bugs.quotes = [ARABIC]
    history.ticket.redacted_text = HEBREW
    history.ticket.messages = [ConversationMessage(position=0, author_role="customer", body_redacted=HEBREW)]
    db.session.commit()
    if db.session.scalar(select(FollowUp).where(FollowUp.response_id == history.response.id)) is None:
        db.session.add(FollowUp(response_id=history.response.id, reason="Asks to be contacted"))
        db.session.commit()
    login("admin")

    pages = {
        "theme": client.get(f"/dashboard/themes/{history.bugs.id}"),
        "customer": client.get(f"/dashboard/customers/{history.customer.id}"),
        "conversation": client.get(f"/dashboard/conversations/{history.ticket.id}"),
        "conversations": client.get("/dashboard/conversations"),
        "follow-ups": client.get("/dashboard/follow-ups"),
    }
    words = {"theme": ARABIC, "customer": ARABIC, "conversation": HEBREW, "conversations": HEBREW}
    words["follow-ups"] = ARABIC
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.get_data(as_text=True)
        assert words[name] in html.unescape(page), name
        assert _in_dir_auto(page, words[name]), f"{name}: the words are not in a dir=auto element"
    thread = pages["conversation"].get_data(as_text=True)
    assert f'<p class="said" dir="auto">{html.escape(HEBREW)}</p>' in thread
