"""First openings of survey links, written behind the page view (``services.link_opens``)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from feedback_app.models import DepartedCustomer, Invitation
from feedback_app.services.link_opens import OpenedMarks, init_link_opens, opened_marks
from feedback_app.services.survey_links import write_opened_batch
from feedback_app.services.outreach.tokens import hash_token, new_token
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def saas(app):
    return shipped_survey("saas_cancellation")


def buffered(app, delay: float) -> OpenedMarks:
    app.config["OPENED_WRITE_DELAY_SECONDS"] = delay
    init_link_opens(app)
    return opened_marks()


def opened(db, invitation: Invitation | int) -> tuple:
    db.session.expire_all()
    row = db.session.get(Invitation, invitation if isinstance(invitation, int) else invitation.id)
    return row.status, row.opened_at


def test_views_are_written_together_and_the_first_view_time_wins(app, client, db, make, saas):
    marks = buffered(app, 3600)  # no timer in this test: it flushes by hand
    first, first_token = make.invitation(survey=saas, status="sent")
    second, second_token = make.invitation(survey=saas, status="sent")
    assert client.get(f"/s/{first_token}").status_code == 200
    after_first_view = time.time()
    assert client.get(f"/s/{first_token}").status_code == 200
    assert client.get(f"/s/{second_token}").status_code == 200
    assert marks.pending() == 2 and opened(db, first) == ("sent", None)  # not yet written

    assert marks.flush() == 2 and marks.pending() == 0
    status, at = opened(db, first)
    assert status == "opened" and at.timestamp() <= after_first_view
    assert opened(db, second)[0] == "opened"
    assert marks.flush() == 0


def test_the_timer_writes_them_without_being_asked(app, client, db, make, saas):
    buffered(app, 0.05)
    invitation, token = make.invitation(survey=saas, status="sent")
    client.get(f"/s/{token}")
    deadline = time.monotonic() + 10
    while opened(db, invitation)[0] != "opened":
        assert time.monotonic() < deadline, "the opened mark was never written"
        time.sleep(0.05)


def test_a_late_mark_never_undoes_an_answer(app, client, db, make, saas):
    marks = buffered(app, 3600)
    invitation, token = make.invitation(survey=saas, status="sent")
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303  # its page view is still queued
    status, answered_opened_at = opened(db, invitation)
    assert status == "completed" and answered_opened_at is not None
    assert marks.pending() == 1
    marks.flush()
    assert opened(db, invitation) == ("completed", answered_opened_at)


def test_marks_wait_while_the_database_refuses_them_and_are_written_after(app, client, db, make, saas, caplog,
                                                                         monkeypatch):
    import logging

    from feedback_app.services import link_opens

    # Alembic's fileConfig (run in-process by the migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger(link_opens.__name__), "disabled", False)
    marks = buffered(app, 3600)
    invitation, token = make.invitation(survey=saas, status="sent")
    invitation_id = invitation.id
    client.get(f"/s/{token}")
    db.session.remove()
    with db.engine.begin() as conn:  # a real failure: the table is not there for a moment
        conn.execute(text("ALTER TABLE invitation RENAME TO invitation_away"))
    try:
        assert marks.flush() == 0
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE invitation_away RENAME TO invitation"))
    assert marks.pending() == 1 and "could not record 1 opened links; will retry" in caplog.text
    assert marks.flush() == 1
    assert opened(db, invitation_id)[0] == "opened"


def _invitation_seq_scans(connection) -> int:
    """Full scans of the invitation table so far in this transaction (PostgreSQL's own count)."""
    return connection.execute(text("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'invitation'")
                              ).scalar_one()


def test_a_large_batch_finds_each_mark_by_primary_key_and_writes_them_all(app, db, make, saas):
    """PostgreSQL: 2,000 marks on 3,000 invitations. Planned with these values alone, the UPDATE
    hashes the batch against a scan of the whole table; the batch reads each row by primary key."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the batch statement is PostgreSQL's (SQLite writes row by row)")
    db.session.execute(insert(DepartedCustomer), [
        dict(source="test", external_id=f"many-{i}", name=f"Many {i}", left_at=date(2026, 10, 1))
        for i in range(3000)])
    customer_ids = db.session.scalars(select(DepartedCustomer.id).where(DepartedCustomer.source == "test")
                                      .order_by(DepartedCustomer.id)).all()
    db.session.execute(insert(Invitation), [
        dict(customer_id=customer, survey_id=saas.id, token_hash=hash_token(new_token()), status="sent")
        for customer in customer_ids])
    db.session.commit()
    db.session.execute(text("ANALYZE invitation"))
    db.session.commit()
    ids = db.session.scalars(select(Invitation.id).order_by(Invitation.id).limit(2000)).all()
    at = datetime.now(timezone.utc)

    connection = db.session.connection()
    scans_before = _invitation_seq_scans(connection)
    write_opened_batch(connection, {invitation_id: at for invitation_id in ids})
    assert _invitation_seq_scans(connection) == scans_before
    db.session.commit()
    # The plan settings ended with the transaction.
    assert db.session.connection().exec_driver_sql("SHOW enable_hashjoin").scalar_one() == "on"
    db.session.commit()
    counts = dict(db.session.execute(select(Invitation.status, func.count()).group_by(Invitation.status)).all())
    assert counts == {"opened": 2000, "sent": 1000}

    # The write-behind buffer takes the same path.
    marks = OpenedMarks(app, 3600)
    more = db.session.scalars(select(Invitation.id).where(Invitation.status == "sent")).all()
    for invitation_id in more:
        marks.add(invitation_id, at)
    assert marks.flush() == 1000
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Invitation.status == "opened")) == 3000


def test_a_negative_delay_is_refused(app):
    app.config["OPENED_WRITE_DELAY_SECONDS"] = -1
    with pytest.raises(RuntimeError, match="OPENED_WRITE_DELAY_SECONDS must be 0 or more, got -1"):
        init_link_opens(app)


EXIT_SCRIPT = """
import sys
from config import TestingConfig
from feedback_app import create_app
app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": sys.argv[1], "OPENED_WRITE_DELAY_SECONDS": 3600,
                                           "MAIL_OUTBOX_DIR": sys.argv[3]})
status = app.test_client().get("/s/" + sys.argv[2]).status_code
print(status)
"""


def test_marks_still_queued_are_written_when_the_process_exits(app, db, make, saas, tmp_path):
    invitation, token = make.invitation(survey=saas, status="sent")
    invitation_id = invitation.id
    db.session.remove()
    url = db.engine.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, url, token, str(tmp_path / "mail")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "200", done.stderr
    assert opened(db, invitation_id)[0] == "opened"
