"""Test database set-up that is fast on both engines.

SQLite: each test gets its own file in ``tmp_path`` with ``create_all`` (a few milliseconds).
PostgreSQL: the schema is rebuilt once per
session (so model changes are picked up), then each test starts from ``TRUNCATE ... RESTART
IDENTITY CASCADE``, and any test that dropped tables (the migration test) triggers a rebuild.
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

#: Database URLs whose schema this session has already rebuilt from the models.
_rebuilt: set[str] = set()


def ensure_test_database(url: str) -> str | None:
    """Create the PostgreSQL database in ``url`` if it is missing; a message when unreachable."""
    target = make_url(url)
    if not target.get_backend_name().startswith("postgresql"):
        return None
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database})
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    except Exception as exc:  # any driver error: say where we looked and why it failed
        return (
            f"PostgreSQL for the tests is unreachable at {target.render_as_string(hide_password=True)}: "
            f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0]}"
        )
    finally:
        admin.dispose()
    return None


def fresh_schema(db: SQLAlchemy) -> None:
    """Give the current app an empty database with the models' schema."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        db.create_all()
        return
    url = engine.url.render_as_string(hide_password=False)
    wanted = {table.name for table in db.metadata.sorted_tables}
    if url in _rebuilt and wanted <= set(inspect(engine).get_table_names()):
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")  # a leaked connection fails loudly
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    db.create_all()
    _rebuilt.add(url)
