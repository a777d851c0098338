"""Storing a former customer's answers: one response per invitation, whatever the clicking.

A second submit, a double click, two tabs or two concurrent POSTs never create a second row:
the unique constraint on ``response.invitation_id`` decides, and the loser is told its answer
was received. Within ``SURVEY_EDIT_WINDOW_MINUTES`` of submitting, a deliberate edit (the form
carries the response id) changes the stored answers in place.

After a response is committed, ``after_response_submitted(response_id)`` runs the callbacks
other areas registered with ``on_response_submitted`` (e.g. assigning the answer to themes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import Invitation, Response, SurveyVersion, utcnow

log = logging.getLogger(__name__)

ResponseCallback = Callable[[int], None]
_after_submit_callbacks: list[ResponseCallback] = []


def on_response_submitted(callback: ResponseCallback) -> ResponseCallback:
    """Register ``callback(response_id)`` to run after a response is stored or edited.

    Use as a decorator at import time of your module. Callbacks run in the request, after the
    commit, in registration order; one that raises is logged and does not stop the others or
    the respondent's thank-you page. Long work belongs in a background job the callback starts.
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
            log.exception("after_response_submitted callback %r failed for response %s", callback, response_id)


@dataclass
class SubmitOutcome:
    """What happened to a submission: ``created``, ``updated`` or ``duplicate`` (already received)."""

    status: str
    response_id: int | None


def edit_deadline(response: Response, window_minutes: int) -> datetime | None:
    """Until when the respondent may change the answers (None when edits are switched off)."""
    if window_minutes <= 0:
        return None
    return response.submitted_at + timedelta(minutes=window_minutes)


def can_edit(response: Response, window_minutes: int, *, now: datetime | None = None) -> bool:
    deadline = edit_deadline(response, window_minutes)
    return deadline is not None and (now or utcnow()) < deadline


def existing_response(invitation: Invitation) -> Response | None:
    return db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))


def submit_response(invitation: Invitation, version: SurveyVersion, answers: dict[str, Any], *,
                    edit_of: int | None = None, window_minutes: int = 0) -> SubmitOutcome:
    """Store the answers to an invitation once; see the module docstring for repeats and edits."""
    current = existing_response(invitation)
    if current is not None:
        if edit_of == current.id and can_edit(current, window_minutes):
            current.answers = answers
            current.survey_version = version
            db.session.commit()
            after_response_submitted(current.id)
            return SubmitOutcome("updated", current.id)
        return SubmitOutcome("duplicate", current.id)

    now = utcnow()
    response = Response(invitation_id=invitation.id, survey_version_id=version.id, answers=answers,
                        submitted_at=now)
    db.session.add(response)
    invitation.status = "completed"
    invitation.completed_at = now
    if invitation.opened_at is None:
        invitation.opened_at = now
    try:
        db.session.commit()
    except IntegrityError:  # another request stored this invitation's response first
        db.session.rollback()
        winner = existing_response(invitation)
        return SubmitOutcome("duplicate", winner.id if winner else None)
    after_response_submitted(response.id)
    return SubmitOutcome("created", response.id)
