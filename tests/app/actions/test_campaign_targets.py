"""Who a win-back campaign reaches: every filter, every exclusion, and the seeded holdout draw."""

from __future__ import annotations

from datetime import UTC, date, datetime

from feedback_app.services.actions.campaign_targets import (
    Target,
    arm_for,
    holdout_fraction,
    select_target,
)
from tests.app.actions.winback_data import price_world
from tests.app.insights_data import World


def test_only_customers_whose_answer_has_the_cause_are_targeted(app, make, db):
    _world, customers = price_world(make, db, people=2)
    picked = select_target(Target(causes=["price"]))
    assert [c.id for c in picked.customers] == [c.id for c in customers]
    assert select_target(Target(causes=["billing"])).customers == []


def test_a_theme_matches_and_so_does_a_theme_merged_into_it(app, make, db):
    world = World(make, db)
    big = world.theme("big", "Too expensive", category="price")
    small = world.theme("small", "Seat price", category="price")
    a = world.answer(big)[0]
    b = world.answer(small)[0]
    small.merged_into_id = big.id
    db.session.commit()
    assert {c.id for c in select_target(Target(theme_ids=[big.id])).customers} == {a.id, b.id}


def test_every_exclusion_is_applied_and_counted(app, make, db):
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    keep = world.answer(price)[0]
    world.answer(price, contact_ok="no")
    world.answer(price, opted_out=True)
    world.answer(price, email_bounced_at=datetime(2026, 10, 5, tzinfo=UTC))
    world.answer(price, erased_at=datetime(2026, 10, 5, tzinfo=UTC))
    world.answer(price, returned_at=date(2026, 11, 1))
    world.answer(price, email=None)
    picked = select_target(Target(causes=["price"]))
    assert [c.id for c in picked.customers] == [keep.id]
    assert picked.excluded == {
        "returned": 1,
        "erased": 1,
        "opted_out": 1,
        "bounced": 1,
        "no_email": 1,
        "no_contact": 1,
    }


def test_segment_plan_ltv_and_left_dates_filter(app, make, db):
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    hit = world.answer(
        price, segment="mid", plan="pro", lifetime_value_cents=50_000, left_at=date(2026, 9, 10)
    )[0]
    world.answer(price, segment="smb", plan="pro", lifetime_value_cents=50_000, left_at=date(2026, 9, 10))
    world.answer(price, segment="mid", plan="team", lifetime_value_cents=50_000, left_at=date(2026, 9, 10))
    world.answer(price, segment="mid", plan="pro", lifetime_value_cents=5_000, left_at=date(2026, 9, 10))
    world.answer(price, segment="mid", plan="pro", lifetime_value_cents=50_000, left_at=date(2026, 8, 1))
    target = Target(
        causes=["price"],
        segments=["mid"],
        plans=["pro"],
        ltv_min_cents=10_000,
        ltv_max_cents=60_000,
        left_from=date(2026, 9, 1),
        left_to=date(2026, 9, 30),
    )
    assert [c.id for c in select_target(target).customers] == [hit.id]


def test_without_a_reason_filter_customers_who_never_answered_count_by_their_consent(app, make, db):
    yes = make.customer(segment="ent", contact_consent=True)
    make.customer(segment="ent", contact_consent=False)
    assert [c.id for c in select_target(Target(segments=["ent"])).customers] == [yes.id]


def test_the_holdout_draw_is_stable_random_and_close_to_its_share():
    assert arm_for(42, 7, 0.1) == arm_for(42, 7, 0.1)
    held = sum(arm_for(12345, cid, 0.1) == "holdout" for cid in range(1, 5001))
    assert 400 < held < 600  # 10% of 5,000, within a wide margin
    assert sum(arm_for(1, cid, 0.0) == "holdout" for cid in range(1, 500)) == 0
    # another seed draws other people
    assert [holdout_fraction(1, i) for i in range(5)] != [holdout_fraction(2, i) for i in range(5)]
