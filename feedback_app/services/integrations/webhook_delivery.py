"""Delivering outgoing webhooks from the outbox: claim, POST, mark; retried with backoff.

Each delivery row is claimed with a compare-and-set UPDATE (``pending`` → ``sending``), POSTed,
and marked ``delivered`` on a 2xx, else put back with an exponential backoff until
``WEBHOOK_MAX_ATTEMPTS``, then ``failed``. A 4xx other than 408, 425 and 429 is the receiver
refusing this message: ``failed`` at once, since the same bytes get the same answer. A redirect
is not followed (urllib would repeat the POST as a GET without its body): it is a failure. Unless
``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` is on, a request connects only to public addresses, checked
after DNS resolution (``public_addresses``); one that would reach a private address is not sent
and its delivery is ``failed`` at once, with the reason. A
claim older than ``WEBHOOK_CLAIM_LEASE_SECONDS`` (the process died between sending and marking)
is sent again with the same ``webhook-id``: a receiver may see a message twice and drops the
repeat by that id, as Standard Webhooks expects. After ``WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row an endpoint is
disabled, with the reason shown on the webhooks page.

A failed delivery is lost to the receiver unless someone resends it (``resend``,
``resend_failed_since``: the webhooks page and ``flask webhooks resend``), as Stripe's and Svix's
dashboards offer: it goes back to ``pending`` with fresh attempts and the same ``webhook-id``,
so a receiver that got it after all drops the repeat, and is signed with a new timestamp when
sent. Only ``failed`` deliveries move: one pending or sending is on its way already, so a second
click sends nothing twice.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, func, or_, select, update

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import WebhookDelivery, WebhookEndpoint, utcnow
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.accounts import audit
from feedback_app.services.integrations import public_addresses
from feedback_app.services.integrations.webhooks import WebhookError, body_bytes, kick, sign

#: 4xx answers that mean "not now" rather than "never": timeout, too early, too many requests.
RETRYABLE_4XX = frozenset({408, 425, 429})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is answered as an HTTPError: a signed POST is never re-sent as a GET elsewhere."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_PUBLIC_OPENER = public_addresses.opener(_NoRedirect)


class Attempt(NamedTuple):
    """One POST's outcome: the status code (None when nothing answered) and the problem, if any;
    ``final`` when sending again could never succeed."""

    status_code: int | None
    problem: str | None = None
    final: bool = False


@dataclass
class DeliveryRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    disabled: list[str] = field(default_factory=list)


def _release_stale_claims() -> None:
    lease = utcnow() - timedelta(seconds=current_app.config["WEBHOOK_CLAIM_LEASE_SECONDS"])
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.status == "sending", WebhookDelivery.claimed_at < lease)
        .values(status="pending")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def claim_next(exclude: set[int]) -> WebhookDelivery | None:
    """Claim the oldest due delivery of an active endpoint, committed at once; None when none is due."""
    now = utcnow()
    due = (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .where(
            WebhookDelivery.status == "pending",
            WebhookEndpoint.active.is_(True),
            or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now),
        )
    )
    if exclude:
        due = due.where(WebhookDelivery.id.not_in(sorted(exclude)))
    oldest = due.order_by(WebhookDelivery.id).limit(1).with_for_update(skip_locked=True).scalar_subquery()
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == oldest, WebhookDelivery.status == "pending")
        .values(status="sending", claimed_at=now, attempts=WebhookDelivery.attempts + 1, updated_at=now)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    db.session.commit()
    return db.session.get(WebhookDelivery, claimed) if claimed else None


def send(delivery: WebhookDelivery) -> Attempt:
    """POST the signed payload, to a public address only unless private ones are allowed."""
    body = body_bytes(delivery)
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Afterword-Webhooks/1",
            "webhook-id": delivery.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(delivery.endpoint.secret, delivery.event_id, timestamp, body),
        },
    )
    config = current_app.config
    opener = _OPENER if config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] else _PUBLIC_OPENER
    try:
        with opener.open(request, timeout=config["WEBHOOK_TIMEOUT_SECONDS"]) as answer:
            return Attempt(answer.status)
    except urllib.error.HTTPError as exc:
        return Attempt(exc.code, f"the receiver answered HTTP {exc.code}")
    except http.client.HTTPException as exc:  # not an HTTP answer (BadStatusLine, LineTooLong, ...)
        return Attempt(None, f"{delivery.endpoint.url} did not answer in HTTP: {str(exc)[:200]}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, public_addresses.PrivateAddressError):
            return Attempt(None, f"not sent: {str(reason)[:300]}", final=True)
        return Attempt(None, f"could not reach {delivery.endpoint.url}: {str(reason)[:200]}")


def mark(delivery: WebhookDelivery, attempt: Attempt, run: DeliveryRun) -> None:
    """Record the outcome, schedule a retry or give up, and disable an endpoint that keeps failing."""
    config = current_app.config
    endpoint = delivery.endpoint
    status_code, problem = attempt.status_code, attempt.problem
    delivery.last_status_code = status_code
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", utcnow(), None
        endpoint.consecutive_failures = 0
        run.delivered += 1
    else:
        delivery.last_error = (problem or f"HTTP {status_code}")[:500]
        endpoint.consecutive_failures += 1
        refused = status_code is not None and 400 <= status_code < 500 and status_code not in RETRYABLE_4XX
        if refused or attempt.final or delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
            delivery.status = "failed"
            run.failed += 1
        else:
            backoff = min(config["WEBHOOK_RETRY_BASE_SECONDS"] * 2 ** (delivery.attempts - 1), 6 * 3600)
            delivery.status, delivery.next_attempt_at = "pending", utcnow() + timedelta(seconds=backoff)
            run.retrying += 1
        if endpoint.active and endpoint.consecutive_failures >= config["WEBHOOK_DISABLE_AFTER_FAILURES"]:
            endpoint.active, endpoint.disabled_at = False, utcnow()
            failures = endpoint.consecutive_failures
            attempts = "failed attempt" if failures == 1 else "failed attempts in a row"
            endpoint.disabled_reason = f"Disabled after {failures} {attempts}; last: {delivery.last_error}"[
                :500
            ]
            run.disabled.append(endpoint.url)
    db.session.commit()


@job("webhooks.deliver")
def deliver(limit: int = 200) -> DeliveryRun:
    """Send what is due, oldest first, each delivery at most once per run."""
    run = DeliveryRun()
    _release_stale_claims()
    tried: set[int] = set()
    while len(tried) < limit:
        delivery = claim_next(tried)
        if delivery is None:
            break
        tried.add(delivery.id)
        mark(delivery, send(delivery), run)
    return run


def _requeue(*where: ColumnElement[bool]) -> list[int]:
    """Failed deliveries matching ``where`` back to pending with fresh attempts (compare-and-set
    on ``failed``, so two requests at once move each delivery once); their ids. The caller commits."""
    rows = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.status == "failed", *where)
        .values(
            status="pending",
            attempts=0,
            next_attempt_at=None,
            claimed_at=None,
            last_status_code=None,
            last_error=None,
            updated_at=utcnow(),
        )
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    )
    return list(rows.scalars())


def resend(delivery: WebhookDelivery, *, actor: str, actor_user_id: int | None = None) -> bool:
    """Send one failed delivery again (same ``webhook-id``); False when it was not failed (still on
    its way, or delivered), which leaves it alone. Sent now when its endpoint is on."""
    moved = _requeue(WebhookDelivery.id == delivery.id)
    if moved:
        audit.record(
            "webhook.resend",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="webhook_endpoint",
            target_id=delivery.endpoint_id,
            delivery_id=delivery.id,
            event_id=delivery.event_id,
        )
    db.session.commit()  # expires ``delivery``: the caller reads its new state
    if moved:
        kick()
    return bool(moved)


def resend_failed_since(
    endpoint: WebhookEndpoint, since: datetime, *, actor: str, actor_user_id: int | None = None
) -> int:
    """Send again every failed delivery of ``endpoint`` whose event happened at ``since`` or later
    (e.g. since a receiver's deploy went wrong); how many. Sent now when the endpoint is on."""
    if since > utcnow():
        raise WebhookError(f"Since: {since:%Y-%m-%d %H:%M} UTC is in the future; nothing failed after it.")
    moved = _requeue(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.created_at >= since)
    audit.record(
        "webhook.resend_failed",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="webhook_endpoint",
        target_id=endpoint.id,
        since=since.isoformat(),
        deliveries=len(moved),
    )
    db.session.commit()
    if moved:
        kick()
    return len(moved)


class FailedDeliveries(NamedTuple):
    """An endpoint's failed deliveries: how many, and when the first one's event happened."""

    total: int
    first: datetime | None


def failed_deliveries(endpoint: WebhookEndpoint) -> FailedDeliveries:
    """The endpoint's deliveries that failed and wait for a resend (they are never retried by
    themselves), so turning an endpoint back on can say what it did not send."""
    count, first = db.session.execute(
        select(func.count(), func.min(WebhookDelivery.created_at)).where(
            WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "failed"
        )
    ).one()
    return FailedDeliveries(count, first)


def recent(page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """The delivery log, newest first (past the last page: the last page)."""
    return paginate(select(WebhookDelivery).order_by(WebhookDelivery.id.desc()), page, per_page)


def failed(per_page: int = PER_PAGE) -> Pagination:
    """The newest failed deliveries and how many there are: the ids ``flask webhooks resend`` takes
    (the page's log has a Resend button on each instead)."""
    query = select(WebhookDelivery).where(WebhookDelivery.status == "failed")
    return paginate(query.order_by(WebhookDelivery.id.desc()), 1, per_page)
