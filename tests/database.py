"""Test database set-up that is fast on both engines.

SQLite: each test gets its own file in ``tmp_path``, a copy of one built with ``create_all``
once per session (the ``sqlite_schema`` fixture in tests/conftest.py).
PostgreSQL: the schema is rebuilt once per
session (so model changes are picked up), then each test starts from emptied tables with ids
restarted, and any test that dropped tables (the migration test) triggers a rebuild.
Each run works in its own database (``<TEST_DATABASE_URL's name>_<pid>``), dropped at the end.
"""

from __future__ import annotations

import os

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

#: Database URLs whose schema this session has already rebuilt from the models.
_rebuilt: set[str] = set()


def _admin_engine(target: URL):
    return create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def create_run_database(url: str) -> tuple[str | None, str | None]:
    """Create a PostgreSQL database for this test run only; (its URL, None) or (None, why not).

    Each run gets ``<name>_<pid>``, so two runs on one server (two engineers, or CI beside a
    developer) never empty each other's tables; databases of runs that died are dropped here.
    """
    target = make_url(url)
    run_name = f"{target.database}_{os.getpid()}"
    admin = _admin_engine(target)
    try:
        with admin.connect() as conn:
            stale = conn.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                {"pattern": f"{target.database}\\_%"},
            ).all()
            for name in stale:
                suffix = name.rsplit("_", 1)[-1]
                if suffix.isdigit() and not _alive(int(suffix)):
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{run_name}"')
            # Tests need no durability: do not wait for the disk at every commit.
            conn.exec_driver_sql(f'ALTER DATABASE "{run_name}" SET synchronous_commit TO off')
    except Exception as exc:  # any driver error: say where we looked and why it failed
        return None, (
            f"PostgreSQL for the tests is unreachable at {target.render_as_string(hide_password=True)}: "
            f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0]}"
        )
    finally:
        admin.dispose()
    return target.set(database=run_name).render_as_string(hide_password=False), None


def drop_run_database(url: str) -> None:
    """Drop the database ``create_run_database`` made (connections still open are closed)."""
    target = make_url(url)
    admin = _admin_engine(target)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    finally:
        admin.dispose()


def fresh_schema(db: SQLAlchemy) -> None:
    """Give the current app an empty database with the models' schema."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        db.create_all()
        return
    url = engine.url.render_as_string(hide_password=False)
    wanted = {table.name for table in db.metadata.sorted_tables}
    if url in _rebuilt and wanted <= set(inspect(engine).get_table_names()):
        _empty_tables(db)
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    db.create_all()
    _rebuilt.add(url)


def _empty_tables(db: SQLAlchemy) -> None:
    """Delete every row and restart the ids at 1.

    ``DELETE`` beats ``TRUNCATE`` on the few rows a test writes (TRUNCATE swaps the files of every
    table and index); if the order ever meets a foreign-key cycle, TRUNCATE ... CASCADE does it.
    """
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")  # a leaked connection fails loudly
        try:
            with conn.begin_nested():
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
        except Exception:
            names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")
        conn.exec_driver_sql(
            "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass, 1, false) "
            "FROM pg_sequences WHERE schemaname = 'public'"
        )
