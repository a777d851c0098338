"""Win-back campaigns with a holdout, the CPR desk's cases, and active-customer counts for churn rates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check, utcnow
from feedback_app.models.customers import DepartedCustomer

CAMPAIGN_STATUSES = ("draft", "sent")
ARMS = ("offer", "holdout")
CPR_STATUSES = ("open", "offered", "accepted", "declined", "expired")
CPR_PICKED_BY = ("threshold", "hand")


class WinbackCampaign(TimestampMixin, Model):
    """An offer with a deadline to one target of former customers, a random share held out to measure lift."""

    __tablename__ = "winback_campaign"
    __table_args__ = (
        CheckConstraint(enum_check("status", CAMPAIGN_STATUSES), name="status_known"),
        CheckConstraint("holdout_share >= 0 AND holdout_share < 1", name="holdout_fraction"),
        CheckConstraint("offer_value_cents >= 0", name="offer_value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    #: Who is targeted: causes, theme_ids, segments, plans, ltv_min_cents, ltv_max_cents, left_from, left_to.
    target: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    holdout_share: Mapped[float] = mapped_column(Float, nullable=False, default=0.1)
    #: The seed of the holdout draw, recorded so the assignment can be reproduced and audited.
    seed: Mapped[int] = mapped_column(Integer, nullable=False)
    offer_text: Mapped[str] = mapped_column(Text, nullable=False)
    offer_code: Mapped[str | None] = mapped_column(String(64))
    offer_value_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    offer_deadline: Mapped[date] = mapped_column(Date, nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    landing_url: Mapped[str] = mapped_column(String(500), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    members: Mapped[list[CampaignMember]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class CampaignMember(Model):
    """One targeted customer in one campaign, in the offer arm or the holdout, with what they did."""

    __tablename__ = "winback_member"
    __table_args__ = (
        UniqueConstraint("campaign_id", "customer_id"),
        CheckConstraint(enum_check("arm", ARMS), name="arm_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("winback_campaign.id", ondelete="CASCADE"), nullable=False
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), nullable=False, index=True
    )
    arm: Mapped[str] = mapped_column(String(8), nullable=False)
    #: SHA-256 of the member's link token (tracked clicks and opens); only the offer arm has one.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    outbox_email_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_email.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    campaign: Mapped[WinbackCampaign] = relationship(back_populates="members")
    customer: Mapped[DepartedCustomer] = relationship()


class CprCase(TimestampMixin, Model):
    """Comprehend, Propose, Respond for one high-value former customer: the offer and its outcome."""

    __tablename__ = "cpr_case"
    __table_args__ = (
        CheckConstraint(enum_check("status", CPR_STATUSES), name="status_known"),
        CheckConstraint(enum_check("picked_by", CPR_PICKED_BY), name="picked_by_known"),
        CheckConstraint(
            "offer_value_cents IS NULL OR offer_value_cents >= 0", name="offer_value_not_negative"
        ),
        CheckConstraint("cost_to_serve_cents IS NULL OR cost_to_serve_cents >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("departed_customer.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    picked_by: Mapped[str] = mapped_column(String(16), nullable=False, default="threshold")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open", index=True)
    #: Monthly cost of serving this customer, when known (support, infrastructure).
    cost_to_serve_cents: Mapped[int | None] = mapped_column(Integer)
    offer_subject: Mapped[str | None] = mapped_column(String(300))
    offer_text: Mapped[str | None] = mapped_column(Text)
    offer_value_cents: Mapped[int | None] = mapped_column(Integer)
    offer_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outbox_email_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_email.id", ondelete="SET NULL"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_note: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    customer: Mapped[DepartedCustomer] = relationship()


class ActiveCount(TimestampMixin, Model):
    """How many customers were active on the first day of a month, overall or for one segment/plan.

    An empty ``segment`` or ``plan`` means "all": ("", "") is the company-wide count.
    """

    __tablename__ = "active_count"
    __table_args__ = (
        UniqueConstraint("month", "segment", "plan"),
        CheckConstraint("active_customers >= 0", name="active_not_negative"),
        CheckConstraint("mrr_cents IS NULL OR mrr_cents >= 0", name="mrr_not_negative"),
        CheckConstraint("new_customers IS NULL OR new_customers >= 0", name="new_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    segment: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    plan: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    active_customers: Mapped[int] = mapped_column(Integer, nullable=False)
    mrr_cents: Mapped[int | None] = mapped_column(Integer)
    #: Customers whose subscription started in this month (the cohort's size), when given.
    new_customers: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32), nullable=False, default="csv")


MOVEMENT_KINDS = ("new", "cancelled", "returned")


class SubscriptionMovement(Model):
    """One change in who is active, read from a billing provider's event: a new subscription, a
    cancellation or a return; added up per month beside the uploaded active counts."""

    __tablename__ = "subscription_movement"
    __table_args__ = (
        UniqueConstraint("provider", "event_id"),
        CheckConstraint(enum_check("kind", MOVEMENT_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(128), nullable=False)
    external_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
