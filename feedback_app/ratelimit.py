"""Rate limits (429) on sign-in, survey pages, one-click unsubscribes and the API, keyed on the
real client address.

The rules match by path, so they cover the views other areas add without touching them.
Counters live in the storage ``RATELIMIT_STORAGE_URI`` names (``memory://`` for one process,
kept by ``feedback_app.local_counters``; ``redis://...`` so every worker shares them). The client address is ``request.remote_addr``,
which ``ProxyFix`` (``PROXY_FIX_X_FOR``) sets from the trusted proxy's ``X-Forwarded-For``.
If the storage is down the request goes through and the failure is logged: a limiter outage
must not take the survey offline.
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
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from feedback_app.local_counters import LocalCounters

log = logging.getLogger(__name__)

EXTENSION_KEY = "afterword_ratelimit"


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
    """The storage and strategy for one app; also used by the sign-in throttle for its counters."""

    def __init__(self, app: Flask) -> None:
        self.enabled: bool = app.config.get("RATELIMIT_ENABLED", True)
        uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        self.storage: Storage = LocalCounters() if uri == "memory://" else storage_from_string(uri)
        self.strategy = FixedWindowRateLimiter(self.storage)

    def check(self, rule: Rule, client: str, rate: str) -> float | None:
        """Count one request against ``rate`` (``"30/minute"``); the seconds to wait when over it, else None."""
        item = _parsed_limit(rate)
        if self.strategy.hit(item, rule.name, client):
            return None
        reset_at, _remaining = self.strategy.get_window_stats(item, rule.name, client)
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
        try:
            wait = active.check(rule, client_address(), app.config[rule.config_key])
        except Exception:  # storage unreachable: serve the request, say so in the log
            log.exception("rate limit storage failed; %s request allowed", rule.name)
            return
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
