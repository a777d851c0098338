"""The staff dashboard in Debian's Chromium at desktop (1440x900) and phone (390x844) sizes.

Every main page for each role: no sideways scrolling on a phone, KPI figures inside their cards,
the current section marked in the menu, charts drawn without script errors. Screenshots of each
page go to test-output/screenshots/ (``dashboard-<page>-<size>.png``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback_app.extensions import db as _db
from feedback_app.models import ActionItem
from tests import factories
from tests.app.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, LiveServer, _sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PAGES = {
    "overview": "/dashboard/overview?start=&end=",
    "themes": "/dashboard/themes?start=&end=",
    "theme": "/dashboard/themes/{theme}",
    "actions": "/dashboard/actions",
    "action": "/dashboard/actions/{item}",
    "close-loop": "/dashboard/actions/{item}/close-loop",
    "follow-ups": "/dashboard/follow-ups",
    "customers": "/dashboard/customers",
    "outbox": "/dashboard/outbox",
    "summary": "/dashboard/summary?start=&end=",
    "win-back": "/dashboard/win-back",
    "audit": "/dashboard/admin/audit",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("design"))
    with server.app.app_context():
        from tests.app.insights_data import World

        make = factories.Factories(_db.session)
        world = World(make, _db)
        left = date.today() - timedelta(days=20)
        recent = datetime.now(UTC) - timedelta(days=3)
        price = world.theme("t-price", "Price rises without notice", category="price")
        bugs = world.theme("t-bugs", "Sync loses data", category="bugs_reliability")
        for i in range(12):
            world.answer(
                price,
                text=f"The price went up again and again ({i}).",
                submitted=recent,
                left_at=left,
                monthly_revenue_cents=990000,
                lifetime_value_cents=1015210500,
                company=f"Very Long Company Name {i} Limited",
            )
        for _ in range(4):
            world.answer(
                bugs,
                text="Sync lost my work twice. Otherwise decent.",
                reason="bugs_or_outages",
                submitted=recent,
                left_at=left,
                monthly_revenue_cents=4900,
            )
        item = ActionItem(
            title="Warn customers before a price change",
            theme=price,
            owner_team="billing",
            actions=["Email 30 days before any price change"],
            status="shipped",
            shipped_at=datetime.now(UTC),
            evidence={"customers": 12},
        )
        _db.session.add(item)
        _db.session.commit()
        users = {role: make.staff_user(role) for role in ("admin", "cx", "product")}
        server.ids = {"theme": price.id, "item": item.id}
        server.users = {role: (user.email, password) for role, (user, password) in users.items()}
        _db.session.remove()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: run `make browser-deps` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _overflowing(page) -> list[str]:
    """Elements whose text runs past their own box (KPI figures, headings, paragraphs)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.stats dd, h1, h2, p, .brand, .staff-nav a'))
        .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
        .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 60))""")


@pytest.mark.parametrize("role", ["admin", "cx", "product"])
@pytest.mark.parametrize("size,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_main_page_fits_and_marks_where_you_are(live, browser, role, size, viewport):
    context = browser.new_context(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and "status of 403" not in msg.text else None
        ),
    )  # the refused pages
    _sign_in(page, live, *live.users[role])
    try:
        for name, path in PAGES.items():
            response = page.goto(live.url + path.format(**live.ids))
            if response.status == 403:
                assert page.get_by_role("navigation", name="Dashboard").is_visible(), (
                    f"{name}: 403 without the menu"
                )
                continue
            assert response.status == 200, f"{role} {name}: {response.status}"
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (
                f"{role} {name} scrolls sideways at {viewport['width']}px ({width}px)"
            )
            assert not _overflowing(page), f"{role} {name}: text cut off: {_overflowing(page)}"
            split = page.evaluate("""() => Array.from(document.querySelectorAll('.stats dd'))
                .filter(dd => dd.getClientRects().length > 1 || dd.offsetHeight > parseFloat(getComputedStyle(dd).lineHeight) * 1.5)
                .map(dd => dd.textContent)""")
            assert not split, f"{role} {name}: KPI figures broken over two lines: {split}"
            assert page.locator(".staff-nav a[aria-current='page']").count() == 1, (
                f"{name}: no current section"
            )
            if size == "desktop":
                assert page.locator(".site-header").bounding_box()["height"] < 80, f"{name}: the menu wraps"
            if role == "admin":
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-{size}.png"), full_page=True)
        assert not errors, errors
    finally:
        context.close()


def test_charts_use_the_app_palette_and_show_units(live, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, live, *live.users["cx"])
    page.goto(live.url + PAGES["themes"])
    page.wait_for_selector("#pareto-chart .y2tick text")
    ticks = page.locator("#pareto-chart .ytick text").all_text_contents()
    assert any(t.startswith("$") for t in ticks), ticks
    shares = page.locator("#pareto-chart .y2tick text").all_text_contents()
    assert any(t.endswith("%") for t in shares), shares
    bar = page.locator("#pareto-chart .bars path").first
    assert "rgb(11, 92, 173)" in (bar.get_attribute("style") or ""), "bars in the app blue"
    context.close()
