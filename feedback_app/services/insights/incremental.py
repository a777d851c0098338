"""Incremental assignment: a newly submitted answer joins the current themes without a refit,
queued after each submission and swept up periodically when its job was lost."""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DataError

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import AnalysisRun, Response, Theme, ThemeAssignment
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.insights.assignment import latest_run, resolve_theme
from feedback_app.services.insights.curation import apply_curation, corrections
from feedback_app.services.insights.pipeline import memory_from_json, pipeline_available, pipeline_config
from feedback_app.services.insights.runs import error_text, has_succeeded_run
from feedback_app.services.responses.answers import reason_text
from feedback_app.services.validation.text_input import has_control_characters

if TYPE_CHECKING:
    from nlp.assign import IncrementalAssigner

log = logging.getLogger(__name__)

#: Answers the pending sweep assigns per tick (the rest wait for the next tick).
PENDING_BATCH = 500


def _curation_version() -> tuple[datetime | None, int | None]:
    """Changes whenever curation changes (a theme row edited, an answer moved), so every process
    rebuilds its assigner with the new causes and corrections, not only the one that curated."""
    edited = db.session.scalar(select(func.max(Theme.updated_at)))
    moved = db.session.scalar(select(func.max(ThemeAssignment.id)).where(ThemeAssignment.source == "manual"))
    return edited, moved


@functools.lru_cache(maxsize=1)
def _assigner(run_id: int, edited: datetime | None, moved: int | None) -> IncrementalAssigner | None:
    """The assigner for a run and a state of curation (the models load once, kept until either changes)."""
    import nlp

    run = db.session.get(AnalysisRun, run_id)
    memory = apply_curation(memory_from_json(run.memory if run else None))
    if memory is None:
        return None
    ids = list(memory.themes)
    return nlp.IncrementalAssigner(
        [memory.resolve(i) for i in ids],
        memory.centroid_matrix(ids),
        pipeline_config(),
        categories=[memory.themes[memory.resolve(i)].category for i in ids],
        corrections=corrections(),
    )


def assign_response(response_id: int) -> ThemeAssignment | None:
    """Assign one newly submitted answer to the current themes, without refitting.

    Does nothing before the first successful run or when the answer has no free text; an answer
    whose written reason was taken out in an edit loses the guess made from it, and its redacted
    copy, at once (a full run that read the words decides until the next run). A guess made after
    the latest run read the answer (an edit's) outranks that run's theme (``assignment.main_themes``).
    """
    response = db.session.get(Response, response_id)
    if response is not None and response.text_purged_at is None and not reason_text(response):
        db.session.execute(
            delete(ThemeAssignment).where(
                ThemeAssignment.response_id == response.id, ThemeAssignment.source == "incremental"
            )
        )
        response.redacted_text = ""  # looked at: nothing to theme (the sweep skips it)
        db.session.commit()
        return None
    run = latest_run()
    if run is None or not run.memory or response is None or not pipeline_available():
        return None
    text = reason_text(response)
    # Text stored before control characters were removed on input is left to a full run, which
    # reports it; marking it looked at keeps the pending sweep from stopping on it every tick.
    if not text or has_control_characters(text):
        if response.redacted_text is None and response.text_purged_at is None:
            response.redacted_text = ""  # looked at: nothing to theme (the sweep skips it)
            db.session.commit()
        return None
    assigner = _assigner(run.id, *_curation_version())
    if assigner is None:
        return None
    result = assigner.assign(text)
    response.redacted_text = result.redacted_text
    response.sentiment = float(result.sentiment)
    key = result.theme_id
    theme = db.session.scalar(select(Theme).where(Theme.stable_key == str(key))) if key is not None else None
    # Replace, don't add: a redelivered job, the pending sweep and an edited answer all leave
    # exactly one incremental assignment.
    db.session.execute(
        delete(ThemeAssignment).where(
            ThemeAssignment.response_id == response.id, ThemeAssignment.source == "incremental"
        )
    )
    assignment = None
    if theme is not None:
        assignment = ThemeAssignment(
            run_id=None,
            response_id=response.id,
            theme_id=resolve_theme(theme).id,
            is_primary=True,
            source="incremental",
            confidence=max(0.0, min(1.0, float(result.confidence))),
        )
        db.session.add(assignment)
    db.session.commit()
    return assignment


@job("analysis.assign_response")
def assign_response_job(response_id: int) -> None:
    """The background job queued after a submission."""
    assign_response(response_id)


def pending_response_ids(limit: int = PENDING_BATCH) -> list[int]:
    """Answers submitted since the latest successful run started that have no theme yet and
    were never looked at by the assigner (e.g. their job was lost while the broker was down)."""
    run = latest_run()
    if run is None or run.started_at is None:
        return []
    assigned = select(ThemeAssignment.id).where(ThemeAssignment.response_id == Response.id)
    query = (
        select(Response.id)
        .where(
            Response.submitted_at >= run.started_at,
            Response.redacted_text.is_(None),
            Response.text_purged_at.is_(None),
            ~assigned.exists(),
        )
        .order_by(Response.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


@job("analysis.assign_pending")
def assign_pending_job() -> int:
    """Periodic safety net (Celery beat): assign answers and conversations (tickets, interviews)
    whose incremental job never ran."""
    done = 0
    for response_id in pending_response_ids():
        try:
            if assign_response(response_id) is not None:
                done += 1
        except (DataError, ValueError) as exc:  # one answer the database refuses must not stop the rest
            db.session.rollback()
            log.warning("answer %s not assigned: %s", response_id, error_text(exc))
    run = latest_run()
    if run is not None and run.started_at is not None:
        themed = 0
        for conversation_id in analysis_feed.pending_ids(run.started_at, PENDING_BATCH):
            try:
                if analysis_feed.assign(conversation_id) is not None:
                    themed += 1
            except (DataError, ValueError, RuntimeError) as exc:  # as analysis_feed.assign_job
                db.session.rollback()
                log.warning("conversation %s not assigned: %s", conversation_id, error_text(exc))
        if themed:
            # As the lost job would have: a complaint case opened at import takes its cause now.
            from feedback_app.services.conversations import complaint_queue

            complaint_queue.refresh()
        done += themed
    if done:
        log.info("assigned %d answers and conversations whose incremental assignment had not run", done)
    return done


def handle_response_submitted(response_id: int) -> None:
    """Registered in ``create_app`` to run after every survey submission: queue the incremental
    assignment once themes exist. (The follow-up check runs in the submission's own
    transaction: ``follow_ups.new_answer_reason``.)"""
    if has_succeeded_run() and pipeline_available():
        enqueue("analysis.assign_response", response_id=response_id)


def text_assigner() -> IncrementalAssigner | None:
    """The incremental assigner of the latest successful run, for texts that are not survey answers
    (interview notes, tickets); None before the first run or without the nlp models."""
    run = latest_run()
    if run is None or not run.memory or not pipeline_available():
        return None
    return _assigner(run.id, *_curation_version())
