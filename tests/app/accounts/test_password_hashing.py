"""The Argon2id cost of staff passwords: production's, and the cheap one the rest of the suite uses.

TestingConfig sets ``PASSWORD_HASH_PROFILE = "CHEAPEST"`` so each test user and sign-in costs
microseconds; these tests keep the real cost covered end to end, once.
"""

import pytest

from config import Config, ProductionConfig, TestingConfig
from feedback_app import create_app
from feedback_app.services.accounts.users import authenticate, create_user, set_password

PASSWORD = "a long enough passphrase"
PRODUCTION_COST = "$argon2id$v=19$m=65536,t=3,p=4$"  # RFC 9106's low-memory profile


def test_the_shipped_configs_hash_at_rfc_9106_cost_and_only_tests_lower_it():
    assert Config.PASSWORD_HASH_PROFILE == ProductionConfig.PASSWORD_HASH_PROFILE == "RFC_9106_LOW_MEMORY"
    assert TestingConfig.PASSWORD_HASH_PROFILE == "CHEAPEST"


@pytest.fixture
def app_overrides():
    return {"PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY"}


def test_a_password_is_hashed_and_checked_at_the_configured_cost(db):
    user = create_user("ana@staff.example", "cx", PASSWORD)
    assert user.password_hash.startswith(PRODUCTION_COST)
    assert authenticate("ana@staff.example", PASSWORD) == user
    assert authenticate("ana@staff.example", "not the passphrase at all") is None
    assert authenticate("nobody@staff.example", PASSWORD) is None


def test_a_hash_made_at_another_cost_still_signs_in(app, db):
    """A hash carries its own cost, so changing the profile does not lock anyone out."""
    user = create_user("bo@staff.example", "cx", PASSWORD)
    app.config["PASSWORD_HASH_PROFILE"] = "CHEAPEST"
    assert authenticate("bo@staff.example", PASSWORD) == user
    set_password(user, "another long passphrase")
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert authenticate("bo@staff.example", "another long passphrase") == user


def test_production_refuses_the_test_only_cost(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x9" * 24)
    monkeypatch.setattr(ProductionConfig, "PASSWORD_HASH_PROFILE", "CHEAPEST")
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_PROFILE"):
        create_app(ProductionConfig)


def test_an_unknown_profile_stops_startup_named(monkeypatch):
    monkeypatch.setattr(Config, "PASSWORD_HASH_PROFILE", "FAST")
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_PROFILE must be one of"):
        create_app(Config)
