"""Real-browser tests: Debian's Chromium driven by Playwright against the app served on 127.0.0.1.

The app runs in a real WSGI server (werkzeug) in a thread, on its own SQLite file, with the
production security headers (CSP included), so a page that needs inline script breaks here.
Screenshots of each end state go to test-output/screenshots/. ``make browser-deps`` installs
Chromium when it is missing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from feedback_app.extensions import db as _db
from feedback_app.models import ActionItem
from tests import factories
from tests.app.browser_support import SCREENSHOTS, LiveServer, browser_app, sign_in, wait_for_charts

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

SURVEY = {
    "key": "phone_exit",
    "version": 1,
    "title": "Why did you leave?",
    "intro": "Two questions.",
    "thank_you": "Thank you for telling us.",
    "questions": [
        {
            "id": "main_reason",
            "type": "single_choice",
            "prompt": "What was the main reason you left?",
            "required": True,
            "options": [
                {"value": "too_expensive", "label": "It cost too much"},
                {"value": "poor_support", "label": "Support did not help"},
            ],
        },
        {
            "id": "what_happened",
            "type": "long_text",
            "prompt": "What happened?",
            "required": True,
            "analyze": True,
        },
    ],
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(browser_app(tmp_path_factory.mktemp("live")))
    yield server
    server.stop()


@pytest.fixture
def page_for(browser):
    """A fresh browser context (no cookies) per scenario; console CSP violations are collected."""
    contexts = []

    def _open(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def _shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _seed(live: LiveServer, build):
    with live.app.app_context():
        result = build(factories.Factories(_db.session), _db)
        _db.session.remove()
        return result


def test_former_customer_on_a_phone_fixes_a_missing_answer_and_is_thanked(live, page_for):
    def build(make, db):
        survey = make.survey(SURVEY)
        customer = make.customer(name="Robin Avery")
        _invitation, token = make.invitation(customer=customer, survey=survey, status="sent")
        return token

    token = _seed(live, build)
    page = page_for(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{live.url}/s/{token}")
    expect(page.get_by_role("heading", name="Why did you leave?")).to_be_visible()

    page.get_by_label("It cost too much").check()
    page.get_by_role("button", name="Send my answers").click()

    error = page.locator("#q_what_happened-error")
    error.wait_for()
    assert "write an answer" in error.inner_text().lower()
    textarea = page.locator("#q_what_happened")
    assert "q_what_happened-error" in (textarea.get_attribute("aria-describedby") or "")
    field_box, error_box = textarea.bounding_box(), error.bounding_box()
    assert abs(error_box["y"] - field_box["y"]) < 200, "the error is shown next to its field"
    expect(page.get_by_label("It cost too much"), "the answer given is kept").to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    _shot(page, "survey-missing-answer-phone")

    textarea.fill("The price went up twice in a year.")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you, Robin").wait_for()
    assert "Thank you for telling us." in page.content()
    assert not page.csp_errors, page.csp_errors
    _shot(page, "survey-thank-you-phone")


def test_a_long_answer_on_a_phone_keeps_its_round_button_whole_beside_its_first_line(live, page_for):
    """A choice whose words take two lines on a 390 px phone squeezed its radio button narrower
    than the others (flex shrank it) and centred it between the two lines."""
    long_label = "We switched to another product that our new parent company already pays for"

    def build(make, db):
        survey = make.survey(
            {
                **SURVEY,
                "key": "long_choice",
                "questions": [
                    {
                        **SURVEY["questions"][0],
                        "options": [
                            {"value": "short", "label": "Too dear"},
                            {"value": "long", "label": long_label},
                        ],
                    }
                ],
            }
        )
        _invitation, token = make.invitation(customer=make.customer(), survey=survey, status="sent")
        return token

    token = _seed(live, build)
    page = page_for(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live.url}/s/{token}")
    boxes = {}
    for words in ("Too dear", long_label):
        radio = page.get_by_label(words)
        label = page.locator("label", has_text=words)
        boxes[words] = (radio.bounding_box(), label.bounding_box())
    short, long = boxes["Too dear"], boxes[long_label]
    assert long[1]["height"] > short[1]["height"] * 1.5, "the long answer takes two lines"
    assert abs(long[0]["width"] - short[0]["width"]) < 1, (short[0], long[0])
    line = short[1]["height"]  # one line of the label
    assert long[0]["y"] + long[0]["height"] <= long[1]["y"] + line + 2, (long[0], long[1])


def test_cx_user_renames_the_top_theme_and_marks_its_action_shipped(live, page_for):
    def build(make, db):
        from tests.app.insights_data import World

        world = World(make, db)
        recent = datetime.now(UTC) - timedelta(days=2)
        left = date.today() - timedelta(days=5)
        price = world.theme("t-price", "price increase", category="price")
        support = world.theme("t-support", "slow support", category="support")
        for i in range(5):
            world.answer(
                price,
                text=f"The price went up again ({i}).",
                submitted=recent,
                left_at=left,
                monthly_revenue_cents=9900,
            )
        world.answer(
            support,
            text="Nobody answered my ticket.",
            reason="poor_support",
            submitted=recent,
            left_at=left,
            monthly_revenue_cents=1000,
        )
        item = ActionItem(
            title="Review the price increase",
            theme=price,
            owner_team="billing",
            actions=["Offer a loyalty price"],
            status="accepted",
        )
        db.session.add(item)
        db.session.commit()
        user, password = make.staff_user("cx")
        return user.email, password, item.id

    email, password, item_id = _seed(live, build)
    page = page_for(viewport={"width": 1280, "height": 900})
    sign_in(page, live, email, password)

    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Themes").click()
    # the overview signed in to also links themes from a table: read the list on the themes page
    page.wait_for_url(re.compile(r"/dashboard/themes(\?.*)?$"))
    top = page.locator("table a[href*='/dashboard/themes/']").first
    expect(top, "the theme that lost most is listed first").to_have_text("price increase")
    top.click()
    page.get_by_role("heading", name="price increase").wait_for()

    page.locator("input#label").fill("Price rises without notice")
    assert page.locator("[id='label']").count() == 1, "each field id is unique on the page"
    page.get_by_role("button", name="Save label").click()
    page.get_by_role("heading", name="Price rises without notice").wait_for()

    page.get_by_role("link", name="Review the price increase").click()
    page.wait_for_url(re.compile(r"/dashboard/actions/\d+$"))
    page.get_by_label("Status").select_option("shipped")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("It is shipped").wait_for()
    assert not page.csp_errors, page.csp_errors
    _shot(page, "cx-action-shipped")

    with live.app.app_context():
        assert _db.session.get(ActionItem, item_id).status == "shipped"
        _db.session.remove()


def _signed_in(live: LiveServer, page_for, role: str, errors: list[str] | None = None):
    """A desktop page signed in as a new staff user with ``role``; script errors go to ``errors``."""

    def build(make, db):
        user, password = make.staff_user(role)
        return user.email, password

    email, password = _seed(live, build)
    page = page_for(viewport={"width": 1280, "height": 900})
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live, email, password)
    return page


def test_product_user_cannot_reach_user_admin(live, page_for):
    page = _signed_in(live, page_for, "product")
    nav = page.get_by_role("navigation", name="Dashboard")
    expect(nav.get_by_role("link", name="Admin"), "no admin link for product users").to_have_count(0)

    response = page.goto(f"{live.url}/dashboard/admin/users")
    assert response.status == 403
    assert "Staff accounts" not in page.content()
    _shot(page, "product-refused-user-admin")


def test_every_staff_page_runs_under_the_csp_without_script_errors(live, page_for):
    """Charts, progress polling and forms all load from files: no CSP violation, no JS error."""
    errors: list[str] = []
    page = _signed_in(live, page_for, "admin", errors)
    with live.app.app_context():
        paths = sorted(
            rule.rule
            for rule in live.app.url_map.iter_rules()
            if rule.rule.startswith("/dashboard")
            and "GET" in rule.methods
            and not rule.arguments
            and not rule.rule.endswith(".js")
        )
    assert len(paths) > 10
    for path in paths:
        response = page.goto(f"{live.url}{path}")
        assert response.status == 200, path
        wait_for_charts(page)  # any script error or blocked request of theirs is in by then
    assert not page.csp_errors, page.csp_errors
    assert not errors, errors
