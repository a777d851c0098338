"""The tracked parts of a win-back email: the offer link (a click), the open pixel, the opt-out.

Each offer-arm member has their own random token (only its SHA-256 is stored); the first click
and the first open are recorded, later ones change nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import CampaignMember, utcnow
from feedback_app.services.outreach import optout
from feedback_app.services.outreach.tokens import hash_token


def member_for(token: str) -> CampaignMember | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(CampaignMember).where(CampaignMember.token_hash == hash_token(token)))


def record_click(token: str) -> str | None:
    """Count the click and return where the offer lives; None for an unknown link."""
    member = member_for(token)
    if member is None:
        return None
    now = utcnow()
    member.clicked_at = member.clicked_at or now
    member.opened_at = member.opened_at or now
    db.session.commit()
    return member.campaign.landing_url


def record_open(token: str) -> None:
    """Count the open (the email's image was loaded); unknown tokens are ignored."""
    member = member_for(token)
    if member is not None and member.opened_at is None:
        member.opened_at = utcnow()
        db.session.commit()


def opt_out(token: str) -> bool:
    """Opt the member's customer out of all email; False for an unknown link."""
    member = member_for(token)
    if member is None:
        return False
    optout.opt_out(member.customer, channel="winback_email")
    return True
