"""Finding the invitation behind a survey link, and recording that it was opened.

Tokens are looked up by their SHA-256 only. An unknown, revoked or expired token finds nothing,
and the caller answers all three the same way (a friendly 404 that reveals nothing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Invitation, utcnow
from feedback_app.services.tokens import hash_token

#: Longest token we bother hashing; real ones are 43 characters.
MAX_TOKEN_LENGTH = 200


def find_invitation(token: str, *, now: datetime | None = None) -> Invitation | None:
    """The live invitation for a raw token, or None when unknown, revoked or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or invitation.revoked_at is not None or invitation.status == "revoked":
        return None
    now = now or utcnow()
    if invitation.expires_at is not None and invitation.expires_at <= now:
        return None
    return invitation


def record_opened(invitation: Invitation) -> bool:
    """Record the first opening of the link (once); True when this call recorded it."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = utcnow()
    if invitation.status in ("pending", "sent", "bounced"):
        invitation.status = "opened"
    db.session.commit()
    return True
