"""The conversations list as a CX user reads it: the customer's words apart from the subject, whole
dates, and pages numbered as on the other lists."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from feedback_app.models import Conversation
from tests.helpers import counted


def _ticket(make, db, n: int, subject: str | None, text: str) -> Conversation:
    customer = make.customer(email=f"c{n}@example.com", name=f"Customer {n}", left_at=date(2026, 9, 1))
    conversation = Conversation(
        customer_id=customer.id,
        kind="ticket",
        origin="csv",
        external_id=f"T-{n}",
        subject=subject,
        status="open",
        opened_at=datetime(2026, 8, 30, tzinfo=UTC) - timedelta(days=n),  # the first ones newest
        redacted_text=text,
    )
    db.session.add(conversation)
    db.session.commit()
    return conversation


def test_the_list_shows_the_words_apart_from_the_subject_whole_dates_and_page_numbers(
    client, login, make, db
):
    """The words column repeated the subject run into the message ("Charged twice We were charged
    twice"), the "Opened" date broke over two lines ("2026-" / "10-27") and the pages had a bare
    "Next" with no page count: the words follow the subject's own column, the date keeps one line,
    and the pages read as on the other lists."""
    _ticket(make, db, 0, "Charged twice", "Charged twice\nWe were charged twice this month.")
    _ticket(make, db, 1, None, "No subject, just words.")
    _ticket(make, db, 2, "[PERSON] here", "Dana here\nThe subject line was redacted, so it differs.")
    for n in range(3, 30):
        _ticket(make, db, n, "Slow export", "Slow export\nThe export takes an hour.")
    login("cx")
    html = client.get("/dashboard/conversations").get_data(as_text=True)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.S)
    cells = {re.search(r"<th scope=\"row\">Customer (\d+)</th>", row).group(1): row for row in rows}
    assert ' dir="auto">We were charged twice this month.</span></td>' in cells["0"]
    assert ' dir="auto">No subject, just words.</span></td>' in cells["1"]
    assert "Dana here" in cells["2"], "a first line that is not the subject stays"
    assert '<td data-label="Opened" class="nowrap">2026-08-30</td>' in cells["0"]
    assert "Page 1 of 2" in html and 'class="pagination"' in html


def test_the_list_takes_the_same_queries_for_more_rows(client, login, make, db):
    """Each row loaded its customer with a query of its own: a page of 25 took 25 more."""
    login("cx")
    for n in range(2):
        _ticket(make, db, n, "Slow export", "Slow export\nThe export takes an hour.")
    with counted(db) as few:
        assert client.get("/dashboard/conversations").status_code == 200
    for n in range(2, 12):
        _ticket(make, db, n, "Slow export", "Slow export\nThe export takes an hour.")
    with counted(db) as many:
        page = client.get("/dashboard/conversations").get_data(as_text=True)
    assert all(f"Customer {n}</th>" in page for n in range(12))
    assert len(many) == len(few), "the page's queries grew with its rows"
