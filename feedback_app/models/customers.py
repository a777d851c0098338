"""Departed customers: who left, what they were worth, and whether we may write to them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import Model
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check

if TYPE_CHECKING:
    from feedback_app.models.surveys import Invitation

CHURN_TYPES = ("voluntary", "involuntary")


class DepartedCustomer(TimestampMixin, Model):
    """A customer who cancelled, lapsed or switched; unique per source system and external id.

    Money is kept in integer cents so sums are exact on every database.
    """

    __tablename__ = "departed_customer"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        CheckConstraint(
            "monthly_revenue_cents IS NULL OR monthly_revenue_cents >= 0", name="revenue_not_negative"
        ),
        CheckConstraint("lifetime_value_cents IS NULL OR lifetime_value_cents >= 0", name="ltv_not_negative"),
        CheckConstraint("tenure_months IS NULL OR tenure_months >= 0", name="tenure_not_negative"),
        CheckConstraint(
            "churn_type IS NULL OR " + enum_check("churn_type", CHURN_TYPES), name="churn_type_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64), nullable=False, default="manual")
    external_id: Mapped[str] = mapped_column(String(128), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    #: For customers who ask to be called; shown to CX only on request (audited), never in exports.
    phone: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    plan: Mapped[str | None] = mapped_column(String(100), index=True)
    segment: Mapped[str | None] = mapped_column(String(100), index=True)
    monthly_revenue_cents: Mapped[int | None] = mapped_column(Integer)
    lifetime_value_cents: Mapped[int | None] = mapped_column(Integer)
    tenure_months: Mapped[int | None] = mapped_column(Integer)
    left_at: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    #: The billing provider's time of the cancellation stored in ``left_at``, to order two events of
    #: one day; None for a CSV row or an API item, which give only the day.
    left_at_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    churn_type: Mapped[str | None] = mapped_column(String(16))
    #: Primary language subtag (``pt``) from intake; picks the survey's and the emails' language.
    language: Mapped[str | None] = mapped_column(String(8))
    contact_consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    opted_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[date | None] = mapped_column(Date)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invitations: Mapped[list[Invitation]] = relationship(back_populates="customer")

    @property
    def first_name(self) -> str | None:
        """The first word of the name, for greetings."""
        if not self.name:
            return None
        return self.name.split()[0]

    def __repr__(self) -> str:
        return f"<DepartedCustomer {self.source}:{self.external_id}>"
