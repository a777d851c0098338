"""The follow-up queue at scale: paged, newest first, filtered by reason; the theme page's Move menus."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from feedback_app.models import AuditEvent, FollowUp
from feedback_app.services.insights import follow_ups
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_queue_is_paged_newest_first_and_filtered_by_reason(client, login, make, db):
    world = World(make, db)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for i in range(30):
        world.answer(
            None,
            text=f"Please call me about invoice {i}.",
            contact_ok="yes",
            name=f"Caller {i:02d}",
            submitted=start + timedelta(hours=i),
        )
    world.answer(
        None,
        text="Awful.",
        nps=1,
        lifetime_value_cents=900000,
        name="Big Angry",
        submitted=start - timedelta(days=3),
    )
    assert follow_ups.refresh() == 31
    login("cx")
    first = _text(client.get("/dashboard/follow-ups").get_data(as_text=True))
    assert "31 entries open; page 1 of 2." in first
    assert first.index("Caller 29") < first.index("Caller 28"), "newest first"
    assert "Big Angry" not in first, "the oldest answer is on page 2"
    second = _text(client.get("/dashboard/follow-ups?page=2").get_data(as_text=True))
    assert "Big Angry" in second
    past_the_end = _text(client.get("/dashboard/follow-ups?page=99").get_data(as_text=True))
    assert "page 2 of 2." in past_the_end and "Big Angry" in past_the_end and "Caller 29" not in past_the_end
    angry = _text(
        client.get(
            "/dashboard/follow-ups",
            query_string={"reason": "Very negative answer from a high-value customer"},
        ).get_data(as_text=True)
    )
    assert "1 entry open; page 1 of 1." in angry and "Big Angry" in angry and "Caller" not in angry
    valuable = _text(client.get("/dashboard/follow-ups?order=value").get_data(as_text=True))
    assert valuable.index("Big Angry") < valuable.index("Caller"), "most valuable first when asked"
    assert "day(s)" not in first


def test_move_menus_start_on_no_choice(client, login, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.theme("support", "Slow support", "support")
    _, response = world.answer(price, text="Too expensive.")
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    menu = page[page.index(f'id="move-{response.id}"') :]
    menu = menu[: menu.index("</select>")]
    assert '<option value="" selected>Choose a theme' in menu and "required" in menu
    assert menu.count("selected") == 1


def test_an_answer_dated_ahead_of_the_server_clock_is_never_answered_minus_days_ago(client, login, make, db):
    world = World(make, db)
    world.answer(
        None,
        text="Please call me about my invoice.",
        name="Early Clock",
        submitted=datetime.now(UTC) + timedelta(days=5),
    )
    world.answer(
        None, text="Please call me back.", name="Last Week", submitted=datetime.now(UTC) - timedelta(days=7)
    )
    assert follow_ups.refresh() == 2
    login("cx")
    text = _text(client.get("/dashboard/follow-ups").get_data(as_text=True))
    assert "answered today" in text and "answered 7 days ago" in text and "0 days" not in text
    assert "answered -" not in text


def test_staff_can_show_the_phone_number_of_a_customer_who_asked_to_be_called(client, login, make, db):
    """The answer keeps its "[PHONE]"; the person asked to call gets the customer's own number
    from their record, on request, and the showing is in the audit log."""
    world = World(make, db)
    world.answer(
        None,
        text="Call me at [PHONE]",
        contact_ok="yes",
        name="Ana Ruiz",
        email="ana@example.com",
        phone="+1 555 201 3344",
    )
    assert follow_ups.refresh() == 1
    login("cx")
    queue = client.get("/dashboard/follow-ups")
    html = queue.get_data(as_text=True)
    assert "Call me at [PHONE]" in html and "555 201 3344" not in html, "no numbers on the queue itself"
    assert "Show contact details" in html
    entry = db.session.scalar(select(FollowUp))

    shown = client.post(f"/dashboard/follow-ups/{entry.id}/contact", data={"csrf_token": csrf_token(queue)})
    details = _text(shown.get_data(as_text=True))
    assert shown.status_code == 200
    assert "Contact details for Ana Ruiz" in details
    assert "Email ana@example.com Phone +1 555 201 3344" in details
    assert 'href="tel:+15552013344"' in shown.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "follow_up.contact_shown"))
    assert event.actor_user_id is not None and event.target_id == str(entry.id)
    assert "555" not in str(event.details), "the audit log records the showing, not the number"

    in_place = client.post(
        f"/dashboard/follow-ups/{entry.id}/contact",
        data={"csrf_token": csrf_token(queue)},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "+1 555 201 3344" in in_place and "<html" not in in_place
    assert "Call me at [PHONE]" in client.get("/dashboard/follow-ups").get_data(as_text=True)


def test_contact_details_say_what_is_missing_or_not_agreed(client, login, make, db):
    world = World(make, db)
    world.answer(None, text="Please call me.", contact_ok="yes", name="No Phone")
    world.answer(None, text="Awful.", nps=0, contact_ok="no", lifetime_value_cents=900000, name="Big Angry")
    assert follow_ups.refresh() == 2
    login("cx")
    token = csrf_token(client.get("/dashboard/follow-ups"))
    no_phone, angry = db.session.scalars(select(FollowUp).order_by(FollowUp.id))
    text = _text(
        client.post(f"/dashboard/follow-ups/{no_phone.id}/contact", data={"csrf_token": token}).get_data(
            as_text=True
        )
    )
    assert "No phone number on record" in text and "not agreed" not in text
    text = _text(
        client.post(f"/dashboard/follow-ups/{angry.id}/contact", data={"csrf_token": token}).get_data(
            as_text=True
        )
    )
    assert "They have not agreed to be contacted about their answer." in text


def test_the_queue_says_what_it_holds_before_pointing_elsewhere(client, login):
    """Under the heading, first what this queue is; then the pointer to the complaints page."""
    login("cx")
    page = client.get("/dashboard/follow-ups").get_data(as_text=True)
    first = re.search(r"</h1>\s*<p[^>]*>([^<]+)", page)
    assert first and first.group(1).startswith("Answers that ask to be contacted"), first
