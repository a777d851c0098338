"""``POST /api/v1/webhooks/stripe``: a cancelled subscription becomes a departed customer, an active one a return."""

from __future__ import annotations

from flask import current_app, request
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.billing import apply_event, not_configured
from feedback_app.blueprints.api.helpers import error, parse_json, read_body
from feedback_app.blueprints.api.routes import bp
from feedback_app.services.billing import stripe as stripe_events
from feedback_app.services.billing.signatures import SignatureError


@bp.post("/webhooks/stripe")
def stripe_webhook() -> ResponseReturnValue:
    """Verify Stripe's signature before anything else; other event types are acknowledged and ignored."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return not_configured("STRIPE_WEBHOOK_SECRET to the endpoint's signing secret")
    body = read_body()
    try:
        stripe_events.verify_signature(
            body,
            request.headers.get("Stripe-Signature"),
            secret,
            current_app.config["STRIPE_TOLERANCE_SECONDS"],
        )
    except SignatureError as exc:
        return error(400, str(exc))
    return apply_event(
        stripe_events.SOURCE,
        parse_json(body),
        type_key="type",
        id_key="id",
        departures=(stripe_events.HANDLED_EVENT,),
        returns=stripe_events.RETURN_EVENTS,
        to_departure=stripe_events.departure_from_event,
        to_return=stripe_events.return_from_event,
    )
