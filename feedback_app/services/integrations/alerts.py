"""Slack alerts after each analysis run: new themes, a root cause whose share jumped, and a
high-value customer asking to be contacted; each sent once, through the webhook delivery outbox.

The Slack incoming webhook (``SLACK_WEBHOOK_URL``) is kept as a ``WebhookEndpoint`` of kind
``slack``: each alert is one ``WebhookDelivery`` whose payload is the Slack message itself, so
Slack gets the same retries, backoff, delivery log and no-duplicate guarantee (unique event id
per endpoint) as every outgoing webhook. ``theme.created`` and ``cause.share_jumped`` go to
subscribed webhook endpoints at the same time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import (
    AnalysisRun,
    DepartedCustomer,
    FollowUp,
    Invitation,
    Response,
    Theme,
    WebhookDelivery,
    WebhookEndpoint,
)
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import RootCauseFigures, root_cause_figures
from feedback_app.services.integrations import webhooks

CONTACT_REASON = "Asks to be contacted"


@dataclass
class Alert:
    """One thing to tell the team: a stable key (sent once), Slack text, and an optional webhook event."""

    key: str
    text: str
    link: str
    link_label: str
    event: tuple[str, dict[str, Any]] | None = None

    def slack_message(self) -> dict[str, Any]:
        """Slack's Block Kit message: the sentence, then a button into the dashboard."""
        return {
            "text": f"{self.text} {self.link}",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": self.text}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": self.link_label},
                            "url": self.link,
                        }
                    ],
                },
            ],
        }


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse a Slack URL or digest address list that cannot work, at startup, naming the setting."""
    url = (config.get("SLACK_WEBHOOK_URL") or "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RuntimeError(
                f"SLACK_WEBHOOK_URL: {url[:100]!r} is not an http(s) address; Slack's incoming "
                "webhook URL looks like https://hooks.slack.com/services/T000/B000/XXXX "
                "(leave it empty to turn Slack alerts off)."
            )
    for address in recipients(config.get("DIGEST_RECIPIENTS") or ""):
        if "@" not in address.strip("@") or " " in address:
            raise RuntimeError(
                f"DIGEST_RECIPIENTS: {address[:100]!r} is not an email address; give addresses "
                "separated by commas, e.g. ana@example.com,li@example.com."
            )


def recipients(value: str) -> list[str]:
    """The addresses in a comma-separated setting, without blanks or repeats."""
    seen: list[str] = []
    for part in value.split(","):
        address = part.strip()
        if address and address.lower() not in [s.lower() for s in seen]:
            seen.append(address)
    return seen


def dashboard_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/dashboard" + path


def slack_endpoint() -> WebhookEndpoint | None:
    """The Slack endpoint for the configured URL (created or updated here); None when Slack is off."""
    url = (current_app.config.get("SLACK_WEBHOOK_URL") or "").strip()
    endpoint = db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.kind == "slack").order_by(WebhookEndpoint.id).limit(1)
    )
    if not url:
        return None
    if endpoint is None:
        endpoint = WebhookEndpoint(
            kind="slack",
            url=url,
            events="",
            secret=webhooks.new_secret(),
            active=True,
            description="Slack alerts (SLACK_WEBHOOK_URL)",
        )
        db.session.add(endpoint)
        db.session.flush()
    elif endpoint.url != url:  # the setting changed: send to the new address, with a clean slate
        endpoint.url, endpoint.active, endpoint.consecutive_failures = url, True, 0
        endpoint.disabled_at = endpoint.disabled_reason = None
    return endpoint


# ---------------------------------------------------------------- what to alert about


def new_theme_alerts(run: AnalysisRun) -> list[Alert]:
    keys = (run.counts or {}).get("new_theme_keys") or []
    alerts = []
    for theme in db.session.scalars(select(Theme).where(Theme.stable_key.in_(keys)).order_by(Theme.id)):
        quote = f" One customer wrote: “{theme.quotes[0]}”" if theme.quotes else ""
        alerts.append(
            Alert(
                key=f"theme:{theme.stable_key}",
                text=f"*New reason for leaving:* “{theme.display_label}” ({theme.size} answer"
                f"{'' if theme.size == 1 else 's'} so far).{quote}",
                link=dashboard_url(f"/themes/{theme.id}"),
                link_label="Open the theme",
                event=(
                    "theme.created",
                    {
                        "theme_id": theme.id,
                        "label": theme.display_label,
                        "answers": theme.size,
                        "root_cause": theme.category,
                    },
                ),
            )
        )
    return alerts


def share_jumps(today: date | None = None) -> list[tuple[RootCauseFigures, Filters]]:
    """Root causes whose share of answered departures in the last window rose by at least
    ``ALERT_SHARE_JUMP_POINTS`` points against the window before."""
    days = current_app.config["ALERT_WINDOW_DAYS"]
    today = today or date.today()
    window = Filters(start=today - timedelta(days=days - 1), end=today)
    threshold = current_app.config["ALERT_SHARE_JUMP_POINTS"] / 100
    return [
        (cause, window)
        for cause in root_cause_figures(window)
        if cause.trend is not None and cause.trend >= threshold - 1e-9
    ]


def share_jump_alerts(today: date | None = None) -> list[Alert]:
    alerts = []
    for cause, window in share_jumps(today):
        if window.start is None or window.end is None:  # share_jumps always sets both
            continue
        period = (
            window.end.toordinal() // current_app.config["ALERT_WINDOW_DAYS"]
        )  # one alert per cause per period
        before, now = round((cause.previous_share or 0) * 100), round(cause.share * 100)
        days = current_app.config["ALERT_WINDOW_DAYS"]
        alerts.append(
            Alert(
                key=f"cause:{cause.key}:{period}",
                text=f"*{cause.name}* is behind {now}% of answered departures in the last {days} days, up from "
                f"{before}% the {days} days before ({cause.customers} customer"
                f"{'' if cause.customers == 1 else 's'}).",
                link=dashboard_url("/themes?" + "&".join(f"{k}={v}" for k, v in window.as_args().items())),
                link_label="See the root causes",
                event=(
                    "cause.share_jumped",
                    {
                        "root_cause": cause.key,
                        "name": cause.name,
                        "share": round(cause.share, 4),
                        "previous_share": round(cause.previous_share or 0, 4),
                        "customers": cause.customers,
                        "start": window.start.isoformat(),
                        "end": window.end.isoformat(),
                    },
                ),
            )
        )
    return alerts


def contact_alerts() -> list[Alert]:
    """Open "asks to be contacted" follow-ups from customers worth at least ``CPR_LTV_THRESHOLD_CENTS``."""
    threshold = current_app.config["CPR_LTV_THRESHOLD_CENTS"]
    rows = db.session.execute(
        select(FollowUp.id, DepartedCustomer)
        .join(Response, FollowUp.response_id == Response.id)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .where(
            FollowUp.reason == CONTACT_REASON,
            FollowUp.handled_at.is_(None),
            DepartedCustomer.lifetime_value_cents >= threshold,
        )
        .order_by(FollowUp.id)
    ).all()
    alerts = []
    for follow_up_id, customer in rows:
        who = customer.company or customer.name or f"Customer {customer.external_id}"
        alerts.append(
            Alert(
                key=f"contact:{follow_up_id}",
                text=f"*{who}* (lifetime value ${(customer.lifetime_value_cents or 0) / 100:,.0f}) left and asks to be "
                "contacted.",
                link=dashboard_url("/follow-ups?order=value"),
                link_label="Open the follow-up queue",
            )
        )
    return alerts


# ---------------------------------------------------------------- sending


def event_id(key: str) -> str:
    return "alert_" + hashlib.sha256(key.encode()).hexdigest()[:32]


def queue(alerts: list[Alert]) -> int:
    """Write a Slack delivery per alert not sent before, and the webhook events; the caller commits."""
    endpoint = slack_endpoint()
    added = 0
    for alert in alerts:
        if alert.event is not None:
            webhooks.emit(alert.event[0], alert.key, alert.event[1])
        if endpoint is None:
            continue
        exists = db.session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.event_id == event_id(alert.key)
            )
        )
        if exists is None:
            db.session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id,
                    event_id=event_id(alert.key),
                    event_type="slack.alert",
                    payload=alert.slack_message(),
                    status="pending",
                    attempts=0,
                )
            )
            added += 1
    return added


def after_run(run: AnalysisRun, today: date | None = None) -> int:
    """Alert about what a succeeded run changed; never lets a failure here fail the run."""
    try:
        added = queue(new_theme_alerts(run) + share_jump_alerts(today) + contact_alerts())
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("alerts after analysis run %s failed; the next run tries again", run.id)
        return 0
    webhooks.kick()
    return added
