"""The we-fixed-it email booked for a time: stored, sent by the due job through the outbox over real
SMTP exactly once, refused for the past, cancellable from the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.jobs.celery_runner import PERIODIC_JOBS
from feedback_app.models import ActionItem, AuditEvent, utcnow
from feedback_app.services.actions import close_loop, close_loop_email, close_loop_schedule
from feedback_app.services.actions import plan as action_plan
from tests.app.insights_data import World
from tests.helpers import csrf_token, run_twice_at_once


def _shipped_item(make, db) -> ActionItem:
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    for email in ("ana@example.com", "bo@example.com"):
        world.answer(price, email=email, contact_ok="yes", monthly_revenue_cents=9900)
    item = action_plan.propose(top=1, actor="test")[0]
    action_plan.mark_shipped(item)
    close_loop_email.save(
        item,
        subject="We changed our prices, {first_name}",
        body=close_loop_email.DEFAULT_BODY,
        change="Price changes are announced 30 days ahead.",
        actor="cx@example.com",
    )
    return item


def test_booked_send_goes_out_once_when_due_over_smtp(app, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    item = _shipped_item(make, db)
    with pytest.raises(close_loop.CloseLoopError, match="in the future"):
        close_loop_schedule.schedule(item, at=utcnow() - timedelta(minutes=1), actor="cx@example.com")
    close_loop_schedule.schedule(item, at=utcnow() + timedelta(hours=1), actor="cx@example.com")
    assert close_loop_schedule.send_due() == 0 and smtp_server.messages == [], "not due yet"

    item.loop_scheduled_at = utcnow() - timedelta(seconds=1)  # the booked hour has come
    db.session.commit()
    assert close_loop_schedule.send_due() == 2
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@example.com",
        "bo@example.com",
    ]
    assert (
        smtp_server.by_recipient("ana@example.com")[0].message["Subject"].startswith("We changed our prices")
    )
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).loop_scheduled_at is None, "a booking is sent once"
    assert close_loop_schedule.send_due() == 0 and len(smtp_server.messages) == 2
    actor = db.session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "action.close_loop"))
    assert actor == "cx@example.com (booked send)"
    assert ("close_loop.send_due", "BEAT_CLOSE_LOOP_SECONDS") in PERIODIC_JOBS


def test_a_booking_that_can_no_longer_be_sent_is_recorded_not_retried(app, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    item = _shipped_item(make, db)
    close_loop_schedule.schedule(item, at=utcnow() + timedelta(hours=1), actor="cx@example.com")
    item.status, item.loop_scheduled_at = "accepted", utcnow() - timedelta(seconds=1)  # reopened since
    db.session.commit()
    assert close_loop_schedule.send_due() == 0 and smtp_server.messages == []
    reason = db.session.scalar(
        select(AuditEvent.details).where(AuditEvent.action == "action.close_loop_schedule_failed")
    )
    assert "shipped" in reason["reason"]
    assert close_loop_schedule.send_due() == 0


def test_page_books_refuses_the_past_and_cancels(client, login, make, db):
    item = _shipped_item(make, db)
    login("cx")
    url = f"/dashboard/actions/{item.id}/close-loop"
    page = client.get(url)
    assert 'type="datetime-local"' in page.get_data(as_text=True)
    when = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    booked = client.post(
        f"{url}/schedule", data={"send_at": when, "csrf_token": csrf_token(page)}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"Booked: the email goes out at {when.replace('T', ' ')} UTC." in booked
    assert "Cancel the booked send" in booked
    past = client.post(
        f"{url}/schedule",
        data={"send_at": "2020-01-01T09:00", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Send at: choose a time in the future (UTC)." in past
    garbled = client.post(
        f"{url}/schedule", data={"send_at": "soon", "csrf_token": csrf_token(page)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Send at:" in garbled
    cancelled = client.post(
        f"{url}/schedule", data={"cancel": "1", "csrf_token": csrf_token(page)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The booked send is cancelled" in cancelled
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).loop_scheduled_at is None


def test_cli_sends_what_is_due(app, make, db, runner, smtp_server):
    app.config.update(smtp_server.mail_settings())
    item = _shipped_item(make, db)
    close_loop_schedule.schedule(item, at=utcnow() + timedelta(hours=1), actor="cx@example.com")
    assert runner.invoke(args=["report", "send-booked"]).output == "Queued 0 booked email(s).\n"
    item.loop_scheduled_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert runner.invoke(args=["report", "send-booked"]).output == "Queued 2 booked email(s).\n"
    assert len(smtp_server.messages) == 2


def test_a_booking_whose_send_breaks_is_kept_and_the_other_bookings_go_out(
    app, make, db, smtp_server, monkeypatch
):
    # The process may die (or the database drop) between taking a booking and queueing its emails:
    # the booking must still be there for the next run, and one broken item must not hold up the rest.
    app.config.update(smtp_server.mail_settings())
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Support never answered", "support")
    world.answer(price, email="ana@example.com", monthly_revenue_cents=9900)
    world.answer(support, email="bo@example.com", reason="poor_support", monthly_revenue_cents=4900)
    items = sorted(action_plan.propose(top=2, actor="test"), key=lambda item: item.id)
    for item in items:
        action_plan.mark_shipped(item)
        close_loop_email.save(
            item, subject="We fixed it", body=close_loop_email.DEFAULT_BODY, change="Fixed.", actor="cx"
        )
        close_loop_schedule.schedule(item, at=utcnow() + timedelta(hours=1), actor="cx@example.com")
        item.loop_scheduled_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    broken, fine = items
    real_recipients = close_loop.recipients

    def recipients(item):
        if item.id == broken.id:
            raise RuntimeError("server closed the connection unexpectedly")
        return real_recipients(item)

    monkeypatch.setattr(close_loop, "recipients", recipients)
    assert close_loop_schedule.send_due() == 1
    assert [r for m in smtp_server.messages for r in m.rcpt_tos] == ["bo@example.com"]
    db.session.expire_all()
    assert db.session.get(ActionItem, broken.id).loop_scheduled_at is not None, "the booking is not lost"
    assert db.session.get(ActionItem, fine.id).loop_scheduled_at is None

    monkeypatch.setattr(close_loop, "recipients", real_recipients)
    assert close_loop_schedule.send_due() == 1
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@example.com",
        "bo@example.com",
    ]
    assert close_loop_schedule.send_due() == 0 and len(smtp_server.messages) == 2


def test_two_workers_at_once_send_a_booking_once(app, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    item = _shipped_item(make, db)
    close_loop_schedule.schedule(item, at=utcnow() + timedelta(hours=1), actor="cx@example.com")
    item.loop_scheduled_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    queued, failures = run_twice_at_once(app, close_loop_schedule.send_due)
    assert failures == [] and sorted(queued) == [0, 2]
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@example.com",
        "bo@example.com",
    ]


def test_two_clicks_on_tell_customers_at_once_mail_each_customer_once_without_an_error(
    app, make, db, smtp_server
):
    # The second click waits for the first and finds every customer told; it used to fail in its
    # loop on the first click's emails (an IntegrityError from the autoflush, outside the commit's
    # guard): a server error page, or "already being sent" when only one customer was left.
    app.config.update(smtp_server.mail_settings())
    item = _shipped_item(make, db)
    world_item_id = item.id

    def click():
        return close_loop.send(db.session.get(ActionItem, world_item_id), actor="cx@example.com")

    queued, failures = run_twice_at_once(app, click)
    assert failures == [] and sorted(queued) == [0, 2]
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@example.com",
        "bo@example.com",
    ]
