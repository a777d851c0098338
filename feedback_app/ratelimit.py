"""Rate limits (429) on sign-in, survey pages, one-click unsubscribes and the API, keyed on the
real client address.

The rules match by path, so they cover the views other areas add without touching them.
Counters live in the storage ``RATELIMIT_STORAGE_URI`` names (``memory://`` for one process,
kept by ``feedback_app.local_counters``; ``redis://...`` so every worker shares them). The client address is ``request.remote_addr``,
which ``ProxyFix`` (``PROXY_FIX_X_FOR``) sets from the trusted proxy's ``X-Forwarded-For``.
If the shared storage (Redis) is unreachable, counting goes on in this process's own counters
(``fallback``) and the failure is logged: limits and sign-in locks still hold, per worker, as
with ``memory://``, and the survey stays online. Redis is tried again ``RETRY_SECONDS`` later.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from flask import Flask, current_app, g, request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from feedback_app.local_counters import LocalCounters

log = logging.getLogger(__name__)

EXTENSION_KEY = "afterword_ratelimit"
#: After the shared storage failed, this process counts in its own memory for this long before
#: trying it again, so an unreachable Redis costs one failed connection per period, not one per request.
RETRY_SECONDS = 30.0
#: Connect and read timeouts (seconds) for a Redis storage whose URI does not set its own, so a
#: Redis that does not answer at all (a dropped packet, not a refused connection) fails fast.
REDIS_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Rule:
    """One limit: a name, the config key holding its rate, and which requests it counts
    (``matches(method, path)``)."""

    name: str
    config_key: str
    matches: Callable[[str, str], bool]


def _is_login_attempt(method: str, path: str) -> bool:
    return method == "POST" and path.rstrip("/") == "/auth/login"


def _is_one_click_unsubscribe(method: str, path: str) -> bool:
    """RFC 8058 POSTs to ``/s/<token>/unsubscribe``: a mailbox provider sends them for many
    people from a few addresses, so they get their own, much higher limit."""
    parts = path.rstrip("/").split("/")
    return method == "POST" and len(parts) == 4 and parts[1] == "s" and parts[3] == "unsubscribe"


def _is_survey_page(method: str, path: str) -> bool:
    return path.startswith("/s/") and not _is_one_click_unsubscribe(method, path)


def _is_api(_method: str, path: str) -> bool:
    return path.startswith("/api/")


RULES: tuple[Rule, ...] = (
    Rule("login", "RATELIMIT_LOGIN", _is_login_attempt),
    Rule("survey", "RATELIMIT_SURVEY", _is_survey_page),
    Rule("unsubscribe", "RATELIMIT_UNSUBSCRIBE", _is_one_click_unsubscribe),
    Rule("api", "RATELIMIT_API", _is_api),
)


class RateLimiter:
    """The storage and strategy for one app; also used by the sign-in throttle for its counters.

    ``storage`` is what ``RATELIMIT_STORAGE_URI`` names; ``fallback`` is this process's own
    counters, used while ``storage`` is unreachable (the same object when the URI is ``memory://``).
    """

    def __init__(self, app: Flask) -> None:
        self.enabled: bool = app.config.get("RATELIMIT_ENABLED", True)
        uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        self.fallback: Storage = LocalCounters()
        if uri == "memory://":
            self.storage: Storage = self.fallback
        else:
            options = ({"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS}
                       if uri.startswith(("redis://", "rediss://")) else {})
            # wrap_exceptions: every failure of the storage's client arrives as limits' StorageError.
            self.storage = storage_from_string(uri, wrap_exceptions=True, **options)
        self.strategy = FixedWindowRateLimiter(self.storage)
        self._fallback_strategy = FixedWindowRateLimiter(self.fallback)
        self._shared_down_until = 0.0

    def counters(self) -> Storage:
        """The storage to count in now: the configured one, or the fallback while it is down."""
        if self.storage is not self.fallback and time.monotonic() < self._shared_down_until:
            return self.fallback
        return self.storage

    def storage_failed(self, what: str) -> Storage:
        """Note that the configured storage failed; returns the fallback to count in instead."""
        if self.storage is self.fallback:
            raise RuntimeError("the in-process counters cannot be unreachable")
        self._shared_down_until = time.monotonic() + RETRY_SECONDS
        log.error("rate limit storage unreachable; %s counted in this process only for the next %d s",
                  what, RETRY_SECONDS)
        return self.fallback

    def check(self, rule: Rule, client: str, rate: str) -> float | None:
        """Count one request against ``rate`` (``"30/minute"``); the seconds to wait when over it, else None."""
        storage = self.counters()
        try:
            return self._check(storage, rule, client, rate)
        except StorageError:
            if storage is self.fallback:
                raise
            return self._check(self.storage_failed(f"{rule.name} requests"), rule, client, rate)

    def _check(self, storage: Storage, rule: Rule, client: str, rate: str) -> float | None:
        strategy = self.strategy if storage is self.storage else self._fallback_strategy
        item = _parsed_limit(rate)
        if strategy.hit(item, rule.name, client):
            return None
        reset_at, _remaining = strategy.get_window_stats(item, rule.name, client)
        return max(1.0, reset_at - time.time())


@lru_cache(maxsize=32)
def _parsed_limit(text: str) -> RateLimitItem:
    """The rate written in config (``"30/minute"``), parsed once instead of on every request."""
    return parse(text)


def client_address() -> str:
    """The client address rate limits key on (the real one, once ProxyFix has run)."""
    return request.remote_addr or "unknown"


def limiter(app: Flask | None = None) -> RateLimiter:
    """The app's limiter (the current app's unless one is given)."""
    return (app or current_app).extensions[EXTENSION_KEY]


def _enforce_rate_limits() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  (one proxy lookup, not one per use)
    active = limiter(app)
    if not active.enabled:
        return
    incoming = request._get_current_object()  # type: ignore[attr-defined]
    method, path = incoming.method, incoming.path
    for rule in RULES:
        if not rule.matches(method, path):
            continue
        wait = active.check(rule, client_address(), app.config[rule.config_key])
        if wait is not None:
            g.retry_after = math.ceil(wait)
            raise TooManyRequests(
                f"Too many requests from your address. Please wait {g.retry_after} seconds and try again.",
                retry_after=g.retry_after,
            )


def _add_retry_after(response):
    """The error page handler drops exception headers; put Retry-After back on 429s."""
    if response.status_code != 429:
        return response
    retry_after = g.get("retry_after")
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_rate_limits(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = RateLimiter(app)
    # First of all before-request hooks, so a flood is refused before CSRF checks or database work.
    app.before_request_funcs.setdefault(None, []).insert(0, _enforce_rate_limits)
    app.after_request(_add_retry_after)
