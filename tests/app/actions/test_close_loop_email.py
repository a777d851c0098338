"""The "you told us, we changed it" email as CX write it: edit, preview, test send, then send."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.models import ActionItem, DepartedCustomer, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop
from tests.app.insights_data import World
from tests.helpers import JUNK_PAGES, csrf_token, showing


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _shipped(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, name="Robin Avery", email="robin@example.com")
    world.answer(price, name="Sam Lee", email="sam@example.com")
    item = ActionItem(
        theme_id=price.id,
        title="Price: Price went up (internal)",
        owner_team="billing",
        actions=["Review price increases against competitors"],
        status="shipped",
        shipped_at=utcnow(),
    )
    db.session.add(item)
    db.session.commit()
    return item


def _save(client, item, **fields):
    page = client.get(f"/dashboard/actions/{item.id}/close-loop")
    data = {
        "subject": "We listened, {first_name}",
        "change": "Prices are now fixed for two years.",
        "body": "Hello {first_name},\n\nAt {company} we changed this:\n\n{change}\n\nThanks!",
        "save": "1",
        "csrf_token": csrf_token(page),
    }
    data.update(fields)
    return client.post(f"/dashboard/actions/{item.id}/close-loop/email", data=data, follow_redirects=True)


def test_default_text_is_for_customers_and_sending_waits_for_what_changed(client, login, make, db):
    item = _shipped(make, db)
    login("cx")
    page = client.get(f"/dashboard/actions/{item.id}/close-loop").get_data(as_text=True)
    email = _text(page[page.index('class="eml-html"') : page.index("Plain-text version")])
    assert "Hello Robin," in email and "When you left Brightloop" in email or "When you left" in email
    assert "(internal)" not in email and "Review price increases" not in email
    assert "Describe what changed" in page and "Send to 2 customers" not in page


def test_edit_preview_and_send_with_the_right_count(client, login, make, db, app):
    item = _shipped(make, db)
    login("cx")
    saved = _text(_save(client, item).get_data(as_text=True))
    assert "Saved." in saved and "Subject: We listened, Robin" in saved
    assert f"At {app.config['COMPANY_NAME']} we changed this: Prices are now fixed for two years." in saved
    assert "Send to 2 customers" in saved
    page = client.get(f"/dashboard/actions/{item.id}/close-loop")
    sent = _text(
        client.post(
            f"/dashboard/actions/{item.id}/close-loop",
            data={"csrf_token": csrf_token(page)},
            follow_redirects=True,
        ).get_data(as_text=True)
    )
    assert "Queued 2 emails to former customers" in sent
    emails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.action_item_id == item.id)).all()
    assert sorted(e.recipient for e in emails) == ["robin@example.com", "sam@example.com"]
    assert all("(internal)" not in e.body_text and "Review price" not in e.body_text for e in emails)
    assert "Hello Sam," in next(e.body_text for e in emails if e.recipient == "sam@example.com")
    # Once everyone is told the page says so, rather than "0 former customers will receive this email".
    assert "Sent: all 2 former customers who gave this reason and allowed contact got this email" in sent
    assert "0 former customers will receive" not in sent and "Send to" not in sent
    assert "Recipients (2)" in sent


def test_unknown_placeholder_is_refused_with_the_field_named(client, login, make, db):
    item = _shipped(make, db)
    login("cx")
    response = _save(client, item, body="Hi {firstname}, {change}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Body: {firstname} is not a placeholder; use {first_name}, {company}, {change}." in _text(page)
    db.session.refresh(item)
    assert item.customer_body is None


def test_a_placeholder_with_a_format_is_refused_not_stored_to_fail_or_blow_up_later(client, login, make, db):
    """``{first_name:>1000000000}`` named a known placeholder, so it was saved; filling it in made a
    gigabyte of spaces per email (the preview page and every send), and ``{first_name:d}`` or
    ``{company:{change}}`` raised on every render: a 500 for the page and the send."""
    item = _shipped(make, db)
    login("cx")
    for body in (
        "Hi {first_name:>1000000000}, {change}",
        "Hi {first_name:d}, {change}",
        "Hi {first_name!r}, {change}",
    ):
        response = _save(client, item, body=body)
        assert response.status_code == 422, body
        assert "Body: write placeholders as {first_name}, with no format" in _text(
            response.get_data(as_text=True)
        )
    response = _save(client, item, subject="News {company:{change}}")
    assert response.status_code == 422
    db.session.refresh(item)
    assert item.customer_body is None and item.customer_subject is None
    assert client.get(f"/dashboard/actions/{item.id}/close-loop").status_code == 200


def test_test_send_goes_to_the_signed_in_user_only(client, login, make, db):
    item = _shipped(make, db)
    user = login("cx")
    done = _text(_save(client, item, test="1").get_data(as_text=True))
    assert f"a test copy is on its way to {user.email}" in done
    (test,) = db.session.scalars(select(OutboxEmail)).all()
    assert test.recipient == user.email and test.subject == "[Test] We listened, Robin"
    assert test.customer_id is None


def test_each_customer_can_opt_out_from_the_email_and_is_then_left_out(client, login, make, db):
    """The email carries the customer's own opt-out link (footer and one-click List-Unsubscribe);
    following it stops all email to them, a forged link is a 404, and the preview has no one's link."""
    item = _shipped(make, db)
    login("cx")
    preview = _save(client, item).get_data(as_text=True)
    assert "/f/" not in preview and "each customer&#39;s own opt-out link" in preview
    page = client.get(f"/dashboard/actions/{item.id}/close-loop")
    client.post(f"/dashboard/actions/{item.id}/close-loop", data={"csrf_token": csrf_token(page)})
    robin = db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == "robin@example.com")).one()
    link = robin.headers["List-Unsubscribe"].strip("<>")
    assert robin.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"No more emails from us: {link}" in robin.body_text and f'href="{link}"' in robin.body_html
    sam = db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == "sam@example.com")).one()
    assert sam.headers["List-Unsubscribe"] != robin.headers["List-Unsubscribe"]
    path = "/" + link.split("/", 3)[3]
    client.get("/auth/logout")
    ask = client.get(path)
    assert ask.status_code == 200 and "Yes, opt me out" in ask.get_data(as_text=True)
    customers = {e.recipient: db.session.get(DepartedCustomer, e.customer_id) for e in (robin, sam)}
    assert not customers["robin@example.com"].opted_out
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})  # a mail client's one-click POST
    assert done.status_code == 200 and "You have opted out" in done.get_data(as_text=True)
    for customer in customers.values():
        db.session.refresh(customer)
    assert customers["robin@example.com"].opted_out and not customers["sam@example.com"].opted_out
    assert [p.customer.email for p in close_loop.recipients(item)] == ["sam@example.com"]
    assert client.get(path.replace("/f/", "/f/x")).status_code == 404
    token = path.split("/")[2]
    assert client.post(f"/f/{token[:-2]}zz/opt-out").status_code == 404


def _between(page: str, start: str, end: str) -> str:
    """The markup from the first ``start`` to the first ``end`` after it."""
    at = page.index(start)
    return page[at : page.index(end, at)]


def test_the_page_reads_as_an_email_with_its_placeholders_one_a_line_and_both_sends_side_by_side(
    client, login, make, db
):
    """The page was cramped: the placeholders ran into one paragraph of code chips, the preview's
    subject sat apart from its frame, and "Send later" was a form under the "Send to" button. Now
    each placeholder is a name beside its meaning, the subject heads the previewed message, and
    the two ways to send share one row (stacked on a phone by the stylesheet)."""
    item = _shipped(make, db)
    login("cx")
    page = _save(client, item).get_data(as_text=True)
    placeholders = _between(page, 'class="help placeholders"', "</dl>")
    names = re.findall(r"<dt><code>(\{\w+\})</code></dt>\s*<dd>([^<]+)</dd>", placeholders)
    assert [name for name, _meaning in names] == ["{first_name}", "{company}", "{change}"], placeholders
    assert all(meaning.strip() for _name, meaning in names)
    message = _between(page, 'class="eml-message"', "Plain-text version")
    assert "Subject:</strong> We listened, Robin" in message and 'class="eml-html"' in message
    options = _between(page, 'class="send-options"', 'class="help"')
    assert "Send to 2 customers" in options and 'aria-label="Send later"' in options


def test_the_recipients_page_by_25_and_the_counts_and_send_cover_them_all(client, login, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    for n in range(27):
        world.answer(price, name=f"Person {n:02}", email=f"person{n:02}@example.com")
    item = ActionItem(
        theme_id=price.id, title="Price", owner_team="billing", status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()
    login("cx")
    url = f"/dashboard/actions/{item.id}/close-loop"
    first = _text(client.get(url).get_data(as_text=True))
    assert "Recipients (27)" in first and "Person 24" in first and "Person 25" not in first
    assert showing(1, 25, 27) in first
    assert f'href="{url}?page=2#recipients"' in client.get(url).get_data(as_text=True)
    html = client.get(f"{url}?page=2").get_data(as_text=True)
    second = _text(html)
    assert "Person 25" in second and "Person 26" in second and "Person 24" not in second
    assert showing(26, 27, 27) in second and "27 former customers will receive this email" in second
    assert '<details id="recipients" open>' in html
    for junk in JUNK_PAGES:
        assert client.get(f"{url}?page={junk}").status_code == 200, junk


def test_the_opt_out_pages_speak_as_the_company_not_afterword(client, make, db, app):
    """A former customer following an interview or "we changed it" email's opt-out link never
    heard of Afterword: the page's header names the company, as the survey's does, and does not
    link to Afterword's own home page."""
    from feedback_app.services.actions import close_loop_links

    customer = make.customer(email="kai@example.com")
    db.session.commit()
    with app.test_request_context():
        path = "/" + close_loop_links.opt_out_url(customer, "interview").split("/", 3)[3]
    company = app.config["COMPANY_NAME"]
    for page in (client.get(path), client.post(path, data={"List-Unsubscribe": "One-Click"})):
        html = page.get_data(as_text=True)
        header = _between(html, "<header", "</header>")
        assert page.status_code == 200 and company in header
        assert "Afterword" not in header and 'href="/"' not in header


def test_text_stored_before_formats_were_refused_neither_breaks_the_page_nor_goes_out(
    client, login, make, db
):
    """An item saved before placeholders with a format were refused (5dbaf407) still holds one:
    ``{first_name:d}`` raised on every render (the page a 500, each send failed) and a wide one filled
    in that many spaces. The page shows such a placeholder as written and sending waits for an edit."""
    item = _shipped(make, db)
    item.customer_subject = "We listened, {first_name:>40000}"
    item.customer_body = "Hello {first_name!r},\n\n{change} at {company:d}."
    item.customer_change = "Prices are fixed."
    db.session.commit()
    login("cx")
    page = client.get(f"/dashboard/actions/{item.id}/close-loop")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "{company:d}" in html and "{first_name!r}" in html and " " * 1000 not in html
    assert "with no format" in html  # why it cannot be sent yet
    try:
        close_loop.send(item, actor="cx@example.com")
    except close_loop.CloseLoopError as refused:
        assert "with no format" in str(refused)
    else:
        raise AssertionError("sent with a placeholder that has a format")
    assert db.session.scalars(select(OutboxEmail)).all() == []
