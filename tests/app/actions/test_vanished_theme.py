"""An action item about a theme a re-run no longer finds (no merge): the item says so on its page
and in the ledger, follows its answers when they all moved to one theme (as a merge's are
followed), and says plainly when none of them is in a theme now, instead of 0 recipients and a
0% "did it help?" without a word."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from feedback_app.models import ActionItem, AnalysisRun, ThemeAssignment, utcnow
from feedback_app.services.actions import close_loop
from feedback_app.services.actions import plan as action_plan
from tests.app.insights_data import World


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _rerun(world: World, db, moves: dict[int, int]) -> AnalysisRun:
    """A newer succeeded run putting each answer id of ``moves`` in its theme id (the rest in none)."""
    run = AnalysisRun(status="succeeded", progress=1.0, stage="done", counts={}, finished_at=utcnow())
    db.session.add(run)
    db.session.commit()
    for response_id, theme_id in moves.items():
        db.session.add(
            ThemeAssignment(
                run_id=run.id, response_id=response_id, theme_id=theme_id, is_primary=True, confidence=0.9
            )
        )
    for theme in world.themes.values():
        if theme.id in moves.values():
            theme.last_seen_run_id = run.id
    db.session.commit()
    return run


def _shipped_item(db, theme) -> ActionItem:
    item = ActionItem(
        theme_id=theme.id,
        title="Warn before a renewal price change",
        status="shipped",
        actions=["a"],
        shipped_at=datetime(2026, 10, 20, 12, tzinfo=UTC),
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_an_item_whose_theme_vanished_follows_its_answers_to_the_one_theme_they_moved_to(
    client, login, make, db
):
    world = World(make, db)
    renewal = world.theme("renewal", "Renewal doubled", "price")
    _, first = world.answer(renewal, left_at=date(2026, 10, 10), email="a@example.com")
    _, second = world.answer(renewal, left_at=date(2026, 10, 21), email="b@example.com")
    item = _shipped_item(db, renewal)
    assert len(close_loop.recipients(item)) == 2
    price = world.theme("price", "Price went up", "price")
    _rerun(world, db, {first.id: price.id, second.id: price.id})

    assert action_plan.counted_theme(item).id == price.id
    assert len(close_loop.recipients(item)) == 2, "the customers who gave the reason are still told"
    assert action_plan.impact(item, today=date(2026, 10, 29)).since == 1.0
    assert item in action_plan.items_about_theme(price)
    login("cx")
    page = _text(client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True))
    assert "Its theme is no longer found in the latest analysis run." in page
    assert "Its answers are now in the theme Price went up (2 of 2): this item follows them there" in page
    ledger = _text(client.get("/dashboard/ledger").get_data(as_text=True))
    assert "Its theme is no longer found in the latest analysis run." in ledger
    assert "Its answers are now in the theme Price went up (2 of 2)" in ledger


def test_an_item_whose_answers_are_in_no_theme_now_says_so(client, login, make, db):
    world = World(make, db)
    renewal = world.theme("renewal", "Renewal doubled", "price")
    _, first = world.answer(renewal, email="a@example.com")
    item = _shipped_item(db, renewal)
    other = world.theme("other", "Something else", "support")
    _, elsewhere = world.answer(other, email="c@example.com")
    _rerun(world, db, {elsewhere.id: other.id})  # the re-run puts the renewal answer in no theme

    assert close_loop.recipients(item) == []
    login("cx")
    page = _text(client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True))
    assert "Its theme is no longer found in the latest analysis run." in page
    assert "None of its answers is in a theme now, so this item counts no one" in page
    assert "no longer found" in _text(client.get("/dashboard/ledger").get_data(as_text=True))

    found = _shipped_item(db, other)  # a theme the latest run found: nothing to say
    assert "no longer found" not in client.get(f"/dashboard/actions/{found.id}").get_data(as_text=True)
