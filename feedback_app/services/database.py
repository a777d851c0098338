"""Database plumbing: SQLite pragmas, the pool's connection check, autocommit connections for
single statements, and a health probe."""

from __future__ import annotations

import logging
import select
import threading
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, current_app
from sqlalchemy import create_engine, event, exc, text
from sqlalchemy.engine import Connection, Engine, make_url

from feedback_app.extensions import db


def install_sqlite_pragmas(engine: Engine) -> None:
    """On SQLite, enforce foreign keys and use WAL so readers never block the writer; deleted and
    overwritten content is zeroed (``secure_delete``), so erased data leaves no bytes in the file."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every sqlite test
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


log = logging.getLogger(__name__)

POOL_CHECKS = ("socket", "ping")


def _socket_check_applies(url: str | None) -> bool:
    """The socket check reads psycopg 3's connection; other drivers get ``pool_pre_ping``."""
    if not url:
        return False
    parsed = make_url(url)
    return parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg"


def pool_engine_options(config: dict) -> dict:
    """``SQLALCHEMY_ENGINE_OPTIONS`` with the pool check ``DATABASE_POOL_CHECK`` asks for
    (``socket`` falls back to ``pool_pre_ping`` on a PostgreSQL driver other than psycopg 3)."""
    check = config.get("DATABASE_POOL_CHECK") or "socket"
    if check not in POOL_CHECKS:
        raise RuntimeError(f"DATABASE_POOL_CHECK must be one of {', '.join(POOL_CHECKS)}, got {check!r}")
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if check == "ping" or (url and make_url(url).get_backend_name() == "postgresql"
                           and not _socket_check_applies(url)):
        options["pool_pre_ping"] = True
    return options


def install_pool_socket_check(engine: Engine, check: str) -> None:
    """With ``DATABASE_POOL_CHECK=socket``, discard a pooled PostgreSQL connection whose server
    has closed it (a restart or a terminated backend) before anyone uses it.

    An idle connection never has anything to read: the server only writes to it unasked when
    it is going away (the "terminating connection" notice, then the close). So a zero-timeout
    ``poll`` of the socket tells, without the round trip ``pool_pre_ping`` costs on every
    request. Raising ``DisconnectionError`` makes the pool reconnect that slot and check again
    (twice; SQLAlchemy then gives up with an error). What it cannot see is a connection whose
    close never arrives (a crashed host, a silent proxy): that one fails one request, which
    invalidates the pool; ``DATABASE_POOL_CHECK=ping`` is for such networks.
    """
    if check != "socket" or (engine.dialect.name, engine.dialect.driver) != ("postgresql", "psycopg"):
        return

    @event.listens_for(engine, "checkout")
    def _discard_closed(dbapi_connection, _record, _proxy):
        pgconn = dbapi_connection.pgconn
        if pgconn.status != 0:  # not CONNECTION_OK
            raise exc.DisconnectionError("the connection is closed")
        poller = select.poll()  # not select(): it cannot watch descriptors above 1023
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        if poller.poll(0):
            log.info("discarding a pooled database connection the server has closed")
            raise exc.DisconnectionError("the server closed the connection")


AUTOCOMMIT_ENGINE_KEY = "afterword_autocommit_engine"
_engine_lock = threading.Lock()


def autocommit_engine(app: Flask | None = None) -> Engine:
    """The engine for work that is one statement at a time (see ``autocommit_connection``).

    On PostgreSQL: a second engine on the same database whose pooled connections stay in
    autocommit mode, with the same pool settings and check. Reading through it skips the BEGIN
    and the ROLLBACK that end a read-only request, and that ROLLBACK costs far more than its
    round trip: psycopg 3 drops every prepared statement of a connection on rollback, so the next
    lookup is parsed and planned again (0.8 ms for the survey link query, five times its
    execution). Its own pool, rather than switching the session's connection to autocommit and
    back, also skips the session and the isolation-level switch: 400 -> 260 µs of CPU per survey
    link lookup (``bench/load.py`` has the figures for whole requests). Each worker process can
    hold up to ``pool_size + max_overflow`` connections in each of the two pools. On SQLite, which
    begins no transaction for a read, it is the app's engine.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  (one proxy lookup)
    engine = app.extensions.get(AUTOCOMMIT_ENGINE_KEY)
    if engine is not None:
        return engine
    with _engine_lock:
        engine = app.extensions.get(AUTOCOMMIT_ENGINE_KEY)
        if engine is None:
            with app.app_context():
                main = db.engine
            if main.dialect.name == "sqlite":
                engine = main
            else:
                # In autocommit no transaction is ever left open, so a connection going back to
                # the pool needs no ROLLBACK (psycopg's is a lock and a generator for nothing).
                options = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "isolation_level": "AUTOCOMMIT",
                           "pool_reset_on_return": None}
                options.setdefault("echo", bool(app.config.get("SQLALCHEMY_ECHO")))
                engine = create_engine(main.url, **options)
                install_pool_socket_check(engine, app.config.get("DATABASE_POOL_CHECK") or "socket")
            app.extensions[AUTOCOMMIT_ENGINE_KEY] = engine
    return engine


def session_holds_sqlite_connection(engine: Engine | None = None) -> bool:
    """True when the app is on SQLite and this request's session holds a connection (is in a
    transaction). Asked without creating a session where there is none: a page view has none.
    ``engine``: ``autocommit_engine()``, where the caller has it already."""
    if (engine or autocommit_engine()).dialect.name != "sqlite" or not db.session.registry.has():
        return False
    return db.session().in_transaction()


@contextmanager
def autocommit_connection() -> Iterator[Connection]:
    """A connection for one statement that stands on its own: a read, or a write that is atomic by
    itself, committed when it runs. Never use it for writes that must land together: those belong
    to the session's transaction (``db.session``).

    It comes from ``autocommit_engine``'s pool and goes back at the end of the block, so it does
    not see what the session has written and not committed. On SQLite, where that pool is the
    session's own, a session already holding a connection lends it instead (a second checkout
    could wait on a pool its own thread holds; an in-memory database has one connection): a write
    in the block is then committed at its end, unless the session had begun writing, in which case
    it commits with the rest.
    """
    engine = autocommit_engine()
    if session_holds_sqlite_connection(engine):
        session = db.session()
        connection = session.connection()
        was_writing = connection.connection.dbapi_connection.in_transaction
        yield connection
        if not was_writing and connection.connection.dbapi_connection.in_transaction:
            session.commit()
        return
    with engine.connect() as connection:
        yield connection
        connection.commit()  # PostgreSQL: bookkeeping only (autocommit); SQLite: a write's transaction


def dispose_engines(app: Flask, *, close: bool = True) -> None:
    """Empty the pools of the app's engines. ``close=False`` after a fork: the child drops the
    connections it inherited without closing them, as they still belong to the parent."""
    engine = app.extensions.pop(AUTOCOMMIT_ENGINE_KEY, None)
    with app.app_context():
        if engine is not None and engine is not db.engine:
            engine.dispose(close=close)
        db.engine.dispose(close=close)


def database_is_up() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ok" to a health check
        db.session.rollback()
        return False
