"""Who a win-back campaign is for: the target's filters, every exclusion, and the seeded holdout draw.

A customer is in a campaign's target when they match all its filters (root causes and/or themes
of their answer, segments, plans, lifetime-value range, date they left) and may be written to:
they allowed contact (the survey's ``contact_ok`` answer, else the imported consent), never
opted out, never bounced, were not erased, and have not come back already. Customer rows with
the same address (any case) are one person, listed once (:func:`select_target`).

The **holdout** is drawn per customer from the campaign's recorded seed: a customer is held out
when ``sha256("<seed>:<customer id>")`` read as a fraction is below the holdout share. The draw
is random across customers, the same every time it is asked (so a second send never moves anyone
between arms), and independent of who else is in the target.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import DepartedCustomer, Invitation, Response, Theme
from feedback_app.services.customers.filters import any_label, label_choices
from feedback_app.services.insights import assignment
from feedback_app.services.outreach.people import person_key
from feedback_app.services.outreach.suppression import (
    came_back_as_another_row,
    opted_out_addresses,
    opted_out_as_another_row,
    returns_by_address,
)
from feedback_app.services.responses.answers import may_contact
from feedback_app.services.responses.latest import newest_key

#: Why an otherwise matching customer is left out, in the words the preview shows.
EXCLUSIONS = {
    "returned": N_("already came back"),
    "erased": N_("erased"),
    "opted_out": N_("opted out"),
    "bounced": N_("email bounced"),
    "no_email": N_("no email address"),
    "no_contact": N_("did not allow contact"),
}


@dataclass
class Target:
    """The filters of a campaign; an empty list or None means "any"."""

    causes: list[str] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    ltv_min_cents: int | None = None
    ltv_max_cents: int | None = None
    left_from: date | None = None
    left_to: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "causes": self.causes,
            "theme_ids": self.theme_ids,
            "segments": self.segments,
            "plans": self.plans,
            "ltv_min_cents": self.ltv_min_cents,
            "ltv_max_cents": self.ltv_max_cents,
            "left_from": self.left_from.isoformat() if self.left_from else None,
            "left_to": self.left_to.isoformat() if self.left_to else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Target:
        data = data or {}
        return cls(
            causes=list(data.get("causes") or []),
            theme_ids=[int(i) for i in data.get("theme_ids") or []],
            segments=list(data.get("segments") or []),
            plans=list(data.get("plans") or []),
            ltv_min_cents=data.get("ltv_min_cents"),
            ltv_max_cents=data.get("ltv_max_cents"),
            left_from=date.fromisoformat(data["left_from"]) if data.get("left_from") else None,
            left_to=date.fromisoformat(data["left_to"]) if data.get("left_to") else None,
        )

    @property
    def by_reason(self) -> bool:
        """Whether the target asks for a reason (cause or theme), so only customers who answered match."""
        return bool(self.causes or self.theme_ids)


@dataclass
class Selection:
    """The customers in the target, and how many matching customers were left out and why."""

    customers: list[DepartedCustomer]
    themes: dict[int, Theme | None]
    excluded: dict[str, int]


def holdout_fraction(seed: int, customer_id: int) -> float:
    """A stable pseudo-random number in [0, 1) for this customer under this seed."""
    digest = hashlib.sha256(f"{seed}:{customer_id}".encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def arm_for(seed: int, customer_id: int, share: float) -> str:
    """``holdout`` or ``offer`` for one customer (see the module docstring)."""
    return "holdout" if holdout_fraction(seed, customer_id) < share else "offer"


def _why_not(
    customer: DepartedCustomer, answers: dict[str, Any] | None, opted_out: set[str], returns: dict[str, date]
) -> str | None:
    """``opted_out``: every opted-out address (the person's opt-out, given as any customer row);
    ``returns``: each address's latest return (the person's, recorded as any customer row)."""
    if customer.returned_at is not None or came_back_as_another_row(
        customer.email, customer.left_at, returns
    ):
        return "returned"
    if customer.erased_at is not None:
        return "erased"
    if customer.opted_out or opted_out_as_another_row(customer.email, opted_out):
        return "opted_out"
    if customer.email_bounced_at is not None:
        return "bounced"
    if not customer.email:
        return "no_email"
    if not may_contact(customer, answers):
        return "no_contact"
    return None


def _matching_customers(target: Target) -> list[DepartedCustomer]:
    query = select(DepartedCustomer)
    if target.segments:
        query = query.where(any_label(DepartedCustomer.segment, target.segments))
    if target.plans:
        query = query.where(any_label(DepartedCustomer.plan, target.plans))
    if target.ltv_min_cents is not None:
        query = query.where(DepartedCustomer.lifetime_value_cents >= target.ltv_min_cents)
    if target.ltv_max_cents is not None:
        query = query.where(DepartedCustomer.lifetime_value_cents <= target.ltv_max_cents)
    if target.left_from is not None:
        query = query.where(DepartedCustomer.left_at >= target.left_from)
    if target.left_to is not None:
        query = query.where(DepartedCustomer.left_at <= target.left_to)
    return list(db.session.scalars(query.order_by(DepartedCustomer.id)))


def latest_responses(customer_ids: list[int]) -> dict[int, Response]:
    """Each customer's most recent answer (any survey)."""
    if not customer_ids:
        return {}
    rows = db.session.execute(
        select(Invitation.customer_id, Response)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id.in_(customer_ids))
        .order_by(Response.submitted_at, Response.id)
    ).all()
    return {customer_id: response for customer_id, response in rows}


def select_target(target: Target, keep: Iterable[int] = ()) -> Selection:
    """Everyone the target names who may be written to, with the count left out per reason.

    One entry per person: customer rows with the same address (any case) are one person, whose
    newest answer (of any of those rows) decides whether they may be written to; the entry is the
    row in ``keep`` (the campaign's members, so a second send never adds the person again), else
    the row that gave that newest answer, else their newest row."""
    candidates = _matching_customers(target)
    responses = latest_responses([c.id for c in candidates])
    themes = assignment.current_assignments([r.id for r in responses.values()]) if responses else {}
    theme_ids = set()
    for picked in (
        db.session.scalars(select(Theme).where(Theme.id.in_(target.theme_ids))) if target.theme_ids else []
    ):
        theme_ids.add(assignment.resolve_theme(picked).id)
    people: dict[str, list[DepartedCustomer]] = {}
    for customer in candidates:
        response = responses.get(customer.id)
        theme = themes.get(response.id) if response is not None else None
        if target.by_reason and (
            theme is None or not (theme.id in theme_ids or theme.category in target.causes)
        ):
            continue
        people.setdefault(person_key(customer), []).append(customer)
    kept = set(keep)
    chosen: list[DepartedCustomer] = []
    excluded = dict.fromkeys(EXCLUSIONS, 0)
    opted_out = opted_out_addresses()
    returns = returns_by_address()
    for rows in people.values():
        answered = [c for c in rows if c.id in responses]
        latest = (
            max(answered, key=lambda c: newest_key(responses[c.id].submitted_at, responses[c.id].id))
            if answered
            else None
        )
        customer = next((c for c in rows if c.id in kept), None) or latest or max(rows, key=lambda c: c.id)
        reason = _why_not(
            customer, responses[latest.id].answers if latest is not None else None, opted_out, returns
        )
        if reason:
            excluded[reason] += 1
            continue
        chosen.append(customer)
    chosen.sort(key=lambda c: c.id)
    chosen_themes = {c.id: themes.get(responses[c.id].id) if c.id in responses else None for c in chosen}
    return Selection(chosen, chosen_themes, excluded)


def choices() -> dict[str, list[str]]:
    """The segments and plans present among former customers, for the target form (spellings that
    differ only by case or spaces as one)."""
    return {
        "segments": label_choices(DepartedCustomer.segment),
        "plans": label_choices(DepartedCustomer.plan),
    }
