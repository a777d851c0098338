"""Redis down while a request queues a job: the request still succeeds and the work waits in the database.

Jobs are queued after the request's commit, so a broker outage must not answer 500; the celery
runner logs the error, and beat's periodic ``outbox.deliver`` sends the email once Redis is back.
"""

from __future__ import annotations

import logging
import re
import socket
import time

from sqlalchemy import select

from feedback_app.jobs import JOBS, enqueue, init_jobs
from feedback_app.jobs.celery_runner import beat_schedule
from feedback_app.models import AnalysisRun, OutboxEmail
from feedback_app.services.insights import runs
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations
from tests.helpers import csrf_token


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_unreachable_broker(app) -> str:
    url = f"redis://127.0.0.1:{closed_port()}/0"
    app.config.update(
        JOB_RUNNER="celery",
        CELERY_BROKER_URL=url,
        CELERY_RESULT_BACKEND=url,
        CELERY_QUEUE="afterword-test-broker-down",
    )
    app.extensions.pop("celery", None)
    init_jobs(app)
    return url


def test_enqueue_with_the_broker_down_logs_and_returns_none(app, caplog):
    use_unreachable_broker(app)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="feedback_app.jobs.celery_runner"):
        assert enqueue("outbox.deliver") is None
    assert time.monotonic() - started < 10
    assert "job outbox.deliver" in caplog.text and "broker is unreachable" in caplog.text


def test_a_request_that_queues_a_job_with_redis_down_succeeds_and_beat_delivers_later(
    app, client, login, make, db, caplog
):
    make.survey(key="exit")
    make.customer()
    create_invitations("exit", InvitationFilters())  # delivered inline
    email = db.session.scalar(select(OutboxEmail))
    email.status, email.last_error = "failed", "gave up after 6 attempts: 451 4.3.0 Mailbox busy"
    db.session.commit()
    use_unreachable_broker(app)
    login("cx")

    page = client.get("/dashboard/outbox")
    with caplog.at_level(logging.ERROR, logger="feedback_app.jobs.celery_runner"):
        response = client.post(f"/dashboard/outbox/{email.id}/retry", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "broker is unreachable" in caplog.text
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email.id).status == "pending"  # the work is saved, not sent

    # What beat runs every BEAT_DELIVER_SECONDS once Redis is back picks the email up.
    assert "outbox.deliver" in beat_schedule(app, set(JOBS))
    JOBS["outbox.deliver"]()
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email.id).status == "sent"


def test_beat_schedules_every_periodic_job_including_automatic_invitations(app):
    schedule = beat_schedule(app, set(JOBS))
    assert {
        "outbox.deliver",
        "outbox.reminders",
        "retention.purge",
        "invitations.auto_invite",
        "analysis.assign_pending",
    } <= set(schedule)
    assert (
        schedule["invitations.auto_invite"]["schedule"].total_seconds()
        == app.config["BEAT_AUTO_INVITE_SECONDS"]
    )


def test_run_analysis_with_redis_down_says_so_and_leaves_no_run_blocking_the_next(
    app, client, login, make, db, caplog
):
    """Pressing Run analysis while Redis is down: the run's job is lost and nothing queues it
    again, so a run left 'queued' blocked every new one ("still queued; wait") for two hours."""
    make.survey(key="exit")
    use_unreachable_broker(app)
    login("cx")

    page = client.get("/dashboard/themes")
    with caplog.at_level(logging.ERROR, logger="feedback_app.jobs.celery_runner"):
        response = client.post(
            "/dashboard/analysis/run",
            data={"csrf_token": csrf_token(page), "survey": "", "since": ""},
            follow_redirects=True,
        )
    shown = response.get_data(as_text=True)
    assert "job queue cannot be reached" in shown, re.findall(r"flash-\w+\">([^<]*)", shown)
    assert "started; progress shows below" not in shown
    db.session.expire_all()
    run = db.session.scalar(select(AnalysisRun))
    assert run.status == "failed" and "job queue" in (run.error or "")
    assert runs.active_run() is None, "a new run can start as soon as Redis is back"
