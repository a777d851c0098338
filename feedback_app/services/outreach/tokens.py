"""Survey-link tokens: 256 random bits, URL-safe, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The hex SHA-256 kept in the database; the token itself is never stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
