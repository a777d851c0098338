"""The staff dashboard in Debian's Chromium at desktop (1440x900) and phone (390x844) sizes, and the menu at 1280.

Every main page for each role: no serious or critical accessibility violation (axe-core, vendored
by ``make vendor`` into tests/app/web/vendor/ and injected into each page), no sideways scrolling on
a phone, KPI figures inside their cards, the current section marked in the menu, charts drawn
without script errors. With ``SCREENSHOTS=1`` full-page screenshots of the admin's pages go to
test-output/screenshots/ (``dashboard-<page>-<size>.png``; nothing reads them, and they were a tenth of
the module's CPU); with ``DOCS_SCREENSHOTS=1`` those, and the same pages for docs/screenshots.md in
docs/img/ (viewport only, to keep each file small).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import delete, select

from feedback_app.extensions import db as _db
from feedback_app.i18n import month_name
from feedback_app.models import (
    ActionItem,
    ActiveCount,
    AnalysisRun,
    Conversation,
    ConversationAssignment,
    OutboxEmail,
    Theme,
    ThemeAssignment,
)
from feedback_app.services.insights import churn_rates, follow_ups
from tests import factories
from tests.app.browser_support import SCREENSHOTS, LiveServer, browser_app, sign_in_once, wait_for_charts

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DOCS_IMG = Path(__file__).resolve().parents[3] / "docs" / "img"
PAGES = {
    "overview": "/dashboard/overview?start=&end=",
    "themes": "/dashboard/themes?start=&end=",
    "theme": "/dashboard/themes/{theme}",
    "actions": "/dashboard/actions",
    "action": "/dashboard/actions/{item}",
    "close-loop": "/dashboard/actions/{item}/close-loop",
    "cause": "/dashboard/causes/price?start=&end=",
    "cause-nobody-gave": "/dashboard/causes/privacy_trust?start=&end=",
    "follow-ups": "/dashboard/follow-ups",
    "customers": "/dashboard/customers",
    "customer": "/dashboard/customers/{customer}",
    "customer-not-invited": "/dashboard/customers/{fresh}",
    "churn": "/dashboard/churn",
    "outbox": "/dashboard/outbox",
    "summary": "/dashboard/summary?start=&end=",
    "win-back": "/dashboard/win-back",
    "campaign": "/dashboard/win-back/campaigns/{campaign}",
    "cpr": "/dashboard/cpr",
    "cpr-case": "/dashboard/cpr/{customer}",
    "audit": "/dashboard/admin/audit",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(browser_app(tmp_path_factory.mktemp("design")))
    with server.app.app_context():
        from tests.app.insights_data import World

        make = factories.Factories(_db.session)
        world = World(make, _db)
        left = date.today().replace(day=1) - timedelta(days=10)  # last month: one that has ended
        recent = datetime.now(UTC) - timedelta(days=3)
        price = world.theme("t-price", "Price rises without notice", category="price")
        bugs = world.theme("t-bugs", "Synchronisation loses data", category="bugs_reliability")
        for i in range(12):
            valuable, _ = world.answer(
                price,
                text=f"The price went up again and again ({i}).",
                submitted=recent,
                left_at=left,
                monthly_revenue_cents=990000,
                lifetime_value_cents=1015210500,
                company=f"Very Long Company Name {i} Limited",
            )
        ticket = Conversation(  # the customer page lists it beside their answer, with its theme
            customer_id=valuable.id,
            kind="ticket",
            origin="zendesk",
            external_id="ZD-4711-0002",
            subject="Invoice total changed without any notice to our accounts team",
            status="closed",
            resolution="resolved",
            opened_at=datetime.combine(left, datetime.min.time(), UTC) + timedelta(days=2),
            redacted_text="The invoice total changed again this month and nobody on the accounts team was told "
            "before the card was charged; we need notice before any price change.",
        )
        _db.session.add(ticket)
        _db.session.flush()
        _db.session.add(
            ConversationAssignment(run_id=world.run.id, conversation_id=ticket.id, theme_id=price.id)
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
        for back in range(1, 9):  # most of a year of departures: a column a month by theme; some came back
            world.answer(
                bugs,
                text="Sync lost my work again.",
                reason="bugs_or_outages",
                submitted=recent,
                left_at=left - timedelta(days=31 * back),
                returned_at=recent if back % 2 else None,
            )
        for name in ("Robin Avery", "Sam Okafor"):  # the follow-up queue has entries to act on
            _, asked = world.answer(
                bugs,
                text="Sync lost my work. Please call me about a refund.",
                submitted=recent,
                left_at=left,
                name=name,
            )
        # a second reason: the price cause's page lists it, the root-cause table counts it apart
        _db.session.add(
            ThemeAssignment(run_id=world.run.id, response_id=asked.id, theme_id=price.id, is_primary=False)
        )
        _db.session.commit()
        follow_ups.refresh()
        # a count for each of the eight months before theirs: the churn page's rates, root-cause mix
        # and cohorts (the hover test below adds, and then removes, the month they left)
        for back in range(1, 9):
            year, month = divmod(left.year * 12 + left.month - 1 - back, 12)
            _db.session.add(
                ActiveCount(
                    month=date(year, month + 1, 1),
                    active_customers=1200,
                    mrr_cents=1200 * 4900,
                    new_customers=40,
                )
            )
        run = AnalysisRun(status="running", progress=0.4, stage="embed", counts={})
        _db.session.add(run)
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
        from feedback_app.services.actions import campaigns
        from tests.app.actions.winback_data import campaign_input

        campaign = campaigns.create(campaign_input(), actor="cx@test")
        # addresses as long as real ones ("firstname.lastname@company"), not "admin12@": the header
        # must hold them (it wrapped at 1600 px once the factory's counter reached four digits)
        users = {
            role: make.staff_user(role, email=f"{role}.alexandra.montgomery-whitfield@customer-team.example")
            for role in ("admin", "cx", "product")
        }
        fresh = make.customer(name="Kim Lindqvist-Abernathy", company="Very Long Company Name Limited")
        server.ids = {
            "theme": price.id,
            "item": item.id,
            "campaign": campaign.id,
            "customer": valuable.id,
            "fresh": fresh.id,  # nobody invited them: the page's empty state with its invite form
        }
        server.run_id = run.id
        server.users = {role: (user.email, password) for role, (user, password) in users.items()}
        _db.session.remove()
    yield server
    server.stop()


def _serious_violations(page, context: dict | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (or in ``context``, an axe context
    such as ``{"exclude": [["main"]]}``), one line per rule."""
    return page.evaluate(
        """async context => {
        const result = await axe.run(context || document, { resultTypes: ["violations"] });
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
    }""",
        context,
    )


def _markup_key(html: str) -> str:
    """A page's markup apart from its header (the menu, which differs by role, and the sign-out
    form), with the per-session CSRF tokens and per-response nonces left out: two pages with the
    same key at the same window size have the same head, main content and scripts."""
    html = re.sub(r'<header class="site-header">.*?</header>', "", html, count=1, flags=re.S)
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return hashlib.sha256(html.encode()).hexdigest()


@dataclass
class Window:
    """One page at one window size, shared by the roles' runs of the every-page test (one renderer
    process per size instead of one per run), and the pages axe has scanned whole there."""

    page: Page
    #: the ``_markup_key`` of each page axe scanned whole at this size
    scanned: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def window(browser) -> Iterator[Callable[[str, dict], Window]]:
    """``window(size, viewport)``: the module's page at that size, axe-core injected (loaded by the
    browser itself, so the page's CSP still applies); each run clears the cookies before it signs
    in, so no role sees another's session."""
    windows: dict[str, Window] = {}

    def _window(size: str, viewport: dict) -> Window:
        if size not in windows:
            context = browser.new_context(
                viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone"
            )
            page = context.new_page()
            page.add_init_script(path=str(AXE))
            windows[size] = Window(page)
        return windows[size]

    yield _window
    for shared in windows.values():
        shared.page.context.close()


@pytest.fixture(scope="module")
def kept_pages(browser) -> Iterator[dict[tuple, Page]]:
    """The pages ``open_page`` hands out in this module, one per set of context options but the
    window size; their contexts are closed when the module is done."""
    pages: dict[tuple, Page] = {}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture
def open_page(browser, kept_pages) -> Callable[..., Page]:
    """This module's ``open_page`` (conftest's opens a fresh context for each test): the module's page
    with these context options, its cookies cleared and its window set to ``viewport``, so a test
    starts signed out at its size as in a fresh context, in the renderer process (Plotly already
    compiled) of the tests before it; a fresh context's first page cost about a second of CPU. Each
    test then goes to its own page."""

    def _open(*, viewport: dict, **options: object) -> Page:
        key = tuple(sorted(options.items()))
        page = kept_pages.get(key)
        if page is None or page.is_closed():
            page = browser.new_context(viewport=viewport, **options).new_page()
            kept_pages[key] = page
        else:
            page.context.clear_cookies()
            page.set_viewport_size(viewport)
        return page

    return _open


#: What the every-page test reads of each page once it is drawn, in one call.
PAGE_FACTS = """() => ({
    width: document.documentElement.scrollWidth,
    overflowing: Array.from(document.querySelectorAll('.stats dd, h1, h2, p, .brand, .staff-nav a'))
        .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
        .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 60)),
    split: Array.from(document.querySelectorAll('.stats dd:not(.help):not(.text-value)'))
        .filter(dd => dd.getClientRects().length > 1 || dd.offsetHeight > parseFloat(getComputedStyle(dd).lineHeight) * 1.5)
        .map(dd => dd.textContent),
    current: document.querySelectorAll(".staff-nav a[aria-current='page']").length,
    header: document.querySelector('.site-header').getBoundingClientRect().height,
})"""


def _wider_than(page, width: int) -> list[str]:
    """The elements that stick out past the right edge of a ``width``-pixel window."""
    return page.evaluate(
        """w => Array.from(document.querySelectorAll('body *'))
        .filter(el => el.getBoundingClientRect().right > w + 1 && !el.parentElement.closest('.table-wrap, .js-plotly-plot'))
        .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""",
        width,
    )


@pytest.mark.parametrize("role", ["admin", "cx", "product"])
@pytest.mark.parametrize("size,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_main_page_fits_and_marks_where_you_are(live, window, role, size, viewport):
    """Every page for every role at each size. axe scans a page whole the first time its markup
    (all but the header: ``_markup_key``) is seen at that size, and after that (the same page for
    another role, a refused page again) everything but its main content, which it has checked."""
    shared = window(size, viewport)
    page = shared.page
    page.context.clear_cookies()  # the previous role's session
    errors: list[str] = []
    problems: list[str] = []  # accessibility violations and sideways scrolling, listed together

    def page_error(exc) -> None:
        errors.append(str(exc))

    def console(msg) -> None:
        if msg.type == "error" and "status of 403" not in msg.text:  # the refused pages
            errors.append(msg.text)

    page.on("pageerror", page_error)
    page.on("console", console)
    try:
        if role == "admin":  # the sign-in page is the same for every role: checked once at each size
            page.goto(f"{live.url}/auth/login")
            problems.extend(f"sign-in: {v}" for v in _serious_violations(page))
        sign_in_once(page, live, *live.users[role])
        for name, path in PAGES.items():
            response = page.goto(live.url + path.format(**live.ids))
            key = _markup_key(response.text())
            scope = {"exclude": [["main"]]} if key in shared.scanned else None
            if response.status == 403:
                assert page.get_by_role("navigation", name="Dashboard").is_visible(), (
                    f"{name}: 403 without the menu"
                )
                problems.extend(f"{name} (refused): {v}" for v in _serious_violations(page, scope))
                shared.scanned.add(key)
                continue
            assert response.status == 200, f"{role} {name}: {response.status}"
            # goto waited for "load" (charts.js draws before it)
            wait_for_charts(page)
            facts = page.evaluate(PAGE_FACTS)
            if facts["width"] > viewport["width"]:
                problems.append(
                    f"{name} scrolls sideways ({facts['width']}px): {_wider_than(page, viewport['width'])}"
                )
            problems.extend(f"{name}: {v}" for v in _serious_violations(page, scope))
            shared.scanned.add(key)
            assert not facts["overflowing"], f"{role} {name}: text cut off: {facts['overflowing']}"
            assert not facts["split"], f"{role} {name}: KPI figures broken over two lines: {facts['split']}"
            assert facts["current"] == 1, f"{name}: no current section"
            if size == "desktop":
                assert facts["header"] < 80, f"{name}: the menu wraps"
            if role == "admin" and (os.environ.get("SCREENSHOTS") or os.environ.get("DOCS_SCREENSHOTS")):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-{size}.png"), full_page=True)
                if os.environ.get("DOCS_SCREENSHOTS"):
                    page.screenshot(path=str(DOCS_IMG / f"dashboard-{name}-{size}.png"))
    finally:
        page.remove_listener("pageerror", page_error)
        page.remove_listener("console", console)
    assert not problems, f"{role} at {size}:\n" + "\n".join(problems)
    assert not errors, errors


def test_the_action_plan_and_win_back_tables_fit_a_phone_each_figure_beside_its_note(live, open_page):
    """On a phone each action item (and each win-back theme and candidate) is one block, its
    owner, due date and status beside their names (the six- and seven-column tables hid them off
    to the right, behind a sideways scroll).

    And a stacked cell's value is one run beside its name: "12 +1 as a second reason" and
    "Price rises without notice (Price)", not the figure in mid-row and its note at the far edge.
    (One test, one load of the action plan: both read it as CX at 390 px.)"""
    page = open_page(viewport=PHONE)
    sign_in_once(page, live, *live.users["cx"])
    gap = """td => { const range = document.createRange(); range.selectNodeContents(td.firstChild);
        return td.querySelector('.help').getBoundingClientRect().left - range.getBoundingClientRect().right; }"""
    for path, label, noted in (
        (PAGES["actions"], "Status", "About"),
        (PAGES["win-back"], "Win-back rate", None),
        (PAGES["themes"], None, "Customers"),
    ):
        page.goto(live.url + path)
        if label:
            box = page.locator(f"td[data-label='{label}']").first.bounding_box()
            assert box and box["x"] + box["width"] <= PHONE["width"], (path, box)
            for wrap in page.locator(".table-wrap").all():
                sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
                assert sizes[0] <= sizes[1] + 2, (path, sizes)
        if noted:
            cell = page.locator(f"table.stack td[data-label='{noted}']:has(.help)").first
            assert cell.evaluate(gap) < 12, (path, cell.inner_text())


def test_the_month_by_theme_and_win_back_tables_fit_a_phone(live, open_page):
    """(And the themes page's tables fit a tablet.) At 390 px the themes page's shares by month (a column a month) scrolled sideways inside its
    card, and the overview's win-back rates by theme stuck out of theirs by a few pixels: each now
    reads one block per theme, every value beside its month ("Jun 2026") or column name, and
    neither page scrolls sideways."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["cx"])
    named = "td => getComputedStyle(td, '::before').content"
    for path, heading, name in (  # the themes page last: the chart's check below reads it as loaded
        (PAGES["overview"], "Win-back rate by theme", r'"Customers"'),
        (PAGES["themes"], "Theme shares by month", r'"[A-Z][a-z]{2} \d{4}( \(days \d+–\d+\))?"'),
    ):
        page.goto(live.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        card = page.locator("section", has=page.get_by_role("heading", name=heading))
        sizes = card.locator(".table-wrap").evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert sizes[0] <= sizes[1] + 1, (heading, sizes)
        assert re.fullmatch(name, card.locator("tbody td").first.evaluate(named)), heading
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        card.screenshot(path=str(SCREENSHOTS / f"dashboard-{heading.split()[0].lower()}-table-phone.png"))
    # the month names Plotly turns sideways stay clear of the legend
    page.wait_for_selector("#shares-chart .legend")
    ticks = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('#shares-chart .xtick text')).map(t => t.getBoundingClientRect().bottom))"
    )
    assert ticks <= page.locator("#shares-chart .legend").bounding_box()["y"] + 1
    # On a tablet the root causes' and their themes' tables are tables, and fit their cards: at
    # 820 px the root causes' took 1048 px in a 738 px card, behind a sideways scroll.
    for width in (TABLET["width"], 1024):
        page.set_viewport_size({**TABLET, "width": width})
        page.goto(live.url + PAGES["themes"])
        page.evaluate(
            "() => document.querySelectorAll('details.cause-details').forEach(d => { d.open = true; })"
        )
        for wrap in page.locator(".table-wrap:has(.causes-table, .themes-table)").all():
            sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
            assert sizes[0] <= sizes[1] + 1, (width, wrap.locator("caption").inner_text()[:40], sizes)
        assert page.locator(".causes-table thead").is_visible()  # not stacked as on a phone


def test_the_churn_customer_close_the_loop_and_cpr_tables_fit_a_phone(live, open_page):
    """At 390 px the churn rates (nine columns), the root-cause mix and the cohorts, the customer
    list, a customer's tickets and interviews, the close-the-loop recipients and the CPR desk's
    tables scrolled sideways inside their cards: each row now reads as one block, every value
    beside its column's name, as on the themes page."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["cx"])
    named = "td => getComputedStyle(td, '::before').content"
    for name, label in (
        ("churn", "Departures"),
        ("customers", "Monthly revenue"),
        ("customer", "What they said (redacted)"),
        ("close-loop", "Language"),
        ("cpr", "Lifetime value"),
        ("cpr-case", "With them back"),
    ):
        page.goto(live.url + PAGES[name].format(**live.ids))
        if name == "close-loop":
            page.get_by_text(re.compile(r"^Recipients \(\d+\)$")).click()  # a closed <details>
        wraps = page.locator(".table-wrap:visible")
        expect(wraps.first).to_be_visible()
        for wrap in wraps.all():
            sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
            assert sizes[0] <= sizes[1] + 2, (name, wrap.locator("thead").inner_text(), sizes)
        cell = page.locator(f"td[data-label='{label}']").first
        assert cell.evaluate(named) == f'"{label}"', name  # the value's column name beside it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if name == "churn":  # the cohorts read as the shares by month do
            assert page.locator("#retention td[data-label='1 mo']").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-tables-phone.png"), full_page=True)


def test_a_phone_opens_the_report_pages_on_their_figures_with_the_filters_folded(live, open_page):
    """At 390 px the overview and themes pages opened with seven stacked filter fields before any
    figure; the filters now fold under one "Filters" line that says what is selected, the first
    figure is on the first screen, and a tap opens them. The theme page's "Heard through" card is
    a list of words, in body text rather than the figures' large font."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["cx"])
    for path, figure in ((PAGES["overview"], ".stats > div"), (PAGES["themes"], "#causes-h")):
        page.goto(live.url + path)
        summary = page.locator("details.filter-disclosure > summary")
        expect(summary).to_contain_text("Filters")
        expect(summary).to_contain_text("All time · all customers")
        expect(page.locator("#f-plan")).to_be_hidden()
        top = page.locator(figure).first.bounding_box()["y"]
        assert top < PHONE["height"], (path, top)
        summary.click()
        expect(page.locator("#f-plan")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    page.goto(live.url + PAGES["theme"].format(**live.ids))
    fonts = page.evaluate("""() => Array.from(document.querySelectorAll('.stats > div'))
        .map(card => { const style = getComputedStyle(card.querySelector('dd'));
            return [card.querySelector('dt').textContent, parseFloat(style.fontSize), style.fontWeight]; })""")
    heard = next(font for font in fonts if font[0] == "Heard through")
    customers = next(font for font in fonts if font[0] == "Customers")
    assert heard[1] <= 16 and heard[2] == "400", fonts  # body text
    assert customers[1] > 20 and customers[2] == "700", fonts  # the figures keep their large font


def test_the_move_menu_shows_its_prompt_whole_on_a_laptop(live, open_page):
    """At 1280 px each answer's Move menu on a theme's page cut its prompt under its arrow
    ("Choose a theme" with the ellipsis hidden): the prompt now fits between the menu's padding."""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["cx"])
    page.goto(live.url + PAGES["theme"].format(**live.ids))
    room, text = page.evaluate("""() => { const s = document.querySelector('.answers-table select');
        const style = getComputedStyle(s); const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = style.font;
        return [s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                ctx.measureText(s.options[s.selectedIndex].text).width]; }""")
    assert text <= room, (text, room)


def test_the_signed_in_address_uses_the_headers_room_on_a_laptop(live, open_page):
    """At 1280 px the menu takes its own row, and the first row holds only the brand, the address
    and "Sign out"; the address was still cut to 10rem ("admin@brightloop.…") beside empty space.
    It now takes the room there is, on the one row."""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["admin"])
    page.goto(live.url + PAGES["actions"])
    address = page.locator(".signed-in-as")
    sign_out = page.get_by_role("button", name="Sign out").bounding_box()
    assert address.bounding_box()["width"] > 300, address.bounding_box()
    assert abs(address.bounding_box()["y"] - page.locator(".brand").bounding_box()["y"]) < 20
    assert sign_out["x"] + sign_out["width"] <= LAPTOP["width"]


def test_charts_use_the_app_palette_show_units_and_offer_no_upload_to_plotly_cloud(live, open_page):
    """The Pareto chart's axes read in dollars and percents, its bars in the app's blue, and every
    axis says what it counts.

    And each chart's mode bar had Plotly's "Share chart..." (on by default), which uploads the chart,
    revenue lost by reason and all, to Plotly Cloud: the mode bar keeps only what stays here. (One
    test, one load of the themes page: both read it as CX on a desktop.)"""
    page = open_page(viewport=DESKTOP)
    sign_in_once(page, live, *live.users["cx"])
    for path in (PAGES["themes"], PAGES["churn"]):
        page.goto(live.url + path)
        if path == PAGES["themes"]:
            _the_themes_charts_use_the_app_palette_and_show_units(page)
        page.wait_for_selector(".js-plotly-plot .modebar-btn", state="attached")
        for chart in page.locator(".js-plotly-plot").all():
            chart.hover()
            buttons = chart.locator(".modebar-btn").evaluate_all(
                "bs => bs.map(b => b.getAttribute('data-title'))"
            )
            assert "Download plot as a PNG" in buttons, buttons
            assert not [b for b in buttons if "share" in b.lower() or "cloud" in b.lower()], buttons


def _the_themes_charts_use_the_app_palette_and_show_units(page) -> None:
    """The Pareto chart's axes in dollars and percents, its bars in the app blue, each x-axis titled."""
    page.wait_for_selector("#pareto-chart .y2tick text")
    ticks = page.locator("#pareto-chart .ytick text").all_text_contents()
    assert any(t.startswith("$") for t in ticks), ticks
    shares = page.locator("#pareto-chart .y2tick text").all_text_contents()
    assert any(t.endswith("%") for t in shares), shares
    bar = page.locator("#pareto-chart .bars path").first
    assert "rgb(11, 92, 173)" in (bar.get_attribute("style") or ""), "bars in the app blue"
    # every axis says what it counts: the x-axes had no title (root causes, months of what?)
    titles = {
        chart: page.locator(f"#{chart} .g-xtitle").text_content()
        for chart in ("pareto-chart", "shares-chart")
    }
    assert titles == {"pareto-chart": "Root cause", "shares-chart": "Month of departure"}, titles


@contextmanager
def _theme_named(live, label: str) -> Iterator[None]:
    """The seeded price theme renamed ``label`` for one test, its name given back after."""
    with live.app.app_context():
        theme = _db.session.get(Theme, live.ids["theme"])
        before, theme.human_label = theme.human_label, label
        _db.session.commit()
        _db.session.remove()
    try:
        yield
    finally:
        with live.app.app_context():
            _db.session.get(Theme, live.ids["theme"]).human_label = before
            _db.session.commit()
            _db.session.remove()


def test_a_long_theme_name_stays_inside_its_chart_on_a_phone(live, open_page):
    """At 390 px the shares by month's legend, one theme a line, ran a long theme name past the
    chart's right edge, cut off ("Complaint about vendor change never resolve"): it now breaks
    between words, and every legend entry is inside the chart."""
    with _theme_named(live, "Complaint about the vendor change that was never resolved"):
        page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
        sign_in_once(page, live, *live.users["cx"])
        page.goto(live.url + PAGES["themes"])
        page.wait_for_selector("#shares-chart .legend .traces")
        chart = page.locator("#shares-chart").bounding_box()
        entries = page.locator("#shares-chart .legend .traces")
        assert "Complaint about the vendor" in " ".join(entries.all_text_contents())
        for entry in entries.all():
            box = entry.bounding_box()
            assert box["x"] + box["width"] <= chart["x"] + chart["width"] + 1, (
                entry.text_content(),
                box,
                chart,
            )


def test_a_theme_label_is_text_in_its_chart_never_a_link(live, open_page):
    """Plotly reads its labels as a little HTML (``<a href>``, ``<b>``, ``<span style>``): a theme
    label holding ``<a href="https://...">`` (from answers, or a rename) drew a working link in the
    staff's chart legend and hover. Labels are written as text: the link's markup shows, no link."""
    label = 'Price <a href="https://evil.example/">sign in again</a> <b>now</b>'
    with _theme_named(live, label):
        page = open_page(viewport=DESKTOP)
        sign_in_once(page, live, *live.users["cx"])
        page.goto(live.url + PAGES["themes"])
        page.wait_for_selector("#shares-chart .legend .traces")
        legend = page.locator("#shares-chart .legend")
        assert legend.locator("a").count() == 0 and legend.locator("[style*='bold']").count() == 0
        assert label in " ".join(legend.locator(".traces").all_text_contents())


def test_charts_on_a_phone_have_no_mode_bar_a_usable_plot_and_the_legend_off_it(live, open_page):
    """At 390 px a tap on a chart opened Plotly's mode bar over its lines, the Pareto chart's legend
    ran over its bars, and the shares by month kept a plot a few pixels high under its sideways
    month names and legend: no mode bar on a phone, every plot at least 150 px high, legends clear."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["cx"])
    for path in (PAGES["themes"], PAGES["churn"]):
        page.goto(live.url + path)
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
        for chart in page.locator(".js-plotly-plot").all():
            name = chart.get_attribute("id")
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
            expect(chart.locator(".modebar")).to_have_count(0)
            plot = chart.locator(".nsewdrag").first.bounding_box()
            assert plot["height"] >= 150, (name, plot)
            if chart.locator(".legend").count():
                legend = chart.locator(".legend").bounding_box()
                clear = (
                    legend["y"] >= plot["y"] + plot["height"] or legend["y"] + legend["height"] <= plot["y"]
                )
                assert clear, (name, plot, legend)


def test_the_charts_follow_the_window_from_a_laptop_to_a_phone(live, open_page):
    """Narrowed from 1280 to 390 px without a reload, the chart pages were about 1159 px wide until
    Plotly's ``responsive`` redraw (a tenth of a second later, on every resize step of a dragged
    window): each chart kept its first width and pushed the page. The chart box is sized by the
    stylesheet and clips its drawing, so the page never scrolls sideways, and the redraw fits the card."""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["cx"])
    # the page's widest width in every frame for the 600 ms after the resize (Plotly redraws after 100)
    widest = """() => new Promise(done => {
        let most = 0; const end = performance.now() + 600;
        const look = () => { most = Math.max(most, document.documentElement.scrollWidth);
                             performance.now() < end ? requestAnimationFrame(look) : done(most); };
        look(); })"""
    # each chart's drawing against its box, once redrawn
    sizes = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p =>
        [Math.round(p.querySelector('.main-svg').getBoundingClientRect().width), Math.round(p.clientWidth)])"""
    problems = []
    for name in ("overview", "themes", "churn", "cause"):
        page.set_viewport_size(LAPTOP)
        page.goto(live.url + PAGES[name])
        wait_for_charts(page)
        assert page.locator(".js-plotly-plot").count() >= 1, name
        page.set_viewport_size(PHONE)
        width = page.evaluate(widest)
        if width > PHONE["width"]:
            problems.append(f"{name}: {width}px wide after narrowing the window")
        charts = page.evaluate(sizes)
        if any(svg > box + 1 or box > PHONE["width"] for svg, box in charts):
            problems.append(f"{name}: charts not redrawn to the phone's width: {charts}")
    assert not problems, "\n".join(problems)


#: Each chart as drawn: its height, whether it has a mode bar, its legend above or below the plot.
CHART_LAYOUTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
    const plot = p.querySelector('.nsewdrag').getBoundingClientRect(), legend = p.querySelector('.legend');
    const where = legend ? (legend.getBoundingClientRect().top < plot.top ? 'above' : 'below') : null;
    return [p.id, { height: Number(p.querySelector('.main-svg').getAttribute('height')),
                    modebar: p.querySelectorAll('.modebar').length > 0, legend: where,
                    plot: Math.round(plot.height) }];
}))"""

#: True once every chart has the layout ``want`` gives for it (its height, mode bar and legend) and
#: has been redrawn to its box's width: charts.js's redraw for the window's side of 600 px, and then
#: Plotly's own responsive one (100 ms after a resize), which changes only the width.
CHARTS_REDRAWN_AS = f"""want => Object.entries(({CHART_LAYOUTS})()).every(([id, now]) =>
    want[id] && now.height === want[id].height && now.modebar === want[id].modebar && now.legend === want[id].legend
    && Math.abs(document.getElementById(id).querySelector('.main-svg').getBoundingClientRect().width
                - document.getElementById(id).clientWidth) <= 1)"""


def _chart_layouts(page) -> dict[str, dict]:
    """Each chart as drawn: its height, whether it has a mode bar, its legend above or below the plot."""
    return page.evaluate(CHART_LAYOUTS)


def test_the_charts_switch_between_phone_and_desktop_layouts_both_ways_without_a_reload(live, open_page):
    """charts.js chose the phone or the desktop layout once, at load: a window narrowed from 1280
    to 390 px kept the desktop's short charts with the mode bar (a tap opened it over the lines)
    and the Pareto legend over the bars; widened back, a page opened on a phone kept the tall
    phone charts. Each chart now takes the other layout as the window crosses 600 px, either way."""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["cx"])
    problems = []
    for name in ("themes", "churn", "overview"):
        page.set_viewport_size(LAPTOP)
        page.goto(live.url + PAGES[name])
        wait_for_charts(page)
        desktop = _chart_layouts(page)
        page.set_viewport_size(PHONE)
        page.goto(live.url + PAGES[name])
        wait_for_charts(page)
        on_phone = _chart_layouts(page)  # as a page opened on a phone draws them
        assert desktop and on_phone, name
        # opened on a phone (the load just read: no second one), then on a laptop
        for start in (PHONE, LAPTOP):
            if start is LAPTOP:
                page.set_viewport_size(LAPTOP)
                page.goto(live.url + PAGES[name])
                wait_for_charts(page)
            for size in (PHONE, LAPTOP, PHONE) if start is LAPTOP else (LAPTOP, PHONE, LAPTOP):
                page.set_viewport_size(size)
                expected = on_phone if size is PHONE else desktop
                try:  # the redraws, waited for rather than a fixed 400 ms; what is drawn is read below
                    page.wait_for_function(CHARTS_REDRAWN_AS, arg=expected, timeout=5_000)
                except PlaywrightTimeoutError:
                    pass
                for chart, layout in _chart_layouts(page).items():
                    want = expected[chart]
                    if (layout["height"], layout["modebar"], layout["legend"]) != (
                        want["height"],
                        want["modebar"],
                        want["legend"],
                    ):
                        problems.append(
                            f"{name} {chart}, opened at {start['width']} px, now at {size['width']} px: "
                            f"{layout}, as opened there: {want}"
                        )
    assert not problems, "\n".join(problems)


def test_a_phone_shows_the_first_customer_and_no_rows_of_zeros_in_the_outbox(live, open_page):
    """At 390 px the customers page stacked its five filter fields over the whole first screen (the
    first customer only after a scroll), and the outbox listed a line for each kind and status,
    48 of them "0". The filter bar now sets two fields a row; the outbox leaves zeros out there."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["cx"])
    page.goto(live.url + PAGES["customers"])
    first = page.locator("table.stack tbody tr").first.bounding_box()
    assert first["y"] + 40 < PHONE["height"], f"the first customer starts at {first['y']} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(live.url + PAGES["outbox"])
    counts = page.locator("table.stack").first
    zeros = [c for c in counts.locator("td").all() if c.is_visible() and c.inner_text().strip() == "0"]
    assert not zeros, f"{len(zeros)} lines of 0"
    kinds = counts.locator("tbody th").all_inner_texts()
    assert kinds and all(k.endswith(" (no emails)") or "none" not in k for k in kinds), kinds
    assert "Invitation (no emails)" in kinds, kinds
    page.set_viewport_size(DESKTOP)
    page.goto(live.url + PAGES["outbox"])
    assert counts.locator("td:visible").count() == counts.locator("td").count()  # every cell on a wide screen
    assert "none" not in counts.locator("tbody th").first.inner_text()


def test_the_customer_list_and_the_outbox_fit_a_tablet_with_every_value_still_there(live, open_page):
    """At 768 and 820 px the customer list (nine columns) and the outbox's emails (nine, a long
    address and error among them) scrolled sideways inside their cards. Their lower-priority
    columns now fold into a neighbour's cell (source and id under the customer, churn type under the
    date they left; attempts and the error under the status, the sent time under the queued one),
    so each is a table that fits and every value is still on the page."""
    with live.app.app_context():
        email = OutboxEmail(
            idempotency_key="tablet-width-check",
            message_id="<tablet-width-check@afterword.test>",
            kind="we_fixed_it",
            recipient="alexandra.montgomery-whitfield@very-long-company-name-limited.example",
            subject="We changed it",
            body_text="x",
            body_html="<p>x</p>",
            status="failed",
            attempts=6,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable at mx1.very-long-company-name-limited.example",
        )
        _db.session.add(email)
        _db.session.commit()
        email_id = email.id
        _db.session.remove()
    try:
        page = open_page(viewport=TABLET)
        sign_in_once(page, live, *live.users["admin"])
        problems: list[str] = []
        for width in (768, TABLET["width"], 1024):  # and from 1024 px every column again
            page.set_viewport_size({**TABLET, "width": width})
            for name, shown in (("customers", "ext-"), ("outbox", "mailbox unavailable")):
                page.goto(live.url + PAGES[name])
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    problems.append(f"{name} at {width} px scrolls sideways")
                for wrap in page.locator(".table-wrap").all():
                    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
                    if sizes[0] > sizes[1] + 1:
                        problems.append(f"{name} at {width} px: a table {sizes[0]} px wide in {sizes[1]} px")
                assert page.locator("table thead").last.is_visible(), (name, width)  # a table, not stacked
                assert page.locator(f"text={shown} >> visible=true").count(), (name, width, shown)
                if width == TABLET["width"]:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-tablet.png"), full_page=True)
        assert not problems, "\n".join(problems)
    finally:
        with live.app.app_context():
            _db.session.execute(delete(OutboxEmail).where(OutboxEmail.id == email_id))
            _db.session.commit()
            _db.session.remove()


def test_the_summary_on_a_phone_numbers_each_root_cause_in_its_name(live, open_page):
    """Each root cause's block on a phone opened with a line "# 1" of its own; now "1. Price"."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users["product"])
    page.goto(live.url + PAGES["summary"])
    rows = page.locator("table.causes-table tbody tr")
    assert rows.count() >= 2
    assert page.locator("table.causes-table td[data-label='#']:visible").count() == 0
    assert rows.first.locator("th").inner_text().startswith("1. ")
    assert rows.nth(1).locator("th").inner_text().startswith("2. ")
    page.set_viewport_size(DESKTOP)
    assert rows.first.locator("td").first.inner_text() == "1"
    assert not rows.first.locator("th").inner_text().startswith("1.")


def test_a_lines_charts_hover_writes_a_small_rate_as_the_table_does(live, open_page):
    """The lines charts' hover (churn rates, shares by month) wrote whole percents: "0%" for a rate of
    0.4% a month, beside a table that says "0.4%". It now writes one decimal below 10%. The churn
    chart's y-axis read "Share of themed customers"; it now reads "Churn rate (% per month)"."""
    left = (date.today().replace(day=1) - timedelta(days=10)).replace(
        day=1
    )  # when the fixture's customers left
    with live.app.test_request_context():
        churn_rates.import_csv(f"month,active_customers\n{left:%Y-%m},4000\n".encode(), actor="test")
        rate = next(r.churn_rate for r in churn_rates.monthly() if r.month == left)
        month = month_name(left)  # as the chart and the table write it ("Jun 2026")
        _db.session.remove()
    expected = f"{rate * 100:.1f}%"
    assert rate and expected != "0.0%" and rate < 0.01
    try:
        page = open_page(viewport=DESKTOP)
        sign_in_once(page, live, *live.users["cx"])
        page.goto(live.url + "/dashboard/churn")
        page.wait_for_selector("#churn-chart .main-svg")
        assert expected in page.locator("table").first.inner_text()
        point = page.evaluate("m => document.getElementById('churn-chart').data[0].x.indexOf(m)", month)
        page.evaluate("i => Plotly.Fx.hover('churn-chart', [{curveNumber: 0, pointNumber: i}])", point)
        # the hover label is drawn by Plotly after the call: wait for the text, not just the element
        expect(page.locator("#churn-chart .hovertext").first).to_contain_text(f"{month}: {expected}")
        # the churn chart's value axis names a churn rate and its unit, not the themes' shares
        assert page.locator("#churn-chart .g-ytitle").text_content() == "Churn rate (% per month)"
        page.goto(live.url + PAGES["themes"])
        page.wait_for_selector("#shares-chart .g-ytitle")
        assert page.locator("#shares-chart .g-ytitle").text_content() == "Share of themed customers"
    finally:
        with live.app.app_context():
            _db.session.execute(delete(ActiveCount).where(ActiveCount.month == left))
            _db.session.commit()
            _db.session.remove()


def test_a_themes_answers_fit_the_card_with_long_theme_labels_to_move_to(live, open_page):
    """(Before the progress test, which ends the run these answers belong to.) The Move menu lists every theme label; a long one no longer widens the column until "Split
    off" is pushed out of the card (it was reachable only by scrolling the table sideways), at any width."""
    with live.app.app_context():
        price = _db.session.get(Theme, live.ids["theme"])
        _db.session.add(
            Theme(
                stable_key="t-long",
                label="Charged for seats after we removed the users from the admin console",
                category="billing",
                keywords=["seats"],
                quotes=[],
                size=0,
                first_seen_run_id=price.first_seen_run_id,
                last_seen_run_id=price.last_seen_run_id,
            )
        )
        _db.session.commit()
        _db.session.remove()
    # On a phone and a tablet (up to 1023 px) each answer is one block as wide as the card; at 820
    # px the nine columns took 953 px in a 738 px card, the Move menu behind a sideways scroll.
    page = open_page(viewport=DESKTOP)
    sign_in_once(page, live, *live.users["cx"])
    small_laptop = {"width": 1024, "height": 768}
    for viewport in (DESKTOP, small_laptop, TABLET, PHONE):
        page.set_viewport_size(viewport)
        page.goto(live.url + PAGES["theme"].format(**live.ids))
        wrap = page.locator(".answers-table").locator("xpath=..")
        sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert sizes[0] <= sizes[1] + 2, (viewport, sizes)  # no sideways scrolling inside the card
        box = wrap.bounding_box()
        for cell in ("td[data-label='Monthly revenue']", "input[form=split-form]"):
            inner = page.locator(cell).first.bounding_box()
            assert box and inner and inner["x"] + inner["width"] <= box["x"] + box["width"], (cell, box)
        if viewport in (DESKTOP, small_laptop):
            assert page.locator("select[id^=move-]").first.bounding_box()["width"] <= 16 * 11 + 1
        else:  # what they wrote reads from the left, not as ragged right-aligned prose
            text = page.locator(".answers-table td").first
            assert text.evaluate("td => getComputedStyle(td).textAlign") in ("left", "start")


def test_progress_and_queue_actions_update_in_place_without_a_reload(live, open_page):
    """htmx swaps the run block to "finished" when the run ends, and one queue entry when it is
    marked handled; the page itself is never reloaded (a marker set in it survives), and focus moves
    to what a button pressed was replaced with."""
    page = open_page(viewport=DESKTOP)
    sign_in_once(page, live, *live.users["cx"])
    page.goto(live.url + "/dashboard/themes?start=&end=&plan=team")
    assert "running" in page.locator("#run-status").inner_text()
    page.evaluate("window.stayed = 'themes'")
    with live.app.app_context():
        run = _db.session.get(AnalysisRun, live.run_id)
        run.status, run.stage, run.progress = "succeeded", "done", 1.0
        run.counts = {"answers": 18, "themes": 2}
        _db.session.commit()
        _db.session.remove()
    page.wait_for_function(
        "() => /finished/.test(document.querySelector('#run-status').textContent)", timeout=10_000
    )
    assert "running" not in page.locator("#run-status").inner_text()
    assert "18 answers, 2 themes" in page.locator("#run-status").inner_text()
    page.wait_for_selector("#pareto-chart .bars path")  # the swapped-in page's charts are drawn
    assert page.locator("select[name=plan]").input_value() == "team", "the same filters"
    assert page.evaluate("window.stayed") == "themes", "the page was reloaded"

    page.goto(live.url + PAGES["follow-ups"])
    page.evaluate("window.stayed = 'queue'")
    # pressed from the keyboard: focus moves to what replaced the button (it was left on the body)
    page.get_by_role("button", name="Show contact details").first.focus()
    page.keyboard.press("Enter")
    page.locator(".contact-details").first.wait_for()
    assert "@" in page.locator(".contact-details").first.inner_text()
    expect(page.locator(".contact-details").first).to_be_focused()
    mark = page.get_by_role("button", name="Mark handled", exact=True)
    open_before = mark.count()
    mark.first.focus()
    expect(mark.first).to_be_focused()  # the contact swap's focus move has settled before the key goes
    page.keyboard.press("Enter")
    page.get_by_text("Marked handled").wait_for()
    expect(mark).to_have_count(open_before - 1)
    expect(page.locator(".queue-entry", has_text="Marked handled")).to_be_focused()
    assert page.evaluate("window.stayed") == "queue", "the page was reloaded"


def test_filter_bars_are_cards_and_a_long_reason_wraps_inside_its_card_on_a_phone(live, open_page):
    """Pico draws role=search as one pill-shaped input group; the filter bars keep the role (a
    landmark for screen readers) and look like every other card, each field with its own corners.
    On a phone, the follow-up queue's longest reason badge wraps instead of sticking out of its card.
    (One sign-in for both: the module stays under the sign-in rate limit.)"""
    with live.app.app_context():
        from feedback_app.models import FollowUp, Response

        answer = _db.session.scalars(select(Response).order_by(Response.id)).first()
        _db.session.add(
            FollowUp(response_id=answer.id, reason="Very negative answer from a high-value customer")
        )
        _db.session.commit()
        _db.session.remove()
    page = open_page(viewport=DESKTOP)
    sign_in_once(page, live, *live.users["cx"])
    for url in ("/dashboard/customers", "/dashboard/conversations", "/dashboard/complaints"):
        page.goto(live.url + url)
        bar = page.get_by_role("search")
        assert bar.count() == 1, url
        corners = bar.evaluate(
            """form => [form, ...form.querySelectorAll('input:not([type=checkbox]), select')]
            .map(el => [getComputedStyle(el).borderTopLeftRadius, getComputedStyle(el).borderTopRightRadius])"""
        )
        card_corner = corners[0][0]
        assert card_corner == "4px", (url, card_corner)  # a card's radius, not Pico's 5rem pill
        assert all(left == right == card_corner for left, right in corners[1:]), (url, corners)

    page.set_viewport_size(PHONE)
    page.goto(live.url + "/dashboard/follow-ups?reason=Very+negative+answer+from+a+high-value+customer")
    assert page.locator(".meta .badge").count() >= 1
    assert _wider_than(page, PHONE["width"]) == []


def test_the_product_team_reaches_its_profile_from_the_header_on_a_laptop(live, open_page):
    """Product's four sections leave the header room for the signed-in address, the only link to
    the profile (the weekly digest setting): it was hidden below 1600 px for product users."""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["product"])
    page.goto(live.url + PAGES["overview"])
    address = page.locator(".signed-in-as")
    assert address.is_visible()
    tops = page.evaluate(
        """() => ['.brand', '.staff-nav > ul > li:nth-last-child(3)', '.signed-in-as', '.signout button']
        .map(s => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert max(tops) - min(tops) < 24, f"the header wraps: {tops}"
    address.click()
    assert page.url.endswith("/dashboard/profile")


@pytest.mark.parametrize("role", ["admin", "cx", "product"])
def test_every_role_reaches_its_profile_at_every_width(live, open_page, role):
    """The signed-in address, the only link to the profile (the weekly digest), was hidden below
    1024 px for every role, and from 1440 to 1599 px for CX and admins: there the menu ends with
    "Profile" instead. One of the two shows at each width, the menu still on one line on a desktop,
    and on a phone "Profile" opens the profile."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.users[role])
    links = page.locator("header a[href$='/dashboard/profile']")
    problems = []
    for width in (390, 800, 1100, 1280, 1440, 1520, 1600, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live.url + PAGES["overview"])
        shown = [link.inner_text() for link in links.all() if link.is_visible()]
        if len(shown) != 1:
            problems.append(f"{width}px: {len(shown)} profile links shown {shown}")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{width}px: the page scrolls sideways")
        if width >= 1440 and page.locator(".site-header").bounding_box()["height"] >= 80:
            problems.append(f"{width}px: the menu wraps")
    assert not problems, f"{role}: " + "; ".join(problems)
    page.set_viewport_size(PHONE)
    page.goto(live.url + PAGES["overview"])
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Profile").click()
    page.wait_for_url(f"{live.url}/dashboard/profile")
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    assert page.locator(".staff-nav a[aria-current='page']").inner_text() == "Profile"


def test_the_long_menu_stays_on_one_line_on_a_1280_pixel_laptop(live, open_page):
    """CX (nine sections) and admins (ten) at 1280 px: "Win-back" and "Admin" wrapped onto a
    second line; the menu now has a row of its own, on one line, with the signed-in address above."""
    for role in ("admin", "cx"):
        page = open_page(viewport=LAPTOP)
        sign_in_once(page, live, *live.users[role])
        page.goto(live.url + PAGES["overview"])
        tops = page.evaluate(
            "() => Array.from(document.querySelectorAll('.staff-nav > ul > li:not(.nav-profile):not([hidden])')).map(li => li.getBoundingClientRect().top)"
        )
        assert len(tops) >= 9 and max(tops) - min(tops) < 2, f"{role}: the menu wraps: {tops}"
        assert page.locator(".signed-in-as").is_visible(), role
        assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], role


#: The cells holding only a date, a figure's note or an interval that break over two lines.
BROKEN_NOTES = r"""() => {
    const lines = el => { const r = document.createRange(); r.selectNodeContents(el);
        return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size; };
    const days = Array.from(document.querySelectorAll('td'))
        .filter(td => /^\d{4}-\d{2}-\d{2}$/.test(td.textContent.trim()));
    const notes = Array.from(document.querySelectorAll('td > .note, td > .help'))
        .filter(el => /^\(?[+−-]?[$\d][^a-z]*\)?$|as a second reason$/.test(el.textContent.trim()));
    return days.concat(notes).filter(el => el.getClientRects().length && lines(el) > 1)
        .map(el => el.textContent.trim());
}"""


#: The table cells whose words are only a figure ("12", "$9,900", "45%", "−11 points"), their notes
#: (".help": "+1 as a second reason", an interval) left aside, and how each is aligned.
FIGURE_CELLS = r"""() => {
  const figure = /^[+\-−]?[$€£]?\s?\d[\d,.\u00a0\u202f ]*(%|\s?k|\s?points?)?$/;
  return Array.from(document.querySelectorAll('main table tbody td')).flatMap(td => {
    const words = td.cloneNode(true);
    words.querySelectorAll('.help, .visually-hidden').forEach(note => note.remove());
    const text = words.textContent.trim();
    if (!figure.test(text) || !td.getClientRects().length) return [];
    const style = getComputedStyle(td);
    const column = td.closest('table').querySelectorAll('thead th')[td.cellIndex];
    return [{text, column: column ? column.textContent.trim() : '?', align: style.textAlign,
             digits: style.fontVariantNumeric}];
  });
}"""


def test_figures_line_up_and_no_date_or_figure_note_breaks_over_two_lines_on_a_laptop(live, open_page):
    """Counts, money, percents and scores line up on their last digit (they were left-aligned,
    so 9 sat under the 1 of 12 and $4,900 under the $ of $99,000); dates and words stay left.

    And at 1280 px the win-back candidates' "Left" column broke each date at its hyphens ("2026-05-"
    over "25"), and the themes page's root causes broke their notes mid-phrase ("+17 as a second"
    over "reason", "(25%–" over "38%)"): a cell holding only a date, a figure's note and an
    interval each keep to one line on every main page. (One test, one load of each page: both
    read the same pages as an admin at 1280 px.)"""
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.users["admin"])
    left: list[str] = []
    broken: list[str] = []
    seen = 0
    for name, path in {**PAGES, "funnel": "/dashboard/invitations/funnel?start=&end="}.items():
        assert page.goto(live.url + path.format(**live.ids)).status == 200, name
        if name in PAGES:
            broken += [f"{name}: {text}" for text in page.evaluate(BROKEN_NOTES)]
        for cell in page.evaluate(FIGURE_CELLS):
            seen += 1
            if cell["align"] not in ("right", "end") or "tabular-nums" not in cell["digits"]:
                left.append(
                    f"{name}: {cell['column']!r} {cell['text']!r} ({cell['align']}, {cell['digits']})"
                )
    assert seen > 100  # the pages have figures to check
    assert not left, "\n".join(sorted(set(left)))
    assert not broken, broken
