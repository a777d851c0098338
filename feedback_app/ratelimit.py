"""Rate limits (429) on sign-in, survey pages, one-click unsubscribes and the API, with Flask-Limiter,
keyed on the real client address.

Each limit is an application-wide Flask-Limiter limit with its own scope, exempt outside its
paths, so it covers the views other areas add (and unknown paths under them) and is checked
before any other request hook. Counters live in the storage ``RATELIMIT_STORAGE_URI`` names
(``memory://`` for one process; ``redis://...`` so every worker shares them). While Redis is
unreachable, Flask-Limiter counts in this process's memory and tries Redis again later. The
client address is ``request.remote_addr``, which ``ProxyFix`` (``PROXY_FIX_X_FOR``) sets from the
trusted proxy's ``X-Forwarded-For``. The sign-in throttle counts in the same storage
(``LoginCounters``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, make_response, request
from flask_babel import ngettext
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage, Storage, storage_from_string

log = logging.getLogger(__name__)

LIMITER_KEY = "afterword.limiter"
COUNTERS_KEY = "afterword.login_counters"
#: After the shared storage failed, sign-in counting stays in this process for this long before
#: trying it again, so an unreachable Redis costs one failed connection per period, not one per attempt.
RETRY_SECONDS = 30.0
#: Connect and read timeouts (seconds) for Redis, so a Redis that does not answer at all fails fast.
REDIS_TIMEOUT_SECONDS = 2

#: The client address limits key on (the real one, once ProxyFix has run).
client_address = get_remote_address


@dataclass(frozen=True)
class Rule:
    """One limit: a name (its scope), the config key holding its rate, and which requests it counts."""

    name: str
    config_key: str
    matches: Callable[[str, str], bool]


def _is_login_attempt(method: str, path: str) -> bool:
    return method == "POST" and path.rstrip("/") == "/auth/login"


#: The one-click targets of our List-Unsubscribe headers: ``/s/<token>/unsubscribe`` (survey emails
#: sent before their opt-out link became the signed one) and ``/f|w/<token>/opt-out``.
ONE_CLICK_PATHS = {("s", "unsubscribe"), ("f", "opt-out"), ("w", "opt-out")}


def _is_one_click_unsubscribe(method: str, path: str) -> bool:
    """RFC 8058 one-click POSTs: a mailbox provider sends them for many people from a few
    addresses, so they get their own, much higher limit."""
    parts = path.rstrip("/").split("/")
    return method == "POST" and len(parts) == 4 and (parts[1], parts[3]) in ONE_CLICK_PATHS


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


def _application_limit(rule: Rule) -> ApplicationLimit:
    """The rule as a Flask-Limiter limit: its rate read from config per request, skipped off its paths."""
    return ApplicationLimit(
        limit_provider=lambda: current_app.config[rule.config_key],
        scope=rule.name,
        exempt_when=lambda: not rule.matches(request.method, request.path),
    )


def storage_options(uri: str) -> dict[str, Any]:
    """Options for the ``limits`` storage at ``uri``: failures as ``StorageError``, short Redis timeouts."""
    if uri.startswith(("redis://", "rediss://")):
        return {
            "wrap_exceptions": True,
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    return {}


class LoginCounters:
    """The sign-in throttle's counters: the rate-limit storage, and this process's memory while
    that storage is unreachable (``own``; the same object when the URI is ``memory://``)."""

    def __init__(self, uri: str) -> None:
        shared = storage_from_string(uri, **storage_options(uri))
        if not isinstance(shared, Storage):
            raise ValueError(f"{uri!r} names an asyncio storage; the sign-in throttle counts synchronously")
        self.shared: Storage = shared
        self.own: Storage = self.shared if isinstance(self.shared, MemoryStorage) else MemoryStorage()
        self._shared_down_until = 0.0

    def current(self) -> Storage:
        """The storage to count in now: the shared one, or this process's own while it is down."""
        return self.own if time.monotonic() < self._shared_down_until else self.shared

    def shared_failed(self) -> Storage:
        """Note that the shared storage failed; returns this process's own counters to use instead."""
        if self.shared is self.own:
            raise RuntimeError("the in-process counters cannot be unreachable")
        self._shared_down_until = time.monotonic() + RETRY_SECONDS
        log.error(
            "rate limit storage unreachable; sign-in failures counted in this process only for the next %d s",
            RETRY_SECONDS,
        )
        return self.own


def limiter(app: Flask | None = None) -> Limiter:
    """The app's Flask-Limiter (the current app's unless one is given)."""
    return (app or current_app).extensions[LIMITER_KEY]


def login_counters() -> LoginCounters:
    """The current app's sign-in counters."""
    return current_app.extensions[COUNTERS_KEY]


def _too_many_requests(error: RateLimitExceeded) -> Response:
    """The error page, saying how long to wait, with ``Retry-After``."""
    from feedback_app.blueprints.errors.handlers import handle_http_error

    breached = limiter().current_limit
    wait = max(1, math.ceil(breached.reset_at - time.time())) if breached is not None else 60
    # in the page's language: a former customer on a survey link reads it too
    error.description = ngettext(
        "Too many requests from your address. Please wait %(num)s second and try again.",
        "Too many requests from your address. Please wait %(num)s seconds and try again.",
        wait,
    )
    response = make_response(handle_http_error(error))
    response.headers["Retry-After"] = str(wait)
    return response


def init_rate_limits(app: Flask) -> None:
    """Attach the limits; call before other request hooks, so a flood is refused before any other work."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    app.config["RATELIMIT_STORAGE_URI"] = uri
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", storage_options(uri))
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Requests no route matched count too (a flood of guessed API paths): Flask-Limiter skips a
    # request whose identifier is empty, and by default that is the endpoint.
    active = Limiter(
        client_address,
        application_limits=[_application_limit(rule) for rule in RULES],
        request_identifier=lambda: request.endpoint or "unrouted",
    )
    active.init_app(app)
    app.extensions[LIMITER_KEY] = active
    app.extensions[COUNTERS_KEY] = LoginCounters(uri)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
