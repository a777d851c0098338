"""What a win-back campaign did, per arm, measured against its holdout instead of assumed.

Per arm: customers, emails sent, opened (the open pixel or a click), clicked, and **returned**:
a ``returned_at`` on or after the day the campaign was first sent and on or before the offer's
deadline. Rates are over every customer of the arm (intention to treat: an email that bounced
still counts in the offer arm), so the two arms stay comparable.

**Lift** = returned rate of the offer arm - returned rate of the holdout, with Newcombe's 95%
interval (:mod:`.lift`); **extra customers** = lift x offer-arm customers. **Revenue regained**
is over offer-arm returners: *realised* = monthly revenue x whole months since they returned,
*estimated* = their estimated second lifetime value (:mod:`feedback_app.services.winback`).
**Offer cost** = offer value x offer-arm returners (each redeems it once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import (
    CampaignMember,
    DepartedCustomer,
    OutboxEmail,
    WinbackCampaign,
)
from feedback_app.services.actions.lift import Difference, newcombe_difference
from feedback_app.services.actions.winback import second_lifetime_value_cents

#: Below this many customers in an arm, the page says the sample is too small to tell.
SMALL_ARM = 30


@dataclass
class ArmResult:
    customers: int = 0
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    returned: int = 0
    realised_cents: int = 0
    estimated_cents: int = 0

    @property
    def returned_rate(self) -> float | None:
        return self.returned / self.customers if self.customers else None


@dataclass
class CampaignResults:
    offer: ArmResult
    holdout: ArmResult
    lift: Difference
    offer_cost_cents: int
    deadline_passed: bool

    @property
    def extra_customers(self) -> tuple[float, float, float] | None:
        """Lift x offer-arm customers, with the interval's bounds (customers won beyond the holdout rate)."""
        d = self.lift
        if d.difference is None or d.low is None or d.high is None:
            return None
        n = self.offer.customers
        return d.difference * n, d.low * n, d.high * n

    @property
    def too_small(self) -> bool:
        return min(self.offer.customers, self.holdout.customers) < SMALL_ARM


def whole_months(start: date, end: date) -> int:
    """Completed months from ``start`` to ``end`` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(0, months)


def returned_in_window(customer: DepartedCustomer, campaign: WinbackCampaign) -> bool:
    """Whether this customer counts as won back by the campaign (see the module docstring)."""
    if customer.returned_at is None or campaign.sent_at is None:
        return False
    return campaign.sent_at.date() <= customer.returned_at <= campaign.offer_deadline


def results(campaign: WinbackCampaign, *, today: date | None = None) -> CampaignResults:
    """The campaign's figures per arm, its lift over the holdout and what it earned and cost."""
    today = today or date.today()
    arms = {"offer": ArmResult(), "holdout": ArmResult()}
    rows = db.session.execute(
        select(CampaignMember, DepartedCustomer, OutboxEmail.status)
        .join(DepartedCustomer, CampaignMember.customer_id == DepartedCustomer.id)
        .outerjoin(OutboxEmail, CampaignMember.outbox_email_id == OutboxEmail.id)
        .where(CampaignMember.campaign_id == campaign.id)
    ).all()
    for member, customer, email_status in rows:
        arm = arms[member.arm]
        arm.customers += 1
        arm.sent += email_status == "sent"
        arm.opened += member.opened_at is not None or member.clicked_at is not None
        arm.clicked += member.clicked_at is not None
        if customer.returned_at is not None and returned_in_window(customer, campaign):
            arm.returned += 1
            arm.realised_cents += (customer.monthly_revenue_cents or 0) * whole_months(
                customer.returned_at, today
            )
            arm.estimated_cents += second_lifetime_value_cents(customer)
    offer, holdout = arms["offer"], arms["holdout"]
    lift = newcombe_difference(offer.returned, offer.customers, holdout.returned, holdout.customers)
    return CampaignResults(
        offer,
        holdout,
        lift,
        campaign.offer_value_cents * offer.returned,
        deadline_passed=today > campaign.offer_deadline,
    )
