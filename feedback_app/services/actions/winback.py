"""Win-back: who came back, and whom to ask first.

Candidates are departed customers who have not returned, may be contacted and answered the
survey, ranked by the lifetime value they took with them. The **estimated second lifetime
value** of winning one back is::

    monthly revenue x min(previous tenure in months x WINBACK_SECOND_LIFE_FACTOR,
                          WINBACK_MAX_SECOND_LIFE_MONTHS)

i.e. a returning customer is expected to stay a fraction (default 0.6) of their first tenure,
capped (default 36 months), at their old price. Without a tenure, lifetime value / monthly
revenue stands in for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Theme
from feedback_app.pagination import paginate
from feedback_app.services.insights import metrics
from feedback_app.services.insights.filters import Filters
from feedback_app.services.outreach.people import person_key
from feedback_app.services.outreach.suppression import (
    came_back_as_another_row,
    opted_out_addresses,
    opted_out_as_another_row,
    returns_by_address,
)
from feedback_app.services.responses.answers import may_contact
from feedback_app.services.responses.latest import newest_key

#: How many themes the win-back page's rate table shows before "Show all" (the demo has ~55).
TOP_THEMES = 10


def theme_rates(*, show_all: bool = False) -> tuple[list[metrics.ThemeFigures], int]:
    """The themes' win-back rates, largest monthly revenue lost first: the top :data:`TOP_THEMES`
    unless ``show_all``, and how many there are in all (for the "Show all" link)."""
    figures = metrics.theme_figures(Filters(), with_trend=False)
    return (figures if show_all else figures[:TOP_THEMES]), len(figures)


def second_lifetime_value_cents(customer: DepartedCustomer) -> int:
    """The estimated value of a second lifetime (formula in the module docstring)."""
    monthly = customer.monthly_revenue_cents or 0
    if monthly <= 0:
        return 0
    tenure: float | None = customer.tenure_months
    if tenure is None:
        tenure = (customer.lifetime_value_cents or 0) / monthly
    months = min(
        tenure * current_app.config["WINBACK_SECOND_LIFE_FACTOR"],
        current_app.config["WINBACK_MAX_SECOND_LIFE_MONTHS"],
    )
    return int(round(monthly * months))


@dataclass
class Candidate:
    customer: DepartedCustomer
    response: Response
    #: The theme the themes page counts them under (``metrics.counted_themes``).
    theme: Theme | None
    second_ltv_cents: int
    theme_fixed: bool


def candidates(*, page: int = 1, per_page: int = 25) -> tuple[list[Candidate], Pagination]:
    """One page of contactable former customers who have not come back, by lifetime value (highest
    first), and the page (its total, its number).

    One entry per person, as a win-back campaign targets them (``campaign_targets.select_target``):
    customer rows with the same address (any case: a CSV export's row beside the billing
    provider's) are one person, listed as the row that gave their newest answer (of any of those
    rows), whose contact wish, opt-out, bounce and return decide."""
    from feedback_app.models import ActionItem

    rows = db.session.execute(
        select(
            DepartedCustomer.id,
            DepartedCustomer.email,
            DepartedCustomer.opted_out,
            DepartedCustomer.email_bounced_at,
            DepartedCustomer.erased_at,
            DepartedCustomer.contact_consent,
            DepartedCustomer.returned_at,
            DepartedCustomer.left_at,
            Response.id.label("response_id"),
            Response.answers,
            Response.submitted_at,
        )
        .join(Invitation, Invitation.customer_id == DepartedCustomer.id)
        .join(Response, Response.invitation_id == Invitation.id)
        .order_by(DepartedCustomer.id, Response.id)
    ).all()
    first: dict[int, int] = {}  # customer id -> their first answer's id
    newest: dict[str, Any] = {}  # person -> the row of their newest answer, whose wish counts
    for row in rows:  # a row carries the fields may_contact reads
        first.setdefault(row.id, row.response_id)
        key = person_key(row)
        known = newest.get(key)
        if known is None or newest_key(row.submitted_at, row.response_id) > newest_key(
            known.submitted_at, known.response_id
        ):
            newest[key] = row
    opted_out = opted_out_addresses()  # the person's opt-out, given as any of their customer rows
    returns = returns_by_address()  # their return, recorded as any of their rows
    eligible = {
        row.id: first[row.id]
        for row in newest.values()
        if row.returned_at is None
        and not came_back_as_another_row(row.email, row.left_at, returns)
        and may_contact(row, row.answers)
        and not opted_out_as_another_row(row.email, opted_out)
    }
    listing = paginate(
        select(DepartedCustomer)
        .where(DepartedCustomer.id.in_(list(eligible)))
        .order_by(DepartedCustomer.lifetime_value_cents.desc().nulls_last(), DepartedCustomer.id),
        page,
        per_page,
    )
    customers = list(listing.items)
    chosen = [eligible[c.id] for c in customers]
    by_id = [c.id for c in customers]
    responses = (
        {r.id: r for r in db.session.scalars(select(Response).where(Response.id.in_(chosen)))}
        if chosen
        else {}
    )
    # the theme the themes page counts each of them under (one per customer: their newest survey
    # answer's, else a billing-portal reason's, ...), not their first answer's
    themes = metrics.counted_themes(select(DepartedCustomer.id).where(DepartedCustomer.id.in_(list(by_id))))
    shipped = set(db.session.scalars(select(ActionItem.theme_id).where(ActionItem.status == "shipped")))
    return [
        Candidate(
            c,
            responses[r],
            themes.get(c.id),
            second_lifetime_value_cents(c),
            themes.get(c.id) is not None and themes[c.id].id in shipped,
        )
        for c, r in zip(customers, chosen, strict=False)
    ], listing
