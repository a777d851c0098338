"""Stripe: the customer's own cancellation feedback and comment, and a new or re-activated
subscription marking a customer who left as returned."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Invitation, Response, Survey
from feedback_app.services.billing.stripe import sign
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.overview import overview
from feedback_app.services.responses.answers import reason_text
from tests.app.billing.samples import load

URL = "/api/v1/webhooks/stripe"
SECRET = "whsec_test_signing_secret"


@pytest.fixture(autouse=True)
def signing_secret(app):
    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET


def send(client, event):
    body = json.dumps(event).encode()
    now = int(time.time())
    return client.post(
        URL,
        data=body,
        headers={
            "Stripe-Signature": f"t={now},v1={sign(body, SECRET, now)}",
            "Content-Type": "application/json",
        },
    )


def test_feedback_and_comment_are_stored_as_an_answer_marked_stripe(client, db):
    response = send(client, load("stripe_subscription_deleted"))
    assert response.status_code == 201, response.get_json()
    answer = db.session.get(Response, response.get_json()["feedback_response_id"])
    assert answer.source == "stripe"
    assert answer.answers == {
        "main_reason": "no_longer_needed",
        "billing_reason": "unused",
        "what_happened": "Nobody on the team opened it after the onboarding call; "
        "my number is 555 0100 if you want details.",
    }
    assert reason_text(answer).startswith("Nobody on the team")  # what the analysis reads
    survey = db.session.scalar(select(Survey).where(Survey.key == "billing_cancellation"))
    assert survey.active is False  # nobody is ever invited to it
    invitation = db.session.get(Invitation, answer.invitation_id)
    assert invitation.status == "completed" and invitation.sent_at is None


def test_the_billing_answer_is_among_the_answers_the_analysis_reads(client, db):
    from feedback_app.services.insights.runs import _answers_for

    send(client, load("stripe_subscription_deleted"))
    skipped: list = []
    texts = [a.text for a in _answers_for({}, skipped)]
    assert texts and texts[0].startswith("Nobody on the team")


def test_comment_with_control_characters_is_cleaned(client, db):
    event = load("stripe_subscription_deleted")
    event["data"]["object"]["cancellation_details"]["comment"] = "too\x00 slow\r\nfor us"
    answer = db.session.get(Response, send(client, event).get_json()["feedback_response_id"])
    assert answer.answers["what_happened"] == "too slow\nfor us"


def test_no_feedback_no_answer(client, db):
    event = load("stripe_subscription_deleted")
    event["data"]["object"]["cancellation_details"] = {
        "reason": "payment_failed",
        "feedback": None,
        "comment": None,
    }
    assert send(client, event).get_json()["feedback_response_id"] is None
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_new_subscription_after_leaving_sets_returned_at_and_win_back(client, db):
    send(client, load("stripe_subscription_deleted"))
    filters = Filters(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert overview(filters).won_back == 0
    response = send(client, load("stripe_subscription_created"))
    assert response.status_code == 200 and response.get_json()["event"] == "returned"
    db.session.expire_all()
    assert db.session.scalar(select(DepartedCustomer.returned_at)) == date(2026, 12, 15)
    assert overview(filters).won_back == 1


def test_updated_back_to_active_is_a_return_but_other_updates_are_not(client, db):
    send(client, load("stripe_subscription_deleted"))
    update = load("stripe_subscription_created", id="evt_upd_1", type="customer.subscription.updated")
    update["data"]["previous_attributes"] = {"metadata": {"seats": "2"}}  # active before and after
    response = send(client, update)
    assert response.get_json()["event"] == "ignored" and "did not change" in response.get_json()["message"]
    update = load("stripe_subscription_created", id="evt_upd_2", type="customer.subscription.updated")
    update["data"]["previous_attributes"] = {"status": "past_due"}
    assert send(client, update).get_json()["event"] == "returned"


def test_new_subscription_of_someone_who_never_left_is_ignored(client, db):
    response = send(client, load("stripe_subscription_created"))
    assert response.status_code == 200 and response.get_json()["event"] == "ignored"
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 0


def test_incomplete_subscription_is_not_a_return(client, db):
    send(client, load("stripe_subscription_deleted"))
    event = load("stripe_subscription_created")
    event["data"]["object"]["status"] = "incomplete"
    assert send(client, event).get_json()["event"] == "ignored"
    assert db.session.scalar(select(DepartedCustomer.returned_at)) is None


def test_a_return_delivered_before_its_cancellation_still_marks_the_customer_returned(client, db):
    # Stripe does not promise order, and retries a failed delivery for days: the new subscription
    # (15 Dec) can arrive before the cancellation it follows (15 Oct). The customer is back, so the
    # cancellation must not make them a departed customer to invite to an exit survey.
    first = send(client, load("stripe_subscription_created"))
    assert first.get_json()["event"] == "ignored"
    late = send(client, load("stripe_subscription_deleted"))
    assert late.status_code == 201
    db.session.expire_all()
    customer = db.session.scalar(select(DepartedCustomer))
    assert (customer.left_at, customer.returned_at) == (date(2026, 10, 15), date(2026, 12, 15))
    filters = Filters(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert overview(filters).won_back == 1


def test_a_subscription_started_before_the_cancellation_is_not_a_return(client, db):
    # The customer's first subscription (created before they left) arriving first: no return.
    started = load("stripe_subscription_created", id="evt_first_sub")
    started["data"]["object"]["start_date"] = 1759276800  # 1 Oct 2025, the deleted one's start
    assert send(client, started).get_json()["event"] == "ignored"
    assert send(client, load("stripe_subscription_deleted")).status_code == 201
    db.session.expire_all()
    assert db.session.scalar(select(DepartedCustomer.returned_at)) is None
