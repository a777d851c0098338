"""The fix-to-revenue ledger: for each shipped action item, what followed on its root cause.

Stated as observations with intervals, never as proof that the fix caused them: other things
changed too, and the groups compared were not drawn at random.

For an item shipped on day S, over equal windows of ``days`` = min(90, days since S + 1):

* **Departures on the cause** before [S - days, S - 1] and after [S, S + days - 1]: how many left
  whose answer has the item's root cause, and the cause's **share of answered departures** in each
  window (Wilson 95%), with the change (Newcombe 95%). Below 30 answered departures in a window
  the ledger says the sample is too small to tell.
* **Churn contribution** of the cause in each window = its share x the window's churn rate, in %
  per month. The churn rate = departures / active customer-months in the window (each month's
  active count on its 1st, uploaded or carried by billing events, weighted by the window's days
  in it); none when a month of the window has no count. Its interval multiplies the bounds of
  the share's and the rate's Wilson intervals (wider than exact, never narrower).
* **"We fixed it" email**: who was sent it, who came back after it was sent (``returned_at`` on
  or after the send day), their realised revenue (monthly x whole months since return) and
  estimated second lifetime value; beside the **comparable group**: customers whose answer has
  the same cause, who left before S and were not sent it, and how many of them came back since S.
* **Win-back campaigns on the cause**: offer-arm customers with that cause who came back within
  their campaign's window, and their realised and estimated revenue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import (
    ActionItem,
    CampaignMember,
    DepartedCustomer,
    OutboxEmail,
    WinbackCampaign,
)
from feedback_app.services.actions.campaign_results import (
    returned_in_window,
    whole_months,
)
from feedback_app.services.actions.lift import Difference, newcombe_difference
from feedback_app.services.actions.plan import cause_of, subject, theme_fate
from feedback_app.services.actions.winback import second_lifetime_value_cents
from feedback_app.services.insights import churn_rates
from feedback_app.services.insights.assignment import ThemeFate
from feedback_app.services.insights.billing_counts import month_of, next_month
from feedback_app.services.insights.churn_rates import cause_of_departures
from feedback_app.services.insights.statistics import wilson_interval
from feedback_app.services.outreach.people import addresses_of, person_key

SMALL_WINDOW = 30
MAX_DAYS = 90


@dataclass
class Window:
    start: date
    end: date
    departures: int
    answered: int
    on_cause: int
    customer_months: float | None = None  # active customers x months in the window

    @property
    def share(self) -> float | None:
        return self.on_cause / self.answered if self.answered else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.on_cause, self.answered)

    @property
    def churn_rate(self) -> float | None:
        return self.departures / self.customer_months if self.customer_months else None

    @property
    def contribution(self) -> float | None:
        share, rate = self.share, self.churn_rate
        return share * rate if share is not None and rate is not None else None

    @property
    def contribution_interval(self) -> tuple[float, float] | None:
        exposure = round(self.customer_months or 0)
        if self.interval is None or not exposure or self.departures > exposure:
            return None
        rate = wilson_interval(self.departures, exposure)
        if rate is None:
            return None
        scale = exposure / (self.customer_months or 1)  # back from whole customer-months
        return self.interval[0] * rate[0] * scale, self.interval[1] * rate[1] * scale


@dataclass
class Group:
    customers: int = 0
    came_back: int = 0
    realised_cents: int = 0
    estimated_cents: int = 0

    @property
    def rate(self) -> float | None:
        return self.came_back / self.customers if self.customers else None


@dataclass
class LedgerEntry:
    item: ActionItem
    label: str
    cause: str | None
    shipped: date
    days: int
    before: Window
    after: Window
    change: Difference
    emailed: Group
    comparable: Group
    emailed_vs_comparable: Difference
    winback: Group
    #: What became of the item's theme (``fate.gone``: the latest run no longer finds it).
    fate: ThemeFate | None = None

    @property
    def too_small(self) -> bool:
        return min(self.before.answered, self.after.answered) < SMALL_WINDOW


def customer_months(start: date, end: date, active: dict[date, int | None]) -> float | None:
    """Active customer-months between start and end (inclusive); None when a month has no count."""
    total, day = 0.0, start
    while day <= end:
        month = month_of(day)
        following = next_month(month)
        days_in_month = (following - month).days
        covered = (min(end + timedelta(days=1), following) - day).days
        if active.get(month) is None:
            return None
        total += (active[month] or 0) * covered / days_in_month
        day = following
    return total


def _window(cause: str | None, start: date, end: date, active: dict[date, int | None]) -> Window:
    customers = list(
        db.session.scalars(
            select(DepartedCustomer).where(DepartedCustomer.left_at >= start, DepartedCustomer.left_at <= end)
        )
    )
    causes = cause_of_departures(customers)
    return Window(
        start,
        end,
        len(customers),
        len(causes),
        sum(1 for c in causes.values() if c == cause),
        customer_months(start, end, active),
    )


def _add(group: Group, customer: DepartedCustomer, since: date, today: date) -> None:
    group.customers += 1
    if customer.returned_at is not None and customer.returned_at >= since:
        group.came_back += 1
        group.realised_cents += (customer.monthly_revenue_cents or 0) * whole_months(
            customer.returned_at, today
        )
        group.estimated_cents += second_lifetime_value_cents(customer)


def _fixed_it_groups(item: ActionItem, cause: str | None, shipped: date, today: date) -> tuple[Group, Group]:
    emailed, comparable = Group(), Group()
    sent = {
        cid: sent_at
        for cid, sent_at in db.session.execute(
            select(OutboxEmail.customer_id, OutboxEmail.sent_at).where(
                OutboxEmail.action_item_id == item.id,
                OutboxEmail.kind == "we_fixed_it",
                OutboxEmail.status == "sent",
            )
        )
        if sent_at is not None
    }
    earlier = list(
        db.session.scalars(
            select(DepartedCustomer).where(
                DepartedCustomer.left_at < shipped, DepartedCustomer.erased_at.is_(None)
            )
        )
    )
    causes = cause_of_departures(earlier)
    told = addresses_of(
        cid for cid in sent if cid is not None
    )  # the person's other rows (same address) were told too
    for customer in earlier:
        if customer.id in sent:
            _add(emailed, customer, sent[customer.id].date(), today)
        elif person_key(customer) in told:
            continue  # counted once, as the row emailed: not beside them as "not emailed"
        elif cause is not None and causes.get(customer.id) == cause:
            _add(comparable, customer, shipped, today)
    return emailed, comparable


def _winback(cause: str | None, today: date) -> Group:
    group = Group()
    if cause is None:
        return group
    rows = db.session.execute(
        select(CampaignMember.customer_id, DepartedCustomer, WinbackCampaign)
        .join(DepartedCustomer, CampaignMember.customer_id == DepartedCustomer.id)
        .join(WinbackCampaign, CampaignMember.campaign_id == WinbackCampaign.id)
        .where(CampaignMember.arm == "offer")
    ).all()
    causes = cause_of_departures([customer for _, customer, _ in rows])
    counted: set[int] = set()
    for customer_id, customer, campaign in rows:
        if causes.get(customer_id) != cause or customer_id in counted:
            continue
        counted.add(customer_id)
        group.customers += 1
        if customer.returned_at is not None and returned_in_window(customer, campaign):
            group.came_back += 1
            group.realised_cents += (customer.monthly_revenue_cents or 0) * whole_months(
                customer.returned_at, today
            )
            group.estimated_cents += second_lifetime_value_cents(customer)
    return group


def entry(
    item: ActionItem, *, today: date | None = None, active: dict[date, int | None] | None = None
) -> LedgerEntry | None:
    """The ledger line of one shipped item (None when it is not shipped)."""
    if item.status != "shipped" or item.shipped_at is None:
        return None
    today = today or date.today()
    shipped = item.shipped_at.date()
    days = max(1, min(MAX_DAYS, (today - shipped).days + 1))
    cause = cause_of(item)
    if active is None:
        active = {r.month: r.active_start for r in churn_rates.monthly(today=today)}
    before = _window(cause, shipped - timedelta(days=days), shipped - timedelta(days=1), active)
    after = _window(cause, shipped, shipped + timedelta(days=days - 1), active)
    emailed, comparable = _fixed_it_groups(item, cause, shipped, today)
    return LedgerEntry(
        item=item,
        label=subject(item),
        cause=cause,
        shipped=shipped,
        days=days,
        before=before,
        after=after,
        change=newcombe_difference(after.on_cause, after.answered, before.on_cause, before.answered),
        emailed=emailed,
        comparable=comparable,
        emailed_vs_comparable=newcombe_difference(
            emailed.came_back, emailed.customers, comparable.came_back, comparable.customers
        ),
        winback=_winback(cause, today),
        fate=theme_fate(item),
    )


def ledger(*, today: date | None = None) -> list[LedgerEntry]:
    """Every shipped item's line, most recently shipped first."""
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.status == "shipped")
        .order_by(ActionItem.shipped_at.desc(), ActionItem.id)
    )
    active = {r.month: r.active_start for r in churn_rates.monthly(today=today)}
    return [e for e in (entry(i, today=today, active=active) for i in items) if e is not None]
