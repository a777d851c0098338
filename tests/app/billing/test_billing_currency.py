"""The dashboard adds amounts up in one currency: a billing event whose amounts are in another
currency than the installation's is recorded (the customer is still surveyed) without its monthly
revenue, saying so in the response and the audit event, through each provider's signed receiver."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from feedback_app.models import AuditEvent, BillingEvent, DepartedCustomer
from feedback_app.startup import ConfigError, check_config
from tests.app.billing.samples import load
from tests.app.billing.senders import SECRETS, post_chargebee, post_paddle, post_stripe


@pytest.fixture(autouse=True)
def secrets(app):
    app.config.update(SECRETS)


def stripe_event(event_id: str, currency: str | int | None = "usd", **metadata: str) -> dict[str, Any]:
    event = load("stripe_subscription_deleted", id=event_id)
    event["data"]["object"]["currency"] = currency
    event["data"]["object"]["metadata"] |= metadata
    return event


def paddle_event(currency: str) -> dict[str, Any]:
    event = load("paddle_subscription_canceled")
    event["data"]["currency_code"] = currency
    return event


def chargebee_event(currency: str) -> dict[str, Any]:
    event = load("chargebee_subscription_cancelled")
    event["content"]["subscription"]["currency_code"] = currency
    return event


def revenue(db, source: str) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(DepartedCustomer.monthly_revenue_cents).where(DepartedCustomer.source == source)
    )


def audit_of(db, provider: str) -> list[dict[str, Any]]:
    return [
        event.details
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == f"customers.{provider}_event")
            .order_by(AuditEvent.id)
        )
    ]


def test_amounts_in_another_currency_than_the_first_events_are_recorded_but_not_added_up(client, db):
    first = post_stripe(client, stripe_event("evt_usd"))
    assert first.status_code in (200, 201) and "message" not in first.get_json()
    assert revenue(db, "stripe") == 2900
    assert db.session.scalar(select(BillingEvent.currency)) == "USD"

    for post, event, provider in (
        (post_paddle, paddle_event("EUR"), "paddle"),
        (post_chargebee, chargebee_event("eur"), "chargebee"),
    ):
        response = post(client, event)
        assert response.status_code in (200, 201), response.get_json()
        body = response.get_json()
        assert body["event"] == "created"
        assert "amounts in EUR, but this installation's amounts are in USD" in body["message"]
        assert "from the first billing event with amounts, stripe evt_usd" in body["message"]
        assert "recorded without its monthly revenue" in body["message"]
        assert revenue(db, provider) is None, f"{provider}: not added to revenue lost"
        assert "amounts in EUR" in audit_of(db, provider)[-1]["amounts_left_out"]

    total = db.session.scalar(select(func.sum(DepartedCustomer.monthly_revenue_cents)))
    assert total == 2900, "only the USD amount is in revenue lost"
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 3, "every departure kept"
    assert list(db.session.scalars(select(BillingEvent.currency).order_by(BillingEvent.id))) == [
        "USD",
        None,
        None,
    ]
    assert "amounts_left_out" not in audit_of(db, "stripe")[0]


def test_a_later_event_in_another_currency_keeps_the_stored_amount(client, db):
    """The same customer's cancellation again (left again, or an update) in EUR: the USD amount stored
    stays; the EUR one is neither added nor written over it."""
    assert post_stripe(client, stripe_event("evt_1")).status_code in (200, 201)
    again = stripe_event("evt_2", currency="eur")
    again["data"]["object"]["ended_at"] += 86400
    response = post_stripe(client, again)
    assert response.status_code in (200, 201) and "amounts in EUR" in response.get_json()["message"]
    assert revenue(db, "stripe") == 2900


def test_billing_currency_sets_the_installations_currency(app, client, db):
    app.config["BILLING_CURRENCY"] = "eur"
    response = post_stripe(client, stripe_event("evt_usd"))
    assert (
        "amounts in USD, but this installation's amounts are in EUR (BILLING_CURRENCY)"
        in (response.get_json()["message"])
    )
    assert "send monthly_revenue in EUR in the subscription's metadata" in response.get_json()["message"]
    assert revenue(db, "stripe") is None
    assert post_paddle(client, paddle_event("EUR")).status_code in (200, 201)
    assert revenue(db, "paddle") == 6000  # two seats at 30.00 EUR


def test_an_amount_from_the_business_metadata_is_theirs_and_counted(client, db):
    assert post_paddle(client, paddle_event("USD")).status_code in (200, 201)
    response = post_stripe(client, stripe_event("evt_eur", currency="eur", monthly_revenue="25"))
    assert response.status_code in (200, 201) and "message" not in response.get_json()
    assert revenue(db, "stripe") == 2500


def test_an_event_whose_currency_cannot_be_read_is_counted_as_before(client, db):
    """As a CSV row with an empty currency cell: nothing to compare, so the amount is kept."""
    assert post_paddle(client, paddle_event("USD")).status_code in (200, 201)
    for n, currency in enumerate([978, "", "EURO", "€", None]):
        response = post_stripe(client, stripe_event(f"evt_odd_{n}", currency=currency))
        assert response.status_code in (200, 201) and "message" not in response.get_json(), currency
        assert revenue(db, "stripe") == 2900, currency
        stored = db.session.scalar(
            select(BillingEvent.currency).where(BillingEvent.event_id == f"evt_odd_{n}")
        )
        assert stored is None, currency


def test_a_redelivered_event_changes_nothing(client, db):
    assert post_stripe(client, stripe_event("evt_usd")).status_code in (200, 201)
    assert post_paddle(client, paddle_event("EUR")).status_code in (200, 201)
    again = post_paddle(client, paddle_event("EUR"))
    assert again.get_json()["event"] == "duplicate"
    assert revenue(db, "paddle") is None


def test_a_billing_currency_that_is_not_a_code_stops_startup(app):
    for value in ("dollars", "US", "E1R", "€€€"):
        with pytest.raises(ConfigError, match="BILLING_CURRENCY must be a three-letter currency code"):
            check_config({**app.config, "BILLING_CURRENCY": value})
    check_config({**app.config, "BILLING_CURRENCY": " chf "})
    check_config({**app.config, "BILLING_CURRENCY": ""})
