"""/dashboard/conversations/<id>: one ticket or interview as CX staff read it, reached from the
Conversations list and the customer's page; the customer's page lists their newest 20 and links
to all of them, page by page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from feedback_app.models import ConversationMessage
from feedback_app.pagination import PER_PAGE
from feedback_app.services.customers.detail import CONVERSATIONS_SHOWN
from feedback_app.services.privacy.erasure import erase_person
from tests.app.customers.detail_data import INTERVIEW_TEXT, TICKET_SUBJECT, full_history


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_a_ticket_reads_with_its_words_source_theme_and_customer(client, login, make, db):
    history = full_history(make, db)
    history.ticket.messages = [
        ConversationMessage(position=0, author_role="customer", body_redacted="[NAME] here: sync lost it."),
        ConversationMessage(
            position=1,
            author_role="agent",
            body_redacted="Sorry, [PERSON], we are on it.",
            sent_at=datetime(2026, 9, 21, tzinfo=UTC),
        ),
    ]
    db.session.commit()
    login("cx")
    response = client.get(f"/dashboard/conversations/{history.ticket.id}")
    assert response.status_code == 200
    page, text = response.get_data(as_text=True), _text(response)
    assert f"<h1>{TICKET_SUBJECT}</h1>" in page
    assert 'aria-current="page">Conversations</a>' in page  # the menu marks the section
    assert "Support ticket of Dana Ruiz" in text
    assert f'<a href="/dashboard/customers/{history.customer.id}">Dana Ruiz</a>' in page
    assert "From Zendesk #ZD-1" in text and "When 2026-09-20" in text
    assert "Status Closed without resolution" in text
    # the words without the subject line, redacted as stored
    assert "[NAME] here: the sync lost three days of invoices again." in text
    assert f"{TICKET_SUBJECT} [NAME] here" not in text
    # root cause and theme by name, linked
    assert 'Root cause <a href="/dashboard/causes/bugs_reliability">Bugs and reliability</a>' in page
    assert f'theme <a href="/dashboard/themes/{history.bugs.id}">Sync loses work</a>' in page
    # the thread, each message by its author's role, redacted
    assert "The thread (2 messages, redacted)" in text
    assert (
        "Customer [NAME] here: sync lost it." in text
        and "Agent 2026-09-21 Sorry, [PERSON], we are on it." in text
    )
    assert f'href="/dashboard/conversations?customer={history.customer.id}">All 2 conversations' in page


def test_an_interview_without_a_theme_says_so(client, login, make, db):
    history = full_history(make, db)
    login("admin")
    text = _text(client.get(f"/dashboard/conversations/{history.interview.id}"))
    assert "Exit interview of Dana Ruiz" in text and "Interviewer Priya" in text
    assert INTERVIEW_TEXT in text
    assert "Not analysed yet: it counts toward a theme after the next analysis run." in text


def test_the_list_and_the_customer_page_link_to_it(client, login, make, db):
    history = full_history(make, db)
    login("cx")
    url = f'href="/dashboard/conversations/{history.ticket.id}"'
    listing = client.get("/dashboard/conversations").get_data(as_text=True)
    assert f"<a {url}>{TICKET_SUBJECT}</a>" in listing
    # a row without a subject links with its kind and day, not "(no subject)"
    day = history.interview.opened_at.date().isoformat()
    assert f'<a href="/dashboard/conversations/{history.interview.id}">Exit interview of {day}</a>' in listing
    customer_page = client.get(f"/dashboard/customers/{history.customer.id}").get_data(as_text=True)
    assert url in customer_page and f'href="/dashboard/conversations/{history.interview.id}"' in customer_page


def test_the_page_is_for_cx_and_admin_as_the_conversations_list_is(client, login, make, db):
    history = full_history(make, db)
    url = f"/dashboard/conversations/{history.ticket.id}"
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login("product")  # product reads themes and quotes, never a customer's conversations
    assert client.get(url).status_code == 403
    assert client.get("/dashboard/conversations").status_code == 403


@pytest.mark.parametrize("ident", ["987654", "0", "junk", "99999999999999999999", "9" * 5000, "%C2%B2", "-1"])
def test_an_unknown_or_junk_id_is_a_404(client, login, ident):
    login("cx")
    assert client.get(f"/dashboard/conversations/{ident}").status_code == 404


def test_an_erased_customers_conversation_is_gone(client, login, make, db):
    history = full_history(make, db)
    ticket_id = history.ticket.id
    erase_person("dana@ruiz.example", actor="test")
    login("cx")
    assert client.get(f"/dashboard/conversations/{ticket_id}").status_code == 404


def test_the_customer_pages_link_to_all_their_conversations_pages_through_them(client, login, make, db):
    history = full_history(make, db, extra_tickets=PER_PAGE + 3)  # 30 with the ticket and interview
    other = full_history(make, db, world=history.world, tag="-other", extra_tickets=3)
    total = PER_PAGE + 5
    login("cx")
    customer_page = client.get(f"/dashboard/customers/{history.customer.id}")
    link = f"/dashboard/conversations?customer={history.customer.id}"
    assert f"Their {CONVERSATIONS_SHOWN} newest of {total}: see all {total} , page by page." in _text(
        customer_page
    )
    assert f'<a href="{link}">see all {total}</a>' in customer_page.get_data(as_text=True)

    first = client.get(link)
    first_text, first_page = _text(first), first.get_data(as_text=True)
    assert f"{total} conversations; page 1 of 2." in first_text
    assert f"Showing 1–{PER_PAGE} of {total}" in first_text
    assert first_page.count('<tr><th scope="row">') == PER_PAGE
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first_page).group(1)
    assert f"customer={history.customer.id}" in html.unescape(next_link)

    second = client.get(html.unescape(next_link))
    second_text, second_page = _text(second), second.get_data(as_text=True)
    assert "page 2 of 2" in second_text and f"Showing {PER_PAGE + 1}–{total} of {total}" in second_text
    assert second_page.count('<tr><th scope="row">') == total - PER_PAGE
    assert "-other" not in second_text and "-other" not in first_text
    assert other.customer.id != history.customer.id


def test_a_customer_with_few_conversations_links_to_them_without_a_count(client, login, make, db):
    history = full_history(make, db)
    login("cx")
    page = client.get(f"/dashboard/customers/{history.customer.id}").get_data(as_text=True)
    assert f'<a href="/dashboard/conversations?customer={history.customer.id}">Their conversations' in page
    assert "newest of" not in page
