"""Retention by cohort month: of the customers who started in month M, the share still active
k months later.

Afterword only knows the customers who left, so a cohort needs its size from elsewhere:

* **Size** of cohort M = ``new_customers`` on the company-wide count of M (CSV or API); without
  one, the billing events' new subscriptions in M. An upload wins, as for active counts.
* **Start month** of a departed customer = the month they left minus their tenure in whole
  months (``tenure_months``); customers without a tenure are left out and counted.
* **Lost by k** = departed customers of cohort M who left before the 1st of month M+k and had
  not come back before that day (``returned_at``).
* **Retention after k months** = (size - lost by k) / size, with a Wilson 95% interval; shown
  only once the 1st of M+k has passed. A cohort that lost more customers than its size says
  the counts disagree instead of showing a rate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import ActiveCount, DepartedCustomer, SubscriptionMovement
from feedback_app.services.insights.billing_counts import month_of, next_month
from feedback_app.services.insights.statistics import wilson_interval

MAX_MONTHS = 12


@dataclass
class Cell:
    months_later: int
    retained: int
    share: float
    interval: tuple[float, float] | None


@dataclass
class Cohort:
    month: date
    size: int
    source: str  # csv, api or billing
    cells: list[Cell] = field(default_factory=list)
    disagrees: bool = False


@dataclass
class Retention:
    cohorts: list[Cohort]
    without_tenure: int  # departed customers whose start month is unknown

    @property
    def horizon(self) -> int:
        return max((len(c.cells) for c in self.cohorts), default=0)


def add_months(month: date, k: int) -> date:
    for _ in range(k):
        month = next_month(month)
    return month


def start_month(left_at: date, tenure_months: int) -> date:
    index = left_at.year * 12 + left_at.month - 1 - tenure_months
    return date(index // 12, index % 12 + 1, 1)


def cohort_sizes() -> dict[date, tuple[int, str]]:
    """Month -> (new customers, source): uploads first, billing new subscriptions where none."""
    sizes: dict[date, tuple[int, str]] = {}
    news = Counter(
        month_of(day)
        for day in db.session.scalars(
            select(SubscriptionMovement.day).where(SubscriptionMovement.kind == "new")
        )
    )
    sizes.update({month: (n, "billing") for month, n in news.items()})
    uploads = db.session.execute(
        select(ActiveCount.month, ActiveCount.new_customers, ActiveCount.source).where(
            ActiveCount.segment == "", ActiveCount.plan == "", ActiveCount.new_customers.is_not(None)
        )
    )
    sizes.update({month: (n, source) for month, n, source in uploads if n is not None})
    return sizes


def retention(*, today: date | None = None, max_months: int = MAX_MONTHS) -> Retention:
    """The cohort table (see the module docstring), oldest cohort first."""
    this_month = month_of(today or date.today())
    sizes = cohort_sizes()
    departed: dict[date, list[tuple[date, date | None]]] = {}
    without_tenure = 0
    rows = db.session.execute(
        select(DepartedCustomer.left_at, DepartedCustomer.returned_at, DepartedCustomer.tenure_months)
    )
    for left_at, returned_at, tenure in rows:
        if tenure is None:
            without_tenure += 1
            continue
        back = returned_at if returned_at is not None and returned_at >= left_at else None
        departed.setdefault(start_month(left_at, tenure), []).append((left_at, back))
    cohorts = []
    for month in sorted(m for m in sizes if m <= this_month):
        size, source = sizes[month]
        cohort = Cohort(month, size, source)
        for k in range(1, max_months + 1):
            day = add_months(month, k)
            if day > this_month or size == 0:
                break
            lost = sum(
                1 for left, back in departed.get(month, []) if left < day and (back is None or back >= day)
            )
            if lost > size:
                cohort.disagrees = True
                break
            cohort.cells.append(
                Cell(k, size - lost, (size - lost) / size, wilson_interval(size - lost, size))
            )
        cohorts.append(cohort)
    return Retention(cohorts, without_tenure)
