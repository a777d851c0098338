"""Fixtures for the real-browser tests: one Debian Chromium for the whole session
(``make browser-deps`` installs it)."""

from __future__ import annotations

import pytest

from tests.app.web.browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (each test opens its own context: no shared cookies)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: run `make browser-deps` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
