"""The ``celery`` job runner: jobs go to Redis and run in ``make worker`` processes.

Follows Flask's Celery pattern (``celery_init_app``: every task runs inside an app context) and
is configured not to lose work: a job is acknowledged only after it finished (``acks_late``), a
job whose worker process died is put back (``reject_on_worker_lost``), a worker holds one job at a
time (``prefetch 1``), and Redis hands an unacknowledged job to another worker only after a
visibility timeout longer than the longest job. There is a single task, ``afterword.run_job``,
that takes a job name and ids; jobs are written to be idempotent, so a redelivered job that had
already done its work does nothing twice.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from celery.result import AsyncResult
from celery.signals import worker_process_init
from flask import Flask
from kombu.exceptions import OperationalError

from feedback_app.database import dispose_engines
from feedback_app.jobs import JobNotQueued, soft_time_limit
from feedback_app.startup import ConfigError

log = logging.getLogger(__name__)

TASK_NAME = "afterword.run_job"

#: Packages whose modules hold ``@job`` functions; the worker imports them all at start.
JOB_PACKAGES = ("feedback_app.services", "feedback_app.jobs")

#: Periodic jobs for Celery beat: (job name, config key holding the interval in seconds).
PERIODIC_JOBS: tuple[tuple[str, str], ...] = (
    ("outbox.deliver", "BEAT_DELIVER_SECONDS"),
    ("outbox.reminders", "BEAT_REMINDERS_SECONDS"),
    ("retention.purge", "BEAT_RETENTION_SECONDS"),
    ("invitations.auto_invite", "BEAT_AUTO_INVITE_SECONDS"),
    ("analysis.assign_pending", "BEAT_ASSIGN_PENDING_SECONDS"),
    ("cpr.expire_offers", "BEAT_EXPIRE_OFFERS_SECONDS"),
    ("webhooks.deliver", "BEAT_WEBHOOKS_SECONDS"),
    ("digest.weekly", "BEAT_DIGEST_SECONDS"),
    ("close_loop.send_due", "BEAT_CLOSE_LOOP_SECONDS"),
)

_SCALARS = (int, str, bool, float, type(None))


def import_job_modules(extra: str = "") -> None:
    """Import every module that may register a job, so a worker knows every job name."""
    names: list[str] = []
    for package_name in JOB_PACKAGES:
        package = importlib.import_module(package_name)
        names += [info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}.")]
    names += [name.strip() for name in extra.split(",") if name.strip()]
    for name in names:
        if name.endswith(".celery_runner"):
            continue
        importlib.import_module(name)


def check_arguments(name: str, kwargs: dict[str, Any]) -> None:
    """Jobs take ids and flags, never records or personal data: refuse anything else early."""
    for key, value in kwargs.items():
        items = value if isinstance(value, (list, tuple)) else [value]
        if not all(isinstance(item, _SCALARS) for item in items):
            raise TypeError(
                f"job {name!r}: argument {key!r} is a {type(value).__name__}; pass ids (numbers or short strings)"
            )


def beat_schedule(app: Flask, known_jobs: set[str]) -> dict[str, dict[str, Any]]:
    """The periodic jobs that exist in this installation, at their configured intervals."""
    schedule: dict[str, dict[str, Any]] = {}
    for job_name, key in PERIODIC_JOBS:
        seconds = int(app.config.get(key) or 0)
        if job_name not in known_jobs:
            log.warning("beat: no job named %s is registered; it is not scheduled", job_name)
            continue
        if seconds > 0:
            schedule[job_name] = {
                "task": TASK_NAME,
                "schedule": timedelta(seconds=seconds),
                "args": (job_name, {}),
                # A tick that waits longer than one interval is dropped; the next one does the work.
                "options": {"expires": seconds},
            }
    return schedule


def celery_init_app(app: Flask) -> Celery:
    """Build (once per app) the Celery app whose tasks run inside ``app``'s context."""
    if "celery" in app.extensions:
        return app.extensions["celery"]

    time_limit = int(app.config["CELERY_TASK_TIME_LIMIT"])
    visibility = int(app.config["CELERY_VISIBILITY_TIMEOUT"])
    if visibility <= time_limit:
        raise ConfigError(
            f"CELERY_VISIBILITY_TIMEOUT ({visibility}s) must exceed CELERY_TASK_TIME_LIMIT ({time_limit}s), "
            "or Redis hands a job that is still running to a second worker"
        )

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app: Celery = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        # Sweep for jobs whose worker died every 10 s (kombu's default is 100 s), so a lost job is
        # back in the queue about visibility + 10 s after it was taken.
        broker_transport_options={
            "visibility_timeout": visibility,
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
        },
        result_backend_transport_options={"visibility_timeout": visibility},
        broker_connection_retry_on_startup=True,
        task_default_queue=app.config["CELERY_QUEUE"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=time_limit,
        task_soft_time_limit=soft_time_limit(time_limit) if time_limit > 60 else None,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        result_expires=3600,
        worker_hijack_root_logger=False,
        timezone="UTC",
    )

    from feedback_app.jobs import JOBS

    @celery_app.task(name=TASK_NAME, bind=True)
    def run_job(self: Task, name: str, kwargs: dict[str, Any]) -> Any:
        if name not in JOBS:
            raise KeyError(
                f"No job named {name!r} in this worker; known: {', '.join(sorted(JOBS)) or 'none'}"
            )
        log.info("job %s %s (task %s)", name, kwargs, self.request.id)
        return JOBS[name](**kwargs)

    @worker_process_init.connect(weak=False)
    def _fresh_connections_after_fork(**_: Any) -> None:
        # A pool process is forked from the worker: database connections inherited from the
        # parent must not be shared (two processes on one PostgreSQL socket hang or corrupt).
        dispose_engines(app, close=False)

    import_job_modules(app.config.get("CELERY_IMPORTS") or "")
    celery_app.conf.beat_schedule = beat_schedule(app, set(JOBS))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


class CeleryRunner:
    """Sends each job to the Celery queue; ``make worker`` runs it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.celery = celery_init_app(app)

    def submit(self, name: str, kwargs: dict[str, Any], *, required: bool = False) -> AsyncResult | None:
        """Queue the job; None when the broker is unreachable (logged, never raised), or
        ``JobNotQueued`` raised when ``required``.

        Jobs are queued after the caller's commit, so the work is already in the database: a
        broker outage must not turn a saved survey answer or a queued email into a 500. Beat's
        periodic ``outbox.deliver`` sends queued emails once Redis is back.
        """
        check_arguments(name, kwargs)
        try:
            # Results are not kept (task_ignore_result); without this, send_task would also
            # subscribe to the result store, which retries for 20 s when Redis is down.
            return self.celery.send_task(TASK_NAME, args=(name, kwargs), ignore_result=True)
        except (OperationalError, OSError) as exc:
            if required:
                raise JobNotQueued(f"job {name} not queued: the broker is unreachable ({exc})") from exc
            log.error(
                "job %s %s not queued: the broker is unreachable (%s); it stays for a later run",
                name,
                kwargs,
                exc,
            )
            return None
