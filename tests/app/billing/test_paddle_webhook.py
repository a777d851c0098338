"""POST /api/v1/webhooks/paddle: Paddle-Signature (ts, h1), cancellations, activations, replays."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Response
from feedback_app.services.billing.paddle import sign
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.overview import overview
from feedback_app.services.responses.answers import reason_text
from tests.app.billing.samples import load

URL = "/api/v1/webhooks/paddle"
SECRET = "pdl_ntfset_01hv8_test_secret"


@pytest.fixture(autouse=True)
def secret(app):
    app.config["PADDLE_WEBHOOK_SECRET"] = SECRET


def send(client, event, *, secret=SECRET, timestamp=None, header=None, body=None):
    body = body if body is not None else json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    if header is None:
        header = f"ts={timestamp};h1={sign(body, secret, timestamp)}"
    headers = {"Content-Type": "application/json"}
    if header:
        headers["Paddle-Signature"] = header
    return client.post(URL, data=body, headers=headers)


def customers(db) -> int:
    return db.session.scalar(select(func.count(DepartedCustomer.id)))


def test_signed_cancellation_creates_the_customer_with_reason_and_words(client, db):
    response = send(client, load("paddle_subscription_canceled"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    customer = db.session.get(DepartedCustomer, body["customers"][0]["id"])
    assert (customer.source, customer.external_id) == ("paddle", "ctm_01hv6y1jedq4p1n0yqn5ba3ky4")
    assert (customer.email, customer.company, customer.plan) == (
        "li@contoso.example",
        "Contoso",
        "AeroEdit Pro",
    )
    assert (
        customer.left_at == date(2026, 10, 15) and customer.monthly_revenue_cents == 6000
    )  # 2 seats x 30.00
    assert customer.tenure_months == 12
    answer = db.session.get(Response, body["feedback_response_id"])
    assert answer.source == "paddle" and answer.answers["main_reason"] == "switched_competitor"
    assert reason_text(answer) == "Your competitor bundles the editor with storage for less."


def test_cancellation_without_custom_data_stores_no_feedback(client, db):
    event = load("paddle_subscription_canceled")
    event["data"]["custom_data"] = None
    body = send(client, event).get_json()
    assert body["feedback_response_id"] is None and db.session.scalar(select(func.count(Response.id))) == 0


def test_activation_after_cancellation_is_a_return(client, db):
    send(client, load("paddle_subscription_canceled"))
    response = send(client, load("paddle_subscription_activated"))
    assert response.status_code == 200 and response.get_json()["event"] == "returned"
    db.session.expire_all()
    assert db.session.scalar(select(DepartedCustomer.returned_at)) == date(2026, 12, 14)
    assert overview(Filters(start=date(2026, 10, 1), end=date(2026, 10, 31))).won_back == 1


def test_resumed_is_a_return_too_and_a_second_one_changes_nothing(client, db):
    send(client, load("paddle_subscription_canceled"))
    send(client, load("paddle_subscription_activated"))
    resumed = load(
        "paddle_subscription_activated", event_id="evt_resumed_1", event_type="subscription.resumed"
    )
    response = send(client, resumed)
    assert response.get_json()["event"] == "unchanged"


def test_replayed_event_id_changes_nothing(client, db):
    assert send(client, load("paddle_subscription_canceled")).status_code == 201
    again = send(client, load("paddle_subscription_canceled"))
    assert again.status_code == 200 and again.get_json()["event"] == "duplicate"
    assert customers(db) == 1


def test_one_of_several_h1_signatures_may_match_during_rotation(client, db):
    body = json.dumps(load("paddle_subscription_canceled")).encode()
    now = int(time.time())
    header = f"ts={now};h1={sign(body, 'pdl_old', now)};h1={sign(body, SECRET, now)}"
    assert send(client, None, body=body, header=header).status_code == 201


@pytest.mark.parametrize(
    "case",
    [
        "wrong_secret",
        "no_header",
        "no_h1",
        "no_ts",
        "bad_ts",
        "stale",
        "future",
        "tampered",
        "comma_separated",
        "non_ascii",
    ],
)
def test_bad_or_stale_signatures_are_400_with_no_write(client, db, case):
    body = json.dumps(load("paddle_subscription_canceled")).encode()
    now = int(time.time())
    good = sign(body, SECRET, now)
    headers = {
        "wrong_secret": f"ts={now};h1={sign(body, 'pdl_wrong', now)}",
        "no_header": "",
        "no_h1": f"ts={now};h2={good}",
        "no_ts": f"h1={good}",
        "bad_ts": f"ts=now;h1={good}",
        "stale": f"ts={now - 60};h1={sign(body, SECRET, now - 60)}",
        "future": f"ts={now + 60};h1={sign(body, SECRET, now + 60)}",
        "tampered": f"ts={now};h1={good}",
        "comma_separated": f"ts={now},h1={good}",  # Stripe's separator is not Paddle's
        "non_ascii": f"ts={now};h1=\u00e9{good[1:]}",  # refused, not a 500 from the comparison
    }
    sent = body.replace(b"ctm_01hv6y1", b"ctm_EVE0001") if case == "tampered" else body
    response = send(client, None, body=sent, header=headers[case])
    assert response.status_code == 400
    assert response.get_json()["message"]
    assert customers(db) == 0


def test_stale_message_names_the_window_and_the_window_is_configurable(app, client, db):
    response = send(client, load("paddle_subscription_canceled"), timestamp=int(time.time()) - 30)
    assert "outside the 5 s tolerance window" in response.get_json()["message"]
    app.config["PADDLE_TOLERANCE_SECONDS"] = 300
    assert (
        send(client, load("paddle_subscription_canceled"), timestamp=int(time.time()) - 30).status_code == 201
    )


def test_unknown_event_type_is_acknowledged_and_ignored(client, db):
    response = send(client, load("paddle_subscription_canceled", event_type="transaction.completed"))
    assert response.status_code == 200 and "not handled" in response.get_json()["ignored"]
    assert customers(db) == 0


def test_bad_fields_are_422_naming_them(client, db):
    event = load("paddle_subscription_canceled")
    event["data"]["custom_data"] = {"email": "not-an-address"}
    response = send(client, event)
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "email"
    event["data"]["custom_data"] = ["a list"]
    assert send(client, event).get_json()["errors"][0]["field"] == "data.custom_data"
    assert customers(db) == 0


def test_a_missing_field_says_where_in_the_paddle_event_it_is_read(client, db):
    event = load("paddle_subscription_canceled")
    event["data"]["customer_id"] = ""
    errors = send(client, event).get_json()["errors"]
    assert [e["message"] for e in errors] == [
        "is required but empty (read from the event's data.customer_id)"
    ]
    event["data"]["customer_id"] = "ctm_1"
    event["data"]["custom_data"] = {"left_at": "soon"}  # the business's own value: no event path to name
    assert "read from" not in send(client, event).get_json()["errors"][0]["message"]


def test_unconfigured_secret_is_503(app, client, db):
    app.config["PADDLE_WEBHOOK_SECRET"] = None
    response = send(client, load("paddle_subscription_canceled"))
    assert response.status_code == 503 and "PADDLE_WEBHOOK_SECRET" in response.get_json()["message"]


def test_an_active_new_subscription_counts_as_new_once_and_a_trial_does_not(client, db):
    from feedback_app.models import SubscriptionMovement

    event = load("paddle_subscription_activated", event_id="evt_new_1", event_type="subscription.created")
    event["data"]["customer_id"] = "ctm_brand_new"
    assert "counted as a new customer" in send(client, event).get_json()["message"]
    again = load("paddle_subscription_activated", event_id="evt_new_2", event_type="subscription.created")
    again["data"]["customer_id"] = "ctm_brand_new"
    send(client, again)  # a second subscription of the same customer is not a second new customer
    trial = load("paddle_subscription_activated", event_id="evt_new_3", event_type="subscription.created")
    trial["data"].update(customer_id="ctm_trial", status="trialing")
    assert send(client, trial).get_json()["event"] == "ignored"
    moves = db.session.execute(select(SubscriptionMovement.external_id, SubscriptionMovement.kind)).all()
    assert moves == [("ctm_brand_new", "new")]
