"""Database plumbing: SQLite pragmas, the pool's connection check, single-statement connections
and a health probe."""

from __future__ import annotations

import logging
import select

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Connection, Engine, make_url

from feedback_app.extensions import db


def install_sqlite_pragmas(engine: Engine) -> None:
    """On SQLite, enforce foreign keys and use WAL so readers never block the writer."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every sqlite test
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
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


def statement_connection() -> Connection:
    """The session's connection for work that is one statement at a time: reads, or a write that
    is a single statement (atomic on its own). When the session has not begun a transaction yet,
    the connection is in autocommit mode. On PostgreSQL that saves the BEGIN and the ROLLBACK that
    ends a read-only request, and the ROLLBACK costs far more than its round trip: psycopg 3 drops
    every prepared statement of the connection on rollback (and deallocates them on the server),
    so the next lookup is parsed and planned again (0.8 ms for the survey link query, five times
    its execution). Measured: 2.5 ms -> 0.7 ms per survey-link lookup, wall, on an idle machine.
    Inside a transaction, or on SQLite (which begins no transaction for a read), it is simply the
    session's connection. Never use it before writes that must land together."""
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name == "sqlite":
        return session.connection()  # SQLite begins no transaction for a read anyway
    return db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def transaction_connection() -> Connection:
    """The session's connection inside a transaction, for writes that must land together.

    If this request has so far only read through ``statement_connection`` (autocommit), that
    use ends first (it has nothing to commit) and a transaction begins; otherwise it is simply
    the session's connection, in the transaction already under way.
    """
    session = db.session()
    if session.in_transaction():
        connection = session.connection()
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            return connection
        session.commit()  # ends the autocommit use; the pool gives the connection back as it was
    return session.connection()


def database_is_up() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ok" to a health check
        db.session.rollback()
        return False
