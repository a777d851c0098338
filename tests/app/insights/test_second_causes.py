"""Second reasons: counted apart from the main-theme figures, shown on the themes and cause pages."""

from __future__ import annotations

from feedback_app.models import ThemeAssignment
from feedback_app.services.insights import metrics, second_causes
from feedback_app.services.insights.filters import Filters
from tests.app.insights_data import World

ALL_TIME = {"start": "", "end": ""}
BOTH = "Too expensive for what it is, and it crashed every week."


def _world(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    bugs = world.theme("bugs", "Frequent crashes", "bugs_reliability")
    _, both = world.answer(price, text=BOTH, monthly_revenue_cents=5000)
    world.answer(bugs, text="It crashed.", monthly_revenue_cents=1000)
    db.session.add(
        ThemeAssignment(
            run_id=world.run.id, response_id=both.id, theme_id=bugs.id, is_primary=False, confidence=0.6
        )
    )
    db.session.commit()
    return price, bugs


def test_a_second_reason_is_counted_apart_and_the_figures_still_add_up(make, db):
    _world(make, db)
    also = second_causes.also_given(Filters())
    assert set(also) == {"bugs_reliability"}
    assert also["bugs_reliability"].customers == 1 and also["bugs_reliability"].mrr_lost_cents == 5000
    causes = {c.key: c for c in metrics.root_cause_figures(Filters(), with_trend=False)}
    assert causes["bugs_reliability"].customers == 1 and causes["price"].customers == 1


def test_the_pages_show_who_also_gave_the_cause(client, login, make, db):
    price, _ = _world(make, db)
    login("cx")
    themes = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    assert "+1 as a second reason" in themes
    cause = client.get("/dashboard/causes/bugs_reliability", query_string=ALL_TIME).get_data(as_text=True)
    assert "1 more customer gave this root cause as a second reason" in cause
    assert BOTH in cause and f'main reason: <a href="/dashboard/themes/{price.id}' in cause
    # folded under the sentence, so the cause's own themes are not pushed below up to 20 quotes
    folded = cause.split("as a second reason", 1)[1].split("<details>", 1)[1].split("</details>", 1)[0]
    assert "<summary>Their answer (1)</summary>" in folded and BOTH in folded
    price_page = client.get("/dashboard/causes/price", query_string=ALL_TIME).get_data(as_text=True)
    assert "as a second reason" not in price_page


def test_a_second_reason_counts_when_the_customer_counts_under_another_cause(make, db):
    """Each customer now counts toward one theme (their survey answer's before a billing-portal
    reason's): someone whose survey answer is about price, with crashes as its second reason, and
    whose billing-portal reason was crashes counts under price only. The "+N as a second reason"
    still left them out of crashes, as if they counted there: they were in neither figure."""
    from datetime import UTC, datetime

    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    bugs = world.theme("bugs", "Frequent crashes", "bugs_reliability")
    person, both = world.answer(price, text=BOTH, monthly_revenue_cents=5000)
    world.answer(bugs, text="It crashed.", monthly_revenue_cents=1000)
    invitation, _ = make.invitation(customer=person, survey=make.survey(key="portal"), status="sent")
    portal = make.response(
        invitation=invitation,
        answers={"main_reason": "other", "what_happened": "Crashes."},
        redacted_text="Crashes.",
        submitted_at=datetime(2026, 9, 30, tzinfo=UTC),
    )
    portal.source = "stripe"
    for response_id, primary in ((both.id, False), (portal.id, True)):
        db.session.add(
            ThemeAssignment(
                run_id=world.run.id,
                response_id=response_id,
                theme_id=bugs.id,
                is_primary=primary,
                confidence=0.6,
            )
        )
    db.session.commit()
    causes = {c.key: c for c in metrics.root_cause_figures(Filters(), with_trend=False)}
    assert causes["bugs_reliability"].customers == 1 and causes["price"].customers == 1
    also = second_causes.also_given(Filters())
    assert also["bugs_reliability"].customers == 1 and also["bugs_reliability"].mrr_lost_cents == 5000
