"""POST /api/v1/webhooks/chargebee: Basic auth, cancellations with their reason, reactivations, replays."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from feedback_app.models import AuditEvent, BillingEvent, DepartedCustomer, Response
from feedback_app.services.billing.chargebee import basic_header
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.overview import overview
from feedback_app.services.responses.answers import reason_text
from tests.app.billing.samples import load

URL = "/api/v1/webhooks/chargebee"
USER, PASSWORD = "chargebee", "s3cret-webhook-pass"


@pytest.fixture(autouse=True)
def credentials(app):
    app.config.update(CHARGEBEE_WEBHOOK_USERNAME=USER, CHARGEBEE_WEBHOOK_PASSWORD=PASSWORD)


def send(client, event, *, auth=None, body=None):
    headers = {"Content-Type": "application/json"}
    auth = basic_header(USER, PASSWORD) if auth is None else auth
    if auth:
        headers["Authorization"] = auth
    return client.post(URL, data=body if body is not None else json.dumps(event), headers=headers)


def customers(db) -> int:
    return db.session.scalar(select(func.count(DepartedCustomer.id)))


def test_cancellation_creates_the_customer_and_keeps_reason_code_and_notes(client, db):
    response = send(client, load("chargebee_subscription_cancelled"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    customer = db.session.get(DepartedCustomer, body["customers"][0]["id"])
    assert (customer.source, customer.external_id, customer.email) == (
        "chargebee",
        "cb_cust_42",
        "dana@northwind.example",
    )
    assert (customer.name, customer.company, customer.segment) == (
        "Dana Okafor",
        "Northwind Ltd",
        "mid-market",
    )
    assert customer.left_at == date(2026, 10, 15) and customer.churn_type == "voluntary"
    assert customer.plan == "growth-USD-monthly" and customer.monthly_revenue_cents == 14700
    assert customer.tenure_months == 12
    answer = db.session.get(Response, body["feedback_response_id"])
    assert answer.source == "chargebee"
    assert answer.answers["main_reason"] == "too_expensive"
    assert answer.answers["billing_reason"] == "Too Expensive"
    assert reason_text(answer).startswith("We moved reporting to our data warehouse")


def test_replayed_event_changes_nothing(client, db):
    assert send(client, load("chargebee_subscription_cancelled")).status_code == 201
    again = send(client, load("chargebee_subscription_cancelled"))
    assert again.status_code == 200
    assert again.get_json()["event"] == "duplicate" and "already processed" in again.get_json()["message"]
    assert customers(db) == 1
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(func.count(BillingEvent.id))) == 1


def test_reactivation_sets_returned_at_and_counts_as_won_back(client, db):
    assert send(client, load("chargebee_subscription_cancelled")).status_code == 201
    filters = Filters(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert overview(filters).won_back == 0
    response = send(client, load("chargebee_subscription_reactivated"))
    assert response.status_code == 200 and response.get_json()["event"] == "returned"
    db.session.expire_all()
    customer = db.session.scalar(select(DepartedCustomer))
    assert customer.returned_at == date(2026, 12, 15)
    assert overview(filters).won_back == 1


def test_resumed_for_an_unknown_customer_is_acknowledged_and_ignored(client, db):
    event = load("chargebee_subscription_reactivated", id="ev_resume_1", event_type="subscription_resumed")
    response = send(client, event)
    assert response.status_code == 200 and response.get_json()["event"] == "ignored"
    assert "no departed customer" in response.get_json()["message"]
    assert customers(db) == 0


def test_leaving_again_after_returning_clears_returned_at(client, db):
    send(client, load("chargebee_subscription_cancelled"))
    send(client, load("chargebee_subscription_reactivated"))
    later = load("chargebee_subscription_cancelled", id="ev_second_cancel", occurred_at=1800014400)
    later["content"]["subscription"]["cancelled_at"] = 1800014400  # 2027-01-15
    assert send(client, later).status_code == 200
    db.session.expire_all()
    customer = db.session.scalar(select(DepartedCustomer))
    assert customer.left_at == date(2027, 1, 15) and customer.returned_at is None


def test_non_payment_cancellation_is_involuntary(client, db):
    event = load("chargebee_subscription_cancelled")
    del event["content"]["subscription"]["cancel_reason_code"]
    event["content"]["subscription"]["cancel_reason"] = "not_paid"
    event["content"]["subscription"]["meta_data"] = {}
    body = send(client, event).get_json()
    customer = db.session.get(DepartedCustomer, body["customers"][0]["id"])
    assert customer.churn_type == "involuntary"
    answer = db.session.get(Response, body["feedback_response_id"])
    assert answer.answers["main_reason"] == "billing_problem" and answer.answers["what_happened"] is None


@pytest.mark.parametrize(
    "auth",
    [
        "",
        "Basic " + "!!!notbase64",
        "Bearer abc",
        basic_header(USER, "wrong"),
        basic_header("someone", PASSWORD),
    ],
)
def test_wrong_or_missing_credentials_are_401_with_no_write(client, db, auth):
    response = send(client, load("chargebee_subscription_cancelled"), auth=auth)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.get_json()["message"]
    assert customers(db) == 0


def test_unknown_event_type_is_acknowledged_and_ignored(client, db):
    response = send(client, load("chargebee_subscription_cancelled", event_type="invoice_generated"))
    assert response.status_code == 200 and "not handled" in response.get_json()["ignored"]
    assert customers(db) == 0


def test_event_without_id_or_customer_is_422(client, db):
    no_id = load("chargebee_subscription_cancelled")
    del no_id["id"]
    response = send(client, no_id)
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "id"
    no_customer = load("chargebee_subscription_cancelled")
    del no_customer["content"]["subscription"]["customer_id"]
    del no_customer["content"]["customer"]["id"]
    response = send(client, no_customer)
    assert response.status_code == 422 and {e["field"] for e in response.get_json()["errors"]} == {
        "external_id"
    }
    assert customers(db) == 0


def test_a_missing_field_says_where_in_the_chargebee_event_it_is_read(client, db):
    event = load("chargebee_subscription_cancelled")
    del event["content"]["subscription"]["customer_id"]
    del event["content"]["customer"]["id"]
    errors = send(client, event).get_json()["errors"]
    assert [e["message"] for e in errors] == [
        "is required (read from the event's content.subscription.customer_id or content.customer.id)"
    ]


def test_malformed_json_is_400_and_unconfigured_webhook_is_503(app, client, db):
    assert send(client, None, body=b'{"event_type": ').status_code == 400
    app.config["CHARGEBEE_WEBHOOK_PASSWORD"] = None
    response = send(client, load("chargebee_subscription_cancelled"))
    assert response.status_code == 503 and "CHARGEBEE_WEBHOOK_PASSWORD" in response.get_json()["message"]


def test_each_event_is_audited(client, db):
    send(client, load("chargebee_subscription_cancelled"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.chargebee_event"))
    assert event.details["event_id"] == "ev_AzZTQDUdyG8Lc2Xn" and event.details["status"] == "created"


def test_a_cancellation_scheduled_years_ahead_is_kept_as_the_provider_sent_it(client, db):
    """A provider's cancellation date is the end of the paid period, however far: unlike a CSV row
    or the departures API, the webhook takes it (the survey waits for that day)."""
    event = load("chargebee_subscription_cancelled")
    event["content"]["subscription"]["cancelled_at"] = 1924992000  # 2031-01-01
    response = send(client, event)
    assert response.status_code == 201, response.get_json()
    customer = db.session.get(DepartedCustomer, response.get_json()["customers"][0]["id"])
    assert customer.left_at == date(2031, 1, 1)
