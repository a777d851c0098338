"""Shared fixtures: an app on a fresh database per test, a client, a CLI runner, and data factories.

Set TEST_DATABASE_URL to run the same tests against PostgreSQL (see the Makefile).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from config import TestingConfig
from feedback_app import create_app
from feedback_app.database import dispose_engines
from feedback_app.extensions import db as _db
from tests import factories
from tests.database import create_run_database, drop_run_database, fresh_schema
from tests.shared_routes import SharedRoutes
from tests.template_code import SharedTemplateCode

_RUN_DATABASE = pytest.StashKey[str]()


def _database_url(tmp_path: Path) -> str:
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'test.db'}"
    return url


def pytest_configure(config: pytest.Config) -> None:
    """Markers that only ``make test`` reads (registered here, not in pyproject.toml, whose hash
    decides when ``make setup`` installs again)."""
    config.addinivalue_line(
        "markers",
        "postgresql: a slow test make test also runs on PostgreSQL, as what it checks depends on the database engine",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """On PostgreSQL, give this run its own database, and stop at once if the server is unreachable."""
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("postgresql"):
        run_url, problem = create_run_database(url)
        if problem:
            pytest.exit(problem, returncode=3)
        TestingConfig.SQLALCHEMY_DATABASE_URI = run_url
        session.config.stash[_RUN_DATABASE] = run_url


def pytest_sessionfinish(session: pytest.Session) -> None:
    run_url = session.config.stash.get(_RUN_DATABASE, None)
    if run_url:
        drop_run_database(run_url)


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as in production.

    The ``app`` fixture keeps a context open for the test body; without this, requests would
    share its ``g`` and database session, hiding bugs a real server would show.
    """

    def open(self, *args, **kwargs):  # type: ignore[override]
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app_overrides() -> dict[str, object]:
    """Extra settings for the ``app`` fixture; a test module overrides this fixture to change them."""
    return {}


def _app_settings(tmp_path: Path) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
        "NLP_CACHE_DIR": str(tmp_path / "nlp-cache"),
        "PUBLIC_BASE_URL": "http://survey.test",
    }


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite, an empty database file with the models' schema, built once per session by
    the app itself (so model changes are picked up); each test starts from a copy of it, which
    is much cheaper than ``create_all`` per test. ``None`` on PostgreSQL."""
    if not TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        return None
    folder = tmp_path_factory.mktemp("schema")
    template = create_app(TestingConfig, overrides=_app_settings(folder))
    with template.app_context():
        fresh_schema(_db)
        _db.session.remove()
        dispose_engines(template)  # the last connection closing folds the WAL into the file
    path = folder / "test.db"
    assert path.exists() and not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="session")
def template_code() -> SharedTemplateCode:
    """Jinja's compiled templates, kept for the session's apps (see tests/template_code.py)."""
    return SharedTemplateCode()


@pytest.fixture(scope="session")
def shared_routes() -> SharedRoutes:
    """The compiled URL maps, kept for the session's apps (see tests/shared_routes.py)."""
    return SharedRoutes()


@pytest.fixture
def app(
    tmp_path: Path,
    app_overrides: dict[str, object],
    sqlite_schema: Path | None,
    template_code: SharedTemplateCode,
    shared_routes: SharedRoutes,
):
    """An app with its own empty database and instance folder."""
    settings = {**_app_settings(tmp_path), **app_overrides}
    copied = sqlite_schema is not None and settings["SQLALCHEMY_DATABASE_URI"] == _database_url(tmp_path)
    if copied:
        shutil.copyfile(sqlite_schema, tmp_path / "test.db")
    app = shared_routes.create(lambda: create_app(TestingConfig, overrides=settings))
    app.jinja_env.bytecode_cache = template_code
    app.test_client_class = FreshContextClient
    app.instance_path = str(tmp_path / "instance")
    Path(app.instance_path).mkdir(exist_ok=True)
    with app.app_context():
        if not copied:
            fresh_schema(_db)
        yield app
        _db.session.remove()
        dispose_engines(app)  # SQLite files live in tmp_path; PostgreSQL is emptied by the next test


@pytest.fixture
def db(app):
    """The database; tests read with ``db.session`` (call ``db.session.expire_all()`` after a request)."""
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(db):
    """Data factories bound to the test database: ``make.customer(...)``, ``make.invitation(...)``."""
    return factories.Factories(db.session)


@pytest.fixture
def login(client, make):
    """Sign a staff user with the given role in through the real login form."""

    def _login(role: str = "cx", email: str | None = None):
        from tests.helpers import csrf_token

        user, password = make.staff_user(role=role, email=email)
        page = client.get("/auth/login")
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) collecting messages; see tests/smtp_server.py.

    Point the app at it with ``app.config.update(smtp_server.mail_settings())``.
    """
    from tests.smtp_server import SmtpTestServer

    server = SmtpTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api_key(db):
    """A fresh active API key for the JSON API, as its raw value (only its hash is stored)."""
    from feedback_app.services.accounts.api_keys import create_key

    _key, raw = create_key("test client", actor="test")
    return raw


@pytest.fixture(scope="session")
def bank_vectors(tmp_path_factory):
    """The example bank's vectors, embedded once per session (see tests/warm_cache.py).

    ``bank_vectors.copy_into(cache_dir, config)`` warms a test's empty NLP cache folder, so a
    run that trains a head from corrections embeds only the corrections.
    """
    from tests.warm_cache import BankVectors

    shared = os.environ.get("AFTERWORD_TEST_SHARED_DIR")  # make test's runs share one (tests/warm_cache.py)
    return BankVectors(tmp_path_factory.mktemp("bank-vectors"), Path(shared) if shared else None)
