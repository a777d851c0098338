"""Outgoing webhooks against a real HTTP receiver: Standard Webhooks signatures, delivery through
the outbox, retries, no duplicates, a crash between sending and marking, and endpoints turned
off after repeated failures."""

from __future__ import annotations

import json
import socket
import time

import pytest
from sqlalchemy import func, select

from feedback_app.models import WebhookDelivery, WebhookEndpoint
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.integrations import webhook_delivery, webhooks
from feedback_app.services.responses.submission import after_response_submitted
from tests.app.integrations.receiver import NotHttpServer, verify
from tests.helpers import JUNK_PAGES, csrf_token, showing


def subscribe(url, *events):
    return webhooks.subscribe(url, events or ("response.submitted",), actor="test")


def answer(make):
    response = make.response(answers={"what_happened": "Too slow.", "main_reason": "hard_to_use", "nps": 4})
    after_response_submitted(response.id)
    return response


def test_an_answer_is_posted_signed_as_standard_webhooks_says(receiver, make, db):
    endpoint = subscribe(receiver.url)
    response = answer(make)
    assert len(receiver.received) == 1
    message = receiver.received[0]
    assert verify(endpoint.secret, message.headers, message.body)
    assert (
        message.headers["webhook-id"].startswith("msg_")
        and message.headers["content-type"] == "application/json"
    )
    body = message.json()
    assert body["type"] == "response.submitted"
    assert body["data"]["response_id"] == response.id and body["data"]["main_reason"] == "hard_to_use"
    assert "Too slow." not in message.body.decode()  # no free text leaves by webhook
    assert not verify("whsec_" + "A" * 44, message.headers, message.body)
    tampered = message.body.replace(b"hard_to_use", b"too_expensive")
    assert not verify(endpoint.secret, message.headers, tampered)


def test_an_answer_stored_just_before_a_crash_is_still_sent(app, receiver, make, db, monkeypatch):
    # The process dies after the answer's commit, before the callbacks that run after it: the
    # event must have been written with the answer, for the next delivery run to send.
    from feedback_app.services.responses import submission
    from feedback_app.services.surveys.versions import current_version

    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    subscribe(receiver.url)
    survey = make.survey(key="exit")
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    monkeypatch.setattr(submission, "after_response_submitted", lambda response_id: None)
    outcome = submission.submit_response(
        invitation,
        current_version(survey),
        {"main_reason": "hard_to_use", "what_happened": "Slow.", "nps": 4},
    )
    assert outcome.status == "created"
    assert webhook_delivery.deliver().delivered == 1
    assert receiver.received[0].json()["data"]["response_id"] == outcome.response_id


def test_a_billing_reason_stored_just_before_a_crash_is_still_sent(app, receiver, client, db, monkeypatch):
    from feedback_app.services.billing import events
    from feedback_app.services.billing.chargebee import basic_header
    from tests.app.billing.samples import load

    app.config.update(
        CHARGEBEE_WEBHOOK_USERNAME="cb", CHARGEBEE_WEBHOOK_PASSWORD="pw", WEBHOOK_DELIVER_ON_EMIT=False
    )
    subscribe(receiver.url)
    monkeypatch.setattr(events, "after_response_submitted", lambda response_id: None)
    answered = client.post(
        "/api/v1/webhooks/chargebee",
        json=load("chargebee_subscription_cancelled"),
        headers={"Authorization": basic_header("cb", "pw")},
    )
    assert answered.status_code == 201
    assert webhook_delivery.deliver().delivered == 1
    assert receiver.received[0].json()["data"]["main_reason"] == "too_expensive"


def test_signature_matches_the_specification_test_vector():
    # The Standard Webhooks specification's example: this secret, id, timestamp and body give this signature.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert (
        webhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_failure_then_success_retries_with_the_same_id(receiver, make, db):
    subscribe(receiver.url)
    receiver.statuses = [500]
    answer(make)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "pending" and delivery.last_error == "the receiver answered HTTP 500"
    run = webhook_delivery.deliver()
    assert run.delivered == 1
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.event_id] * 2


def test_backoff_keeps_a_failed_delivery_back_until_due(app, receiver, make, db):
    app.config["WEBHOOK_RETRY_BASE_SECONDS"] = 3600
    subscribe(receiver.url)
    receiver.statuses = [503]
    answer(make)
    assert webhook_delivery.deliver().delivered == 0 and len(receiver.received) == 1


def test_the_same_event_twice_is_delivered_once(receiver, make, db):
    subscribe(receiver.url)
    response = answer(make)
    after_response_submitted(response.id)  # an edit of the same answer
    webhook_delivery.deliver()
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 1
    assert len(receiver.received) == 1


def test_a_crash_between_send_and_mark_resends_with_the_same_id(app, receiver, make, db):
    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    subscribe(receiver.url)
    answer(make)
    claimed = webhook_delivery.claim_next(set())
    webhook_delivery.send(claimed)  # ... and the process dies before marking it
    assert webhook_delivery.deliver().delivered == 0  # still claimed: nobody else sends it
    app.config["WEBHOOK_CLAIM_LEASE_SECONDS"] = 0
    time.sleep(0.01)
    assert webhook_delivery.deliver().delivered == 1
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 2 and len(set(ids)) == 1  # the receiver drops the repeat by its id


def test_an_endpoint_that_keeps_failing_is_turned_off_with_the_reason(app, receiver, make, db, login, client):
    app.config.update(WEBHOOK_DISABLE_AFTER_FAILURES=3, WEBHOOK_MAX_ATTEMPTS=10)
    endpoint = subscribe(receiver.url)
    receiver.statuses = [500] * 10
    answer(make)
    webhook_delivery.deliver()
    webhook_delivery.deliver()
    db.session.refresh(endpoint)
    assert endpoint.active is False and "3 failed attempts in a row" in endpoint.disabled_reason
    assert len(receiver.received) == 3
    assert webhook_delivery.deliver().delivered == 0  # nothing goes to a disabled endpoint
    login("admin")
    page = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert "3 failed attempts in a row" in page and "Turn on" in page


def test_an_endpoint_turned_off_after_one_failure_says_one_failed_attempt(app, receiver, make, db):
    app.config.update(WEBHOOK_DISABLE_AFTER_FAILURES=1)
    endpoint = subscribe(receiver.url)
    receiver.statuses = [500]
    answer(make)
    webhook_delivery.deliver()
    db.session.refresh(endpoint)
    assert endpoint.active is False
    assert endpoint.disabled_reason.startswith("Disabled after 1 failed attempt; last: ")


def test_gives_up_after_the_last_attempt(app, receiver, make, db):
    app.config.update(WEBHOOK_MAX_ATTEMPTS=2)
    subscribe(receiver.url)
    receiver.statuses = [500, 502]
    answer(make)
    webhook_delivery.deliver()
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "failed" and delivery.attempts == 2


def test_a_redirect_is_not_a_delivery(receiver, make, db):
    # urllib follows a 302 to a POST with a GET without the body; that GET's 200 is no delivery.
    subscribe(receiver.url)
    receiver.statuses = [302]
    answer(make)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert receiver.gets == [], "the event is not sent again as a GET without its body"
    assert delivery.status == "pending" and delivery.last_error == "the receiver answered HTTP 302"
    assert webhook_delivery.deliver().delivered == 1 and len(receiver.received) == 2


def test_a_receiver_that_does_not_speak_http_fails_only_its_own_delivery(app, receiver, make, db):
    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    garbage = NotHttpServer()
    try:
        subscribe(garbage.url)
        subscribe(receiver.url)
        answer(make)
        run = webhook_delivery.deliver()
    finally:
        garbage.stop()
    assert run.delivered == 1 and run.retrying == 1 and len(receiver.received) == 1
    bad = db.session.scalar(select(WebhookDelivery).order_by(WebhookDelivery.id).limit(1))
    assert bad.status == "pending" and bad.attempts == 1
    assert bad.last_error.startswith(f"{garbage.url} did not answer in HTTP:")


@pytest.mark.parametrize("code", [400, 404, 410])
def test_a_4xx_answer_fails_at_once_and_is_not_retried(app, receiver, make, db, code):
    subscribe(receiver.url)
    receiver.statuses = [code]
    answer(make)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error == f"the receiver answered HTTP {code}"
    assert webhook_delivery.deliver().delivered == 0 and len(receiver.received) == 1
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.consecutive_failures == 1, "a refused event counts once against its endpoint"


@pytest.mark.parametrize("code", [408, 429])
def test_a_4xx_that_asks_to_wait_is_retried(receiver, make, db, code):
    subscribe(receiver.url)
    receiver.statuses = [code]
    answer(make)
    assert db.session.scalar(select(WebhookDelivery.status)) == "pending"
    assert webhook_delivery.deliver().delivered == 1


def test_an_unreachable_receiver_is_retried_with_a_clear_error(make, db):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subscribe(f"http://127.0.0.1:{port}/gone")
    answer(make)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "pending" and delivery.last_error.startswith(
        "could not reach http://127.0.0.1:"
    )


def test_only_subscribed_events_are_sent(receiver, make, db):
    subscribe(receiver.url, "action.shipped")
    answer(make)
    assert receiver.received == []


def test_shipping_an_action_item_sends_action_shipped_once(receiver, db, make):
    from feedback_app.models import ActionItem

    subscribe(receiver.url, "action.shipped")
    item = ActionItem(title="Cheaper plan", owner_team="product", cause_key="pricing", actions=["Ship it"])
    db.session.add(item)
    db.session.commit()
    action_plan.mark_shipped(item)
    action_plan.mark_shipped(item)
    assert [r.json()["type"] for r in receiver.received] == ["action.shipped"]
    assert receiver.received[0].json()["data"]["root_cause"] == "pricing"


@pytest.mark.parametrize(
    "url", ["ftp://x.example/h", "", "https://", "https://[::1/h"]
)  # the last: urlsplit raised
def test_bad_subscriptions_are_refused_clearly(db, url):
    with pytest.raises(webhooks.WebhookError, match=r"is not an http\(s\) address"):
        subscribe(url)
    with pytest.raises(webhooks.WebhookError, match="Unknown event 'customer.deleted'"):
        webhooks.subscribe("https://h.example/x", ["customer.deleted"])


def test_admin_subscribes_on_the_page_and_sees_the_delivery_log(receiver, client, login, make, db):
    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    assert "No webhooks yet" in page.get_data(as_text=True)
    bad = client.post("/dashboard/admin/webhooks", data={"url": receiver.url, "csrf_token": csrf_token(page)})
    assert bad.status_code == 400 and "Pick at least one event" in bad.get_data(as_text=True)
    created = client.post(
        "/dashboard/admin/webhooks",
        data={"url": receiver.url, "events": ["response.submitted"], "csrf_token": csrf_token(page)},
    )
    assert created.status_code == 200
    secret = db.session.scalar(select(WebhookEndpoint.secret))
    assert secret in created.get_data(as_text=True)
    answer(make)
    log = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert "A former customer answered" in log and "delivered" in log
    assert secret not in log  # shown once


def test_cli_adds_lists_and_delivers(runner, receiver, make, db, app):
    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    added = runner.invoke(args=["webhooks", "add", receiver.url, "--event", "response.submitted"])
    assert added.exit_code == 0 and "whsec_" in added.output
    answer(make)
    assert receiver.received == []
    delivered = runner.invoke(args=["webhooks", "deliver"])
    assert "Delivered 1" in delivered.output and len(receiver.received) == 1
    assert receiver.url in runner.invoke(args=["webhooks", "list"]).output
    refused = runner.invoke(args=["webhooks", "add", receiver.url, "--event", "nope"])
    assert refused.exit_code != 0 and "Unknown event 'nope'" in refused.output
    assert json.loads(receiver.received[0].body)["type"] == "response.submitted"


def test_billing_departures_and_returns_are_sent(app, receiver, client, db):
    from feedback_app.services.billing.chargebee import basic_header
    from tests.app.billing.samples import load

    app.config.update(CHARGEBEE_WEBHOOK_USERNAME="cb", CHARGEBEE_WEBHOOK_PASSWORD="pw")
    endpoint = subscribe(receiver.url, "customer.departed", "customer.returned")
    headers = {"Authorization": basic_header("cb", "pw")}
    client.post("/api/v1/webhooks/chargebee", json=load("chargebee_subscription_cancelled"), headers=headers)
    client.post(
        "/api/v1/webhooks/chargebee", json=load("chargebee_subscription_cancelled"), headers=headers
    )  # replay
    client.post(
        "/api/v1/webhooks/chargebee", json=load("chargebee_subscription_reactivated"), headers=headers
    )
    bodies = [r.json() for r in receiver.received]
    assert [b["type"] for b in bodies] == ["customer.departed", "customer.returned"]
    assert bodies[0]["data"]["external_id"] == "cb_cust_42" and bodies[0]["data"]["reason"] == "too_expensive"
    assert bodies[1]["data"]["returned_at"] == "2026-12-15"
    assert all(verify(endpoint.secret, r.headers, r.body) for r in receiver.received)


def test_endpoints_and_the_delivery_log_page_by_25_each_newest_first(app, login, client, db):
    app.config["WEBHOOK_REQUIRE_HTTPS"] = False
    endpoints = [subscribe(f"https://hooks.example.com/n{n:02}") for n in range(27)]
    db.session.add_all(
        WebhookDelivery(
            endpoint_id=endpoints[0].id,
            event_id=f"msg_{n}",
            event_type="response.submitted",
            payload={},
            status="failed",
            last_error=f"refused #{n:02}",
        )
        for n in range(28)
    )
    db.session.commit()
    login("admin")
    first = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert "hooks.example.com/n26" in first and "hooks.example.com/n01" not in first
    assert "refused #27" in first and "refused #02" not in first
    assert showing(1, 25, 27) in first and showing(1, 25, 28) in first
    assert 'href="/dashboard/admin/webhooks?endpoints_page=2"' in first
    assert 'href="/dashboard/admin/webhooks?page=2#log"' in first
    both = client.get("/dashboard/admin/webhooks?endpoints_page=2&page=2").get_data(as_text=True)
    assert "hooks.example.com/n01" in both and "hooks.example.com/n02" not in both
    assert "refused #02" in both and "refused #03" not in both
    assert showing(26, 27, 27) in both and showing(26, 28, 28) in both
    for junk in JUNK_PAGES:
        response = client.get(f"/dashboard/admin/webhooks?page={junk}&endpoints_page={junk}")
        assert response.status_code == 200, junk


# ---------------------------------------------------------------- private addresses (SSRF)

PRIVATE_URLS = [
    "http://127.0.0.1:8080/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fc00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64
    "https://localhost/hook",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_private_address_is_refused_when_saved(app, db, url):
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    with pytest.raises(webhooks.WebhookError, match=r"^URL: .* is a private or local address"):
        subscribe(url)
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_a_public_address_is_saved_and_private_ones_are_allowed_when_set(app, db):
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    assert subscribe("https://93.184.215.14/hook").url == "https://93.184.215.14/hook"
    assert subscribe("https://[2606:4700:4700::1111]/hook").id
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = True
    assert subscribe("http://10.1.2.3/hook").id


def test_the_page_and_the_cli_name_the_url_when_refusing_a_private_address(app, client, login, runner, db):
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    refused = client.post(
        "/dashboard/admin/webhooks",
        data={
            "url": "http://169.254.169.254/latest/meta-data/",
            "events": ["response.submitted"],
            "csrf_token": csrf_token(page),
        },
    )
    assert refused.status_code == 400
    assert "URL: 169.254.169.254 is a private or local address" in refused.get_data(as_text=True)
    added = runner.invoke(
        args=["webhooks", "add", "http://localhost:9/hook", "--event", "response.submitted"]
    )
    assert added.exit_code != 0 and "URL: localhost (" in added.output
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_a_name_that_resolves_to_a_private_address_at_send_time_is_not_contacted(app, make, db):
    # Saved while the name looked public (here: while allowed), it now resolves to 127.0.0.1: the
    # server listening there must see no connection at all, and the delivery fails for good.
    app.config["WEBHOOK_DELIVER_ON_EMIT"] = False
    listener = NotHttpServer()
    try:
        port = listener.url.rsplit(":", 1)[1].split("/")[0]
        endpoint = subscribe(f"http://localhost:{port}/hook")
        app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
        answer(make)
        run = webhook_delivery.deliver()
        again = webhook_delivery.deliver()
    finally:
        listener.stop()
    assert listener.connections == 0
    assert run.failed == 1 and again.failed == again.retrying == again.delivered == 0
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error.startswith("not sent: localhost (")
    assert "is a private or local address" in delivery.last_error
    db.session.refresh(endpoint)
    assert endpoint.consecutive_failures == 1


def test_a_private_literal_address_is_not_posted_to_when_refused(app, receiver, make, db):
    subscribe(receiver.url)
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    answer(make)
    assert receiver.received == []
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "failed"
    assert delivery.last_error.startswith("not sent: 127.0.0.1 is a private or local address")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("fe80::1%1", False),
        ("::ffff:10.0.0.1", False),
        ("::", False),
        # NAT64 (RFC 6052): a NAT64 gateway (IPv6-only hosts, AWS NAT gateways) forwards these to
        # the IPv4 address in their last 32 bits, so they are judged by it
        ("64:ff9b::a00:5", False),  # 10.0.0.5
        ("64:ff9b::a9fe:a9fe", False),  # 169.254.169.254
        ("64:ff9b::808:808", True),  # 8.8.8.8
        ("64:ff9b:1::a00:5", False),  # the local-use NAT64 prefix: never global
    ],
)
def test_which_addresses_are_public(address, public):
    from feedback_app.services.integrations.public_addresses import is_public

    assert is_public(address) is public
