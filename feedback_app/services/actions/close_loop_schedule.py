"""Booking the "we fixed it" email for a chosen time.

The booking is stored on the action item; the periodic job ``close_loop.send_due`` (Celery beat,
``BEAT_CLOSE_LOOP_SECONDS``, or ``flask report send-booked``) takes each due booking and sends it
through :func:`close_loop.send`, so recipients and text are those at send time and the outbox
delivers as for a send now. A booking is taken by clearing it with a conditional UPDATE, so two
workers never both send it; ``send``'s per-customer keys keep a repeat from writing twice anyway.
The clearing is committed together with the queued emails (``send``'s commit), so a run that dies
or fails in between leaves the booking for the next run, and one item's failure does not stop the
others.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import ActionItem, utcnow
from feedback_app.services.accounts import audit
from feedback_app.services.actions import close_loop, close_loop_email

log = logging.getLogger(__name__)

#: How far ahead a send may be booked.
LATEST = timedelta(days=366)


def schedule(item: ActionItem, *, at: datetime, actor: str, actor_user_id: int | None = None) -> None:
    """Book the send for ``at`` (UTC); the item must be ready to send now, so a booking never
    fails later for a reason staff could have fixed today."""
    if item.status != "shipped":
        raise close_loop.CloseLoopError("Mark the item shipped before booking the email.")
    problem = close_loop_email.ready(item)
    if problem:
        raise close_loop.CloseLoopError(problem)
    now = utcnow()
    if at <= now:
        raise close_loop.CloseLoopError("Send at: choose a time in the future (UTC).")
    if at > now + LATEST:
        raise close_loop.CloseLoopError("Send at: choose a time within the next year.")
    item.loop_scheduled_at = at
    item.loop_scheduled_by = actor
    audit.record(
        "action.close_loop_scheduled",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
        at=at.isoformat(),
    )
    db.session.commit()


def cancel(item: ActionItem, *, actor: str, actor_user_id: int | None = None) -> None:
    if item.loop_scheduled_at is None:
        raise close_loop.CloseLoopError("No send is booked for this item.")
    item.loop_scheduled_at = item.loop_scheduled_by = None
    audit.record(
        "action.close_loop_unscheduled",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
    )
    db.session.commit()


def _take(item_id: int, at: datetime) -> bool:
    """Clear the booking if it is still the one we saw, in the open transaction (the caller commits
    it with the emails); True when this caller took it. On PostgreSQL the row stays locked until
    then, so a second worker's UPDATE waits and then finds the booking gone."""
    taken = db.session.scalar(
        update(ActionItem)
        .where(ActionItem.id == item_id, ActionItem.loop_scheduled_at == at)
        .values(loop_scheduled_at=None)
        .returning(ActionItem.id)
        .execution_options(synchronize_session=False)
    )
    return taken is not None


@job("close_loop.send_due")
def send_due() -> int:
    """Send every booking that is due; returns how many emails were queued in all."""
    due = db.session.execute(
        select(ActionItem.id, ActionItem.loop_scheduled_at, ActionItem.loop_scheduled_by)
        .where(ActionItem.loop_scheduled_at <= utcnow())
        .order_by(ActionItem.loop_scheduled_at, ActionItem.id)
    ).all()
    db.session.commit()  # end the read, so each booking is taken in a transaction of its own
    queued = 0
    for item_id, at, booked_by in due:
        try:
            if at is None or not _take(item_id, at):
                db.session.rollback()
                continue  # another worker took it
            item = db.session.get(ActionItem, item_id, populate_existing=True)
            if item is None:
                db.session.rollback()
                continue
            queued += close_loop.send(item, actor=f"{booked_by or 'staff'} (booked send)")
        except close_loop.CloseLoopError as exc:  # e.g. the item was reopened since the booking
            log.warning("booked close-the-loop send for item %s not sent: %s", item_id, exc)
            audit.record(
                "action.close_loop_schedule_failed",
                actor="system",
                target_type="action_item",
                target_id=item_id,
                reason=str(exc),
            )
            db.session.commit()
        except Exception:  # the booking was not cleared: the next run tries it again
            db.session.rollback()
            log.exception("booked close-the-loop send for item %s failed; it stays booked", item_id)
    return queued
