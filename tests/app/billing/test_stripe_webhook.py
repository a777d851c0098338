"""POST /api/v1/webhooks/stripe: a signed customer.subscription.deleted event becomes a departed customer."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer
from feedback_app.services.billing.stripe import sign

URL = "/api/v1/webhooks/stripe"
SECRET = "whsec_test_signing_secret"
ENDED = int(datetime(2026, 10, 15, 12, tzinfo=UTC).timestamp())
STARTED = int(datetime(2025, 10, 1, tzinfo=UTC).timestamp())


def event(**subscription_fields) -> dict:
    subscription = {
        "id": "sub_123",
        "object": "subscription",
        "customer": "cus_ABC",
        "start_date": STARTED,
        "canceled_at": ENDED - 3600,
        "ended_at": ENDED,
        "status": "canceled",
        "cancellation_details": {"reason": "cancellation_requested", "feedback": "too_expensive"},
        "items": {
            "data": [
                {
                    "quantity": 2,
                    "price": {
                        "id": "price_1",
                        "nickname": "team",
                        "unit_amount": 7900,
                        "recurring": {"interval": "month", "interval_count": 1},
                    },
                }
            ]
        },
        "metadata": {"email": "ann@example.com", "segment": "smb"},
    }
    subscription.update(subscription_fields)
    return {
        "id": "evt_1",
        "object": "event",
        "type": "customer.subscription.deleted",
        "created": ENDED,
        "data": {"object": subscription},
    }


@pytest.fixture(autouse=True)
def signing_secret(app):
    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET


def send(client, payload, *, secret=SECRET, timestamp=None, header=None, body=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    if header is None:
        header = f"t={timestamp},v1={sign(body, secret, timestamp)}"
    return client.post(
        URL, data=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
    )


def count(db) -> int:
    return db.session.scalar(select(func.count(DepartedCustomer.id)))


def test_signed_event_creates_a_departed_customer(client, db):
    response = send(client, event())
    assert response.status_code == 201, response.get_json()
    customer = db.session.get(DepartedCustomer, response.get_json()["customers"][0]["id"])
    assert (customer.source, customer.external_id, customer.email) == ("stripe", "cus_ABC", "ann@example.com")
    assert customer.left_at == date(2026, 10, 15)
    assert customer.churn_type == "voluntary"
    assert customer.plan == "team" and customer.segment == "smb"
    assert customer.monthly_revenue_cents == 15800  # 2 seats x 79.00
    assert customer.tenure_months == 12


def test_redelivered_event_is_idempotent(client, db):
    assert send(client, event()).status_code == 201
    again = send(client, event())
    assert again.status_code == 200 and again.get_json()["event"] == "duplicate"
    assert count(db) == 1
    resent = send(client, event() | {"id": "evt_2"})  # the same cancellation under another event id
    assert resent.status_code == 200 and resent.get_json()["unchanged"] == 1


def test_failed_payment_is_involuntary_and_yearly_price_is_monthly(client, db):
    payload = event(
        cancellation_details={"reason": "payment_failed"},
        items={"data": [{"price": {"unit_amount": 120000, "recurring": {"interval": "year"}}}]},
        customer={"id": "cus_X", "email": "x@example.com", "name": "Xu Li"},
        metadata={},
    )
    assert send(client, payload).status_code == 201
    customer = db.session.scalar(select(DepartedCustomer))
    assert customer.churn_type == "involuntary" and customer.monthly_revenue_cents == 10000
    assert (customer.external_id, customer.email, customer.name) == ("cus_X", "x@example.com", "Xu Li")


def test_event_without_email_is_still_recorded(client, db):
    assert send(client, event(metadata={})).status_code == 201
    assert db.session.scalar(select(DepartedCustomer.email)) is None


def test_one_of_several_v1_signatures_may_match_during_secret_rotation(client, db):
    body = json.dumps(event()).encode()
    now = int(time.time())
    header = f"t={now},v1={sign(body, 'whsec_old', now)},v1={sign(body, SECRET, now)},v0=ignored"
    assert send(client, None, body=body, header=header).status_code == 201


@pytest.mark.parametrize(
    "case",
    [
        "wrong_secret",
        "no_header",
        "no_v1",
        "no_timestamp",
        "bad_timestamp",
        "stale",
        "future",
        "tampered",
        "non_ascii",
    ],
)
def test_bad_or_stale_signatures_are_400_with_no_write(client, db, case):
    body = json.dumps(event()).encode()
    now = int(time.time())
    headers = {
        "wrong_secret": f"t={now},v1={sign(body, 'whsec_wrong', now)}",
        "no_header": "",
        "no_v1": f"t={now},v0={sign(body, SECRET, now)}",
        "no_timestamp": f"v1={sign(body, SECRET, now)}",
        "bad_timestamp": f"t=yesterday,v1={sign(body, SECRET, now)}",
        "stale": f"t={now - 301},v1={sign(body, SECRET, now - 301)}",
        # A minute past the window: a slow CI machine may take seconds between here and the check.
        "future": f"t={now + 360},v1={sign(body, SECRET, now + 360)}",
        "tampered": f"t={now},v1={sign(body, SECRET, now)}",
        # a mangled header (a proxy, a hand-written test): refused, not a 500 from the comparison
        "non_ascii": f"t={now},v1=\u00e9{sign(body, SECRET, now)[1:]}",
    }
    sent = body.replace(b"cus_ABC", b"cus_EVE") if case == "tampered" else body
    response = client.post(
        URL, data=sent, headers={"Stripe-Signature": headers[case]} if headers[case] else {}
    )
    assert response.status_code == 400
    assert response.get_json()["message"]
    assert count(db) == 0


def test_stale_message_names_the_tolerance_window(client):
    response = send(client, event(), timestamp=int(time.time()) - 3600)
    assert "outside the 300 s tolerance window" in response.get_json()["message"]


def test_tolerance_is_configurable(app, client, db):
    app.config["STRIPE_TOLERANCE_SECONDS"] = 7200
    assert send(client, event(), timestamp=int(time.time()) - 3600).status_code == 201


def test_other_event_types_are_acknowledged_and_ignored(client, db):
    payload = event() | {"type": "invoice.paid"}
    response = send(client, payload)
    assert response.status_code == 200 and "not handled" in response.get_json()["ignored"]
    assert count(db) == 0


def test_signed_but_unmappable_event_is_422(client, db):
    response = send(client, event(customer=None, ended_at="soon", canceled_at=None) | {"created": None})
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"external_id", "left_at"} <= fields
    assert count(db) == 0


def test_a_missing_field_says_where_in_the_stripe_event_it_is_read(client, db):
    """Walk (integrator): a cancellation with "customer": null got "external_id: is required",
    a name Stripe's event does not have; the message now says which part of the event it reads."""
    errors = send(client, event(customer=None)).get_json()["errors"]
    assert errors == [
        {
            "index": 0,
            "field": "external_id",
            "message": "is required (read from the event's data.object.customer)",
        }
    ]


def test_signed_malformed_json_is_400(client, db):
    assert send(client, None, body=b'{"type": ').status_code == 400
    assert send(client, None, body=b"[1, 2]").status_code == 400


def test_without_a_configured_secret_nothing_is_accepted(app, client, db):
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    response = send(client, event())
    assert response.status_code == 503 and "STRIPE_WEBHOOK_SECRET" in response.get_json()["message"]
    assert count(db) == 0


def test_oversized_event_is_413(app, client, db):
    app.config["API_MAX_BODY_BYTES"] = 500
    assert (
        send(client, event(metadata={"company": "x" * 150, "name": "y" * 150, "plan": "z" * 90})).status_code
        == 413
    )
    assert count(db) == 0


def test_the_expanded_customers_phone_is_kept_and_an_unreadable_one_is_left_out(client, db):
    """A phone number for the follow-up queue; Stripe's free-form field never costs the departure."""
    first = send(
        client, event(customer={"id": "cus_P", "email": "p@example.com", "phone": "+1 555 201 3344"})
    )
    second = send(
        client,
        event(customer={"id": "cus_Q", "email": "q@example.com", "phone": "ask reception"}) | {"id": "evt_2"},
    )
    assert first.status_code == 201 and second.status_code == 201, second.get_json()
    phones = dict(db.session.execute(select(DepartedCustomer.external_id, DepartedCustomer.phone)).all())
    assert phones == {"cus_P": "+1 555 201 3344", "cus_Q": None}
