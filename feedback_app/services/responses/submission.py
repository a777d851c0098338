"""Storing a former customer's answers: one response per invitation, whatever the clicking.

A second submit, a double click, two tabs or two concurrent POSTs never create a second row:
the unique constraint on ``response.invitation_id`` decides, and the loser is told its answer
was received. Within ``SURVEY_EDIT_WINDOW_MINUTES`` of submitting, a deliberate edit (the form
carries the response id) changes the stored answers in place.

After a response is committed, ``after_response_submitted(response_id)`` runs the callbacks
other areas registered with ``on_response_submitted`` (e.g. assigning the answer to themes).
What must be written with a new answer or not at all (the outbox rows of its webhook event)
registers with ``on_response_stored`` instead: ``response_stored(response_id)`` runs it inside the
answer's own transaction, so a crash right after the commit loses none of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import Invitation, Response, SurveyVersion, utcnow
from feedback_app.services.insights import follow_ups

log = logging.getLogger(__name__)

ResponseCallback = Callable[[int], None]
_after_submit_callbacks: list[ResponseCallback] = []
_stored_callbacks: list[ResponseCallback] = []


def on_response_stored(callback: ResponseCallback) -> ResponseCallback:
    """Register ``callback(response_id)`` to run in the transaction that stores a new response,
    before its commit; it adds rows and never commits (an error in it fails the whole write)."""
    if callback not in _stored_callbacks:
        _stored_callbacks.append(callback)
    return callback


def response_stored(response_id: int) -> None:
    """Called by whatever stores a new response (the survey page, billing feedback), after its
    flush and before its commit."""
    for callback in list(_stored_callbacks):
        callback(response_id)


def on_response_submitted(callback: ResponseCallback) -> ResponseCallback:
    """Register ``callback(response_id)`` to run after a response is stored or edited.

    Callbacks run in the request, after the commit, in registration order; one that raises is
    logged and does not stop the others or the respondent's thank-you page. Long work belongs in
    a background job the callback starts.
    """
    if callback not in _after_submit_callbacks:
        _after_submit_callbacks.append(callback)
    return callback


def remove_response_callback(callback: ResponseCallback) -> None:
    """Unregister a callback (tests use this to clean up)."""
    if callback in _after_submit_callbacks:
        _after_submit_callbacks.remove(callback)


def after_response_submitted(response_id: int) -> None:
    """The extension point called after a response is committed (created or edited)."""
    for callback in list(_after_submit_callbacks):
        try:
            callback(response_id)
        except Exception:  # the answer is stored; a follow-up failing must not lose the thank-you
            log.exception(
                "after_response_submitted callback %r failed for response %s", callback, response_id
            )


@dataclass
class SubmitOutcome:
    """What happened to a submission: ``created``, ``updated`` or ``duplicate`` (already received)."""

    status: str
    response_id: int | None


def can_edit(response: Response, window_minutes: int, *, now: datetime | None = None) -> bool:
    """Whether the respondent may still change these answers."""
    return editable_until(response.submitted_at, window_minutes, now=now) is not None


def editable_until(
    submitted_at: datetime, window_minutes: int, *, now: datetime | None = None
) -> datetime | None:
    """The edit deadline of answers submitted at ``submitted_at`` while it is still ahead, else None."""
    if window_minutes <= 0:
        return None
    deadline = submitted_at + timedelta(minutes=window_minutes)
    return deadline if (now or utcnow()) < deadline else None


def existing_response(invitation: Invitation) -> Response | None:
    """The stored response to an invitation, asked of the database (not of a loaded relationship)."""
    return db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))


def submit_response(
    invitation: Invitation,
    version: SurveyVersion,
    answers: dict[str, Any],
    *,
    edit_of: int | None = None,
    window_minutes: int = 0,
) -> SubmitOutcome:
    """Store the answers to an invitation once; see the module docstring for repeats and edits."""
    current = existing_response(invitation)
    if current is not None:
        return _edit_or_duplicate(current, version, answers, edit_of=edit_of, window_minutes=window_minutes)
    return _create(invitation, version, answers)


def _edit_or_duplicate(
    current: Response,
    version: SurveyVersion,
    answers: dict[str, Any],
    *,
    edit_of: int | None,
    window_minutes: int,
) -> SubmitOutcome:
    """A deliberate edit within the window changes the answers in place; anything else is a repeat."""
    if edit_of == current.id and can_edit(current, window_minutes):
        current.answers = answers
        current.survey_version_id = version.id
        current.edited_at = utcnow()
        db.session.commit()
        _refresh_follow_up(current.id)
        after_response_submitted(current.id)
        return SubmitOutcome("updated", current.id)
    return SubmitOutcome("duplicate", current.id)


def _refresh_follow_up(response_id: int) -> None:
    """After an edit: queue the answer if it now needs a person (never fails the edit)."""
    try:
        follow_ups.refresh(response_ids=[response_id])
    except Exception:
        db.session.rollback()
        log.exception("follow-up check failed for edited response %s", response_id)


def _create(invitation: Invitation, version: SurveyVersion, answers: dict[str, Any]) -> SubmitOutcome:
    """Insert the response, mark the invitation completed and queue a follow-up if the answer
    needs one, in one transaction. The INSERT is flushed first, so a second response for the
    invitation fails on the unique constraint before anything else is written."""
    invitation_id = invitation.id
    follow_up = follow_ups.new_answer_reason(answers, version, invitation.customer)
    now = utcnow()
    response = Response(
        invitation_id=invitation_id, survey_version_id=version.id, answers=answers, submitted_at=now
    )
    try:
        db.session.add(response)
        db.session.flush()
        invitation.status = "completed"
        invitation.completed_at = now
        invitation.opened_at = func.coalesce(
            Invitation.opened_at, now
        )  # keeps a first opening already recorded
        response_id = response.id
        if follow_up:
            follow_ups.add_follow_up(response_id, follow_up)
        response_stored(response_id)
        db.session.commit()
    except IntegrityError:  # another request stored this invitation's response first?
        db.session.rollback()
        winner = db.session.scalar(select(Response.id).where(Response.invitation_id == invitation_id))
        if winner is None:  # no: another constraint (a vanished invitation or version); not "received"
            raise
        return SubmitOutcome("duplicate", winner)
    after_response_submitted(response_id)
    return SubmitOutcome("created", response_id)
