"""Resending failed webhook deliveries (a receiver that answered 404 during its deploy), from the
admin page and the CLI, against a real HTTP receiver: the same webhook-id, a fresh signature, and
never two sends of one event for two clicks."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from feedback_app.services.integrations import webhook_delivery, webhooks
from feedback_app.services.responses.submission import after_response_submitted
from tests.app.integrations.receiver import verify
from tests.helpers import csrf_token

TODAY = datetime.now(UTC).date().isoformat()


def answer(make):
    response = make.response(answers={"what_happened": "Too slow.", "main_reason": "hard_to_use", "nps": 4})
    after_response_submitted(response.id)
    return response


def deliveries(db) -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def flashed(page) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())


def turned_off_by_two_404s(app, receiver, make, db) -> WebhookEndpoint:
    """An endpoint turned off after its receiver refused two answers' events with 404."""
    app.config.update(WEBHOOK_DISABLE_AFTER_FAILURES=2)
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [404, 404]
    answer(make)
    answer(make)
    db.session.refresh(endpoint)
    return endpoint


def test_a_delivery_refused_during_a_deploy_is_resent_from_the_log(receiver, client, login, make, db):
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [404]  # the receiver's new release is not routed yet
    answer(make)
    (delivery,) = deliveries(db)
    assert delivery.status == "failed" and delivery.attempts == 1
    first = receiver.received[0]

    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    resend_url = f"/dashboard/admin/webhooks/deliveries/{delivery.id}/resend"
    assert f'action="{resend_url}"' in page.get_data(as_text=True)
    time.sleep(1.05)  # a fresh timestamp is a different second
    done = client.post(resend_url, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert done.status_code == 200
    assert "1 delivery to" in flashed(done) and "being sent again" in flashed(done)

    assert len(receiver.received) == 2
    again = receiver.received[1]
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == delivery.event_id
    assert int(again.headers["webhook-timestamp"]) > int(first.headers["webhook-timestamp"])
    assert again.headers["webhook-signature"] != first.headers["webhook-signature"]
    assert verify(endpoint.secret, again.headers, again.body) and again.body == first.body
    (delivery,) = deliveries(db)
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_error is None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook.resend"))
    assert audit is not None and audit.actor_user_id is not None and audit.target_id == str(endpoint.id)

    # A second click (or a stale page) sends nothing: the delivery is not failed any more.
    twice = client.post(resend_url, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "was delivered; nothing was sent again" in flashed(twice)
    assert len(receiver.received) == 2


def test_an_endpoint_turned_off_by_404s_is_turned_on_and_its_failures_since_a_day_resent(
    app, receiver, client, login, make, db
):
    endpoint = turned_off_by_two_404s(app, receiver, make, db)
    assert endpoint.active is False and [d.status for d in deliveries(db)] == ["failed", "failed"]
    old = deliveries(db)[0]
    old.created_at = datetime.now(UTC) - timedelta(days=3)  # failed before the deploy: not resent
    old.status = "failed"
    db.session.commit()

    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    token = csrf_token(page)
    resend_failed = f"/dashboard/admin/webhooks/{endpoint.id}/resend-failed"
    assert f'action="{resend_failed}"' in page.get_data(as_text=True)
    waiting = client.post(resend_failed, data={"csrf_token": token, "since": TODAY}, follow_redirects=True)
    assert "1 delivery to" in flashed(waiting) and "the address is off; turn it on" in flashed(waiting)
    assert [d.status for d in deliveries(db)] == ["failed", "pending"] and len(receiver.received) == 2

    # The same form sent again while that one waits moves nothing: it is on its way, not failed.
    again = client.post(resend_failed, data={"csrf_token": token, "since": TODAY}, follow_redirects=True)
    assert "No failed deliveries to" in flashed(again)

    client.post(f"/dashboard/admin/webhooks/{endpoint.id}/toggle", data={"csrf_token": token})
    db.session.refresh(endpoint)
    assert endpoint.active is True and endpoint.consecutive_failures == 0
    assert [d.status for d in deliveries(db)] == ["failed", "delivered"]
    assert len(receiver.received) == 3, "turning it on sent what waited, once"
    assert receiver.received[2].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]

    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    client.post(resend_failed, data={"csrf_token": token, "since": since})
    assert [d.status for d in deliveries(db)] == ["delivered", "delivered"] and len(receiver.received) == 4
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("webhook.%"))).all()
    assert actions.count("webhook.resend_failed") == 3 and "webhook.enable" in actions


def test_turning_on_an_endpoint_with_failed_deliveries_says_they_wait_for_a_resend(
    app, receiver, client, login, make, db
):
    """Turning on an address that was turned off for failing said only "... is on.": its failed
    deliveries are not tried again by themselves, so the admin is told how many and how to resend."""
    endpoint = turned_off_by_two_404s(app, receiver, make, db)
    assert endpoint.active is False

    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    toggle = f"/dashboard/admin/webhooks/{endpoint.id}/toggle"
    on = client.post(toggle, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert (
        f"{receiver.url} is on. 2 of its deliveries failed since {TODAY} and are not sent again by themselves"
        in (flashed(on))
    )
    assert "Resend failed deliveries since" in flashed(on)
    assert [d.status for d in deliveries(db)] == ["failed", "failed"] and len(receiver.received) == 2

    off = client.post(toggle, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert f"{receiver.url} is off." in flashed(off) and "failed since" not in flashed(off)
    # Events while it is off are not queued for it (as on Stripe and Svix): the page says so.
    assert "Events that happen while it is off are not queued for it" in flashed(off)
    listing = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert "never those of the time it was off" in listing


@pytest.mark.parametrize(
    ("since", "problem"),
    [
        ("", "Give the date as YYYY-MM-DD."),
        ("yesterday", "Give the date as YYYY-MM-DD."),
        ("2999-01-01", "in the future"),
    ],
)
def test_a_bad_date_says_what_is_wrong_and_resends_nothing(receiver, client, login, make, db, since, problem):
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [410]
    answer(make)
    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    answered = client.post(
        f"/dashboard/admin/webhooks/{endpoint.id}/resend-failed",
        data={"csrf_token": csrf_token(page), "since": since},
        follow_redirects=True,
    )
    assert answered.status_code == 200 and problem in flashed(answered)
    assert [d.status for d in deliveries(db)] == ["failed"] and len(receiver.received) == 1


def test_only_an_admin_with_the_form_token_resends(receiver, client, login, make, db):
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [404]
    answer(make)
    (delivery,) = deliveries(db)
    one = f"/dashboard/admin/webhooks/deliveries/{delivery.id}/resend"
    since = f"/dashboard/admin/webhooks/{endpoint.id}/resend-failed"
    for role in ("cx", "product"):
        login(role, email=f"{role}@example.com")
        token = csrf_token(client.get("/dashboard/profile"))  # a real token: the role is what is refused
        assert client.post(one, data={"csrf_token": token}).status_code == 403
        assert client.post(since, data={"csrf_token": token, "since": TODAY}).status_code == 403
        client.post("/auth/logout", data={"csrf_token": token})
    login("admin")
    assert client.post(one).status_code == 400  # no CSRF token
    assert client.post(since, data={"since": TODAY}).status_code == 400
    page = client.get("/dashboard/admin/webhooks")
    assert (
        client.post(
            "/dashboard/admin/webhooks/deliveries/987654/resend", data={"csrf_token": csrf_token(page)}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/dashboard/admin/webhooks/987654/resend-failed",
            data={"csrf_token": csrf_token(page), "since": TODAY},
        ).status_code
        == 404
    )
    assert [d.status for d in deliveries(db)] == ["failed"] and len(receiver.received) == 1


def test_two_resends_at_once_queue_one_send(app, receiver, make, db):
    """Two admins (or two clicks) at once: the compare-and-set on ``failed`` moves it once."""
    from tests.helpers import run_twice_at_once

    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    answer(make)
    (delivery,) = deliveries(db)
    delivery.status = "failed"
    db.session.commit()
    delivery_id = delivery.id

    def click() -> bool:
        from feedback_app.extensions import db as job_db

        return webhook_delivery.resend(job_db.session.get_one(WebhookDelivery, delivery_id), actor="test")

    results, errors = run_twice_at_once(app, click)
    assert errors == [] and sorted(results) == [False, True]
    assert webhook_delivery.deliver().delivered == 1 and len(receiver.received) == 1


def test_the_cli_turns_a_webhook_on_and_resends(app, runner, receiver, make, db):
    app.config.update(WEBHOOK_DISABLE_AFTER_FAILURES=1)
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [401]
    answer(make)
    (delivery,) = deliveries(db)
    assert delivery.status == "failed" and db.session.get(WebhookEndpoint, endpoint.id).active is False

    off = runner.invoke(args=["webhooks", "resend", str(delivery.id)])
    assert off.exit_code == 0 and "Resending delivery" in off.output
    assert f"flask webhooks enable {endpoint.id}" in off.output and len(receiver.received) == 1
    twice = runner.invoke(args=["webhooks", "resend", str(delivery.id)])
    assert twice.exit_code != 0 and "is pending, not failed" in twice.output

    on = runner.invoke(args=["webhooks", "enable", str(endpoint.id)])
    assert on.exit_code == 0 and "Turned on" in on.output
    assert len(receiver.received) == 2 and deliveries(db)[0].status == "delivered"

    app.config.update(WEBHOOK_DISABLE_AFTER_FAILURES=20)
    receiver.statuses = [404]
    answer(make)
    assert deliveries(db)[1].status == "failed"
    since = runner.invoke(args=["webhooks", "resend", "--endpoint", str(endpoint.id), "--since", TODAY])
    assert since.exit_code == 0 and "Resending 1 failed delivery to" in since.output
    assert [d.status for d in deliveries(db)] == ["delivered", "delivered"] and len(receiver.received) == 4

    for args, says in [
        (["webhooks", "resend"], "Give a DELIVERY_ID"),
        (["webhooks", "resend", "--endpoint", str(endpoint.id)], "with --since"),
        (["webhooks", "resend", "987654"], "No webhook delivery 987654"),
        (["webhooks", "resend", "--endpoint", "987654", "--since", TODAY], "No webhook 987654"),
        (["webhooks", "resend", "--endpoint", str(endpoint.id), "--since", "soon"], "Invalid value"),
        (["webhooks", "enable", "987654"], "No webhook 987654"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and says in result.output, (args, result.output)
    assert len(receiver.received) == 4


def test_turning_on_from_the_cli_says_what_failed_and_how_to_resend_it(app, runner, receiver, make, db):
    endpoint = turned_off_by_two_404s(app, receiver, make, db)
    on = runner.invoke(args=["webhooks", "enable", str(endpoint.id)])
    assert on.exit_code == 0 and f"Turned on {receiver.url}." in on.output
    assert f"2 of its deliveries failed since {TODAY} and are not sent again" in on.output
    resend = f"flask webhooks resend --endpoint {endpoint.id} --since {TODAY}"
    assert resend in on.output
    assert runner.invoke(args=resend.split()[1:]).exit_code == 0
    assert [d.status for d in deliveries(db)] == ["delivered", "delivered"]


def test_the_cli_lists_the_failed_deliveries_whose_ids_resend_takes(app, runner, receiver, make, db):
    endpoint = webhooks.subscribe(receiver.url, ["response.submitted"], actor="test")
    receiver.statuses = [404]
    answer(make)
    (delivery,) = deliveries(db)
    assert delivery.status == "failed"

    listed = runner.invoke(args=["webhooks", "list", "--failed"])
    assert listed.exit_code == 0 and "Failed deliveries: 1" in listed.output
    row = rf"^\s*{delivery.id}\s+\S+ \S+\s+webhook {endpoint.id}\s+response\.submitted\s+.*HTTP 404"
    assert re.search(row, listed.output, re.MULTILINE), listed.output
    assert runner.invoke(args=["webhooks", "resend", str(delivery.id)]).exit_code == 0
    assert "Failed deliveries: 0" in runner.invoke(args=["webhooks", "list", "--failed"]).output
    assert "Failed deliveries" not in runner.invoke(args=["webhooks", "list"]).output

    for command, says in [
        ("resend", "flask webhooks list --failed"),
        ("enable", "flask webhooks list"),
        ("disable", "flask webhooks list"),
    ]:
        shown = " ".join(runner.invoke(args=["webhooks", command, "--help"]).output.split())
        assert says in shown, (command, shown)
