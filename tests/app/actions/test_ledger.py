"""The fix-to-revenue ledger: equal windows around the ship date, the "we fixed it" group and win-backs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback_app.models import ActionItem, CampaignMember, OutboxEmail, WinbackCampaign
from feedback_app.services.actions import ledger
from tests.app.insights_data import World
from tests.helpers import csrf_token, without_tags

SHIPPED = datetime(2026, 10, 11, 9, 0, tzinfo=UTC)
TODAY = date(2026, 10, 20)  # 10-day windows: 1-10 Oct before, 11-20 Oct after


def _world(make, db):
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    support = world.theme("s", "Slow support", category="support")
    # before: 3 price + 1 support answered, 1 unanswered; after: 1 price + 3 support
    emailed = [world.answer(price, left_at=date(2026, 10, d))[0] for d in (2, 3)]
    other = world.answer(price, left_at=date(2026, 10, 4))[0]
    world.answer(support, left_at=date(2026, 10, 5))
    make.customer(left_at=date(2026, 10, 6))
    world.answer(price, left_at=date(2026, 10, 12))
    for d in (13, 14, 15):
        world.answer(support, left_at=date(2026, 10, d))
    world.answer(price, left_at=date(2026, 10, 25))  # outside the after window
    item = ActionItem(
        title="Cheaper seats",
        theme=price,
        owner_team="product",
        actions=["New plan"],
        status="shipped",
        shipped_at=SHIPPED,
    )
    db.session.add(item)
    db.session.commit()
    return world, item, emailed, other


def test_windows_are_equal_and_count_the_cause_among_answered_departures(app, make, db):
    _world(make, db)
    (e,) = ledger.ledger(today=TODAY)
    assert e.days == 10
    assert (e.before.start, e.before.end, e.after.start, e.after.end) == (
        date(2026, 10, 1),
        date(2026, 10, 10),
        date(2026, 10, 11),
        date(2026, 10, 20),
    )
    assert (e.before.departures, e.before.answered, e.before.on_cause) == (5, 4, 3)
    assert (e.after.departures, e.after.answered, e.after.on_cause) == (4, 4, 1)
    assert e.change.difference == 0.25 - 0.75 and e.change.low < e.change.difference < e.change.high
    assert e.too_small


def test_the_fixed_it_group_beside_the_comparable_group_and_winbacks(app, make, db):
    _w, item, emailed, other = _world(make, db)
    for customer in emailed:
        db.session.add(
            OutboxEmail(
                idempotency_key=f"we_fixed_it:{item.id}:{customer.id}",
                message_id=f"<{customer.id}@t>",
                kind="we_fixed_it",
                customer_id=customer.id,
                action_item_id=item.id,
                recipient=customer.email,
                subject="s",
                body_text="b",
                body_html="b",
                status="sent",
                sent_at=SHIPPED + timedelta(days=1),
            )
        )
    emailed[0].returned_at = date(2026, 8, 15)  # came back before the email: not counted
    emailed[1].returned_at = date(2026, 10, 15)
    emailed[1].monthly_revenue_cents = 10_000
    other.returned_at = date(2026, 10, 16)
    campaign = WinbackCampaign(
        name="c",
        target={},
        seed=1,
        offer_text="o",
        offer_deadline=date(2026, 10, 30),
        subject="s",
        body="{link}",
        landing_url="https://x.example",
        status="sent",
        sent_at=SHIPPED,
    )
    db.session.add(campaign)
    db.session.flush()
    db.session.add(CampaignMember(campaign_id=campaign.id, customer_id=other.id, arm="offer"))
    db.session.commit()
    # the same person as emailed[1] stored again (a CSV row beside the billing provider's): told by
    # the one email to their address, so not counted again among those not emailed
    _w.answer(item.theme, left_at=date(2026, 10, 2), email=emailed[1].email.upper())
    (e,) = ledger.ledger(today=date(2026, 12, 20))
    assert (e.emailed.customers, e.emailed.came_back, e.emailed.realised_cents) == (2, 1, 2 * 10_000)
    assert (e.comparable.customers, e.comparable.came_back) == (1, 1)
    assert e.emailed_vs_comparable.difference == -0.5
    assert (e.winback.customers, e.winback.came_back) == (1, 1) and e.winback.estimated_cents > 0


def test_the_ledger_page_and_cli_say_it_is_an_observation(app, client, login, runner, make, db):
    login("product")
    assert "No shipped fixes yet" in client.get("/dashboard/ledger").get_data(as_text=True)
    assert "No shipped action items yet" in runner.invoke(args=["winback", "ledger"]).output
    _world(make, db)
    page = client.get("/dashboard/ledger").get_data(as_text=True)
    assert "Cheaper seats" in page and "not that the fix caused it" in page and "95% interval" in page
    assert "churn contribution" in page and "no active count for these months" in page
    assert "Too few to tell" in page
    output = runner.invoke(args=["winback", "ledger"]).output
    assert "Cheaper seats (shipped 2026-10-11" in output and "no active count" in output


def test_churn_contribution_before_and_after_is_share_times_the_windows_churn_rate(app, make, db):
    """October has 310 active on the 1st (uploaded): each 10-day window is 310 x 10/31 = 100
    customer-months. Before: 5 departures -> 5% a month, price share 3/4 -> 3.75%; after: 4
    departures -> 4%, share 1/4 -> 1%."""
    from feedback_app.services.insights import churn_rates

    _world(make, db)
    churn_rates.save([churn_rates.CountRecord(date(2026, 10, 1), "", "", 310, None)], source="csv", actor="t")
    (e,) = ledger.ledger(today=TODAY)
    assert e.before.customer_months == 100 and e.after.customer_months == 100
    assert e.before.churn_rate == 0.05 and e.after.churn_rate == 0.04
    assert e.before.contribution == pytest.approx(0.0375) and e.after.contribution == pytest.approx(0.01)
    low, high = e.before.contribution_interval
    assert low < 0.0375 < high
    low, high = e.after.contribution_interval
    assert low < 0.01 < high
    assert e.too_small  # 4 answered departures a window: the page says too few to tell


def test_no_contribution_when_a_month_of_the_window_has_no_count(app, make, db):
    _world(make, db)
    (e,) = ledger.ledger(today=TODAY)
    assert e.before.churn_rate is None and e.before.contribution is None
    assert e.before.contribution_interval is None and e.before.share == 0.75
    assert ledger.customer_months(date(2026, 9, 16), date(2026, 10, 15), {date(2026, 9, 1): 300}) is None
    assert (
        ledger.customer_months(
            date(2026, 9, 16), date(2026, 10, 15), {date(2026, 9, 1): 300, date(2026, 10, 1): 310}
        )
        == 300 * 15 / 30 + 310 * 15 / 31
    )


def test_a_fix_nobody_was_told_about_says_so_and_links_to_the_email(app, client, login, make, db):
    """The ledger read "Sent to 0: 0 of 0 came back (–); realised $0, estimated second LTV $0" for
    a shipped fix whose "we changed it" email never went: now it says so, and CX get the way to it."""
    _, item, _, _ = _world(make, db)
    login("cx")
    page = without_tags(client.get("/dashboard/ledger").get_data(as_text=True))
    assert "Not sent yet: none of the customers who gave this reason has been told it is fixed." in page
    assert "Sent to 0" not in page and "0 of 0" not in page
    assert f'href="/dashboard/actions/{item.id}/close-loop"' in client.get("/dashboard/ledger").get_data(
        as_text=True
    )
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/dashboard/profile"))})
    login("product")  # who cannot send it sees no link to a page they may not open
    assert "/close-loop" not in client.get("/dashboard/ledger").get_data(as_text=True)
