"""Stripe's subscription events: signature check, a deleted subscription as a departed customer
(with the customer's own ``feedback`` and ``comment``), a subscription active again as a return.

The signature is Stripe's scheme: the ``Stripe-Signature`` header carries ``t=<unix time>`` and
one or more ``v1=<hex>`` HMAC-SHA256 signatures of ``"{t}.{raw body}"`` under the endpoint's
signing secret (several during a secret rotation). A timestamp outside the tolerance window is
refused so a captured request cannot be replayed later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
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
from feedback_app.services.billing.signatures import Scheme
from feedback_app.services.customers.records import (
    FIELDS,
    CustomerRecord,
    FieldError,
    parse_record,
    provider_phone,
)
from feedback_app.services.validation.text_input import clean_text

SOURCE = "stripe"
HANDLED_EVENT = "customer.subscription.deleted"
RETURN_EVENTS = ("customer.subscription.created", "customer.subscription.updated")
_MONTHS_PER_INTERVAL = {
    "day": Decimal(12) / Decimal(365),
    "week": Decimal(12) / Decimal(52),
    "month": Decimal(1),
    "year": Decimal(12),
}
_INVOLUNTARY = {"payment_failed", "payment_disputed"}
_LAST_UNIX_TIME = 253402300799  # 9999-12-31T23:59:59Z, the last second a Python datetime holds


#: Where in a subscription event the fields every departure needs are read.
READ_FROM = {
    "external_id": "data.object.customer",
    "left_at": "data.object.ended_at, data.object.canceled_at or created",
}

SIGNATURE = Scheme(
    header="Stripe-Signature",
    separator=",",
    timestamp_key="t",
    signature_key="v1",
    joiner=b".",
    secret_name="the endpoint's signing secret",
)
sign = SIGNATURE.sign
verify_signature = SIGNATURE.verify


class _ShapeError(ValueError):
    """A part of the event is not the JSON type Stripe documents (e.g. ``metadata`` is a list)."""

    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"must be {expected}")
        self.path = path


def _object(value: Any, path: str) -> dict[str, Any]:
    """``value`` when it is a JSON object, ``{}`` when absent or null; any other type is refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _ShapeError(path, "an object")
    return value


def _array(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _ShapeError(path, "a list")
    return value


def _whole(value: Any, low: int, high: int) -> int | None:
    """An integer within [low, high] (Stripe's bounds are far inside), else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _day(unix: Any) -> str | None:
    """The UTC day of a Unix time; None for what is not one (a timestamp past year 9999 included)."""
    seconds = _whole(unix, 0, _LAST_UNIX_TIME)
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()


def _items(subscription: dict[str, Any]) -> list[dict[str, Any]]:
    """The subscription items, each checked to be an object (as is its price or plan)."""
    items = _array(
        _object(subscription.get("items"), "data.object.items").get("data"), "data.object.items.data"
    )
    checked = []
    for n, raw in enumerate(items):
        item = _object(raw, f"data.object.items.data[{n}]")  # a null item reads as an empty one
        price = _object(item.get("price") or item.get("plan"), f"data.object.items.data[{n}].price")
        _object(price.get("recurring"), f"data.object.items.data[{n}].price.recurring")
        checked.append(item)
    return checked


def _monthly_revenue(items: list[dict[str, Any]]) -> str | None:
    """Sum of the items' recurring prices, normalised to one month, in currency units.

    An item whose amount, quantity or interval count is not a plausible whole number is left
    out, like one without a price (a metered or tiered price has no ``unit_amount``).
    """
    total = Decimal(0)
    found = False
    for item in items:
        price = item.get("price") or item.get("plan") or {}
        recurring = price.get("recurring") or {
            "interval": price.get("interval"),
            "interval_count": price.get("interval_count"),
        }
        amount = _whole(price.get("unit_amount", price.get("amount")), 0, 10**12)
        interval = recurring.get("interval")
        count = _whole(recurring.get("interval_count") or 1, 1, 1000)
        quantity = _whole(item.get("quantity", 1), 0, 10**9)
        if (
            amount is None
            or count is None
            or quantity is None
            or not isinstance(interval, str)
            or interval not in _MONTHS_PER_INTERVAL
        ):
            continue
        total += Decimal(amount) * quantity / (_MONTHS_PER_INTERVAL[interval] * count)
        found = True
    if not found:
        return None
    return str((total / 100).quantize(Decimal("0.01")))


def _plan(items: list[dict[str, Any]]) -> str | None:
    if not items:
        return None
    price = items[0].get("price") or items[0].get("plan") or {}
    return price.get("nickname") or price.get("lookup_key") or price.get("id")


def _tenure_months(subscription: dict[str, Any]) -> int | None:
    start = _whole(subscription.get("start_date"), 0, _LAST_UNIX_TIME)
    end = _whole(subscription.get("ended_at") or subscription.get("canceled_at"), 0, _LAST_UNIX_TIME)
    if start is None or end is None or end < start:
        return None
    return int((end - start) // (86400 * 30.44))


def _first_locale(locales: Any) -> Any:
    """The first of ``preferred_locales`` (checked as a language later), None when there is none."""
    if isinstance(locales, list):
        return locales[0] if locales else None
    return locales  # not a list: passed on, so the check names what came instead


def raw_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The input fields this event gives, named like CSV columns (unknown ones are left out).

    Raises ``_ShapeError`` when a part the mapping reads has the wrong JSON type.
    """
    subscription = _object(_object(event.get("data"), "data").get("object"), "data.object")
    customer = subscription.get("customer")
    customer_obj = customer if isinstance(customer, dict) else {}
    metadata = {
        k: v
        for k, v in _object(subscription.get("metadata"), "data.object.metadata").items()
        if k in FIELDS and k != "external_id"
    }
    reason = _object(subscription.get("cancellation_details"), "data.object.cancellation_details").get(
        "reason"
    )
    items = _items(subscription)
    raw: dict[str, Any] = {
        "external_id": customer_obj.get("id") if customer_obj else customer,
        "left_at": _day(subscription.get("ended_at"))
        or _day(subscription.get("canceled_at"))
        or _day(event.get("created")),
        "plan": _plan(items),
        "monthly_revenue": _monthly_revenue(items),
        "tenure_months": _tenure_months(subscription),
        "churn_type": (
            None
            if not isinstance(reason, str)
            else "involuntary"
            if reason in _INVOLUNTARY
            else "voluntary"
            if reason == "cancellation_requested"
            else None
        ),
        "email": customer_obj.get("email"),
        "phone": provider_phone(customer_obj.get("phone")),
        "name": customer_obj.get("name"),
        # An expanded customer's first preferred locale (Stripe's own field for its emails).
        "language": _first_locale(customer_obj.get("preferred_locales")),
    }
    raw.update(metadata)  # the business's own metadata wins (e.g. email, segment, company)
    return {name: value for name, value in raw.items() if value is not None}


def record_from_event(event: dict[str, Any]) -> tuple[CustomerRecord | None, list[FieldError]]:
    """The departed customer this event describes; the email is optional (Stripe may not send it)."""
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return None, [FieldError("data.object", "the event has no subscription object")]
    try:
        raw = raw_fields(event)
    except _ShapeError as exc:
        return None, [FieldError(exc.path, str(exc))]
    record, problems = parse_record(raw, source=SOURCE, required=("external_id", "left_at"), days_ahead=None)
    metadata = as_object(event["data"]["object"].get("metadata"))
    return record, read_from(problems, READ_FROM, metadata)


def departure_from_event(event: dict[str, Any]) -> tuple[Departure | None, list[FieldError]]:
    """The departure with the reason the customer picked (``feedback``) and their words (``comment``)."""
    record, problems = record_from_event(event)
    if record is None:
        return None, problems
    details = event["data"]["object"].get("cancellation_details")
    details = details if isinstance(details, dict) else {}
    code, comment = details.get("feedback"), details.get("comment")
    ended = _whole(
        event["data"]["object"].get("ended_at") or event["data"]["object"].get("canceled_at"),
        0,
        _LAST_UNIX_TIME,
    )
    metadata = as_object(event["data"]["object"].get("metadata"))
    return Departure(
        record,
        reason_code=code if isinstance(code, str) else None,
        comment=comment if isinstance(comment, str) else None,
        left_at=datetime.fromtimestamp(ended, tz=UTC) if ended is not None else None,
        # the subscription's currency, which its prices' amounts are in (not the metadata's own)
        currency=None
        if "monthly_revenue" in metadata
        else currency_code(event["data"]["object"].get("currency")),
    ), []


def return_from_event(event: dict[str, Any]) -> tuple[Return | None, str]:
    """A return when the subscription is (newly, or back to) ``active``; else None and why not."""
    data = as_object(event.get("data"))
    subscription = as_object(data.get("object"))
    if subscription.get("status") != "active":
        return None, "the subscription is not active"
    previous = as_object(data.get("previous_attributes"))
    if event.get("type") == "customer.subscription.updated" and previous.get("status") in (None, "active"):
        return None, "the subscription's status did not change to active"
    customer = subscription.get("customer")
    external_id = customer.get("id") if isinstance(customer, dict) else customer
    day = (
        _day(subscription.get("start_date")) if event.get("type") == "customer.subscription.created" else None
    )
    day = day or _day(event.get("created"))
    if not isinstance(external_id, str) or not external_id or day is None:
        return None, "the event names no customer or date"
    metadata = as_object(subscription.get("metadata"))
    email = metadata.get("email") or (customer.get("email") if isinstance(customer, dict) else None)
    return Return(
        SOURCE,
        clean_text(external_id, multiline=False).strip()[:128],
        date.fromisoformat(day),
        email=return_email(email),
    ), ""
