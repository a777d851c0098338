"""Churn rates against a hand-computed example, count intake by CSV, API and CLI, and the cause mix."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from feedback_app.i18n import month_name
from feedback_app.services.insights import churn_rates
from tests.app.insights_data import World
from tests.helpers import csrf_token, without_tags

CSV = (
    b"month,segment,plan,active_customers,mrr\n"
    b"2026-09,,,200,20000\n"
    b"2026-10,,,190,19000.50\n"
    b"2026-09,smb,,120,\n"
    b"2026-10,smb,team,60,\n"
    b"2026-10,smb,pro,50,\n"
)


def _departures(make, db):
    """September: 4 left (3 smb), October: 2 (both smb, team), all at $79.00 a month."""
    for day, segment, plan in [
        (3, "smb", "team"),
        (9, "smb", "pro"),
        (20, "smb", "team"),
        (30, "mid", "pro"),
    ]:
        make.customer(left_at=date(2026, 9, day), segment=segment, plan=plan, monthly_revenue_cents=7900)
    for day in (1, 31):
        make.customer(left_at=date(2026, 10, day), segment="smb", plan="team", monthly_revenue_cents=7900)
    make.customer(left_at=date(2026, 8, 31), segment="smb")  # before the first count: not in any month


def test_churn_rate_is_departures_over_active_at_the_start_by_hand(app, make, db):
    _departures(make, db)
    report = churn_rates.import_csv(CSV, actor="t")
    assert report.saved == 5 and report.problems == []
    sept, octo = churn_rates.monthly()
    assert (sept.active_start, sept.departures, sept.churn_rate) == (200, 4, 0.02)
    assert sept.revenue_churn_rate == pytest.approx(4 * 7900 / 2_000_000)
    assert (octo.active_start, octo.departures) == (190, 2) and octo.churn_rate == pytest.approx(2 / 190)
    low, high = sept.interval
    assert low < 0.02 < high
    smb_sept, smb_oct = churn_rates.monthly(segment="smb")
    assert (smb_sept.active_start, smb_sept.departures) == (120, 3)  # the segment's own row
    assert (smb_oct.active_start, smb_oct.departures) == (110, 2)  # no segment row: its plans added up
    assert smb_sept.revenue_churn_rate is None  # no MRR given for smb
    team = churn_rates.monthly(plan="team")
    assert [(r.active_start, r.departures) for r in team] == [(None, 2), (60, 2)]
    assert team[0].churn_rate is None
    assert churn_rates.period_churn_rate([sept, octo]) == pytest.approx(6 / 390)


def test_bad_rows_are_named_by_line_and_field_and_good_rows_still_saved(app):
    data = (
        b"month,active_customers,mrr\n2026-13,10,\n2026-09,ten,\n2026-10,-5,\n2026-11,12,1.234\n"
        b"2026-12,30,\n2026-12,31,\n2027-01,40\n2027-02,50,\n"
    )
    report = churn_rates.import_csv(data, actor="t")
    messages = [str(p) for p in report.problems]
    assert any(m.startswith("line 2, month:") for m in messages)
    assert any(m.startswith("line 3, active_customers:") for m in messages)
    assert any(m.startswith("line 4, active_customers:") for m in messages)
    assert any(m.startswith("line 5, mrr:") for m in messages)
    assert any(m.startswith("line 7, month: repeats line 6") for m in messages)
    assert any(m.startswith("line 8:") and "cells" in m for m in messages)
    assert report.saved == 2
    assert (
        churn_rates.import_csv(b"when,count\n2026-01,4\n", actor="t")
        .problems[0]
        .message.startswith("the header needs the column(s) month, active_customers")
    )
    assert "UTF-16" in str(churn_rates.import_csv("month".encode("utf-16"), actor="t").problems[0])


def test_a_month_no_calendar_has_is_a_bad_row_and_the_rest_are_saved(app, client, api_key):
    report = churn_rates.import_csv(b"month,active_customers\n0000-05,100\n2026-09,200\n", actor="t")
    assert [str(p) for p in report.problems] == [
        "line 2, month: '0000-05' is not a month; write YYYY-MM, e.g. 2026-09"
    ]
    assert report.saved == 1
    response = client.post(
        "/api/v1/active-counts",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"month": "0000-05", "active_customers": 5},
    )
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "month"


def test_a_problem_after_a_value_over_two_lines_names_the_line_it_is_on(app):
    data = b'month,active_customers,plan\n2026-08,100,"team\nannual"\n2026-09,abc,team\n'
    report = churn_rates.import_csv(data, actor="t")
    assert [str(p).split(":")[0] for p in report.problems] == ["line 4, active_customers"]
    assert report.saved == 1


def test_a_header_naming_a_column_twice_is_refused_and_nothing_saved(app):
    report = churn_rates.import_csv(b"month,active_customers,month\n2026-08,100,2026-09\n", actor="t")
    assert [str(p) for p in report.problems] == [
        "line 1: the header names the column(s) month more than once"
    ]
    assert report.saved == 0 and churn_rates.monthly() == []


def test_a_line_that_cannot_be_read_as_csv_is_reported_and_nothing_saved(app, runner, tmp_path):
    path = tmp_path / "counts.csv"
    path.write_bytes(b'month,active_customers,plan\n2026-08,100,team\n2026-09,200,"te"am\n')
    result = runner.invoke(args=["winback", "counts-import", str(path)])
    assert result.exit_code == 1
    assert "Not saved: counts.csv: line 3: cannot be read as CSV" in result.output
    assert "Saved 0 count(s)" in result.output and churn_rates.monthly() == []


def test_uploading_a_month_again_replaces_its_count(app):
    churn_rates.import_csv(b"month,active_customers\n2026-09,100\n", actor="t")
    churn_rates.import_csv(b"month,active_customers\n2026-09,150\n", actor="t")
    assert [r.active_start for r in churn_rates.monthly()] == [150]


def test_the_api_takes_counts_and_names_each_problem(client, api_key, app):
    headers = {"Authorization": f"Bearer {api_key}"}
    ok = client.post(
        "/api/v1/active-counts",
        headers=headers,
        json=[
            {"month": "2026-09", "active_customers": 200, "mrr": "20000"},
            {"month": "2026-09", "segment": "smb", "active_customers": 120},
        ],
    )
    assert ok.status_code == 200 and ok.get_json() == {"saved": 2}
    bad = client.post(
        "/api/v1/active-counts",
        headers=headers,
        json=[
            {"month": "Sept", "active_customers": 1},
            {"month": "2026-10", "active_customers": True},
            "x",
            {"month": "2026-11", "active_customers": 3, "colour": "red"},
        ],
    )
    assert bad.status_code == 422
    errors = {(e["index"], e["field"]) for e in bad.get_json()["errors"]}
    assert errors == {(0, "month"), (1, "active_customers"), (2, None), (3, "colour")}
    assert (
        client.post("/api/v1/active-counts", json={"month": "2026-09", "active_customers": 1}).status_code
        == 401
    )
    assert [r.active_start for r in churn_rates.monthly()] == [200]


def test_a_count_without_a_month_says_the_month_is_required(client, api_key, app):
    """Walk (integrator): a count sent without its month was told "'' is not a month", quoting a
    value nobody sent; it now says the month is required, as a missing active_customers does."""
    bad = client.post("/api/v1/active-counts", headers={"Authorization": f"Bearer {api_key}"}, json={})
    month = next(e for e in bad.get_json()["errors"] if e["field"] == "month")
    assert month["message"] == "is required: the month the count is for, as YYYY-MM, e.g. 2026-09"
    report = churn_rates.import_csv(b"month,active_customers\n,100\n", actor="t")
    assert [str(p) for p in report.problems] == [
        "line 2, month: is required: the month the count is for, as YYYY-MM, e.g. 2026-09"
    ]


def test_the_cli_imports_counts_and_reports_problems(app, runner, tmp_path):
    path = tmp_path / "counts.csv"
    path.write_bytes(b"month,active_customers\n2026-09,100\n2026-10,x\n")
    result = runner.invoke(args=["winback", "counts-import", str(path)])
    assert "Saved 1 count(s); 1 problem(s)." in result.output and "line 3, active_customers" in result.output


def test_cause_mix_shares_intervals_and_the_unknown_share(app, make, db):
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    support = world.theme("s", "Slow support", category="support")
    for _ in range(3):
        world.answer(price, left_at=date(2026, 9, 5))
    world.answer(support, left_at=date(2026, 9, 6))
    make.customer(left_at=date(2026, 9, 7))  # did not answer
    mix = churn_rates.cause_mix(date(2026, 9, 1), date(2026, 9, 30), churn_rate=0.05)
    assert (mix.departures, mix.answered, mix.unknown_share) == (5, 4, 0.2)
    top = mix.causes[0]
    assert (top.cause, top.departures, top.share) == ("price", 3, 0.75)
    assert top.interval[0] < 0.75 < top.interval[1] and top.contribution == pytest.approx(0.0375)


def test_the_period_cause_mix_spans_the_months_shown_to_their_last_day(app, make, db):
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    world.answer(price, left_at=date(2026, 9, 1))
    world.answer(price, left_at=date(2026, 10, 31))  # the last day of the last month shown
    world.answer(price, left_at=date(2026, 11, 1))  # after it
    rates = [
        churn_rates.MonthRate(date(2026, 9, 1), 100, 1, None, 0),
        churn_rates.MonthRate(date(2026, 10, 1), 100, 1, None, 0),
    ]
    mix = churn_rates.period_cause_mix(rates)
    assert (mix.departures, mix.answered) == (2, 2)
    assert mix.causes[0].contribution == pytest.approx(0.01)  # all of the period's 1% a month
    assert churn_rates.period_cause_mix([]) is None


def test_the_churn_page_shows_rates_with_units_and_takes_an_upload(app, client, login, make, db):
    _departures(make, db)
    login("cx")
    empty = client.get("/dashboard/churn")
    assert "No active-customer counts yet" in without_tags(empty.get_data(as_text=True))
    from io import BytesIO

    client.post(
        "/dashboard/churn/counts",
        data={"csrf_token": csrf_token(empty), "file": (BytesIO(CSV), "c.csv")},
        content_type="multipart/form-data",
    )
    page = client.get("/dashboard/churn").get_data(as_text=True)
    assert (
        "% per month" in page and "2.0%" in page and "Sep 2026" in page and 'data-chart-kind="lines"' in page
    )
    bad = client.post(
        "/dashboard/churn/counts",
        data={
            "csrf_token": csrf_token(empty),
            "file": (BytesIO(b"month,active_customers\n2026-99,1\n"), "c.csv"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Not saved: line 2, month" in bad.get_data(as_text=True)


def test_the_month_under_way_is_left_out_of_the_chart_and_the_average(app, client, login, make, db):
    """The churn chart plunged to 0% for the month under way (a few days of departures over a whole
    month's customers) and the "Average over these months" counted it as a month: the table still
    lists it "(so far)", the chart and the average take the months that have ended."""
    this_month = date.today().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for _ in range(4):
        make.customer(left_at=last_month + timedelta(days=2))
    make.customer(left_at=this_month)
    churn_rates.import_csv(
        f"month,active_customers\n{last_month:%Y-%m},100\n{this_month:%Y-%m},100\n".encode(), actor="t"
    )
    ended, under_way = churn_rates.monthly()
    assert (ended.complete, under_way.complete) == (True, False)
    assert churn_rates.period_churn_rate([ended, under_way]) == pytest.approx(0.04)  # not 5 / 200
    login("cx")
    page = client.get("/dashboard/churn").get_data(as_text=True)
    chart = json.loads(re.search(r'data-chart-for="churn-chart">(.*?)</script>', page, re.S).group(1))
    assert chart["months"] == [month_name(last_month)]
    assert f'{month_name(this_month)} <span class="help">(so far)</span>' in page
    assert "Average over these months: 4.0% of customers per month." in page


def test_the_churn_page_writes_large_counts_with_thousands_separators(app, client, login, make, db):
    """The churn table wrote "2400" active customers beside "$1,618,010" of revenue: counts now read
    "2,400" as on the other pages."""
    make.customer(left_at=date(2026, 9, 3))
    churn_rates.import_csv(b"month,active_customers,new_customers\n2026-09,2400,1250\n", actor="t")
    login("cx")
    page = client.get("/dashboard/churn").get_data(as_text=True)
    assert '<td data-label="Active on the 1st">2,400</td>' in page and ">2400<" not in page


def test_plan_and_segment_match_up_to_case_and_spaces_as_the_filters_do(app, make, db):
    """Counts say "SMB"/"Team", customers "smb "/"team": one label, as on the customers list."""
    churn_rates.import_csv(
        b"month,segment,plan,active_customers\n2026-09,SMB,,120\n2026-10,SMB,Team,60\n2026-10,SMB,Pro,50\n",
        actor="t",
    )
    for day, segment, plan in [(3, "smb ", "team"), (9, "Smb", "PRO"), (20, "mid", "team")]:
        make.customer(left_at=date(2026, 9, day), segment=segment, plan=plan)
    make.customer(left_at=date(2026, 10, 2), segment="smb", plan=" team")
    for asked in ("smb", "SMB", " Smb "):
        sept, octo = churn_rates.monthly(segment=asked)
        assert (sept.active_start, sept.departures) == (120, 2), asked
        assert (octo.active_start, octo.departures) == (110, 1), asked  # its plans added up
    team = churn_rates.monthly(segment="smb", plan="TEAM")
    assert [(r.active_start, r.departures) for r in team] == [(None, 1), (60, 1)]
    assert [(r.active_start, r.departures) for r in churn_rates.monthly(plan="team")] == [(None, 2), (60, 1)]
    mix = churn_rates.cause_mix(date(2026, 9, 1), date(2026, 10, 31), segment="SMB", plan="Team")
    assert mix.departures == 2
    churn_rates.import_csv(b"month,segment,plan,active_customers\n2026-11,smb,team,61\n", actor="t")
    assert churn_rates.choices() == {"segments": ["SMB"], "plans": ["Pro", "Team"]}  # offered once


def test_cause_mix_counts_each_customer_under_the_cause_the_themes_page_does(app, make, db):
    """The themes page counts each customer toward one theme: their survey answer's (else a
    ticket's...), an earlier answer's when a later one was found to be no answer. The churn page's
    mix read only the latest answer: the customer whose second answer said nothing, and the one
    heard only in a ticket, were 'unknown' there while the themes page counted both."""
    from datetime import UTC, datetime

    from feedback_app.services.insights import metrics
    from feedback_app.services.insights.filters import Filters

    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    support = world.theme("s", "Slow support", category="support")
    person, _ = world.answer(price, left_at=date(2026, 9, 5), submitted=datetime(2026, 9, 6, tzinfo=UTC))
    invitation, _ = make.invitation(customer=person, survey=make.survey(key="second"), status="sent")
    make.response(
        invitation=invitation,
        answers={"what_happened": "no"},
        submitted_at=datetime(2026, 9, 20, tzinfo=UTC),
    )
    world.ticket(support, make.customer(left_at=date(2026, 9, 7)).id)
    period = Filters(start=date(2026, 9, 1), end=date(2026, 9, 30))
    counted = {c.key: c.customers for c in metrics.root_cause_figures(period, with_trend=False)}
    assert counted == {"price": 1, "support": 1}
    mix = churn_rates.cause_mix(date(2026, 9, 1), date(2026, 9, 30))
    assert {c.cause: c.departures for c in mix.causes} == counted
    assert (mix.departures, mix.answered) == (2, 2)
