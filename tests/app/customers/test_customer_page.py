"""/dashboard/customers/<id>: one former customer as CX staff read them, linked from the list."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from sqlalchemy import select

from feedback_app.models import AuditEvent, Invitation, OutboxEmail
from feedback_app.services.privacy.erasure import erase_person
from tests.app.customers.detail_data import PHONE, RAW, REDACTED, full_history
from tests.helpers import csrf_token


def _text(response) -> str:
    """The page's words, one space wherever a tag was (a label and its value stay apart)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_the_page_needs_a_cx_or_admin_sign_in(client, login, make):
    customer = make.customer()
    url = f"/dashboard/customers/{customer.id}"
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login("product")
    assert client.get(url).status_code == 403


def test_an_unknown_customer_is_a_404(client, login):
    login("cx")
    assert client.get("/dashboard/customers/987654").status_code == 404


def test_the_list_links_each_name_to_the_customer_page(client, login, make):
    customer = make.customer(name="Robin Avery")
    login("cx")
    page = client.get("/dashboard/customers").get_data(as_text=True)
    assert f'<a href="/dashboard/customers/{customer.id}">Robin Avery</a>' in page


def test_a_customer_nobody_invited_says_so_and_can_be_invited(client, login, make, db):
    survey = make.survey()
    customer = make.customer(name="Sam Okafor")
    login("cx")
    page = client.get(f"/dashboard/customers/{customer.id}")
    text = _text(page)
    assert "Not invited yet" in text and "Invite Sam" in text
    assert "No email has been queued for them yet." in text
    assert "Not in any win-back campaign." in text
    response = client.post(
        f"/dashboard/customers/{customer.id}/invite",
        data={"csrf_token": csrf_token(page), "survey": survey.key},
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Invitation.customer_id)).all() == [customer.id]
    text = _text(client.get(f"/dashboard/customers/{customer.id}"))
    assert "Invitation queued" in text and "Not invited yet" not in text
    assert "Why did you leave?" in text and "Answered not yet" in text
    assert db.session.scalars(select(OutboxEmail.kind)).all() == ["invitation"]
    assert "Emails to them (1) " in text


def test_a_customer_who_opted_out_is_told_apart_and_not_offered_an_invitation(client, login, make):
    make.survey()
    customer = make.customer(opted_out=True)
    login("cx")
    text = _text(client.get(f"/dashboard/customers/{customer.id}"))
    assert "They cannot be invited: they opted out of our emails." in text
    assert "Invite" not in re.sub(r"Invitation|invited", "", text)


def test_a_customer_with_an_answer_and_emails_reads_as_words(client, login, make, db):
    history = full_history(make, db)
    login("cx")
    response = client.get(f"/dashboard/customers/{history.customer.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'aria-current="page">Customers</a>' in page  # the menu marks the section
    text = _text(response)
    # who they are, revenue with the currency, when they left, where they came from
    assert "Dana Ruiz, Ruiz Bakery" in text and "dana @ruiz.example" in text  # may wrap before its "@"
    assert "$129" in text and "$4,128" in text and "2026-09-30" in text
    assert "Pro annual" in text and "Stripe" in text and "German" in text and "32 months with us" in text
    # the survey steps with their dates
    assert "Invitation sent 2026-10-02" in text and "Reminders 1, last 2026-10-03" in text
    assert "Opened 2026-10-03" in text and "Answered 2026-10-04" in text
    # the redacted answer, never the raw one nor the phone number
    assert REDACTED in text and RAW not in text and PHONE not in text and "555 0100" not in text
    assert "Picked reason Price" in text and "Moved to ClickStack" in text
    # root causes and themes by name, linked to their pages
    assert 'href="/dashboard/causes/bugs_reliability">Bugs and reliability</a>' in page
    assert f'href="/dashboard/themes/{history.bugs.id}">Sync loses work</a>' in page
    assert f'href="/dashboard/themes/{history.price.id}">Price doubled</a>' in page
    assert "a second reason, not counted in shares" in text
    # their ticket and interview: date, kind and source, the redacted words, the theme by name
    assert "Support tickets and interviews" in text
    assert "2026-10-06 Exit interview Dashboard Held Said the price doubled at renewal" in text
    assert (
        "2026-09-20 Support ticket Zendesk #ZD-1 Closed without resolution Sync lost our invoices "
        "[NAME] here: the sync lost three days of invoices again. Bugs and reliability"
    ) in text
    assert f'theme <a href="/dashboard/themes/{history.bugs.id}">Sync loses work</a>' in page
    assert f'href="/dashboard/conversations?customer={history.customer.id}"' in page
    # every email with its status
    assert "Emails to them (3)" in text
    queued = history.emails[0].created_at.date().isoformat()
    for words in (
        f"Invitation Sent {queued} 2026-10-02",
        f"Reminder Failed Mailbox unavailable {queued} –",
        f"We fixed it Pending {queued} – the action item",
    ):
        assert words in text, words
    # win-back, CPR, follow-ups and action items
    assert "Autumn win-back" in text and "Sent the offer" in text
    assert "Offer sent" in text and "(open until 2026-12-01)" in text
    assert "Follow-up: Asks to be contacted — waiting in the follow-up queue" in text
    assert (
        f'href="/dashboard/actions/{history.item.id}">Stop sync losing work</a>' in page and "Shipped" in text
    )
    # never a stored key where words belong
    for key in ("bugs_reliability<", "we_fixed_it", "pro_annual", ">offered<", ">pending<", "stripe<"):
        assert key not in page.replace('href="/dashboard/causes/bugs_reliability"', ""), key


def test_contact_details_are_shown_on_request_and_audited(client, login, make, db):
    history = full_history(make, db)
    login("cx")
    page = client.get(f"/dashboard/customers/{history.customer.id}")
    assert "Show contact details" in _text(page)
    response = client.post(
        f"/dashboard/customers/{history.customer.id}/contact",
        data={"csrf_token": csrf_token(page)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and PHONE in _text(response)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.contact_shown"))


def test_an_erased_customer_shows_no_personal_data(client, login, make, db):
    history = full_history(make, db)
    erase_person("dana@ruiz.example", actor="test")
    login("cx")
    text = _text(client.get(f"/dashboard/customers/{history.customer.id}"))
    assert "Erased customer" in text and "$129" in text  # plan, revenue and dates stay
    for gone in ("Dana", "Ruiz", "dana@", REDACTED, "Show contact details"):
        assert gone not in text, gone


def test_a_theme_page_links_each_answer_to_its_customer_for_cx_only(client, login, make, db):
    history = full_history(make, db)
    link = f'href="/dashboard/customers/{history.customer.id}"'
    login("cx")
    assert link in client.get(f"/dashboard/themes/{history.bugs.id}").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/dashboard/"))})
    login("product")  # product reads themes but not customers: no link that would answer 403
    assert link not in client.get(f"/dashboard/themes/{history.bugs.id}").get_data(as_text=True)


def test_an_invitation_recorded_as_sent_without_an_email_says_why_none_is_listed(client, login, make):
    customer = make.customer()
    make.invitation(customer=customer, status="sent", sent_at=datetime(2026, 10, 2, tzinfo=UTC))
    login("cx")
    text = _text(client.get(f"/dashboard/customers/{customer.id}"))
    assert "Emails to them (0)" in text and "recorded as sent without one" in text


def test_a_customer_without_tickets_or_interviews_is_told_how_to_add_them(client, login, make):
    customer = make.customer(external_id="cus_quiet")
    login("cx")
    response = client.get(f"/dashboard/customers/{customer.id}")
    text, page = _text(response), response.get_data(as_text=True)
    assert "No support ticket, exit interview or billing-portal reason of theirs is on record." in text
    assert 'href="/dashboard/conversations/import"' in page
    assert 'href="/dashboard/interviews?customer=cus_quiet"' in page


def test_the_conversations_list_shows_one_customers_when_opened_from_their_page(client, login, make, db):
    history = full_history(make, db)
    other = full_history(make, db, world=history.world, tag="-other")
    login("cx")
    response = client.get(f"/dashboard/conversations?customer={history.customer.id}")
    text = _text(response)
    assert "2 conversations" in text and "Only the conversations of one customer" in text
    assert "ZD-1-other" not in text and "ZD-1" in text
    assert other.customer.id != history.customer.id
    assert client.get("/dashboard/conversations?customer=junk").status_code == 200
    # beyond any row id: read as no filter, as junk is, never an integer overflow in the driver
    assert client.get("/dashboard/conversations?customer=99999999999999999999").status_code == 200
