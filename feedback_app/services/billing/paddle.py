"""Paddle Billing's subscription events: signature check and mapping to a departure or a return.

Paddle signs each webhook with the notification destination's secret key: the
``Paddle-Signature`` header is ``ts=<unix time>;h1=<hex>``, where ``h1`` is HMAC-SHA256 of
``"{ts}:{raw body}"`` (several ``h1`` during a secret rotation). A timestamp outside the
tolerance window (Paddle's SDKs allow 5 seconds; ``PADDLE_TOLERANCE_SECONDS``) is refused so a
captured request cannot be replayed, and the event's ``event_id`` is stored once. The event is
``{"event_id", "event_type", "occurred_at", "data": <subscription>}``, amounts in minor units as
strings. Paddle's subscription carries no cancellation reason; ``custom_data`` may name one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from feedback_app.services.billing.events import (
    Departure,
    Return,
    as_object,
    currency_code,
    read_from,
    return_email,
)
from feedback_app.services.billing.signatures import Scheme
from feedback_app.services.customers.records import FIELDS, FieldError, parse_record
from feedback_app.services.validation.text_input import clean_text

SOURCE = "paddle"
DEPARTURE_EVENTS = ("subscription.canceled",)
RETURN_EVENTS = ("subscription.activated", "subscription.resumed", "subscription.created")
_MONTHS_PER_INTERVAL = {
    "day": Decimal(12) / Decimal(365),
    "week": Decimal(12) / Decimal(52),
    "month": Decimal(1),
    "year": Decimal(12),
}
#: Keys of ``custom_data`` read as the reason code and the customer's words.
REASON_KEYS = ("cancellation_reason", "cancel_reason")
COMMENT_KEYS = ("cancellation_comment", "cancel_comment")
#: Where in a subscription event the fields every departure needs are read.
READ_FROM = {"external_id": "data.customer_id", "left_at": "data.canceled_at or occurred_at"}


SIGNATURE = Scheme(
    header="Paddle-Signature",
    separator=";",
    timestamp_key="ts",
    signature_key="h1",
    joiner=b":",
    secret_name="the notification destination's secret key",
)
sign = SIGNATURE.sign
verify_signature = SIGNATURE.verify


def _moment(value: Any) -> datetime | None:
    """An RFC 3339 time as Paddle writes it (``2024-04-12T10:37:59.556997Z``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _monthly_revenue(subscription: dict[str, Any]) -> str | None:
    total, found = Decimal(0), False
    items = subscription.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("price"), dict):
            continue
        price = item["price"]
        cycle = as_object(price.get("billing_cycle"))
        unit_price = as_object(price.get("unit_price"))
        quantity, frequency = item.get("quantity", 1), cycle.get("frequency", 1)
        try:
            amount = Decimal(str(unit_price.get("amount")))
        except InvalidOperation:
            continue
        if (
            not amount.is_finite()
            or amount < 0
            or cycle.get("interval") not in _MONTHS_PER_INTERVAL
            or not isinstance(quantity, int)
            or not isinstance(frequency, int)
            or frequency < 1
            or quantity < 0
        ):
            continue
        total += amount * quantity / (_MONTHS_PER_INTERVAL[cycle["interval"]] * frequency)
        found = True
    return str((total / 100).quantize(Decimal("0.01"))) if found else None


def _plan(subscription: dict[str, Any]) -> str | None:
    items = subscription.get("items")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        price = as_object(items[0].get("price"))
        product = as_object(items[0].get("product"))
        for value in (product.get("name"), price.get("name"), price.get("id")):
            if isinstance(value, str) and value.strip():
                return value
    return None


def _first_text(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((data[k] for k in keys if isinstance(data.get(k), str) and data[k].strip()), None)


def departure_from_event(event: dict[str, Any]) -> tuple[Departure | None, list[FieldError]]:
    """The departed customer of a ``subscription.canceled`` event."""
    subscription = event.get("data")
    if not isinstance(subscription, dict):
        return None, [FieldError("data", "the event has no subscription object")]
    custom = subscription.get("custom_data")
    if custom is not None and not isinstance(custom, dict):
        return None, [FieldError("data.custom_data", "must be an object")]
    custom = custom or {}
    canceled = _moment(subscription.get("canceled_at")) or _moment(event.get("occurred_at"))
    started = _moment(subscription.get("started_at"))
    raw: dict[str, Any] = {
        "external_id": subscription.get("customer_id"),
        "left_at": canceled.date().isoformat() if canceled else None,
        "plan": _plan(subscription),
        "monthly_revenue": _monthly_revenue(subscription),
        "tenure_months": (
            int((canceled - started).total_seconds() // (86400 * 30.44))
            if canceled and started and canceled >= started
            else None
        ),
        "churn_type": "voluntary",
    }
    raw.update({k: v for k, v in custom.items() if k in FIELDS and k != "external_id"})
    record, errors = parse_record(
        {k: v for k, v in raw.items() if v is not None},
        source=SOURCE,
        required=("external_id", "left_at"),
        days_ahead=None,
    )
    if record is None:
        return None, read_from(errors, READ_FROM, custom)
    return Departure(
        record,
        reason_code=_first_text(custom, REASON_KEYS),
        comment=_first_text(custom, COMMENT_KEYS),
        left_at=canceled,
        currency=None if "monthly_revenue" in custom else currency_code(subscription.get("currency_code")),
    ), []


def return_from_event(event: dict[str, Any]) -> tuple[Return | None, str]:
    """The return of a ``subscription.activated`` / ``subscription.resumed`` event, or an active
    ``subscription.created`` one (a return, or a new customer in the active counts)."""
    subscription = as_object(event.get("data"))
    if event.get("event_type") == "subscription.created" and subscription.get("status") != "active":
        return None, "the new subscription is not active (a trial counts when it becomes active)"
    external_id = subscription.get("customer_id")
    moment = _moment(event.get("occurred_at"))
    if not isinstance(external_id, str) or not external_id.strip() or moment is None:
        return None, "the event names no customer or date"
    custom = as_object(subscription.get("custom_data"))
    return Return(
        SOURCE,
        clean_text(external_id, multiline=False).strip()[:128],
        moment.date(),
        email=return_email(custom.get("email")),
    ), ""
