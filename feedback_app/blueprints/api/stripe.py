"""``POST /api/v1/webhooks/stripe``: a cancelled subscription becomes a departed customer."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.helpers import error, field_errors, outcomes_response, parse_json, read_body
from feedback_app.blueprints.api.routes import bp
from feedback_app.services.billing import stripe as stripe_events
from feedback_app.services.customers import store as customer_service
from feedback_app.services.validation.text_input import clean_text


@bp.post("/webhooks/stripe")
def stripe_webhook() -> ResponseReturnValue:
    """Verify Stripe's signature before anything else; other event types are acknowledged and ignored."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return error(503, "The Stripe webhook is not configured: set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret.")
    body = read_body()
    try:
        stripe_events.verify_signature(body, request.headers.get("Stripe-Signature"), secret,
                                       current_app.config["STRIPE_TOLERANCE_SECONDS"])
    except stripe_events.SignatureError as exc:
        return error(400, str(exc))
    event = parse_json(body)
    if not isinstance(event, dict):
        return error(400, "The body is not a Stripe event object.")
    event_type = event.get("type")
    if event_type != stripe_events.HANDLED_EVENT:
        shown = repr(event_type[:100]) if isinstance(event_type, str) else "of the wrong JSON type"
        return jsonify({"received": True, "ignored": f"event type {shown} is not handled"}), 200
    record, problems = stripe_events.record_from_event(event)
    if record is None:
        return field_errors([(0, problem) for problem in problems])
    result = customer_service.save([record], actor="stripe", action="customers.stripe_event",
                                   event_id=clean_text(str(event.get("id")), multiline=False))
    return outcomes_response(result)
