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


def _noon(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _stripe_event(event_id: str, day: date, hour: int = 12, **metadata: str) -> dict[str, Any]:
    event = load("stripe_subscription_deleted", id=event_id)
    subscription = event["data"]["object"]
    subscription["ended_at"] = subscription["canceled_at"] = int(_noon(day, hour).timestamp())
    subscription["metadata"] = {"email": "sam@fabrikam.example", **metadata}
    return event


def _paddle_event(event_id: str, day: date, hour: int = 12, **custom: str) -> dict[str, Any]:
    event = load("paddle_subscription_canceled", event_id=event_id)
    event["data"]["canceled_at"] = _noon(day, hour).isoformat().replace("+00:00", "Z")
    event["data"]["custom_data"] |= custom
    return event


def _chargebee_event(event_id: str, day: date, hour: int = 12, **meta: str) -> dict[str, Any]:
    event = load("chargebee_subscription_cancelled", id=event_id)
    event["content"]["subscription"]["cancelled_at"] = int(_noon(day, hour).timestamp())
    event["content"]["subscription"]["meta_data"] |= meta
    return event


def _stripe_return(event_id: str, at: datetime) -> dict[str, Any]:
    event = load("stripe_subscription_created", id=event_id, created=int(at.timestamp()))
    event["data"]["object"]["start_date"] = int(at.timestamp())
    return event


def _paddle_return(event_id: str, at: datetime) -> dict[str, Any]:
    return load(
        "paddle_subscription_activated",
        event_id=event_id,
        occurred_at=at.isoformat().replace("+00:00", "Z"),
    )


def _chargebee_return(event_id: str, at: datetime) -> dict[str, Any]:
    return load("chargebee_subscription_reactivated", id=event_id, occurred_at=int(at.timestamp()))


Build = Callable[..., dict[str, Any]]
PROVIDERS = [
    pytest.param(post_stripe, _stripe_event, id="stripe"),
    pytest.param(post_paddle, _paddle_event, id="paddle"),
    pytest.param(post_chargebee, _chargebee_event, id="chargebee"),
]
WITH_RETURNS = [
    pytest.param(post_stripe, _stripe_event, _stripe_return, id="stripe"),
    pytest.param(post_paddle, _paddle_event, _paddle_return, id="paddle"),
    pytest.param(post_chargebee, _chargebee_event, _chargebee_return, id="chargebee"),
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


@pytest.mark.parametrize(("post", "build", "build_return"), WITH_RETURNS)
def test_a_late_cancellation_from_earlier_the_same_day_changes_nothing(
    configured, client, db, receiver, post: Callable, build: Build, build_return: Callable
):
    """Cancelled at 09:00 and again at 15:00, back at 16:00; the 09:00 event, delivered last, is on
    the stored day but older: it keeps the plan, revenue, company and return, and announces nothing."""
    subscribe(receiver.url, ["customer.departed"], actor="test")
    db.session.commit()
    afternoon = build("evt_afternoon", EARLIER, 15, company="Fabrikam", plan="pro", monthly_revenue="99")
    assert post(client, afternoon).status_code == 201
    back = post(client, build_return("evt_back", _noon(EARLIER, 16)))
    assert back.get_json()["event"] == "returned", back.get_json()
    invited = _invitations(db)

    morning = build("evt_morning", EARLIER, 9, company="Contoso", plan="legacy", monthly_revenue="10")
    body = post(client, morning).get_json()

    assert body["event"] == "unchanged", body
    assert f"already stored ({_noon(EARLIER, 15).isoformat()})" in body["message"]
    customer = _stored(db)
    assert (customer.left_at, customer.returned_at) == (EARLIER, EARLIER)
    assert (customer.company, customer.plan, customer.monthly_revenue_cents) == ("Fabrikam", "pro", 9900)
    assert customer.left_at_time == _noon(EARLIER, 15)
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 1  # customer.departed once
    assert _invitations(db) == invited


@pytest.mark.parametrize(("post", "build"), PROVIDERS)
def test_a_later_cancellation_of_the_same_day_still_updates(
    configured, client, db, post: Callable, build: Build
):
    assert post(client, build("evt_morning", EARLIER, 9, plan="legacy")).status_code == 201
    body = post(client, build("evt_afternoon", EARLIER, 15, plan="pro")).get_json()
    assert body["event"] == "updated", body
    customer = _stored(db)
    assert (customer.plan, customer.left_at_time) == ("pro", _noon(EARLIER, 15))


def test_an_api_correction_of_the_day_drops_the_providers_time(configured, client, db, api_key):
    """The departures API gives a day only: a departure it moves is ordered by its day again."""
    assert post_stripe(client, _stripe_event("evt_1", EARLIER, 15)).status_code == 201
    customer = _stored(db)
    assert customer.left_at_time == _noon(EARLIER, 15)
    item = {
        "external_id": customer.external_id,
        "source": "stripe",
        "email": "sam@fabrikam.example",
        "left_at": (EARLIER - timedelta(days=1)).isoformat(),
    }
    fixed = client.post("/api/v1/departures", json=item, headers={"Authorization": f"Bearer {api_key}"})
    assert fixed.status_code == 200, fixed.get_json()
    assert _stored(db).left_at_time is None


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
