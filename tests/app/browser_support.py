"""What the real-browser tests share: where Chromium is, the app on a real HTTP server, signing in.
The one Chromium for the session is the ``browser`` fixture in conftest.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from config import TestingConfig
from feedback_app import create_app
from feedback_app.extensions import db as _db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def browser_app(tmp: Path, **overrides: object) -> Flask:
    """The app on its own SQLite file in ``tmp``, for a module's worth of browser tests, with the
    production security headers (CSP included), so a page that needs inline script breaks there.
    ``overrides`` are further settings (a test's own catalogue directory, say)."""
    app = create_app(
        TestingConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'browser.db'}",
            "MAIL_OUTBOX_DIR": str(tmp / "mail"),
            "NLP_CACHE_DIR": str(tmp / "nlp-cache"),
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            # each browser test signs in once, all from 127.0.0.1 within a minute or two; the
            # sign-in limit itself is tested in test_security_headers.py
            "RATELIMIT_LOGIN": "100/minute",
            **overrides,
        },
    )
    with app.app_context():
        _db.create_all()
    return app


class LiveServer:
    """An app on a real HTTP server in a background thread: ``browser_app`` for the dashboard's
    tests, the test's own ``app`` fixture for the survey page's."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        #: each user's session cookies once they have signed in through the form (``sign_in_once``)
        self.sessions: dict[str, list] = {}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        with self.app.app_context():
            _db.engine.dispose()


#: True once every chart a page declares (a ``data-chart-for`` data block) has Plotly's drawing in its
#: box. charts.js draws on DOMContentLoaded, so after ``load`` this holds at once on a working page.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('script[data-chart-for]'))
    .every(block => document.getElementById(block.dataset.chartFor)?.querySelector('.main-svg'))"""


def wait_for_charts(page) -> None:
    """Waits for the page's charts to be drawn: what a test reads next, instead of "networkidle",
    which idles 500 ms on every page for requests these pages never make."""
    page.wait_for_function(CHARTS_DRAWN)


def sign_in(page, live: LiveServer, email: str, password: str) -> None:
    page.goto(f"{live.url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live.url}/dashboard/")


def sign_in_once(page, live: LiveServer, email: str, password: str, form: Callable = sign_in) -> None:
    """Signs the page's fresh context in as ``email``: through the sign-in form (``form``) the first
    time on this server, and after that with the cookies that sign-in set, as a browser that stays
    signed in would. Each form sign-in loads the sign-in page and the overview with its charts, a
    second of CPU each time; the form itself is tested in accounts/test_auth.py and test_browser.py.
    The test goes to its own page next (the page is on the overview after the form, blank after the
    cookies)."""
    cookies = live.sessions.get(email)
    if cookies is None:
        form(page, live, email, password)
        live.sessions[email] = page.context.cookies(live.url)
    else:
        page.context.add_cookies(cookies)
