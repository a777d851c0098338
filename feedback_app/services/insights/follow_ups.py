"""The follow-up queue: answers a person should respond to quickly.

An answer enters the queue when its text asks to be contacted (and the customer may be
contacted), or when it is very negative (score at most ``FOLLOW_UP_MAX_SCORE``, or sentiment at
most -0.5) from a high-value customer (lifetime value at least ``FOLLOW_UP_HIGH_VALUE_LTV_CENTS``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import insert, select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import DepartedCustomer, FollowUp, Invitation, Response, SurveyVersion, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.responses.answers import join_reasons, may_contact, reason_question_ids, score
from feedback_app.services.responses.latest import latest_answers

log = logging.getLogger(__name__)

CONTACT_REQUEST = re.compile(
    r"\b(call|phone|ring|email|e-mail|contact|reach out to|get back to|talk to|speak (?:to|with))\s+me\b"
    r"|\bget in touch\b|\bplease (?:call|contact|reach)\b|\bspeak to (?:someone|a human|a person)\b",
    re.IGNORECASE,
)


def _written_reasons(answers: dict | None, definition: dict[str, Any]) -> str:
    """The free-text reasons of an answer, by the reason questions of the version it answered."""
    return join_reasons(answers, reason_question_ids(definition))


def _reason(
    text: str,
    answers: dict | None,
    sentiment: float | None,
    customer: DepartedCustomer,
    newest: dict | None = None,
) -> str | None:
    """``newest``: the customer's newest answer, whose contact wish counts (``answers`` itself when
    it is the newest)."""
    if text and CONTACT_REQUEST.search(text) and may_contact(customer, answers if newest is None else newest):
        return "Asks to be contacted"
    value = score(answers)
    very_negative = (value is not None and value <= current_app.config["FOLLOW_UP_MAX_SCORE"]) or (
        sentiment is not None and sentiment <= -0.5
    )
    if (
        very_negative
        and (customer.lifetime_value_cents or 0) >= current_app.config["FOLLOW_UP_HIGH_VALUE_LTV_CENTS"]
    ):
        return "Very negative answer from a high-value customer"
    return None


def new_answer_reason(answers: dict, version: SurveyVersion, customer: DepartedCustomer) -> str | None:
    """Why a just-submitted answer needs a person, or None, from what the survey page has already
    loaded (the version answered and the customer): no query of its own, so the submission can
    decide before it writes anything.

    Sentiment is not known yet: ``refresh`` after each analysis run catches answers that qualify
    by sentiment. A check that breaks is logged and counts as "no": the answer must be stored,
    and ``refresh`` looks at it again later.
    """
    try:
        return _reason(_written_reasons(answers, version.definition), answers, None, customer)
    except Exception:
        log.exception("follow-up check failed for an answer to survey version %s", version.id)
        return None


_INSERT_FOLLOW_UP = insert(FollowUp)


def add_follow_up(response_id: int, reason: str) -> None:
    """Queue an answer in the caller's transaction (not committed), so the answer and its queue
    entry are stored together."""
    now = utcnow()
    db.session.connection().execute(
        _INSERT_FOLLOW_UP,
        {"response_id": response_id, "reason": reason, "created_at": now, "updated_at": now},
    )


def refresh(response_ids: Iterable[int] | None = None) -> int:
    """Add queue entries for answers that qualify and are not queued yet; returns how many were added."""
    query = (
        select(
            Response.id,
            Response.answers,
            Response.sentiment,
            Response.text_purged_at,
            SurveyVersion.definition,
            DepartedCustomer,
        )
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .where(~Response.id.in_(select(FollowUp.response_id)))
    )
    if response_ids is not None:
        query = query.where(Response.id.in_(list(response_ids)))
    added = 0
    rows = db.session.execute(query).all()
    newest = latest_answers(row.DepartedCustomer.id for row in rows)
    for response_id, answers, sentiment, purged_at, definition, customer in rows:
        text = "" if purged_at is not None else _written_reasons(answers, definition)
        reason = _reason(text, answers, sentiment, customer, newest.get(customer.id))
        if reason:
            db.session.add(FollowUp(response_id=response_id, reason=reason))
            added += 1
    if added:  # nothing to write, nothing to commit (most answers need no follow-up)
        db.session.commit()
    return added


@dataclass
class QueueEntry:
    follow_up: FollowUp
    response: Response
    customer: DepartedCustomer

    @property
    def age(self) -> timedelta:
        """How long ago the answer came; never negative (a clock ahead of this server's)."""
        return max(utcnow() - self.response.submitted_at, timedelta(0))


#: Stored as written in ``FollowUp.reason``; the dashboard shows them through the ``translated`` filter.
REASONS = (N_("Asks to be contacted"), N_("Very negative answer from a high-value customer"))
#: How the queue can be sorted: newest answer first (the default), or most lifetime value first.
ORDERS = {"newest": N_("Newest first"), "value": N_("Most valuable first"), "oldest": N_("Oldest first")}


def queue(
    *,
    handled: bool = False,
    page: int = 1,
    per_page: int = 25,
    reason: str | None = None,
    order: str = "newest",
) -> tuple[list[QueueEntry], int]:
    """One page of open (or handled) entries, newest answer first unless ``order`` says otherwise,
    optionally one ``reason`` only, and the total count (past the last page: the last page)."""
    query = (
        select(FollowUp)
        .join(Response, FollowUp.response_id == Response.id)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .where(FollowUp.handled_at.is_not(None) if handled else FollowUp.handled_at.is_(None))
    )
    if reason:
        query = query.where(FollowUp.reason == reason)
    sort = {
        "value": (DepartedCustomer.lifetime_value_cents.desc().nulls_last(), Response.submitted_at.desc()),
        "oldest": (Response.submitted_at.asc(),),
    }.get(order, (Response.submitted_at.desc(),))
    pagination = paginate(query.order_by(*sort, FollowUp.id.desc()), page, per_page)
    ids = [f.response_id for f in pagination.items]
    rows = (
        {
            r.id: (r, c)
            for r, c in db.session.execute(
                select(Response, DepartedCustomer)
                .join(Invitation, Response.invitation_id == Invitation.id)
                .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
                .where(Response.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    return [QueueEntry(f, *rows[f.response_id]) for f in pagination.items], pagination.total or 0


#: Why a follow-up's contact details offer no email address (shown through ``translated``).
EMAIL_WITHHELD = (N_("They opted out of email."), N_("Their email address bounced."))


@dataclass(frozen=True)
class ContactDetails:
    """How to reach the customer behind a follow-up: their own record's email and phone, never
    the answer's words (its redacted "[PHONE]" stays redacted everywhere)."""

    name: str | None
    email: str | None
    phone: str | None
    #: Why no email address is offered (one of ``EMAIL_WITHHELD``), or None.
    email_withheld: str | None
    #: What they said about being contacted (the survey's question, else the imported consent).
    may_contact: bool


def contact_details(follow_up: FollowUp, *, actor: str, actor_user_id: int | None) -> ContactDetails:
    """The customer's stored contact details for one queue entry, the showing audited: the queue
    lists no phone numbers, so a phone number is read only by whoever needs to call."""
    response, customer = db.session.execute(
        select(Response, DepartedCustomer)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .where(Response.id == follow_up.response_id)
    ).one()
    audit.record(
        "follow_up.contact_shown",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="follow_up",
        target_id=follow_up.id,
        customer_id=customer.id,
    )
    db.session.commit()
    # whether they may be contacted: their newest answer says, not necessarily this one
    return stored_contact(customer, latest_answers([customer.id]).get(customer.id, response.answers))


def stored_contact(customer: DepartedCustomer, answers: dict[str, Any] | None) -> ContactDetails:
    """The customer's record's contact details, the email withheld from someone who opted out or
    bounced; ``answers`` (their latest) say whether they agreed to be contacted. Not audited: the
    callers that show it record the showing."""
    withheld = (
        EMAIL_WITHHELD[0]
        if customer.opted_out
        else EMAIL_WITHHELD[1]
        if customer.email_bounced_at is not None
        else None
    )
    return ContactDetails(
        name=customer.name,
        email=None if withheld else customer.email,
        phone=customer.phone,
        email_withheld=withheld,
        may_contact=may_contact(customer, answers),
    )


def _mark(follow_up: FollowUp, *, actor_user_id: int | None, actor: str, note: str | None) -> None:
    follow_up.handled_at = utcnow()
    follow_up.handled_by_id = actor_user_id
    follow_up.note = (note or "").strip() or None
    audit.record(
        "follow_up.handled",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="follow_up",
        target_id=follow_up.id,
    )


def mark_handled(
    follow_up: FollowUp, *, actor_user_id: int | None, actor: str, note: str | None = None
) -> FollowUp:
    if follow_up.handled_at is not None:
        raise ValueError("This follow-up was already marked handled.")
    _mark(follow_up, actor_user_id=actor_user_id, actor=actor, note=note)
    db.session.commit()
    return follow_up


def mark_many_handled(ids: Iterable[int], *, actor_user_id: int | None, actor: str) -> int:
    """Mark several open entries handled in one transaction, each audited; entries a colleague
    handled a moment ago (or ids that do not exist) are skipped. Returns how many were marked."""
    entries = db.session.scalars(
        select(FollowUp).where(FollowUp.id.in_(list(ids)), FollowUp.handled_at.is_(None))
    ).all()
    for entry in entries:
        _mark(entry, actor_user_id=actor_user_id, actor=actor, note=None)
    db.session.commit()
    return len(entries)
