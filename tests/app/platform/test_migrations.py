"""The Alembic migrations build exactly the schema the models describe, and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from config import TestingConfig
from feedback_app import MIGRATIONS_DIR, create_app
from feedback_app.extensions import db


def _fresh_app(tmp_path):
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    return create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})


def test_upgrade_matches_models_and_downgrade_to_base_works(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:  # a database that has seen a previous test run
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"

        tables = set(inspect(db.engine).get_table_names())
        assert {"departed_customer", "invitation", "response", "outbox_email", "theme"} <= tables

        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
