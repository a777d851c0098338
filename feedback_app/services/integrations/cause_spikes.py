"""Root causes that spiked: a cause's share of answered departures this period is above the Wilson
interval (``ALERT_SHARE_CONFIDENCE``, 95%) around its share last period.

A fixed jump in points alerts on noise when few customers answered and misses real moves when many
did; the interval widens and narrows with last period's answers. A period is ``ALERT_WINDOW_DAYS``
ending today, compared with as many days before. Periods for deduplication are fixed blocks of that
many days, so a cause alerts at most once per block however many runs see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

from feedback_app.services.insights.metrics import (
    Filters,
    RootCauseFigures,
    root_cause_figures,
    theme_figures,
)
from feedback_app.services.insights.statistics import wilson_interval


@dataclass(frozen=True)
class Spike:
    cause: RootCauseFigures
    window: Filters
    previous_customers: int
    previous_answered: int
    #: Last period's interval the share rose above.
    interval: tuple[float, float]
    #: The first day of the fixed block this alert stands for (one alert per cause per block).
    period_start: date

    @property
    def previous_share(self) -> float:
        return self.previous_customers / self.previous_answered


def z_score(confidence: float) -> float:
    """The two-sided normal quantile: 1.96 for 0.95."""
    return NormalDist().inv_cdf((1 + confidence) / 2)


def period_start(today: date, days: int) -> date:
    """The first day of the fixed ``days``-long block ``today`` falls in."""
    return date.fromordinal(today.toordinal() - today.toordinal() % days)


def spikes(today: date, *, days: int, confidence: float, min_customers: int) -> list[Spike]:
    """Causes above last period's interval, with at least ``min_customers`` customers this period."""
    window = Filters(start=today - timedelta(days=days - 1), end=today)
    previous = window.previous()
    if previous is None:
        return []
    before_themes = theme_figures(previous, with_trend=False)
    answered = len({fact.customer_id for item in before_themes for fact in item.facts})
    before = {
        c.key: c.customers for c in root_cause_figures(previous, with_trend=False, themes=before_themes)
    }
    z = z_score(confidence)
    found = []
    for cause in root_cause_figures(window, with_trend=False):
        interval = wilson_interval(before.get(cause.key, 0), answered, z)
        if interval is None or cause.customers < min_customers or cause.share <= interval[1]:
            continue
        cause.previous_share = before.get(cause.key, 0) / answered
        found.append(
            Spike(cause, window, before.get(cause.key, 0), answered, interval, period_start(today, days))
        )
    return found
