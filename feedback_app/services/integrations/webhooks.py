"""Outgoing webhooks: subscriptions, Standard Webhooks signatures, and events written to the
outbox in the caller's transaction.

Signing follows the Standard Webhooks specification: the secret is ``whsec_`` + base64 of 32
random bytes; each request carries ``webhook-id`` (the event id, the same on every retry),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``. Receivers verify it with any Standard Webhooks library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint, utcnow
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.accounts import audit
from feedback_app.services.integrations import public_addresses

SECRET_PREFIX = "whsec_"


class WebhookError(ValueError):
    """A user-facing problem with a subscription (bad URL, unknown event)."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for this message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{event_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def body_bytes(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed): compact JSON of ``{type, timestamp, data}``."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode(
        "utf-8"
    )


def check_events(events: Iterable[str]) -> list[str]:
    wanted = {e.strip() for e in events if e.strip()}
    unknown = sorted(wanted - set(WEBHOOK_EVENTS))
    if unknown:
        raise WebhookError(
            f"Unknown event {', '.join(map(repr, unknown))}; known events: {', '.join(WEBHOOK_EVENTS)}."
        )
    if not wanted:
        raise WebhookError("Pick at least one event to send.")
    return [e for e in WEBHOOK_EVENTS if e in wanted]


def check_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        web = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket
        web = False
    if not web:
        raise WebhookError(
            f"URL: {url[:100]!r} is not an http(s) address, e.g. https://hooks.example.com/afterword."
        )
    if len(url) > 2000:
        raise WebhookError("URL: at most 2,000 characters.")
    if parts.scheme == "http" and current_app.config["WEBHOOK_REQUIRE_HTTPS"]:
        raise WebhookError("URL: must start with https:// (WEBHOOK_REQUIRE_HTTPS is on).")
    if not current_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"]:
        try:
            public_addresses.check_url(url)
        except public_addresses.PrivateAddressError as exc:
            raise WebhookError(f"URL: {exc}.") from None
    return url


def subscribe(
    url: str,
    events: Iterable[str],
    *,
    description: str = "",
    actor: str = "cli",
    actor_user_id: int | None = None,
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (show it to the admin; the receiver needs it)."""
    endpoint = WebhookEndpoint(
        url=check_url(url),
        events=" ".join(check_events(events)),
        secret=new_secret(),
        description=(description or "").strip()[:200] or None,
        active=True,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        "webhook.subscribe",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="webhook_endpoint",
        target_id=endpoint.id,
        url=endpoint.url,
        events=endpoint.event_list,
    )
    db.session.commit()
    return endpoint


def set_active(
    endpoint: WebhookEndpoint, active: bool, *, actor: str, actor_user_id: int | None = None
) -> None:
    """Turn an endpoint off, or back on (which clears its failure count and reason and sends what
    waited for it now)."""
    endpoint.active = active
    if active:
        endpoint.consecutive_failures, endpoint.disabled_at, endpoint.disabled_reason = 0, None, None
    audit.record(
        "webhook.enable" if active else "webhook.disable",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="webhook_endpoint",
        target_id=endpoint.id,
    )
    db.session.commit()
    if active:
        kick()


def endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def endpoints_page(page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of endpoints for the admin page, newest first: the one just subscribed heads it."""
    return paginate(select(WebhookEndpoint).order_by(WebhookEndpoint.id.desc()), page, per_page)


def event_id_of(event_type: str, event_key: str) -> str:
    """The ``webhook-id`` of an event: the same however often it is emitted."""
    return "msg_" + hashlib.sha256(f"{event_type}:{event_key}".encode()).hexdigest()[:32]


def emit(event_type: str, event_key: str, data: dict[str, Any]) -> int:
    """Write one delivery per active endpoint subscribed to ``event_type``, in the caller's
    transaction; ``event_key`` names the event (e.g. ``response:17``) so emitting it twice adds
    nothing. Returns how many deliveries were added; the caller commits, then calls :func:`kick`."""
    if event_type not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    event_id = event_id_of(event_type, event_key)
    added = 0
    for endpoint in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))):
        if event_type not in endpoint.event_list:
            continue
        exists = db.session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.event_id == event_id
            )
        )
        if exists:
            continue
        payload = {"type": event_type, "timestamp": utcnow().isoformat().replace("+00:00", "Z"), "data": data}
        db.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
                status="pending",
                attempts=0,
            )
        )
        added += 1
    return added


def kick() -> None:
    """Start a delivery run now (after the caller's commit); scheduled runs retry the rest."""
    from feedback_app.jobs import enqueue
    from feedback_app.services.integrations import webhook_delivery  # noqa: F401  (registers the job)

    if has_app_context() and current_app.config.get("WEBHOOK_DELIVER_ON_EMIT", True):
        try:
            enqueue("webhooks.deliver")
        except Exception:  # the rows are committed; the scheduled run sends them
            current_app.logger.exception("could not start webhook delivery; the next scheduled run will")


def _any_active_endpoint() -> bool:
    return (
        db.session.scalar(select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True)).limit(1))
        is not None
    )


def _emit_response_submitted(response_id: int) -> int:
    """Write ``response.submitted`` for this answer once per endpoint (the caller commits)."""
    from feedback_app.models import Invitation, Response, Survey
    from feedback_app.services.responses.answers import main_reason, score

    row = db.session.execute(
        select(Response, Invitation.customer_id, Survey.key)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(Survey, Invitation.survey_id == Survey.id)
        .where(Response.id == response_id)
    ).first()
    if row is None:
        return 0
    response, customer_id, survey_key = row
    data = {
        "response_id": response.id,
        "customer_id": customer_id,
        "survey": survey_key,
        "source": response.source,
        "submitted_at": response.submitted_at.isoformat().replace("+00:00", "Z"),
        "main_reason": main_reason(response.answers),
        "score": score(response.answers),
    }
    return emit("response.submitted", f"response:{response.id}", data)


def _response_stored(response_id: int) -> None:
    """In the answer's transaction: its event is written with it, so a crash after the commit
    leaves the event for the next delivery run."""
    if _any_active_endpoint():
        _emit_response_submitted(response_id)


def _response_submitted(response_id: int) -> None:
    """After the commit: write the event if it is not there yet (an edit sends nothing new), then
    start delivery."""
    if not _any_active_endpoint():
        return
    if _emit_response_submitted(response_id):
        db.session.commit()
    waiting = select(WebhookDelivery.id).where(
        WebhookDelivery.event_id == event_id_of("response.submitted", f"response:{response_id}"),
        WebhookDelivery.status == "pending",
    )
    if db.session.scalar(waiting.limit(1)) is not None:
        kick()


def register_hooks() -> None:
    """Write ``response.submitted`` with every stored answer and send it after the commit."""
    from feedback_app.services.responses.submission import on_response_stored, on_response_submitted

    on_response_stored(_response_stored)
    on_response_submitted(_response_submitted)


register_hooks()
