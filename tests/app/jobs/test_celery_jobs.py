"""Jobs on Celery with a real worker process and the local Redis: they run, and survive a crash.

The worker is the real ``celery -A feedback_app.celery_worker worker`` command on its own queue,
sharing the test's database (SQLite file or PostgreSQL) and instance folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from feedback_app.jobs import enqueue, init_jobs
from feedback_app.models import AuditEvent, DepartedCustomer
from tests.celery_probe_jobs import gate_file, starts_log

REDIS_URL = "redis://127.0.0.1:6379/14"
REPO = Path(__file__).resolve().parents[3]
TIME_LIMIT = 10  # the probe job holds at most 8 s
VISIBILITY = 12  # Redis redelivers an unacknowledged job after this


def _wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n--- worker log ---\n{tail}")


@pytest.fixture
def celery_env(app, tmp_path):
    """Switch the test app to the celery runner on a queue of its own; yield a worker starter."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is unreachable ({exc}); start it (see .ci/run)")
    queue = f"afterword-test-{uuid.uuid4().hex[:12]}"
    settings = {
        "JOB_RUNNER": "celery",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_TIME_LIMIT": TIME_LIMIT,
        "CELERY_VISIBILITY_TIMEOUT": VISIBILITY,
        "CELERY_IMPORTS": "tests.celery_probe_jobs",
    }
    app.config.update(settings)
    app.extensions.pop("celery", None)
    init_jobs(app)
    env = dict(
        os.environ,
        AFTERWORD_ENV="development",
        AFTERWORD_INSTANCE_DIR=app.instance_path,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        PYTHONPATH=str(REPO),
        **{key: str(value) for key, value in settings.items()},
    )
    workers: list[subprocess.Popen] = []

    def start_worker(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"worker-{name}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "feedback_app.celery_worker",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "-n",
            f"{name}-{queue}@localhost",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )  # its own process group: killpg takes the pool too
        workers.append(process)
        return process, log

    yield start_worker
    for process in workers:
        if process.poll() is None:
            # The test is over: a warm or even a cold shutdown takes a worker 2 s and proves nothing,
            # so the whole process group goes at once (its job, if any, stays unacked on its own queue).
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    broker = redis.Redis.from_url(REDIS_URL)
    broker.delete(queue)
    broker.close()
    app.extensions["celery"].close()


def _audit_count(db, customer_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "probe.marked", AuditEvent.target_id == str(customer_id))
    )


def test_a_job_sent_to_celery_runs_in_the_worker(app, db, make, celery_env):
    customer = make.customer()
    _, log = celery_env("solo")
    enqueue("probe.mark_returned", customer_id=customer.id)

    _wait_for(lambda: _audit_count(db, customer.id) == 1, 60, "the worker to run the job", log)
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, customer.id).returned_at is not None
    assert "probe.mark_returned" in log.read_text()


def _start_held_job(app, make, celery_env, name: str):
    """A customer, a worker, and the probe job started on it and held at its gate."""
    customer = make.customer()
    gate = gate_file(app.instance_path, customer.id)
    gate.touch()  # the job will wait at the gate, as if busy
    worker, log = celery_env(name)
    enqueue("probe.mark_returned", customer_id=customer.id)
    starts = starts_log(app.instance_path)
    _wait_for(lambda: starts.exists() and starts.read_text().count("\n") >= 1, 60, "the job to start", log)
    return customer, gate, worker, log, starts


def test_a_job_whose_pool_process_is_killed_mid_job_is_put_back_and_completes_once(app, db, make, celery_env):
    customer, gate, worker, log, starts = _start_held_job(app, make, celery_env, "pool")
    child_pid = int(starts.read_text().split()[1])
    assert child_pid != worker.pid
    os.kill(child_pid, signal.SIGKILL)  # the process running the job dies (OOM killer, segfault)
    time.sleep(1)
    assert _audit_count(db, customer.id) == 0, "the killed job must not have done its work"
    gate.unlink()

    _wait_for(lambda: _audit_count(db, customer.id) >= 1, 60, "the job to run again", log)
    time.sleep(2)  # a duplicate delivery would show up now
    assert _audit_count(db, customer.id) == 1
    runs = starts.read_text().splitlines()
    assert len(runs) == 2, runs
    assert runs[1].split()[1] != str(child_pid), "the second run should be in a fresh pool process"


def test_a_job_whose_whole_worker_dies_mid_job_is_redelivered_to_another_and_completes_once(
    app, db, make, celery_env
):
    customer, gate, first, _, starts = _start_held_job(app, make, celery_env, "first")
    os.killpg(first.pid, signal.SIGKILL)  # the machine dies: no ack, no clean shutdown, pool gone too
    first.wait(timeout=10)
    gate.unlink()
    time.sleep(1)
    assert _audit_count(db, customer.id) == 0, "the killed job must not have done its work"

    _, log_second = celery_env("second")
    _wait_for(
        lambda: _audit_count(db, customer.id) >= 1,
        VISIBILITY + 45,
        "the job to be redelivered to the second worker after the visibility timeout",
        log_second,
    )
    time.sleep(2)  # a duplicate delivery would show up now
    assert _audit_count(db, customer.id) == 1
    assert len(starts.read_text().splitlines()) == 2


def test_jobs_refuse_records_as_arguments(app, make, celery_env):
    customer = make.customer()
    with pytest.raises(TypeError, match="pass ids"):
        enqueue("probe.mark_returned", customer_id=customer)


def test_visibility_timeout_shorter_than_the_longest_job_is_refused(app):
    from feedback_app.jobs.celery_runner import celery_init_app

    app.extensions.pop("celery", None)
    app.config.update(CELERY_TASK_TIME_LIMIT=600, CELERY_VISIBILITY_TIMEOUT=300)
    with pytest.raises(RuntimeError, match="must exceed CELERY_TASK_TIME_LIMIT"):
        celery_init_app(app)


def test_a_job_lost_with_its_worker_comes_back_soon_after_the_longest_job_could_end(app, celery_env):
    """Redis hands a job whose worker was killed outright (not a pool process: that one is put back
    at once) to another worker after the visibility timeout. It must exceed the longest a job can
    be held before it ends: the time limit, plus the longest countdown or ETA a job is queued with.
    The app queues none (every job goes through one task; beat's entries only expire), so by
    default the timeout is the time limit and 5 minutes: it was 2 hours, twice the limit."""
    from config import Config
    from feedback_app.jobs.celery_runner import celery_init_app

    enqueue("probe.mark_returned", customer_id=1)  # no worker runs: the message stays in Redis
    broker = redis.Redis.from_url(REDIS_URL)
    queued = [json.loads(raw) for raw in broker.lrange(app.config["CELERY_QUEUE"], 0, -1)]
    broker.close()
    assert len(queued) == 1
    headers = queued[0]["headers"]
    assert headers["task"] == "afterword.run_job"
    assert headers["eta"] is None and headers.get("countdown") is None
    longest_countdown = 0
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule and all(set(entry["options"]) <= {"expires"} for entry in schedule.values())

    app.extensions.pop("celery").close()
    app.config.update(
        CELERY_TASK_TIME_LIMIT=Config.CELERY_TASK_TIME_LIMIT,
        CELERY_VISIBILITY_TIMEOUT=Config.CELERY_VISIBILITY_TIMEOUT,
    )
    conf = celery_init_app(app).conf
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > conf.task_time_limit + longest_countdown
    # 65 minutes with the default hour's limit: a lost job is back about an hour sooner
    assert visibility - conf.task_time_limit <= 300
