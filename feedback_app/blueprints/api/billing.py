"""``POST /api/v1/webhooks/chargebee`` and ``/webhooks/paddle``: billing events become departures and returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.helpers import error, field_errors, outcomes_response, parse_json, read_body
from feedback_app.blueprints.api.routes import bp
from feedback_app.services.billing import chargebee, paddle
from feedback_app.services.billing.events import Departure, Processed, Return, clean_event_id, process
from feedback_app.services.billing.signatures import SignatureError
from feedback_app.services.customers.records import FieldError

DepartureMapper = Callable[[dict[str, Any]], tuple[Departure | None, list[FieldError]]]
ReturnMapper = Callable[[dict[str, Any]], tuple[Return | None, str]]


def processed_response(processed: Processed) -> ResponseReturnValue:
    """The JSON answer for an applied event: the upsert's counts for a departure, else what happened."""
    if processed.result is not None:
        response, status = outcomes_response(processed.result)
        merged = response.get_json() | {
            "event": processed.status,
            "feedback_response_id": processed.response_id,
        }
        if processed.message:  # e.g. no email came with it: the provider's log shows why nobody is invited
            merged["message"] = processed.message
        return jsonify(merged), status
    body: dict[str, Any] = {"received": True, "event": processed.status}
    if processed.message:
        body["message"] = processed.message
    if processed.customer_id is not None:
        body["customer_id"] = processed.customer_id
    return jsonify(body), 200


def apply_event(
    provider: str,
    event: Any,
    *,
    type_key: str,
    id_key: str,
    departures: tuple[str, ...],
    returns: tuple[str, ...],
    to_departure: DepartureMapper,
    to_return: ReturnMapper,
) -> ResponseReturnValue:
    """Map and apply one verified event the same way for every provider."""
    if not isinstance(event, dict):
        return error(400, f"The body is not a {provider.title()} event object.")
    event_type = event.get(type_key)
    if not isinstance(event_type, str) or event_type not in departures + returns:
        shown = repr(event_type[:100]) if isinstance(event_type, str) else "of the wrong JSON type"
        return jsonify({"received": True, "ignored": f"event type {shown} is not handled"}), 200
    event_id = clean_event_id(event.get(id_key))
    if event_id is None:
        return field_errors(
            [(0, FieldError(id_key, "the event has no id; it is needed to process it only once"))]
        )
    if event_type in departures:
        departure, problems = to_departure(event)
        if departure is None:
            return field_errors([(0, problem) for problem in problems])
        return processed_response(process(provider, event_id, event_type, departure))
    change, why_not = to_return(event)
    return processed_response(process(provider, event_id, event_type, change, ignored=why_not))


def not_configured(names: str) -> Response:
    """The 503 of a billing webhook whose settings are missing, naming what to set."""
    return error(503, f"This webhook is not configured: set {names}.")


@bp.post("/webhooks/chargebee")
def chargebee_webhook() -> ResponseReturnValue:
    """Check Chargebee's Basic auth before anything else; other event types are acknowledged and ignored."""
    username = current_app.config.get("CHARGEBEE_WEBHOOK_USERNAME")
    password = current_app.config.get("CHARGEBEE_WEBHOOK_PASSWORD")
    if not username or not password:
        return not_configured("CHARGEBEE_WEBHOOK_USERNAME and CHARGEBEE_WEBHOOK_PASSWORD")
    try:
        chargebee.check_auth(request.headers.get("Authorization"), username, password)
    except chargebee.AuthError as exc:
        response = error(401, str(exc))
        response.headers["WWW-Authenticate"] = 'Basic realm="afterword-chargebee"'
        return response
    return apply_event(
        chargebee.SOURCE,
        parse_json(read_body()),
        type_key="event_type",
        id_key="id",
        departures=chargebee.DEPARTURE_EVENTS,
        returns=chargebee.RETURN_EVENTS,
        to_departure=chargebee.departure_from_event,
        to_return=chargebee.return_from_event,
    )


@bp.post("/webhooks/paddle")
def paddle_webhook() -> ResponseReturnValue:
    """Verify Paddle's signature before anything else; other event types are acknowledged and ignored."""
    secret = current_app.config.get("PADDLE_WEBHOOK_SECRET")
    if not secret:
        return not_configured("PADDLE_WEBHOOK_SECRET to the notification destination's secret key")
    body = read_body()
    try:
        paddle.verify_signature(
            body,
            request.headers.get("Paddle-Signature"),
            secret,
            current_app.config["PADDLE_TOLERANCE_SECONDS"],
        )
    except SignatureError as exc:
        return error(400, str(exc))
    return apply_event(
        paddle.SOURCE,
        parse_json(body),
        type_key="event_type",
        id_key="event_id",
        departures=paddle.DEPARTURE_EVENTS,
        returns=paddle.RETURN_EVENTS,
        to_departure=paddle.departure_from_event,
        to_return=paddle.return_from_event,
    )
