"""Browser protections for every response, wired into the app by ``init_security``.

- the real client address behind trusted proxies (``ProxyFix``), so rate limits and logs see it;
- bodies over ``MAX_CONTENT_LENGTH`` refused with 413, chunked ones too (``chunked_bodies``);
- security headers on every response: a Content-Security-Policy that allows no inline script
  (templates load JS from ``static/js/`` files or, rarely, use ``nonce="{{ csp_nonce() }}"``),
  ``nosniff``; pages whose URL holds a token (survey, set-password, win-back and opt-out links) send no Referer,
  are never cached and ask search engines not to index them;
  HSTS only when the request came over HTTPS;
- the session cookie marked Secure whenever the request is HTTPS (HttpOnly and SameSite=Lax
  come from config);
- idle and absolute timeouts for staff sessions;
- masked logs (``feedback_app.logsafety``) and an audit
  event when staff open pages that reveal personal data (``feedback_app.audit_reveals``);
- control characters removed from every query parameter and form field as it is parsed
  (``services/validation/text_input.py``), so no view can pass a NUL on to the database.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, flash, g, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_login import logout_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from feedback_app.audit_reveals import init_reveal_audit
from feedback_app.chunked_bodies import init_body_limits
from feedback_app.logsafety import install_log_masking
from feedback_app.services.validation.text_input import clean_text

#: Paths whose URLs carry a secret token (survey, set-password, win-back and "we fixed it" links):
#: never leak them through the Referer header, a cache or a search engine.
TOKEN_PATH_PREFIXES = ("/s/", "/auth/set-password/", "/w/", "/f/")
HSTS_SECONDS = 63072000  # two years
#: How often (seconds) the idle timer is refreshed in the cookie; avoids rewriting it on every request.
IDLE_REFRESH_SECONDS = 30

_AUTH_AT = "auth_at"
_SEEN_AT = "seen_at"


def csp_nonce() -> str:
    """A per-response nonce for the rare script tag that cannot be a file.

    The policy names a nonce only on responses whose template asked for one: a page without
    inline script gets ``script-src 'self'`` (stricter, and no random bytes drawn per request).
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


#: A host (and port) that can stand in the policy as the logo's origin: nothing that could end the
#: directive (``;``), add a source (a space), or widen it (``*``).
ORIGIN_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")


def logo_origin(logo_url: str | None) -> str:
    """The brand logo's ``https://host`` for the policy's ``img-src``, or "" (a path on this site,
    or an address that is not a plain https origin)."""
    try:
        logo = urlsplit(logo_url or "")
    except ValueError:  # an unclosed IPv6 bracket
        return ""
    if logo.scheme != "https" or not ORIGIN_HOST.fullmatch(logo.netloc):
        return ""
    return f"https://{logo.netloc}"


def content_security_policy(nonce: str | None, logo_url: str | None = None) -> str:
    """No inline script, no plugins, no framing, no <base> tricks; everything from this origin
    (images also from the configured brand logo's origin, when it lives elsewhere)."""
    origin = logo_origin(logo_url)
    logo_origin_source = f" {origin}" if origin else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'" if nonce else "script-src 'self'",
            # Charts (plotly) set style attributes from script; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data:{logo_origin_source}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


#: Every response: no sniffing, no framing, no powerful browser features.
_FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def _set_security_headers(response: BaseResponse) -> BaseResponse:
    """Add the security headers; a view's own ``Cache-Control`` and ``X-Robots-Tag`` are kept."""
    headers = response.headers
    headers.update(_FIXED_HEADERS)
    headers["Content-Security-Policy"] = content_security_policy(
        g.get("csp_nonce"), current_app.config.get("BRAND_LOGO_URL")
    )
    path = request.path
    if path.startswith(TOKEN_PATH_PREFIXES):  # the URL is a secret: not sent on, cached or indexed
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("Cache-Control", "no-store")
        headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    else:
        headers["Referrer-Policy"] = "same-origin"
        if path.startswith(("/dashboard", "/auth")):  # personal data stays out of caches
            headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}; includeSubDomains"
    return response


#: Paths that never use the session: the public survey pages (their token is the capability and
#: their forms carry a signed field instead of a session CSRF token; see services/responses/signatures.py).
SESSIONLESS_PATH_PREFIXES = ("/s/",)


class _UnusedSession(SecureCookieSession):
    """The session of a sessionless path: empty, never read from the cookie, never saved."""


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, marked Secure on HTTPS requests even if config does not say so.

    Survey pages get an empty throwaway session instead: the cookie is neither verified nor
    written (no Set-Cookie, no ``Vary: Cookie``), which saves work on the busiest pages and keeps a
    respondent's browser free of our cookies. A staff member's cookie is left as it was.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = bool(app.config.get("SESSION_COOKIE_SECURE"))
        return configured or (has_request_context() and request.is_secure)

    def open_session(self, app: Flask, incoming: Request) -> SecureCookieSession | None:
        if incoming.path.startswith(SESSIONLESS_PATH_PREFIXES):
            return _UnusedSession()
        return super().open_session(app, incoming)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, _UnusedSession):
            return
        super().save_session(app, session, response)


def start_staff_session() -> None:
    """Call right after ``login_user``: starts the absolute and idle clocks."""
    now = time.time()
    session[_AUTH_AT] = now
    session[_SEEN_AT] = now


def _enforce_session_timeouts() -> None:
    """End a staff session idle too long or older than the absolute limit."""
    if "_user_id" not in session:
        return
    from flask import current_app

    now = time.time()
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute_limit = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    started = session.get(_AUTH_AT)
    seen = session.get(_SEEN_AT, started)
    if started is None or now - started > absolute_limit or now - seen > idle_limit:
        logout_user()
        session.clear()
        flash("Your session has ended. Please sign in again.", "info")
        return
    if now - seen > IDLE_REFRESH_SECONDS:
        session[_SEEN_AT] = now


def _cleaned(value: Any) -> Any:
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query parameters and form fields with control characters removed (the multi-line rule;
    one-line form fields apply the stricter one themselves). Uploaded files pass untouched."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        pairs = (
            mapping.items(multi=True)
            if hasattr(mapping, "getlist")
            else (mapping.items() if isinstance(mapping, dict) else mapping)
        )
        super().__init__([(_cleaned(key), _cleaned(value)) for key, value in pairs])


class CleanInputRequest(Request):
    """The app's request: parameters parsed into :class:`CleanParameters`."""

    parameter_storage_class = CleanParameters


def init_security(app: Flask) -> None:
    """Install the proxy fix, the chunked-body limit, headers, cookie rules, session timeouts and log
    masking (rate limits are attached first of all, in ``create_app``)."""
    x_for = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    x_proto = int(app.config.get("PROXY_FIX_X_PROTO") or 0)
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]
    init_body_limits(app)
    app.session_interface = HttpsAwareSessionInterface()
    app.request_class = CleanInputRequest
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(_enforce_session_timeouts)
    app.after_request(_set_security_headers)
    init_reveal_audit(app)
    install_log_masking()
