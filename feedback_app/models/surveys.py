"""Surveys, their versions, the personal invitations and the responses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from feedback_app.models.customers import DepartedCustomer

INVITATION_STATUSES = ("pending", "sent", "opened", "completed", "opted_out", "bounced", "revoked")
#: Where an answer came from: the survey page, or a billing provider's cancellation form.
RESPONSE_SOURCES = ("survey", "stripe", "chargebee", "paddle")


class Survey(TimestampMixin, Model):
    """A survey by its stable key; its questions live in versions."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    auto_invite_delay_hours: Mapped[int | None] = mapped_column(Integer)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.version", cascade="all, delete-orphan"
    )


class SurveyVersion(Model):
    """One immutable version of a survey definition, exactly as loaded from ``surveys/``."""

    __tablename__ = "survey_version"
    __table_args__ = (
        UniqueConstraint("survey_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    definition_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    survey: Mapped[Survey] = relationship(back_populates="versions")


class Invitation(TimestampMixin, Model):
    """One customer's personal link to one survey. Only the token's SHA-256 is stored."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("customer_id", "survey_id"),
        CheckConstraint(enum_check("status", INVITATION_STATUSES), name="status_known"),
        CheckConstraint("reminder_count >= 0", name="reminders_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), nullable=False
    )
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[DepartedCustomer] = relationship(back_populates="invitations")
    survey: Mapped[Survey] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="invitation", uselist=False)


class Response(TimestampMixin, Model):
    """The one answer to an invitation, with the survey version it answered."""

    __tablename__ = "response"
    __table_args__ = (CheckConstraint(enum_check("source", RESPONSE_SOURCES), name="source_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id"), nullable=False, index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The free text the analysis reads, with personal data replaced by placeholders.
    redacted_text: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[float | None] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
    text_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the customer last edited the answer (within ``SURVEY_EDIT_WINDOW_MINUTES``): an edit
    #: after a full run read it outranks that run's theme (``assignment.main_themes``).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``survey`` for the survey page; a billing provider's name for the reason and words its
    #: cancellation form collected (analysed like survey text).
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="survey", server_default="survey")

    invitation: Mapped[Invitation] = relationship(back_populates="response")
    survey_version: Mapped[SurveyVersion] = relationship()
