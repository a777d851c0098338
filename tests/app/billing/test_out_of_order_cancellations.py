"""Billing providers deliver events out of order and retry for days: a cancellation older than the
departure already stored must not move ``left_at`` back, announce the departure again or invite the
customer, whichever provider sent it. The departures API and a CSV import are a person's deliberate
data, so an earlier ``left_at`` there corrects the stored one (docs/intake.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Invitation, Response, WebhookDelivery, utcnow
from feedback_app.services.integrations.webhooks import subscribe
from tests.app.billing.samples import load
from tests.app.billing.senders import SECRETS, post_chargebee, post_paddle, post_stripe
from tests.app.integrations.receiver import Receiver
from tests.app.survey_helpers import shipped_survey

TODAY = utcnow().date()
#: The newer cancellation, at the end of a paid period still ahead; the older one, already past.
LATER, EARLIER = TODAY + timedelta(days=20), TODAY - timedelta(days=5)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _stripe_event(event_id: str, day: date, **metadata: str) -> dict[str, Any]:
    event = load("stripe_subscription_deleted", id=event_id)
    subscription = event["data"]["object"]
    subscription["ended_at"] = subscription["canceled_at"] = int(_noon(day).timestamp())
    subscription["metadata"] = {"email": "sam@fabrikam.example", **metadata}
    return event


def _paddle_event(event_id: str, day: date, **custom: str) -> dict[str, Any]:
    event = load("paddle_subscription_canceled", event_id=event_id)
    event["data"]["canceled_at"] = _noon(day).isoformat().replace("+00:00", "Z")
    event["data"]["custom_data"] |= custom
    return event


def _chargebee_event(event_id: str, day: date, **meta: str) -> dict[str, Any]:
    event = load("chargebee_subscription_cancelled", id=event_id)
    event["content"]["subscription"]["cancelled_at"] = int(_noon(day).timestamp())
    event["content"]["subscription"]["meta_data"] |= meta
    return event


Build = Callable[..., dict[str, Any]]
PROVIDERS = [
    pytest.param(post_stripe, _stripe_event, id="stripe"),
    pytest.param(post_paddle, _paddle_event, id="paddle"),
    pytest.param(post_chargebee, _chargebee_event, id="chargebee"),
]


@pytest.fixture
def configured(app, db, smtp_server):
    """Every provider's secret set, and a survey that invites each departure at once."""
    app.config.update(smtp_server.mail_settings(), **SECRETS, WEBHOOK_RETRY_BASE_SECONDS=0)
    survey = shipped_survey("saas_cancellation")
    survey.auto_invite_delay_hours = 0
    db.session.commit()
    return app


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def _stored(db) -> DepartedCustomer:
    db.session.expire_all()
    return db.session.scalars(select(DepartedCustomer)).one()


def _invitations(db) -> int:
    return db.session.scalar(
        select(func.count(Invitation.id)).where(Invitation.survey.has(key="saas_cancellation"))
    )


@pytest.mark.parametrize(("post", "build"), PROVIDERS)
def test_a_late_older_cancellation_keeps_the_later_departure(
    configured, client, db, smtp_server, receiver, post: Callable, build: Build
):
    subscribe(receiver.url, ["customer.departed"], actor="test")
    db.session.commit()
    newer = post(client, build("evt_newer", LATER))
    assert newer.status_code == 201, newer.get_json()
    assert _stored(db).left_at == LATER and _invitations(db) == 0  # not left yet: nobody is invited

    older = post(client, build("evt_older", EARLIER))  # sent first, delivered last

    assert older.status_code == 200, older.get_json()
    body = older.get_json()
    assert body["event"] == "unchanged" and body["customers"][0]["status"] == "unchanged"
    assert f"older than the departure already stored ({LATER.isoformat()})" in body["message"]
    assert _stored(db).left_at == LATER
    assert _invitations(db) == 0 and smtp_server.messages == []
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 1  # customer.departed once
    again = post(client, build("evt_older", EARLIER))
    assert again.get_json()["event"] == "duplicate"


def test_a_late_older_cancellation_only_fills_what_is_missing(configured, client, db, receiver):
    """Its data is older too: it adds a company the newer event lacked, never overwrites the newer
    plan, and its reason does not replace the newer cancellation's."""
    newer = _stripe_event("evt_newer", LATER)
    newer["data"]["object"]["cancellation_details"] = {
        "feedback": "too_expensive",
        "comment": "Price doubled.",
    }
    assert post_stripe(client, newer).status_code == 201
    older = _stripe_event("evt_older", EARLIER, company="Fabrikam", plan="legacy")
    older["data"]["object"]["cancellation_details"] = {"feedback": "unused", "comment": "Nobody used it."}

    body = post_stripe(client, older).get_json()

    assert body["event"] == "updated" and body["feedback_response_id"] is None
    customer = _stored(db)
    assert (customer.left_at, customer.company, customer.plan) == (LATER, "Fabrikam", "starter")
    (answers,) = db.session.scalars(select(Response.answers))
    assert answers["billing_reason"] == "too_expensive" and answers["what_happened"] == "Price doubled."
    assert _invitations(db) == 0
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 0  # no endpoint subscribed


def test_a_late_cancellation_of_the_same_day_keeps_the_newer_reason(configured, client, db):
    """Cancelled in the morning, back, and cancelled again in the afternoon: the morning's event,
    delivered last, is on the stored day, yet its reason is the older one."""
    afternoon = _stripe_event("evt_afternoon", EARLIER)
    afternoon["data"]["object"]["cancellation_details"] = {"feedback": "too_expensive", "comment": "Price."}
    morning = _stripe_event("evt_morning", EARLIER)
    morning["data"]["object"]["ended_at"] = int(_noon(EARLIER).timestamp()) - 3 * 3600
    morning["data"]["object"]["cancellation_details"] = {"feedback": "unused", "comment": "Nobody used it."}
    assert post_stripe(client, afternoon).status_code == 201

    body = post_stripe(client, morning).get_json()

    assert body["feedback_response_id"] is None
    (answers,) = db.session.scalars(select(Response.answers))
    assert answers["billing_reason"] == "too_expensive" and answers["what_happened"] == "Price."
    assert _stored(db).left_at == EARLIER


def test_a_later_cancellation_still_moves_the_departure_forward(configured, client, db):
    assert (
        post_chargebee(client, _chargebee_event("ev_first", EARLIER - timedelta(days=30))).status_code == 201
    )
    moved = post_chargebee(client, _chargebee_event("ev_second", EARLIER))
    assert moved.get_json()["event"] == "updated"
    assert _stored(db).left_at == EARLIER


def test_the_departures_api_may_correct_left_at_to_an_earlier_day(client, db, api_key):
    """A person's correction (a mistyped month), not a late event: it is stored as sent."""
    ann = {"external_id": "c-1", "email": "ann@example.com", "left_at": LATER.isoformat()}
    headers = {"Authorization": f"Bearer {api_key}"}
    assert client.post("/api/v1/departures", json=ann, headers=headers).status_code == 201
    fixed = client.post("/api/v1/departures", json=ann | {"left_at": EARLIER.isoformat()}, headers=headers)
    assert fixed.status_code == 200 and fixed.get_json()["updated"] == 1
    assert _stored(db).left_at == EARLIER
