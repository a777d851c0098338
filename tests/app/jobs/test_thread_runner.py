"""The in-process thread runner: a command line command ends only once the jobs it queued ran.

`flask tickets import` queues the new tickets' theme assignment; the command used to return at
once and the job, still running as the interpreter shut down, failed ("can't register atexit
after shutdown"), so tickets imported from the command line were never themed.
"""

from __future__ import annotations

import time

import click

from feedback_app.jobs import enqueue, init_jobs, job

FINISHED: list[str] = []


@job("tests.slow_probe")
def slow_probe(tag: str) -> None:
    time.sleep(0.5)
    FINISHED.append(tag)


def test_a_command_returns_only_after_the_thread_jobs_it_queued(app):
    app.config["JOB_RUNNER"] = "thread"
    init_jobs(app)

    @app.cli.command("queue-probe")
    def queue_probe() -> None:
        enqueue("tests.slow_probe", tag="from the command")
        click.echo("queued")

    result = app.test_cli_runner().invoke(args=["queue-probe"])

    assert result.exit_code == 0, result.output
    assert "from the command" in FINISHED


def test_a_job_queued_outside_a_command_does_not_wait(app):
    app.config["JOB_RUNNER"] = "thread"
    init_jobs(app)
    started = time.monotonic()
    future = enqueue("tests.slow_probe", tag="from a request thread")
    assert time.monotonic() - started < 0.4
    future.result(timeout=5)
    assert "from a request thread" in FINISHED
