"""Closing the loop: tell the former customers who gave a reason that it was fixed.

When an action item is shipped, its recipients are the customers whose answer's current main
theme is the item's theme (themes merged into it included; a theme a re-run no longer finds is
followed to the one theme its answers moved to), or, for an item about a whole root
cause, whose main theme has that root cause, and who may be contacted: their newest answer's
``contact_ok`` (whichever answer is about the theme) is "yes" (or, without one, the imported
contact consent), and they have not opted out, bounced or been erased. A person stored as two
customer rows with the same address (any case) is one recipient: their newest answer, of either
row, decides, the email goes as that row, and an email to either row counts as told for both.

A person who never answered a survey (under any of their rows) but whom the themes page counts
under the item's theme through a support ticket or an exit interview (``metrics.counted_themes``)
gave that reason too: they are told when the consent imported with them allows contact, the rule
:func:`~feedback_app.services.responses.answers.contact_refusal` applies to anyone without a
survey's ``contact_ok`` answer (and a win-back campaign to customers who never answered). Those
without that consent are not written to; :func:`not_reached_for_consent` counts them for the page.
Each gets one ``we_fixed_it`` outbox email
(the text staff wrote for the item, see :mod:`feedback_app.services.close_loop_email`, in the
customer's language when it is the default text),
keyed ``we_fixed_it:<item id>:<customer id>`` so a second send never writes twice; the
outbox's delivery service sends it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback_app.database import hold_row
from feedback_app.extensions import db
from feedback_app.jobs import enqueue
from feedback_app.models import (
    ActionItem,
    Conversation,
    DepartedCustomer,
    Invitation,
    OutboxEmail,
    Response,
    Theme,
    utcnow,
)
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.accounts import audit
from feedback_app.services.actions import close_loop_email, close_loop_links
from feedback_app.services.insights import assignment, metrics
from feedback_app.services.outreach import emails, outbox
from feedback_app.services.outreach.follow_up_language import FALLBACK, language_name, languages_for
from feedback_app.services.outreach.people import addresses_of, person_key
from feedback_app.services.outreach.suppression import opted_out_addresses, opted_out_as_another_row
from feedback_app.services.responses.answers import contact_refusal, may_contact
from feedback_app.services.responses.latest import newest_key


class CloseLoopError(ValueError):
    """The loop cannot be closed for this item (not shipped, no theme)."""


@dataclass
class Recipient:
    customer: DepartedCustomer
    #: Their answer about the item's theme; None for someone heard only in a ticket or interview.
    response: Response | None
    already_sent: bool
    #: The language this customer reads the email in (a code such as ``de``).
    language: str = FALLBACK

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def idempotency_key(item: ActionItem, customer: DepartedCustomer) -> str:
    return f"we_fixed_it:{item.id}:{customer.id}"


def _target(item: ActionItem) -> Theme | None:
    """The item's theme now: merges followed, and a theme a re-run no longer finds to the one theme
    its answers moved to (None for an item about a whole root cause)."""
    return assignment.theme_fate(item.theme).followed if item.theme is not None else None


def _about(item: ActionItem, target: Theme | None, theme: Theme) -> bool:
    """Whether a reason in ``theme`` is one this item fixed."""
    return theme.id == target.id if target is not None else theme.category == item.cause_key


def _heard_outside_survey(item: ActionItem, target: Theme | None) -> dict[str, DepartedCustomer]:
    """People who never answered a survey (as any of their customer rows) whom the themes page
    counts under the item's theme or root cause through a support ticket or an exit interview
    (``metrics.counted_themes``), each as the newest of their rows counted there."""
    answered = (
        select(Invitation.customer_id)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id.is_not(None))  # NOT IN over a NULL would match nothing
    )
    answered_people = {
        person_key(row)
        for row in db.session.execute(
            select(DepartedCustomer.id, DepartedCustomer.email).where(DepartedCustomer.id.in_(answered))
        )
    }
    counted = metrics.counted_themes(
        select(Conversation.customer_id).where(Conversation.customer_id.not_in(answered))
    )
    ids = [customer_id for customer_id, theme in counted.items() if _about(item, target, theme)]
    people: dict[str, DepartedCustomer] = {}
    for customer in db.session.scalars(
        select(DepartedCustomer).where(DepartedCustomer.id.in_(ids)).order_by(DepartedCustomer.id)
    ):
        key = person_key(customer)
        if key not in answered_people:
            people[key] = customer  # by id: the newest row stays
    return people


def not_reached_for_consent(item: ActionItem) -> int:
    """How many people the themes page counts under the item's theme (or root cause) through a
    support ticket or an exit interview alone are not written to because they never answered a
    survey and no contact consent came with their import: the page says so, so that its count of
    recipients beside the theme's customers is no surprise."""
    if item.theme is None and not item.cause_key:
        return 0
    people = _heard_outside_survey(item, _target(item))
    return sum(1 for customer in people.values() if contact_refusal(customer, None) == "no_consent")


def recipients(item: ActionItem) -> list[Recipient]:
    """Who would get the email for this item, one entry per person (one address, any case)."""
    if item.theme is None and not item.cause_key:
        return []
    target = _target(item)
    rows = list(
        db.session.execute(
            select(Response, DepartedCustomer)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
            .order_by(DepartedCustomer.id)
        )
    )
    themes = assignment.current_assignments([r.id for r, _ in rows])
    sent = set(
        db.session.scalars(
            select(OutboxEmail.customer_id).where(
                OutboxEmail.action_item_id == item.id, OutboxEmail.kind == "we_fixed_it"
            )
        )
    )
    # One email per person: rows with the same address (a CSV row beside the billing provider's)
    # are one person, whose newest answer's contact wish counts, whichever answer (of whichever
    # row) is about the item's theme; the email goes as the row that gave that newest answer.
    newest: dict[str, tuple[Response, DepartedCustomer]] = {}
    about: dict[str, Response] = {}  # person -> their first answer about the item's theme
    for response, customer in rows:
        key = person_key(customer)
        known = newest.get(key)
        if known is None or newest_key(response.submitted_at, response.id) > newest_key(
            known[0].submitted_at, known[0].id
        ):
            newest[key] = (response, customer)
        theme = themes.get(response.id)
        if theme is None or key in about or not _about(item, target, theme):
            continue
        about[key] = response
    # told: an email about this item went to one of the person's rows (or to their address)
    told = addresses_of(cid for cid in sent if cid is not None)
    chosen: dict[int, Recipient] = {}
    opted_out = opted_out_addresses()  # the person's opt-out, given as any of their customer rows
    for key, response in about.items():
        latest, customer = newest[key]
        if may_contact(customer, latest.answers) and not opted_out_as_another_row(customer.email, opted_out):
            chosen[customer.id] = Recipient(customer, response, customer.id in sent or key in told)
    # heard only in a ticket or an interview: no survey answer, so the imported consent decides
    for key, customer in _heard_outside_survey(item, target).items():
        if may_contact(customer, None) and not opted_out_as_another_row(customer.email, opted_out):
            chosen[customer.id] = Recipient(customer, None, customer.id in sent or key in told)
    languages = languages_for([person.customer for person in chosen.values()])
    for person in chosen.values():
        person.language = languages[person.customer.id]
    return sorted(chosen.values(), key=lambda person: person.customer.id)


def recipients_page(
    people: list[Recipient], page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[Recipient], Pagination]:
    """One page of ``people`` (:func:`recipients`) for the close-the-loop page, in their order (by
    customer id, so the first is the one the preview shows), with the page's numbers: a theme
    many customers gave lists thousands, and the counts above the list already say how many."""
    by_id = {person.customer.id: person for person in people}
    listing = paginate(
        select(DepartedCustomer).where(DepartedCustomer.id.in_(list(by_id))).order_by(DepartedCustomer.id),
        page,
        per_page,
    )
    return [by_id[customer.id] for customer in listing.items], listing


def render(item: ActionItem, person: Recipient) -> tuple[str, str, str]:
    """Subject, text body and HTML body of the email for one customer, in their language, with
    their opt-out link."""
    message = close_loop_email.render(
        item,
        first_name=person.customer.first_name,
        opt_out_url=close_loop_links.opt_out_url(person.customer),
        language=person.language,
    )
    return message.subject, message.text, message.html


def preview(item: ActionItem) -> tuple[list[Recipient], close_loop_email.Message]:
    """The recipients and the email the first of them would get, in their language (a sample
    customer without any)."""
    people = recipients(item)
    if not people:
        return people, close_loop_email.render(item, first_name="Alex")
    first = people[0]
    return people, close_loop_email.render(
        item, first_name=first.customer.first_name, language=first.language
    )


def send_test(item: ActionItem, *, to: str, actor: str, actor_user_id: int | None = None) -> None:
    """Send the email as the first recipient would get it to a staff address, marked as a test."""
    _, message = preview(item)
    outbox.queue_email(
        kind="we_fixed_it",
        idempotency_key=f"we_fixed_it_test:{item.id}:{secrets.token_hex(8)}",
        recipient=to,
        subject=f"[Test] {message.subject}"[:300],
        body_text=message.text,
        body_html=message.html,
        headers={"X-Afterword-Kind": "we_fixed_it_test"},
    )
    audit.record(
        "action.close_loop_test",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
        to=to,
    )
    db.session.commit()
    _deliver()


def send(item: ActionItem, *, actor: str, actor_user_id: int | None = None) -> int:
    """Queue one email per recipient not emailed yet; returns how many were queued."""
    if item.status != "shipped":
        raise CloseLoopError("Mark the item shipped before telling customers it is fixed.")
    if item.theme is None and not item.cause_key:
        raise CloseLoopError("This item has no theme or root cause, so there is no one to tell.")
    problem = close_loop_email.ready(item)
    if problem:
        raise CloseLoopError(problem)
    _hold(item)
    queued = 0
    for person in recipients(item):
        key = idempotency_key(item, person.customer)
        if (
            person.already_sent
            or not person.customer.email  # recipients() keeps only customers with an address
            or db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key))
        ):
            continue
        subject, text, html = render(item, person)
        outbox.queue_email(
            kind="we_fixed_it",
            idempotency_key=key,
            recipient=person.customer.email,
            subject=subject,
            body_text=text,
            body_html=html,
            headers={
                "X-Afterword-Kind": "we_fixed_it",
                **emails.opt_out_headers(close_loop_links.opt_out_url(person.customer)),
            },
            customer_id=person.customer.id,
            action_item_id=item.id,
        )
        queued += 1
    item.loop_closed_at = item.loop_closed_at or utcnow()
    audit.record(
        "action.close_loop",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
        queued=queued,
    )
    try:
        db.session.commit()
    except IntegrityError:  # another send for the same item won the race; its emails stand
        db.session.rollback()
        raise CloseLoopError(
            "These emails are already being sent by another request; reload the page."
        ) from None
    _deliver()
    return queued


def _hold(item: ActionItem) -> None:
    """Make sends of this item one at a time until the caller commits (``hold_row``): a second click
    or a booked send at the same moment waits, then reads who was told and queues only the rest.
    Without it both queued the same emails and the second failed on the first's rows."""
    hold_row(ActionItem.loop_closed_at, item.id)
    db.session.refresh(item)


def _deliver() -> None:
    """Hand the queued emails to the outbox's delivery job (inline in tests and the CLI)."""
    enqueue("outbox.deliver")
