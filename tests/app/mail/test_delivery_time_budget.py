"""A background delivery run stops claiming emails before Celery's time limit could stop it
mid-send: a large batch behind a rate limit outlasts any time limit, and a job killed between
"sent" and its commit leaves that email's outcome unknown. Here a small budget, the in-process
thread runner and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import select

from feedback_app.jobs import enqueue, init_jobs
from feedback_app.models import OutboxEmail
from feedback_app.services.outreach import outbox
from tests.app.mail.test_email_delivery import invite

EMAILS = 20
RATE = 20.0  # messages per second: the batch takes about a second
BUDGET = 0.3


def _statuses(db) -> Counter[str]:
    db.session.expire_all()
    return Counter(db.session.scalars(select(OutboxEmail.status)))


def test_a_run_stops_claiming_at_its_budget_and_the_next_run_sends_the_rest_once(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    app.config.update(JOB_RUNNER="thread", MAIL_RATE_PER_SECOND=RATE, MAIL_RUN_SECONDS=BUDGET)
    init_jobs(app)
    invite(make, count=EMAILS)

    started = time.monotonic()
    first = enqueue("outbox.deliver").result(timeout=30)
    took = time.monotonic() - started

    assert first["out_of_time"] is True
    assert 1 <= first["sent"] < EMAILS, first
    assert took < BUDGET + 1.0 / RATE + 0.5, "no email is claimed once the budget is spent"
    # the run queued the next one itself; it sends the rest, and nothing is left in doubt
    deadline = time.monotonic() + 30
    while _statuses(db)["sent"] < EMAILS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _statuses(db) == Counter({"sent": EMAILS})
    recipients = Counter(address for m in smtp_server.messages for address in m.rcpt_tos)
    assert len(recipients) == EMAILS and set(recipients.values()) == {1}
    assert set(db.session.scalars(select(OutboxEmail.attempts))) == {1}
    app.extensions["afterword_jobs"].pool.shutdown(wait=True)  # the last, empty run ends here


def test_a_command_on_the_thread_runner_ends_only_once_the_runs_it_led_to_sent_everything(
    app, smtp_server, make, db
):
    """`flask winback send` on the in-process runner queues one delivery run and waits for it; a
    run out of time queues the next from its own thread. The command must wait for those too: it
    returned with most emails pending, and the interpreter's shutdown then refused the next run
    ("cannot schedule new futures after interpreter shutdown"), leaving them for nobody to send."""
    app.config.update(smtp_server.mail_settings())
    app.config.update(JOB_RUNNER="thread", MAIL_RATE_PER_SECOND=RATE, MAIL_RUN_SECONDS=BUDGET)
    init_jobs(app)
    invite(make, count=EMAILS)

    @app.cli.command("deliver-in-background")
    def deliver_in_background() -> None:
        enqueue("outbox.deliver")

    result = app.test_cli_runner().invoke(args=["deliver-in-background"])

    assert result.exit_code == 0, result.output
    assert _statuses(db) == Counter({"sent": EMAILS})
    assert len(smtp_server.messages) == EMAILS


def test_a_run_within_its_budget_sends_everything_and_queues_nothing(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    invite(make, count=3)
    report = outbox.deliver(budget_seconds=60)
    assert report.sent == 3 and not report.out_of_time


def test_a_spent_budget_still_sends_one_email_so_every_run_makes_progress(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    invite(make, count=3)
    report = outbox.deliver(budget_seconds=0)
    assert (report.sent, report.out_of_time) == (1, True)
    assert _statuses(db) == Counter({"sent": 1, "pending": 2})


@pytest.mark.parametrize(
    "settings, budget",
    [
        ({"JOB_RUNNER": "thread"}, 600.0),  # no time limit but the budget's own
        ({"JOB_RUNNER": "celery", "CELERY_TASK_TIME_LIMIT": 3600}, 600.0),
        # 570 s soft limit, less ten 10 s timeouts and the 0.5 s wait of 2 messages a second
        ({"JOB_RUNNER": "celery", "CELERY_TASK_TIME_LIMIT": 600, "MAIL_RATE_PER_SECOND": 2}, 469.5),
        ({"JOB_RUNNER": "celery", "CELERY_TASK_TIME_LIMIT": 60}, 0.0),
    ],
)
def test_on_celery_the_budget_ends_one_slow_message_before_the_soft_time_limit(app, settings, budget):
    config = dict(app.config) | {"MAIL_RUN_SECONDS": 600.0, "MAIL_TIMEOUT": 10.0} | settings
    assert outbox.run_budget(config) == budget
