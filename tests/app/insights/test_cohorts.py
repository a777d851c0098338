"""Retention by cohort month against a hand-computed example."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from feedback_app.services.billing import events
from feedback_app.services.insights import churn_rates, cohorts

TODAY = date(2026, 12, 10)  # months up to the 1st of December have passed


def _created(event_id: str, external_id: str, day: date) -> None:
    events.process(
        "stripe", event_id, "customer.subscription.created", events.Return("stripe", external_id, day)
    )


def test_retention_by_cohort_month_by_hand(app, make, db):
    """Cohort sizes: Sept 10 and Oct 20 uploaded (a billing 'new' in Oct does not add to the
    upload), Nov 3 from billing events. Departures (start = month left - tenure):
    Sept: A left 20 Sep (tenure 0), B 15 Oct (1), C 3 Nov (2) but back 20 Nov;
    Oct: D left 31 Oct (0), E 5 Dec (2, not before 1 Dec); Nov: F 10 Nov (0); G has no tenure.
    Sept: 1 mo 9/10 (A), 2 mo 8/10 (A, B; C left on 3 Nov), 3 mo 8/10 (C back before 1 Dec).
    Oct: 1 mo 19/20 (D), 2 mo 19/20. Nov: 1 mo 2/3."""
    churn_rates.import_csv(
        b"month,active_customers,new_customers\n2026-09,500,10\n2026-10,505,20\n", actor="t"
    )
    _created("evt_1", "cus_new_oct", date(2026, 10, 4))
    for n, day in enumerate((2, 9, 30)):
        _created(f"evt_nov_{n}", f"cus_nov_{n}", date(2026, 11, day))
    make.customer(left_at=date(2026, 9, 20), tenure_months=0)
    make.customer(left_at=date(2026, 10, 15), tenure_months=1)
    make.customer(left_at=date(2026, 11, 3), tenure_months=2, returned_at=date(2026, 11, 20))
    make.customer(left_at=date(2026, 10, 31), tenure_months=0)
    make.customer(left_at=date(2026, 12, 5), tenure_months=2)
    make.customer(left_at=date(2026, 11, 10), tenure_months=0)
    make.customer(left_at=date(2026, 11, 10), tenure_months=None)
    make.customer(left_at=date(2025, 1, 10), tenure_months=30)  # a cohort with no size: not shown

    table = cohorts.retention(today=TODAY)
    assert table.without_tenure == 1
    got = {
        c.month: (c.size, c.source, [(cell.months_later, cell.retained) for cell in c.cells])
        for c in table.cohorts
    }
    assert got == {
        date(2026, 9, 1): (10, "csv", [(1, 9), (2, 8), (3, 8)]),
        date(2026, 10, 1): (20, "csv", [(1, 19), (2, 19)]),
        date(2026, 11, 1): (3, "billing", [(1, 2)]),
    }
    assert table.horizon == 3
    first = table.cohorts[0].cells[0]
    assert first.share == 0.9 and first.interval[0] < 0.9 < first.interval[1]


def test_a_cohort_that_lost_more_than_its_size_says_so(app, make, db):
    churn_rates.import_csv(b"month,active_customers,new_customers\n2026-10,50,1\n", actor="t")
    for _ in range(2):
        make.customer(left_at=date(2026, 10, 20), tenure_months=0)
    (cohort,) = cohorts.retention(today=TODAY).cohorts
    assert cohort.disagrees and cohort.cells == []


def test_start_month_and_add_months_cross_years():
    assert cohorts.start_month(date(2026, 2, 27), 3) == date(2025, 11, 1)
    assert cohorts.add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)


@pytest.mark.parametrize("value", ["-1", "1.5", "many"])
def test_new_customers_must_be_a_whole_number(app, value):
    report = churn_rates.import_csv(
        f"month,active_customers,new_customers\n2026-10,50,{value}\n".encode(), actor="t"
    )
    assert report.saved == 0
    assert str(report.problems[0]).startswith("line 2, new_customers:")


def test_the_retention_table_writes_whole_percents_like_the_other_pages(client, login, make, db):
    """The retention table wrote "95.0%" and "100.0%" where every other share on the dashboard is a
    whole percent ("95%"), its interval on hover too."""
    start = (date.today().replace(day=1) - timedelta(days=100)).replace(day=1)
    churn_rates.import_csv(
        f"month,active_customers,new_customers\n{start:%Y-%m},500,20\n".encode(), actor="t"
    )
    make.customer(left_at=start.replace(day=10), tenure_months=0)
    login("cx")
    page = client.get("/dashboard/churn").get_data(as_text=True)
    section = page[page.index('id="retention"') :]
    assert re.search(r'data-label="1 mo" title="19 of 20; 95% interval \d+%–\d+%">95%</td>', section)
    assert ".0%" not in section
