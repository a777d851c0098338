"""The figures CX teams read: who left, who answered, what it cost, and why, per period and theme.

Definitions (also in docs/reports.md):

* The **period** selects customers by the date they left (``left_at``), inclusive; the
  **previous period** is the same number of days just before it, for trends.
* **Invitations sent**: invitations of those customers whose email went out (or that were opened
  or answered), counted by :mod:`feedback_app.services.funnel`; **response rate** = responses / sent;
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

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Survey, Theme
from feedback_app.services.conversations import sources
from feedback_app.services.customers.filters import CustomerFilters, customer_query
from feedback_app.services.insights import assignment, root_causes
from feedback_app.services.insights.statistics import rate, wilson_interval
from feedback_app.services.outreach import funnel
from feedback_app.services.responses.answers import score

DEFAULT_PERIOD_DAYS = 180


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
    #: survey, billing_portal, interview or ticket (issue 23); None = every source.
    source: str | None = None

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

    def describe(self) -> str:
        """The selection in words, for the line every report page shows above its figures."""
        if self.start and self.end:
            period = f"Customers who left from {self.start.isoformat()} to {self.end.isoformat()}"
        elif self.start:
            period = f"Customers who left from {self.start.isoformat()}"
        elif self.end:
            period = f"Customers who left up to {self.end.isoformat()}"
        else:
            period = "All customers who left (all time)"
        slices = [
            f"{name} {value}"
            for name, value in (
                ("survey", self.survey),
                ("plan", self.plan),
                ("segment", self.segment),
                ("churn type", self.churn_type),
            )
            if value
        ]
        return period + (f"; {', '.join(slices)}" if slices else "")

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links that keep them)."""
        values = {
            "start": self.start,
            "end": self.end,
            "survey": self.survey,
            "plan": self.plan,
            "segment": self.segment,
            "churn_type": self.churn_type,
            "source": self.source,
        }
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v}


def _customer_query(filters: Filters) -> Select[Any]:
    return customer_query(
        CustomerFilters(
            left_from=filters.start,
            left_to=filters.end,
            plan=filters.plan or "",
            segment=filters.segment or "",
            churn_type=filters.churn_type or "",
        )
    )


def filter_choices() -> dict[str, list[str]]:
    """The values each filter can take, for the filter form."""

    def distinct(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> list[str]:
        return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]

    return {
        "survey": distinct(Survey.key),
        "plan": distinct(DepartedCustomer.plan),
        "segment": distinct(DepartedCustomer.segment),
        "churn_type": distinct(DepartedCustomer.churn_type),
        "source": list(sources.SOURCES),
    }


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
        return [
            ("Departed", self.departed),
            ("Invited", self.invited),
            ("Opened the survey", self.opened),
            ("Answered", self.responses),
        ]


def overview(filters: Filters) -> Overview:
    """The headline figures for customers who left in the period (two aggregate queries)."""
    customers = _customer_query(filters).subquery()
    row = db.session.execute(
        select(
            func.count(customers.c.id),
            func.coalesce(func.sum(customers.c.monthly_revenue_cents), 0),
            func.coalesce(func.sum(customers.c.lifetime_value_cents), 0),
            func.coalesce(func.sum(case((customers.c.opted_out.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((customers.c.returned_at.is_not(None), 1), else_=0)), 0),
        )
    ).one()
    result = Overview(
        departed=row[0],
        mrr_lost_cents=int(row[1]),
        ltv_lost_cents=int(row[2]),
        opt_outs=int(row[3]),
        won_back=int(row[4]),
    )
    if not result.departed:
        return result
    total = funnel.funnel_total(invitation_rows(filters))
    result.invited, result.opened, result.responses = total.sent, total.opened, total.completed
    return result


def invitation_rows(filters: Filters) -> list[funnel.FunnelRow]:
    """The invitation funnel per survey for the customers in the filters: the one count of
    invitations sent, opened and answered that the overview, funnel and outbox pages show."""
    ids = select(_customer_query(filters).subquery().c.id)
    return funnel.invitation_funnel(customer_ids=ids, survey_key=filters.survey)


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
    #: Where it was heard (issue 23): survey, billing_portal, interview or ticket.
    source: str = "survey"

    @property
    def month(self) -> str:
        return self.left_at.strftime("%Y-%m")


def facts(filters: Filters) -> list[Fact]:
    """Every answer from customers in the filters, with its current main theme."""
    query = (
        select(
            Response.id,
            Response.answers,
            Response.sentiment,
            Response.submitted_at,
            DepartedCustomer.id,
            DepartedCustomer.left_at,
            DepartedCustomer.monthly_revenue_cents,
            DepartedCustomer.lifetime_value_cents,
            DepartedCustomer.returned_at,
            Survey.key,
            Response.source,
        )
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .join(Survey, Invitation.survey_id == Survey.id)
    )
    sub = _customer_query(filters).subquery()
    query = query.where(DepartedCustomer.id.in_(select(sub.c.id)))
    if filters.survey:
        query = query.where(Survey.key == filters.survey)
    if filters.source == "survey":
        query = query.where(Response.source == "survey")
    elif (
        filters.source == "billing_portal"
    ):  # reasons picked in Stripe's, Chargebee's or Paddle's cancel flow
        query = query.where(Response.source != "survey")
    rows = (
        db.session.execute(query.order_by(Response.id)).all()
        if filters.source in (None, "survey", "billing_portal")
        else []
    )
    themes = assignment.current_assignments() if rows else {}
    answers_facts = [
        Fact(
            rid,
            cid,
            key,
            left,
            submitted,
            mrr or 0,
            ltv or 0,
            returned is not None,
            score(answers),
            sentiment,
            themes.get(rid),
            "survey" if origin == "survey" else "billing_portal",
        )
        for rid, answers, sentiment, submitted, cid, left, mrr, ltv, returned, key, origin in rows
    ]
    if filters.survey:  # a survey's figures are its answers
        return answers_facts
    return answers_facts + sources.conversation_facts(select(sub.c.id), filters.source, Fact)


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

    @property
    def sources(self) -> list[str]:
        """Where this theme was heard (survey, billing_portal, interview, ticket), in that order."""
        heard = {f.source for f in self.facts}
        return [s for s in sources.SOURCES if s in heard]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def theme_figures(filters: Filters, *, with_trend: bool = True) -> list[ThemeFigures]:
    """One row per theme with answers in the filters, sorted by monthly revenue lost, then customers."""
    rows = facts(filters)
    themed = [(f, f.theme) for f in rows if f.theme is not None]
    total_customers = len({f.customer_id for f, _ in themed})
    by_theme: dict[int, ThemeFigures] = {}
    customers_seen: dict[int, set[int]] = defaultdict(set)
    run = assignment.latest_run()
    for fact, theme in themed:
        figures = by_theme.get(theme.id)
        if figures is None:
            figures = by_theme[theme.id] = ThemeFigures(theme=theme, is_new=assignment.is_new(theme, run))
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


def root_cause_figures(
    filters: Filters, *, with_trend: bool = True, themes: list[ThemeFigures] | None = None
) -> list[RootCauseFigures]:
    """One row per root cause with answers in the filters, its themes inside, sorted by monthly
    revenue lost. Pass ``themes`` (from :func:`theme_figures` for the same filters) to reuse them."""
    causes = _by_cause(themes if themes is not None else theme_figures(filters, with_trend=with_trend))
    previous = filters.previous() if with_trend else None
    if previous is not None and causes:
        before = {c.key: c.share for c in _by_cause(theme_figures(previous, with_trend=False))}
        for cause in causes:
            cause.previous_share = before.get(cause.key, 0.0) if before else None
    return causes


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
        raise ValueError(
            f"{name}: {parsed.isoformat()} is outside the dates reports cover "
            f"({FIRST_FILTER_DATE.isoformat()} to {LAST_FILTER_DATE.isoformat()})."
        )
    return parsed
