import pytest

from config import ProductionConfig
from feedback_app import create_app


@pytest.mark.parametrize("key", ["", "dev", "development-key-not-secret", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_long_random_secret_key(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x9" * 24)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_old_secret_keys_are_read_from_the_environment_for_rotation():
    import subprocess
    import sys
    from pathlib import Path

    env = {
        "SECRET_KEY_FALLBACKS": " old-key-one-0123456789abcdef0123 , old-key-two-0123456789abcdef0123,",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import config; print(config.ProductionConfig.SECRET_KEY_FALLBACKS)"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "['old-key-one-0123456789abcdef0123', 'old-key-two-0123456789abcdef0123']"


@pytest.mark.parametrize("colour", ["red", "#123", "#12345", "#gggggg", "0b5cad"])
def test_a_brand_colour_that_is_not_hex_stops_startup_named(monkeypatch, colour):
    from config import TestingConfig

    monkeypatch.setattr(TestingConfig, "BRAND_COLOUR", colour)
    with pytest.raises(RuntimeError, match=f"BRAND_COLOUR must be a colour written #rrggbb, got '{colour}'"):
        create_app(TestingConfig)


def test_a_mail_transport_that_does_not_exist_stops_startup_named():
    """A typo (MAIL_TRANSPORT=smpt) started every process; each delivery run then failed."""
    from config import TestingConfig

    with pytest.raises(RuntimeError, match="MAIL_TRANSPORT must be one of smtp, file, got 'smpt'"):
        create_app(TestingConfig, overrides={"MAIL_TRANSPORT": "smpt"})
    assert create_app(TestingConfig, overrides={"MAIL_TRANSPORT": "SMTP"}).config["MAIL_TRANSPORT"] == "SMTP"


def test_a_postgres_url_in_the_hosting_providers_spelling_stops_startup_with_the_fix(monkeypatch):
    """Heroku, Render and others hand out postgres://...; SQLAlchemy answered only
    "Can't load plugin: sqlalchemy.dialects:postgres" at the first query."""
    from config import TestingConfig

    monkeypatch.setattr(TestingConfig, "SQLALCHEMY_DATABASE_URI", "postgres://u:secret@db.internal:5432/aw")
    with pytest.raises(RuntimeError, match=r"DATABASE_URL.*postgresql\+psycopg://") as raised:
        create_app(TestingConfig)
    assert "secret" not in str(raised.value)
