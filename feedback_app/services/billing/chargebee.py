"""Chargebee's subscription events: Basic-auth check and mapping to a departure or a return.

Chargebee authenticates webhooks with HTTP Basic auth: the endpoint's URL is configured with a
username and password in Chargebee (Settings → Webhooks → "Protect webhook URL with basic
authentication"), and each POST carries them. Chargebee signs nothing and retries failed
deliveries for days, so there is no timestamp window; a replay is caught by the event ``id``
(``ev_...``), stored once per event. The event is ``{"id", "occurred_at", "event_type",
"content": {"subscription": {...}, "customer": {...}}}``, amounts in the currency's minor unit.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from feedback_app.services.billing.events import (
    Departure,
    Return,
    as_object,
    currency_code,
    read_from,
    return_email,
)
from feedback_app.services.customers.records import FIELDS, FieldError, parse_record, provider_phone
from feedback_app.services.validation.text_input import clean_text

SOURCE = "chargebee"
DEPARTURE_EVENTS = ("subscription_cancelled",)
RETURN_EVENTS = ("subscription_reactivated", "subscription_resumed", "subscription_created")
#: Where in a subscription event the fields every departure needs are read.
READ_FROM = {
    "external_id": "content.subscription.customer_id or content.customer.id",
    "left_at": "content.subscription.cancelled_at or occurred_at",
}
_ACTIVE = ("active", "non_renewing")
#: ``cancel_reason`` values Chargebee sets when it cancels for non-payment or compliance.
_INVOLUNTARY = {
    "not_paid",
    "no_card",
    "fraud_review_failed",
    "non_compliant_eu_customer",
    "tax_calculation_failed",
    "currency_incompatible_with_gateway",
    "non_compliant_customer",
}
_MONTHS_PER_UNIT = {
    "day": Decimal(12) / Decimal(365),
    "week": Decimal(12) / Decimal(52),
    "month": Decimal(1),
    "year": Decimal(12),
}
_LAST_UNIX_TIME = 253402300799
#: Keys of the subscription's or customer's ``meta_data`` read as the customer's own words.
NOTE_KEYS = ("cancel_notes", "cancellation_notes", "cancel_comment")


class AuthError(ValueError):
    """The request does not carry the configured Basic-auth credentials."""


def basic_header(username: str, password: str) -> str:
    """The ``Authorization`` header Chargebee sends (also used by tests and tools)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def check_auth(header: str | None, username: str, password: str) -> None:
    """Raise ``AuthError`` unless ``header`` is Basic auth with exactly these credentials."""
    if not header:
        raise AuthError(
            "The Authorization header is missing; configure the webhook's basic authentication in Chargebee."
        )
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        raise AuthError("The Authorization header is not Basic authentication.")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise AuthError("The Basic credentials are not valid base64 of 'username:password'.") from None
    user, sep, secret = decoded.partition(":")
    ok_user = hmac.compare_digest(user.encode(), username.encode())
    ok_password = hmac.compare_digest(secret.encode(), password.encode())
    if not sep or not (ok_user and ok_password):
        raise AuthError("The username or password does not match the webhook's configured credentials.")


def _object(value: Any, path: str, problems: list[FieldError]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(FieldError(path, "must be an object"))
        return {}
    return value


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _moment(unix: Any) -> datetime | None:
    seconds = _whole(unix, 0, _LAST_UNIX_TIME)
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)


def _monthly_revenue(subscription: dict[str, Any]) -> str | None:
    """``mrr`` when Chargebee computed it, else the plan's amount over its billing period."""
    mrr = _whole(subscription.get("mrr"), 0, 10**12)
    if mrr:
        return str((Decimal(mrr) / 100).quantize(Decimal("0.01")))
    unit = subscription.get("billing_period_unit")
    period = _whole(subscription.get("billing_period") or 1, 1, 1000)
    items = subscription.get("subscription_items")
    found = (
        [
            _whole(item.get("amount"), 0, 10**12)
            for item in items
            if isinstance(item, dict) and item.get("item_type", "plan") in ("plan", "addon")
        ]
        if isinstance(items, list)
        else []
    )
    amounts = [a for a in found if a is not None]
    if not amounts:
        amount = _whole(subscription.get("plan_amount"), 0, 10**12)
        amounts = [amount] if amount is not None else []
    if not amounts or period is None or not isinstance(unit, str) or unit not in _MONTHS_PER_UNIT:
        return None
    monthly = Decimal(sum(amounts)) / (_MONTHS_PER_UNIT[unit] * period) / 100
    return str(monthly.quantize(Decimal("0.01")))


def _plan(subscription: dict[str, Any]) -> str | None:
    items = subscription.get("subscription_items")
    if isinstance(items, list):
        for item in items:
            if (
                isinstance(item, dict)
                and item.get("item_type") == "plan"
                and isinstance(item.get("item_price_id"), str)
            ):
                return item["item_price_id"]
    plan = subscription.get("plan_id")
    return plan if isinstance(plan, str) else None


def _name(customer: dict[str, Any]) -> str | None:
    parts = [customer.get(k) for k in ("first_name", "last_name")]
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name or None


def _note(*sources: dict[str, Any]) -> str | None:
    for meta in sources:
        for key in NOTE_KEYS:
            if isinstance(meta.get(key), str) and meta[key].strip():
                return meta[key]
    return None


def departure_from_event(event: dict[str, Any]) -> tuple[Departure | None, list[FieldError]]:
    """The departed customer of a ``subscription_cancelled`` event, with its reason code and notes."""
    problems: list[FieldError] = []
    content = _object(event.get("content"), "content", problems)
    subscription = _object(content.get("subscription"), "content.subscription", problems)
    customer = _object(content.get("customer"), "content.customer", problems)
    sub_meta = _object(subscription.get("meta_data"), "content.subscription.meta_data", problems)
    if problems:
        return None, problems
    cancelled = _moment(subscription.get("cancelled_at")) or _moment(event.get("occurred_at"))
    started = _whole(subscription.get("started_at") or subscription.get("activated_at"), 0, _LAST_UNIX_TIME)
    system_reason = subscription.get("cancel_reason")
    raw: dict[str, Any] = {
        "external_id": subscription.get("customer_id") or customer.get("id"),
        "left_at": cancelled.date().isoformat() if cancelled else None,
        "email": customer.get("email"),
        "phone": provider_phone(customer.get("phone")),
        "name": _name(customer),
        "company": customer.get("company"),
        "language": customer.get("locale"),  # Chargebee's customer locale, e.g. "fr-FR"
        "plan": _plan(subscription),
        "monthly_revenue": _monthly_revenue(subscription),
        "tenure_months": (
            int((cancelled.timestamp() - started) // (86400 * 30.44))
            if cancelled and started is not None and cancelled.timestamp() >= started
            else None
        ),
        "churn_type": "involuntary" if system_reason in _INVOLUNTARY else "voluntary",
    }
    raw.update({k: v for k, v in sub_meta.items() if k in FIELDS and k != "external_id"})
    record, errors = parse_record(
        {k: v for k, v in raw.items() if v is not None},
        source=SOURCE,
        required=("external_id", "left_at"),
        days_ahead=None,
    )
    if record is None:
        return None, read_from(errors, READ_FROM, sub_meta)
    code = subscription.get("cancel_reason_code") or (
        system_reason if isinstance(system_reason, str) else None
    )
    customer_meta = as_object(customer.get("meta_data"))
    return Departure(
        record,
        reason_code=code if isinstance(code, str) else None,
        comment=_note(sub_meta, customer_meta),
        left_at=cancelled,
        currency=None if "monthly_revenue" in sub_meta else currency_code(subscription.get("currency_code")),
    ), []


def return_from_event(event: dict[str, Any]) -> tuple[Return | None, str]:
    """The return of a ``subscription_reactivated`` / ``subscription_resumed`` event, or an active
    ``subscription_created`` one (a return, or a new customer in the active counts)."""
    content = as_object(event.get("content"))
    subscription = as_object(content.get("subscription"))
    if event.get("event_type") == "subscription_created" and subscription.get("status") not in _ACTIVE:
        return None, "the new subscription is not active (a trial counts when it becomes active)"
    customer = as_object(content.get("customer"))
    external_id = subscription.get("customer_id") or customer.get("id")
    moment = _moment(event.get("occurred_at"))  # activated_at is the first activation, not this one
    if not isinstance(external_id, str) or not external_id.strip() or moment is None:
        return None, "the event names no customer or date"
    meta = as_object(subscription.get("meta_data"))
    return Return(
        SOURCE,
        clean_text(external_id, multiline=False).strip()[:128],
        moment.date(),
        email=return_email(meta.get("email") or customer.get("email")),
    ), ""
