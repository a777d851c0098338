"""What the integrations remember: billing events already processed (so a redelivery changes nothing)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedback_app.extensions import db
from feedback_app.models.base import UTCDateTime, utcnow

BILLING_PROVIDERS = ("stripe", "chargebee", "paddle")


class BillingEvent(db.Model):
    """One billing-provider event id, stored in the transaction that applied it: a replay is a no-op."""

    __tablename__ = "billing_event"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(128), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    #: What the event did, in words (``created``, ``returned``, ``ignored: ...``).
    outcome: Mapped[str] = mapped_column(String(200), nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
