"""A hyphenated word in a heading stays on one line: on a phone the opt-out page's German heading
read "Keine E-" / "Mails mehr von ...?", a staff page's "Win-" / "back". The words themselves are
not changed, so copying a heading gives what it says (feedback_app/headings.py).

The Chromium is the session's one ``browser`` (tests/app/conftest.py).
"""

from __future__ import annotations

import time

import pytest

from feedback_app.headings import keep_hyphenated_words
from tests.app.browser_support import LiveServer
from tests.app.survey_helpers import shipped_survey

LANGUAGES = ("en", "de", "es", "fr", "pt")
#: A hyphenated company name puts a hyphen in the English and Spanish headings too.
COMPANY = "Roll-Up Self-Service"


def test_only_the_words_of_headings_are_wrapped_never_their_tags_or_other_text():
    page = (
        '<p>E-Mails</p><h1 class="x-y">Keine E-Mails von <a href="/a-b" title="c-d">Roll-Up</a>, 2026-12-05</h1>'
        "<h2>No hyphen &amp; an entity&#39;s - dash</h2>"
    )
    assert keep_hyphenated_words(page) == (
        '<p>E-Mails</p><h1 class="x-y">Keine <span class="keep">E-Mails</span> von '
        '<a href="/a-b" title="c-d"><span class="keep">Roll-Up</span></a>, <span class="keep">2026-12-05</span></h1>'
        "<h2>No hyphen &amp; an entity&#39;s - dash</h2>"
    )


def test_a_big_page_of_unclosed_headings_is_handled_in_linear_time():
    # 3,000 unclosed <h3> in 4 MB took 121 s when a heading's text ran to the next </hN> anywhere.
    chunk = "<h3>Win-back " + "x" * 330 + "\n"
    page = chunk * (1_000_000 // len(chunk)) + "<h2>Roll-Up</h2>"
    started = time.perf_counter()
    result = keep_hyphenated_words(page)
    assert time.perf_counter() - started < 2
    # The unclosed headings are left as they are; the closed one after them still gets its span.
    assert result == page.replace("<h2>Roll-Up</h2>", '<h2><span class="keep">Roll-Up</span></h2>')


def test_a_page_gets_it_in_its_headings_only(client, app, make):
    app.config["COMPANY_NAME"] = COMPANY
    _, token = make.invitation(
        customer=make.customer(language="de"), survey=shipped_survey("saas_cancellation")
    )
    page = client.get(f"/s/{token}/opt-out?lang=de").get_data(as_text=True)
    assert '<h1>Keine <span class="keep">E-Mails</span> mehr von <span class="keep">Roll-Up</span> ' in page
    assert "<title>" in page and '<span class="keep">' not in page.split("<title>")[1].split("</title>")[0]


#: Each ``.keep`` word in a heading that lies on more than one line, and the page scrolling sideways.
BROKEN = """() => {
  const problems = [];
  for (const word of document.querySelectorAll('h1 .keep, h2 .keep, h3 .keep')) {
    const range = document.createRange(); range.selectNodeContents(word);
    const lines = new Set([...range.getClientRects()].map(b => Math.round(b.top))).size;
    if (lines > 1) problems.push(word.textContent + ' broken over ' + lines + ' lines');
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('scrolls sideways');
  return problems;
}"""


@pytest.fixture
def server(app):
    app.config["COMPANY_NAME"] = COMPANY
    live = LiveServer(app)
    yield live.url
    live.stop()


@pytest.mark.browser
def test_a_hyphenated_word_in_a_heading_stays_whole_on_a_phone_in_every_language(open_page, server, make):
    survey = shipped_survey("saas_cancellation")
    found: dict[str, list[str]] = {}
    checked = 0
    for language in LANGUAGES:
        customer = make.customer(name="Lea Roth", language=language)
        _, token = make.invitation(customer=customer, survey=survey)
        page = open_page(viewport={"width": 320, "height": 800}, locale=language)
        page.goto(f"{server}/s/{token}/opt-out?lang={language}")
        heading = page.locator("h1")
        # the text as written: copying the heading gives the words, hyphens and all
        assert "Roll-Up Self-Service" in heading.inner_text()
        for width in range(320, 391, 5):
            page.set_viewport_size({"width": width, "height": 800})
            checked += heading.locator(".keep").count()
            for problem in page.evaluate(BROKEN):
                found.setdefault(f"{language} at {width} px", []).append(problem)
    assert found == {}
    assert checked >= 5 * 15 * 2  # at least the company's two words in every language and width


def test_a_downloaded_html_report_is_left_as_built(client, login):
    # a download is a file, not a page: it has no app.css to give the span its meaning
    login("product")
    report = client.get("/dashboard/summary/export.html", query_string={"start": "", "end": ""})
    assert report.headers["Content-Disposition"].startswith("attachment")
    html = report.get_data(as_text=True)
    assert "root-cause summary</h1>" in html and '<span class="keep">' not in html
