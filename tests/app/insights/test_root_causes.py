"""Root causes in the app without models: names from the taxonomy, the root-cause table with its
Wilson intervals and trend, confirming/changing a theme's cause, splitting a theme, the
corrections a run hands to the pipeline, and action items about a whole root cause."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.models import ActionItem, AuditEvent, Theme, ThemeAssignment
from feedback_app.services.actions import close_loop
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import assignment, curation, metric_charts, metrics, root_causes
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.statistics import wilson_interval
from feedback_app.services.privacy import erasure
from tests.app.insights_data import World
from tests.helpers import csrf_token

ALL_TIME = {"start": "", "end": ""}


def _world(make, db):
    """Two bug themes (one root cause, 2 customers) and one price theme (1 customer)."""
    world = World(make, db)
    crash = world.theme("crash", "App keeps crashing", "bugs_reliability")
    sync = world.theme("sync", "Sync loses data", "bugs_reliability")
    price = world.theme("price", "Price went up", "price")
    _, a = world.answer(
        crash, text="The app crashed every day.", monthly_revenue_cents=10000, lifetime_value_cents=120000
    )
    _, b = world.answer(
        sync, text="Sync lost our files twice.", monthly_revenue_cents=5000, lifetime_value_cents=30000
    )
    _, c = world.answer(price, text="Too expensive after the rise.", monthly_revenue_cents=2000)
    return world, (crash, sync, price), (a, b, c)


def test_cause_names_come_from_the_taxonomy():
    assert root_causes.cause_name("bugs_reliability") == "Bugs and reliability"
    assert root_causes.cause_name("emerging") == "Emerging"
    assert root_causes.cause_name("made_up_cause") == "Made up cause"
    keys = [k for k, _ in root_causes.cause_choices()]
    assert keys[0] == "price" and keys[-1] == "emerging" and "privacy_trust" in keys
    assert (
        root_causes.is_cause("billing")
        and not root_causes.is_cause("nonsense")
        and not root_causes.is_cause("")
    )


def test_root_cause_figures_add_up_their_themes_with_wilson_intervals_and_trend(make, db):
    world, (crash, sync, price), _ = _world(make, db)
    world.answer(price, text="Cost too much.", monthly_revenue_cents=900, left_at=date(2026, 8, 1))
    causes = metrics.root_cause_figures(Filters(start=date(2026, 9, 1), end=date(2026, 10, 31)))
    assert [c.key for c in causes] == ["bugs_reliability", "price"]
    bugs, cost = causes
    assert bugs.name == "Bugs and reliability" and bugs.customers == 2 and bugs.mrr_lost_cents == 15000
    assert bugs.ltv_lost_cents == 150000 and [t.theme.id for t in bugs.themes] == [crash.id, sync.id]
    assert bugs.share == pytest.approx(2 / 3) and bugs.interval == pytest.approx((0.2077, 0.9385), abs=1e-4)
    assert cost.interval == wilson_interval(1, 3)
    # previous period (Jul 2 - Aug 31): the one price customer; bugs had no one
    assert cost.previous_share == 1.0 and cost.trend == pytest.approx(1 / 3 - 1)
    assert bugs.previous_share == 0.0
    assert metric_charts.pareto(causes)[0] == {
        "label": "Bugs and reliability",
        "mrr_lost_cents": 15000,
        "cumulative_share": pytest.approx(15000 / 17000),
        "cumulative_percent": "88%",
    }


def test_themes_page_leads_with_root_causes_by_name(client, login, make, db):
    _world(make, db)
    login("product")
    html = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    assert "Root causes by revenue lost" in html and "<details" in html
    assert "Bugs and reliability" in html and not re.search(
        r">[^<]*bugs_reliability", html
    )  # key in links only
    assert html.index("Root causes by revenue lost") < html.index("App keeps crashing")
    assert html.index("Bugs and reliability") < html.index("App keeps crashing") < html.index("Price went up")
    assert '67% <span class="help nowrap">(21%–94%)</span>' in html  # 2 of 3 customers, Wilson 95%
    assert '33% <span class="help nowrap">(6%–79%)</span>' in html  # 1 of 3
    assert "Pareto chart: monthly revenue lost by root cause" in html


def test_theme_page_shows_the_cause_name_and_cx_can_confirm_or_change_it(client, login, make, db):
    _, (crash, _, _), _ = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{crash.id}")
    html = page.get_data(as_text=True)
    assert (
        'Root cause: <a href="/dashboard/causes/bugs_reliability' in html and ">bugs_reliability<" not in html
    )
    assert "<strong>Bugs and reliability</strong></a>" in html
    token = csrf_token(page)
    bad = client.post(
        f"/dashboard/themes/{crash.id}/cause",
        data={"cause": "nonsense", "csrf_token": token},
        follow_redirects=True,
    )
    assert (
        "Root cause: &#39;nonsense&#39; is not a known root cause; pick one from the list."
        in bad.get_data(as_text=True)
    )
    empty = client.post(
        f"/dashboard/themes/{crash.id}/cause", data={"cause": "", "csrf_token": token}, follow_redirects=True
    )
    assert "Root cause: Pick a root cause." in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Theme, crash.id).category_source == "model"

    done = client.post(
        f"/dashboard/themes/{crash.id}/cause",
        data={"cause": "speed_performance", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Root cause changed to “Speed and performance”" in done.get_data(as_text=True)
    client.post(
        f"/dashboard/themes/{crash.id}/cause", data={"cause": "speed_performance", "csrf_token": token}
    )
    db.session.expire_all()
    theme = db.session.get(Theme, crash.id)
    assert theme.category == "speed_performance" and theme.category_source == "human"
    actions = [
        e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.target_type == "theme"))
    ]
    assert actions == ["theme.change_cause", "theme.confirm_cause"]
    # no CSRF token: refused, nothing changes
    assert client.post(f"/dashboard/themes/{crash.id}/cause", data={"cause": "price"}).status_code in (
        302,
        400,
    )
    db.session.expire_all()
    assert db.session.get(Theme, crash.id).category == "speed_performance"


def test_split_moves_picked_answers_to_a_new_theme_and_checks_the_form(client, login, make, db):
    world, (crash, sync, _), (a, b, _) = _world(make, db)
    _, a2 = world.answer(crash, text="Crashes when saving.")
    login("cx")
    page = client.get(f"/dashboard/themes/{crash.id}")
    assert 'form="split-form"' in page.get_data(as_text=True)
    token = csrf_token(page)
    url = f"/dashboard/themes/{crash.id}/split"
    cases = [
        ({"label": "  ", "answers": [a.id]}, "Split: Enter a label for the new theme."),
        ({"label": "Crash on save"}, "Split: Pick at least one answer to move to the new theme."),
        ({"label": "Crash on save", "answers": [b.id]}, f"Split: Answer(s) {b.id} are not in"),
        ({"label": "x" * 201, "answers": [a.id]}, "Split: Field cannot be longer than 200 characters."),
    ]
    for data, message in cases:
        html = client.post(url, data={**data, "csrf_token": token}, follow_redirects=True).get_data(
            as_text=True
        )
        assert message in html, message
    assert db.session.scalar(select(Theme).where(Theme.stable_key.like("split-%"))) is None

    done = client.post(
        url, data={"label": "Crash on save", "answers": [a2.id], "csrf_token": token}, follow_redirects=True
    )
    assert "Moved 1 answer to the new theme “Crash on save”." in done.get_data(as_text=True)
    db.session.expire_all()
    new = db.session.scalar(select(Theme).where(Theme.stable_key.like("split-%")))
    assert new.display_label == "Crash on save" and new.label_locked and new.category == "bugs_reliability"
    now = assignment.current_assignments([a.id, a2.id])
    assert now[a2.id].id == new.id and now[a.id].id == crash.id
    row = db.session.scalar(
        select(ThemeAssignment).where(
            ThemeAssignment.response_id == a2.id, ThemeAssignment.source == "manual"
        )
    )
    assert row is not None and row.theme_id == new.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.split"))
    assert event.target_id == str(crash.id) and event.details["answers"] == 1


def test_curation_forms_are_for_cx_and_admin_only(client, login, make, db):
    _, (crash, _, _), (a, _, _) = _world(make, db)
    assert client.get(f"/dashboard/themes/{crash.id}").status_code == 302  # to the sign-in page
    login("product")
    page = client.get(f"/dashboard/themes/{crash.id}")
    html = page.get_data(as_text=True)
    assert "Confirm or change the root cause" not in html and "Split this theme" not in html
    token = csrf_token(client.get("/dashboard/actions"))
    assert (
        client.post(
            f"/dashboard/themes/{crash.id}/cause", data={"cause": "price", "csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/dashboard/themes/{crash.id}/split", data={"label": "X", "answers": [a.id], "csrf_token": token}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Theme, crash.id).category == "bugs_reliability"


def test_corrections_are_moves_and_confirmed_causes_never_erased_answers(make, db, monkeypatch):
    world, (crash, sync, price), (a, b, c) = _world(make, db)
    assert curation.corrections() == []
    curation.move_answer(c, sync, actor="cx@example.com")  # "Too expensive..." is now a bug answer
    monkeypatch.setattr(curation, "CONFIRMED_PER_THEME", 2)
    extra = [world.answer(price, text=f"Price rise number {n}.")[1] for n in range(3)]
    db.session.execute(
        ThemeAssignment.__table__.update()
        .where(ThemeAssignment.response_id == extra[2].id)
        .values(confidence=0.99)
    )
    curation.set_theme_cause(price, "billing", actor="cx@example.com")
    got = curation.corrections()
    assert got[0] == ("Too expensive after the rise.", "bugs_reliability")
    assert got[1:] == [
        ("Price rise number 2.", "billing"),
        ("Price rise number 0.", "billing"),
    ]  # most confident first
    person = extra[2].invitation.customer
    erasure.erase_person(person.email, actor="test")
    moved_person = c.invitation.customer
    erasure.erase_person(moved_person.email, actor="test")
    got = curation.corrections()
    assert got == [("Price rise number 0.", "billing"), ("Price rise number 1.", "billing")]
    assert all("number 2" not in text and "Too expensive" not in text for text, _ in got)


def test_an_action_item_can_be_about_a_whole_root_cause(client, login, make, db):
    _, (crash, sync, _), _ = _world(make, db)
    login("cx")
    page = client.get("/dashboard/actions")
    client.post("/dashboard/actions/propose", data={"csrf_token": csrf_token(page)})
    item = db.session.scalar(select(ActionItem).where(ActionItem.theme_id == crash.id))
    edit = client.get(f"/dashboard/actions/{item.id}")
    html = edit.get_data(as_text=True)
    assert 'name="theme"' in html and 'name="cause"' in html and "Bugs and reliability" in html
    form = {
        "title": "Stability sprint",
        "owner_team": "engineering",
        "status": "shipped",
        "actions": "Fix crashes",
        "csrf_token": csrf_token(edit),
    }
    bad = client.post(f"/dashboard/actions/{item.id}", data={**form, "theme": "None", "cause": "nonsense"})
    assert (
        bad.status_code == 422
        and "Root cause: &#39;nonsense&#39; is not a known root cause" in bad.get_data(as_text=True)
    )
    neither = client.post(f"/dashboard/actions/{item.id}", data={**form, "theme": "None", "cause": ""})
    assert neither.status_code == 422 and "Attach the item to a theme or a root cause" in neither.get_data(
        as_text=True
    )
    ok = client.post(
        f"/dashboard/actions/{item.id}",
        data={**form, "theme": "None", "cause": "bugs_reliability"},
        follow_redirects=True,
    )
    assert (
        ok.status_code == 200
        and "Root cause: <strong>Bugs and reliability</strong> (all its themes)" in ok.get_data(as_text=True)
    )
    db.session.expire_all()
    item = db.session.get(ActionItem, item.id)
    assert item.theme_id is None and item.cause_key == "bugs_reliability"
    # both bug themes' customers are told; the price customer is not
    assert len(close_loop.recipients(item)) == 2
    assert action_plan.subject(item) == "Bugs and reliability"
    listing = client.get("/dashboard/actions").get_data(as_text=True)
    assert (
        '<a href="/dashboard/causes/bugs_reliability">Bugs and reliability</a> <span class="help">(root cause)</span>'
        in listing
    )


def test_a_root_cause_has_its_own_page_with_figures_themes_quotes_and_actions(client, login, make, db):
    world, (crash, sync, price), _ = _world(make, db)
    crash.quotes = ["The app crashed every day."]
    db.session.add(
        ActionItem(title="Stability sprint", cause_key="bugs_reliability", owner_team="engineering")
    )
    db.session.commit()
    login("product")
    themes_page = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    assert 'href="/dashboard/causes/bugs_reliability' in themes_page
    html = client.get("/dashboard/causes/bugs_reliability", query_string=ALL_TIME).get_data(as_text=True)
    assert "<h1>Bugs and reliability</h1>" in html and not re.search(r">[^<]*bugs_reliability", html)
    # 2 of the 3 themed customers, $100 + $50 a month, both bug themes linked, the price theme not
    assert "<dd>2</dd>" in html and "67%" in html and "$150" in html
    assert f"/dashboard/themes/{crash.id}" in html and f"/dashboard/themes/{sync.id}" in html
    assert f"/dashboard/themes/{price.id}" not in html and "Price went up" not in html
    assert "The app crashed every day." in html and "Stability sprint" in html
    priced = client.get("/dashboard/causes/price", query_string=ALL_TIME).get_data(as_text=True)
    assert "Price went up" in priced and "Stability sprint" not in priced
    assert "No action item is about this root cause yet" in priced


def test_a_root_cause_pages_share_by_month_covers_every_month_of_the_period(client, login, make, db):
    """Like the themes page's month charts: from the period's first day (a partial month labelled
    with its days) to its last, a month nobody with a theme left in shown as "–", not left out."""
    world, (crash, sync, price), _ = _world(make, db)  # all three left on 2026-10-01
    world.answer(price, left_at=date(2026, 8, 20))
    login("product")
    html = client.get(
        "/dashboard/causes/bugs_reliability", query_string={"start": "2026-07-15", "end": "2026-10-31"}
    ).get_data(as_text=True)
    block = re.search(r'data-chart-for="cause-shares-chart">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["months"] == ["Jul 2026 (days 15–31)", "Aug 2026", "Sep 2026", "Oct 2026"]
    assert data["series"][0]["shares"] == [None, 0.0, None, pytest.approx(2 / 3)]
    assert data["series"][0]["percents"] == [None, "0%", None, "67%"]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert rows == [
        ("Jul 2026 (days 15–31)", "–"),
        ("Aug 2026", "0%"),
        ("Sep 2026", "–"),
        ("Oct 2026", "67%"),
    ]


def test_a_root_cause_page_has_an_empty_state_and_unknown_causes_are_not_found(client, login, make, db):
    _world(make, db)
    login("product")
    quiet = client.get("/dashboard/causes/privacy_trust", query_string=ALL_TIME)
    assert quiet.status_code == 200
    assert "No former customer has given this root cause yet." in quiet.get_data(as_text=True)
    assert client.get("/dashboard/causes/made_up_cause").status_code == 404


def test_a_root_cause_page_says_what_the_cause_covers_and_emerging_says_what_to_do(client, login, make, db):
    """The page opened with "A root cause of the taxonomy, with the themes found within it." on
    every cause, "Emerging" included, which is no cause of the taxonomy: a product manager learnt
    neither what "Price" covers nor what to do with answers that fit nothing."""
    world, _, _ = _world(make, db)
    odd = world.theme("odd", "Problems with surveys", root_causes.EMERGING)
    world.answer(odd, text="Your surveys kept popping up.")
    login("cx")
    price = client.get("/dashboard/causes/price", query_string=ALL_TIME).get_data(as_text=True)
    assert '<p class="lead">Too expensive, a price rise, or not worth the money.</p>' in price
    assert "of the taxonomy" not in price
    emerging = client.get("/dashboard/causes/emerging", query_string=ALL_TIME).get_data(as_text=True)
    assert "Themes whose answers fit none of the root causes yet." in emerging
    assert "Open a theme and give it a root cause under “Confirm or change the root cause”" in emerging


def test_the_emerging_page_tells_only_who_can_change_a_root_cause_how(client, login, make, db):
    world, _, _ = _world(make, db)
    odd = world.theme("odd", "Problems with surveys", root_causes.EMERGING)
    world.answer(odd, text="Your surveys kept popping up.")
    login("product")
    emerging = client.get("/dashboard/causes/emerging", query_string=ALL_TIME).get_data(as_text=True)
    assert "Themes whose answers fit none of the root causes yet." in emerging
    assert "Confirm or change the root cause" not in emerging
