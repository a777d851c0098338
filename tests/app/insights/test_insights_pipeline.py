"""The analysis with the real nlp pipeline and models (slow): runs, curation across runs and
incremental assignment of a new answer (the demo filled in by its analysis: tests/app/demo/
test_demo_page_words.py, on the same run as its crawl). Models load once per session.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from feedback_app.models import AnalysisRun, Survey, Theme, ThemeAssignment
from feedback_app.services.insights import assignment, curation, incremental, metrics
from feedback_app.services.insights.filters import Filters
from feedback_app.services.responses.submission import after_response_submitted
from tests.app.insights_data import SAAS_LIKE
from tests.saved_state import SavedState

# umap warns at import that TensorFlow is absent (ParametricUMAP unused): third-party noise.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::ImportWarning")]

PRICE = [
    "The price went up again and we could not justify it.",
    "Too expensive for a small team like ours.",
    "Your renewal quote doubled, way over our budget.",
    "Costs too much compared to what we use.",
    "The monthly fee kept climbing every year.",
    "We could not afford the new pricing tier.",
    "Pricing is far too high for the value we got.",
    "Another price increase, so we cancelled.",
]
SUPPORT = [
    "Support never answered my tickets for weeks.",
    "The support agent was rude and dismissive.",
    "Nobody from customer service ever replied to us.",
    "Support closed our ticket without helping.",
    "Waited days for a support reply that never came.",
    "Customer support was unhelpful and slow to respond.",
    "Your help desk ignored our emails repeatedly.",
    "Support staff could not solve anything for us.",
]
CRASH = [
    "The app crashed every time we saved a file.",
    "Constant outages and errors broke our workflow.",
    "Bugs everywhere, the editor kept freezing and crashing.",
    "Data got lost when the sync crashed again.",
    "The mobile app crashes on launch since the update.",
    "Frequent downtime and 500 errors all week.",
    "It kept crashing and losing our changes.",
    "Outage after outage, the service was unreliable.",
]


def _answers(make, db):
    """Twenty-four answers with three clearly different reasons; returns their survey."""
    survey = make.survey(definition=SAAS_LIKE)
    for text in PRICE + SUPPORT + CRASH:
        invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
        make.response(
            invitation=invitation,
            answers={"what_happened": text, "main_reason": "too_expensive", "contact_ok": "yes", "nps": 3},
        )
    return survey


def _theme_of(text: str, db) -> Theme:
    from feedback_app.models import Response

    response = next(r for r in db.session.scalars(select(Response)) if r.answers["what_happened"] == text)
    return assignment.current_assignments([response.id])[response.id]


def _warm_cache(app, bank_vectors) -> None:
    """Put the example bank's vectors in the app's empty NLP cache (see tests/warm_cache.py)."""
    from feedback_app.services.insights.pipeline import pipeline_config

    bank_vectors.copy_into(app.config["NLP_CACHE_DIR"], pipeline_config())


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> SavedState:
    """Where ``analysed`` keeps, on SQLite, the database and NLP cache its first run left."""
    return SavedState(tmp_path_factory.mktemp("first-run"))


@pytest.fixture
def analysed(app, runner, make, db, bank_vectors, first_run) -> Survey:
    """The twenty-four answers after one run (with a warm cache, so a later run can train a head):
    the state most tests below start from; returns their survey.

    The first run is the same in every test, so on SQLite it is made once per module and each
    later test starts from a copy of the database and cache folder it left (each test still has
    its own app, database file and cache folder); on PostgreSQL each test runs it itself
    (tests/saved_state.py).
    """
    if not first_run.restore(app):
        _warm_cache(app, bank_vectors)
        _answers(make, db)
        assert runner.invoke(args=["analyze", "run"]).exit_code == 0
        first_run.keep(app)
    assert db.session.scalar(select(func.count(AnalysisRun.id))) == 1
    return db.session.scalars(select(Survey)).one()


@pytest.mark.postgresql  # a real run's themes and assignments stored by each engine
def test_cli_run_stores_themes_assignments_progress_and_redaction(runner, make, db):
    _answers(make, db)
    person = make.customer()
    invitation, _ = make.invitation(customer=person, status="sent")
    make.response(
        invitation=invitation, answers={"what_happened": "Email me at jo.bloggs@example.com, too pricey."}
    )
    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    run = db.session.scalar(select(AnalysisRun))
    assert run.status == "succeeded" and run.progress == 1.0 and run.memory
    assert run.counts["answers"] == 25 and f"{run.counts['themes']} themes" in result.output
    assert isinstance(run.counts["organisations"], dict)  # spaCy ORG names, kept for "where they went"
    # themes live inside root causes: one cause per reason (a cause may hold several themes)
    assert _theme_of(PRICE[0], db).category == _theme_of(PRICE[5], db).category == "price"
    assert _theme_of(SUPPORT[0], db).category == "support"
    assert _theme_of(CRASH[0], db).category == "bugs_reliability"
    assert _theme_of(PRICE[0], db).id != _theme_of(SUPPORT[0], db).id != _theme_of(CRASH[0], db).id
    from feedback_app.models import Response

    redacted = [
        r.redacted_text
        for r in db.session.scalars(select(Response))
        if "pricey" in r.answers["what_happened"]
    ]
    assert redacted and "jo.bloggs@example.com" not in redacted[0]
    assert all("@example.com" not in q for t in db.session.scalars(select(Theme)) for q in t.quotes)
    bad = runner.invoke(args=["analyze", "run", "--since", "last week"])
    assert bad.exit_code != 0 and "--since" in bad.output


def test_curation_survives_a_second_run(app, runner, make, db, bank_vectors):
    _warm_cache(app, bank_vectors)  # the second run trains a head on the move below
    survey = _answers(make, db)
    # a ninth price answer: after the move below the price pool still has enough answers for
    # two themes (a pool under 2 x min_theme_size becomes one theme, and a renamed theme could go)
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    make.response(invitation=invitation, answers={"what_happened": "The yearly price rise pushed us out."})
    assert runner.invoke(args=["analyze", "run"]).exit_code == 0
    price, support, crash = _theme_of(PRICE[0], db), _theme_of(SUPPORT[0], db), _theme_of(CRASH[0], db)
    curation.rename_theme(price, "Renewal price shock", lock=True, actor="cx@example.com")
    curation.merge_themes(crash, support, actor="cx@example.com")
    from feedback_app.models import Response

    moved = next(r for r in db.session.scalars(select(Response)) if r.answers["what_happened"] == PRICE[7])
    curation.move_answer(moved, support, actor="cx@example.com")

    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AnalysisRun.id)).where(AnalysisRun.status == "succeeded")) == 2
    again = _theme_of(PRICE[0], db)
    assert again.id == price.id and again.display_label == "Renewal price shock" and again.label_locked
    assert _theme_of(CRASH[0], db).id == support.id  # merged away and kept merged
    assert _theme_of(PRICE[7], db).id == support.id  # the human move outranks the new run
    labels = [f.theme.display_label for f in metrics.theme_figures(Filters())]
    assert "Renewal price shock" in labels and crash.display_label not in labels


def test_the_cx_team_teaches_the_next_run_and_causes_and_splits_are_kept(runner, make, db, analysed):
    """A moved answer's near-duplicate follows the move; a changed cause and a split survive a run."""
    survey = analysed  # its cache is warm: the third run trains a head on the move below
    from feedback_app.models import Response

    responses = {r.answers["what_happened"]: r for r in db.session.scalars(select(Response))}
    support, crash = _theme_of(SUPPORT[0], db), _theme_of(CRASH[0], db)
    # 1. "we outgrew it" is not a support problem; the CX team says this answer is about price
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    odd = make.response(
        invitation=invitation, answers={"what_happened": "Support was fine but we outgrew the plan."}
    )
    price_theme = _theme_of(PRICE[1], db)
    assert runner.invoke(args=["analyze", "run"]).exit_code == 0
    curation.move_answer(db.session.get(Response, odd.id), price_theme, actor="cx@example.com")
    # 2. the crash theme's cause is changed by hand; 3. two support answers are split off
    curation.set_theme_cause(crash, "speed_performance", actor="cx@example.com")
    picked = [responses[t].id for t in SUPPORT[1:] if _theme_of(t, db).id == support.id][:2]
    split = curation.split_theme(support, picked, "Rude or silent agents", actor="cx@example.com")
    # a near-duplicate of the moved answer arrives, and the next run learns from the team
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    twin = make.response(
        invitation=invitation, answers={"what_happened": "Support was fine, but we outgrew the plan."}
    )
    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _theme_of("Support was fine, but we outgrew the plan.", db).category == "price"
    rows = db.session.scalars(select(ThemeAssignment).where(ThemeAssignment.response_id == twin.id)).all()
    assert rows and all(r.source == "batch" for r in rows)  # the run put it there, not a person
    changed = db.session.get(Theme, crash.id)
    assert changed.category == "speed_performance" and changed.category_source == "human"
    assert _theme_of(CRASH[0], db).category == "speed_performance"
    assert {assignment.current_assignments(picked)[i].id for i in picked} == {split.id}
    assert db.session.get(Theme, split.id).display_label == "Rude or silent agents"
    assert _theme_of(SUPPORT[0], db).category == "support"


def test_a_new_answer_is_assigned_as_soon_as_it_is_submitted(make, db, analysed):
    survey = analysed
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    response = make.response(
        invitation=invitation, answers={"what_happened": "Support ignored every ticket we sent."}
    )
    after_response_submitted(response.id)
    db.session.expire_all()
    row = db.session.scalar(select(ThemeAssignment).where(ThemeAssignment.response_id == response.id))
    assert row is not None and row.source == "incremental"
    assert assignment.current_assignments([response.id])[response.id].id == _theme_of(SUPPORT[0], db).id


def test_an_answer_whose_assignment_job_was_lost_gets_its_theme_from_the_sweep(make, db, analysed):
    survey = analysed
    invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    # Stored, but its incremental.assign_response job never ran (say Redis was down at the time).
    lost = make.response(
        invitation=invitation, answers={"what_happened": "Support ignored every ticket we sent."}
    )
    blank_invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
    make.response(invitation=blank_invitation, answers={"what_happened": ""})
    pending = incremental.pending_response_ids()
    assert lost.id in pending and len(pending) == 2  # the blank one is looked at once, too

    assert incremental.assign_pending_job() == 1
    assert incremental.pending_response_ids() == []
    assert incremental.assign_pending_job() == 0  # nothing left; no second assignment
    db.session.expire_all()
    rows = db.session.scalars(select(ThemeAssignment).where(ThemeAssignment.response_id == lost.id)).all()
    assert [r.source for r in rows] == ["incremental"]
    assert assignment.current_assignments([lost.id])[lost.id].id == _theme_of(SUPPORT[0], db).id
    # The job itself running again (a redelivery) replaces its row instead of adding one.
    incremental.assign_response(lost.id)
    assert (
        db.session.scalar(
            select(func.count(ThemeAssignment.id)).where(ThemeAssignment.response_id == lost.id)
        )
        == 1
    )


def test_a_redelivered_job_leaves_a_finished_run_as_it_was(db, analysed):
    """Celery acknowledges a job once it finished (``acks_late``): a worker killed between the run's
    last commit and the acknowledgement gets the job delivered again, and a machine that died is
    redelivered after ``CELERY_VISIBILITY_TIMEOUT`` (65 min), long after the run was marked abandoned.
    Running it again turned a succeeded run into a failed one (its assignments were stored twice)
    and brought an abandoned run back to life behind the newer runs."""
    from feedback_app.jobs import enqueue
    from feedback_app.services.insights import runs

    done = db.session.scalar(select(AnalysisRun))
    stored = db.session.scalar(select(func.count(ThemeAssignment.id)))
    abandoned = runs.queue_run()
    abandoned.status, abandoned.error = (
        "failed",
        "Abandoned: the process running it stopped before it finished.",
    )
    db.session.commit()

    enqueue("analysis.run", run_id=done.id)
    enqueue("analysis.run", run_id=abandoned.id)
    db.session.expire_all()
    assert (done.status, done.error) == ("succeeded", None)
    assert db.session.scalar(select(func.count(ThemeAssignment.id))) == stored
    assert abandoned.status == "failed" and abandoned.error.startswith("Abandoned")
    assert runs.latest_run().id == done.id
