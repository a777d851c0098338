"""Monthly active counts from the billing provider's events, beside the uploaded ones.

The webhooks record who started, cancelled or came back (``billing/movements.py``). Added up per
month, those movements carry a count forward: active on the 1st of M = active on the 1st of
M-1 + new + returned - cancelled during M-1. Rules (also in docs/winback.md):

* A month with a CSV or API count uses it, **never** the sum of both: the upload wins and the
  page shows what the billing events would have given beside it.
* A month without one is carried forward from the month before (whatever its source) when the
  billing events cover that month (it is on or after the month of the first movement).
* Without any earlier count there is nothing to carry forward: the movements are shown alone.
* Only the company-wide count (no segment or plan): movements carry no segment.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import SubscriptionMovement

SOURCE_LABELS = {"csv": N_("CSV upload"), "api": N_("API"), "billing": N_("Billing events")}


@dataclass
class Movements:
    new: int = 0
    cancelled: int = 0
    returned: int = 0

    @property
    def net(self) -> int:
        return self.new + self.returned - self.cancelled


@dataclass
class Uploaded:
    """A month's count from the CSV or API for the filter (None when the month has none)."""

    active: int | None
    mrr_cents: int | None
    source: str


@dataclass
class MonthFigure:
    month: date
    active: int | None
    mrr_cents: int | None
    source: str  # csv, api, "csv, api", billing, or "" when no figure
    billing_active: int | None = None  # what the billing events give, shown when an upload wins
    movements: Movements | None = None


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def monthly_movements() -> dict[date, Movements]:
    """Every month with a movement: new, cancelled and returned customers."""
    months: dict[date, Movements] = defaultdict(Movements)
    for kind, day in db.session.execute(select(SubscriptionMovement.kind, SubscriptionMovement.day)):
        moves = months[month_of(day)]
        setattr(moves, kind, getattr(moves, kind) + 1)
    return dict(months)


def figures(
    uploaded: dict[date, Uploaded], *, with_billing: bool, today: date | None = None
) -> list[MonthFigure]:
    """One figure per month, oldest first, by the rules in the module docstring."""
    moves = monthly_movements() if with_billing else {}
    if not moves:
        return [MonthFigure(m, u.active, u.mrr_cents, u.source) for m, u in sorted(uploaded.items())]
    first_moved = min(moves)
    month = min([*uploaded, first_moved])
    last = max([*uploaded, month_of(today or date.today())])
    result: list[MonthFigure] = []
    previous: MonthFigure | None = None
    while month <= last:
        carried = None
        if previous is not None and previous.active is not None and previous.month >= first_moved:
            carried = previous.active + moves.get(previous.month, Movements()).net
        upload = uploaded.get(month)
        if upload is not None and upload.active is not None:
            figure = MonthFigure(
                month, upload.active, upload.mrr_cents, upload.source, billing_active=carried
            )
        elif carried is not None:
            figure = MonthFigure(month, max(carried, 0), None, "billing", billing_active=carried)
        else:
            figure = MonthFigure(month, None, None, upload.source if upload else "")
        figure.movements = moves.get(month)
        if figure.active is not None or figure.movements is not None or month in uploaded:
            result.append(figure)
        previous = figure
        month = next_month(month)
    return result
