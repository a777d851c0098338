"""The action plan and the human follow-up queue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.i18n import N_
from feedback_app.models.analysis import Theme
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check

ACTION_STATUSES = ("proposed", "accepted", "in_progress", "shipped", "dropped")
#: Each status by name (the action plan's pages, its filters and the audit log's details).
ACTION_STATUS_NAMES: dict[str, str] = {
    "proposed": N_("Proposed"),
    "accepted": N_("Accepted"),
    "in_progress": N_("In progress"),
    "shipped": N_("Shipped"),
    "dropped": N_("Dropped"),
}
OWNER_TEAMS = ("product", "engineering", "support", "billing", "marketing", "operations", "legal")


class ActionItem(TimestampMixin, Model):
    """A root cause turned into owned, dated work, with the evidence behind it."""

    __tablename__ = "action_item"
    __table_args__ = (
        CheckConstraint(enum_check("status", ACTION_STATUSES), name="status_known"),
        CheckConstraint(enum_check("owner_team", OWNER_TEAMS), name="owner_team_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    #: The root cause (taxonomy key) the item is about, with or without a theme.
    cause_key: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    root_cause: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    owner_team: Mapped[str] = mapped_column(String(32), nullable=False, default="product")
    actions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="proposed", index=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    loop_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The "you told us, we changed it" email as staff wrote it (None: the default text), and the
    #: change described for customers: the only words about the fix that reach them.
    customer_subject: Mapped[str | None] = mapped_column(String(200))
    customer_body: Mapped[str | None] = mapped_column(Text)
    customer_change: Mapped[str | None] = mapped_column(Text)
    #: A send of that email booked for later: when, and who booked it (the audit names them when
    #: the due job sends). Cleared when the job takes it, so it is sent once.
    loop_scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    loop_scheduled_by: Mapped[str | None] = mapped_column(String(255))

    theme: Mapped[Theme | None] = relationship()


class FollowUp(TimestampMixin, Model):
    """An answer that deserves a quick human reply: asked for contact, or very negative and valuable."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
