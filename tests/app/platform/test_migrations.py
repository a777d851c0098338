"""The Alembic migrations build exactly the schema the models describe, and undo cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

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


def test_0008_moves_subscriptions_to_cause_spiked_and_back(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(directory=str(MIGRATIONS_DIR), revision="0007_alerts")
        insert = (
            "INSERT INTO webhook_endpoint (url, secret, events, active, kind, consecutive_failures, "
            "created_at, updated_at) VALUES (:url, 'whsec_x', :events, true, 'webhook', 0, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
        events = "SELECT events FROM webhook_endpoint ORDER BY id"
        with db.engine.begin() as conn:
            conn.execute(
                text(insert), {"url": "https://a.example", "events": "theme.created cause.share_jumped"}
            )
            conn.execute(text(insert), {"url": "https://b.example", "events": "action.shipped"})
        upgrade(directory=str(MIGRATIONS_DIR), revision="0008_digest_prefs")
        with db.engine.connect() as conn:
            assert conn.execute(text(events)).scalars().all() == [
                "theme.created cause.spiked",
                "action.shipped",
            ]
        downgrade(directory=str(MIGRATIONS_DIR), revision="0007_alerts")
        with db.engine.connect() as conn:
            assert conn.execute(text(events)).scalars().all()[0] == "theme.created cause.share_jumped"
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.engine.dispose()


def test_0014_downgrade_keeps_the_customers_emails(tmp_path):
    """On SQLite a batch ``drop_column`` rebuilds ``departed_customer``: with foreign keys enforced,
    dropping the old table cascaded to every row that points at a customer (emails, invitations)."""
    app = _fresh_app(tmp_path)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(directory=str(MIGRATIONS_DIR), revision="0014_departure_time")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO departed_customer (id, source, external_id, left_at, contact_consent, "
                    "opted_out, created_at, updated_at) VALUES (1, 'manual', 'c1', '2026-12-01', true, "
                    "false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO outbox_email (idempotency_key, message_id, kind, customer_id, recipient, "
                    "subject, body_text, body_html, headers, status, attempts, created_at, updated_at) "
                    "VALUES ('k1', '<m1@x>', 'invitation', 1, 'a@b.example', 's', 't', 'h', '{}', "
                    "'sent', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        downgrade(directory=str(MIGRATIONS_DIR), revision="0013_early_return")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM outbox_email")).scalar() == 1
            if conn.dialect.name == "sqlite":  # the app's connections still enforce foreign keys
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.engine.dispose()


def test_two_upgrades_started_at_once_both_succeed_on_postgresql(tmp_path):
    """`make serve` and `make worker` (and each web machine) run `flask db upgrade` as they start:
    on a fresh PostgreSQL database started together, one failed half-way with a duplicate key in
    pg_type. The upgrade holds an advisory lock, so the second waits and finds nothing to do."""
    app = _fresh_app(tmp_path)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("one machine's SQLite: the race is between PostgreSQL clients")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()
    env = {**os.environ, "AFTERWORD_ENV": "development", "DATABASE_URL": url, "JOB_RUNNER": "inline"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    root = Path(__file__).resolve().parents[3]
    both = [
        subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in "ab"
    ]
    outputs = [p.communicate(timeout=300)[0].decode() for p in both]
    assert [p.returncode for p in both] == [0, 0], outputs[0][-2000:] + outputs[1][-2000:]
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.engine.dispose()
