"""Recording that a survey link was opened, written behind the page view instead of inside it.

The first view of a link marks its invitation opened (``opened_at``, status ``opened``). Written
in the request, that is an UPDATE and a commit on every first view: on the busiest page most of
its database work, and on SQLite a turn at the single write lock. So each process collects first
openings and a background thread writes them together, one transaction every
``OPENED_WRITE_DELAY_SECONDS``; the rest is written when the process exits. With the delay at 0
the mark is written in the request (the tests' default).

What a crash (SIGKILL, power loss) can lose is the "opened" marks not yet written: those of its
last second, or all those held while the database refused them (kept and retried, up to
``MAX_PENDING`` per process). Never an answer: a submission sets ``opened_at`` itself, in its own
transaction.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import datetime

from flask import Flask, current_app

log = logging.getLogger(__name__)

EXTENSION_KEY = "afterword.opened_marks"
#: Marks kept per process while the database cannot take them; beyond this new ones are dropped.
MAX_PENDING = 100_000


class OpenedMarks:
    """One process's first openings waiting to be written, and the thread that writes them."""

    def __init__(self, app: Flask, delay_seconds: float) -> None:
        self._app = app
        self._delay = delay_seconds
        self._pending: dict[int, datetime] = {}
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._thread: threading.Thread | None = None
        self._warned_full = False
        self._failing = False
        atexit.register(self.flush)

    def add(self, invitation_id: int, opened_at: datetime) -> None:
        """Queue a first opening; the earliest time wins when a link is opened twice meanwhile."""
        with self._lock:
            if invitation_id not in self._pending and len(self._pending) >= MAX_PENDING:
                if not self._warned_full:
                    log.warning("%d opened marks wait for the database; dropping new ones", MAX_PENDING)
                    self._warned_full = True
                return
            self._pending.setdefault(invitation_id, opened_at)
            if self._thread is None or not self._thread.is_alive():
                # Started on demand, so each forked gunicorn worker gets its own.
                self._thread = threading.Thread(target=self._write_behind, name="afterword-opened-marks", daemon=True)
                self._thread.start()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every queued mark now, in one transaction; returns how many were written.

        One write at a time (``_writing``): the exit-time flush waits for a write the thread has
        under way, so a batch taken just before shutdown is not lost with the thread."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, {}
            if not batch:
                return 0
            from feedback_app.services.survey_links import write_opened

            try:
                with self._app.app_context():
                    write_opened(batch)
            except Exception:  # keep them for the next try; a page view never sees this
                if not self._failing:  # one traceback per outage, not one a second per worker
                    log.exception("could not record %d opened links; will retry", len(batch))
                self._failing = True
                with self._lock:
                    for invitation_id, opened_at in batch.items():
                        known = self._pending.get(invitation_id)
                        self._pending[invitation_id] = opened_at if known is None else min(known, opened_at)
                return 0
            if self._failing:
                log.info("recorded %d opened links held while the database refused them", len(batch))
            self._failing = self._warned_full = False
            return len(batch)

    def _write_behind(self) -> None:
        """Flush every ``delay`` seconds while there is something to write, then stop."""
        while True:
            time.sleep(self._delay)
            self.flush()
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return


def init_link_opens(app: Flask) -> None:
    delay = float(app.config.get("OPENED_WRITE_DELAY_SECONDS") or 0)
    if delay < 0:
        raise RuntimeError(f"OPENED_WRITE_DELAY_SECONDS must be 0 or more, got {delay}")
    app.extensions[EXTENSION_KEY] = OpenedMarks(app, delay) if delay > 0 else None


def opened_marks() -> OpenedMarks | None:
    """This app's write-behind buffer, or None when marks are written in the request."""
    return current_app.extensions.get(EXTENSION_KEY)

