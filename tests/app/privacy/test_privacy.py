"""Erase, export and retention: after erasure nothing in the database names the person."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback_app.models import (
    ActionItem,
    AnalysisRun,
    AuditEvent,
    DepartedCustomer,
    FollowUp,
    Response,
    Theme,
    ThemeAssignment,
    utcnow,
)
from feedback_app.services.accounts import audit
from feedback_app.services.outreach import outbox
from feedback_app.services.privacy import erasure
from tests.app.insights_data import SAAS_LIKE

DEFINITION = SAAS_LIKE
ANSWER = "Zebulon at support ignored my ticket about invoice INV-99817 for three weeks"
REDACTED = "[NAME] at support ignored my ticket about invoice [ACCOUNT] for three weeks"


@pytest.fixture
def person(app, db, make):
    """One former customer with everything the loop stores about them, plus a bystander."""
    survey = make.survey(DEFINITION)
    customer = make.customer(
        email="Quintessa.Marlowe@example.org",
        name="Quintessa Marlowe",
        company="Marlowe Ltd",
        phone="+44 7700 900123",
    )
    invitation, token = make.invitation(customer=customer, survey=survey, status="sent")
    email = outbox.queue_email(
        kind="invitation",
        idempotency_key=f"inv-{invitation.id}",
        recipient=customer.email,
        subject="Sorry to see you go, Quintessa",
        body_text=f"Hi Quintessa Marlowe, http://survey.test/s/{token}",
        body_html="<p>Hi</p>",
        customer_id=customer.id,
        invitation_id=invitation.id,
    )
    db.session.commit()
    assert outbox.deliver().sent == 1
    response = make.response(
        invitation=invitation,
        answers={"main_reason": "too_expensive", "what_happened": ANSWER, "nps": 2},
        redacted_text=REDACTED,
    )
    bystander = make.customer(email="other@example.org", name="Other Person")
    other_inv, _ = make.invitation(customer=bystander, survey=survey)
    other_response = make.response(
        invitation=other_inv,
        answers={"main_reason": "poor_support", "what_happened": "Crashes daily.", "nps": 5},
        redacted_text="Crashes daily.",
    )
    theme = Theme(
        stable_key="t-support",
        label="support ignored tickets",
        keywords=["support"],
        quotes=[REDACTED, "Crashes daily.", ANSWER[:40]],
        size=2,
    )
    db.session.add(theme)
    db.session.flush()
    db.session.add_all(
        [
            ThemeAssignment(response_id=response.id, theme_id=theme.id),
            ThemeAssignment(response_id=other_response.id, theme_id=theme.id),
            FollowUp(response_id=response.id, reason="asked for contact", note="Call Quintessa Marlowe back"),
            ActionItem(
                title="Answer tickets within a day",
                theme=theme,
                evidence={"quotes": [REDACTED, "Crashes daily."], "customers": 2},
            ),
        ]
    )
    audit.record(
        "customers.import", actor="cli", row_errors=["row 3: Quintessa.Marlowe@example.org duplicated"]
    )
    db.session.add(
        AnalysisRun(
            status="succeeded",
            counts={
                "organisations": {str(response.id): ["Zebulon Freight"], str(other_response.id): ["Globex"]}
            },
        )
    )
    db.session.commit()
    return {
        "customer": customer,
        "token": token,
        "response": response,
        "theme": theme,
        "bystander": bystander,
        "email_id": email.id,
    }


def _database_text(db) -> str:
    """Every value in every table, as one lower-case string (what a search of the database sees)."""
    chunks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks).lower()


SEGMENTS = ["[NAME] at support ignored my ticket", "about invoice [ACCOUNT] for three weeks"]


def _fill_nlp_cache(app) -> None:
    """What a run leaves in the NLP cache, written through its own API: the preprocessing record
    keyed by the answer (holding its redacted text and segments), and vectors, sentiment and
    label phrases keyed by those; plus a bystander's entries."""
    import numpy as np

    from nlp.cache import Cache, cached_map

    cache = Cache(Path(app.config["NLP_CACHE_DIR"]))
    try:
        cached_map(
            cache,
            "prep:test",
            [ANSWER, "Crashes daily."],
            lambda todo: [[REDACTED, False, SEGMENTS] if t == ANSWER else [t, False, [t]] for t in todo],
        )
        cached_map(
            cache,
            "emb:test",
            [REDACTED, *SEGMENTS, "Crashes daily."],
            lambda todo: np.ones((len(todo), 4), dtype=np.float32),
            vectors=True,
        )
        cached_map(cache, "sentiment:test", [REDACTED, "Crashes daily."], lambda todo: [-0.5] * len(todo))
        cached_map(cache, "phrases:test", [REDACTED], lambda todo: [["ignored my ticket", "three weeks"]])
    finally:
        cache.close()


def _cache_entries(app) -> tuple[int, int]:
    import sqlite3

    connection = sqlite3.connect(Path(app.config["NLP_CACHE_DIR"]) / "afterword-nlp-cache.sqlite")
    try:
        return tuple(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("emb", "rec")
        )
    finally:
        connection.close()


def _instance_files_text(app, db) -> str:
    """Every byte of every file the instance writes: the SQLite database and its WAL (on SQLite),
    the NLP cache (database and WAL) and the .eml outbox, as one lower-case string."""
    paths = [
        p
        for folder in (app.config["NLP_CACHE_DIR"], app.config["MAIL_OUTBOX_DIR"])
        for p in Path(folder).glob("*")
        if p.is_file()
    ]
    if db.engine.dialect.name == "sqlite":
        database = Path(db.engine.url.database)
        paths += [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    return "\n".join(p.read_bytes().decode("latin-1") for p in paths).lower()


def test_erasure_leaves_nothing_that_names_the_person(app, db, person, runner):
    mail_dir = Path(app.config["MAIL_OUTBOX_DIR"])
    assert any("quintessa" in p.read_text().lower() for p in mail_dir.glob("*.eml"))
    _fill_nlp_cache(app)
    before = _database_text(db)
    assert "quintessa.marlowe@example.org" in before and "zebulon" in before
    files_before = _instance_files_text(app, db)
    assert "ignored my ticket" in files_before and "quintessa" in files_before
    if db.engine.dialect.name == "sqlite":
        assert Path(db.engine.url.database + "-wal").stat().st_size > 0  # the scan does read a WAL

    result = runner.invoke(args=["customers", "erase", "quintessa.marlowe@EXAMPLE.org", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 customers" in result.output and "1 responses" in result.output

    db.session.expire_all()
    after = _database_text(db)
    db.session.remove()  # as at the end of a request: the scan reads the files as a server leaves them
    files_after = _instance_files_text(app, db)
    for needle in (
        "quintessa",
        "marlowe",
        "zebulon",
        "inv-99817",
        "7700 900123",
        "ignored my ticket",
        "about invoice",
        person["token"].lower(),
    ):
        assert needle not in after, needle
        assert needle not in files_after, needle
    assert not any("quintessa" in p.read_text().lower() for p in mail_dir.glob("*.eml"))
    assert "crashes daily." in files_after and _cache_entries(app) == (1, 2)  # the bystander's stay


def test_erasure_keeps_anonymous_counts_and_other_people(app, db, person):
    erasure.erase_person("quintessa.marlowe@example.org")
    db.session.expire_all()
    customer = db.session.get(DepartedCustomer, person["customer"].id)
    assert customer.erased_at is not None and customer.email is None and customer.plan == "team"
    response = db.session.get(Response, person["response"].id)
    assert response.answers == {"main_reason": "too_expensive", "nps": 2}
    assert db.session.scalar(select(ThemeAssignment).where(ThemeAssignment.response_id == response.id))
    theme = db.session.get(Theme, person["theme"].id)
    assert theme.quotes == ["Crashes daily."] and theme.size == 2
    item = db.session.scalar(select(ActionItem))
    assert item.evidence == {"quotes": ["Crashes daily."], "customers": 2}
    bystander = db.session.get(DepartedCustomer, person["bystander"].id)
    assert bystander.email == "other@example.org"
    assert db.session.scalar(select(FollowUp)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.erase"))
    assert event.details["responses"] == 1 and "example.org" not in json.dumps(event.details)
    run = db.session.scalar(select(AnalysisRun))
    assert run.counts["organisations"] == {str(person["bystander"].invitations[0].response.id): ["Globex"]}


def test_erased_survey_link_no_longer_opens(app, client, person):
    assert client.get(f"/s/{person['token']}").status_code == 200
    erasure.erase_person("quintessa.marlowe@example.org")
    assert client.get(f"/s/{person['token']}").status_code == 404


def test_erase_unknown_email_says_so(runner, app):
    result = runner.invoke(args=["customers", "erase", "ghost@example.org", "--yes"])
    assert result.exit_code == 1 and "No customer with email ghost@example.org" in result.output
    result = runner.invoke(args=["customers", "erase", "not-an-email", "--yes"])
    assert result.exit_code == 1 and "not an email address" in result.output


def test_erase_asks_before_acting(runner, db, person):
    result = runner.invoke(args=["customers", "erase", "quintessa.marlowe@example.org"], input="n\n")
    assert result.exit_code == 1
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, person["customer"].id).email is not None


def test_export_gives_everything_held_as_json(runner, person, tmp_path, db):
    result = runner.invoke(args=["customers", "export", "Quintessa.Marlowe@example.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    record = data["records"][0]
    assert record["customer"]["name"] == "Quintessa Marlowe"
    assert record["customer"]["phone"] == "+44 7700 900123"
    response = record["invitations"][0]["response"]
    assert response["answers"]["what_happened"] == ANSWER
    assert response["themes"] == ["support ignored tickets"]
    assert record["emails"][0]["subject"] == "Sorry to see you go, Quintessa"
    assert person["token"] not in result.output  # secrets are not personal data to hand out
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.export"))

    target = tmp_path / "export.json"
    result = runner.invoke(args=["customers", "export", "quintessa.marlowe@example.org", "-o", str(target)])
    assert (
        result.exit_code == 0 and json.loads(target.read_text())["email"] == "quintessa.marlowe@example.org"
    )


def test_retention_purges_old_raw_text_but_keeps_redacted_text(app, db, make, runner):
    survey = make.survey(DEFINITION)
    old = make.response(
        invitation=make.invitation(survey=survey)[0],
        answers={"main_reason": "too_expensive", "what_happened": "Old raw words", "nps": 3},
        redacted_text="Old redacted words",
        submitted_at=utcnow() - timedelta(days=400),
    )
    new = make.response(
        invitation=make.invitation(survey=survey)[0],
        answers={"main_reason": "poor_support", "what_happened": "New raw words"},
        redacted_text="New words",
    )
    result = runner.invoke(args=["privacy", "purge-text", "--days", "365"])
    assert result.exit_code == 0 and "1 response" in result.output, result.output
    db.session.expire_all()
    old, new = db.session.get(Response, old.id), db.session.get(Response, new.id)
    assert (
        old.answers == {"main_reason": "too_expensive", "nps": 3}
        and old.redacted_text == "Old redacted words"
    )
    assert old.text_purged_at is not None
    assert new.answers["what_happened"] == "New raw words" and new.text_purged_at is None


def test_retention_job_uses_the_setting(app, db, make):
    from feedback_app.jobs import enqueue

    response = make.response(submitted_at=utcnow() - timedelta(days=40))
    app.config["RETENTION_DAYS"] = 0
    assert enqueue("retention.purge") == 0
    app.config["RETENTION_DAYS"] = 30
    assert enqueue("retention.purge") == 1
    db.session.expire_all()
    assert db.session.get(Response, response.id).answers == {}


def test_retention_refuses_nonsense_days(runner):
    assert "nothing purged" in runner.invoke(args=["privacy", "purge-text"]).output
    result = runner.invoke(args=["privacy", "purge-text", "--days", "-3"])
    assert result.exit_code == 1 and "at least 1 day" in result.output
    past_the_calendar = runner.invoke(args=["privacy", "purge-text", "--days", "10000000"])  # was a traceback
    assert past_the_calendar.exit_code == 1 and "at most 36500, got 10000000" in past_the_calendar.output


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ImportWarning")
def test_erasure_after_a_real_analysis_run_leaves_none_of_their_words_in_the_nlp_cache(
    app, db, make, person, runner, bank_vectors
):
    """The real pipeline fills the cache (preprocessing, vectors, sentiment, label phrases);
    erasure finds every entry derived from the person's answer and keeps the others'."""
    from feedback_app.services.insights.pipeline import pipeline_config

    # The bank's vectors, as on a warm installation: the second run trains a head on the move.
    bank_vectors.copy_into(app.config["NLP_CACHE_DIR"], pipeline_config())
    survey = make.survey(DEFINITION, key="second")
    others = [
        "The price went up again and we could not justify it.",
        "Too expensive for a small team like ours.",
        "Support never answered my tickets for weeks.",
        "The app crashed every time we saved a file.",
        "Constant outages and errors broke our workflow.",
        "Your renewal quote doubled, way over our budget.",
    ]
    for text in others:
        make.response(invitation=make.invitation(survey=survey)[0], answers={"what_happened": text})
    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    # a CX user moves the person's answer: the next run trains a head on it, kept with the cache
    from feedback_app.models import Response, Theme
    from feedback_app.services.insights import assignment, curation

    theirs = next(
        r for r in db.session.scalars(select(Response)) if "ignored my ticket" in (r.redacted_text or "")
    )
    other_theme = next(
        t
        for t in db.session.scalars(select(Theme))
        if t.id != assignment.current_assignments([theirs.id])[theirs.id].id
    )
    curation.move_answer(theirs, other_theme, actor="test")
    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    cache_dir = Path(app.config["NLP_CACHE_DIR"])
    assert list(cache_dir.glob("root-causes-corrected-*.pkl"))
    entries_before = _cache_entries(app)
    assert "ignored my ticket" in _instance_files_text(app, db)

    erasure.erase_person("quintessa.marlowe@example.org")
    db.session.remove()
    files_after = _instance_files_text(app, db)
    for needle in ("quintessa", "zebulon", "ignored my ticket", "inv-99817", "three weeks"):
        assert needle not in files_after, needle
    assert "could not justify it" in files_after  # other people's entries are still cached
    assert sum(_cache_entries(app)) < sum(entries_before)
    assert not list(cache_dir.glob("root-causes-corrected-*.pkl"))  # it learnt from their words


def test_the_retention_job_deletes_uploads_nobody_imported(app, db):
    """A CSV upload left at the mapping step holds customers' contact details: the daily job deletes
    it after a day, with raw-text retention off too, and leaves a recent one."""
    import os
    import time

    from feedback_app.jobs import enqueue
    from feedback_app.services.customers import upload_stash

    app.config["RETENTION_DAYS"] = 0
    base = upload_stash.folder()
    base.mkdir(parents=True, exist_ok=True)
    stale, recent = base / f"{'a' * 43}.csv", base / f"{'b' * 43}.csv"
    for path in (stale, recent):
        path.write_text("external_id,email\nc-1,ann@example.com\n")
    old = time.time() - 2 * upload_stash.MAX_AGE_SECONDS
    os.utime(stale, (old, old))
    enqueue("retention.purge")
    assert not stale.exists() and recent.exists()
