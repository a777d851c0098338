"""Slack alerts after each analysis run: new themes, a root cause whose share spiked, and a
high-value customer asking to be contacted; each sent once, through the webhook delivery outbox.

The Slack incoming webhook (``SLACK_WEBHOOK_URL``) is kept as a ``WebhookEndpoint`` of kind
``slack``: each alert is one ``WebhookDelivery`` whose payload is the Slack message itself, so
Slack gets the same retries, backoff, delivery log and no-duplicate guarantee (unique event id
per endpoint) as every outgoing webhook; during quiet hours (``quiet_hours``) a Slack delivery is
due when they end. ``theme.created`` and ``cause.spiked`` go to subscribed webhook endpoints at
the same time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
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
    utcnow,
)
from feedback_app.services.actions.reports import money
from feedback_app.services.insights import assignment, theme_detail
from feedback_app.services.integrations import cause_spikes, quiet_hours, webhooks
from feedback_app.startup import ConfigError

CONTACT_REASON = "Asks to be contacted"


def slack_text(text: str) -> str:
    """Text for Slack's mrkdwn with ``&``, ``<`` and ``>`` escaped as Slack asks: customers' words
    (labels, quotes, company names) never become ``<!channel>`` mentions or ``<url|words>`` links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Alert:
    """One thing to tell the team: a stable key (sent once), Slack text, and an optional webhook event."""

    key: str
    text: str
    link: str
    link_label: str
    event: tuple[str, dict[str, Any]] | None = None

    def slack_message(self) -> dict[str, Any]:
        """Slack's Block Kit message: the sentence, then a button into the dashboard (the one link)."""
        text = slack_text(self.text)
        return {
            "text": f"{text} {self.link}",
            "blocks": [
                # verbatim: Slack does not turn a bare address a customer wrote into a link
                {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}},
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


def shown_url(url: str) -> str:
    """What of a webhook URL a message may quote: the scheme and host, never the path (Slack's
    secret) or a user and password; ``/...`` marks what was left out."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, _ = rest.partition("/")
    host = host.rsplit("@", 1)[-1]
    return (f"{scheme}://" if sep else "") + host[:60] + ("/..." if slash else "")


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse a Slack URL or digest address list that cannot work, at startup, naming the setting."""
    url = (config.get("SLACK_WEBHOOK_URL") or "").strip()
    if url:
        try:
            parts = urlsplit(url)
            web = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # an unclosed IPv6 bracket
            web = False
        if not web:
            raise ConfigError(
                f"SLACK_WEBHOOK_URL: {shown_url(url)!r} is not an http(s) address; Slack's incoming "
                "webhook URL looks like https://hooks.slack.com/services/T000/B000/XXXX "
                "(leave it empty to turn Slack alerts off)."
            )
    quiet_hours.from_config(config)
    confidence = config.get("ALERT_SHARE_CONFIDENCE", 0.95)
    if not 0.5 <= confidence < 1:
        raise ConfigError(
            f"ALERT_SHARE_CONFIDENCE: {confidence} is not a confidence from 0.5 to 0.999, e.g. 0.95."
        )
    for name in ("ALERT_WINDOW_DAYS", "ALERT_MIN_CUSTOMERS"):
        if config.get(name, 1) < 1:
            raise ConfigError(f"{name}: {config.get(name)} must be at least 1.")
    for address in recipients(config.get("DIGEST_RECIPIENTS") or ""):
        if "@" not in address.strip("@") or " " in address:
            raise ConfigError(
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
    held = assignment.current_assignments()
    for theme in db.session.scalars(select(Theme).where(Theme.stable_key.in_(keys)).order_by(Theme.id)):
        quotes = theme_detail.current_quotes(theme, held)  # from the answers it holds now
        quote = f" One customer wrote: “{quotes[0]}”" if quotes else ""
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


def spike_alerts(today: date | None = None) -> list[Alert]:
    """A root cause whose share this period is above last period's interval (``cause_spikes``)."""
    config = current_app.config
    days = config["ALERT_WINDOW_DAYS"]
    alerts = []
    for spike in cause_spikes.spikes(
        today or date.today(),
        days=days,
        confidence=config["ALERT_SHARE_CONFIDENCE"],
        min_customers=config["ALERT_MIN_CUSTOMERS"],
    ):
        cause, window = spike.cause, spike.window
        low, high = (round(bound * 100) for bound in spike.interval)
        level = round(config["ALERT_SHARE_CONFIDENCE"] * 100)
        alerts.append(
            Alert(
                key=f"cause:{cause.key}:{spike.period_start.isoformat()}",
                text=f"*{cause.name}* is behind {round(cause.share * 100)}% of answered departures in the last "
                f"{days} days ({cause.customers} customer{'' if cause.customers == 1 else 's'}), above the "
                f"{level}% range of {low}% to {high}% from the {days} days before, when it was "
                f"{round(spike.previous_share * 100)}%.",
                link=dashboard_url("/themes?" + "&".join(f"{k}={v}" for k, v in window.as_args().items())),
                link_label="See the root causes",
                event=(
                    "cause.spiked",
                    {
                        "root_cause": cause.key,
                        "name": cause.name,
                        "share": round(cause.share, 4),
                        "previous_share": round(spike.previous_share, 4),
                        "previous_interval": [round(bound, 4) for bound in spike.interval],
                        "customers": cause.customers,
                        "start": window.start.isoformat() if window.start else None,
                        "end": window.end.isoformat() if window.end else None,
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
                text=f"*{who}* (lifetime value {money(customer.lifetime_value_cents)}) left and asks to be contacted.",
                link=dashboard_url("/follow-ups?order=value"),
                link_label="Open the follow-up queue",
            )
        )
    return alerts


# ---------------------------------------------------------------- sending


def event_id(key: str) -> str:
    return "alert_" + hashlib.sha256(key.encode()).hexdigest()[:32]


def queue(alerts: list[Alert], now: datetime | None = None) -> int:
    """Write a Slack delivery per alert not sent before, and the webhook events; the caller commits.
    During quiet hours the Slack delivery is due when they end (webhook events go at once)."""
    endpoint = slack_endpoint()
    quiet = quiet_hours.from_config(current_app.config)
    due = quiet.release_at(now or utcnow()) if quiet else None
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
                    next_attempt_at=due,
                )
            )
            added += 1
    return added


def _gathered(run: AnalysisRun, today: date | None) -> list[Alert]:
    """Every kind of alert that could be worked out: one that fails is logged and left out, so it
    does not take the others with it (a run's new themes are new in that run only)."""
    found: list[Alert] = []
    sources = (
        ("new theme", lambda: new_theme_alerts(run)),
        ("cause spike", lambda: spike_alerts(today)),
        ("contact request", contact_alerts),
    )
    for name, source in sources:
        try:
            found += source()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("%s alerts after analysis run %s failed", name, run.id)
    return found


def after_run(run: AnalysisRun, today: date | None = None, now: datetime | None = None) -> int:
    """Alert about what a succeeded run changed; never lets a failure here fail the run."""
    try:
        added = queue(_gathered(run, today), now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("alerts after analysis run %s failed; the next run tries again", run.id)
        return 0
    webhooks.kick()
    return added
