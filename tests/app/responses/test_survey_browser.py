"""The survey page in a real Chromium at phone size: skip logic, the counter, errors, one response.

Skipped when no Chromium is available (Playwright's own, or one on PATH).
"""

from __future__ import annotations

import shutil
import threading

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from feedback_app.models import Response
from tests.app.survey_helpers import shipped_survey

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch()
        except Exception:
            executable = shutil.which("chromium") or shutil.which("chromium-browser")
            if executable is None:
                pytest.skip("no Chromium available")
            instance = playwright.chromium.launch(executable_path=executable)
        yield instance
        instance.close()


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


def test_phone_sized_survey_with_skip_logic_counter_errors_and_one_response(browser, server, make, db, app):
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Ines Novak"), survey=survey)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.goto(f"{server}/s/{token}")

    assert page.get_by_text("Hi Ines,").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    competitor = page.get_by_label("Which product did you move to?")
    assert not competitor.is_visible()  # hidden until the reason suggests a switch
    page.get_by_label("We switched to another product").check()
    assert competitor.is_visible()
    page.get_by_label("It was hard to use").check()
    assert not competitor.is_visible()

    story = page.get_by_label("What happened? Tell us in your own words.")
    story.fill(
        "Exports broke twice 🙁"
    )  # the emoji is one character (two UTF-16 units), as the server counts
    assert page.locator("#q_what_happened-counter").inner_text() == "21 of 5,000 characters"

    page.get_by_role("button", name="Send my answers").click()  # contact_ok is required and unanswered
    summary = page.get_by_role("alert")
    assert "May we contact you about your answers? — Please choose an answer." in summary.inner_text()
    # focus moves to the summary so screen readers announce it (times out, failing, if it never does)
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'", timeout=5000
    )
    assert story.input_value() == "Exports broke twice 🙁"
    assert page.get_by_label("It was hard to use").is_checked()

    page.locator("#q_contact_ok-0").check()
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you, Ines").is_visible()
    assert problems == []  # no CSP violations or script errors (a 404 favicon and the 422 are not)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(Response)).answers["what_happened"] == "Exports broke twice 🙁"
