"""Every email a former customer gets carries the same List-Unsubscribe headers: the "we fixed it"
note, the CPR desk's offer and a win-back campaign built theirs by hand and left out the
``mailto:`` target that the survey and interview emails add when ``MAIL_UNSUBSCRIBE_MAILTO`` is
set (some mail clients offer unsubscribing only by email). Sent through the real SMTP test server."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from feedback_app.services.actions import campaigns, close_loop, close_loop_email, cpr
from feedback_app.services.actions import plan as action_plan
from tests.app.actions.winback_data import campaign_input, price_world
from tests.app.insights_data import World

MAILTO = "unsubscribe@brightloop.example"


def _we_fixed_it(make, db) -> None:
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    world.answer(price, contact_ok="yes")
    item = action_plan.propose(top=1, actor="t")[0]
    action_plan.mark_shipped(item)
    close_loop_email.save(
        item,
        subject="We lowered our prices, {first_name}",
        body=close_loop_email.DEFAULT_BODY,
        change="The Team plan now costs $29 a month.",
        actor="t",
    )
    assert close_loop.send(item, actor="t") == 1


def _cpr_offer(make, db) -> None:
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    customer, _ = world.answer(price, lifetime_value_cents=900_000, monthly_revenue_cents=50_000)
    cpr.send_offer(
        cpr.open_case(customer, actor="t"),
        subject="A proposal",
        body="Half price for a year.",
        offer_cents=300_000,
        deadline=date.today() + timedelta(days=10),
        cost_to_serve_monthly_cents=None,
        actor="t",
    )


def _win_back(make, db) -> None:
    price_world(make, db, people=1)
    campaign = campaigns.create(campaign_input(), actor="t")
    assert campaigns.send(campaign, actor="t").queued >= 1


@pytest.mark.parametrize(
    ("send", "path"),
    [
        pytest.param(_we_fixed_it, "/f/", id="we_fixed_it"),
        pytest.param(_cpr_offer, "/f/", id="cpr_offer"),
        pytest.param(_win_back, "/w/", id="winback"),
    ],
)
def test_every_customer_email_offers_the_mailto_unsubscribe_too(
    app, smtp_server, make, db, send: Callable, path: str
):
    app.config.update(smtp_server.mail_settings(), MAIL_UNSUBSCRIBE_MAILTO=MAILTO)

    send(make, db)

    assert smtp_server.messages
    for received in smtp_server.messages:
        message = received.message
        assert re.fullmatch(
            rf"<http://survey\.test{path}[^>]+>, <mailto:{re.escape(MAILTO)}\?subject=unsubscribe>",
            message["List-Unsubscribe"],
        ), message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
