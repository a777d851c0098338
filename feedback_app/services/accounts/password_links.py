"""One-time set-password links for new staff (``users create --invite``) and password resets.

The link holds a signed, expiring token naming the user and a fingerprint of their current
password hash and session version. Setting a password changes both, so a link works once;
nothing about it is stored.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from feedback_app.extensions import db
from feedback_app.models import StaffUser

_SALT = "afterword.set-password.v1"
PATH_PREFIX = "/auth/set-password/"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: StaffUser) -> str:
    material = f"{user.id}:{user.password_hash or ''}:{user.session_version}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def make_token(user: StaffUser) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def make_link(user: StaffUser) -> str:
    """The full set-password URL to hand to the person (valid ``SET_PASSWORD_LINK_HOURS``)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{PATH_PREFIX}{make_token(user)}"


def user_for_token(token: str) -> StaffUser | None:
    """The active user this unexpired, unused link belongs to, or None."""
    max_age = current_app.config["SET_PASSWORD_LINK_HOURS"] * 3600
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(StaffUser, payload["u"])
    if user is None or not user.active or payload.get("f") != _fingerprint(user):
        return None
    return user
