"""Churn and retention rates from active-customer counts, and the root-cause mix of departures.

Counts come in per month (the number active on its first day), overall or per segment/plan, by
CSV, the API or the CLI, validated row by row. Definitions (also in docs/winback.md):

* **Active at the start** of month M for a filter: the row for exactly that segment/plan (an
  empty segment or plan means "all"); without one, the sum of the month's more detailed rows
  that match (e.g. all plans of the segment). Segments and plans match up to case and surrounding
  spaces, counts and departures alike, as the customer filters do ("Team" is "team").
* **Customer churn rate** of M = departures (``left_at`` in M, same filter) / active at the start
  of M, in % per month, with a Wilson 95% interval. **Revenue churn rate** = monthly revenue of
  those departures / MRR at the start of M, when the count carries an MRR.
* **Cause mix** over a period: answered departures (with a theme: the one the themes page counts
  them in, ``metrics.counted_themes``) by root cause, each as a share of the answered ones with a Wilson interval, its **churn contribution** (share
  x departures / average active) and the share of departures whose cause is **unknown** because
  they did not answer (or were not analysed yet).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, select

from feedback_app.extensions import db
from feedback_app.models import ActiveCount, DepartedCustomer
from feedback_app.services.accounts import audit
from feedback_app.services.customers.csv_import import CsvFileError, decode
from feedback_app.services.customers.filters import label_choices, same_label
from feedback_app.services.insights import billing_counts, metrics, root_causes
from feedback_app.services.insights.statistics import wilson_interval

COLUMNS = ("month", "segment", "plan", "active_customers", "mrr", "new_customers")
MAX_COUNT = 1_000_000_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")


@dataclass
class CountRecord:
    month: date
    segment: str
    plan: str
    active_customers: int
    mrr_cents: int | None
    new_customers: int | None = None  # started in this month: the cohort's size


@dataclass
class RowProblem:
    row: int | None  # CSV line number, or list index in an API request
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.row}" if self.row is not None else "file"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class CountReport:
    saved: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def parse_count(raw: Mapping[str, Any], row: int | None) -> tuple[CountRecord | None, list[RowProblem]]:
    """One count from text or JSON values; every problem named by field."""
    problems: list[RowProblem] = []
    unknown = sorted(set(raw) - set(COLUMNS))
    if unknown:
        problems.append(RowProblem(row, unknown[0], f"unknown field; expected {', '.join(COLUMNS)}"))
    month_text = str(raw.get("month") or "").strip()
    match = _MONTH.match(month_text)
    month = None
    if not month_text:
        problems.append(
            RowProblem(row, "month", "is required: the month the count is for, as YYYY-MM, e.g. 2026-09")
        )
    elif not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:  # no year 0
        problems.append(
            RowProblem(row, "month", f"{month_text!r} is not a month; write YYYY-MM, e.g. 2026-09")
        )
    else:
        month = date(int(match.group(1)), int(match.group(2)), 1)
    texts = {}
    for name in ("segment", "plan"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(RowProblem(row, name, "must be text"))
        texts[name] = (value or "").strip() if isinstance(value, str) else ""
        if len(texts[name]) > 100:
            problems.append(RowProblem(row, name, "is longer than 100 characters"))
    active = _whole(raw.get("active_customers"), "active_customers", row, problems, required=True)
    mrr = _cents(raw.get("mrr"), row, problems)
    new = _whole(raw.get("new_customers"), "new_customers", row, problems, required=False)
    if problems or month is None or active is None:
        return None, problems
    return CountRecord(month, texts["segment"], texts["plan"], active, mrr, new), []


def _whole(
    value: Any, name: str, row: int | None, problems: list[RowProblem], *, required: bool
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(
                RowProblem(row, name, "is required: the number of customers active on the month's first day")
            )
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        problems.append(RowProblem(row, name, "must be a whole number"))
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,10}", text) or int(text) > MAX_COUNT:
        problems.append(RowProblem(row, name, f"{text!r} must be a whole number from 0 to {MAX_COUNT:,}"))
        return None
    return int(text)


def _cents(value: Any, row: int | None, problems: list[RowProblem]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        amount = None
    exponent = amount.as_tuple().exponent if amount is not None else 0  # a letter when not finite
    if (
        amount is None
        or not amount.is_finite()
        or amount < 0
        or amount > 10**10
        or isinstance(exponent, str)
        or exponent < -2
    ):
        problems.append(RowProblem(row, "mrr", f"{value!r} must be an amount such as 125000.00 (0 or more)"))
        return None
    return int(amount * 100)


def save(records: list[CountRecord], *, source: str, actor: str, actor_user_id: int | None = None) -> int:
    """Insert or replace counts by (month, segment, plan); returns how many rows were written."""
    for record in records:
        row = db.session.scalar(
            select(ActiveCount).where(
                ActiveCount.month == record.month,
                ActiveCount.segment == record.segment,
                ActiveCount.plan == record.plan,
            )
        )
        if row is None:
            row = ActiveCount(month=record.month, segment=record.segment, plan=record.plan)
            db.session.add(row)
        row.active_customers, row.mrr_cents, row.source = record.active_customers, record.mrr_cents, source
        row.new_customers = record.new_customers
    if records:
        audit.record(
            "churn.counts_saved",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="active_count",
            rows=len(records),
            source=source,
        )
    db.session.commit()
    return len(records)


def import_csv(data: bytes, *, actor: str, actor_user_id: int | None = None) -> CountReport:
    """Import a CSV (header: month, active_customers, optional segment, plan, mrr, new_customers); bad rows are reported, the rest saved."""
    report = CountReport()
    try:
        text = decode(data)
    except CsvFileError as exc:
        report.problems.append(RowProblem(None, None, str(exc)))
        return report
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1  # the line the row being read starts on (a quoted value may span lines)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        nonlocal line
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1

    rows = numbered()
    try:
        header = [h.strip().lower().replace(" ", "_") for h in next(rows, (1, []))[1]]
        problem = _header_problem(header)
        if problem:
            report.problems.append(RowProblem(1, None, problem))
            return report
        records = _rows(rows, header, report)
    except csv.Error as exc:  # a broken quote: what follows cannot be trusted, so nothing is saved
        report.problems.append(
            RowProblem(line, None, f"cannot be read as CSV ({exc}); check the quotes on that line")
        )
        return report
    report.saved = save(
        [r for _, r in records.values()], source="csv", actor=actor, actor_user_id=actor_user_id
    )
    return report


def _header_problem(header: list[str]) -> str | None:
    missing = [c for c in ("month", "active_customers") if c not in header]
    if missing:
        return f"the header needs the column(s) {', '.join(missing)}; found {', '.join(header) or 'nothing'}"
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:  # which of the two would count is anyone's guess
        return f"the header names the column(s) {', '.join(twice)} more than once"
    return None


def _rows(
    rows: Iterator[tuple[int, list[str]]], header: list[str], report: CountReport
) -> dict[tuple[date, str, str], tuple[int, CountRecord]]:
    """The good rows by (month, segment, plan), each bad one added to the report under the line it
    starts on (a quoted value may span lines); raises ``csv.Error`` for a line that is not CSV."""
    records: dict[tuple[date, str, str], tuple[int, CountRecord]] = {}
    for start, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            report.problems.append(
                RowProblem(start, None, f"has {len(cells)} cells; the header has {len(header)}")
            )
            continue
        record, problems = parse_count(dict(zip(header, cells, strict=False)), start)
        report.problems.extend(problems)
        if record is None:
            continue
        key = (record.month, record.segment, record.plan)
        if key in records:
            report.problems.append(
                RowProblem(start, "month", f"repeats line {records[key][0]} (same month, segment and plan)")
            )
            continue
        records[key] = (start, record)
    return records


# ---------------------------------------------------------------- rates


@dataclass
class MonthRate:
    month: date
    active_start: int | None
    departures: int
    mrr_start_cents: int | None
    mrr_lost_cents: int
    source: str = ""  # where active_start came from (billing_counts.SOURCE_LABELS)
    billing_active: int | None = None  # the billing events' figure, when an upload won
    movements: billing_counts.Movements | None = None
    #: False for the month under way: its departures so far over a whole month's customers read as a
    #: sudden fall in churn, so the chart and the period's average leave it out (the table marks it).
    complete: bool = True

    @property
    def churn_rate(self) -> float | None:
        return self.departures / self.active_start if self.active_start else None

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.active_start or self.departures > self.active_start:
            return None
        return wilson_interval(self.departures, self.active_start)

    @property
    def revenue_churn_rate(self) -> float | None:
        return self.mrr_lost_cents / self.mrr_start_cents if self.mrr_start_cents else None


@dataclass(frozen=True)
class _Count:
    """A month's count row and whether its segment and plan are the filter's (folded in SQL by
    the customer filters' ``same_label``, so the counts and the departures match alike)."""

    row: ActiveCount
    segment_matches: bool
    plan_matches: bool


def _active(counts: list[_Count], segment: str, plan: str) -> billing_counts.Uploaded:
    """Active customers, MRR and source at the start of a month for the filter (module docstring)."""

    def pick(test: Callable[[_Count], object]) -> list[ActiveCount]:
        return [c.row for c in counts if test(c)]

    def exactly(c: _Count) -> bool:
        return (c.segment_matches if segment else not c.row.segment) and (
            c.plan_matches if plan else not c.row.plan
        )

    levels = [pick(exactly)]
    if not segment and not plan:  # segment totals, else plan totals, else every segment x plan row
        levels += [
            pick(lambda c: c.row.segment and not c.row.plan),
            pick(lambda c: c.row.plan and not c.row.segment),
            pick(lambda c: c.row.segment and c.row.plan),
        ]
    elif not plan:
        levels.append(pick(lambda c: c.segment_matches and c.row.plan))
    elif not segment:
        levels.append(pick(lambda c: c.plan_matches and c.row.segment))
    chosen = next((level for level in levels if level), [])
    if not chosen:
        return billing_counts.Uploaded(None, None, "")
    mrr = [r.mrr_cents for r in chosen if r.mrr_cents is not None]
    return billing_counts.Uploaded(
        sum(r.active_customers for r in chosen),
        sum(mrr) if len(mrr) == len(chosen) else None,
        ", ".join(sorted({r.source for r in chosen})),
    )


_month_of = billing_counts.month_of


def monthly(*, segment: str = "", plan: str = "", today: date | None = None) -> list[MonthRate]:
    """Every month with a count (uploaded, or carried by billing events), oldest first, with rates.
    ``segment`` and ``plan`` match up to case and surrounding spaces (``filters.same_label``)."""
    segment, plan = segment.strip(), plan.strip()
    counts: dict[date, list[_Count]] = defaultdict(list)
    rows = db.session.execute(
        select(
            ActiveCount,
            same_label(ActiveCount.segment, segment),
            same_label(ActiveCount.plan, plan),
        ).order_by(ActiveCount.month)
    )
    for row, segment_matches, plan_matches in rows:
        counts[row.month].append(_Count(row, bool(segment_matches), bool(plan_matches)))
    uploaded = {month: _active(rows, segment, plan) for month, rows in counts.items()}
    figures = billing_counts.figures(
        uploaded,
        with_billing=not segment and not plan,
        today=today,
    )
    if not figures:
        return []
    query = select(DepartedCustomer.left_at, DepartedCustomer.monthly_revenue_cents).where(
        DepartedCustomer.left_at >= figures[0].month
    )
    query = query.where(*_of_segment_and_plan(segment, plan))
    this_month = _month_of(today or date.today())
    departures: Counter[date] = Counter()
    lost: Counter[date] = Counter()
    for left_at, revenue in db.session.execute(query):
        departures[_month_of(left_at)] += 1
        lost[_month_of(left_at)] += revenue or 0
    return [
        MonthRate(
            f.month,
            f.active,
            departures[f.month],
            f.mrr_cents,
            lost[f.month],
            source=f.source,
            billing_active=f.billing_active,
            movements=f.movements,
            complete=f.month < this_month,
        )
        for f in figures
    ]


def _of_segment_and_plan(segment: str, plan: str) -> list[ColumnElement[bool]]:
    """Departures of the segment and plan (each "all" when empty), matched as the filters match."""
    return [
        same_label(column, value)
        for column, value in ((DepartedCustomer.segment, segment), (DepartedCustomer.plan, plan))
        if value
    ]


def complete_months(rates: list[MonthRate]) -> list[MonthRate]:
    """The months that have ended, for the chart and the average (see ``MonthRate.complete``)."""
    return [r for r in rates if r.complete]


def choices() -> dict[str, list[str]]:
    """Segments and plans that have counts, for the filter: spellings that differ only by case or
    spaces offered once, as on the customer filters (they match alike)."""
    return {"segments": label_choices(ActiveCount.segment), "plans": label_choices(ActiveCount.plan)}


@dataclass
class CauseShare:
    cause: str
    departures: int
    share: float
    interval: tuple[float, float] | None
    contribution: float | None  # share x churn rate over the period, in % per month


@dataclass
class CauseMix:
    departures: int
    answered: int
    causes: list[CauseShare]

    @property
    def unknown_share(self) -> float | None:
        return (self.departures - self.answered) / self.departures if self.departures else None


def cause_of_departures(customers: list[DepartedCustomer]) -> dict[int, str]:
    """Customer id -> root cause of the theme they count toward on the themes page (only those
    with one): one theme per customer, whatever they said where (``metrics.counted_themes``)."""
    if not customers:
        return {}
    ids = select(DepartedCustomer.id).where(DepartedCustomer.id.in_([c.id for c in customers]))
    return {cid: theme.category or root_causes.EMERGING for cid, theme in metrics.counted_themes(ids).items()}


def cause_mix(
    start: date, end: date, *, segment: str = "", plan: str = "", churn_rate: float | None = None
) -> CauseMix:
    """Departures between start and end (inclusive) by root cause; see the module docstring."""
    query = select(DepartedCustomer).where(DepartedCustomer.left_at >= start, DepartedCustomer.left_at <= end)
    query = query.where(*_of_segment_and_plan(segment.strip(), plan.strip()))
    customers = list(db.session.scalars(query))
    causes = Counter(cause_of_departures(customers).values())
    answered = sum(causes.values())
    shares = [
        CauseShare(
            cause,
            n,
            n / answered,
            wilson_interval(n, answered),
            n / answered * churn_rate if churn_rate is not None else None,
        )
        for cause, n in causes.most_common()
    ]
    return CauseMix(len(customers), answered, shares)


def period_cause_mix(rates: list[MonthRate], *, segment: str = "", plan: str = "") -> CauseMix | None:
    """The causes of the departures over the months shown (first day of the first to last day of
    the last), each with its part of the period's churn rate; None when no month is shown."""
    if not rates:
        return None
    end = billing_counts.next_month(rates[-1].month) - timedelta(days=1)
    return cause_mix(rates[0].month, end, segment=segment, plan=plan, churn_rate=period_churn_rate(rates))


def period_churn_rate(rates: list[MonthRate]) -> float | None:
    """Average monthly churn over ended months with a count: departures / active at the start, summed."""
    usable = [r for r in complete_months(rates) if r.active_start]
    active = sum(r.active_start or 0 for r in usable)
    return sum(r.departures for r in usable) / active if active else None
