"""Staff accounts: creation, password checks and lookup for sessions."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import ROLES, StaffUser, utcnow
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.accounts import audit, password_links
from feedback_app.services.validation.email_addresses import InvalidEmail, check_email

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@functools.cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    """The Argon2id hasher at the app's ``PASSWORD_HASH_PROFILE`` (verifying reads a hash's own cost)."""
    return _hasher_for(current_app.config["PASSWORD_HASH_PROFILE"])


# Verifying against this keeps the timing of "unknown user" equal to "wrong password".
@functools.cache
def _dummy_hash(profile: str) -> str:
    """A hash to verify against for unknown users; made on first use, not at import (slow on purpose)."""
    return _hasher_for(profile).hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    """A user-facing problem with account data (bad email, weak password, duplicate)."""


def validate_password(password: str) -> None:
    """Length rules only (NIST 800-63B): at least 12 characters, passphrases welcome."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"Password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_new_email(email: str) -> str:
    """A new account's address through the app's one email check; UserError saying why not."""
    try:
        return check_email(email)
    except InvalidEmail as problem:
        raise UserError(f"Email {problem}.") from None


def create_user(
    email: str, role: str, password: str | None, *, actor: str = "cli", actor_user_id: int | None = None
) -> StaffUser:
    """Create a staff user; ``password=None`` leaves the account waiting for a set-password link."""
    email = check_new_email(email)
    if role not in ROLES:
        raise UserError(f"Role must be one of {', '.join(ROLES)}, got {role!r}.")
    if db.session.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise UserError(f"A user with email {email} already exists.")
    user = StaffUser(email=email, role=role)
    if password is not None:
        validate_password(password)
        user.password_hash = _hasher().hash(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="staff_user",
        target_id=user.id,
        role=role,
    )
    db.session.commit()
    return user


def set_password(user: StaffUser, password: str, *, actor: str = "cli") -> None:
    validate_password(password)
    user.password_hash = _hasher().hash(password)
    user.session_version += 1  # every old session ends
    audit.record("user.set_password", actor=actor, target_type="staff_user", target_id=user.id)
    db.session.commit()


def get_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def require_by_email(email: str) -> StaffUser:
    """The user with this email, or a UserError naming the email."""
    user = get_by_email(email)
    if user is None:
        raise UserError(f"No user with email {normalise_email(email)}.")
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))


def users_page(page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of staff accounts for the admin page, by email as :func:`list_users` (an admin
    looks a person up by their address)."""
    return paginate(select(StaffUser).order_by(StaffUser.email, StaffUser.id), page, per_page)


def set_role(user: StaffUser, role: str, *, actor: str = "cli", actor_user_id: int | None = None) -> None:
    """Change a role; the user's sessions end so the new role applies at once."""
    if role not in ROLES:
        raise UserError(f"Role must be one of {', '.join(ROLES)}, got {role!r}.")
    _refuse_removing_last_admin(user, still_admin=role == "admin")
    old = user.role
    user.role = role
    user.session_version += 1
    audit.record(
        "user.set_role",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="staff_user",
        target_id=user.id,
        old_role=old,
        new_role=role,
    )
    db.session.commit()


def deactivate(user: StaffUser, *, actor: str = "cli", actor_user_id: int | None = None) -> None:
    """Switch an account off; its sessions end and it can no longer sign in."""
    _refuse_removing_last_admin(user, still_admin=False)
    user.active = False
    user.session_version += 1
    audit.record(
        "user.deactivate",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="staff_user",
        target_id=user.id,
    )
    db.session.commit()


def reactivate(user: StaffUser, *, actor: str = "cli", actor_user_id: int | None = None) -> None:
    """Let a deactivated account sign in again; an active one is refused by name, so neither the
    command line nor the page reports a change (or records one in the audit log) that did not happen."""
    if user.active:
        raise UserError(f"{user.email} is already active.")
    user.active = True
    audit.record(
        "user.reactivate",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="staff_user",
        target_id=user.id,
    )
    db.session.commit()


def reset_link(user: StaffUser, *, actor: str = "cli", actor_user_id: int | None = None) -> str:
    """A one-time set-password link for an active account; the audit log names who made it, since
    the link is a way into the account."""
    if not user.active:
        raise UserError(f"{user.email} is deactivated; reactivate the account first.")
    audit.record(
        "user.reset_link",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="staff_user",
        target_id=user.id,
    )
    db.session.commit()
    return password_links.make_link(user)


def _refuse_removing_last_admin(user: StaffUser, *, still_admin: bool) -> None:
    if user.role != "admin" or still_admin or not user.active:
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != user.id)
    )
    if not others:
        raise UserError(f"{user.email} is the last active admin; make someone else admin first.")


def record_sign_in(user: StaffUser) -> None:
    audit.record(
        "auth.login", actor=user.email, actor_user_id=user.id, target_type="staff_user", target_id=user.id
    )
    db.session.commit()


def authenticate(email: str, password: str) -> StaffUser | None:
    """The user for these credentials, or None; same work for unknown users and wrong passwords."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    stored = (
        user.password_hash
        if user and user.password_hash
        else _dummy_hash(current_app.config["PASSWORD_HASH_PROFILE"])
    )
    ok: bool
    try:
        ok = _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.password_hash or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def load_user_from_session(session_id: str) -> StaffUser | None:
    """Flask-Login's loader: ``"<id>:<session_version>"`` must match the current version."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(StaffUser, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def end_all_sessions(user: StaffUser) -> None:
    user.session_version += 1
    db.session.commit()


def set_digest_opt_in(user: StaffUser, wanted: bool, *, actor: str = "web") -> None:
    """Turn the weekly digest email on or off for this person (their own profile setting)."""
    if user.digest_opt_in == wanted:
        return
    user.digest_opt_in = wanted
    audit.record(
        "user.digest_opt_in" if wanted else "user.digest_opt_out",
        actor=actor,
        actor_user_id=user.id,
        target_type="staff_user",
        target_id=user.id,
    )
    db.session.commit()


def digest_subscribers() -> list[StaffUser]:
    """Active staff who asked for the weekly digest."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.active.is_(True), StaffUser.digest_opt_in.is_(True))
            .order_by(StaffUser.email)
        )
    )
