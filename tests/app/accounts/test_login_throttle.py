"""Sign-in throttling and session lifetime: what a staff member (or an attacker) would notice."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, StaffUser
from feedback_app.ratelimit import COUNTERS_KEY, LoginCounters
from tests.helpers import csrf_token


def _attempt(client, email: str, password: str, address: str = "192.0.2.10"):
    page = client.get("/auth/login", environ_base={"REMOTE_ADDR": address})
    return client.post(
        "/auth/login",
        environ_base={"REMOTE_ADDR": address},
        data={"email": email, "password": password, "csrf_token": csrf_token(page)},
    )


def test_account_locks_after_repeated_failures_even_for_the_right_password(app, client, make, db):
    app.config.update(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_BASE_SECONDS=60)
    user, password = make.staff_user()
    codes = [_attempt(client, user.email, "wrong password here").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    locked = _attempt(client, user.email, password)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302  # not signed in
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).failed_logins == 3


def test_unknown_email_and_real_account_lock_the_same_way(app, client, make):
    app.config.update(LOGIN_MAX_FAILURES=2)
    user, _ = make.staff_user()
    real = [_attempt(client, user.email, "wrong password here", "192.0.2.1") for _ in range(3)]
    ghost = [_attempt(client, "nobody@staff.example", "wrong password here", "192.0.2.2") for _ in range(3)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost] == [401, 429, 429]
    assert real[-1].get_data(as_text=True).count("Too many failed sign-ins") == 1
    assert ghost[-1].get_data(as_text=True).count("Too many failed sign-ins") == 1


def test_unknown_email_and_wrong_password_take_similar_time(client, make):
    user, _ = make.staff_user()

    def timed(email: str, n: int) -> float:
        start = time.perf_counter()
        _attempt(client, email, "wrong password here", address=f"198.51.100.{n}")
        return time.perf_counter() - start

    known, unknown = [], []
    for n in range(4):  # interleaved, so load on the machine hits both alike
        known.append(timed(user.email, n))
        unknown.append(timed(f"ghost{n}@staff.example", 100 + n))
    ratio = sorted(known)[1] / sorted(unknown)[1]
    assert 0.5 < ratio < 2.0, (known, unknown)


def test_lock_grows_with_each_further_failure(app, client, make):
    from feedback_app.services.accounts.login_throttle import lock_delay

    app.config.update(LOGIN_LOCK_BASE_SECONDS=30, LOGIN_LOCK_MAX_SECONDS=3600)
    assert [lock_delay(n, 5) for n in (4, 5, 6, 7, 20)] == [0, 30, 60, 120, 3600]


def test_one_address_trying_many_accounts_is_locked(app, client, make):
    app.config.update(LOGIN_MAX_FAILURES_PER_ADDRESS=3, LOGIN_MAX_FAILURES=100)
    user, password = make.staff_user()
    for i in range(3):
        _attempt(client, f"guess{i}@staff.example", "wrong password here", "203.0.113.5")
    assert _attempt(client, user.email, password, "203.0.113.5").status_code == 429
    assert _attempt(client, user.email, password, "203.0.113.6").status_code == 302  # someone else gets in


def test_success_clears_the_count(app, client, make):
    app.config.update(LOGIN_MAX_FAILURES=3)
    user, password = make.staff_user()
    for _ in range(2):
        _attempt(client, user.email, "wrong password here")
    assert _attempt(client, user.email, password).status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/dashboard/"))})
    assert [_attempt(client, user.email, "wrong password here").status_code for _ in range(2)] == [401, 401]


def test_sign_in_is_audited(client, login, db):
    user = login("product")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert event is not None and event.actor_user_id == user.id


def test_login_gives_a_new_session_cookie(client, make):
    user, password = make.staff_user()
    page = client.get("/auth/login")
    before = client.get_cookie("session").value
    client.post(
        "/auth/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(page)}
    )
    assert client.get_cookie("session").value != before


def test_idle_session_ends(app, client, login):
    login("cx")
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_absolute_session_limit_ends_an_active_session(app, client, login):
    login("cx")
    with client.session_transaction() as session:
        session["auth_at"] -= app.config["SESSION_ABSOLUTE_HOURS"] * 3600 + 5
    assert client.get("/dashboard/").status_code == 302


def test_active_session_within_limits_continues(app, client, login):
    login("cx")
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["SESSION_IDLE_MINUTES"] * 60 - 60
    assert client.get("/dashboard/").status_code == 200


def test_old_cookie_is_useless_after_logout(client, login):
    login("cx")
    cookie = client.get_cookie("session").value
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/dashboard/"))})
    client.set_cookie("session", cookie)
    assert client.get("/dashboard/").status_code == 302


def _own_redis_db() -> str:
    """`make test` runs the SQLite and PostgreSQL passes at once: each gets its own Redis database,
    so one pass's flush never wipes the other's counters."""
    from config import TestingConfig

    return "12" if TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql") else "13"


REDIS_URL = f"redis://127.0.0.1:6379/{_own_redis_db()}"


def test_workers_sharing_redis_share_limits_and_locks(tmp_path):
    """Two app instances (two gunicorn workers) on one Redis count together."""
    import redis

    from config import TestingConfig
    from feedback_app import create_app
    from feedback_app.extensions import db as _db

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.db'}",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_SURVEY": "3/minute",
        "LOGIN_MAX_FAILURES": 2,
    }
    one, two = create_app(TestingConfig, overrides=settings), create_app(TestingConfig, overrides=settings)
    with one.app_context():
        _db.create_all()
    try:
        codes = [app.test_client().get("/s/some-token").status_code for app in (one, two, one, two)]
        assert 429 not in codes[:3] and codes[3] == 429
        for app in (one, two):
            client = app.test_client()
            _attempt(client, "ana@staff.example", "wrong password here", "192.0.2.77")
        assert (
            _attempt(two.test_client(), "ana@staff.example", "wrong password here", "192.0.2.78").status_code
            == 429
        )
        assert any(b"afterword/login/account/lock/" in key for key in store.keys("*"))
    finally:
        store.flushdb()
        store.close()
        with one.app_context():
            _db.engine.dispose()


UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # a closed port: nothing listens


@pytest.fixture
def redis_down(app):
    """The app counting in a Redis that cannot be reached (as when it is down or firewalled)."""
    app.extensions[COUNTERS_KEY] = LoginCounters(UNREACHABLE_REDIS)
    return app


def test_pages_answer_and_limits_hold_when_the_counter_storage_is_down(tmp_path):
    """Flask-Limiter counts in this process while Redis is unreachable: the survey stays online, limited."""
    from config import TestingConfig
    from feedback_app import create_app
    from feedback_app.extensions import db as _db

    down = create_app(
        TestingConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'down.db'}",
            "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS,
            "RATELIMIT_SURVEY": "3/minute",
        },
    )
    with down.app_context():
        _db.create_all()
    client = down.test_client()
    codes = [client.get("/s/some-token").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    with down.app_context():
        _db.engine.dispose()


def test_sign_in_still_works_when_the_counter_storage_is_down(redis_down, client, make, caplog):
    user, password = make.staff_user("cx")
    assert _attempt(client, user.email, "wrong password here").status_code == 401
    assert _attempt(client, user.email, password).status_code == 302
    assert "rate limit storage unreachable" in caplog.text and "counted in this process only" in caplog.text


def test_guessing_a_password_is_still_locked_when_the_counter_storage_is_down(redis_down, client, make, db):
    """Issue 16: with Redis unreachable, 40 wrong passwords gave 40 401s. Now this process counts."""
    user, password = make.staff_user("cx")
    codes = [
        _attempt(client, user.email, f"wrong password {n}", f"198.51.100.{n}").status_code for n in range(40)
    ]
    max_failures = redis_down.config["LOGIN_MAX_FAILURES"]
    assert codes[: max_failures - 1] == [401] * (max_failures - 1)  # the failure that reaches the limit locks
    assert set(codes[max_failures - 1 :]) == {429}
    assert (
        _attempt(client, user.email, password, "198.51.100.200").status_code == 429
    )  # locked, right password too
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).locked_until is not None


def test_one_address_is_still_rate_limited_when_the_counter_storage_is_down(redis_down, client, make):
    codes = [
        _attempt(client, f"guess{n}@staff.example", "wrong password here", "203.0.113.9").status_code
        for n in range(40)
    ]
    assert 401 in codes and codes[-1] == 429
    assert codes.count(401) <= redis_down.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
