"""The adapter between the database and the ``nlp`` pipeline: runs, themes, assignments, curation.

A run reads the stored free-text reasons, hands them to ``nlp.analyze`` with the theme memory
of the previous successful run (after applying every human rename, lock, merge and root cause
kept on the ``Theme`` rows) and the CX team's corrections (:func:`corrections`), and stores the themes (keyed by the pipeline's stable id in
``Theme.stable_key``) and one assignment per answer. Which theme an answer belongs to *now* is
decided by :func:`current_assignments`: a human move beats the latest full run, which beats an
incremental assignment made when the answer was submitted.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DataError, DBAPIError, SQLAlchemyError, StatementError

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import (
    AnalysisRun,
    DepartedCustomer,
    Invitation,
    Response,
    Survey,
    Theme,
    ThemeAssignment,
    utcnow,
)
from feedback_app.services.accounts import audit
from feedback_app.services.answers import reason_text
from feedback_app.services.insights import entities, root_causes
from feedback_app.services.validation.text_input import has_control_characters

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, float], None]
SOURCE_PRIORITY = {"manual": 3, "batch": 2, "incremental": 1}


class AnalysisError(RuntimeError):
    """A run could not start or finish; the message says why."""


class CurationError(ValueError):
    """A curation request that cannot be applied (unknown theme, merge into itself, ...)."""


# ---------------------------------------------------------------- pipeline plumbing

def _field(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from the pipeline's result objects, whether dataclasses or dicts."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def pipeline_config() -> Any:
    """The ``nlp.PipelineConfig`` built from the app's settings."""
    import nlp

    return nlp.PipelineConfig(
        embedding_model=current_app.config["EMBEDDING_MODEL"],
        spacy_model=current_app.config["SPACY_MODEL"],
        device=current_app.config["NLP_DEVICE"],
        backend=current_app.config["NLP_BACKEND"],
        cache_dir=Path(current_app.config["NLP_CACHE_DIR"]),
        taxonomy_path=None,
        keep_names=[current_app.config["COMPANY_NAME"], *current_app.config["KEEP_NAMES"]],
    )


def pipeline_available() -> bool:
    """True when the ``nlp`` package is installed."""
    import importlib.util

    try:  # find, don't import: importing nlp pulls in spaCy, seconds a page view should not pay
        return importlib.util.find_spec("nlp") is not None
    except (ImportError, ValueError):
        return False


def _memory_to_json(memory: Any) -> dict[str, Any] | None:
    if memory is None:
        return None
    data = memory.to_json()
    return json.loads(data) if isinstance(data, str) else data


def _memory_from_json(data: dict[str, Any] | None) -> Any:
    if not data:
        return None
    import nlp

    if hasattr(nlp.ThemeMemory, "from_dict"):
        return nlp.ThemeMemory.from_dict(data)
    return nlp.ThemeMemory.from_json(json.dumps(data))


# ---------------------------------------------------------------- runs

def latest_run(status: str = "succeeded") -> AnalysisRun | None:
    return db.session.scalar(
        select(AnalysisRun).where(AnalysisRun.status == status).order_by(AnalysisRun.id.desc()).limit(1)
    )


#: A run still queued after this long was never picked up (no worker, or its job was lost).
STALE_QUEUED = timedelta(hours=2)
#: A running run that has saved no progress for this long was abandoned (its process stopped):
#: progress is saved every 2% of a stage, seconds apart even at 100,000 answers on 2 cores.
STALE_HEARTBEAT = timedelta(minutes=15)


def active_run() -> AnalysisRun | None:
    """A run that is queued or running, if any (one at a time keeps memory consistent).

    Runs left behind by a stopped process are marked failed so they never block new ones.
    """
    runs = db.session.scalars(
        select(AnalysisRun).where(AnalysisRun.status.in_(("queued", "running"))).order_by(AnalysisRun.id.desc())
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
    if runs:
        db.session.commit()
    return next((r for r in runs if r.status in ("queued", "running")), None)


def start_run(*, survey_key: str | None = None, since: date | None = None, actor: str = "system",
              actor_user_id: int | None = None) -> AnalysisRun:
    """Queue a full analysis run and hand it to the job runner; returns the run to watch."""
    if survey_key and not db.session.scalar(select(Survey.id).where(Survey.key == survey_key)):
        raise AnalysisError(f"No survey with key {survey_key!r}.")
    busy = active_run()
    if busy is not None:
        raise AnalysisError(f"Analysis run {busy.id} is still {busy.status}; wait for it to finish.")
    run = AnalysisRun(status="queued", parameters={"survey": survey_key, "since": since.isoformat() if since else None})
    db.session.add(run)
    db.session.flush()
    audit.record("analysis.start", actor=actor, actor_user_id=actor_user_id, target_type="analysis_run",
                 target_id=run.id, survey=survey_key, since=run.parameters["since"])
    db.session.commit()
    enqueue("analysis.run", run_id=run.id)
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
        return (f"Database error {type(orig).__name__}" + (f" ({state})" if state else "")
                + " while storing the results; the server log has the details.")
    if isinstance(exc, StatementError) and exc.orig is not None:
        exc = exc.orig
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _answers_for(parameters: dict[str, Any], skipped: list[dict[str, Any]]) -> list[_Answer]:
    """The answers to analyse; those that can never be stored are added to ``skipped`` instead."""
    query = select(Response).join(Invitation, Response.invitation_id == Invitation.id).order_by(Response.id)
    if parameters.get("survey"):
        query = query.join(Survey, Invitation.survey_id == Survey.id).where(Survey.key == parameters["survey"])
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
    return answers


def apply_curation(memory: Any) -> Any:
    """Replay every human rename, lock, merge and root cause kept on Theme rows onto the
    pipeline's memory (a theme whose cause a person changed is matched within its new cause)."""
    if memory is None:
        return None
    for theme in db.session.scalars(select(Theme).where(Theme.category_source == "human")):
        remembered = memory.themes.get(theme.stable_key)
        if remembered is not None:
            remembered.category = theme.category
    for theme in db.session.scalars(select(Theme).where(Theme.human_label.is_not(None))):
        try:
            memory.rename(theme.stable_key, theme.human_label, lock=theme.label_locked)
        except KeyError:
            log.info("theme %s is no longer in the memory; rename not replayed", theme.stable_key)
    for theme in db.session.scalars(select(Theme).where(Theme.merged_into_id.is_not(None))):
        target = resolve_theme(theme)
        try:
            memory.merge(theme.stable_key, target.stable_key)
        except (KeyError, ValueError):
            log.info("merge %s -> %s already applied or unknown", theme.stable_key, target.stable_key)
    return memory


def execute_run(run_id: int, progress: ProgressCallback | None = None) -> AnalysisRun:
    """Run the pipeline for a queued run and store its results; failures are kept on the run."""
    run = db.session.get(AnalysisRun, run_id)
    if run is None:
        raise AnalysisError(f"No analysis run {run_id}.")
    run.status, run.started_at, run.stage, run.progress = "running", utcnow(), "reading answers", 0.0
    run.heartbeat_at = run.started_at
    db.session.commit()
    last_saved = [-1.0]

    def on_progress(stage: str, fraction: float) -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        if progress is not None:
            progress(stage, fraction)
        if stage != run.stage or fraction - last_saved[0] >= 0.02 or fraction >= 1.0:
            run.stage, run.progress, run.heartbeat_at = stage, fraction, utcnow()
            last_saved[0] = fraction
            db.session.commit()

    skipped: list[dict[str, Any]] = []
    try:
        answers = _answers_for(run.parameters or {}, skipped)
        if not answers:
            raise AnalysisError("There are no free-text answers to analyse for this selection.")
        import nlp

        previous = latest_run()
        memory = apply_curation(_memory_from_json(previous.memory if previous else None))
        result = nlp.analyze([a.text for a in answers], ids=[str(a.response_id) for a in answers],
                             config=pipeline_config(), memory=memory, progress=on_progress,
                             corrections=corrections())
        on_progress("organisations", 0.0)
        orgs = entities.organisations([a.text for a in answers], current_app.config["SPACY_MODEL"],
                                      {current_app.config["COMPANY_NAME"].lower()})
        _store_result(run, result, previous, {a.response_id: names for a, names in zip(answers, orgs, strict=True) if names},
                      skipped)
    except Exception as exc:  # the run records any failure so the page can say what went wrong
        db.session.rollback()  # the run, committed before, stays in the session (expired, reloaded on use)
        run.status, run.error, run.finished_at = "failed", error_text(exc), utcnow()
        db.session.commit()
        log.exception("analysis run %s failed", run_id)
        return run
    return run


def _store_result(run: AnalysisRun, result: Any, previous: AnalysisRun | None,
                  organisations: dict[int, list[str]], skipped: list[dict[str, Any]]) -> None:
    themes_by_key: dict[str, Theme] = {t.stable_key: t for t in db.session.scalars(select(Theme))}
    new_keys = []
    for item in result.themes:
        key = str(_field(item, "id"))
        theme = themes_by_key.get(key)
        if theme is None:
            theme = Theme(stable_key=key, first_seen_run_id=run.id)
            db.session.add(theme)
            themes_by_key[key] = theme
        # "new" means emerging since an earlier run; on the very first run every theme is new.
        if previous is not None and (theme.first_seen_run_id == run.id or _field(item, "is_new", False)):
            new_keys.append(key)
        theme.label = str(_field(item, "label") or key)[:200]
        theme.keywords = list(_field(item, "keywords") or [])
        if theme.category_source != "human":   # a cause a person confirmed or changed stays
            theme.category = str(_field(item, "category") or "emerging")[:64]
        theme.quotes = list(_field(item, "quotes") or [])
        theme.sentiment = _field(item, "sentiment")
        theme.size = int(_field(item, "size") or 0)
        theme.last_seen_run_id = run.id
    db.session.flush()

    tally = {"assigned": 0, "non_answers": 0}
    items = list(result.assignments)
    for start in range(0, len(items), STORE_CHUNK):
        chunk = items[start:start + STORE_CHUNK]
        try:
            with db.session.begin_nested():
                counts = [_store_assignment(run, item, themes_by_key) for item in chunk]
        except (SQLAlchemyError, ValueError):
            # One answer the database refuses must not cost the others: store them one by one.
            counts = []
            for item in chunk:
                try:
                    with db.session.begin_nested():  # flushed when the block ends: count it after
                        outcome = _store_assignment(run, item, themes_by_key)
                except (SQLAlchemyError, ValueError) as exc:
                    log.warning("analysis run %s: answer %s skipped: %s", run.id, _field(item, "id"), error_text(exc))
                    skipped.append({"response_id": int(_field(item, "id")), "reason": SKIP_NOT_STORABLE})
                else:
                    counts.append(outcome)
        for outcome in counts:
            if outcome:
                tally[outcome] += 1
    assigned, non_answers = tally["assigned"], tally["non_answers"]
    if skipped:
        log.warning("analysis run %s left out %d answer(s): %s", run.id, len(skipped),
                    ", ".join(str(s["response_id"]) for s in skipped))
    run.memory = _memory_to_json(result.memory)
    run.counts = {"answers": assigned + non_answers, "assigned": assigned, "non_answers": non_answers,
                  "themes": len(result.themes), "new_theme_keys": new_keys,
                  "organisations": {str(k): v for k, v in organisations.items()}, "skipped": skipped}
    run.status, run.stage, run.progress, run.finished_at = "succeeded", "done", 1.0, utcnow()
    db.session.commit()
    _ASSIGNERS.clear()
    _remember_run_succeeded()
    from feedback_app.services.insights import follow_ups

    follow_ups.refresh()


def _store_assignment(run: AnalysisRun, item: Any, themes_by_key: dict[str, Theme]) -> str | None:
    """Store one answer's redacted text, sentiment and themes (the caller's savepoint flushes them);
    ``assigned``, ``non_answers``, or None for an answer no longer there."""
    response = db.session.get(Response, int(_field(item, "id")))
    if response is None:
        return None
    response.redacted_text = _field(item, "redacted_text")
    if _field(item, "sentiment") is not None:
        response.sentiment = float(_field(item, "sentiment"))
    theme_ids = [str(t) for t in (_field(item, "theme_ids") or []) if t is not None]
    main = _field(item, "theme_id")
    if main is not None and str(main) not in theme_ids:
        theme_ids.insert(0, str(main))
    if not theme_ids:
        return "non_answers"
    confidence = max(0.0, min(1.0, float(_field(item, "confidence") or 0.0)))
    for index, key in enumerate(dict.fromkeys(theme_ids)):
        theme = themes_by_key.get(key)
        if theme is None:
            continue
        db.session.add(ThemeAssignment(run_id=run.id, response_id=response.id, theme_id=theme.id,
                                       segment_index=index, is_primary=index == 0, confidence=confidence,
                                       source="batch"))
    return "assigned"


@job("analysis.run")
def run_job(run_id: int) -> None:
    """The background job behind ``start_run``."""
    execute_run(run_id)


# ---------------------------------------------------------------- incremental assignment

_ASSIGNERS: dict[tuple[Any, ...], Any] = {}
_ASSIGNER_LOCK = threading.Lock()


def _curation_version() -> tuple[Any, Any]:
    """Changes whenever curation changes (a theme row edited, an answer moved), so every process
    rebuilds its assigner with the new causes and corrections, not only the one that curated."""
    edited = db.session.scalar(select(func.max(Theme.updated_at)))
    moved = db.session.scalar(select(func.max(ThemeAssignment.id)).where(ThemeAssignment.source == "manual"))
    return edited, moved


def _assigner_for(run: AnalysisRun) -> Any:
    key = (run.id, *_curation_version())
    with _ASSIGNER_LOCK:
        if key not in _ASSIGNERS:
            import nlp

            memory = apply_curation(_memory_from_json(run.memory))
            ids = list(memory.themes)
            _ASSIGNERS.clear()
            _ASSIGNERS[key] = nlp.IncrementalAssigner(
                [memory.resolve(i) for i in ids], memory.centroid_matrix(ids), pipeline_config(),
                categories=[memory.themes[memory.resolve(i)].category for i in ids], corrections=corrections())
        return _ASSIGNERS[key]


def assign_response(response_id: int) -> ThemeAssignment | None:
    """Assign one newly submitted answer to the current themes, without refitting.

    Does nothing before the first successful run or when the answer has no free text.
    """
    run = latest_run()
    response = db.session.get(Response, response_id)
    if run is None or not run.memory or response is None or not pipeline_available():
        return None
    text = reason_text(response)
    # Text stored before control characters were removed on input is left to a full run, which
    # reports it; marking it looked at keeps the pending sweep from stopping on it every tick.
    if not text or has_control_characters(text):
        if response.redacted_text is None and response.text_purged_at is None:
            response.redacted_text = ""       # looked at: nothing to theme (the sweep skips it)
            db.session.commit()
        return None
    result = _assigner_for(run).assign(text)
    response.redacted_text = _field(result, "redacted_text")
    if _field(result, "sentiment") is not None:
        response.sentiment = float(_field(result, "sentiment"))
    key = _field(result, "theme_id")
    theme = db.session.scalar(select(Theme).where(Theme.stable_key == str(key))) if key is not None else None
    # Replace, don't add: a redelivered job, the pending sweep and an edited answer all leave
    # exactly one incremental assignment.
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.response_id == response.id,
                                                      ThemeAssignment.source == "incremental"))
    assignment = None
    if theme is not None:
        assignment = ThemeAssignment(run_id=None, response_id=response.id, theme_id=resolve_theme(theme).id,
                                     is_primary=True, source="incremental",
                                     confidence=max(0.0, min(1.0, float(_field(result, "confidence") or 0.0))))
        db.session.add(assignment)
    db.session.commit()
    return assignment


@job("analysis.assign_response")
def assign_response_job(response_id: int) -> None:
    assign_response(response_id)


#: Answers the pending sweep assigns per tick (the rest wait for the next tick).
PENDING_BATCH = 500


def pending_response_ids(limit: int = PENDING_BATCH) -> list[int]:
    """Answers submitted since the latest successful run started that have no theme yet and
    were never looked at by the assigner (e.g. their job was lost while the broker was down)."""
    run = latest_run()
    if run is None or run.started_at is None:
        return []
    assigned = select(ThemeAssignment.id).where(ThemeAssignment.response_id == Response.id)
    query = (select(Response.id)
             .where(Response.submitted_at >= run.started_at, Response.redacted_text.is_(None),
                    Response.text_purged_at.is_(None), ~assigned.exists())
             .order_by(Response.id).limit(limit))
    return list(db.session.scalars(query))


@job("analysis.assign_pending")
def assign_pending_job() -> int:
    """Periodic safety net (Celery beat): assign answers whose incremental job never ran."""
    done = 0
    for response_id in pending_response_ids():
        try:
            if assign_response(response_id) is not None:
                done += 1
        except (DataError, ValueError) as exc:  # one answer the database refuses must not stop the rest
            db.session.rollback()
            log.warning("answer %s not assigned: %s", response_id, error_text(exc))
    if done:
        log.info("assigned %d answers whose incremental assignment had not run", done)
    return done


def handle_response_submitted(response_id: int) -> None:
    """Hook for the survey pages: queue the incremental assignment once themes exist.
    (The follow-up check runs in the submission's own transaction: ``follow_ups.new_answer_reason``.)"""
    if has_succeeded_run() and pipeline_available():
        enqueue("analysis.assign_response", response_id=response_id)


#: How long this process trusts a "no run has succeeded yet" answer before asking again. An
#: answer submitted in that gap gets no assignment job; the ``assign_pending`` sweep assigns it.
NO_RUN_RECHECK_SECONDS = 10.0
_RUN_STATE_KEY = "afterword.succeeded_run"


def has_succeeded_run() -> bool:
    """Whether any run succeeded. Asked after every survey submission, so the answer is kept per
    app: "yes" for good (runs are not un-done; a job for a vanished run does nothing), "no" for
    ``NO_RUN_RECHECK_SECONDS``. The query loads no run (a run row carries the assigner's memory)."""
    state = current_app.extensions.setdefault(_RUN_STATE_KEY, {"succeeded": False, "checked_at": None})
    if state["succeeded"]:
        return True
    now = monotonic()
    if state["checked_at"] is not None and now - state["checked_at"] < NO_RUN_RECHECK_SECONDS:
        return False
    query = select(AnalysisRun.id).where(AnalysisRun.status == "succeeded").limit(1)
    state["succeeded"] = db.session.scalar(query) is not None
    state["checked_at"] = now
    return state["succeeded"]


def _remember_run_succeeded() -> None:
    current_app.extensions[_RUN_STATE_KEY] = {"succeeded": True, "checked_at": monotonic()}


def register_hooks() -> None:
    """Run :func:`handle_response_submitted` after every survey submission."""
    from feedback_app.services.responses import on_response_submitted

    on_response_submitted(handle_response_submitted)


register_hooks()


# ---------------------------------------------------------------- what belongs where, now

def resolve_theme(theme: Theme) -> Theme:
    """Follow merges to the theme that now stands for this one."""
    seen = {theme.id}
    while theme.merged_into is not None and theme.merged_into.id not in seen:
        theme = theme.merged_into
        seen.add(theme.id)
    return theme


def current_assignments(response_ids: Iterable[int] | None = None) -> dict[int, Theme]:
    """Each answer's main theme now: a human move, else the latest full run, else incremental.

    Reads plain columns and the (few) themes once, so it stays fast with many answers.
    """
    run = latest_run()
    query = select(ThemeAssignment.id, ThemeAssignment.response_id, ThemeAssignment.theme_id,
                   ThemeAssignment.source).where(ThemeAssignment.is_primary.is_(True))
    if run is not None:
        query = query.where((ThemeAssignment.run_id == run.id) | ThemeAssignment.run_id.is_(None))
    else:
        query = query.where(ThemeAssignment.run_id.is_(None))
    if response_ids is not None:
        ids = list(response_ids)
        if not ids:
            return {}
        query = query.where(ThemeAssignment.response_id.in_(ids))
    best: dict[int, tuple[tuple[int, int], int]] = {}
    for row_id, response_id, theme_id, source in db.session.execute(query):
        rank = (SOURCE_PRIORITY.get(source, 0), row_id)
        if response_id not in best or rank > best[response_id][0]:
            best[response_id] = (rank, theme_id)
    if not best:
        return {}
    themes = {t.id: t for t in db.session.scalars(select(Theme))}
    resolved: dict[int, Theme] = {}

    def final(theme_id: int) -> Theme:
        if theme_id not in resolved:
            theme, seen = themes[theme_id], {theme_id}
            while theme.merged_into_id is not None and theme.merged_into_id not in seen:
                seen.add(theme.merged_into_id)
                theme = themes[theme.merged_into_id]
            resolved[theme_id] = theme
        return resolved[theme_id]

    return {rid: final(theme_id) for rid, (_, theme_id) in best.items()}


def is_new(theme: Theme, run: AnalysisRun | None = None) -> bool:
    """A theme the latest run found for the first time (an emerging reason)."""
    run = run or latest_run()
    return bool(run and theme.stable_key in (run.counts or {}).get("new_theme_keys", []))


# ---------------------------------------------------------------- what the CX team taught

#: At most this many answers (most confident first) of a theme whose root cause a person
#: confirmed or changed become labelled examples: enough to teach the cause, few enough that
#: one big theme does not outweigh the example bank.
CONFIRMED_PER_THEME = 25


def corrections() -> list[tuple[str, str]]:
    """The CX team's decisions as ``(redacted answer text, root-cause key)`` for the pipeline.

    Every answer a person moved to another theme (with that theme's cause) and, for each theme
    whose cause a person confirmed or changed, up to :data:`CONFIRMED_PER_THEME` of its answers
    (most confident first) with that cause. Read from live rows at run time, so an erased
    customer's answers (their text is gone) are never among them.
    """
    run = latest_run()
    query = (select(ThemeAssignment.response_id, ThemeAssignment.source, ThemeAssignment.confidence,
                    Response.redacted_text)
             .join(Response, ThemeAssignment.response_id == Response.id)
             .join(Invitation, Response.invitation_id == Invitation.id)
             .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
             .where(ThemeAssignment.is_primary.is_(True), DepartedCustomer.erased_at.is_(None),
                    Response.redacted_text.is_not(None), Response.redacted_text != "")
             .order_by(ThemeAssignment.response_id))
    if run is not None:
        query = query.where((ThemeAssignment.run_id == run.id) | ThemeAssignment.run_id.is_(None))
    else:
        query = query.where(ThemeAssignment.run_id.is_(None))
    rows = db.session.execute(query).all()
    if not rows:
        return []
    current = current_assignments({r.response_id for r in rows})
    moved: dict[int, tuple[str, str]] = {}
    confirmed: dict[int, dict[int, tuple[float, str]]] = {}
    for response_id, source, confidence, text in rows:
        theme = current.get(response_id)
        if theme is None or text is None:  # the query keeps only answers with text
            continue
        if source == "manual":
            moved[response_id] = (text, theme.category)
        elif theme.category_source == "human":
            best = confirmed.setdefault(theme.id, {})
            if response_id not in best or confidence > best[response_id][0]:
                best[response_id] = (confidence, text)
    out = list(moved.values())
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(list(confirmed))))}
    for theme_id in sorted(confirmed):
        ranked = sorted(((-c, rid, t) for rid, (c, t) in confirmed[theme_id].items() if rid not in moved))
        out.extend((text, themes[theme_id].category) for _, _, text in ranked[:CONFIRMED_PER_THEME])
    return out


# ---------------------------------------------------------------- human curation

def rename_theme(theme: Theme, label: str, *, lock: bool, actor: str, actor_user_id: int | None = None) -> Theme:
    """Give a theme a human label; locked labels are never replaced by later runs."""
    label = " ".join((label or "").split())
    if not label:
        raise CurationError("The new label must not be empty.")
    if len(label) > 200:
        raise CurationError("The new label must be at most 200 characters.")
    old = theme.display_label
    theme.human_label, theme.label_locked = label, lock
    audit.record("theme.rename", actor=actor, actor_user_id=actor_user_id, target_type="theme", target_id=theme.id,
                 old=old, new=label, locked=lock)
    db.session.commit()
    return theme


def merge_themes(source: Theme, target: Theme, *, actor: str, actor_user_id: int | None = None) -> Theme:
    """Fold ``source`` into ``target``: its answers count toward ``target`` now and in later runs."""
    target = resolve_theme(target)
    if resolve_theme(source).id == target.id:
        raise CurationError("A theme cannot be merged into itself.")
    source.merged_into_id = target.id
    audit.record("theme.merge", actor=actor, actor_user_id=actor_user_id, target_type="theme", target_id=source.id,
                 source=source.display_label, into=target.display_label, into_id=target.id)
    db.session.commit()
    return target


def _place(response_id: int, theme: Theme) -> None:
    """Make ``theme`` the answer's human-chosen theme (one manual row per answer)."""
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.response_id == response_id,
                                                      ThemeAssignment.source == "manual"))
    db.session.add(ThemeAssignment(run_id=None, response_id=response_id, theme_id=theme.id, is_primary=True,
                                   confidence=1.0, source="manual"))


def move_answer(response: Response, theme: Theme, *, actor: str, actor_user_id: int | None = None) -> None:
    """Put one answer in another theme; the move outranks every later run and teaches the
    root-cause classifier the theme's cause (see :func:`corrections`)."""
    theme = resolve_theme(theme)
    current = current_assignments([response.id]).get(response.id)
    _place(response.id, theme)
    audit.record("theme.move_answer", actor=actor, actor_user_id=actor_user_id, target_type="response",
                 target_id=response.id, from_theme=current.id if current else None, to_theme=theme.id)
    db.session.commit()


def set_theme_cause(theme: Theme, cause: str, *, actor: str, actor_user_id: int | None = None) -> Theme:
    """Confirm (same key) or change a theme's root cause. Later runs keep it, and the theme's
    answers become labelled examples of that cause for the classifier."""
    if not root_causes.is_cause(cause):
        raise CurationError(f"{cause!r} is not a known root cause; pick one from the list.")
    theme = resolve_theme(theme)
    old = theme.category
    theme.category, theme.category_source = cause, "human"
    audit.record("theme.confirm_cause" if cause == old else "theme.change_cause", actor=actor,
                 actor_user_id=actor_user_id, target_type="theme", target_id=theme.id, old=old, new=cause)
    db.session.commit()
    return theme


def split_theme(theme: Theme, response_ids: Iterable[int], label: str, *, actor: str,
                actor_user_id: int | None = None) -> Theme:
    """Move the picked answers of ``theme`` to a new theme labelled ``label``.

    The new theme has the same root cause and a locked human label; its answers are human
    moves, so they stay in it across later runs (and teach the classifier its cause).
    """
    label = " ".join((label or "").split())
    if not label:
        raise CurationError("The new theme's label must not be empty.")
    if len(label) > 200:
        raise CurationError("The new theme's label must be at most 200 characters.")
    theme = resolve_theme(theme)
    ids = list(dict.fromkeys(int(i) for i in response_ids))
    if not ids:
        raise CurationError("Pick at least one answer to move to the new theme.")
    current = current_assignments(ids)
    outside = [i for i in ids if current.get(i) is None or current[i].id != theme.id]
    if outside:
        raise CurationError(f"Answer(s) {', '.join(map(str, outside))} are not in \u201c{theme.display_label}\u201d.")
    run = latest_run()
    texts = db.session.scalars(select(Response.redacted_text).where(Response.id.in_(ids), Response.redacted_text != "")
                               .order_by(Response.id).limit(5))
    new = Theme(stable_key=f"split-{secrets.token_hex(8)}", label=label, human_label=label, label_locked=True,
                keywords=[], category=theme.category, category_source=theme.category_source,
                quotes=[t for t in texts if t], size=len(ids), first_seen_run_id=run.id if run else None,
                last_seen_run_id=run.id if run else None)
    db.session.add(new)
    db.session.flush()
    for response_id in ids:
        _place(response_id, new)
    audit.record("theme.split", actor=actor, actor_user_id=actor_user_id, target_type="theme", target_id=theme.id,
                 source=theme.display_label, new_theme_id=new.id, label=label, answers=len(ids))
    db.session.commit()
    return new


def live_themes() -> list[Theme]:
    """Themes that are not merged away, for pick lists."""
    return list(db.session.scalars(select(Theme).where(Theme.merged_into_id.is_(None)).order_by(Theme.label)))
