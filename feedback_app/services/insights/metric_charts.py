"""The series behind the dashboard's charts (Pareto, shares per month, answers per month), built
from the same per-theme figures as the tables beside them (:mod:`feedback_app.services.insights.metrics`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from feedback_app.services.insights import root_causes
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import RootCauseFigures, ThemeFigures, facts, theme_figures
from feedback_app.services.insights.statistics import percent


def pareto(figures: Sequence[ThemeFigures | RootCauseFigures]) -> list[dict[str, Any]]:
    """Themes (or root causes) by monthly revenue lost with the cumulative share of the total
    (a Pareto chart), and that share as the table and every page write it (:func:`percent`: "<1%",
    never "0%", for a share that rounds to nothing), for the chart's hover label."""
    total = sum(t.mrr_lost_cents for t in figures)
    running = 0
    points = []
    for item in sorted(figures, key=lambda t: -t.mrr_lost_cents):
        running += item.mrr_lost_cents
        label = item.theme.display_label if isinstance(item, ThemeFigures) else item.label
        share = running / total if total else 0.0
        points.append(
            {
                "label": label,
                "mrr_lost_cents": item.mrr_lost_cents,
                "cumulative_share": share,
                "cumulative_percent": percent(share),
            }
        )
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
        series.append(
            {
                "label": item.theme.display_label,
                "shares": [
                    len(per_month[m][item.theme.id]) / len(totals[m]) if totals[m] else 0.0 for m in months
                ],
            }
        )
    return {"months": months, "series": series}


def cause_shares_by_month(themes: Sequence[ThemeFigures], key: str) -> dict[str, Any]:
    """The cause's share of themed customers per month of departure, in the lines chart's shape."""
    everyone: dict[str, set[int]] = defaultdict(set)
    mine: dict[str, set[int]] = defaultdict(set)
    for item in themes:
        in_cause = (item.theme.category or root_causes.EMERGING) == key
        for fact in item.facts:
            everyone[fact.month].add(fact.customer_id)
            if in_cause:
                mine[fact.month].add(fact.customer_id)
    months = sorted(everyone)
    if not mine:
        return {"months": months, "series": []}
    return {
        "months": months,
        "series": [
            {
                "label": root_causes.cause_name(key),
                "shares": [len(mine[m]) / len(everyone[m]) for m in months],
            }
        ],
    }


def answers_by_month(filters: Filters) -> list[dict[str, Any]]:
    """How many answers arrived each month (by submission date)."""
    counts: dict[str, int] = defaultdict(int)
    for fact in facts(filters):
        counts[fact.submitted_at.strftime("%Y-%m")] += 1
    return [{"month": month, "answers": counts[month]} for month in sorted(counts)]
