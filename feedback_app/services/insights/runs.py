"""Analysis runs: queue one, run the ``nlp`` pipeline over the stored answers in a job, and store
its themes (keyed by the pipeline's stable id in ``Theme.stable_key``) and one assignment per answer.

A run hands ``nlp.analyze`` the theme memory of the previous successful run with every human
rename, lock, merge and root cause replayed onto it, and the CX team's corrections
(``curation``). A failure is kept on the run, without answer text, so the page can say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import Select, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError, StatementError
from sqlalchemy.orm.attributes import set_committed_value

from feedback_app.extensions import db
from feedback_app.jobs import JobNotQueued, enqueue_or_raise, job
from feedback_app.models import (
    AnalysisRun,
    ConversationAssignment,
    Invitation,
    Response,
    Survey,
    Theme,
    ThemeAssignment,
    utcnow,
)
from feedback_app.services.accounts import audit
from feedback_app.services.actions import titles
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.insights import assignment, follow_ups
from feedback_app.services.insights.assignment import latest_run
from feedback_app.services.insights.curation import apply_curation, corrections
from feedback_app.services.insights.pipeline import memory_from_json, memory_to_json, pipeline_config
from feedback_app.services.integrations import alerts
from feedback_app.services.responses.answers import reason_text
from feedback_app.services.validation.text_input import has_control_characters

if TYPE_CHECKING:
    from nlp import AnalysisResult, Assignment

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, float], None]


class AnalysisError(RuntimeError):
    """A run could not start or finish; the message says why."""


#: A run still queued after this long was never picked up (no worker, or its job was lost).
STALE_QUEUED = timedelta(hours=2)
#: A running run that has saved no progress for this long was abandoned (its process stopped):
#: progress is saved every 2% of a stage, seconds apart even at 100,000 answers on 2 cores.
STALE_HEARTBEAT = timedelta(minutes=15)


def active_run(*, commit: bool = True) -> AnalysisRun | None:
    """A run that is queued or running, if any (one at a time keeps memory consistent).

    Runs left behind by a stopped process are marked failed so they never block new ones
    (committed at once unless ``commit`` is False: :func:`queue_run` commits it with its run).
    """
    runs = db.session.scalars(
        select(AnalysisRun)
        .where(AnalysisRun.status.in_(("queued", "running")))
        .order_by(AnalysisRun.id.desc())
    ).all()
    now = utcnow()
    for run in runs:
        if run.status == "queued":
            stale = now - run.created_at > STALE_QUEUED
        else:
            stale = now - (run.heartbeat_at or run.started_at or run.created_at) > STALE_HEARTBEAT
        if stale:
            run.status, run.finished_at = "failed", now
            run.error = "Abandoned: the process running it stopped before it finished."
    if runs and commit:
        db.session.commit()
    return next((r for r in runs if r.status in ("queued", "running")), None)


#: The PostgreSQL advisory lock that makes starting a run one at a time (any fixed number; ours).
RUN_START_LOCK_KEY = 7_311_304


def _lock_run_starts() -> None:
    """Hold starting a run until this transaction ends, so two starts at once (a double click, two
    staff) cannot both find no active run and both queue one. PostgreSQL: a transaction-scoped
    advisory lock. SQLite: a write that changes nothing takes the database's write lock now, so
    the second start waits for the first's commit and then sees its run."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_START_LOCK_KEY})
    else:
        db.session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.id.is_(None))
            .values(status=AnalysisRun.status)
            .execution_options(synchronize_session=False)
        )


def busy_message(run: AnalysisRun) -> str:
    """Why a new run cannot start while ``run`` is queued or running, and until when at most: a
    process killed mid-run (``kill -9``, a crash, a restart) leaves its run ``running``."""
    if run.status == "queued":
        last, limit = run.created_at, STALE_QUEUED
        seen = "queued at"
    else:
        last, limit = run.heartbeat_at or run.started_at or run.created_at, STALE_HEARTBEAT
        seen = "last progress at"
    return (
        f"Analysis run {run.id} is still {run.status} ({seen} {last.astimezone(UTC):%H:%M} UTC); wait "
        f"for it to finish. If the process running it stopped, it is marked failed at "
        f"{(last + limit).astimezone(UTC):%H:%M} UTC and a new run can start then."
    )


def queue_run(
    *,
    survey_key: str | None = None,
    since: date | None = None,
    actor: str = "system",
    actor_user_id: int | None = None,
) -> AnalysisRun:
    """Store a queued run, audited, for whoever executes it: the job runner or ``flask analyze run``."""
    if survey_key and not db.session.scalar(select(Survey.id).where(Survey.key == survey_key)):
        raise AnalysisError(f"No survey with key {survey_key!r}.")
    _lock_run_starts()
    busy = active_run(commit=False)
    if busy is not None:
        db.session.commit()  # the stale runs marked failed, and the lock let go
        raise AnalysisError(busy_message(busy))
    run = AnalysisRun(
        status="queued", parameters={"survey": survey_key, "since": since.isoformat() if since else None}
    )
    db.session.add(run)
    db.session.flush()
    audit.record(
        "analysis.start",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="analysis_run",
        target_id=run.id,
        survey=survey_key,
        since=run.parameters["since"],
    )
    db.session.commit()
    return run


def start_run(
    *,
    survey_key: str | None = None,
    since: date | None = None,
    actor: str = "system",
    actor_user_id: int | None = None,
) -> AnalysisRun:
    """Queue a full analysis run and hand it to the job runner; returns the run to watch.

    When the job queue cannot take it, the run is marked failed at once: nothing queues a lost
    run again, and one left ``queued`` would block every new run for ``STALE_QUEUED``.
    """
    run = queue_run(survey_key=survey_key, since=since, actor=actor, actor_user_id=actor_user_id)
    try:
        enqueue_or_raise("analysis.run", run_id=run.id)
    except JobNotQueued as exc:
        log.error("analysis run %s not started: %s", run.id, exc)
        run.status, run.finished_at = "failed", utcnow()
        run.error = "Not started: the job queue could not be reached."
        db.session.commit()
        raise AnalysisError(
            f"Analysis run {run.id} did not start: the job queue cannot be reached (is Redis up?). "
            "Nothing was analysed; start it again once the queue is back."
        ) from exc
    return run


@dataclass
class _Answer:
    response_id: int
    text: str


#: Why a run left an answer out, as stored in ``counts["skipped"]`` (never the answer's text).
SKIP_CONTROL_CHARACTERS = "holds control characters (stored before they were removed on input)"
SKIP_NOT_STORABLE = "its result could not be stored"
#: Assignments stored per savepoint; a chunk that fails is retried one answer at a time.
STORE_CHUNK = 500


def error_text(exc: BaseException) -> str:
    """What a failed run keeps in ``analysis_run.error``: the error's class and a short message,
    never a SQL statement or its parameters (which hold answer text that erasure could not find).

    A database error names the driver's error class and SQLSTATE only: its message may quote a
    value too (``invalid input syntax ...: "..."``); the server log has the rest.
    """
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        return (
            f"Database error {type(orig).__name__}"
            + (f" ({state})" if state else "")
            + " while storing the results; the server log has the details."
        )
    if isinstance(exc, StatementError) and exc.orig is not None:
        exc = exc.orig
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _answers_for(
    parameters: dict[str, Any], skipped: list[dict[str, Any]], no_text: set[int] | None = None
) -> list[_Answer]:
    """The answers to analyse; those that can never be stored are added to ``skipped`` instead,
    and those with no written reason that was not purged (none given, or taken out in an edit) to
    ``no_text``: read, and found to have nothing to theme."""
    query = select(Response).join(Invitation, Response.invitation_id == Invitation.id).order_by(Response.id)
    if parameters.get("survey"):
        query = query.join(Survey, Invitation.survey_id == Survey.id).where(
            Survey.key == parameters["survey"]
        )
    if parameters.get("since"):
        since = datetime.combine(date.fromisoformat(parameters["since"]), time.min, tzinfo=UTC)
        query = query.where(Response.submitted_at >= since)
    answers = []
    for response in db.session.scalars(query):
        text = reason_text(response)
        if text and has_control_characters(text):
            skipped.append({"response_id": response.id, "reason": SKIP_CONTROL_CHARACTERS})
        elif text:
            answers.append(_Answer(response.id, text))
        elif no_text is not None and response.text_purged_at is None:
            no_text.add(response.id)
    return answers


def has_succeeded_run() -> bool:
    """Whether any run succeeded (asked after every survey submission; loads no run, whose row
    carries the assigner's memory)."""
    return (
        db.session.scalar(select(AnalysisRun.id).where(AnalysisRun.status == "succeeded").limit(1))
        is not None
    )


class _TakenOver(Exception):
    """Another job took this run over (it had sent no progress for ``STALE_HEARTBEAT``)."""


def _still_ours(run: AnalysisRun, claim: datetime | None, **values: Any) -> None:
    """Save a heartbeat (and ``values``) on the run, only while this job still holds it: the row
    stays locked to the end of the transaction, so a take-over waits for it and then finds the
    run fresh (or finished); raises :class:`_TakenOver` when another job took it meanwhile."""
    saved = db.session.execute(
        update(AnalysisRun)
        .where(AnalysisRun.id == run.id, AnalysisRun.status == "running", AnalysisRun.started_at == claim)
        .values(heartbeat_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if not saved.rowcount:  # type: ignore[attr-defined]
        raise _TakenOver(run.id)
    for name, value in values.items():
        set_committed_value(run, name, value)


def execute_run(run_id: int, progress: ProgressCallback | None = None) -> AnalysisRun:
    """Run the pipeline for a queued run and store its results; failures are kept on the run."""
    run = db.session.get(AnalysisRun, run_id)
    if run is None:
        raise AnalysisError(f"No analysis run {run_id}.")
    # Take the run while it is queued, or running with no progress for STALE_HEARTBEAT (a job Celery
    # delivered again after its worker died resumes it). A running run that sent progress lately
    # is still someone's: Redis redelivers a job after the visibility timeout even to a second
    # worker while the first is alive, and two executions stored the results twice. A finished
    # or abandoned run is never run again (a succeeded one would turn failed or be stored twice).
    # The take is one conditional UPDATE: on PostgreSQL a second one waits for the first's commit
    # and then finds the run freshly running; SQLite writes one at a time.
    now = utcnow()
    taken = db.session.scalar(
        update(AnalysisRun)
        .where(
            AnalysisRun.id == run_id,
            (AnalysisRun.status == "queued")
            | (
                (AnalysisRun.status == "running")
                & (
                    func.coalesce(AnalysisRun.heartbeat_at, AnalysisRun.started_at, AnalysisRun.created_at)
                    < now - STALE_HEARTBEAT
                )
            ),
        )
        .values(status="running", started_at=now, heartbeat_at=now, stage="reading answers", progress=0.0)
        .returning(AnalysisRun.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(run)
    if taken is None:
        log.warning(
            "analysis run %s is %s (taken by another job, or finished); this job leaves it",
            run_id,
            run.status,
        )
        return run
    claim = run.started_at  # ours while it is unchanged: a take-over after a silence sets its own
    last_saved = [-1.0]

    def on_progress(stage: str, fraction: float) -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        if progress is not None:
            progress(stage, fraction)
        if stage != run.stage or fraction - last_saved[0] >= 0.02 or fraction >= 1.0:
            _still_ours(run, claim, stage=stage, progress=fraction)
            last_saved[0] = fraction
            db.session.commit()

    skipped: list[dict[str, Any]] = []
    no_text: set[int] = set()
    try:
        answers = _answers_for(run.parameters or {}, skipped, no_text)
        voices = analysis_feed.items(run.parameters or {})  # issue 23: interviews, tickets, portal reasons
        if not answers and not voices:
            raise AnalysisError("There are no free-text answers to analyse for this selection.")
        import nlp

        previous = latest_run()
        memory = apply_curation(memory_from_json(previous.memory if previous else None))
        result = nlp.analyze(
            [a.text for a in answers] + [v.text for v in voices],
            ids=[str(a.response_id) for a in answers] + [v.key for v in voices],
            config=pipeline_config(),
            memory=memory,
            progress=on_progress,
            corrections=corrections(),
        )
        on_progress("organisations", 0.0)
        _store_result(run, result, previous, _organisations(result), skipped, claim, no_text=no_text)
    except _TakenOver:
        db.session.rollback()
        log.warning(
            "analysis run %s was taken over by another job; this one stopped, storing nothing", run_id
        )
        db.session.refresh(run)
        return run
    except Exception as exc:  # the run records any failure so the page can say what went wrong
        db.session.rollback()  # the run, committed before, stays in the session (expired, reloaded on use)
        failed = db.session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.id == run_id, AnalysisRun.status == "running", AnalysisRun.started_at == claim)
            .values(status="failed", error=error_text(exc), finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        db.session.refresh(run)
        if failed.rowcount:  # type: ignore[attr-defined]
            log.exception("analysis run %s failed", run_id)
        else:  # another job has the run now: its outcome is its own
            log.exception("analysis run %s failed here after another job took it over", run_id)
        return run
    _after_stored(run)
    return run


def _after_stored(run: AnalysisRun) -> None:
    """Bring what depends on the latest run up to date once its results are committed. Each step
    is redone by the next run (or the next submission), so a failure here is logged and the run
    stays succeeded: marking a stored run failed hid its themes behind the previous run's."""
    from feedback_app.services.conversations import complaint_queue

    steps: tuple[tuple[str, Callable[[], object]], ...] = (
        ("the follow-up queue", follow_ups.refresh),
        ("the complaint queue", complaint_queue.refresh),  # issue 23: complaints' causes come from this run
        ("alerts", lambda: alerts.after_run(run)),  # issue 20: Slack alerts and webhook events, each once
    )
    for what, step in steps:
        try:
            step()
        except Exception:
            db.session.rollback()
            log.exception("analysis run %s succeeded, but %s could not be updated", run.id, what)


def _organisations(result: AnalysisResult) -> dict[str, list[str]]:
    """Organisation names per answer id, read by ``nlp`` from the redacted answers only; a
    nicety, so a failure is logged and costs the run nothing."""
    from nlp.organisations import organisations

    try:
        return organisations(
            result.assignments,
            current_app.config["SPACY_MODEL"],
            exclude=[current_app.config["COMPANY_NAME"]],
        )
    except Exception:
        log.exception("organisation names could not be extracted")
        return {}


def _store_result(
    run: AnalysisRun,
    result: AnalysisResult,
    previous: AnalysisRun | None,
    organisations: dict[str, list[str]],
    skipped: list[dict[str, Any]],
    claim: datetime | None = None,
    *,
    no_text: set[int] | frozenset[int] = frozenset(),
) -> None:
    """Store a finished run's themes, assignments, memory and counts, and mark it succeeded;
    ``no_text``: answers the run found without a written reason (not purged), which, unlike those
    it did not read, keep no earlier run's theme."""
    themes_by_key: dict[str, Theme] = {t.stable_key: t for t in db.session.scalars(select(Theme))}
    new_keys = []
    for item in result.themes:
        key = item.id
        theme = themes_by_key.get(key)
        if theme is None:
            theme = Theme(stable_key=key, first_seen_run_id=run.id)
            db.session.add(theme)
            themes_by_key[key] = theme
        # "new" means emerging since an earlier run; on the very first run every theme is new.
        if previous is not None and (theme.first_seen_run_id == run.id or item.is_new):
            new_keys.append(key)
        before = titles.proposed_title(theme) if theme.id is not None else None
        theme.label = (item.label or key)[:200]
        theme.keywords = list(item.keywords)
        if theme.category_source != "human":  # a cause a person confirmed or changed stays
            theme.category = (item.category or "emerging")[:64]
        theme.quotes = list(item.quotes)
        theme.sentiment = item.sentiment
        theme.size = item.size
        theme.last_seen_run_id = run.id
        if before is not None:
            titles.follow_theme(theme, before)
    db.session.flush()

    tally = {"assigned": 0, "non_answers": 0}
    items = [i for i in result.assignments if not analysis_feed.owns(i.id)]
    # issue 23: conversations (ids "c<id>") keep their themes in their own table
    spoken = [i for i in result.assignments if analysis_feed.owns(i.id)]
    voices = analysis_feed.store(run, spoken, themes_by_key)
    carried_voices = _carry_forward(
        run, previous, {analysis_feed.conversation_id(i.id) for i in spoken}, ConversationAssignment
    )
    for start in range(0, len(items), STORE_CHUNK):
        chunk = items[start : start + STORE_CHUNK]
        try:
            with db.session.begin_nested():
                _drop_incremental([int(item.id) for item in chunk], claim)
                counts = [_store_assignment(run, item, themes_by_key) for item in chunk]
        except (SQLAlchemyError, ValueError):
            # One answer the database refuses must not cost the others: store them one by one.
            counts = []
            for answer in chunk:
                try:
                    with db.session.begin_nested():  # flushed when the block ends: count it after
                        _drop_incremental([int(answer.id)], claim)
                        outcome = _store_assignment(run, answer, themes_by_key)
                except (SQLAlchemyError, ValueError) as exc:
                    log.warning("analysis run %s: answer %s skipped: %s", run.id, answer.id, error_text(exc))
                    skipped.append({"response_id": int(answer.id), "reason": SKIP_NOT_STORABLE})
                else:
                    counts.append(outcome)
        for outcome in counts:
            if outcome:
                tally[outcome] += 1
    assigned, non_answers = tally["assigned"], tally["non_answers"]
    _forget_removed_text(sorted(no_text), claim)
    unstored = {s["response_id"] for s in skipped if s["reason"] == SKIP_NOT_STORABLE}
    carried = _carry_forward(run, previous, ({int(i.id) for i in items} - unstored) | set(no_text))
    if skipped:
        log.warning(
            "analysis run %s left out %d answer(s): %s",
            run.id,
            len(skipped),
            ", ".join(str(s["response_id"]) for s in skipped),
        )
    run.memory = memory_to_json(result.memory)
    run.counts = {
        "answers": assigned + non_answers,
        "assigned": assigned,
        "non_answers": non_answers,
        "themes": len(result.themes),
        "new_theme_keys": new_keys,
        "organisations": organisations,
        "skipped": skipped,
        "carried": carried,
        "conversations": voices[0] + voices[1],
        "carried_conversations": carried_voices,
    }
    if claim is not None:
        _still_ours(run, claim)  # locks the row: a take-over now finds the run succeeded
    run.status, run.stage, run.progress, run.finished_at = "succeeded", "done", 1.0, utcnow()
    db.session.commit()


def _drop_incremental(response_ids: list[int], read_at: datetime | None = None) -> None:
    """A full run that read these answers decides their themes (a non-answer it found has none):
    the incremental guesses made when they came in go, so an older guess never outlives it. The
    guess of an answer edited after the run read it (``read_at``, the run's start) stays and
    outranks the run (``assignment.main_themes``)."""
    query = delete(ThemeAssignment).where(
        ThemeAssignment.response_id.in_(response_ids), ThemeAssignment.source == "incremental"
    )
    if read_at is not None:
        query = query.where(ThemeAssignment.response_id.not_in(_edited_since(response_ids, read_at)))
    db.session.execute(query)


def _edited_since(response_ids: list[int], read_at: datetime) -> Select[int]:
    """Those of these answers the customer edited after ``read_at``."""
    return select(Response.id).where(Response.id.in_(response_ids), Response.edited_at > read_at)


def _forget_removed_text(response_ids: list[int], read_at: datetime | None = None) -> None:
    """Answers the run read without a written reason (none given, or taken out in an edit) have no
    theme: the incremental guess made from the words they had goes, and so does the redacted copy
    of those words (quoted on the follow-up queue and by the read API); not of an answer edited
    after the run read it (its newer guess stays, :func:`_drop_incremental`)."""
    for start in range(0, len(response_ids), STORE_CHUNK):
        chunk = response_ids[start : start + STORE_CHUNK]
        _drop_incremental(chunk, read_at)
        query = (
            update(Response)
            .where(Response.id.in_(chunk), Response.text_purged_at.is_(None), Response.redacted_text != "")
            .values(redacted_text="")
            .execution_options(synchronize_session=False)
        )
        if read_at is not None:
            query = query.where(Response.id.not_in(_edited_since(chunk, read_at)))
        db.session.execute(query)


def _carry_forward(
    run: AnalysisRun,
    previous: AnalysisRun | None,
    read: set[int],
    model: type[ThemeAssignment] | type[ConversationAssignment] = ThemeAssignment,
) -> int:
    """Give this run the previous run's themes of the answers (or, with ``model``
    ConversationAssignment, the tickets and interviews) it did not read, and return how many:
    the figures, close-the-loop lists, win-back targets and complaint queue count the latest run's
    rows, and an answer whose raw text retention purged, outside the run's survey or date, or left
    out for control characters, or a conversation a run about one survey or since a later date
    does not read, would otherwise lose the theme an earlier run gave it. A conversation whose
    words changed has had its rows removed already (tickets.py, interviews.py): nothing to carry."""
    if previous is None:
        return 0
    key = "response_id" if model is ThemeAssignment else "conversation_id"
    column = getattr(model, key)
    rows = [
        {
            "run_id": run.id,
            key: item_id,
            "theme_id": theme_id,
            "segment_index": segment_index,
            "is_primary": is_primary,
            "confidence": confidence,
            "source": "batch",
        }
        for item_id, theme_id, segment_index, is_primary, confidence in db.session.execute(
            select(
                column,
                model.theme_id,
                model.segment_index,
                model.is_primary,
                model.confidence,
            ).where(model.run_id == previous.id, model.source == "batch")
        )
        if item_id not in read
    ]
    if rows:
        db.session.execute(insert(model), rows)
    return len({row[key] for row in rows})


def _store_assignment(run: AnalysisRun, item: Assignment, themes_by_key: dict[str, Theme]) -> str | None:
    """Store one answer's redacted text, sentiment and themes (the caller's savepoint flushes them);
    ``assigned``, ``non_answers``, or None for an answer no longer there."""
    response = db.session.get(Response, int(item.id))
    if response is None:
        return None
    response.redacted_text = item.redacted_text
    response.sentiment = float(item.sentiment)
    stored = assignment.add_run_rows(ThemeAssignment, run, item, themes_by_key, response_id=response.id)
    return "assigned" if stored else "non_answers"


@job("analysis.run")
def run_job(run_id: int) -> None:
    """The background job behind ``start_run``."""
    execute_run(run_id)
