"""The headline figures for customers who left in a period: departures, the invitation funnel,
revenue lost, opt-outs and win-backs, and their change since the previous period.

**Invitations sent** are counted by :mod:`feedback_app.services.outreach.funnel` (sent, opened or
answered); **response rate** = responses / sent; **completion rate** = responses / invitations
opened; **opt-outs** = departed customers who opted out; **MRR lost** and **LTV lost** are sums
of the customers' monthly revenue and lifetime value, in cents; **win-back rate** = customers with
a return date / departed customers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.services.insights.filters import Filters, customer_selection
from feedback_app.services.insights.statistics import rate, wilson_interval
from feedback_app.services.outreach import funnel


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
            (N_("Departed"), self.departed),
            (N_("Invited"), self.invited),
            (N_("Opened the survey"), self.opened),
            (N_("Answered"), self.responses),
        ]


def overview(filters: Filters) -> Overview:
    """The headline figures for customers who left in the period (two aggregate queries)."""
    customers = customer_selection(filters).subquery()
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
    ids = select(customer_selection(filters).subquery().c.id)
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
