"""The complaint-resolution queue: departed customers whose complaint was unresolved when they left,
worked through acknowledge, investigate (with the owning team), propose and follow up."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import OWNER_TEAMS, ComplaintCase, DepartedCustomer, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.conversations import complaints

STEPS = ("acknowledge", "investigate", "propose", "follow_up")
STEP_NAMES = {
    "acknowledge": N_("Acknowledge the complaint"),
    "investigate": N_("Investigate with the owning team"),
    "propose": N_("Propose a solution"),
    "follow_up": N_("Follow up"),
    "done": N_("Done"),
}
STATUS_NAMES = {
    "open": N_("Not started"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "dropped": N_("Dropped"),
}


class ComplaintError(ValueError):
    """A step that cannot be taken; the message says why."""


def _owner_for(cause_key: str | None) -> str | None:
    if not cause_key:
        return None
    try:
        return action_plan.play_for(cause_key, action_plan.load_playbook()).owner_team
    except action_plan.PlaybookError:
        return None


def refresh() -> int:
    """Open a case for every departed customer with an unresolved complaint in the window (the
    latest such complaint), keep causes current, and remove untouched cases that no longer qualify.
    Returns how many cases were opened."""
    cases = {c.customer_id: c for c in db.session.scalars(select(ComplaintCase))}
    opened = 0
    qualifying: set[int] = set()
    for customer_id, found in complaints.before_departure().items():
        unresolved = [c for c in found if c.unresolved]
        if not unresolved:
            continue
        latest = unresolved[-1]
        qualifying.add(customer_id)
        case = cases.get(customer_id)
        if case is None:
            case = ComplaintCase(customer_id=customer_id, step="acknowledge", status="open", history=[])
            db.session.add(case)
            opened += 1
        case.conversation_id = latest.conversation_id
        if case.cause_key != latest.cause_key and latest.cause_key:
            case.cause_key = latest.cause_key
            case.owner_team = case.owner_team or _owner_for(latest.cause_key)
    for customer_id, case in cases.items():
        if customer_id not in qualifying and case.status == "open" and not case.history:
            db.session.delete(case)
    db.session.commit()
    return opened


def queue(
    *, status: str | None = None, cause: str | None = None, page: int = 1, per_page: int = 25
) -> Pagination:
    """One page of cases, most valuable customers first (a Flask-SQLAlchemy pagination)."""
    query = (
        select(ComplaintCase)
        .join(DepartedCustomer, ComplaintCase.customer_id == DepartedCustomer.id)
        .where(DepartedCustomer.erased_at.is_(None))
        .order_by(DepartedCustomer.lifetime_value_cents.desc().nulls_last(), ComplaintCase.id)
    )
    if status in STATUS_NAMES:
        query = query.where(ComplaintCase.status == status)
    else:
        query = query.where(ComplaintCase.status.in_(("open", "in_progress")))
    if cause:
        query = query.where(ComplaintCase.cause_key == cause)
    return paginate(query, page, per_page)


def take_step(
    case: ComplaintCase,
    *,
    note: str | None,
    owner_team: str | None,
    actor: str,
    actor_user_id: int | None = None,
) -> ComplaintCase:
    """Record the current step as done (with what was done) and move to the next."""
    if case.status in ("resolved", "dropped"):
        raise ComplaintError(f"This complaint is already {STATUS_NAMES[case.status].lower()}.")
    if owner_team and owner_team not in OWNER_TEAMS:
        raise ComplaintError(f"Owning team: {owner_team!r} is not one of {', '.join(OWNER_TEAMS)}.")
    if case.step == "investigate" and not (owner_team or case.owner_team):
        raise ComplaintError("Owning team: say which team investigates the complaint.")
    if owner_team:
        case.owner_team = owner_team
    done = case.step
    case.history = [
        *case.history,
        {
            "step": done,
            "note": (note or "").strip()[:2000],
            "by": actor,
            "at": utcnow().isoformat(timespec="seconds"),
        },
    ]
    following = STEPS.index(done) + 1
    case.step = STEPS[following] if following < len(STEPS) else "done"
    case.status = "resolved" if case.step == "done" else "in_progress"
    audit.record(
        "complaint.step",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="complaint_case",
        target_id=case.id,
        step=done,
        status=case.status,
    )
    db.session.commit()
    return case


def drop(
    case: ComplaintCase, *, note: str | None, actor: str, actor_user_id: int | None = None
) -> ComplaintCase:
    """Stop working a complaint (e.g. the customer asked not to be contacted)."""
    if case.status in ("resolved", "dropped"):
        raise ComplaintError(f"This complaint is already {STATUS_NAMES[case.status].lower()}.")
    case.history = [
        *case.history,
        {
            "step": "dropped",
            "note": (note or "").strip()[:2000],
            "by": actor,
            "at": utcnow().isoformat(timespec="seconds"),
        },
    ]
    case.status = "dropped"
    audit.record(
        "complaint.drop",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="complaint_case",
        target_id=case.id,
    )
    db.session.commit()
    return case
