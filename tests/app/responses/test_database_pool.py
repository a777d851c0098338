"""The connection pool: a connection the database server closed is never handed to a request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from config import TestingConfig
from feedback_app.database import engine_options

on_postgresql = pytest.mark.skipif(
    not TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql"),
    reason="the server closing a connection is a PostgreSQL matter",
)


def _backend_pid(db) -> int:
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    db.session.remove()  # back into the pool, as at the end of a request
    return pid


def _terminate(url, pid: int) -> None:
    """What a server restart does to every connection: the backend says goodbye and closes it."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}):
            assert time.monotonic() < deadline, "the backend did not go away"
            time.sleep(0.05)
    admin.dispose()


@on_postgresql
def test_a_connection_the_server_closed_is_replaced_without_an_error(app, db):
    first = _backend_pid(db)
    _terminate(db.engine.url, first)
    # The next request gets a working connection: no OperationalError, no failed page.
    assert db.session.scalar(text("SELECT 1")) == 1
    assert _backend_pid(db) != first


def _terminate_all(url) -> int:
    """A server restart as the app sees it: every other connection to the database is closed."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        pids = conn.scalars(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ).all()
        for pid in pids:
            conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while conn.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}
        ):
            assert time.monotonic() < deadline, "the backends did not go away"
            time.sleep(0.05)
    admin.dispose()
    return len(pids)


@on_postgresql
def test_survey_pages_keep_answering_after_the_server_dropped_their_connections(app, db, client, make):
    from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey

    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(), survey=survey, status="sent")
    assert client.get(f"/s/{token}").status_code == 200
    db.session.remove()
    assert _terminate_all(db.engine.url) >= 1  # what a server restart does to the pooled connection
    assert client.get(f"/s/{token}").status_code == 200
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303


def test_a_server_database_checks_pooled_connections_and_sqlite_needs_not():
    assert engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db/x",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 3},
        }
    ) == {"pool_size": 3, "pool_pre_ping": True}
    assert engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}) == {}
