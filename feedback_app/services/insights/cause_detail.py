"""One root cause on a page of its own: its figures, its themes, its share month by month, what
its customers said and the action items about it, all from the figures the themes page uses, so
the two pages agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from feedback_app.models import ActionItem, Theme
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import (
    assignment,
    metric_charts,
    metrics,
    root_causes,
    second_causes,
    theme_detail,
)
from feedback_app.services.insights.filters import Filters

#: Quotes shown per theme, for the cause's largest themes.
QUOTES_PER_THEME = 2
QUOTED_THEMES = 3


@dataclass
class CauseQuote:
    text: str
    theme_id: int
    theme_label: str


@dataclass
class CauseDetail:
    figures: metrics.RootCauseFigures
    by_month: dict[str, Any]
    quotes: list[CauseQuote] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    #: Customers who ever gave this cause (all time, as an action item's evidence counts them):
    #: with none, there is nothing to plan an action on yet.
    customers_all_time: int = 0
    #: Customers who gave this cause as a second reason only (counted under their main reason).
    also: second_causes.AlsoGiven | None = None


def _quotes(figures: metrics.RootCauseFigures, held: dict[int, Theme]) -> list[CauseQuote]:
    """The cause's top themes' quotes, a text two themes share quoted once (under the larger theme)."""
    seen: set[str] = set()
    out = []
    for item in figures.themes[:QUOTED_THEMES]:
        for quote in theme_detail.current_quotes(item.theme, held)[:QUOTES_PER_THEME]:
            key = theme_detail.same_text_key(str(quote))
            if key not in seen:
                seen.add(key)
                out.append(CauseQuote(str(quote), item.theme.id, item.theme.display_label))
    return out


def cause_detail(key: str, filters: Filters) -> CauseDetail:
    """The root cause ``key`` in the period of ``filters``; its figures are empty (no customers)
    when nobody who left in the period gave it."""
    themes = metrics.theme_figures(filters)
    causes = metrics.root_cause_figures(filters, themes=themes)
    figures = next(
        (c for c in causes if c.key == key), metrics.RootCauseFigures(key, root_causes.cause_name(key))
    )
    held = assignment.current_assignments() if figures.themes else {}
    return CauseDetail(
        figures=figures,
        by_month=metric_charts.cause_shares_by_month(filters, themes, key),
        quotes=_quotes(figures, held),
        actions=[i for i in action_plan.items() if action_plan.cause_of(i) == key],
        customers_all_time=figures.customers if filters == Filters() else action_plan.cause_customers(key),
        also=second_causes.also_given(filters).get(key),
    )
