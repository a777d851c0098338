"""A customer first stored from a CSV file (source ``csv``) who comes back through a billing
provider: the provider's return names its own customer id, which matches no customer of that
source, so the return was ignored and the customer was still asked why they left. A return that
matches no customer of its source now marks as returned the departed customers of other sources
with the same email address (in any case) who left on or before the return's day, and says so."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, DepartedCustomer
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations
from tests.app.billing.samples import load
from tests.app.billing.senders import SECRETS, post_chargebee, post_paddle, post_stripe

ADDRESS = "Dana.Okafor@Northwind.example"


def _stripe(email: str | None) -> dict[str, Any]:
    event = load("stripe_subscription_created")
    event["data"]["object"]["metadata"] = {"email": email} if email else {}
    return event


def _paddle(email: str | None) -> dict[str, Any]:
    event = load("paddle_subscription_activated")
    event["data"]["custom_data"] = {"email": email} if email else None
    return event


def _chargebee(email: str | None) -> dict[str, Any]:
    event = load("chargebee_subscription_reactivated")
    if email:
        event["content"]["customer"]["email"] = email
    else:
        del event["content"]["customer"]["email"]
    return event


PROVIDERS = [
    pytest.param(post_stripe, _stripe, date(2026, 12, 15), id="stripe"),
    pytest.param(post_paddle, _paddle, date(2026, 12, 14), id="paddle"),
    pytest.param(post_chargebee, _chargebee, date(2026, 12, 15), id="chargebee"),
]


@pytest.fixture(autouse=True)
def secrets(app):
    app.config.update(SECRETS)


@pytest.mark.parametrize(("post", "build", "day"), PROVIDERS)
def test_a_return_from_a_provider_marks_the_csv_customer_with_that_email_as_returned(
    client, make, db, post, build, day
):
    make.survey(key="exit")
    imported = make.customer(source="csv", external_id="row-7", email=ADDRESS, left_at=date(2026, 10, 1))
    later = make.customer(source="csv", external_id="row-8", email=ADDRESS.lower(), left_at=date(2027, 1, 5))
    other = make.customer(source="csv", external_id="row-9", email="someone@else.example")

    response = post(client, build(ADDRESS.upper()))

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["event"] == "returned"
    assert "by email address" in body["message"] and "'row-7'" in body["message"]
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, imported.id).returned_at == day
    assert db.session.get(DepartedCustomer, later.id).returned_at is None  # left after the return
    assert db.session.get(DepartedCustomer, other.id).returned_at is None
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("customers.%_event"))).one()
    assert audit.details["matched_by_email"] == [imported.id]

    run = create_invitations("exit", InvitationFilters(left_before=date(2026, 12, 1)))
    assert run.created == 1 and run.skipped["came back"] == 1  # only row-9 is asked why they left


@pytest.mark.parametrize(("post", "build", "day"), PROVIDERS)
def test_without_an_email_the_return_is_ignored_and_says_where_to_send_one(
    client, make, db, post, build, day
):
    imported = make.customer(source="csv", external_id="row-7", email=ADDRESS)

    body = post(client, build(None)).get_json()

    assert body["event"] == "ignored"
    assert "found by email address" in body["message"]
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, imported.id).returned_at is None


def test_a_customer_of_the_same_provider_under_another_id_is_another_account(client, make, db):
    mine = make.customer(source="stripe", external_id="cus_Other", email=ADDRESS)

    body = post_stripe(client, _stripe(ADDRESS)).get_json()

    assert body["event"] == "ignored"
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, mine.id).returned_at is None


def test_a_return_found_by_id_marks_the_same_persons_row_from_another_source_too(client, make, db):
    """The same person stored twice (the provider's own customer and the CSV export of the same
    cancellation): a return found by the provider's id marked only that row, so the CSV row, still
    'departed', was asked why they left after they came back. The other source's rows with the
    stored address (or the event's) who left by the return's day are marked too, and announced."""
    from feedback_app.models import WebhookDelivery, WebhookEndpoint

    make.survey(key="exit")
    db.session.add(
        WebhookEndpoint(url="https://hooks.example/x", events="customer.returned", secret="s" * 32)
    )
    own = make.customer(source="stripe", external_id="cus_Qw3rTy", email=ADDRESS, left_at=date(2026, 10, 1))
    imported = make.customer(
        source="csv", external_id="row-7", email=ADDRESS.lower(), left_at=date(2026, 10, 1)
    )
    other = make.customer(source="csv", external_id="row-9", email="someone@else.example")

    body = post_stripe(client, _stripe(None)).get_json()

    assert body["event"] == "returned" and "'row-7'" in body["message"]
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, own.id).returned_at == date(2026, 12, 15)
    assert db.session.get(DepartedCustomer, imported.id).returned_at == date(2026, 12, 15)
    assert db.session.get(DepartedCustomer, other.id).returned_at is None
    run = create_invitations("exit", InvitationFilters(left_before=date(2026, 12, 1)))
    assert run.created == 1 and run.skipped["came back"] == 2
    announced = {
        d.payload["data"]["customer_id"]
        for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.event_type == "customer.returned")
        )
    }
    assert announced == {own.id, imported.id}
