"""Retention: raw free-text answers older than ``RETENTION_DAYS`` are purged daily; redacted text,
choices, scores and theme counts stay. The same run deletes CSV uploads left waiting for their
import for over a day (they hold customers' contact details)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import Response, utcnow
from feedback_app.services.accounts import audit
from feedback_app.services.customers import upload_stash
from feedback_app.services.privacy.people import PrivacyError, split_answers

#: A hundred years: any real retention period, and a cut-off date the calendar can still hold.
MAX_RETENTION_DAYS = 36_500


def purge_old_free_text(days: int, *, now: datetime | None = None, actor: str = "system") -> int:
    """Drop raw free-text answers submitted more than ``days`` ago; redacted text, choices,
    scores and theme counts stay. Returns how many responses were purged."""
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise PrivacyError(f"Retention must be at least 1 day and at most {MAX_RETENTION_DAYS}, got {days}.")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    purged = 0
    for response in db.session.scalars(
        select(Response).where(Response.submitted_at < cutoff, Response.text_purged_at.is_(None))
    ):
        kept, _removed = split_answers(response)
        response.answers = kept
        response.text_purged_at = now
        purged += 1
    if purged:
        audit.record("retention.purge", actor=actor, days=days, responses=purged)
    db.session.commit()
    return purged


@job("retention.purge")
def retention_job() -> int:
    """The scheduled purge: uses ``RETENTION_DAYS`` (0 = keep raw text). Uploads nobody imported
    go after a day whatever the setting, even when their user never comes back to them."""
    upload_stash.sweep(upload_stash.folder())
    days = int(current_app.config.get("RETENTION_DAYS") or 0)
    return purge_old_free_text(days) if days > 0 else 0
