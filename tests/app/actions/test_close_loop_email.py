"""The "you told us, we changed it" email as CX write it: edit, preview, test send, then send."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.models import ActionItem, OutboxEmail, utcnow
from tests.app.insights_data import World
from tests.helpers import csrf_token


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


def test_test_send_goes_to_the_signed_in_user_only(client, login, make, db):
    item = _shipped(make, db)
    user = login("cx")
    done = _text(_save(client, item, test="1").get_data(as_text=True))
    assert f"a test copy is on its way to {user.email}" in done
    (test,) = db.session.scalars(select(OutboxEmail)).all()
    assert test.recipient == user.email and test.subject == "[Test] We listened, Robin"
    assert test.customer_id is None
