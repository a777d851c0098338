"""Database plumbing: engine options, SQLite pragmas, disposing of pools, and a health probe."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """``SQLALCHEMY_ENGINE_OPTIONS`` for the configured database: a server database's pooled
    connections are checked before use (``pool_pre_ping``), so a restarted server costs no failed request."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if url and make_url(url).get_backend_name() != "sqlite":
        options.setdefault("pool_pre_ping", True)
    return options


def _unicode_lower(value: Any) -> Any:
    """SQL ``lower()`` over all of Unicode, as PostgreSQL's in a UTF-8 database: letter by letter,
    one letter for one ('İ' is 'i', a word's last 'Σ' is 'σ'), where Python's ``str.lower`` gives
    'i' + a combining dot and 'ς', and 'İŞLETME' stayed apart from 'işletme' on SQLite only."""
    if not isinstance(value, str):
        return value
    if value.isascii():
        return value.lower()
    return "".join(letter.lower()[0] for letter in value)


def install_sqlite_pragmas(engine: Engine) -> None:
    """On SQLite, enforce foreign keys and use WAL so readers never block the writer; deleted and
    overwritten content is zeroed (``secure_delete``), so erased data leaves no bytes in the file.
    ``lower()`` folds every letter, not ASCII only, so a match "up to case" (plans and segments,
    searches, addresses) finds 'ÉQUIPE' for 'équipe' as on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # pragma: no cover - every sqlite test
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def dispose_engines(app: Flask, *, close: bool = True) -> None:
    """Empty the app's connection pool. ``close=False`` after a fork: the child drops the
    connections it inherited without closing them, as they still belong to the parent."""
    with app.app_context():
        db.engine.dispose(close=close)


def database_is_up() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ok" to a health check
        db.session.rollback()
        return False


def hold_row(column: InstrumentedAttribute[Any], row_id: int) -> None:
    """Lock one row until the caller commits, the same way on both databases: a write to it that
    changes nothing (``column`` set to itself) takes the row lock on PostgreSQL and the database's
    write lock on SQLite, where ``SELECT ... FOR UPDATE`` is ignored. A second request doing the
    same waits, then reads what the first committed (two clicks on one send button send once)."""
    model = column.class_
    db.session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column.key: column})
        .execution_options(synchronize_session=False)
    )
