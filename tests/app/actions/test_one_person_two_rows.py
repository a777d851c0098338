"""The same person stored as two customer rows (a CSV export's row beside the billing provider's,
the same address in another case) is one person to write to: one "we changed it" email and one
win-back offer, the newest answer of either row deciding, and a second send sends nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedback_app.models import ActionItem, CampaignMember, DepartedCustomer, OutboxEmail, utcnow
from feedback_app.services.actions import campaigns, close_loop
from feedback_app.services.outreach import outbox
from tests.app.actions.winback_data import campaign_input
from tests.app.insights_data import World

OLDER = datetime(2026, 10, 4, tzinfo=UTC)
NEWER = datetime(2026, 11, 4, tzinfo=UTC)


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    return app


def _two_rows(make, db, *, newer_says: str = "yes"):
    """Robin answered about price as a Stripe row and again as a CSV row (newer); Kim once."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, name="Robin (stripe)", email="Robin@Example.com", submitted=OLDER)
    world.answer(price, name="Robin (csv)", email="robin@example.com", submitted=NEWER, contact_ok=newer_says)
    world.answer(price, name="Kim Park", email="kim@example.com", submitted=OLDER)
    return world, price


def test_one_we_changed_it_email_per_address_and_both_rows_are_told(smtp_app, smtp_server, make, db):
    _world, price = _two_rows(make, db)
    item = ActionItem(
        theme_id=price.id,
        title="Price",
        actions=["Freeze prices"],
        status="shipped",
        shipped_at=utcnow(),
        customer_change="Prices are fixed for two years.",
    )
    db.session.add(item)
    db.session.commit()

    people = close_loop.recipients(item)
    assert sorted(p.customer.name for p in people) == ["Kim Park", "Robin (csv)"]  # the page's count: 2
    assert close_loop.send(item, actor="cx@test") == 2
    assert sorted(r.lower() for m in smtp_server.messages for r in m.rcpt_tos) == [
        "kim@example.com",
        "robin@example.com",
    ]
    assert all(p.already_sent for p in close_loop.recipients(item))
    assert close_loop.send(item, actor="cx@test") == 0  # a second click sends nothing
    assert len(smtp_server.messages) == 2


def test_the_newest_row_s_no_stops_the_email_its_older_row_allowed(app, make, db):
    _world, price = _two_rows(make, db, newer_says="no")
    item = ActionItem(
        theme_id=price.id, title="Price", actions=["Fix"], status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()

    assert [p.customer.name for p in close_loop.recipients(item)] == ["Kim Park"]


def test_one_win_back_offer_per_address_and_a_second_send_adds_no_one(smtp_app, smtp_server, make, db):
    _two_rows(make, db)
    campaign = campaigns.create(campaign_input(), actor="cx@test")

    assert campaigns.send(campaign, actor="cx@test").queued == 2
    members = list(db.session.scalars(select(CampaignMember)))
    assert sorted(m.customer.name for m in members) == ["Kim Park", "Robin (csv)"]
    assert campaigns.send(campaign, actor="cx@test").queued == 0
    assert db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.kind == "winback").offset(2)) is None
    assert len(smtp_server.messages) == 2


def test_an_email_to_either_row_counts_as_told_for_the_person(app, make, db):
    """One sent as the older row (before the rows were read as one person) tells the newer one too."""
    world, price = _two_rows(make, db)
    item = ActionItem(
        theme_id=price.id, title="Price", actions=["Fix"], status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()
    stripe_row = db.session.scalars(
        select(DepartedCustomer).where(DepartedCustomer.name == "Robin (stripe)")
    ).one()
    outbox.queue_email(
        kind="we_fixed_it",
        idempotency_key=close_loop.idempotency_key(item, stripe_row),
        recipient="Robin@Example.com",
        subject="We fixed it",
        body_text="Prices are fixed.",
        body_html="<p>Prices are fixed.</p>",
        customer_id=stripe_row.id,
        action_item_id=item.id,
    )
    db.session.commit()

    told = {p.customer.name: p.already_sent for p in close_loop.recipients(item)}
    assert told == {"Kim Park": False, "Robin (csv)": True}


def test_the_win_back_list_shows_one_row_per_person_as_the_campaign_counts_them(app, make, db):
    """Robin's Stripe row and CSV row were two candidates while a campaign counted one person."""
    from feedback_app.services.actions import campaign_targets, winback

    _two_rows(make, db)

    rows, listing = winback.candidates()
    assert sorted(c.customer.name for c in rows) == ["Kim Park", "Robin (csv)"]  # the newest answer's row
    assert listing.total == 2
    target = campaign_targets.select_target(campaign_targets.Target())
    assert listing.total == len(target.customers)


def test_the_newest_row_s_no_takes_the_person_off_the_win_back_list(app, make, db):
    from feedback_app.services.actions import winback

    _two_rows(make, db, newer_says="no")

    assert [c.customer.name for c in winback.candidates()[0]] == ["Kim Park"]


def test_a_person_who_came_back_as_their_other_row_is_offered_no_win_back(app, make, db):
    """Robin came back as the Stripe row (the provider saw the new subscription) while the CSV row
    holds the newest answer: the win-back list and a campaign offered "come back" to a paying
    customer. A return before a later departure (they left again) keeps them a candidate."""
    from feedback_app.services.actions import campaign_targets, winback

    _two_rows(make, db)
    stripe = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.name == "Robin (stripe)"))
    stripe.returned_at = date(2026, 11, 20)
    db.session.commit()

    assert [c.customer.name for c in winback.candidates()[0]] == ["Kim Park"]
    selection = campaign_targets.select_target(campaign_targets.Target())
    assert [c.name for c in selection.customers] == ["Kim Park"]
    assert selection.excluded["returned"] == 1

    stripe.left_at, stripe.returned_at = date(2025, 1, 10), date(2025, 6, 1)  # then left again (CSV row)
    db.session.commit()
    assert sorted(c.customer.name for c in winback.candidates()[0]) == ["Kim Park", "Robin (csv)"]


def test_a_win_back_offer_queued_before_the_other_row_came_back_is_not_sent(smtp_app, smtp_server, make, db):
    """An offer was queued to Robin's CSV row; then the Stripe row recorded the new subscription.
    At send time the offer is cancelled, saying why, and nothing reaches the paying customer."""
    _two_rows(make, db)
    csv_row = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.name == "Robin (csv)"))
    outbox.queue_email(
        kind="winback",
        idempotency_key="winback-robin",
        recipient="robin@example.com",
        subject="Come back",
        body_text="Half price for three months.",
        body_html="<p>Half price for three months.</p>",
        customer_id=csv_row.id,
    )
    stripe = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.name == "Robin (stripe)"))
    stripe.returned_at = csv_row.left_at
    db.session.commit()

    outbox.deliver()

    assert smtp_server.messages == []
    offer = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "winback"))
    assert offer.status == "cancelled"
    assert "came back" in (offer.last_error or "")
