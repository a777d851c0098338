"""Small-sample statistics for the report figures: rates and 95% Wilson score intervals."""

from __future__ import annotations

import math


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


def percent(value: float | None) -> str:
    """A share as a whole percent ("12%"); a share that is not zero but rounds to it reads "<1%",
    so one customer in a few hundred is never shown as "0%", and one short of all reads ">99%", so
    a cohort that lost one customer in three hundred is never shown as "100%" retained."""
    if value is None:
        return "–"
    if value > 0 and round(value * 100) == 0:
        return "<1%"
    if value < 1 and round(value * 100) == 100:
        return ">99%"
    return f"{value:.0%}"


def fine_percent(value: float | None) -> str:
    """A share as a chart's hover writes it: one decimal below 10% ("0.4%", "2.0%"), where monthly
    shares and churn rates differ by less than a whole percent, and :func:`percent` from there
    ("12%"); a share that is not zero but rounds to nothing reads "<0.1%", never "0.0%"."""
    if value is None or value == 0 or round(value * 100, 1) >= 10:
        return percent(value)
    if value > 0 and round(value * 100, 1) == 0:
        return "<0.1%"
    return f"{value:.1%}"


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
