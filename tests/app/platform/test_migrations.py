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
from sqlalchemy import inspect, select, text

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


#: The oldest revision the data round trip goes down to: going further drops the conversations'
#: tables (0006) and the columns of 0002-0005, and their rows with them, as a downgrade means to.
OLD_REVISION = "0006_conversations"


def _revisions_down_to(old: str) -> list[str]:
    """The revisions from head down to ``old``, newest first."""
    from alembic.script import ScriptDirectory

    chain = [r.revision for r in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()]  # head first
    return chain[: chain.index(old) + 1]


def _columns() -> dict[str, set[str]]:
    inspector = inspect(db.engine)
    return {
        t: {c["name"] for c in inspector.get_columns(t)}
        for t in inspector.get_table_names()
        if t != "alembic_version"
    }


def _rows(columns_of: dict[str, set[str]]) -> dict[str, list[str]]:
    """Every row of each table, as the text of its values in ``columns_of[table]``, sorted."""
    rows = {}
    with db.engine.connect() as conn:
        for table, columns in columns_of.items():
            names = sorted(columns)
            query = f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)} FROM "{table}"'
            rows[table] = sorted(
                repr(dict(zip(names, map(str, row), strict=True))) for row in conn.exec_driver_sql(query)
            )
    return rows


def test_an_installation_with_data_goes_down_to_0006_and_back_up_losing_nothing(
    app, make, login, client, runner, smtp_server
):
    """An operator's upgrade with real data: customers, invitations, answers, themes with their
    curation, an action item and emails in the outbox go down one migration at a time to 0006 and up
    to head again. Each step keeps every row of every table it keeps (in the columns both revisions
    have), the pages render afterwards, the curation holds and the queued emails go out once."""
    from feedback_app.models import Response, Theme
    from feedback_app.services.actions import plan as action_plan
    from feedback_app.services.insights import curation
    from tests.app.insights_data import World

    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(directory=str(MIGRATIONS_DIR))

    world = World(make, db)
    outages = world.theme("outages", "Level outages", "bugs_reliability")
    price = world.theme("price", "Price rises", "price")
    for n in range(4):
        world.answer(outages, text=f"Down again, the {n}th time this month.", reason="bugs_or_outages")
        world.answer(price, text=f"The renewal went up {n + 20}%.", language="de", phone="+49 30 1234567")
    curation.rename_theme(price, "Renewal price shock", lock=True, actor="cx@example.com")
    curation.move_answer(
        db.session.scalars(select(Response).order_by(Response.id)).first(), price, actor="cx"
    )
    action_plan.plan(action_plan.Attachment(outages.id, None), actor="cx@example.com")
    for n in range(3):
        make.customer(email=f"new{n}@example.org", name=f"New Person {n}")
    invited = runner.invoke(args=["invitations", "create", "--survey", world.survey.key])
    assert invited.exit_code == 0 and "created 3 invitations" in invited.output, invited.output
    db.session.remove()

    head_columns = _columns()
    before = _rows(head_columns)
    assert all(before[t] for t in ("outbox_email", "theme_assignment", "action_item", "audit_event"))
    old_columns = head_columns
    for revision in _revisions_down_to(OLD_REVISION)[1:]:
        downgrade(directory=str(MIGRATIONS_DIR), revision=revision)
        old_columns = {t: c & head_columns[t] for t, c in _columns().items() if t in head_columns}
        expected = {t: sorted(_project(before[t], old_columns[t])) for t in old_columns}
        assert _rows(old_columns) == expected, f"rows changed going down to {revision}"
    upgrade(directory=str(MIGRATIONS_DIR))
    assert _rows(old_columns) == {t: sorted(_project(before[t], old_columns[t])) for t in old_columns}

    login("admin")
    theme = db.session.scalar(select(Theme).where(Theme.stable_key == "price"))
    assert theme.display_label == "Renewal price shock" and theme.label_locked
    pages = ["/dashboard/", "/dashboard/themes", f"/dashboard/themes/{theme.id}", "/dashboard/actions"]
    pages += ["/dashboard/outbox", "/dashboard/follow-ups", "/dashboard/customers"]
    for page in pages:
        assert client.get(page).status_code == 200, page
    app.config.update(smtp_server.mail_settings())
    delivered = runner.invoke(args=["outbox", "deliver"])
    assert delivered.exit_code == 0 and "Sent 3," in delivered.output, delivered.output
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [f"new{n}@example.org" for n in range(3)]
    db.session.remove()
    downgrade(directory=str(MIGRATIONS_DIR), revision="base")
    db.engine.dispose()


def _project(rows: list[str], columns: set[str]) -> list[str]:
    """``rows`` (as :func:`_rows` writes them) restricted to ``columns``."""
    import ast

    return [repr({k: v for k, v in ast.literal_eval(row).items() if k in columns}) for row in rows]
