"""API keys for the JSON API: shown once at creation, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import API_SCOPES, ApiKey, utcnow
from feedback_app.pagination import PER_PAGE, paginate
from feedback_app.services.accounts import audit
from feedback_app.services.validation.row_ids import row_id

KEY_PREFIX = "awk_"
_PREFIX_LENGTH = len(KEY_PREFIX) + 8  # what `apikeys list` shows to recognise a key


class ApiKeyError(ValueError):
    """A user-facing problem with an API key command (unknown key, empty label)."""


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


DEFAULT_SCOPES = ("departures:write",)
#: Scopes that only work beside another: raw text is served by the read endpoints, which check
#: ``read`` first, so a key with ``responses:raw`` alone could read nothing.
NEEDS = {"responses:raw": "read"}


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes in their documented order; ``ApiKeyError`` naming an unknown one, none at all, or
    ``responses:raw`` without ``read`` (refused rather than added: reading everything else must be
    asked for, not granted as a side effect)."""
    wanted = {s.strip() for s in scopes if s.strip()}
    unknown = sorted(wanted - set(API_SCOPES))
    if unknown:
        raise ApiKeyError(f"Unknown scope {', '.join(map(repr, unknown))}; use {' or '.join(API_SCOPES)}.")
    if not wanted:
        raise ApiKeyError(f"Give the key at least one scope: {' or '.join(API_SCOPES)}.")
    for scope, needed in NEEDS.items():
        if scope in wanted and needed not in wanted:
            raise ApiKeyError(
                f"The scope '{scope}' works only with '{needed}': give the key both "
                f"(raw text is read through the '{needed}' endpoints)."
            )
    return [scope for scope in API_SCOPES if scope in wanted]


def create_key(
    label: str,
    *,
    actor: str = "cli",
    created_by_id: int | None = None,
    scopes: Iterable[str] = DEFAULT_SCOPES,
) -> tuple[ApiKey, str]:
    """A new key and its raw value; the raw value is returned once and never stored."""
    label = label.strip()
    if not label or len(label) > 100:
        raise ApiKeyError("The label must be 1 to 100 characters, e.g. 'billing system'.")
    allowed = check_scopes(scopes)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        label=label,
        prefix=raw[:_PREFIX_LENGTH],
        key_hash=_hash(raw),
        created_by_id=created_by_id,
        scopes=" ".join(allowed),
    )
    db.session.add(key)
    db.session.flush()
    audit.record(
        "apikey.create",
        actor=actor,
        actor_user_id=created_by_id,
        target_type="api_key",
        target_id=key.id,
        label=label,
        prefix=key.prefix,
        scopes=allowed,
    )
    db.session.commit()
    return key, raw


def list_keys() -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))


def keys_page(page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of keys for the admin page, newest first: the key just made heads the list."""
    return paginate(select(ApiKey).order_by(ApiKey.id.desc()), page, per_page)


def find_key(ident: str) -> ApiKey:
    """A key by its id or its shown prefix."""
    ident = ident.strip()
    key_id = row_id(ident)
    key = db.session.get(ApiKey, key_id) if key_id is not None else None
    if key is None:
        matches = list(db.session.scalars(select(ApiKey).where(ApiKey.prefix == ident)))
        if len(matches) > 1:
            raise ApiKeyError(f"More than one key starts with {ident!r}; revoke by id instead.")
        key = matches[0] if matches else None
    if key is None:
        raise ApiKeyError(f"No API key with id or prefix {ident!r}; `flask apikeys list` shows them.")
    return key


def revoke_key(ident: str, *, actor: str = "cli", actor_user_id: int | None = None) -> ApiKey:
    """Revoke a key at once; requests with it get 401 from now on. Revoking twice is harmless."""
    key = find_key(ident)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(
            "apikey.revoke",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="api_key",
            target_id=key.id,
            prefix=key.prefix,
        )
        db.session.commit()
    return key


def key_from_headers(authorization: str | None, x_api_key: str | None) -> str | None:
    """The raw key from ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    if x_api_key and x_api_key.strip():
        return x_api_key.strip()
    return None


def authenticate(raw_key: str | None) -> ApiKey | None:
    """The active key for this raw value, or None (unknown, revoked or malformed)."""
    if not raw_key or not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 200:
        return None
    digest = _hash(raw_key)
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    if key is None or key.revoked_at is not None or not hmac.compare_digest(key.key_hash, digest):
        return None
    key.last_used_at = utcnow()
    db.session.commit()
    return key
