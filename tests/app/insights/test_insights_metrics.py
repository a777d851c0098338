"""The figures on the overview and themes pages, checked against hand-computed values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from feedback_app.i18n import month_name
from feedback_app.models import AuditEvent, ThemeAssignment
from feedback_app.services.insights import assignment, curation, metric_charts, metrics, runs
from feedback_app.services.insights.filters import Filters, parse_date
from feedback_app.services.insights.overview import overview, overview_with_trend
from feedback_app.services.insights.statistics import wilson_interval
from tests.app.insights_data import World

PERIOD = Filters(start=date(2026, 9, 1), end=date(2026, 10, 31))


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_previous_period_is_the_same_length_just_before():
    previous = PERIOD.previous()
    assert previous.end == date(2026, 8, 31)
    assert (previous.end - previous.start) == (PERIOD.end - PERIOD.start)
    assert Filters().previous() is None


def test_overview_counts_rates_revenue_and_win_back(make):
    survey = make.survey()
    sent = datetime(2026, 10, 2, tzinfo=UTC)
    answered = make.customer(
        left_at=date(2026, 10, 1), monthly_revenue_cents=10000, lifetime_value_cents=120000
    )
    make.response(
        invitation=make.invitation(customer=answered, survey=survey, status="sent", sent_at=sent)[0]
    )
    opted = make.customer(
        left_at=date(2026, 10, 5), monthly_revenue_cents=5000, lifetime_value_cents=30000, opted_out=True
    )
    make.invitation(customer=opted, survey=survey, status="opted_out", sent_at=sent, opened_at=sent)
    make.customer(
        left_at=date(2026, 10, 10),
        monthly_revenue_cents=2000,
        lifetime_value_cents=10000,
        returned_at=date(2026, 11, 1),
    )
    before = make.customer(left_at=date(2026, 8, 15), monthly_revenue_cents=999, lifetime_value_cents=999)
    make.response(invitation=make.invitation(customer=before, survey=survey, status="sent", sent_at=sent)[0])
    make.customer(left_at=date(2026, 12, 1))  # after the period: not counted

    trend = overview_with_trend(PERIOD)
    o = trend.current
    assert (o.departed, o.invited, o.opened, o.responses, o.opt_outs, o.won_back) == (3, 2, 2, 1, 1, 1)
    assert o.response_rate == 0.5 and o.completion_rate == 0.5 and o.opt_out_rate == 0.5
    assert o.mrr_lost_cents == 17000 and o.ltv_lost_cents == 160000
    assert o.win_back_rate == pytest.approx(1 / 3)
    assert o.funnel == [("Departed", 3), ("Invited", 2), ("Opened the survey", 2), ("Answered", 1)]
    assert trend.previous.departed == 1 and trend.previous.response_rate == 1.0
    assert trend.change("response_rate") == -0.5
    assert overview(Filters(plan="enterprise")).departed == 0


def test_overview_of_an_empty_database_has_no_rates(app):
    o = overview(PERIOD)
    assert o.departed == 0 and o.response_rate is None and o.win_back_rate is None


def _two_themes(make, db):
    world = World(make, db, run_counts={"new_theme_keys": ["support"]})
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Rude support", "support")
    for mrr, nps in ((10000, 2), (20000, 4), (30000, 6)):
        world.answer(price, monthly_revenue_cents=mrr, lifetime_value_cents=100000, nps=nps, sentiment=-0.2)
    world.answer(
        support,
        monthly_revenue_cents=90000,
        lifetime_value_cents=500000,
        nps=0,
        reason="poor_support",
        returned_at=date(2026, 11, 20),
    )
    world.answer(None, text="n/a")  # a non-answer: no theme, not in the shares
    world.answer(
        price, left_at=date(2026, 8, 15), monthly_revenue_cents=1, lifetime_value_cents=1
    )  # previous period
    return world, price, support


def test_theme_figures_shares_revenue_scores_trend_and_new_mark(make, db):
    world, price, support = _two_themes(make, db)
    figures = metrics.theme_figures(PERIOD)
    assert [f.theme.stable_key for f in figures] == ["support", "price"]  # sorted by MRR lost
    sup, pri = figures
    assert (pri.customers, pri.mrr_lost_cents, pri.ltv_lost_cents) == (3, 60000, 300000)
    assert pri.share == 0.75 and pri.interval == wilson_interval(3, 4)
    assert pri.avg_score == 4.0 and pri.sentiment == pytest.approx(-0.2)
    assert sup.share == 0.25 and sup.avg_score == 0.0 and sup.won_back == 1 and sup.win_back_rate == 1.0
    assert pri.trend == pytest.approx(-0.25) and sup.trend == pytest.approx(0.25)
    assert sup.is_new and not pri.is_new
    assert pri.first_seen == date(2026, 10, 1)

    points = metric_charts.pareto(figures)
    assert [p["label"] for p in points] == ["Rude support", "Price went up"]
    assert [p["cumulative_share"] for p in points] == [0.6, 1.0]


def test_the_pareto_charts_hover_writes_a_tiny_share_as_the_table_beside_it_does():
    causes = [
        metrics.RootCauseFigures(key=f"c{i}", name=f"Cause {i}", mrr_lost_cents=100) for i in range(250)
    ]
    points = metric_charts.pareto(causes)
    assert points[0]["cumulative_share"] == pytest.approx(0.004)
    assert points[0]["cumulative_percent"] == "<1%"  # not "0%", as the chart's own format wrote it
    assert points[1]["cumulative_percent"] == "1%" and points[-1]["cumulative_percent"] == "100%"


def test_the_lines_charts_hover_writes_small_shares_with_one_decimal():
    """A month where 1 customer in 250 gave a theme read "0%" on hover; now "0.4%" (one decimal
    below 10%, whole percents above, "<0.1%" for a share that rounds to nothing, as the Pareto
    chart's hover writes "<1%")."""
    shares = [0.004, 0.0004, 0.0, 0.02, 0.0996, 0.25, None]
    assert metric_charts.line("Price went up", shares) == {
        "label": "Price went up",
        "shares": shares,
        "percents": ["0.4%", "<0.1%", "0%", "2.0%", "10%", "25%", None],
    }


def test_theme_filters_slice_by_plan_and_survey(make, db):
    world, price, support = _two_themes(make, db)
    world.answer(price, plan="enterprise", monthly_revenue_cents=50000)
    only = metrics.theme_figures(Filters(start=PERIOD.start, end=PERIOD.end, plan="enterprise"))
    assert [(f.theme.stable_key, f.customers, f.share) for f in only] == [("price", 1, 1.0)]
    assert metrics.theme_figures(Filters(survey="no-such-survey")) == []


def test_shares_by_month_and_answers_over_time(make, db):
    world, price, support = _two_themes(make, db)
    world.answer(support, left_at=date(2026, 9, 10), submitted=datetime(2026, 9, 12, tzinfo=UTC))
    months = metric_charts.shares_by_month(PERIOD)
    assert months["months"] == ["Sep 2026", "Oct 2026"]
    series = {s["label"]: s["shares"] for s in months["series"]}
    assert series["Rude support"] == [1.0, 0.25] and series["Price went up"] == [0.0, 0.75]
    hovers = {s["label"]: s["percents"] for s in months["series"]}
    assert hovers["Rude support"] == ["100%", "25%"] and hovers["Price went up"] == ["0%", "75%"]
    counts = {p["month"]: p["answers"] for p in metric_charts.answers_by_month(PERIOD)}
    assert counts == {"Sep 2026": 1, "Oct 2026": 5}


def test_a_month_reads_in_the_pages_language_with_its_partial_days(app):
    """Month labels were "2026-06"; they are the month's short name and year in the page's language."""
    with app.test_request_context():
        assert month_name(date(2026, 6, 1)) == "Jun 2026"
        with force_locale("fr"):
            assert month_name(date(2026, 6, 1)) == "juin 2026"
        partial = Filters(start=date(2026, 5, 20), end=date(2026, 6, 3))
        assert [label for _key, label in metric_charts.period_months(partial, [])] == [
            "May 2026 (days 20–31)",
            "Jun 2026 (days 1–3)",
        ]


def test_a_human_move_beats_the_run_and_the_run_beats_incremental(make, db):
    world, price, support = _two_themes(make, db)
    _, late = world.answer(price, source="incremental")
    db.session.add(
        ThemeAssignment(run_id=world.run.id, response_id=late.id, theme_id=support.id, source="batch")
    )
    db.session.commit()
    assert assignment.current_assignments([late.id])[late.id].id == support.id
    curation.move_answer(late, price, actor="cx@example.com")
    assert assignment.current_assignments([late.id])[late.id].id == price.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.move_answer"))
    assert event.details == {"from_theme": support.id, "to_theme": price.id}


def test_merging_moves_every_answer_and_is_audited(make, db):
    world, price, support = _two_themes(make, db)
    curation.merge_themes(support, price, actor="cx@example.com")
    figures = metrics.theme_figures(PERIOD)
    assert [(f.theme.stable_key, f.customers, f.mrr_lost_cents) for f in figures] == [("price", 4, 150000)]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.merge")).target_id == str(
        support.id
    )
    with pytest.raises(curation.CurationError):
        curation.merge_themes(price, support, actor="cx@example.com")  # support now stands for price


def test_rename_keeps_the_pipeline_label_and_rejects_empty_labels(make, db):
    world, price, _ = _two_themes(make, db)
    curation.rename_theme(price, "  Price   increase ", lock=True, actor="cx@example.com")
    assert price.display_label == "Price increase" and price.label == "Price went up" and price.label_locked
    with pytest.raises(curation.CurationError, match="empty"):
        curation.rename_theme(price, "   ", lock=False, actor="cx@example.com")


def test_parse_date_names_the_field():
    assert parse_date("2026-01-31", "From") == date(2026, 1, 31)
    with pytest.raises(ValueError, match="From: '31/01/2026' is not a date"):
        parse_date("31/01/2026", "From")


def test_an_abandoned_run_does_not_block_the_next_one(app, db):
    from datetime import timedelta

    from feedback_app.models import AnalysisRun, utcnow

    stuck = AnalysisRun(status="running", started_at=utcnow() - timedelta(hours=3))
    busy = AnalysisRun(status="queued")
    db.session.add_all([stuck, busy])
    db.session.commit()
    assert runs.active_run().id == busy.id
    assert stuck.status == "failed" and "Abandoned" in stuck.error
    with pytest.raises(runs.AnalysisError, match=f"run {busy.id} is still queued"):
        runs.start_run(actor="test")


def test_a_run_started_from_the_command_line_is_in_the_audit_log(runner, db):
    """As one started from the dashboard is: who started which run, whatever became of it."""
    from feedback_app.models import AnalysisRun

    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code != 0 and "no free-text answers" in result.output  # an empty database
    run = db.session.scalar(select(AnalysisRun))
    started = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "analysis.start")).all()
    assert [(e.actor, e.target_id) for e in started] == [("cli", str(run.id))]


def test_a_long_run_that_still_reports_progress_is_not_abandoned_but_a_silent_one_is(app, db):
    from datetime import timedelta

    from feedback_app.models import AnalysisRun, utcnow

    # Started an hour ago (100,000 answers take a while) but saved progress a minute ago: alive.
    alive = AnalysisRun(
        status="running",
        started_at=utcnow() - timedelta(hours=1),
        heartbeat_at=utcnow() - timedelta(minutes=1),
    )
    db.session.add(alive)
    db.session.commit()
    assert runs.active_run().id == alive.id and alive.status == "running"
    # Its worker was killed: no progress for longer than the heartbeat allows.
    alive.heartbeat_at = utcnow() - runs.STALE_HEARTBEAT - timedelta(minutes=1)
    db.session.commit()
    assert runs.active_run() is None
    assert alive.status == "failed" and "Abandoned" in alive.error
    assert runs.start_run(actor="test").id != alive.id  # a retry can start at once


def test_a_run_another_process_finished_is_noticed_at_once(app, db):
    from feedback_app.models import AnalysisRun, utcnow

    assert runs.has_succeeded_run() is False
    db.session.add(
        AnalysisRun(status="succeeded", started_at=utcnow(), finished_at=utcnow())
    )  # as a worker would
    db.session.commit()
    assert runs.has_succeeded_run() is True


def test_a_run_whose_process_was_killed_says_when_the_next_one_can_start(app, db):
    """`kill -9` of the process running an analysis leaves its run `running`: the next start said
    "wait for it to finish", which never comes; it now says when the run counts as abandoned."""
    from datetime import UTC, datetime, timedelta

    from feedback_app.models import AnalysisRun, utcnow

    beat = utcnow().replace(microsecond=0) - timedelta(minutes=2)
    killed = AnalysisRun(status="running", started_at=beat, heartbeat_at=beat, stage="embed")
    db.session.add(killed)
    db.session.commit()
    with pytest.raises(runs.AnalysisError) as refused:
        runs.start_run(actor="test")
    free_at = (beat + runs.STALE_HEARTBEAT).astimezone(UTC)
    assert f"run {killed.id} is still running" in str(refused.value)
    assert f"last progress at {beat.astimezone(UTC):%H:%M} UTC" in str(refused.value)
    assert f"marked failed at {free_at:%H:%M} UTC" in str(refused.value)
    assert datetime.now(UTC) < free_at
