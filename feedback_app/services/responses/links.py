"""Finding the invitation behind a survey link, and recording that it was opened.

Tokens are looked up by their SHA-256 only. An unknown, revoked or expired token finds nothing,
and the caller answers all three the same way (a friendly 404 that reveals nothing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.orm import joinedload

from feedback_app.extensions import db
from feedback_app.models import Invitation, Survey, utcnow
from feedback_app.services.outreach.tokens import hash_token

#: Longest token we bother hashing; real ones are 43 characters.
MAX_TOKEN_LENGTH = 200
#: Statuses that become "opened" on the first view (a completed or revoked one stays).
OPENABLE_STATUSES = ("pending", "sent", "bounced")


def find_invitation(token: str, *, now: datetime | None = None, ended_too: bool = False) -> Invitation | None:
    """The live invitation for a raw token, or None when unknown, revoked or expired (with
    ``ended_too``, revoked and expired ones as well: an old email's unsubscribe link).

    One query loads what the survey pages show: the customer, the survey with its versions, and
    the response if there is one.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = (
        select(Invitation)
        .options(
            joinedload(Invitation.customer),
            joinedload(Invitation.response),
            joinedload(Invitation.survey).joinedload(Survey.versions),
        )
        .where(Invitation.token_hash == hash_token(token))
    )
    invitation = db.session.scalars(query).unique().one_or_none()  # token_hash is unique
    if invitation is None or ended_too:
        return invitation
    if invitation.revoked_at is not None or invitation.status == "revoked":
        return None
    if invitation.expires_at is not None and invitation.expires_at <= (now or utcnow()):
        return None
    return invitation


def mark_opened(invitation: Invitation) -> None:
    """Record the first opening of a link, and commit.

    The UPDATE only matches while ``opened_at`` is empty, so two tabs opening the link at once
    record one time; an answered or revoked invitation keeps its status.
    """
    if invitation.opened_at is not None:
        return
    openable = Invitation.status.in_(OPENABLE_STATUSES)
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
        .values(opened_at=utcnow(), status=case((openable, "opened"), else_=Invitation.status)),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
