"""The demo exercises issue 21: a finished campaign with a holdout and returns, a CPR case with a
sent offer, and twelve months of active counts (uploaded, then carried by billing events). Loading
the demo redacts its tickets, which loads spaCy's small model (marked slow)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.models import CprCase, OutboxEmail, WinbackCampaign
from feedback_app.services.actions import campaign_results
from feedback_app.services.insights import churn_rates, cohorts

pytestmark = pytest.mark.slow


def test_demo_has_a_finished_campaign_a_cpr_offer_and_twelve_months_of_counts(db, demo):
    today = demo.today  # the day `flask demo load` loaded it as (tests/app/demo/conftest.py)

    campaign = db.session.scalar(select(WinbackCampaign))
    assert campaign.status == "sent" and campaign.offer_deadline < today
    results = campaign_results.results(campaign, today=today)
    offer, holdout = results.offer, results.holdout
    assert offer.customers > 50 and holdout.customers > 5
    assert offer.sent == offer.customers and holdout.sent == 0  # the holdout got nothing
    assert offer.returned > 0 and 0 < offer.opened < offer.customers
    assert results.lift.difference is not None and results.deadline_passed

    case = db.session.scalar(select(CprCase))
    assert case.status == "offered" and case.offer_deadline > today
    email = db.session.get(OutboxEmail, case.outbox_email_id)
    assert email.kind == "cpr_offer" and email.status == "sent" and email.recipient == case.customer.email
    # composed as the desk composes one: the shared layout, the deadline written the customer's way,
    # their own opt-out link (before, a hand-made letter with neither)
    assert 'name="viewport"' in email.body_html and "List-Unsubscribe" in email.headers
    assert f"This offer stands until {case.offer_deadline:%B} {case.offer_deadline.day}, " in email.body_text
    winback = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "winback")).first()
    assert 'name="viewport"' in winback.body_html and "/w/" in winback.headers["List-Unsubscribe"]
    assert db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.status != "sent")) is None
    # the outbox listed every demo email as queued at load time, after the day it was sent
    assert (
        db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.created_at > OutboxEmail.sent_at)) is None
    )

    rates = churn_rates.monthly(today=today)
    assert len([r for r in rates if r.active_start]) == 12
    assert {r.source for r in rates} == {"csv", "billing"}
    assert any(r.source == "csv" and r.billing_active is not None for r in rates)  # both: the upload is used
    assert rates[-1].month == today.replace(day=1) and rates[-1].source == "billing"
    table = cohorts.retention(today=today)
    assert len(table.cohorts) == 12 and table.horizon == 11
