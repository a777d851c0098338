"""A state that several tests start from, built by the first of them and copied for the others.

On SQLite the first test to need the state builds it in its own app, then ``keep`` saves that app's
database file, NLP cache folder and instance folder; each later test's ``restore`` copies them into
its own app (its own database file and folders: what one test writes, the next never sees). On
PostgreSQL nothing is kept and each test builds the state itself. Used by the ``analysed`` fixture
of tests/app/insights/test_insights_pipeline.py and the ``demo`` fixtures of tests/app/demo.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url

from feedback_app.database import dispose_engines
from feedback_app.extensions import db


def _sqlite_file(app: Flask) -> Path | None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _folders(app: Flask) -> dict[str, Path]:
    """The app's folders a state may have written to, by the name they are kept under."""
    return {
        "nlp-cache": Path(app.config["NLP_CACHE_DIR"]),
        "instance": Path(app.instance_path),
        "mail": Path(app.config["MAIL_OUTBOX_DIR"]),
    }


def _close(app: Flask, database: Path) -> None:
    """Close every connection, which folds SQLite's write-ahead log into the file."""
    db.session.remove()
    dispose_engines(app)
    assert not Path(f"{database}-wal").exists()


class SavedState:
    """One state, kept in ``folder`` (on SQLite) once a test has built it; ``notes`` holds what the
    build returned that the database does not (a command's output, say)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept = False
        self.notes: dict[str, Any] = {}

    def restore(self, app: Flask) -> bool:
        """Copy the kept state into ``app`` and say True; False when there is none to copy (on
        PostgreSQL always): the test builds it, then calls ``keep``."""
        database = _sqlite_file(app)
        if database is None or not self.kept:
            return False
        _close(app, database)
        shutil.copyfile(self.folder / "test.db", database)
        for name, path in _folders(app).items():
            if (self.folder / name).exists():
                shutil.copytree(self.folder / name, path, dirs_exist_ok=True)
        return True

    def keep(self, app: Flask, **notes: Any) -> None:
        """Save the state ``app`` is in for later tests (on SQLite), with ``notes``."""
        database = _sqlite_file(app)
        if database is None:
            return
        _close(app, database)
        shutil.copyfile(database, self.folder / "test.db")
        for name, path in _folders(app).items():
            if path.exists():
                shutil.copytree(path, self.folder / name)
        self.notes.update(notes)
        self.kept = True
