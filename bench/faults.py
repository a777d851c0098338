"""Fault benchmark: the job and mail path under a killed worker, a Redis restart, a PostgreSQL
restart during load, and an SMTP server that stops mid-run.

    .venv/bin/python bench/faults.py [--emails 300]

Everything runs on 127.0.0.1 against *private* servers this script starts and stops (a Redis on
port 6391, a PostgreSQL cluster on port 5441 under bench/results/faults.tmp, an aiosmtpd server
on port 8825), so the shared services of the machine are never restarted. Each scenario is
bounded in count and time and ends with checks: no accepted response lost, no email lost or sent
twice (the SMTP server counts Message-IDs), and the app or worker working again without a restart
of its own. Results: a summary on stdout and bench/results/faults.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import load  # noqa: E402

WORK = ROOT / "bench" / "results" / "faults.tmp"
REDIS_PORT, PG_PORT, SMTP_PORT, WEB_PORT = 6391, 5441, 8825, 8831
PG_BIN = (
    Path("/usr/lib/postgresql")
    / (sorted(os.listdir("/usr/lib/postgresql"))[-1] if Path("/usr/lib/postgresql").exists() else "15")
    / "bin"
)
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
DB_URL = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/afterword"


# -- private servers ----------------------------------------------------------------------------


def redis_start() -> None:
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(WORK),
            "--pidfile",
            str(WORK / "redis.pid"),
            "--logfile",
            str(WORK / "redis.log"),
        ],
        check=True,
    )
    wait_until(
        lambda: (
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ),
        10,
        "Redis to start",
    )


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)
    time.sleep(0.5)


def pg_ctl(*args: str) -> None:
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(WORK / "pg"),
            "-w",
            "-l",
            str(WORK / "pg.log"),
            *args,
        ],
        check=True,
        capture_output=True,
    )


def pg_start_fresh() -> None:
    data = WORK / "pg"
    if data.exists():
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "stop",
                "-m",
                "immediate",
            ],
            capture_output=True,
        )
        shutil.rmtree(data)
    WORK.chmod(0o755)
    shutil.chown(WORK, "postgres")
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
        ],
        check=True,
        capture_output=True,
    )
    pg_ctl("-o", f"-p {PG_PORT} -k {WORK} -c listen_addresses=127.0.0.1 -c fsync=on", "start")
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-c", "CREATE DATABASE afterword"],
        check=True,
        capture_output=True,
    )


class Smtp:
    """A real SMTP server (aiosmtpd) that counts every Message-ID it accepts."""

    def __init__(self, delay: float = 0.02) -> None:
        self.received: Counter[str] = Counter()
        self.delay = delay
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import asyncio
                from email import message_from_bytes

                await asyncio.sleep(outer.delay)  # a relay is not instant; widens the mid-send window
                outer.received[message_from_bytes(envelope.content)["Message-ID"]] += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def total(self) -> int:
        return sum(self.received.values())


# -- app side -----------------------------------------------------------------------------------


def env() -> dict:
    return dict(
        os.environ,
        AFTERWORD_ENV="development",
        DATABASE_URL=DB_URL,
        JOB_RUNNER="celery",
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
        CELERY_QUEUE="afterword-faults",
        MAIL_TRANSPORT="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(SMTP_PORT),
        MAIL_TIMEOUT="5",
        MAIL_RETRY_BASE_SECONDS="1",
        MAIL_MAX_ATTEMPTS="20",
        CELERY_TASK_TIME_LIMIT="25",
        CELERY_VISIBILITY_TIMEOUT="30",
        AFTERWORD_INSTANCE_DIR=str(WORK / "instance"),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{WEB_PORT}",
        PYTHONPATH=str(ROOT),
    )


def flask_app():
    from config import DevelopmentConfig
    from feedback_app import create_app

    return create_app(
        DevelopmentConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": DB_URL,
            "JOB_RUNNER": "celery",
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_RESULT_BACKEND": REDIS_URL,
            "CELERY_QUEUE": "afterword-faults",
            "PUBLIC_BASE_URL": "http://x",
            "CELERY_TASK_TIME_LIMIT": 25,
            "CELERY_VISIBILITY_TIMEOUT": 30,
        },
    )


def queue_invitations(app, count: int, batch: str) -> None:
    """``count`` new customers invited through the real service: one outbox email each (and a deliver job)."""
    from datetime import date, timedelta

    from sqlalchemy import insert

    from feedback_app.extensions import db
    from feedback_app.models import DepartedCustomer
    from feedback_app.services.outreach.invitations import create_invitations

    with app.app_context():
        db.session.execute(
            insert(DepartedCustomer),
            [
                dict(
                    source=batch,
                    external_id=f"{batch}{i}",
                    email=f"{batch}{i}@example.com",
                    name=f"Fault Person{i}",
                    left_at=date.today() - timedelta(days=2),
                    contact_consent=True,
                    churn_type="voluntary",
                )
                for i in range(count)
            ],
        )
        db.session.commit()
        run = create_invitations(load.SURVEY_KEY, actor="bench")
        assert run.created == count, run
    enqueue_deliver(app)  # as `flask invitations create` does


def outbox_state(app) -> dict:
    from sqlalchemy import func, select

    from feedback_app.extensions import db
    from feedback_app.models import OutboxEmail

    with app.app_context():
        rows = db.session.execute(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all()
        sending = db.session.scalars(
            select(OutboxEmail.message_id).where(OutboxEmail.status == "sending")
        ).all()
        ids = db.session.scalars(select(OutboxEmail.message_id)).all()
        db.session.remove()
    return {"by_status": {s: n for s, n in rows}, "sending_ids": list(sending), "all_ids": list(ids)}


def enqueue_deliver(app) -> None:
    from feedback_app.jobs import enqueue

    with app.app_context():
        enqueue("outbox.deliver")


class Worker:
    def __init__(self, name: str) -> None:
        self.log = WORK / f"worker-{name}.log"
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "feedback_app.celery_worker",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                "afterword-faults",
                "-n",
                f"{name}@localhost",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env(),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(predicate, timeout: float, what: str) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # a server mid-restart: keep asking until the deadline
            pass
        time.sleep(0.2)
    print(f"   ! timed out after {timeout:.0f}s waiting for {what}", flush=True)
    return False


def mail_check(app, smtp: Smtp) -> dict:
    state = outbox_state(app)
    twice = [m for m, n in smtp.received.items() if n > 1]
    never = [m for m in state["all_ids"] if m not in smtp.received and m not in state["sending_ids"]]
    unknown_received = [m for m in state["sending_ids"] if m in smtp.received]
    return {
        "outbox": state["by_status"],
        "emails_in_outbox": len(state["all_ids"]),
        "received_by_smtp": smtp.total,
        "sent_twice": len(twice),
        "not_received": len(never),
        "outcome_unknown_rows": len(state["sending_ids"]),
        "outcome_unknown_but_received": len(unknown_received),
    }


# -- scenarios ----------------------------------------------------------------------------------


def kill_worker_mid_delivery(app, smtp: Smtp, emails: int) -> dict:
    queue_invitations(app, emails, "kill")
    worker = Worker("doomed")
    wait_until(lambda: smtp.total >= emails // 4, 120, "a quarter of the emails to arrive")
    at_kill = smtp.total
    worker.kill()
    survivor = Worker("survivor")  # the unacknowledged job comes back to it after the visibility timeout
    ok = wait_until(
        lambda: outbox_state(app)["by_status"].get("pending", 0) == 0,
        120,
        "the redelivered job to send the rest",
    )
    survivor.stop()
    return {"received_when_killed": at_kill, "finished": ok, **mail_check(app, smtp)}


def restart_redis(app, smtp: Smtp, emails: int) -> dict:
    worker = Worker("redis")
    time.sleep(3)
    redis_stop()
    refused = None
    try:
        enqueue_deliver(app)
    except Exception as exc:  # what a web request sees while Redis is down
        refused = f"{exc.__class__.__name__}"
    redis_start()
    before = smtp.total
    queue_invitations(app, emails, "redis")  # enqueues a deliver job on the restarted Redis
    ok = wait_until(lambda: smtp.total - before >= emails, 120, "the worker to reconnect and deliver")
    while_down = (
        "accepted" if refused is None else f"refused ({refused}); the rows stay pending for the next tick"
    )
    worker.stop()
    return {"enqueue_while_down": while_down, "worker_reconnected_and_delivered": ok, **mail_check(app, smtp)}


def stop_smtp_mid_run(app, smtp: Smtp, emails: int) -> dict:
    worker = Worker("smtp")
    before = smtp.total
    queue_invitations(app, emails, "smtp")
    wait_until(lambda: smtp.total - before >= emails // 4, 120, "a quarter of the emails to arrive")
    smtp.stop()
    stopped_at = smtp.total - before
    time.sleep(5)
    smtp.start()
    state_while_down = outbox_state(app)["by_status"]

    def done() -> bool:
        enqueue_deliver(app)  # as beat's next tick would
        time.sleep(1.5)
        return outbox_state(app)["by_status"].get("pending", 0) == 0

    ok = wait_until(done, 180, "retries to send the rest")
    worker.stop()
    return {
        "received_before_stop": stopped_at,
        "outbox_after_outage": state_while_down,
        "finished": ok,
        **mail_check(app, smtp),
    }


def restart_postgres_under_load(seconds: int, connections: int) -> dict:
    tokens = load.prepare(DB_URL, 20001)
    spare, tokens = tokens[0], tokens[1:]
    from feedback_app.services.responses.signatures import ANSWER, link_signature

    secret_key = "faults-benchmark-" + "k" * 32
    # Each line: a token and its form's signed field (see load.py and load_mix.lua).
    (WORK / "tokens.txt").write_text(
        "".join(f"{t} {link_signature(secret_key, t, ANSWER)}\n" for t in tokens)
    )
    web_env = dict(
        env(), JOB_RUNNER="thread", PROXY_FIX_X_FOR="1", GUNICORN_ACCESS_LOG="false", SECRET_KEY=secret_key
    )
    server = load.start_gunicorn("wsgi:app", WEB_PORT, web_env, WORK / "web.log")
    result: dict = {}
    try:
        cookie, bodies = load.form_bodies(WEB_PORT, spare)
        (WORK / "bodies.txt").write_text("\n".join(bodies) + "\n")

        def restart_later() -> None:
            time.sleep(seconds / 3)
            started = time.monotonic()
            pg_ctl("restart", "-m", "fast")
            result["restart_seconds"] = round(time.monotonic() - started, 2)

        restarter = threading.Thread(target=restart_later)
        restarter.start()
        survey = load.run_wrk(
            WEB_PORT,
            "survey",
            seconds,
            connections,
            {
                "LOAD_TOKENS": str(WORK / "tokens.txt"),
                "LOAD_BODIES": str(WORK / "bodies.txt"),
                "LOAD_COOKIE": cookie,
            },
        )
        restarter.join()
        with urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/healthz", timeout=10) as health:
            result["healthz_after"] = health.status
    finally:
        load.stop(server)
    posted = load.posted_tokens(tokens, survey["posts"])
    check = load.verify(DB_URL, posted)
    accepted = survey["statuses"].get("303", 0)
    result.update(
        requests=survey["requests"],
        rps=round(survey["rps"]),
        statuses=survey["statuses"],
        socket_errors=survey["socket_errors"],
        p99_ms=survey["p99_us"] / 1000,
        accepted=accepted,
        stored=check["stored"],
        lost=max(0, accepted - check["stored"]),
        stored_twice=check["invitations_with_two"],
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--emails", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "instance").mkdir(exist_ok=True)
    smtp = Smtp()
    results: dict = {}
    redis_start()
    pg_start_fresh()
    smtp.start()
    try:
        results["postgres_restart_under_load"] = restart_postgres_under_load(args.seconds, args.connections)
        print("postgres_restart_under_load:", json.dumps(results["postgres_restart_under_load"]), flush=True)
        app = flask_app()
        for name, scenario in (
            ("kill_worker_mid_delivery", kill_worker_mid_delivery),
            ("restart_redis", restart_redis),
            ("stop_smtp_mid_run", stop_smtp_mid_run),
        ):
            results[name] = scenario(app, smtp, args.emails)
            print(f"{name}:", json.dumps(results[name]), flush=True)
    finally:
        smtp.stop()
        redis_stop()
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(WORK / "pg"),
                "stop",
                "-m",
                "fast",
            ],
            capture_output=True,
        )
    (ROOT / "bench" / "results" / "faults.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
