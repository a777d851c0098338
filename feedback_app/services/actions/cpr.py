"""The CPR desk: Comprehend, Propose, Respond for former customers worth winning back one by one.

A customer comes to the desk when their lifetime value is at least ``CPR_LTV_THRESHOLD_CENTS``
or a person picks them. **Comprehend**: their answers, the reason they picked beside the one they
wrote, their history. **Propose**: the calculator (:func:`proposal`) shows the business with and
without them. **Respond**: a written offer with a deadline goes out once through the outbox
(``cpr_offer:<case id>``); the outcome is recorded, and an offer nobody answered expires the day
after its deadline (the ``cpr.expire_offers`` job).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import (
    CprCase,
    DepartedCustomer,
    FollowUp,
    Invitation,
    OutboxEmail,
    Response,
    Theme,
    utcnow,
)
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.actions import close_loop_links, follow_up_texts
from feedback_app.services.actions.campaign_email import long_date
from feedback_app.services.actions.winback import second_lifetime_value_cents
from feedback_app.services.insights import assignment
from feedback_app.services.outreach import emails, outbox
from feedback_app.services.outreach.follow_up_language import (
    OPT_OUT,
    language_name,
    language_of,
    with_text_footer,
)
from feedback_app.services.responses.answers import contact_refusal, picked_label, reason_text
from feedback_app.services.responses.latest import latest_answers


class CprError(ValueError):
    """Something the desk cannot do for this case, with the reason to show."""


# ---------------------------------------------------------------- who comes to the desk


def candidates(*, page: int = 1, per_page: int = 25) -> Pagination:
    """Former customers over the threshold or with a case, not back and not erased, by lifetime value."""
    threshold = int(current_app.config["CPR_LTV_THRESHOLD_CENTS"])
    query = (
        select(DepartedCustomer)
        .outerjoin(CprCase, CprCase.customer_id == DepartedCustomer.id)
        .where(
            DepartedCustomer.erased_at.is_(None),
            or_(DepartedCustomer.lifetime_value_cents >= threshold, CprCase.id.is_not(None)),
        )
        .order_by(DepartedCustomer.lifetime_value_cents.desc().nulls_last(), DepartedCustomer.id)
    )
    return paginate(query, page, per_page)


def cases_by_customer(customer_ids: list[int]) -> dict[int, CprCase]:
    if not customer_ids:
        return {}
    return {
        c.customer_id: c
        for c in db.session.scalars(select(CprCase).where(CprCase.customer_id.in_(customer_ids)))
    }


def case_for(customer_id: int) -> CprCase | None:
    """The customer's desk case, if one was opened (a customer has at most one)."""
    return db.session.scalar(select(CprCase).where(CprCase.customer_id == customer_id))


def open_case(customer: DepartedCustomer, *, actor: str, actor_user_id: int | None = None) -> CprCase:
    """The customer's case, opened now if needed (picked by hand when under the threshold)."""
    case = case_for(customer.id)
    if case is not None:
        return case
    if customer.erased_at is not None:
        raise CprError("This customer was erased; there is nothing to work with.")
    threshold = int(current_app.config["CPR_LTV_THRESHOLD_CENTS"])
    picked = "threshold" if (customer.lifetime_value_cents or 0) >= threshold else "hand"
    case = CprCase(customer_id=customer.id, picked_by=picked, status="open", opened_by_id=actor_user_id)
    db.session.add(case)
    db.session.flush()
    audit.record(
        "cpr.case_opened",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="cpr_case",
        target_id=case.id,
        picked_by=picked,
    )
    db.session.commit()
    return case


# ---------------------------------------------------------------- comprehend


@dataclass
class Answer:
    response: Response
    picked: str | None
    written: str
    theme: Theme | None


@dataclass
class Profile:
    customer: DepartedCustomer
    answers: list[Answer]
    follow_ups: list[FollowUp]
    emails: list[OutboxEmail]


def profile(customer: DepartedCustomer) -> Profile:
    """Their answers (picked and written reason, theme), follow-ups and emails we sent them."""
    responses = list(
        db.session.scalars(
            select(Response)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .where(Invitation.customer_id == customer.id)
            .order_by(Response.submitted_at)
        )
    )
    themes = assignment.current_assignments([r.id for r in responses]) if responses else {}
    answers = [Answer(r, picked_label(r), reason_text(r), themes.get(r.id)) for r in responses]
    follow_ups = (
        list(
            db.session.scalars(
                select(FollowUp)
                .where(FollowUp.response_id.in_([r.id for r in responses]))
                .order_by(FollowUp.id)
            )
        )
        if responses
        else []
    )
    emails = list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.customer_id == customer.id).order_by(OutboxEmail.id)
        )
    )
    return Profile(customer, answers, follow_ups, emails)


def contact_refusals(customers: Sequence[DepartedCustomer]) -> dict[int, str | None]:
    """Why we may not write to each customer (a key of ``answers.CONTACT_REFUSALS``; None: we may),
    by customer id: their latest answer's wish, else the imported consent (and never when
    suppressed). One query for a whole page of the desk."""
    latest = latest_answers(c.id for c in customers)
    return {c.id: contact_refusal(c, latest.get(c.id)) for c in customers}


def contact_allowed(customer: DepartedCustomer) -> bool:
    """May we write to them (:func:`contact_refusals` says why not)."""
    return contact_refusals([customer])[customer.id] is None


# ---------------------------------------------------------------- propose


@dataclass
class Proposal:
    """The business with them back and without them, over their expected second lifetime."""

    months: float
    second_ltv_cents: int
    cost_to_serve_cents: int | None
    offer_cents: int
    net_with_cents: int
    net_without_cents: int

    @property
    def net_value_cents(self) -> int:
        """What making the offer is worth if they accept: with them minus without them."""
        return self.net_with_cents - self.net_without_cents

    @property
    def break_even_offer_cents(self) -> int:
        """The largest offer at which winning them back still pays (0 when it never does)."""
        return max(0, self.second_ltv_cents - (self.cost_to_serve_cents or 0))


def proposal(
    customer: DepartedCustomer, *, offer_cents: int, cost_to_serve_monthly_cents: int | None
) -> Proposal:
    """Second LTV - cost to serve over the same months - the offer, against zero without them."""
    second = second_lifetime_value_cents(customer)
    monthly = customer.monthly_revenue_cents or 0
    months = second / monthly if monthly else 0.0
    cost = round(cost_to_serve_monthly_cents * months) if cost_to_serve_monthly_cents is not None else None
    return Proposal(months, second, cost, offer_cents, second - (cost or 0) - offer_cents, 0)


# ---------------------------------------------------------------- respond


def letter_language(customer: DepartedCustomer) -> str:
    """The name of the language the offer's deadline line is written in for this customer."""
    return language_name(language_of(customer))


def default_letter(customer: DepartedCustomer) -> tuple[str, str]:
    company = current_app.config["COMPANY_NAME"]
    name = customer.first_name or "there"
    return (
        f"{name}, a proposal from {company}",
        (
            f"Hello {name},\n\nThank you for telling us why you left {company}. We understood: ...\n\n"
            f"What we propose: ...\n\nThis offer stands until the deadline below. Just reply to this email to accept.\n\n"
            f"The {company} team"
        ),
    )


@dataclass(frozen=True)
class Letter:
    """The offer as the customer gets it. ``letter`` is what staff wrote plus the deadline line (the
    desk shows it); ``text`` and ``html`` add the opt-out footer."""

    subject: str
    letter: str
    text: str
    html: str
    opt_out_url: str


_ADDRESS = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)])")


def _with_links(line: str) -> list[tuple[str, bool]]:
    """A line of the letter as (text, is an address) pieces: an address staff typed becomes a link."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(_ADDRESS.split(line)) if piece]


def compose_letter(customer: DepartedCustomer, *, subject: str, body: str, deadline: date) -> Letter:
    """Staff's words as written, then the deadline and the opt-out link in the customer's language,
    on the layout every customer email shares (``email/cpr_offer.html``). The demo's offer is
    composed here too, so it reads as a real one."""
    opt_out_url = close_loop_links.opt_out_url(customer, "cpr_offer")
    with force_locale(language_of(customer)):  # the lines we add speak the customer's language
        deadline_line = gettext(follow_up_texts.CPR_DEADLINE, day=long_date(deadline))
        footer, link_text = gettext(OPT_OUT), gettext("opt out")
        subject = " ".join(subject.split())[:300]
        letter = body.replace("\r\n", "\n").strip() + f"\n\n{deadline_line}\n"
        html = render_template(
            "email/cpr_offer.html",
            subject=subject,
            paragraphs=[
                [_with_links(line) for line in block.split("\n")]
                for block in letter.split("\n\n")
                if block.strip()
            ],
            footer=footer,
            opt_out_url=opt_out_url,
            link_text=link_text,
        )
    return Letter(subject, letter, with_text_footer(letter, f"{footer} {opt_out_url}"), html, opt_out_url)


def queue_letter(case: CprCase, letter: Letter) -> OutboxEmail:
    """Queue the offer once (``cpr_offer:<case id>``), with its one-click opt-out header."""
    email = outbox.queue_email(
        kind="cpr_offer",
        idempotency_key=f"cpr_offer:{case.id}",
        recipient=case.customer.email or "",
        subject=letter.subject,
        body_text=letter.text,
        body_html=letter.html,
        customer_id=case.customer.id,
        headers={
            "X-Afterword-Kind": "cpr_offer",
            **emails.opt_out_headers(letter.opt_out_url),
        },
    )
    db.session.flush()
    return email


def send_offer(
    case: CprCase,
    *,
    subject: str,
    body: str,
    offer_cents: int,
    deadline: date | None,
    cost_to_serve_monthly_cents: int | None,
    actor: str,
    actor_user_id: int | None = None,
    today: date | None = None,
) -> CprCase:
    """Send the written offer once; CprError says what is missing or why it cannot go."""
    today = today or date.today()
    if case.status != "open":
        raise CprError(
            f"An offer was already {'sent' if case.status == 'offered' else case.status} for this customer."
        )
    problems = []
    if not subject.strip():
        problems.append("Enter a subject.")
    if not body.strip():
        problems.append("Write the offer.")
    elif any(line.rstrip().endswith(": ...") for line in body.splitlines()):
        problems.append("Fill in the letter's '...': what you understood and what you propose.")
    if deadline is None:
        problems.append("Set a deadline for the offer.")
    elif deadline <= today:
        problems.append(f"The deadline {deadline.isoformat()} is not after today.")
    customer = case.customer
    if not contact_allowed(customer):
        problems.append(
            "This customer did not allow contact, opted out, bounced or has no address: no email can go."
        )
    if problems or deadline is None:  # a missing deadline is among the problems
        raise CprError(" ".join(problems))
    letter = compose_letter(customer, subject=subject, body=body, deadline=deadline)
    case_id = case.id
    try:
        email = queue_letter(case, letter)
    except IntegrityError:
        # Two "send offer" requests at once: the first one's email holds the case's outbox key.
        db.session.rollback()
        key = f"cpr_offer:{case_id}"
        if db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key)) is None:
            raise
        raise CprError("An offer was already sent for this customer.") from None
    text = letter.letter
    case.status, case.offered_at, case.outbox_email_id = "offered", utcnow(), email.id
    case.offer_subject, case.offer_text, case.offer_value_cents = subject.strip()[:300], text, offer_cents
    case.offer_deadline, case.cost_to_serve_cents = deadline, cost_to_serve_monthly_cents
    audit.record(
        "cpr.offer_sent",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="cpr_case",
        target_id=case.id,
        offer_cents=offer_cents,
        deadline=deadline.isoformat(),
    )
    db.session.commit()
    enqueue("outbox.deliver")
    return case


def record_outcome(
    case: CprCase,
    outcome: str,
    *,
    note: str | None,
    actor: str,
    actor_user_id: int | None = None,
    today: date | None = None,
) -> CprCase:
    """Accepted or declined; an acceptance after the deadline is refused (the offer expired)."""
    today = today or date.today()
    if outcome not in ("accepted", "declined"):
        raise CprError(f"Unknown outcome {outcome!r}; record accepted or declined.")
    if case.status != "offered":
        raise CprError(f"No open offer to record an outcome for (the case is {case.status}).")
    if outcome == "accepted" and case.offer_deadline is not None and today > case.offer_deadline:
        raise CprError(
            f"The offer expired on {case.offer_deadline.isoformat()}; it can no longer be accepted."
        )
    case.status, case.outcome_at, case.outcome_note = outcome, utcnow(), (note or "").strip() or None
    if outcome == "accepted" and case.customer.returned_at is None:
        case.customer.returned_at = today
    audit.record(
        "cpr.outcome",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="cpr_case",
        target_id=case.id,
        outcome=outcome,
    )
    db.session.commit()
    return case


def expire_offers(today: date | None = None) -> int:
    """Mark offers past their deadline with no outcome as expired; returns how many."""
    today = today or date.today()
    cases = list(
        db.session.scalars(select(CprCase).where(CprCase.status == "offered", CprCase.offer_deadline < today))
    )
    for case in cases:
        case.status, case.outcome_at = "expired", utcnow()
        audit.record("cpr.outcome", target_type="cpr_case", target_id=case.id, outcome="expired")
    db.session.commit()
    return len(cases)


@job("cpr.expire_offers")
def expire_offers_job() -> dict[str, Any]:
    """The periodic enforcement of CPR deadlines (``BEAT_EXPIRE_OFFERS_SECONDS``)."""
    return {"expired": expire_offers()}
