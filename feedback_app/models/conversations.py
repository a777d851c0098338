"""Voices beyond the survey: support tickets, exit interviews and billing-portal reasons.

Free text is stored only after redaction (``nlp.redact``): a ticket's messages, its subject and an
interview's notes never reach the database with names, emails or account numbers in them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.models.analysis import AssignmentColumns
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check
from feedback_app.models.customers import DepartedCustomer

CONVERSATION_KINDS = ("ticket", "interview", "billing_portal")
CONVERSATION_ORIGINS = ("csv", "zendesk", "intercom", "dashboard", "stripe", "demo")
#: Tickets are open or closed; interviews are scheduled, held or cancelled; a portal reason is given.
CONVERSATION_STATUSES = ("open", "closed", "scheduled", "held", "cancelled", "given")
RESOLUTIONS = ("resolved", "unresolved")
AUTHOR_ROLES = ("customer", "agent")
COMPLAINT_STEPS = ("acknowledge", "investigate", "propose", "follow_up", "done")
COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "dropped")
VOICE_ASSIGNMENT_SOURCES = ("batch", "incremental", "manual")


class Conversation(TimestampMixin, Model):
    """One support ticket, exit interview or billing-portal reason of a departed customer."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("origin", "external_id"),
        CheckConstraint(enum_check("kind", CONVERSATION_KINDS), name="kind_known"),
        CheckConstraint(enum_check("origin", CONVERSATION_ORIGINS), name="origin_known"),
        CheckConstraint(enum_check("status", CONVERSATION_STATUSES), name="status_known"),
        CheckConstraint(
            "resolution IS NULL OR " + enum_check("resolution", RESOLUTIONS), name="resolution_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    origin: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The help desk's ticket id (re-importing the same ticket updates it); None for interviews.
    external_id: Mapped[str | None] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    resolution: Mapped[str | None] = mapped_column(String(16))
    #: When the ticket was opened, the interview held (or planned), the portal reason given.
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    interviewer: Mapped[str | None] = mapped_column(String(200))
    booking_note: Mapped[str | None] = mapped_column(Text)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What the analysis reads: the customer's own words (or the interview notes), redacted.
    redacted_text: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[float | None] = mapped_column(Float)

    customer: Mapped[DepartedCustomer] = relationship()
    messages: Mapped[list[ConversationMessage]] = relationship(
        back_populates="conversation", order_by="ConversationMessage.position", cascade="all, delete-orphan"
    )


class ConversationMessage(Model):
    """One message of a ticket, by the customer or by an agent (agents' words are never analysed)."""

    __tablename__ = "conversation_message"
    __table_args__ = (
        UniqueConstraint("conversation_id", "position"),
        CheckConstraint(enum_check("author_role", AUTHOR_ROLES), name="author_role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    author_role: Mapped[str] = mapped_column(String(16), nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body_redacted: Mapped[str] = mapped_column(Text, nullable=False)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class ConversationAssignment(AssignmentColumns, Model):
    """A conversation (or one segment of it) counted toward a theme, as ``ThemeAssignment`` is for answers."""

    __tablename__ = "conversation_assignment"
    __table_args__ = (
        UniqueConstraint(
            "run_id",
            "conversation_id",
            "theme_id",
            "segment_index",
            name="uq_conversation_assignment_run_segment",
        ),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_fraction"),
        CheckConstraint(enum_check("source", VOICE_ASSIGNMENT_SOURCES), name="source_known"),
    )

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False, index=True, sort_order=-1
    )


class ComplaintCase(TimestampMixin, Model):
    """A departed customer whose complaint was unresolved when they left, worked through the
    complaint-resolution steps: acknowledge, investigate with the owning team, propose, follow up."""

    __tablename__ = "complaint_case"
    __table_args__ = (
        CheckConstraint(enum_check("step", COMPLAINT_STEPS), name="step_known"),
        CheckConstraint(enum_check("status", COMPLAINT_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id", ondelete="SET NULL"))
    cause_key: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_team: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(16), nullable=False, default="acknowledge")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open", index=True)
    #: Each step taken: ``{"step", "note", "by", "at"}``.
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)

    customer: Mapped[DepartedCustomer] = relationship()
    conversation: Mapped[Conversation | None] = relationship()
