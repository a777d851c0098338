"""Afterword: exit surveys for customers who left, and the analysis of why.

``create_app`` builds the Flask app: config, extensions, blueprints (one per audience),
CLI groups, and the database pragmas the embedded SQLite default needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config_class: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the app from a config class (default: the one ``AFTERWORD_ENV`` names). A setting that
    cannot work raises :class:`~feedback_app.startup.ConfigError` (see ``wsgi.py``)."""
    from config import config_from_environment  # here: config.py imports feedback_app.startup

    config_class = config_class or config_from_environment()
    config_class.validate()

    app = Flask(__name__, instance_path=str(Path(config_class.INSTANCE_DIR).resolve()))
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    from feedback_app.startup import check_config

    check_config(app.config)  # Slack, digest, mail transport, job runner: a bad one stops startup, named
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from feedback_app.database import engine_options, install_sqlite_pragmas
    from feedback_app.extensions import csrf, db, login_manager, migrate
    from feedback_app.ratelimit import init_rate_limits

    init_rate_limits(app)  # first of the request hooks: a flood is refused before any other work
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from feedback_app.security import init_security

    init_security(app)

    from feedback_app.branding import init_branding

    init_branding(app)

    from feedback_app.i18n import init_i18n

    init_i18n(app)

    from feedback_app.headings import init_headings

    init_headings(app)  # a hyphenated word in a heading stays on one line ("E-Mails", not "E-" / "Mails")

    from feedback_app import models  # noqa: F401  (register every table)

    with app.app_context():
        install_sqlite_pragmas(db.engine)

    from feedback_app.blueprints import register_blueprints
    from feedback_app.cli import register_cli

    register_blueprints(app)
    register_cli(app)

    from feedback_app.services.insights.incremental import handle_response_submitted
    from feedback_app.services.responses.submission import on_response_submitted

    on_response_submitted(handle_response_submitted)  # theme each new answer once themes exist

    from feedback_app.jobs import init_jobs

    init_jobs(app)
    return app
