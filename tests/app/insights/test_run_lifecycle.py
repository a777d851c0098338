"""An analysis run around the pipeline: a job delivered twice, two starts at once, and a failure in
the bookkeeping after the results were stored. The pipeline's result is fixed (``nlp.analyze``
replaced), so these run without models."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from feedback_app.extensions import db as _db
from feedback_app.models import AnalysisRun, Response, ThemeAssignment, utcnow
from feedback_app.services.insights import assignment, follow_ups, runs
from tests.app.insights_data import World
from tests.helpers import run_twice_at_once


def _fixed_result(
    monkeypatch, theme_key: str, response_ids: list[int], non_answers: tuple[int | str, ...] = ()
) -> None:
    """``nlp.analyze`` gives every answer in ``response_ids`` the theme ``theme_key`` and finds the
    ``non_answers`` to be no answer at all (as a run given exactly those answers would; a
    conversation by its pipeline id, ``c<id>``)."""
    from nlp import AnalysisResult, Assignment, ThemeMemory, ThemeResult

    result = AnalysisResult(
        themes=[
            ThemeResult(theme_key, "Price went up", ["price"], "price", len(response_ids), [], -0.2, False)
        ],
        assignments=[
            Assignment(str(i), theme_key, [theme_key], 0.9, "It cost too much.", False, -0.2)
            for i in response_ids
        ]
        + [Assignment(str(i), None, [], 0.0, "No comment.", True, 0.0) for i in non_answers],
        memory=ThemeMemory(),
    )
    monkeypatch.setattr("nlp.analyze", lambda *args, **kwargs: result)
    monkeypatch.setattr("nlp.organisations.organisations", lambda *args, **kwargs: {})


def test_a_run_job_delivered_again_leaves_the_finished_run_alone(make, db):
    # Celery acknowledges a job only after it ends (acks_late) and puts it back when its worker
    # dies: a worker lost after the run's commit hands the same run_id to another worker.
    world = World(make, db)
    world.theme("price", "Price went up", "price")
    finished = world.run.finished_at
    runs.run_job(world.run.id)
    db.session.expire_all()
    run = db.session.get(AnalysisRun, world.run.id)
    assert (run.status, run.error, run.finished_at) == ("succeeded", None, finished)
    assert assignment.latest_run().id == world.run.id


def test_a_late_job_does_not_revive_a_run_marked_abandoned(db):
    abandoned = AnalysisRun(
        status="failed",
        error="Abandoned: the process running it stopped before it finished.",
        created_at=utcnow() - timedelta(hours=3),
        finished_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(abandoned)
    db.session.commit()
    runs.run_job(abandoned.id)
    db.session.expire_all()
    again = db.session.get(AnalysisRun, abandoned.id)
    assert again.status == "failed" and again.error.startswith("Abandoned") and again.started_at is None


@contextmanager
def _paused_after(statement_part: str, timeout: float = 2.0) -> Iterator[None]:
    """Hold each worker thread after it ran a statement holding ``statement_part`` until the other
    got there too (or ``timeout`` passed): the window between reading and writing, made wide."""
    barrier = threading.Barrier(2)
    engine = _db.engine

    def after(conn, cursor, statement, parameters, context, executemany):
        if statement_part in statement and threading.current_thread() is not threading.main_thread():
            try:
                barrier.wait(timeout)
            except threading.BrokenBarrierError:
                pass

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after)


def test_two_clicks_on_run_analysis_queue_one_run(app, db):
    with _paused_after("analysis_run.status IN"):
        queued, failures = run_twice_at_once(app, lambda: runs.queue_run(actor="cx@example.com").id)
    assert len(queued) == 1, f"two runs started at once: {queued}"
    assert len(failures) == 1 and isinstance(failures[0], runs.AnalysisError)
    assert "still queued" in str(failures[0])
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AnalysisRun.id))) == 1


def test_a_stored_run_stays_succeeded_when_the_follow_up_queue_cannot_be_refreshed(make, db, monkeypatch):
    # The run's themes and assignments are committed before the follow-up queue, the complaint
    # queue and the alerts are brought up to date: a database error there (an answer submitted
    # meanwhile, a dropped connection) must not mark the stored run failed, which hid its themes.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None, text="It cost too much.")
    previous = world.run
    _fixed_result(monkeypatch, price.stable_key, [answer.id])

    def broken(*args, **kwargs):
        raise OperationalError("INSERT INTO follow_up ...", {}, Exception("server closed the connection"))

    monkeypatch.setattr(follow_ups, "refresh", broken)
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    stored = db.session.get(AnalysisRun, run.id)
    assert stored.status == "succeeded" and stored.error is None
    assert assignment.latest_run().id == stored.id != previous.id
    assert assignment.current_assignments([answer.id])[answer.id].id == price.id
    assert db.session.scalar(
        select(ThemeAssignment.run_id).where(ThemeAssignment.response_id == answer.id)
    ) == (stored.id)


def test_a_queued_run_still_runs(make, db, monkeypatch):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [answer.id])
    run = AnalysisRun(status="queued", parameters={"survey": None, "since": None})
    db.session.add(run)
    db.session.commit()
    assert runs.execute_run(run.id).status == "succeeded"


def test_answers_a_run_did_not_read_keep_their_themes(make, db, monkeypatch):
    # Retention keeps "redacted text, choices, scores and theme counts" but purges the raw text a
    # run reads, and **Run analysis** may be limited to answers since a date: an answer the latest
    # run did not read must keep the theme an earlier run gave it, not drop out of every figure,
    # close-the-loop list and win-back target.
    from datetime import UTC, date, datetime

    from feedback_app.services.insights.filters import Filters
    from feedback_app.services.insights.metrics import theme_figures

    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support", "support")
    _, purged = world.answer(price, submitted=datetime(2026, 9, 1, tzinfo=UTC))
    _, older = world.answer(support, text="Nobody answered.", submitted=datetime(2026, 10, 1, tzinfo=UTC))
    _, newer = world.answer(None, submitted=datetime(2026, 11, 10, tzinfo=UTC))
    purged.answers, purged.text_purged_at = {"main_reason": "too_expensive"}, utcnow()
    db.session.commit()
    _fixed_result(monkeypatch, price.stable_key, [newer.id])
    run = runs.queue_run(since=date(2026, 11, 1), actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    now = assignment.current_assignments()
    assert {k: t.id for k, t in now.items()} == {
        purged.id: price.id,
        older.id: support.id,
        newer.id: price.id,
    }
    figures = {
        f.theme.id: f.customers for f in theme_figures(Filters(start=None, end=None), with_trend=False)
    }
    assert figures == {price.id: 2, support.id: 1}


def test_an_answer_the_latest_run_finds_no_answer_leaves_its_earlier_incremental_theme(make, db, monkeypatch):
    # A human move beats the latest full run, which beats the incremental assignment made when the
    # answer came in: a run that reads "no comment" as no answer at all must not leave it counted
    # (and told "we fixed it") under the theme the incremental assigner guessed.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, kept = world.answer(price)
    _, guessed = world.answer(price, text="No comment.", source="incremental")
    _fixed_result(monkeypatch, price.stable_key, [kept.id], non_answers=(guessed.id,))
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    assert {k: t.id for k, t in assignment.current_assignments().items()} == {kept.id: price.id}


def test_an_answer_edited_to_no_reason_does_not_keep_its_earlier_theme(make, db, monkeypatch):
    # The person took their written reason out within the edit window: the next run, reading every
    # answer, finds no text to read. That is not an answer the run left unread (a purged or an
    # out-of-range one keeps its theme): the earlier run's theme of the removed words must not be
    # carried forward and counted (and told "we fixed it") for ever.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, kept = world.answer(price)
    _, edited = world.answer(price, text="It cost too much.")
    edited.answers = {"main_reason": "too_expensive"}  # the written reason removed; not purged
    db.session.commit()
    _fixed_result(monkeypatch, price.stable_key, [kept.id])
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    assert {k: t.id for k, t in assignment.current_assignments().items()} == {kept.id: price.id}


def test_tickets_and_interviews_a_run_did_not_read_keep_their_themes(make, db, monkeypatch):
    # A run limited to one survey reads no conversations, and one limited to "since" a date reads
    # none opened before it: the ticket and interview themes an earlier run gave must stay in the
    # figures and queues (they count the latest run's rows), as answers' do.
    from datetime import UTC, date, datetime

    from feedback_app.models import Conversation, ConversationAssignment
    from feedback_app.services.conversations import analysis_feed

    world = World(make, db)
    support = world.theme("support", "Slow support", "support")
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None, submitted=datetime(2026, 11, 10, tzinfo=UTC))
    conversations = []
    for kind, status in (("ticket", "open"), ("interview", "held")):
        conversation = Conversation(
            customer_id=make.customer().id,
            kind=kind,
            origin="csv",
            status=status,
            opened_at=datetime(2026, 9, 1, tzinfo=UTC),
            redacted_text="Support never answered.",
        )
        db.session.add(conversation)
        db.session.flush()
        db.session.add(
            ConversationAssignment(
                run_id=world.run.id, conversation_id=conversation.id, theme_id=support.id, source="batch"
            )
        )
        conversations.append(conversation.id)
    db.session.commit()
    _fixed_result(monkeypatch, price.stable_key, [answer.id])

    run = runs.queue_run(since=date(2026, 11, 1), actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"

    db.session.expire_all()
    assert {k: t.id for k, t in analysis_feed.current_themes(conversations).items()} == {
        cid: support.id for cid in conversations
    }
    assert db.session.get(AnalysisRun, run.id).counts["carried_conversations"] == 2


def _running_run(beat_ago: timedelta) -> AnalysisRun:
    beat = utcnow() - beat_ago
    run = AnalysisRun(
        status="running",
        parameters={"survey": None, "since": None},
        started_at=beat,
        heartbeat_at=beat,
        stage="embedding",
        progress=0.4,
    )
    _db.session.add(run)
    _db.session.commit()
    return run


def _rows_of(run_id: int) -> int:
    return _db.session.scalar(select(func.count(ThemeAssignment.id)).where(ThemeAssignment.run_id == run_id))


def test_a_job_delivered_again_while_its_run_is_still_going_leaves_it_to_the_first_worker(
    make, db, monkeypatch
):
    # Redis hands an unacknowledged job to a second worker after the visibility timeout even when
    # the first is alive and still running it (a long run); the thread runner and a Celery worker
    # can hold the same id too. A run that sent progress a minute ago is someone's: taking it again
    # ran the pipeline twice at once and stored its results twice.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [answer.id])
    going = _running_run(timedelta(minutes=1))
    started = going.started_at
    runs.run_job(going.id)
    db.session.expire_all()
    again = db.session.get(AnalysisRun, going.id)
    assert (again.status, again.started_at, again.stage) == ("running", started, "embedding")
    assert _rows_of(going.id) == 0


def test_a_run_whose_process_stopped_is_resumed_by_its_job_and_stored_once(make, db, monkeypatch):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [answer.id])
    stopped = _running_run(runs.STALE_HEARTBEAT + timedelta(minutes=1))
    runs.run_job(stopped.id)
    db.session.expire_all()
    assert db.session.get(AnalysisRun, stopped.id).status == "succeeded"
    assert _rows_of(stopped.id) == 1


def test_two_workers_given_the_same_run_at_once_run_it_once(app, make, db, monkeypatch):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [answer.id])
    import nlp

    analyze, analysed = nlp.analyze, []
    monkeypatch.setattr("nlp.analyze", lambda *args, **kwargs: analysed.append(1) or analyze(*args, **kwargs))
    run_id = runs.queue_run(actor="cx@example.com").id
    with _paused_after("UPDATE analysis_run SET status"):
        done, failures = run_twice_at_once(app, lambda: runs.execute_run(run_id).status)
    assert failures == []
    db.session.expire_all()
    stored = db.session.get(AnalysisRun, run_id)
    assert (stored.status, stored.counts["skipped"]) == ("succeeded", [])
    assert _rows_of(run_id) == 1
    assert len(analysed) == 1, "two workers ran the same run at once"


def test_a_worker_whose_run_was_taken_over_stores_nothing_and_leaves_the_run_alone(make, db, monkeypatch):
    # A worker silent past STALE_HEARTBEAT (a stage with no progress, a paused VM) but alive: its
    # run is resumed by the redelivered job. The first worker must then stop at its next
    # progress, neither storing its results beside the second's nor marking the run failed.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, answer = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [answer.id])
    run = runs.queue_run(actor="cx@example.com")
    later = utcnow() + timedelta(seconds=5)

    def taken_over(stage: str, fraction: float) -> None:
        if stage == "organisations":  # as the second worker's take-over would, from its own connection
            with _db.engine.begin() as conn:
                conn.execute(
                    AnalysisRun.__table__.update()
                    .where(AnalysisRun.id == run.id)
                    .values(started_at=later, heartbeat_at=later, stage="reading answers")
                )

    runs.execute_run(run.id, progress=taken_over)
    db.session.expire_all()
    after = db.session.get(AnalysisRun, run.id)
    assert (after.status, after.error, after.stage) == ("running", None, "reading answers")
    assert _rows_of(run.id) == 0


def test_an_answer_edited_to_no_reason_loses_its_incremental_guess_at_the_next_run(make, db, monkeypatch):
    # Answered with words, guessed into a theme when it came in, then the written reason taken out
    # within the edit window: the next run reads no text for it. The incremental guess of the
    # removed words outranked nothing and was never replaced, so it stayed counted under the
    # guessed theme (and quoted in the words the customer took out) after every later run.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, kept = world.answer(price)
    _, edited = world.answer(price, text="It cost too much.", source="incremental")
    edited.answers = {"main_reason": "too_expensive", "what_happened": ""}  # taken out; not purged
    db.session.commit()
    _fixed_result(monkeypatch, price.stable_key, [kept.id])
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    assert {k: t.id for k, t in assignment.current_assignments().items()} == {kept.id: price.id}
    assert not db.session.get(type(edited), edited.id).redacted_text


def test_a_ticket_the_latest_run_finds_no_answer_leaves_its_earlier_incremental_theme(make, db, monkeypatch):
    # A ticket imported after the last run was guessed into a theme at once; the next run reads it
    # and finds no reason in it at all. As for answers, the run decides: the guess must not keep
    # it counted under the guessed theme (the figures, the complaint queue) after every later run.
    from datetime import UTC, datetime

    from feedback_app.services.conversations import analysis_feed

    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, kept = world.answer(price)
    ticket = world.ticket(
        price,
        make.customer().id,
        text="Thanks, bye.",
        status="open",
        opened_at=datetime(2026, 11, 1, tzinfo=UTC),
        source="incremental",
        confidence=0.5,
    )
    _fixed_result(monkeypatch, price.stable_key, [kept.id], non_answers=(f"c{ticket.id}",))
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    db.session.expire_all()
    assert analysis_feed.current_themes([ticket.id]) == {}


def test_an_answer_edited_to_no_reason_loses_its_incremental_guess_at_once(make, db):
    # The edit runs the incremental assigner again: with no words left it kept the old guess (and
    # the redacted copy of the words), so the answer stayed counted and quoted until a full run.
    from feedback_app.services.insights import incremental

    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    _, edited = world.answer(price, text="It cost too much.", source="incremental")
    edited.answers = {"main_reason": "too_expensive", "what_happened": "  "}
    db.session.commit()
    assert incremental.assign_response(edited.id) is None
    db.session.expire_all()
    assert assignment.current_assignments() == {}
    assert db.session.get(type(edited), edited.id).redacted_text == ""


def _edit_guess(db, response_id: int, theme_id: int) -> None:
    """An edit of the answer now (``submission._edit_or_duplicate``), and the incremental guess
    it leaves (``incremental.assign_response``)."""
    db.session.get(Response, response_id).edited_at = utcnow()
    db.session.add(
        ThemeAssignment(
            run_id=None,
            response_id=response_id,
            theme_id=theme_id,
            is_primary=True,
            source="incremental",
            confidence=0.6,
        )
    )
    db.session.commit()


def test_an_answer_edited_after_the_run_read_it_counts_under_the_edit_s_guess(make, db, monkeypatch):
    # A run read the answer, then the customer edited it within the edit window: the run's theme (of
    # the words they replaced) outranked the edit's guess until the next run. The newer decides; a
    # late guess of words the run read (a submission's job run after the run started) does not.
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support replies", "support")
    _, during = world.answer(price, source="incremental")  # guessed when it came in, before the run
    _, after = world.answer(price, source="incremental")
    _, unedited = world.answer(None)
    _fixed_result(monkeypatch, price.stable_key, [during.id, after.id, unedited.id])
    fixed = __import__("nlp").analyze

    def analyze_while_edited(*args, **kwargs):
        _edit_guess(db, during.id, support.id)  # edited while the run analyses what it read
        db.session.add(
            ThemeAssignment(
                run_id=None,
                response_id=unedited.id,
                theme_id=support.id,
                source="incremental",
                confidence=0.5,
            )
        )
        db.session.commit()
        return fixed(*args, **kwargs)

    monkeypatch.setattr("nlp.analyze", analyze_while_edited)
    run = runs.queue_run(actor="cx@example.com")
    assert runs.execute_run(run.id).status == "succeeded"
    assert assignment.current_assignments()[after.id].id == price.id  # its old guess went
    _edit_guess(db, after.id, support.id)  # edited after the run

    db.session.expire_all()
    themes = {k: t.id for k, t in assignment.current_assignments().items()}
    assert themes == {during.id: support.id, after.id: support.id, unedited.id: price.id}
