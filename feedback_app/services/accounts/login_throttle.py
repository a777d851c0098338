"""Sign-in throttling: after repeated failures, an account or a client address is locked for a
delay that doubles with each further failure.

Unknown emails are counted and locked exactly like real accounts, so neither the answer nor its
timing tells an attacker which emails have accounts. Counters live in the rate-limit storage
(``RATELIMIT_STORAGE_URI``: shared between workers when it is Redis), or in this process's own
counters while that storage is unreachable (``ratelimit.LoginCounters``), so an outage
never turns throttling off; emails and addresses are stored only as SHA-256 keys. A known
account's ``failed_logins`` and ``locked_until`` mirror the count for admins (``flask users list``).
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Concatenate, ParamSpec, TypeVar

from flask import current_app
from limits.errors import StorageError
from limits.storage import Storage
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import StaffUser, utcnow
from feedback_app.ratelimit import login_counters
from feedback_app.services.accounts.users import normalise_email

_PREFIX = "afterword/login"
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _counted(func: Callable[Concatenate[Storage, _P], _T]) -> Callable[_P, _T]:
    """Run ``func(storage, ...)`` on the shared counters, or on this process's own while they are
    unreachable: throttling fails over to per-worker counting, never to no throttling at all."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        counters = login_counters()
        storage = counters.current()
        try:
            return func(storage, *args, **kwargs)
        except StorageError:
            if storage is counters.own:
                raise
            return func(counters.shared_failed(), *args, **kwargs)

    return wrapped


def _with_own(storage: Storage) -> tuple[Storage, ...]:
    """``storage`` and this process's own counters (once, when they are the same)."""
    own = login_counters().own
    return (storage,) if storage is own else (storage, own)


def _key(kind: str, what: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"{_PREFIX}/{kind}/{what}/{digest}"


def _subjects(email: str, address: str) -> tuple[tuple[str, str, int], ...]:
    config = current_app.config
    return (
        ("account", normalise_email(email), config["LOGIN_MAX_FAILURES"]),
        ("address", address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    )


def lock_delay(failures: int, max_failures: int) -> int:
    """Seconds locked after ``failures`` failures: none below the limit, then base, 2x base, 4x ..."""
    if failures < max_failures:
        return 0
    config = current_app.config
    base, ceiling = config["LOGIN_LOCK_BASE_SECONDS"], config["LOGIN_LOCK_MAX_SECONDS"]
    return int(min(ceiling, base * 2 ** min(failures - max_failures, 30)))


@_counted
def seconds_locked(storage: Storage, email: str, address: str) -> int:
    """How long sign-in stays refused for this email or this address (0 when it is allowed).

    Locks set in this process's own counters during an outage of the shared ones still count
    once the shared counters are back.
    """
    remaining = 0.0
    for kind, value, _max in _subjects(email, address):
        key = _key(kind, "lock", value)
        for counters in _with_own(storage):
            if counters.get(key) > 0:
                remaining = max(remaining, counters.get_expiry(key) - time.time())
    return math.ceil(remaining) if remaining > 0 else 0


@_counted
def record_failure(storage: Storage, email: str, address: str) -> int:
    """Count a failed sign-in for the email and the address; the lock (seconds) it starts, if any."""
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    longest = 0
    account_failures = 0
    for kind, value, max_failures in _subjects(email, address):
        failures = storage.incr(_key(kind, "failures", value), window)
        if kind == "account":
            account_failures = failures
        delay = lock_delay(failures, max_failures)
        if delay:
            lock = _key(kind, "lock", value)
            storage.clear(lock)
            storage.incr(lock, delay)
            longest = max(longest, delay)
    _mirror_on_account(email, account_failures, longest)
    return longest


@_counted
def record_success(storage: Storage, email: str) -> None:
    """A successful sign-in clears the account's count (the address keeps its own)."""
    value = normalise_email(email)
    for counters in _with_own(storage):
        counters.clear(_key("account", "failures", value))
        counters.clear(_key("account", "lock", value))
    _mirror_on_account(email, 0, 0)


def _mirror_on_account(email: str, failures: int, locked_seconds: int) -> None:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if user is None:
        return
    user.failed_logins = failures
    user.locked_until = utcnow() + timedelta(seconds=locked_seconds) if locked_seconds else None
    db.session.commit()
