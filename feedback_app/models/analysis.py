"""Analysis runs, the root-cause themes they find, and which answers belong to which theme."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check, utcnow

RUN_STATUSES = ("queued", "running", "succeeded", "failed")
ASSIGNMENT_SOURCES = ("batch", "incremental", "manual")
#: Who set a theme's root cause: the pipeline ("model") or a person who confirmed or changed it
#: ("human"); a human cause is kept across runs and teaches the root-cause classifier.
CATEGORY_SOURCES = ("model", "human")


class AnalysisRun(Model):
    """One pass of the NLP pipeline over stored answers; progress is visible while it runs."""

    __tablename__ = "analysis_run"
    __table_args__ = (
        CheckConstraint(enum_check("status", RUN_STATUSES), name="status_known"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="queued", index=True)
    stage: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: The theme memory after this run (stable ids, centroids, human curation), as the pipeline's JSON.
    memory: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Last sign of life of a running run (each saved progress step): a killed worker stops it.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)


class Theme(TimestampMixin, Model):
    """A root-cause theme whose id stays the same across analysis runs."""

    __tablename__ = "theme"
    __table_args__ = (
        CheckConstraint(enum_check("category_source", CATEGORY_SOURCES), name="category_source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stable_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    human_label: Mapped[str | None] = mapped_column(String(200))
    label_locked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    keywords: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    category: Mapped[str] = mapped_column(String(64), nullable=False, default="emerging", index=True)
    category_source: Mapped[str] = mapped_column(
        String(8), nullable=False, default="model", server_default="model"
    )
    quotes: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    sentiment: Mapped[float | None] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    first_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id", ondelete="SET NULL"))
    last_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))

    merged_into: Mapped[Theme | None] = relationship(remote_side="Theme.id")

    @property
    def display_label(self) -> str:
        """The label people see: a human's rename wins over the pipeline's label."""
        return self.human_label or self.label

    @property
    def display_keywords(self) -> list[str]:
        """The keywords people see: a word already inside a longer keyword is left out, so the
        badges read "status page", not "status page", "status", "page"."""
        phrases = [set(k.lower().split()) for k in self.keywords if len(k.split()) > 1]
        return [
            k for k in self.keywords if len(k.split()) > 1 or not any(k.lower() in words for words in phrases)
        ]


class AssignmentColumns:
    """What a theme assignment holds, for an answer (:class:`ThemeAssignment`) or a conversation
    (``ConversationAssignment``): each adds the column naming what is assigned, its constraints and
    its sources. ``sort_order`` keeps that column after ``run_id``, where the tables have it."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True, sort_order=-2
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), nullable=False, index=True
    )
    segment_index: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    confidence: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="batch")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    @declared_attr
    def theme(cls) -> Mapped[Theme]:
        return relationship(Theme)


class ThemeAssignment(AssignmentColumns, Model):
    """A response (or one segment of its text) counted toward a theme in a given run."""

    __tablename__ = "theme_assignment"
    __table_args__ = (
        UniqueConstraint("run_id", "response_id", "theme_id", "segment_index"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_fraction"),
        CheckConstraint(enum_check("source", ASSIGNMENT_SOURCES), name="source_known"),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), nullable=False, index=True, sort_order=-1
    )
