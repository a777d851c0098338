"""Staff accounts and API keys. Secrets are stored only as hashes."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from feedback_app.extensions import Model
from feedback_app.i18n import N_
from feedback_app.models.base import TimestampMixin, UTCDateTime, enum_check

ROLES = ("admin", "cx", "product")
#: Each role as staff read it: the stored key ("cx") is never shown.
ROLE_NAMES: dict[str, str] = {"admin": N_("Admin"), "cx": N_("CX"), "product": N_("Product")}
#: What each role may do, in a sentence, for the person holding it (the profile page).
ROLE_DESCRIPTIONS: dict[str, str] = {
    "admin": N_("Everything, including staff accounts, API keys and webhooks."),
    "cx": N_(
        "Everything but the Admin section (staff accounts, API keys, webhooks): customers, email, "
        "conversations, themes, the action plan, follow-ups and win-back."
    ),
    "product": N_("Read the reports and themes, and edit the action items your team owns."),
}
#: What an API key may do, with the words the admin page shows.
API_SCOPES: dict[str, str] = {
    "departures:write": N_("Send departed customers"),
    "read": N_("Read customers, answers, root causes, themes and action items"),
    #: Answers as written (names, emails, phone numbers); only with ``read``, and each read is audited.
    "responses:raw": N_("Read answers' raw text, with names, emails and phone numbers"),
}


class StaffUser(UserMixin, TimestampMixin, Model):
    """A person on the CX, product or admin team who uses the dashboard."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(enum_check("role", ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set on the profile page: this person gets the weekly digest email.
    digest_opt_in: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session version makes old sessions invalid after logout or a password change.
        return f"{self.id}:{self.session_version}"


class ApiKey(TimestampMixin, Model):
    """A key for the JSON API; only its SHA-256 and a short prefix for recognition are kept."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: Space-separated scopes (``API_SCOPES``); keys made before scopes existed may only write.
    scopes: Mapped[str] = mapped_column(
        String(100), nullable=False, default="departures:write", server_default="departures:write"
    )

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def allows(self, scope: str) -> bool:
        return scope in self.scope_list
