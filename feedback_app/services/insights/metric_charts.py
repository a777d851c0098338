"""The series behind the dashboard's charts (Pareto, shares per month, answers per month), built
from the same per-theme figures as the tables beside them (:mod:`feedback_app.services.insights.metrics`)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext

from feedback_app.i18n import month_name
from feedback_app.services.insights import root_causes
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import (
    RootCauseFigures,
    ThemeFigures,
    counted_theme,
    facts,
    theme_figures,
)
from feedback_app.services.insights.statistics import fine_percent, percent


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


def period_months(filters: Filters, seen: Iterable[date]) -> list[tuple[str, str]]:
    """The months of the filters' period, first to last, as (``YYYY-MM``, label): every month the
    period touches, with or without answers, labelled in the page's language ("Jun 2026"); a month
    it covers only in part is labelled with its days ("Dec 2026 (days 1–4)"). An open end runs to
    the first or last month in ``seen``."""
    days = list(seen)
    first = filters.start or (min(days) if days else None)
    last = filters.end or (max(days) if days else None)
    if first is None or last is None or first > last:
        return []
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        length = calendar.monthrange(year, month)[1]
        low = first.day if (year, month) == (first.year, first.month) and filters.start else 1
        high = last.day if (year, month) == (last.year, last.month) and filters.end else length
        key = f"{year:04d}-{month:02d}"
        name = month_name(date(year, month, 1))
        if (low, high) == (1, length):
            months.append((key, name))
        else:
            months.append(
                (key, gettext("%(month)s (days %(first)s–%(last)s)", month=name, first=low, last=high))
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def line(label: str, shares: Sequence[float | None]) -> dict[str, Any]:
    """One line of a lines chart: its share in each month (``None``: no point) and each share as its
    hover label writes it (:func:`fine_percent`: "0.4%", where a whole-percent format wrote "0%")."""
    return {
        "label": label,
        "shares": list(shares),
        "percents": [None if v is None else fine_percent(v) for v in shares],
    }


def _monthly_shares(
    months: Sequence[tuple[str, str]], part: dict[str, set[int]], whole: dict[str, set[int]]
) -> list[float | None]:
    """Customers in ``part`` / customers in ``whole`` for each month (``None`` where ``whole`` has nobody)."""
    return [len(part[m]) / len(whole[m]) if whole[m] else None for m, _label in months]


def shares_by_month(filters: Filters, top: int = 6) -> dict[str, Any]:
    """Each top theme's share of themed customers per month of departure, for every month of the
    period (a month nobody with a theme left in has no share: ``None``)."""
    rows = [(f, f.theme) for f in facts(filters) if f.theme is not None]
    months = period_months(filters, (f.left_at for f, _ in rows)) if rows else []
    # each customer under the one theme the table counts them in (a ticket's theme counts no one
    # who answered the survey), so a month's lines add up to 100%
    counted = counted_theme([f for f, _ in rows])
    per_month: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    totals: dict[str, set[int]] = defaultdict(set)
    for fact, theme in rows:
        if counted[fact.customer_id] == theme.id:
            per_month[theme.id][fact.month].add(fact.customer_id)
        totals[fact.month].add(fact.customer_id)
    leaders = theme_figures(filters, with_trend=False)[:top]
    return {
        "months": [label for _key, label in months],
        "series": [
            line(item.theme.display_label, _monthly_shares(months, per_month[item.theme.id], totals))
            for item in leaders
        ],
    }


def cause_shares_by_month(filters: Filters, themes: Sequence[ThemeFigures], key: str) -> dict[str, Any]:
    """The cause's share of themed customers per month of departure, for every month of the period
    as :func:`shares_by_month` has them (``themes``: :func:`theme_figures` of ``filters``)."""
    everyone: dict[str, set[int]] = defaultdict(set)
    mine: dict[str, set[int]] = defaultdict(set)
    for item in themes:
        in_cause = (item.theme.category or root_causes.EMERGING) == key
        for fact in item.facts:
            everyone[fact.month].add(fact.customer_id)
            if in_cause:
                mine[fact.month].add(fact.customer_id)
    seen = [f.left_at for item in themes for f in item.facts]
    months = period_months(filters, seen) if seen else []
    return {
        "months": [label for _key, label in months],
        "series": [line(root_causes.cause_name(key), _monthly_shares(months, mine, everyone))]
        if mine
        else [],
    }


def answers_by_month(filters: Filters) -> list[dict[str, Any]]:
    """How many answers came from the customers who left each month of the period (by the month
    they left, as the period selects them: an answer given before the period's first day, at
    cancellation, still counts in the month its customer left)."""
    rows = facts(filters)
    counts: dict[str, int] = defaultdict(int)
    for fact in rows:
        counts[fact.month] += 1
    if not rows:
        return []
    return [
        {"month": label, "answers": counts[key]}
        for key, label in period_months(filters, (f.left_at for f in rows))
    ]
