"""Data for the read API tests: customers, themed answers (one from Stripe's cancel form), an action item."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from feedback_app.models import ActionItem
from feedback_app.services.accounts.api_keys import create_key
from tests.app.insights_data import World


@pytest.fixture
def read_key(db) -> str:
    _key, raw = create_key("warehouse", actor="test", scopes=["read"])
    return raw


@pytest.fixture
def world(make, db):
    world = World(make, db)
    price = world.theme("t-price", "Price too high", category="pricing")
    support = world.theme("t-support", "Slow support", category="support")
    world.answer(
        price,
        text="Too expensive for [PERSON] and the team.",
        left_at=date(2026, 9, 10),
        submitted=datetime(2026, 9, 12, tzinfo=UTC),
        monthly_revenue_cents=9900,
    )
    world.answer(
        price,
        text="Price doubled at renewal.",
        left_at=date(2026, 10, 5),
        submitted=datetime(2026, 10, 6, tzinfo=UTC),
    )
    world.answer(
        support,
        text="Tickets waited a week.",
        reason="poor_support",
        left_at=date(2026, 10, 20),
        submitted=datetime(2026, 10, 21, tzinfo=UTC),
    )
    db.session.add(
        ActionItem(
            theme_id=price.id,
            cause_key="pricing",
            title="Add a cheaper plan",
            owner_team="product",
            actions=["Design a starter plan"],
            due_date=date(2026, 12, 1),
        )
    )
    db.session.commit()
    return world
