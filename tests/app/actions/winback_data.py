"""A small world for win-back tests: a price theme and a support theme with answered customers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from feedback_app.services.actions.campaign_targets import Target
from feedback_app.services.actions.campaigns import CampaignInput
from tests.app.insights_data import World


def price_world(make, db, *, people: int = 3) -> tuple[World, list]:
    """``people`` contactable customers whose answer is about price, plus one about support."""
    world = World(make, db)
    price = world.theme("t-price", "Too expensive for a small team", category="price")
    support = world.theme("t-support", "Slow support replies", category="support")
    customers = [world.answer(price, text="Too expensive.")[0] for _ in range(people)]
    world.answer(support, text="Nobody answered.", reason="poor_support")
    return world, customers


def campaign_input(**overrides: Any) -> CampaignInput:
    values: dict[str, Any] = {
        "name": "Price win-back",
        "target": Target(causes=["price"]),
        "offer_text": "20% off for 6 months",
        "offer_deadline": date.today() + timedelta(days=14),
        "offer_value_cents": 2000,
        "offer_code": "BACK20",
        "holdout_share": 0.0,
        "landing_url": "https://brightloop.test/pricing",
    }
    values.update(overrides)
    return CampaignInput(**values)
