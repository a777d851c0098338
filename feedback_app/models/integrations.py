"""What the integrations remember: billing events already processed, outgoing webhook
subscriptions and their deliveries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.i18n import N_
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check, utcnow

BILLING_PROVIDERS = ("stripe", "chargebee", "paddle")


class BillingEvent(Model):
    """One billing-provider event id, stored in the transaction that applied it: a replay is a no-op."""

    __tablename__ = "billing_event"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(128), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    #: What the event did, in words (``created``, ``returned``, ``ignored: ...``).
    outcome: Mapped[str] = mapped_column(String(200), nullable=False)
    #: The currency (ISO 4217) of the amounts this event added to revenue lost; the first such
    #: event's is the installation's unless ``BILLING_CURRENCY`` says otherwise (billing/events.py).
    currency: Mapped[str | None] = mapped_column(String(3))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class EarlyReturn(Model):
    """A billing provider's return (a subscription active again) for a customer not yet known to
    have left. Providers do not promise order and retry a failed delivery for days, so the
    cancellation it follows can arrive later; that cancellation then finds the customer came back."""

    __tablename__ = "early_return"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(128), nullable=False)
    external_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    #: The day the subscription was active again.
    day: Mapped[date] = mapped_column(Date, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


#: Events an outgoing webhook may subscribe to.
WEBHOOK_EVENTS: dict[str, str] = {
    "customer.departed": N_("A departed customer arrived from a billing provider"),
    "customer.returned": N_("A customer who left subscribed again"),
    "response.submitted": N_("A former customer answered"),
    "action.shipped": N_("An action item shipped"),
    "theme.created": N_("An analysis run found a new theme"),
    "cause.spiked": N_("A root cause's share of answered departures rose above last period's range"),
}
#: What an endpoint is: a subscriber's URL (signed events) or the Slack incoming webhook (alerts).
WEBHOOK_ENDPOINT_KINDS = ("webhook", "slack")
WEBHOOK_DELIVERY_STATUSES = ("pending", "sending", "delivered", "failed")


class WebhookEndpoint(TimestampMixin, Model):
    """A URL an admin subscribed to some events; signed with its own secret (Standard Webhooks)."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    description: Mapped[str | None] = mapped_column(String(200))
    #: ``whsec_`` and the base64 of the signing key; kept because every payload is signed with it.
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    #: Space-separated event names (``WEBHOOK_EVENTS``).
    events: Mapped[str] = mapped_column(String(500), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: ``slack``: the SLACK_WEBHOOK_URL endpoint, whose deliveries are Slack messages (alerts.py).
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="webhook", server_default="webhook")
    consecutive_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(String(500))

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookDelivery(TimestampMixin, Model):
    """One event for one endpoint: written with the event, sent until delivered, once per event id."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        CheckConstraint(enum_check("status", WEBHOOK_DELIVERY_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: The ``webhook-id`` header: the same on every retry, so receivers can drop duplicates.
    event_id: Mapped[str] = mapped_column(String(100), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    endpoint: Mapped[WebhookEndpoint] = relationship()
