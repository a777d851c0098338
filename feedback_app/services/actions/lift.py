"""Lift of a treated arm over a holdout: a difference of two proportions with Newcombe's interval.

Newcombe's hybrid score interval (method 10 in Newcombe 1998) combines the two arms' Wilson
intervals; it behaves at 0% and 100% and with the small arms win-back campaigns have, where
the plain Wald interval does not. It is the interval the campaign results and the fix ledger show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from feedback_app.services.insights.statistics import wilson_interval

Z95 = 1.959964


@dataclass(frozen=True)
class Difference:
    """p1 - p2 with its 95% interval; None figures when an arm is empty."""

    p1: float | None
    p2: float | None
    difference: float | None
    low: float | None
    high: float | None

    @property
    def excludes_zero(self) -> bool:
        """True when the interval lies wholly above or below zero (a difference the data can show)."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def newcombe_difference(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> Difference:
    """The difference x1/n1 - x2/n2 and Newcombe's hybrid score interval for it."""
    first, second = wilson_interval(x1, n1, z), wilson_interval(x2, n2, z)
    if first is None or second is None:  # an empty arm
        p1 = x1 / n1 if n1 > 0 else None
        p2 = x2 / n2 if n2 > 0 else None
        return Difference(p1, p2, None, None, None)
    (l1, u1), (l2, u2) = first, second
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(p1, p2, d, max(-1.0, low), min(1.0, high))
