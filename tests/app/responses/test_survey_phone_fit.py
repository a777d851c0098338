"""Every page a former customer can land on, at 320, 360 and 390 px in each of the five languages:
nothing scrolls sideways or is cut at the edge, the language switch stays one row beside the
company's name (five names side by side wrapped "Português" onto a second line at 390 px), and every
control is a tap target at least 44 px high (an answer's whole row, not only its 20 px button).

The Chromium is the session's one ``browser`` (tests/app/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from feedback_app.models import utcnow
from tests.app.browser_support import LiveServer
from tests.app.survey_helpers import shipped_survey

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "de", "es", "fr", "pt")
WIDTHS = (320, 360, 390)

#: What a person would notice on the page as it stands, one line per problem (none: an empty list).
PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + ' "' + (el.textContent || el.name || '').trim().slice(0, 40) + '"';
  const skipped = (el) => el.closest('.skip-link, .visually-hidden, svg');
  if (document.documentElement.scrollWidth > width) problems.push('scrolls sideways: ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || skipped(el)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) problems.push('cut at the edge: ' + describe(el));
  }
  const targets = 'a, button, summary, textarea, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), .choice label';
  for (const el of document.body.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    if (!box.width || skipped(el)) continue;
    if (box.height < 44) problems.push('tap target ' + Math.round(box.height) + ' px high: ' + describe(el));
  }
  return problems;
}"""

#: The language switch: closed, one row beside the brand; open, each name on one line in the window.
SWITCH = """() => {
  const problems = [];
  const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
  const summary = document.querySelector('.language-switch summary');
  if (!summary) {
    const rows = new Set([...document.querySelectorAll('.language-switch a, .language-switch li button')].map(a => Math.round(a.getBoundingClientRect().top)));
    return ['language names on ' + rows.size + ' rows, with no button to open them'];
  }
  const button = summary.getBoundingClientRect();
  if (button.top >= brand.bottom) problems.push('language button on a row below the name');
  const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; };
  if (lines(summary.querySelector('[lang]')) > 1) problems.push('language button wraps');
  return problems;
}"""

OPENED = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  for (const a of document.querySelectorAll('.language-switch a, .language-switch li button')) {
    const box = a.getBoundingClientRect();
    const r = document.createRange(); r.selectNodeContents(a);
    if (new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1) problems.push(a.textContent + ' wraps');
    if (box.height < 44) problems.push(a.textContent + ' ' + Math.round(box.height) + ' px high');
    if (box.right > width || box.left < 0) problems.push(a.textContent + ' cut at the edge');
  }
  return problems;
}"""


@pytest.fixture
def app_overrides():
    """Page after page from one address within seconds: the survey's rate limit is not under test here."""
    return {"RATELIMIT_SURVEY": "1000/minute"}


@pytest.fixture
def server(app):
    live = LiveServer(app)
    yield live.url
    live.stop()


def _post_from(page, path: str) -> None:
    """A form POST to ``path`` with no signed field, as a stale or tampered page would send."""
    with page.expect_navigation():
        page.evaluate(
            "path => { const f = document.createElement('form'); f.method = 'post'; f.action = path;"
            " document.body.append(f); f.submit(); }",
            path,
        )


def look(page, found: dict[str, list[str]], name: str, switch: bool = True) -> None:
    """Note what is wrong with the page as it stands under ``name``, at each phone width in turn: its
    fit and tap targets, and (``switch``) its language button, closed and then open.

    The page is loaded once and the window resized through the widths: the survey's pages are laid
    out by CSS alone (survey.js reads no size), and a media query applies on a resize as on a load.
    Checked once (December 2026), widening and narrowing: every element's box, and the page's width,
    on each of these eight pages in each language at each width was the same after a resize as after
    a fresh load at that width (240 comparisons). A third of the page loads, about half the CPU."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems = page.evaluate(PROBLEMS)
        if switch:
            problems += page.evaluate(SWITCH)
        if switch and page.locator(".language-switch summary").count():
            page.locator(".language-switch summary").click()
            problems += page.evaluate(OPENED)
            page.locator(".language-switch summary").click()
        if problems:
            found[f"{name} at {width} px"] = problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_survey_page_fits_a_phone_in_every_language(open_page, server, make, language):
    survey = shipped_survey("saas_cancellation")
    found: dict[str, list[str]] = {}
    customer = make.customer(name="Maximiliane Schwarzenberger", language=language)
    _, token = make.invitation(customer=customer, survey=survey)
    answered, done = make.invitation(customer=make.customer(name="Zoë Kowalski"), survey=survey)
    make.response(answered)
    earlier, old = make.invitation(customer=make.customer(name="Ana"), survey=survey)
    make.response(earlier, submitted_at=utcnow() - timedelta(days=3))
    page = open_page(viewport={"width": WIDTHS[0], "height": 800}, locale=language)

    page.goto(f"{server}/s/{token}?lang={language}")
    look(page, found, f"{language} survey")
    with page.expect_navigation():  # to the page's load event: its stylesheets applied
        page.locator(".survey-form button[type=submit]").click()  # nothing answered: three answers missing
    assert page.locator("#error-summary").is_visible()
    look(page, found, f"{language} survey with errors")
    page.goto(f"{server}/s/{token}/opt-out?lang={language}")
    look(page, found, f"{language} opt-out")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    look(page, found, f"{language} opted out")
    page.goto(f"{server}/s/{done}/thanks?lang={language}")
    look(page, found, f"{language} thank you")
    page.goto(f"{server}/s/{old}?lang={language}")
    look(page, found, f"{language} already answered")
    page.goto(f"{server}/s/no-such-link")
    look(page, found, f"{language} unknown link", switch=False)
    _post_from(page, "/s/no-such-link")
    look(page, found, f"{language} refused form", switch=False)
    assert found == {}


def test_every_question_starts_at_the_same_edge(open_page, server, make):
    """A question answered with buttons (a fieldset, its prompt a legend) started 2 px right of one
    answered in a box (its prompt a label): Chromium pads a legend. Every question's number and
    prompt now start at one edge."""
    _, token = make.invitation(customer=make.customer(name="Ana"), survey=shipped_survey("saas_cancellation"))
    page = open_page(viewport={"width": 390, "height": 800})
    page.goto(f"{server}/s/{token}")
    lefts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.question-number')).filter(n => n.getClientRects().length)"
        ".map(n => Math.round(n.getBoundingClientRect().left))"
    )
    assert len(lefts) >= 4 and len(set(lefts)) == 1, lefts


@pytest.mark.parametrize("kind", ["invitation", "reminder"])
def test_the_survey_email_fits_a_phone_reads_in_a_column_on_a_laptop_in_the_company_colour(
    open_page, app, make, kind
):
    """The email that brings them: on a phone its link to copy ran 140 px off the screen (no
    viewport, an unbreakable address); on a laptop its lines ran the window's whole width; its
    button was a fixed blue whatever the company's colour on the survey page it opens."""
    from feedback_app.services.outreach.emails import compose

    app.config["BRAND_COLOUR"] = "#7a1f5c"
    customer = make.customer(name="Lea Roth", language="de")
    _, token = make.invitation(customer=customer, survey=shipped_survey("saas_cancellation"))
    html = compose(kind, customer, shipped_survey("saas_cancellation"), token).body_html

    phone = open_page(viewport={"width": 360, "height": 740})
    phone.set_content(html)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    button = phone.get_by_role("link", name="Sagen Sie uns, warum Sie gegangen sind")
    assert button.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(122, 31, 92)"
    laptop = open_page(viewport={"width": 1280, "height": 800})
    laptop.set_content(html)
    widths = laptop.evaluate(
        "Array.from(document.querySelectorAll('p')).map(p => p.getBoundingClientRect().width)"
    )
    assert max(widths) <= 600
