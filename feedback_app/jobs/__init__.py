"""Background jobs behind one ``enqueue`` call, with the runner picked by name in config.

Runners: ``inline`` runs the job at once in the caller (tests), ``thread`` runs it in an
in-process thread pool inside an app context (the embedded default for ``make run`` and the
command line, which waits for the jobs it queued before it exits), ``celery``
sends it to Redis for ``make worker`` processes (``feedback_app/jobs/celery_runner.py``).
Jobs take ids, never personal data, so any runner can retry them safely.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

import click
from flask import Flask, current_app

from feedback_app.startup import ConfigError

log = logging.getLogger(__name__)

JOBS: dict[str, Callable[..., Any]] = {}


def job(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a job under a stable name."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = func
        return func

    return decorator


def soft_time_limit(time_limit: int) -> int:
    """Seconds after which Celery interrupts a job (``task_soft_time_limit``): 30 s before the
    hard ``CELERY_TASK_TIME_LIMIT``, or the hard limit itself when it is a minute or less."""
    return max(1, time_limit - 30) if time_limit > 60 else time_limit


class JobNotQueued(RuntimeError):
    """The runner could not take the job (the Celery broker is unreachable)."""


class JobRunner(Protocol):
    def submit(self, name: str, kwargs: dict[str, Any], *, required: bool = False) -> Any: ...


class InlineRunner:
    """Runs the job now, in the caller's app context."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def submit(self, name: str, kwargs: dict[str, Any], *, required: bool = False) -> Any:
        return JOBS[name](**kwargs)


class ThreadRunner:
    """Runs jobs in a small in-process pool, each inside its own app context."""

    def __init__(self, app: Flask, workers: int = 2) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="afterword-job")
        self.unfinished: set[Future] = set()
        self.lock = threading.Lock()

    def submit(self, name: str, kwargs: dict[str, Any], *, required: bool = False) -> Future:
        def run() -> Any:
            with self.app.app_context():
                try:
                    return JOBS[name](**kwargs)
                except Exception:
                    log.exception("job %s failed", name)
                    raise

        future = self.pool.submit(run)
        with self.lock:
            self.unfinished.add(future)
        future.add_done_callback(self._finished)
        _wait_when_command_ends(self)
        return future

    def _finished(self, future: Future) -> None:
        with self.lock:
            self.unfinished.discard(future)

    def wait_until_idle(self) -> None:
        """Wait until no job is queued or running, counting the jobs that jobs queue meanwhile (a
        delivery run out of time queues the next from its own thread, before it ends)."""
        while True:
            with self.lock:
                unfinished = list(self.unfinished)
            if not unfinished:
                return
            wait(unfinished)


def _wait_when_command_ends(runner: ThreadRunner) -> None:
    """Hold a command line command (``flask tickets import``) open until the jobs it queued, and
    the jobs those queued, are done: it would return first, and a job still running while the
    interpreter shuts down fails (``can't register atexit after shutdown``; a job queued then,
    ``cannot schedule new futures after interpreter shutdown``), so a new ticket was never
    themed, or most of a large batch of emails never sent. A request thread has no click
    context, so the server is not held up."""
    context = click.get_current_context(silent=True)
    if context is None:
        return
    root = context.find_root()
    if not root.meta.get("afterword.jobs"):
        root.meta["afterword.jobs"] = True
        root.call_on_close(runner.wait_until_idle)


def _celery_runner(app: Flask) -> JobRunner:
    """Imported only when chosen, so the embedded default never needs Celery or Redis."""
    from feedback_app.jobs.celery_runner import CeleryRunner

    return CeleryRunner(app)


RUNNERS: dict[str, Callable[[Flask], JobRunner]] = {
    "inline": InlineRunner,
    "thread": ThreadRunner,
    "celery": _celery_runner,
}


def init_jobs(app: Flask) -> None:
    """Create the configured runner and keep it on the app."""
    name = app.config.get("JOB_RUNNER", "thread")
    if name not in RUNNERS:
        raise ConfigError(f"JOB_RUNNER must be one of {', '.join(RUNNERS)}, got {name!r}")
    app.extensions["afterword_jobs"] = RUNNERS[name](app)


def _runner(name: str) -> JobRunner:
    if name not in JOBS:
        raise KeyError(f"No job named {name!r}; known jobs: {', '.join(sorted(JOBS)) or 'none'}")
    runner: JobRunner = current_app.extensions["afterword_jobs"]
    return runner


def enqueue(name: str, **kwargs: Any) -> Any:
    """Run the named job on the configured runner (a broker outage is logged, never raised)."""
    return _runner(name).submit(name, kwargs)


def enqueue_or_raise(name: str, **kwargs: Any) -> Any:
    """Run the named job, raising ``JobNotQueued`` when the runner cannot take it: for work that
    no periodic job picks up later (an analysis run someone started), so the caller can say so."""
    return _runner(name).submit(name, kwargs, required=True)
