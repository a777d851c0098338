"""The figures CX teams read: who left, who answered, what it cost, and why, per period and theme.

Definitions (also in docs/reports.md):

* The **period** selects customers by the date they left (``left_at``), inclusive; the
  **previous period** is the same number of days just before it, for trends.
* **Invitations sent**: invitations with a ``sent_at``; **response rate** = responses / sent;
  **completion rate** = responses / invitations opened (people who started the survey);
  **opt-outs** = departed customers who opted out.
* **MRR lost** and **LTV lost** are sums of the departed customers' monthly revenue and lifetime
  value, in cents; **win-back rate** = customers with a return date / departed customers.
* **Per theme**, each answer counts toward its *main* theme only, so shares and revenue add up
  to the whole; **share** = customers in the theme / customers whose answer has a theme, with a
  95% Wilson score interval because exit surveys are small samples.
* **Per root cause** (the taxonomy category of the answer's main theme), the same figures over
  the customers of all its themes: the level the themes page leads with.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Survey, Theme
from feedback_app.services.answers import score
from feedback_app.services.insights import root_causes
from feedback_app.services.insights import runs as analysis

DEFAULT_PERIOD_DAYS = 180


# ---------------------------------------------------------------- statistics

def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (95% by default); None when there are no trials."""
    if trials <= 0:
        return None
    if successes < 0 or successes > trials:
        raise ValueError(f"successes must be between 0 and trials ({trials}), got {successes}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- filters

@dataclass(frozen=True)
class Filters:
    """What the figures are about: a departure-date range and optional slices."""

    start: date | None = None
    end: date | None = None
    survey: str | None = None
    plan: str | None = None
    segment: str | None = None
    churn_type: str | None = None

    @classmethod
    def default(cls, today: date | None = None, **slices: Any) -> Filters:
        today = today or date.today()
        return cls(start=today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=today, **slices)

    def previous(self) -> Filters | None:
        """The period of equal length just before this one (None without a full range)."""
        if self.start is None or self.end is None:
            return None
        days = (self.end - self.start).days + 1
        if self.start - date.min <= timedelta(days=days):  # would start before year 1
            return None
        return replace(self, start=self.start - timedelta(days=days), end=self.start - timedelta(days=1))

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links that keep them)."""
        values = {"start": self.start, "end": self.end, "survey": self.survey, "plan": self.plan,
                  "segment": self.segment, "churn_type": self.churn_type}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v}


def _customer_query(filters: Filters) -> Select[DepartedCustomer]:
    query = select(DepartedCustomer)
    if filters.start:
        query = query.where(DepartedCustomer.left_at >= filters.start)
    if filters.end:
        query = query.where(DepartedCustomer.left_at <= filters.end)
    if filters.plan:
        query = query.where(DepartedCustomer.plan == filters.plan)
    if filters.segment:
        query = query.where(DepartedCustomer.segment == filters.segment)
    if filters.churn_type:
        query = query.where(DepartedCustomer.churn_type == filters.churn_type)
    return query


def filter_choices() -> dict[str, list[str]]:
    """The values each filter can take, for the filter form."""
    def distinct(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> list[str]:
        return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]

    return {"survey": distinct(Survey.key), "plan": distinct(DepartedCustomer.plan),
            "segment": distinct(DepartedCustomer.segment), "churn_type": distinct(DepartedCustomer.churn_type)}


# ---------------------------------------------------------------- overview

@dataclass
class Overview:
    departed: int = 0
    invited: int = 0
    opened: int = 0
    responses: int = 0
    opt_outs: int = 0
    won_back: int = 0
    mrr_lost_cents: int = 0
    ltv_lost_cents: int = 0

    @property
    def response_rate(self) -> float | None:
        return rate(self.responses, self.invited)

    @property
    def response_rate_interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.responses, self.invited)

    @property
    def completion_rate(self) -> float | None:
        return rate(self.responses, self.opened)

    @property
    def opt_out_rate(self) -> float | None:
        return rate(self.opt_outs, self.invited)

    @property
    def win_back_rate(self) -> float | None:
        return rate(self.won_back, self.departed)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [("Departed", self.departed), ("Invited", self.invited), ("Opened the survey", self.opened),
                ("Answered", self.responses)]


def overview(filters: Filters) -> Overview:
    """The headline figures for customers who left in the period (two aggregate queries)."""
    customers = _customer_query(filters).subquery()
    row = db.session.execute(select(
        func.count(customers.c.id),
        func.coalesce(func.sum(customers.c.monthly_revenue_cents), 0),
        func.coalesce(func.sum(customers.c.lifetime_value_cents), 0),
        func.coalesce(func.sum(case((customers.c.opted_out.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(case((customers.c.returned_at.is_not(None), 1), else_=0)), 0),
    )).one()
    result = Overview(departed=row[0], mrr_lost_cents=int(row[1]), ltv_lost_cents=int(row[2]), opt_outs=int(row[3]),
                      won_back=int(row[4]))
    if not result.departed:
        return result
    answered = Response.id.is_not(None)
    query = (select(
        func.coalesce(func.sum(case((Invitation.sent_at.is_not(None) | answered, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Invitation.opened_at.is_not(None) | answered, 1), else_=0)), 0),
        func.count(Response.id),
    ).select_from(Invitation).outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id.in_(select(customers.c.id))))
    if filters.survey:
        query = query.join(Survey, Invitation.survey_id == Survey.id).where(Survey.key == filters.survey)
    invited, opened, responses = db.session.execute(query).one()
    result.invited, result.opened, result.responses = int(invited), int(opened), int(responses)
    return result


@dataclass
class Trend:
    """A figure this period against the previous one."""

    current: Overview
    previous: Overview | None

    def change(self, name: str) -> float | None:
        if self.previous is None:
            return None
        now, before = getattr(self.current, name), getattr(self.previous, name)
        if now is None or before is None:
            return None
        return now - before


def overview_with_trend(filters: Filters) -> Trend:
    previous = filters.previous()
    return Trend(overview(filters), overview(previous) if previous else None)


# ---------------------------------------------------------------- per answer facts

@dataclass
class Fact:
    """One answer with what the figures need about its customer and theme (plain values)."""

    response_id: int
    customer_id: int
    survey_key: str
    left_at: date
    submitted_at: datetime
    mrr_cents: int
    ltv_cents: int
    returned: bool
    score: float | None
    sentiment: float | None
    theme: Theme | None

    @property
    def month(self) -> str:
        return self.left_at.strftime("%Y-%m")


def facts(filters: Filters) -> list[Fact]:
    """Every answer from customers in the filters, with its current main theme."""
    query = (select(Response.id, Response.answers, Response.sentiment, Response.submitted_at, DepartedCustomer.id,
                    DepartedCustomer.left_at, DepartedCustomer.monthly_revenue_cents,
                    DepartedCustomer.lifetime_value_cents, DepartedCustomer.returned_at, Survey.key)
             .join(Invitation, Response.invitation_id == Invitation.id)
             .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
             .join(Survey, Invitation.survey_id == Survey.id))
    sub = _customer_query(filters).subquery()
    query = query.where(DepartedCustomer.id.in_(select(sub.c.id)))
    if filters.survey:
        query = query.where(Survey.key == filters.survey)
    rows = db.session.execute(query.order_by(Response.id)).all()
    themes = analysis.current_assignments() if rows else {}
    return [Fact(rid, cid, key, left, submitted, mrr or 0, ltv or 0, returned is not None, score(answers),
                 sentiment, themes.get(rid))
            for rid, answers, sentiment, submitted, cid, left, mrr, ltv, returned, key in rows]


# ---------------------------------------------------------------- per theme

@dataclass
class ThemeFigures:
    theme: Theme
    customers: int = 0
    share: float = 0.0
    interval: tuple[float, float] | None = None
    mrr_lost_cents: int = 0
    ltv_lost_cents: int = 0
    avg_score: float | None = None
    sentiment: float | None = None
    previous_share: float | None = None
    is_new: bool = False
    won_back: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    facts: list[Fact] = field(default_factory=list, repr=False)

    @property
    def trend(self) -> float | None:
        """Change in share since the previous period (None when there is nothing to compare)."""
        return None if self.previous_share is None else self.share - self.previous_share

    @property
    def win_back_rate(self) -> float | None:
        return rate(self.won_back, self.customers)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def theme_figures(filters: Filters, *, with_trend: bool = True) -> list[ThemeFigures]:
    """One row per theme with answers in the filters, sorted by monthly revenue lost, then customers."""
    rows = facts(filters)
    themed = [(f, f.theme) for f in rows if f.theme is not None]
    total_customers = len({f.customer_id for f, _ in themed})
    by_theme: dict[int, ThemeFigures] = {}
    customers_seen: dict[int, set[int]] = defaultdict(set)
    run = analysis.latest_run()
    for fact, theme in themed:
        figures = by_theme.get(theme.id)
        if figures is None:
            figures = by_theme[theme.id] = ThemeFigures(theme=theme, is_new=analysis.is_new(theme, run))
        figures.facts.append(fact)
        if fact.customer_id in customers_seen[theme.id]:
            continue
        customers_seen[theme.id].add(fact.customer_id)
        figures.customers += 1
        figures.mrr_lost_cents += fact.mrr_cents
        figures.ltv_lost_cents += fact.ltv_cents
        figures.won_back += fact.returned
    for figures in by_theme.values():
        figures.share = figures.customers / total_customers
        figures.interval = wilson_interval(figures.customers, total_customers)
        figures.avg_score = _mean([s for s in (f.score for f in figures.facts) if s is not None])
        sentiments = [f.sentiment for f in figures.facts if f.sentiment is not None]
        figures.sentiment = _mean(sentiments) if sentiments else figures.theme.sentiment
        figures.first_seen = min(f.left_at for f in figures.facts)
        figures.last_seen = max(f.left_at for f in figures.facts)
    previous = filters.previous() if with_trend else None
    if previous is not None:
        before = {t.theme.id: t.share for t in theme_figures(previous, with_trend=False)}
        had_answers = bool(before)
        for figures in by_theme.values():
            figures.previous_share = before.get(figures.theme.id, 0.0) if had_answers else None
    return sorted(by_theme.values(), key=lambda t: (-t.mrr_lost_cents, -t.customers, t.theme.display_label))


# ---------------------------------------------------------------- per root cause

@dataclass
class RootCauseFigures:
    """One root cause: its customers (main theme in the cause), what they cost, its themes."""

    key: str
    name: str
    customers: int = 0
    share: float = 0.0
    interval: tuple[float, float] | None = None
    mrr_lost_cents: int = 0
    ltv_lost_cents: int = 0
    previous_share: float | None = None
    themes: list[ThemeFigures] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name

    @property
    def trend(self) -> float | None:
        """Change in share since the previous period (None when there is nothing to compare)."""
        return None if self.previous_share is None else self.share - self.previous_share


def _by_cause(themes: list[ThemeFigures]) -> list[RootCauseFigures]:
    """Group theme figures by their theme's root cause; a customer counts once per cause."""
    causes: dict[str, RootCauseFigures] = {}
    seen: dict[str, set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for item in themes:
        key = item.theme.category or root_causes.EMERGING
        cause = causes.setdefault(key, RootCauseFigures(key, root_causes.cause_name(key)))
        cause.themes.append(item)
        for fact in item.facts:
            everyone.add(fact.customer_id)
            if fact.customer_id in seen[key]:
                continue
            seen[key].add(fact.customer_id)
            cause.customers += 1
            cause.mrr_lost_cents += fact.mrr_cents
            cause.ltv_lost_cents += fact.ltv_cents
    for cause in causes.values():
        cause.share = cause.customers / len(everyone)
        cause.interval = wilson_interval(cause.customers, len(everyone))
    return sorted(causes.values(), key=lambda c: (-c.mrr_lost_cents, -c.customers, c.name))


def root_cause_figures(filters: Filters, *, with_trend: bool = True,
                       themes: list[ThemeFigures] | None = None) -> list[RootCauseFigures]:
    """One row per root cause with answers in the filters, its themes inside, sorted by monthly
    revenue lost. Pass ``themes`` (from :func:`theme_figures` for the same filters) to reuse them."""
    causes = _by_cause(themes if themes is not None else theme_figures(filters, with_trend=with_trend))
    previous = filters.previous() if with_trend else None
    if previous is not None and causes:
        before = {c.key: c.share for c in _by_cause(theme_figures(previous, with_trend=False))}
        for cause in causes:
            cause.previous_share = before.get(cause.key, 0.0) if before else None
    return causes


# ---------------------------------------------------------------- chart series

def pareto(figures: Sequence[ThemeFigures | RootCauseFigures]) -> list[dict[str, Any]]:
    """Themes (or root causes) by monthly revenue lost with the cumulative share of the total
    (a Pareto chart)."""
    total = sum(t.mrr_lost_cents for t in figures)
    running = 0
    points = []
    for item in sorted(figures, key=lambda t: -t.mrr_lost_cents):
        running += item.mrr_lost_cents
        label = item.theme.display_label if isinstance(item, ThemeFigures) else item.label
        points.append({"label": label, "mrr_lost_cents": item.mrr_lost_cents,
                       "cumulative_share": running / total if total else 0.0})
    return points


def shares_by_month(filters: Filters, top: int = 6) -> dict[str, Any]:
    """Each top theme's share of themed customers per month of departure."""
    rows = [(f, f.theme) for f in facts(filters) if f.theme is not None]
    months = sorted({f.month for f, _ in rows})
    per_month: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    totals: dict[str, set[int]] = defaultdict(set)
    for fact, theme in rows:
        per_month[fact.month][theme.id].add(fact.customer_id)
        totals[fact.month].add(fact.customer_id)
    leaders = theme_figures(filters, with_trend=False)[:top]
    series = []
    for item in leaders:
        series.append({"label": item.theme.display_label,
                       "shares": [len(per_month[m][item.theme.id]) / len(totals[m]) if totals[m] else 0.0
                                  for m in months]})
    return {"months": months, "series": series}


def answers_by_month(filters: Filters) -> list[dict[str, Any]]:
    """How many answers arrived each month (by submission date)."""
    counts: dict[str, int] = defaultdict(int)
    for fact in facts(filters):
        counts[fact.submitted_at.strftime("%Y-%m")] += 1
    return [{"month": month, "answers": counts[month]} for month in sorted(counts)]


#: The dates a filter may name. Python's dates end at 0001-01-01 and 9999-12-31, and a period's
#: previous period or its last day's end would run past them (an OverflowError, not a message).
FIRST_FILTER_DATE = date(1970, 1, 1)
LAST_FILTER_DATE = date(2999, 12, 31)


def parse_date(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date from a form or command line, with a message naming the field."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{name}: {value[:40]!r} is not a date in the form YYYY-MM-DD.") from None
    if not FIRST_FILTER_DATE <= parsed <= LAST_FILTER_DATE:
        raise ValueError(f"{name}: {parsed.isoformat()} is outside the dates reports cover "
                         f"({FIRST_FILTER_DATE.isoformat()} to {LAST_FILTER_DATE.isoformat()}).")
    return parsed
