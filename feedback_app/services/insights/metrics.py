"""Why customers left, in figures: every answer as a fact, and per theme and per root cause the
customers, their share and what they cost.

Definitions (also in docs/reports.md; the filters are in :mod:`.filters`, the headline figures in
:mod:`.overview`):

* **Per theme**, each answer counts toward its *main* theme only, and each customer toward one
  theme: their survey answer's (a billing-portal reason's, an interview's, a ticket's, in that order
  when they did not answer the survey; the newest of one kind), so shares and revenue add up to the
  whole; what they said in another theme is kept there as ``elsewhere`` (heard, not counted); **share** = customers in the theme / customers whose answer has a theme, with a
  95% Wilson score interval because exit surveys are small samples.
* **Per root cause** (the taxonomy category of the answer's main theme), the same figures over
  the customers of all its themes: the level the themes page leads with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Survey, Theme
from feedback_app.services.conversations import sources
from feedback_app.services.insights import assignment, root_causes
from feedback_app.services.insights.filters import Filters, customer_selection
from feedback_app.services.insights.statistics import rate, wilson_interval
from feedback_app.services.responses.answers import score

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
    ids = select(customer_selection(filters).subquery().c.id)
    answers_facts = _answer_facts(ids, filters.survey, filters.source)
    if filters.survey:  # a survey's figures are its answers
        return answers_facts
    return answers_facts + sources.conversation_facts(ids, filters.source)


def _answer_facts(customer_ids: Select[Any], survey: str | None, source: str | None) -> list[Fact]:
    """The survey answers and billing-portal reasons of these customers (a select of ids)."""
    if source not in (None, "survey", "billing_portal"):
        return []
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
        .where(DepartedCustomer.id.in_(customer_ids))
    )
    if survey:
        query = query.where(Survey.key == survey)
    if source == "survey":
        query = query.where(Response.source == "survey")
    elif source == "billing_portal":  # reasons picked in Stripe's, Chargebee's or Paddle's cancel flow
        query = query.where(Response.source != "survey")
    rows = db.session.execute(query.order_by(Response.id)).all()
    themes = assignment.current_assignments() if rows else {}
    return [
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


def counted_themes(customer_ids: Select[Any]) -> dict[int, Theme]:
    """Per customer among ``customer_ids`` (a select of ids) who has one, the theme they count
    toward on the themes page (:func:`counted_theme`, over everything they said), by customer id:
    for the figures that count customers by cause elsewhere (the churn page's mix, the ledger)."""
    themed: list[Fact] = []
    by_id: dict[int, Theme] = {}
    for fact in _answer_facts(customer_ids, None, None) + sources.conversation_facts(customer_ids, None):
        if fact.theme is not None:
            themed.append(fact)
            by_id[fact.theme.id] = fact.theme
    return {customer: by_id[theme_id] for customer, theme_id in counted_theme(themed).items()}


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
    #: What customers counted under another theme said in this one (a ticket in this theme from a
    #: customer whose survey answer is in another): named and quoted here, not counted, so that the
    #: themes add up to their root cause and the root causes to the whole.
    elsewhere: list[Fact] = field(default_factory=list, repr=False)

    @property
    def trend(self) -> float | None:
        """Change in share since the previous period (None when there is nothing to compare)."""
        return None if self.previous_share is None else self.share - self.previous_share

    @property
    def elsewhere_customers(self) -> int:
        """Customers heard in this theme but counted under another."""
        return len({f.customer_id for f in self.elsewhere})

    @property
    def win_back_rate(self) -> float | None:
        return rate(self.won_back, self.customers)

    @property
    def win_back_interval(self) -> tuple[float, float] | None:
        """95% Wilson interval of the win-back rate: on 3-8 customers "0%" alone says too much."""
        return wilson_interval(self.won_back, self.customers)

    @property
    def sources(self) -> list[str]:
        """Where this theme was heard (survey, billing_portal, interview, ticket), in that order."""
        heard = {f.source for f in self.facts + self.elsewhere}
        return [s for s in sources.SOURCES if s in heard]

    @property
    def sources_to_name(self) -> list[str]:
        """The sources worth a line under the theme: none when every answer came through the survey,
        the usual case, where "Heard through: Survey answer" on every row told the reader nothing."""
        return [] if self.sources == ["survey"] else self.sources


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def counted_theme(themed: list[Fact]) -> dict[int, int]:
    """Per customer, the one theme (its id) they count toward: their survey answer's, else a
    billing-portal reason's, an interview's, a ticket's (``sources.SOURCES`` order); the newest
    of the first kind they spoke through."""
    order = {source: rank for rank, source in enumerate(sources.SOURCES)}
    newest_first = sorted(themed, key=lambda f: f.submitted_at or datetime.min, reverse=True)
    best: dict[int, Fact] = {}
    for fact in sorted(newest_first, key=lambda f: order.get(f.source, len(order))):  # stable
        best.setdefault(fact.customer_id, fact)
    return {customer: fact.theme.id for customer, fact in best.items() if fact.theme is not None}


def theme_figures(filters: Filters, *, with_trend: bool = True) -> list[ThemeFigures]:
    """One row per theme with answers in the filters, sorted by monthly revenue lost, then customers.
    A customer counts toward one theme (:func:`counted_theme`), so the themes add up."""
    rows = facts(filters)
    themed = [(f, f.theme) for f in rows if f.theme is not None]
    counted = counted_theme([f for f, _ in themed])
    total_customers = len(counted)
    by_theme: dict[int, ThemeFigures] = {}
    customers_seen: dict[int, set[int]] = defaultdict(set)
    run = assignment.latest_run()
    for fact, theme in themed:
        figures = by_theme.get(theme.id)
        if figures is None:
            figures = by_theme[theme.id] = ThemeFigures(theme=theme, is_new=assignment.is_new(theme, run))
        if counted[fact.customer_id] != theme.id:
            figures.elsewhere.append(fact)
            continue
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
        heard = figures.facts or figures.elsewhere
        figures.first_seen = min(f.left_at for f in heard)
        figures.last_seen = max(f.left_at for f in heard)
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
