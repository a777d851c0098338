"""The survey page in a real Chromium at phone size: skip logic, the counter, errors, one response.

The Chromium is the session's one ``browser`` (tests/app/conftest.py), shared with the dashboard's
browser tests; ``open_page`` (there too) closes each test's contexts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from feedback_app.models import Response
from tests.app.browser_support import SCREENSHOTS, LiveServer
from tests.app.survey_helpers import shipped_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def server(app):
    """The test's own app (the one ``make`` and ``db`` write to) on a real HTTP server."""
    live = LiveServer(app)
    yield live.url
    live.stop()


def test_phone_sized_survey_with_skip_logic_counter_errors_and_one_response(open_page, server, make, db):
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Ines Novak"), survey=survey)
    page = open_page(viewport={"width": 360, "height": 740})
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
    # the skip logic runs on each change: wait for it rather than read the page once
    expect(competitor).to_be_hidden()  # hidden until the reason suggests a switch
    page.get_by_label("We switched to another product").check()
    expect(competitor).to_be_visible()
    page.get_by_label("It was hard to use").check()
    expect(competitor).to_be_hidden()

    story = page.get_by_label("What happened? Tell us in your own words.")
    story.fill(
        "Exports broke twice 🙁"
    )  # the emoji is one character (two UTF-16 units), as the server counts
    expect(page.locator("#q_what_happened-counter")).to_have_text("21 of 5,000 characters")

    page.get_by_role("button", name="Send my answers").click()  # contact_ok is required and unanswered
    summary = page.get_by_role("alert")  # on the page the server sends back (a 422): wait for it
    expect(summary).to_contain_text("May we contact you about your answers? — Please choose an answer.")
    # focus moves to the summary so screen readers announce it (times out, failing, if it never does);
    # not wait_for_function with a bare expression: it polls with eval, which the page's CSP refuses,
    # so it failed whenever focus had not moved at its first check (a loaded machine)
    expect(page.locator("#error-summary")).to_be_focused(timeout=5000)
    expect(story).to_have_value("Exports broke twice 🙁")
    expect(page.get_by_label("It was hard to use")).to_be_checked()

    contact = page.locator("#q_contact_ok-0")
    expect(page.locator("#q_contact_ok-error")).to_be_visible()
    expect(contact).to_have_attribute("aria-invalid", "true")
    contact.check()
    # answered: the field's own error and aria-invalid go before the next submit
    expect(page.locator("#q_contact_ok-error")).to_have_count(0)
    expect(page.locator("[aria-invalid]")).to_have_count(0)
    assert "q_contact_ok-error" not in (contact.get_attribute("aria-describedby") or "")
    page.get_by_role("button", name="Send my answers").click()
    # the answers are posted and the thanks page loads: wait for it, not just for the click
    expect(page.get_by_role("heading", name="Thank you, Ines")).to_be_visible()
    assert problems == []  # no CSP violations or script errors (a 404 favicon and the 422 are not)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(Response)).answers["what_happened"] == "Exports broke twice 🙁"


def _scale_rows(page) -> list[float]:
    """The distinct tops of the 0-10 boxes (one per row) after checking none overflows the page."""
    boxes = [page.locator(f'label[for="q_nps-{n}"]').bounding_box() for n in range(11)]
    assert all(box and box["height"] >= 44 and box["width"] >= 24 for box in boxes), boxes
    return sorted({round(box["y"]) for box in boxes})


def test_the_0_to_10_scale_fits_a_390px_phone_in_two_rows_and_works_without_javascript(
    open_page, server, make, db
):
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Lea Roth", language="de"), survey=survey)
    page = open_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page.goto(f"{server}/s/{token}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert page.evaluate("document.documentElement.lang") == "de"
    assert len(_scale_rows(page)) == 2  # 0-5 and 6-10
    assert page.get_by_text("Frage 3 von 5").is_visible()  # the competitor question waits for a reason
    page.screenshot(path=str(_screenshot_path("survey-scale-phone-de")), full_page=True)

    page.locator('label[for="q_nps-7"]').click()  # the box is the radio button's label
    expect(page.locator("#q_nps-7")).to_be_checked()
    page.get_by_label("Es war schwer zu bedienen").check()
    page.get_by_label("Was ist passiert? Erzählen Sie es uns in Ihren eigenen Worten.").fill(
        "Zu kompliziert."
    )
    page.locator("#q_contact_ok-1").check()
    page.get_by_role("button", name="Meine Antworten senden").click()  # no JavaScript at all
    expect(page.get_by_role("heading", name="Vielen Dank, Lea")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Response)).answers["nps"] == 7

    wide = open_page(viewport={"width": 1440, "height": 900})
    _, other = make.invitation(customer=make.customer(), survey=survey)
    wide.goto(f"{server}/s/{other}")
    assert len(_scale_rows(wide)) == 1  # one row where there is room


def _screenshot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_questions_shown_are_numbered_without_a_gap_for_one_hidden_by_skip_logic(open_page, server, make):
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Ines Novak"), survey=survey)
    page = open_page(viewport={"width": 375, "height": 812})
    page.goto(f"{server}/s/{token}")
    numbers = page.locator(".question-number:visible")

    # the competitor question is hidden: five questions, numbered 1 to 5 with no "Question 4" gap;
    # the script renumbers on each change, so each check waits for the numbers it expects
    expect(numbers).to_have_text([f"Question {n} of 5" for n in range(1, 6)])
    page.get_by_label("We switched to another product").check()
    expect(numbers).to_have_text([f"Question {n} of 6" for n in range(1, 7)])
    expect(page.locator("#question-competitor .question-number")).to_have_text("Question 4 of 6")
    page.get_by_label("It was hard to use").check()
    expect(numbers).to_have_text([f"Question {n} of 5" for n in range(1, 6)])

    # without JavaScript every question shows, numbered as the script numbers them for no answer yet
    # (the competitor question, asked only after some reasons, has no number until then)
    plain = open_page(java_script_enabled=False, viewport={"width": 375, "height": 812})
    plain.goto(f"{server}/s/{token}")
    assert plain.locator(".question-number").all_text_contents() == [
        "Question 1 of 5",
        "Question 2 of 5",
        "Question 3 of 5",
        "",
        "Question 4 of 5",
        "Question 5 of 5",
    ]


def test_an_answer_in_arabic_or_hebrew_runs_right_to_left_in_its_box(open_page, server, make, db):
    """On an English page, an answer typed in a right-to-left script reads right to left in its
    box (its sentence punctuation at its end, on the left), before and after a refused submit; an
    English answer stays left to right."""
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Noa Levi"), survey=survey)
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/s/{token}")
    page.get_by_label("We switched to another product").check()
    story = page.get_by_label("What happened? Tell us in your own words.")
    competitor = page.get_by_label("Which product did you move to?")
    story.fill("הדוחות היו איטיים מדי.")
    competitor.fill("شركة أخرى")
    direction = "element => getComputedStyle(element).direction"
    assert (story.evaluate(direction), competitor.evaluate(direction)) == ("rtl", "rtl")
    page.get_by_role("button", name="Send my answers").click()  # contact_ok is required: shown again
    expect(page.locator("#error-summary")).to_be_visible()
    story = page.get_by_label("What happened? Tell us in your own words.")
    assert story.input_value() == "הדוחות היו איטיים מדי." and story.evaluate(direction) == "rtl"
    story.fill("Reports were too slow.")
    assert story.evaluate(direction) == "ltr"


def test_a_double_tap_on_send_ends_on_the_thank_you_page_with_one_response(open_page, server, make, db):
    """A double tap sends the form twice; the browser shows the answer to the second POST. That
    answer said "You already answered this survey on ... nothing more is needed" to someone who
    had just answered for the first time, as if their answer had been lost or sent before."""
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Ines Novak"), survey=survey)
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/s/{token}")
    page.get_by_label("It was hard to use").check()
    page.get_by_label("What happened? Tell us in your own words.").fill("Too many clicks for a report.")
    page.locator("#q_contact_ok-1").check()
    page.get_by_role("button", name="Send my answers").dblclick()
    expect(page.get_by_role("heading", name="Thank you, Ines")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Response.id))) == 1


@pytest.mark.parametrize("javascript", [True, False])
def test_typing_in_english_then_switching_to_deutsch_keeps_the_text_and_the_answer_sends(
    open_page, server, make, db, javascript
):
    survey = shipped_survey("saas_cancellation")
    _, token = make.invitation(customer=make.customer(name="Ines Novak", language="en"), survey=survey)
    page = open_page(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server}/s/{token}")
    page.get_by_label("It was hard to use").check()
    page.get_by_label("What happened? Tell us in your own words.").fill("Exports broke twice")

    page.locator(".language-switch summary").click()
    page.get_by_role("button", name="Deutsch").click()  # a keyboard's Enter or a screen reader's too
    expect(page.locator("html")).to_have_attribute("lang", "de")
    story = page.get_by_label("Was ist passiert? Erzählen Sie es uns in Ihren eigenen Worten.")
    expect(story).to_have_value("Exports broke twice")
    expect(page.get_by_label("Es war schwer zu bedienen")).to_be_checked()
    expect(page.locator("#error-summary")).to_have_count(0)  # a switch validates nothing
    expect(page.locator(".language-switch summary")).to_be_focused()  # focus stays on the picker
    assert db.session.scalar(select(func.count(Response.id))) == 0

    page.locator("#q_contact_ok-1").check()
    page.locator('label[for="q_nps-6"]').click()
    # Enter in a one-line box sends the answers (the form's first submit button is a hidden
    # "send", ahead of the picker's), never a language
    page.locator("#q_win_back").fill("Schnellere Exporte")
    page.locator("#q_win_back").press("Enter")
    expect(page.get_by_role("heading", name="Vielen Dank, Ines")).to_be_visible()
    db.session.expire_all()
    stored = db.session.scalar(select(Response)).answers
    assert stored["what_happened"] == "Exports broke twice" and stored["nps"] == 6
    assert problems == []
