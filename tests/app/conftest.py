"""Fixtures for every real-browser test under tests/app (the dashboard's in web/, the survey page's
in responses/): one Debian Chromium for the whole session (``make browser-deps`` installs it).

Playwright's sync API allows one instance at a time in a thread, so no test module starts its own."""

from __future__ import annotations

import pytest

from tests.app.browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (each test opens its own context: no shared cookies)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Opens a page in a fresh browser context (no cookies); every context is closed after the
    test, passed or failed (a failing sign-in included), so a failure leaves nothing open in the
    session's one Chromium."""
    contexts = []

    def _open(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
