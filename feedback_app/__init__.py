"""Afterword: exit surveys for customers who left, and the analysis of why.

``create_app`` builds the Flask app: config, extensions, blueprints (one per audience),
CLI groups, and the database pragmas the embedded SQLite default needs.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from config import Config, config_from_environment

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class AfterwordFlask(Flask):
    """Flask, remembering which hooks and views are plain functions.

    Flask passes every before/after-request hook and the view through ``ensure_sync`` on every
    request (ten times for a survey page view), and each call asks ``inspect`` whether the
    function is a coroutine. The answer never changes for a given function, so plain ones are
    remembered, weakly: an ``after_this_request`` closure is forgotten with its request, and a
    callable that cannot be weakly referenced (``operator.itemgetter``) is simply asked each time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_callables: weakref.WeakSet = weakref.WeakSet()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if func in self._plain_callables:  # False for what cannot be weakly referenced
            return func
        wrapped = super().ensure_sync(func)
        if wrapped is func:
            try:
                self._plain_callables.add(func)
            except TypeError:  # not weakly referenceable: asked again next time
                pass
        return wrapped


def create_app(config_class: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the app from a config class (default: the one ``AFTERWORD_ENV`` names)."""
    config_class = config_class or config_from_environment()
    config_class.validate()

    app = AfterwordFlask(__name__, instance_path=str(Path(config_class.INSTANCE_DIR).resolve()))
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from feedback_app.extensions import csrf, db, login_manager, migrate
    from feedback_app.services.database import (
        install_pool_socket_check,
        install_sqlite_pragmas,
        pool_engine_options,
    )

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = pool_engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from feedback_app.security import init_security

    init_security(app)

    from feedback_app import models  # noqa: F401  (register every table)

    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_pool_socket_check(db.engine, app.config["DATABASE_POOL_CHECK"])

    from feedback_app.blueprints import register_blueprints
    from feedback_app.cli import register_cli

    register_blueprints(app)
    register_cli(app)

    from feedback_app.jobs import init_jobs
    from feedback_app.services.link_opens import init_link_opens

    init_jobs(app)
    init_link_opens(app)
    return app
