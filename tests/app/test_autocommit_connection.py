"""``database.autocommit_connection``: single statements outside the session's transaction,
committed on their own, without a second pooled connection where SQLite has only one pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from config import TestingConfig
from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.services.database import autocommit_connection, dispose_engines

on_sqlite = pytest.mark.skipif(not TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"),
                               reason="PostgreSQL has a pool of its own for these statements")


@pytest.fixture
def one_connection_app(tmp_path: Path):
    """SQLite with a pool of exactly one connection, which a second checkout would wait for."""
    app = create_app(TestingConfig, overrides={
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'one.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 2}})
    with app.app_context():
        db.session.execute(text("CREATE TABLE note (body TEXT)"))
        db.session.commit()
        yield app
        db.session.remove()
        dispose_engines(app)


def _notes() -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT body FROM note ORDER BY body")))


@on_sqlite
def test_a_session_holding_the_only_connection_lends_it(one_connection_app):
    assert db.session.scalar(text("SELECT count(*) FROM note")) == 0  # the session holds the connection
    with autocommit_connection() as connection:  # would time out waiting for a second one
        assert connection.scalar(text("SELECT 1")) == 1
        connection.execute(text("INSERT INTO note VALUES ('lent')"))
    db.session.rollback()  # the write was committed at the end of the block, not left to the session
    db.session.remove()
    assert _notes() == ["lent"]


@on_sqlite
def test_a_write_inside_a_session_that_is_writing_commits_with_it(one_connection_app):
    db.session.execute(text("INSERT INTO note VALUES ('first')"))
    with autocommit_connection() as connection:
        connection.execute(text("INSERT INTO note VALUES ('second')"))
    db.session.rollback()  # the session's transaction was never committed: both go
    db.session.remove()
    assert _notes() == []


def test_a_statement_outside_any_transaction_is_committed_on_its_own(app):
    with app.app_context():
        db.session.execute(text("CREATE TABLE IF NOT EXISTS note (body TEXT)"))
        db.session.execute(text("DELETE FROM note"))
        db.session.commit()
        db.session.remove()
        with autocommit_connection() as connection:
            connection.execute(text("INSERT INTO note VALUES ('alone')"))
        db.session.rollback()
        assert db.session.scalars(text("SELECT body FROM note")).all() == ["alone"]
        db.session.execute(text("DROP TABLE note"))
        db.session.commit()


@on_sqlite
def test_a_direct_read_borrows_the_only_connection_a_session_holds(one_connection_app):
    """``DirectSelect`` takes its own pooled connection, except while the session holds SQLite's
    only one: it would wait for it until the pool times out."""
    from sqlalchemy import column, select, table

    from feedback_app.services.direct_select import DirectSelect

    db.session.execute(text("INSERT INTO note VALUES ('unsaved')"))  # the session holds the connection
    notes = DirectSelect(select(column("body")).select_from(table("note")))
    assert notes.first({}) == ("unsaved",)  # the session's own connection: it sees its writes
    db.session.rollback()
    assert notes.first({}) is None  # no session transaction now: a checkout of its own
