"""The transactional outbox: every email is a row first, sent later, exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback_app.extensions import Model
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check

EMAIL_KINDS = ("invitation", "reminder", "we_fixed_it", "winback", "cpr_offer", "interview", "digest")
EMAIL_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")


class OutboxEmail(TimestampMixin, Model):
    """One email to send, claimed by one sender at a time, keyed for idempotency."""

    __tablename__ = "outbox_email"
    __table_args__ = (
        CheckConstraint(enum_check("kind", EMAIL_KINDS), name="kind_known"),
        CheckConstraint(enum_check("status", EMAIL_STATUSES), name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    action_item_id: Mapped[int | None] = mapped_column(ForeignKey("action_item.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(320), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MailSendSlot(Model):
    """The outbox's shared send rate: one row (``id`` 1) holding the earliest moment, in seconds
    since the epoch, at which the next email may go out. Every run reserves its next send here in
    one atomic UPDATE, so ``MAIL_RATE_PER_SECOND`` holds across concurrent runs and workers."""

    __tablename__ = "mail_send_slot"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    next_send_at: Mapped[float] = mapped_column(Float, nullable=False)
