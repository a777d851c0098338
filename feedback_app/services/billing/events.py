"""Applying a billing provider's event once: a departure (with the customer's reason) or a return.

Every provider maps its payload to a :class:`Departure` or a :class:`Return`; this module does
the rest the same way for all of them. The event id is stored in the same transaction as its
effect, so a redelivered event (providers retry until they get a 2xx) changes nothing, even
when two deliveries race.

Providers do not promise order either, and retry a failed delivery for days: a cancellation
dated before the departure already stored for the customer, or on its day but at an earlier time
than the provider's event stored with it (``left_at_time``), is a late, older event. It never
moves ``left_at`` back, clears a return, replaces the newer cancellation's reason, announces the
departure again or invites anyone; it only fills fields still empty (:func:`_older_fills_gaps`).
The departures API and a CSV import are different: there a person sends the data on purpose, and
an earlier ``left_at`` corrects the stored one (``services/customers/store.py``); they give only a
day, so a departure they stored is ordered by its day alone.

The dashboard adds amounts up as one currency, so a departure whose provider amounts are in
another currency than the installation's (``BILLING_CURRENCY``, else the currency of the first
billing event that brought amounts) is recorded without them, saying so in the response and the
audit event (:func:`_in_one_currency`), as a CSV import rejects such a row.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import BillingEvent, DepartedCustomer, EarlyReturn
from feedback_app.services.accounts import audit
from feedback_app.services.billing import feedback, movements
from feedback_app.services.customers import store as customer_service
from feedback_app.services.customers.records import CustomerRecord, FieldError
from feedback_app.services.customers.store import UpsertResult
from feedback_app.services.integrations import webhooks
from feedback_app.services.outreach import invitations
from feedback_app.services.responses.submission import after_response_submitted
from feedback_app.services.validation.text_input import clean_text

#: Where each provider's event can carry the customer's email, for a departure that came without one.
EMAIL_HINTS = {
    "stripe": "Stripe's subscription events carry no email: add it to the subscription's metadata as email",
    "paddle": "Paddle's subscription events carry no email: add it to the subscription's custom_data as email",
    "chargebee": "set the customer's email in Chargebee (or meta_data email)",
}
#: Where a return event can carry the email that finds a customer stored from another source.
RETURN_EMAIL_HINTS = {
    "stripe": "expand the subscription's customer or add email to its metadata",
    "paddle": "add email to the subscription's custom_data",
    "chargebee": "set the customer's email in Chargebee",
}
#: Where a departure can carry its monthly revenue already converted to the installation's currency.
AMOUNT_HINTS = {
    "stripe": "the subscription's metadata",
    "paddle": "the subscription's custom_data",
    "chargebee": "the subscription's meta_data",
}
_CURRENCY_CODE = re.compile(r"[A-Za-z]{3}")


@dataclass(frozen=True)
class Departure:
    """A customer who cancelled, with the reason code and words the provider collected (if any)."""

    record: CustomerRecord
    reason_code: str | None = None
    comment: str | None = None
    left_at: datetime | None = None
    #: The currency (ISO 4217, upper case) of the amounts read from the provider's own fields (its
    #: prices); None when the event names none or the business's metadata gave the amounts.
    currency: str | None = None


def currency_code(value: Any) -> str | None:
    """A provider's currency code (``usd``, ``EUR``) in upper case; None when it is not three letters."""
    if not isinstance(value, str) or not _CURRENCY_CODE.fullmatch(value.strip()):
        return None
    return value.strip().upper()


@dataclass(frozen=True)
class Return:
    """A customer whose subscription is active again on ``day``; ``email`` when the event carries one
    (it finds the same person stored from another source, e.g. a CSV import, see :func:`_by_email`)."""

    source: str
    external_id: str
    day: date
    email: str | None = None


@dataclass
class Processed:
    """What an event did: ``status`` is created/updated/unchanged/returned/ignored/duplicate."""

    status: str
    message: str = ""
    result: UpsertResult | None = None
    customer_id: int | None = None
    response_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: A cancellation older than the stored departure: it announces nothing and invites nobody.
    late: bool = False

    def departed(self, change: Departure | Return | None) -> bool:
        """Whether this event recorded a departure to announce (webhook, auto-invite)."""
        return isinstance(change, Departure) and self.status in ("created", "updated") and not self.late


def as_object(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (payload fields may hold anything)."""
    return value if isinstance(value, dict) else {}


def read_from(
    problems: list[FieldError], paths: dict[str, str], overridden: dict[str, Any]
) -> list[FieldError]:
    """Each problem with a field the mapping reads from the event, saying where it reads it: an
    integrator sees "external_id: is required" on a Stripe event, which has no such name. A field
    the business's own metadata (``overridden``) gave is left as it is: that is where it came from."""
    return [
        FieldError(p.field, f"{p.message} (read from the event's {paths[p.field]})")
        if p.field in paths and p.field not in overridden
        else p
        for p in problems
    ]


def return_email(value: Any) -> str | None:
    """A return event's email address, trimmed, or None when it carries none that reads as one."""
    if not isinstance(value, str):
        return None
    address = clean_text(value, multiline=False).strip()
    return address[:320] if "@" in address else None


def clean_event_id(value: Any) -> str | None:
    """The provider's event id as stored (single line, at most 128 characters); None when missing."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = clean_text(str(value), multiline=False).strip()
    return text[:128] or None


def installation_currency() -> tuple[str, str] | None:
    """The currency amounts are added up in and where it comes from: ``BILLING_CURRENCY``, else
    the first billing event that added amounts (as a CSV file's first row sets the file's)."""
    configured = currency_code(current_app.config.get("BILLING_CURRENCY") or "")
    if configured:
        return configured, "BILLING_CURRENCY"
    first = db.session.execute(
        select(BillingEvent.currency, BillingEvent.provider, BillingEvent.event_id)
        .where(BillingEvent.currency.is_not(None))
        .order_by(BillingEvent.id)
        .limit(1)
    ).first()
    if first is None:
        return None
    return first.currency, f"from the first billing event with amounts, {first.provider} {first.event_id}"


@dataclass(frozen=True)
class Currencies:
    """What :func:`_in_one_currency` decided: the departure to apply, the currency its amounts are
    counted in (stored with the event), and why its amounts were left out (None when they were not)."""

    departure: Departure
    counted: str | None = None
    left_out: str | None = None


def _in_one_currency(provider: str, departure: Departure) -> Currencies:
    """The departure without its provider amounts when they are in another currency than the
    installation's: recorded (the customer is still surveyed), but never added to revenue lost."""
    record = departure.record
    if departure.currency is None or not record.monthly_revenue_cents:
        return Currencies(departure)
    installation = installation_currency()
    if installation is None or installation[0] == departure.currency:
        return Currencies(departure, counted=departure.currency)
    code, origin = installation
    without = dataclasses.replace(
        record, monthly_revenue_cents=None, provided=record.provided - {"monthly_revenue_cents"}
    )
    return Currencies(
        dataclasses.replace(departure, record=without),
        left_out=(
            f"amounts in {departure.currency}, but this installation's amounts are in {code} ({origin}); "
            "the dashboard adds amounts up in one currency, so the departure is recorded without its "
            f"monthly revenue: send monthly_revenue in {code} in {AMOUNT_HINTS.get(provider, 'the event')}"
        ),
    )


def _seen(provider: str, event_id: str) -> bool:
    return (
        db.session.scalar(
            select(BillingEvent.id).where(
                BillingEvent.provider == provider, BillingEvent.event_id == event_id
            )
        )
        is not None
    )


def _without_stale_return(record: CustomerRecord) -> CustomerRecord:
    """A customer who returned and has now left again is no longer 'returned'."""
    row = db.session.execute(
        select(DepartedCustomer.returned_at).where(
            DepartedCustomer.source == record.source, DepartedCustomer.external_id == record.external_id
        )
    ).first()
    if row is None or row.returned_at is None or record.left_at is None or row.returned_at > record.left_at:
        return record
    return dataclasses.replace(record, returned_at=None, provided=record.provided | {"returned_at"})


def _early_return_day(record: CustomerRecord) -> date | None:
    """The day of a return this provider delivered before this cancellation, on or after the day
    the customer left (an :class:`EarlyReturn`); None when there is none."""
    if record.left_at is None or record.returned_at is not None:
        return None
    return db.session.scalar(
        select(func.max(EarlyReturn.day)).where(
            EarlyReturn.provider == record.source,
            EarlyReturn.external_id == record.external_id,
            EarlyReturn.day >= record.left_at,
        )
    )


#: Columns a late, older cancellation never sets, even where empty: they belong to the newer one.
_DEPARTURE_COLUMNS = frozenset({"left_at", "returned_at"})


def _stored_departure(record: CustomerRecord) -> DepartedCustomer | None:
    return db.session.scalar(
        select(DepartedCustomer).where(
            DepartedCustomer.source == record.source, DepartedCustomer.external_id == record.external_id
        )
    )


def _older_fills_gaps(record: CustomerRecord, stored: DepartedCustomer) -> CustomerRecord:
    """A late, older cancellation limited to the fields the stored customer lacks (an email or a
    company the newer event did not carry): its data is older, so it overwrites nothing."""
    gaps = {
        column
        for column in record.provided - _DEPARTURE_COLUMNS
        if getattr(stored, column) is None and getattr(record, column) is not None
    }
    return dataclasses.replace(record, provided=frozenset(gaps))


def _time_of(departure: Departure) -> datetime | None:
    """The provider's time of the cancellation, when it falls on the departure's day (a business's
    metadata may set another ``left_at``, and then the time says nothing about that day)."""
    moment, day = departure.left_at, departure.record.left_at
    return moment if moment is not None and day is not None and moment.astimezone(UTC).date() == day else None


def _is_older(departure: Departure, stored: DepartedCustomer | None) -> bool:
    """Whether ``departure`` is older than the stored one: an earlier day, or the same day at an
    earlier time than the provider's event stored with it (a CSV or API departure has no time)."""
    day = departure.record.left_at
    if stored is None or day is None:
        return False
    if day != stored.left_at:
        return day < stored.left_at
    moment = _time_of(departure)
    return moment is not None and stored.left_at_time is not None and moment < stored.left_at_time


def _apply_late_departure(provider: str, departure: Departure, stored: DepartedCustomer) -> Processed:
    """A cancellation older than the stored departure (see the module docstring)."""
    erased = stored.erased_at is not None
    moment = _time_of(departure)
    if moment is not None and stored.left_at_time is not None and departure.record.left_at == stored.left_at:
        this, kept = moment.isoformat(), stored.left_at_time.isoformat()
    else:
        this, kept = str(departure.record.left_at), stored.left_at.isoformat()
    result = customer_service.upsert([_older_fills_gaps(departure.record, stored)])
    outcome = result.outcomes[0]
    processed = Processed(outcome.status, result=result, customer_id=outcome.id, late=True)
    processed.message = (
        f"this cancellation ({this}) is older than the departure "
        f"already stored ({kept}), which is kept; nobody is invited again"
    )
    if outcome.id is not None and not erased:
        processed.response_id = feedback.store(
            outcome.id,
            provider,
            departure.reason_code,
            departure.comment,
            departure.left_at,
            replace=False,
        )
    return processed


def _apply_departure(provider: str, departure: Departure) -> Processed:
    stored = _stored_departure(departure.record)
    if stored is not None and _is_older(departure, stored):
        return _apply_late_departure(provider, departure, stored)
    record = _without_stale_return(departure.record)
    left_again = record is not departure.record
    came_back = _early_return_day(record)
    if came_back is not None:  # the return arrived first: the customer left, and is back
        record = dataclasses.replace(
            record, returned_at=came_back, provided=record.provided | {"returned_at"}
        )
    result = customer_service.upsert([record])
    outcome = result.outcomes[0]
    processed = Processed(outcome.status, result=result, customer_id=outcome.id)
    if outcome.id is not None and record.left_at and (outcome.status == "created" or left_again):
        processed.details["movement"] = ("cancelled", record.external_id, record.left_at)
    row = db.session.execute(
        select(DepartedCustomer.email, DepartedCustomer.erased_at).where(DepartedCustomer.id == outcome.id)
    ).first()
    erased = row.erased_at if row is not None else None
    moment = _time_of(departure)
    if outcome.id is not None and erased is None and moment is not None:
        db.session.execute(
            update(DepartedCustomer).where(DepartedCustomer.id == outcome.id).values(left_at_time=moment)
        )
    if came_back is not None:
        processed.message = (
            f"returned on {came_back.isoformat()} (an event delivered before this cancellation), "
            "so not invited to the survey"
        )
    elif row is not None and erased is None and not (row.email or "").strip():
        processed.message = (
            "no email address came with this event, so the customer cannot be invited to the survey; "
            + EMAIL_HINTS.get(provider, "send it with the event")
        )
    if outcome.id is not None and erased is None:  # the id is None only in a dry run
        processed.response_id = feedback.store(
            outcome.id, provider, departure.reason_code, departure.comment, departure.left_at
        )
    return processed


def _by_email(change: Return, stored: str | None = None) -> list[DepartedCustomer]:
    """Departed customers stored from *another* source (a CSV import, the API, another provider)
    with the return's email address (in any case; else ``stored``, the address of the customer the
    return found by id) who left on or before the return's day and are not already back: the same
    person, who must not be asked why they left. A customer of the same provider under another id
    is another billing account, so it is left alone."""
    address = (change.email or stored or "").strip().lower()
    if not address or "@" not in address:
        return []
    query = select(DepartedCustomer).where(
        func.lower(DepartedCustomer.email) == address,
        DepartedCustomer.source != change.source,
        DepartedCustomer.erased_at.is_(None),
        DepartedCustomer.left_at <= change.day,
        or_(DepartedCustomer.returned_at.is_(None), DepartedCustomer.returned_at < DepartedCustomer.left_at),
    )
    return list(db.session.scalars(query.order_by(DepartedCustomer.id)))


def _apply_return(event_id: str, change: Return) -> Processed:
    customer = db.session.scalar(
        select(DepartedCustomer).where(
            DepartedCustomer.source == change.source, DepartedCustomer.external_id == change.external_id
        )
    )
    if customer is None:  # kept: its cancellation may come later (see EarlyReturn)
        db.session.add(
            EarlyReturn(
                provider=change.source, event_id=event_id, external_id=change.external_id, day=change.day
            )
        )
        same_person = _by_email(change)
        if same_person:
            for match in same_person:
                match.returned_at = change.day
            names = ", ".join(f"{c.id} ({c.source} {c.external_id!r})" for c in same_person)
            return Processed(
                "returned",
                f"no departed customer {change.external_id!r} from {change.source}; marked as returned on "
                f"{change.day.isoformat()} by email address: departed customer {names}",
                customer_id=same_person[0].id,
                details={
                    # a departed customer came back: a return in the active counts too
                    "movement": ("returned", change.external_id, change.day),
                    "matched_by_email": [c.id for c in same_person],
                },
            )
        return Processed(
            "ignored",
            f"no departed customer {change.external_id!r} from {change.source}; nothing to mark as returned"
            + (
                ""
                if change.email
                else f" (a customer imported from a file is found by email address: {RETURN_EMAIL_HINTS[change.source]})"
            ),
            details={"movement": ("new", change.external_id, change.day)},
        )
    if change.day < customer.left_at:
        return Processed(
            "ignored",
            f"the subscription was active on {change.day.isoformat()}, before the "
            f"customer left on {customer.left_at.isoformat()}",
            customer_id=customer.id,
        )
    if customer.returned_at is not None and customer.returned_at >= customer.left_at:
        return Processed("unchanged", "already marked as returned", customer_id=customer.id)
    customer.returned_at = change.day
    details: dict[str, Any] = {"movement": ("returned", change.external_id, change.day)}
    message = f"returned on {change.day.isoformat()}"
    # the same person stored from another source too (the CSV export of the same cancellation)
    same_person = _by_email(change, customer.email)
    if same_person:
        for match in same_person:
            match.returned_at = change.day
        details["matched_by_email"] = [c.id for c in same_person]
        message += "; also marked as returned by email address: departed customer " + ", ".join(
            f"{c.id} ({c.source} {c.external_id!r})" for c in same_person
        )
    return Processed("returned", message, customer_id=customer.id, details=details)


def process(
    provider: str, event_id: str, event_type: str, change: Departure | Return | None, ignored: str = ""
) -> Processed:
    """Apply ``change`` once per (provider, event id) and commit; ``change`` None records an ignored event."""
    for attempt in (1, 2):
        if _seen(provider, event_id):
            return Processed("duplicate", f"event {event_id} was already processed; nothing changed")
        if isinstance(change, Departure) and (change.reason_code or change.comment):
            feedback.ensure_survey()  # commits on first use, so before the event's own transaction
        try:
            currencies = None
            applied = change
            if change is None:
                processed = Processed("ignored", ignored)
            elif isinstance(change, Departure):
                currencies = _in_one_currency(provider, change)
                applied = currencies.departure
                processed = _apply_departure(provider, currencies.departure)
                if currencies.left_out:
                    processed.message = "; ".join(filter(None, (processed.message, currencies.left_out)))
                    processed.details["amounts_left_out"] = currencies.left_out
            else:
                processed = _apply_return(event_id, change)
            _emit(provider, event_id, applied, processed)
            _count(provider, event_id, event_type, processed)
            outcome = processed.status + (f": {processed.message}" if processed.message else "")
            db.session.add(
                BillingEvent(
                    provider=provider,
                    event_id=event_id,
                    event_type=event_type[:64],
                    outcome=outcome[:200],
                    currency=currencies.counted if currencies is not None else None,
                )
            )
            audit.record(
                f"customers.{provider}_event",
                actor=provider,
                target_type="departed_customer",
                target_id=processed.customer_id,
                event_id=event_id,
                event_type=event_type[:64],
                status=processed.status,
                feedback_response_id=processed.response_id,
                **{
                    name: processed.details[name]
                    for name in ("matched_by_email", "amounts_left_out")
                    if name in processed.details
                },
            )
            db.session.commit()
            break
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    webhooks.kick()
    if processed.response_id is not None:
        after_response_submitted(processed.response_id)
    if processed.departed(change):
        invitations.kick_auto_invite()
    return processed


def _count(provider: str, event_id: str, event_type: str, processed: Processed) -> None:
    """The event's movement for active counts (movements.py); 'new' only for a subscription start."""
    movement = processed.details.get("movement")
    if movement is None or (movement[0] == "new" and event_type not in movements.NEW_SUBSCRIPTION_EVENTS):
        return
    kind, external_id, day = movement
    movements.record(provider, event_id, external_id, kind, day)
    if kind == "new":
        processed.message = "a new subscription: counted as a new customer in the monthly active counts" + (
            f"; {processed.message}" if processed.message else ""
        )


def _emit(provider: str, event_id: str, change: Departure | Return | None, processed: Processed) -> None:
    """``customer.departed`` / ``customer.returned`` in the event's own transaction."""
    if processed.customer_id is None:
        return
    data = {"customer_id": processed.customer_id, "source": provider, "billing_event_id": event_id}
    if isinstance(change, Departure) and processed.departed(change):
        data |= {
            "external_id": change.record.external_id,
            "left_at": change.record.left_at.isoformat() if change.record.left_at else None,
            "monthly_revenue_cents": change.record.monthly_revenue_cents,
            "reason": feedback.mapped_reason(change.reason_code),
        }
        webhooks.emit("customer.departed", f"{provider}:{event_id}", data)
    elif isinstance(change, Return) and processed.status == "returned":
        matched = processed.details.get("matched_by_email") or []
        if processed.customer_id not in matched:  # the provider's own customer, found by id
            webhooks.emit(
                "customer.returned",
                f"{provider}:{event_id}",
                data | {"external_id": change.external_id, "returned_at": change.day.isoformat()},
            )
        if not matched:
            return
        for customer in db.session.scalars(select(DepartedCustomer).where(DepartedCustomer.id.in_(matched))):
            webhooks.emit(  # one per customer marked, each under its own source and id
                "customer.returned",
                f"{provider}:{event_id}:{customer.id}",
                data
                | {
                    "customer_id": customer.id,
                    "source": customer.source,
                    "external_id": customer.external_id,
                    "returned_at": change.day.isoformat(),
                    "matched_by_email": True,
                },
            )
