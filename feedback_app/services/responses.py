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

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, SurveyVersion, utcnow
from feedback_app.services.insights import follow_ups
from feedback_app.services.database import autocommit_connection

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


def can_edit(response: Response, window_minutes: int, *, now: datetime | None = None) -> bool:
    """Whether the respondent may still change these answers."""
    return editable_until(response.submitted_at, window_minutes, now=now) is not None


def editable_until(submitted_at: datetime, window_minutes: int, *, now: datetime | None = None) -> datetime | None:
    """The edit deadline of answers submitted at ``submitted_at`` while it is still ahead, else None."""
    if window_minutes <= 0:
        return None
    deadline = submitted_at + timedelta(minutes=window_minutes)
    return deadline if (now or utcnow()) < deadline else None


def existing_response(invitation: Invitation) -> Response | None:
    return db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))


def stored_answers(response_id: int) -> dict[str, Any]:
    """The stored answers of one response (for the edit form), without loading the row as an object."""
    return db.session.connection().execute(select(Response.answers).where(Response.id == response_id)).scalar_one()


def submit_response(invitation: Invitation, version: SurveyVersion, answers: dict[str, Any], *,
                    edit_of: int | None = None, window_minutes: int = 0) -> SubmitOutcome:
    """Store the answers to an invitation once; see the module docstring for repeats and edits."""
    current = existing_response(invitation)
    if current is not None:
        return _edit_or_duplicate(current, version.id, answers, edit_of=edit_of, window_minutes=window_minutes)
    return _create(invitation.id, version.id, version.definition_hash, answers, invitation.customer)


def submit_answers(invitation_id: int, version_id: int, definition_hash: str, answers: dict[str, Any], *,
                   customer: DepartedCustomer | Any, existing_id: int | None, edit_of: int | None = None,
                   window_minutes: int = 0) -> SubmitOutcome:
    """``submit_response`` for the survey page, which has just read whether a response exists
    (``existing_id``) and who the customer is (``customer``, a ``survey_links.LinkCustomer``) and
    so skips asking again. Two requests that both saw no response still store one: the unique
    constraint decides, as in ``submit_response``."""
    if existing_id is not None:
        current = db.session.get(Response, existing_id)
        if current is not None:
            return _edit_or_duplicate(current, version_id, answers, edit_of=edit_of, window_minutes=window_minutes)
    return _create(invitation_id, version_id, definition_hash, answers, customer)


def _edit_or_duplicate(current: Response, version_id: int, answers: dict[str, Any], *, edit_of: int | None,
                       window_minutes: int) -> SubmitOutcome:
    """A deliberate edit within the window changes the answers in place; anything else is a repeat."""
    if edit_of == current.id and can_edit(current, window_minutes):
        current.answers = answers
        current.survey_version_id = version_id
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


#: Built once (see ``survey_links``), sharing parameter names: invitation_id, survey_version_id,
#: answers, submitted_at (the time of the answer, also when the invitation was completed).
_AT = bindparam("submitted_at", type_=Response.submitted_at.type)
_INSERT_RESPONSE = insert(Response).returning(Response.id)
#: What marks an invitation answered, in both ways of storing an answer.
_COMPLETED = {"status": "completed", "completed_at": _AT, "opened_at": func.coalesce(Invitation.opened_at, _AT),
              "updated_at": _AT}
_COMPLETE_INVITATION = (
    update(Invitation)
    .where(Invitation.id == bindparam("invitation_id", type_=Invitation.id.type))
    .values(**_COMPLETED)
)


def _one_statement_create():
    """Both writes as one PostgreSQL statement (a data-modifying WITH), atomic without BEGIN and
    COMMIT: the INSERT's unique-constraint failure leaves the invitation untouched, as it does
    in a transaction. SQLite has no INSERT inside WITH, so it takes the transaction."""
    new_response = (
        insert(Response)
        .values(invitation_id=bindparam("invitation_id", type_=Response.invitation_id.type),
                survey_version_id=bindparam("survey_version_id", type_=Response.survey_version_id.type),
                answers=bindparam("answers", type_=Response.answers.type),
                submitted_at=_AT, created_at=_AT, updated_at=_AT)
        .returning(Response.id, Response.invitation_id)
        .cte("new_response")
    )
    completed = (
        update(Invitation)
        .where(Invitation.id == select(new_response.c.invitation_id).scalar_subquery())
        .values(**_COMPLETED)
        .cte("completed_invitation")
    )
    return select(new_response.c.id).add_cte(completed)


_CREATE_IN_ONE_STATEMENT = _one_statement_create()


def _create(invitation_id: int, version_id: int, definition_hash: str, answers: dict[str, Any],
            customer: DepartedCustomer | Any) -> SubmitOutcome:
    """Insert the response, mark the invitation completed and queue a follow-up if the answer
    needs one, all or nothing.

    On PostgreSQL an answer that needs no follow-up is stored by one statement in autocommit
    (``_CREATE_IN_ONE_STATEMENT``): one round trip instead of BEGIN, INSERT, UPDATE and COMMIT.
    That runs on a connection of its own, so only when the session has begun no transaction (as
    on the survey page): work the caller has flushed would be invisible to it, and a row the
    caller has locked would make it wait on itself. Otherwise one transaction, INSERT first, so
    a second response for the invitation fails on the unique constraint before anything else is
    written. All statements are Core: the unit of work would load and track objects only to
    write two rows.
    """
    follow_up = follow_ups.new_answer_reason(answers, version_id, definition_hash, customer)  # before any write
    now = utcnow()
    row = {"invitation_id": invitation_id, "survey_version_id": version_id, "answers": answers, "submitted_at": now}
    try:
        if (follow_up is None and not db.session().in_transaction()
                and db.session.get_bind().dialect.name == "postgresql"):
            with autocommit_connection() as connection:
                response_id = connection.execute(_CREATE_IN_ONE_STATEMENT, row).scalar_one()
        else:
            connection = db.session.connection()
            response_id = connection.execute(_INSERT_RESPONSE, row).scalar_one()
            connection.execute(_COMPLETE_INVITATION, {"invitation_id": invitation_id, "submitted_at": now})
            if follow_up:
                follow_ups.add_follow_up(response_id, follow_up)
        db.session.commit()
    except IntegrityError:  # another request stored this invitation's response first?
        db.session.rollback()
        winner = db.session.scalar(select(Response.id).where(Response.invitation_id == invitation_id))
        if winner is None:  # no: another constraint (a vanished invitation or version); not "received"
            raise
        return SubmitOutcome("duplicate", winner)
    after_response_submitted(response_id)
    return SubmitOutcome("created", response_id)
