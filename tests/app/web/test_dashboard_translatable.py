"""The staff dashboard stays English but is translatable: every word it shows goes through gettext.

Two checks. In the template sources, no words outside ``{{ _() }}``/``{% trans %}`` (all branches,
rendered or not). On rendered pages, with a pseudo-catalogue where every message is its English
wrapped in ⟦…⟧, every visible word is inside the markers except data (customer, theme, brand).
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from feedback_app.i18n import TRANSLATIONS_DIR, babel, month_name
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights import root_causes
from tests.app.web.staff_world import XSS, seed_world
from tests.app.web.template_text import WORD, bare_text

TEMPLATES = Path(__file__).resolve().parents[3] / "feedback_app" / "templates"
STAFF_TEMPLATES = sorted(
    [TEMPLATES / "staff_base.html", TEMPLATES / "_field.html"]
    + [TEMPLATES / "email" / "digest.html", TEMPLATES / "email" / "digest.txt"]
    + [
        p
        for folder in ("admin", "auth", "customers", "outbox", "conversations", "insights", "winback")
        for p in (TEMPLATES / folder).glob("*.html")
    ]
)
#: Template text that is not prose: a class name given as a block's content, the product's name.
NOT_PROSE = {"staff", "Afterword"}
#: Signed-in pages (and the sign-in page) whose every word is checked on the rendered page (their Python
#: strings are through gettext); ``{theme_id}`` and the like name the seeded world's rows.
RENDERED = [
    "/dashboard/profile",
    "/dashboard/overview",
    "/dashboard/themes",
    "/dashboard/themes/{theme_id}",
    "/dashboard/causes/{cause_key}",
    "/dashboard/follow-ups",
    "/dashboard/actions",
    "/dashboard/actions/{item_id}",
    "/dashboard/win-back",
    "/dashboard/win-back/campaigns",
    "/dashboard/win-back/campaigns/{campaign_id}",
    "/dashboard/cpr/{customer_id}",
    "/dashboard/churn",
    "/dashboard/ledger",
    "/dashboard/complaints",
    "/dashboard/cpr",
    "/dashboard/outbox",
    "/dashboard/outbox/files",
    "/dashboard/invitations/new",
    "/dashboard/invitations/funnel",
    "/dashboard/customers",
    "/dashboard/customers/{customer_id}",
    "/dashboard/customers/import",
    "/dashboard/conversations",
    "/dashboard/conversations/{conversation_id}",
    "/dashboard/conversations/import",
    "/dashboard/interviews",
    "/dashboard/admin/privacy",
    "/dashboard/admin/api-keys",
    "/dashboard/admin/webhooks",
]
# Not here: the summary (its sentences come from the report service the CLI shares), the audit log
# (the service's lines), staff roles (codes), and the editable default emails to former customers.


@pytest.mark.parametrize("path", STAFF_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_staff_template_text_is_all_through_gettext(path):
    name = str(path.relative_to(TEMPLATES))
    bare = [t.text.strip() for t in bare_text(path.read_text()) if t.text.strip() not in NOT_PROSE]
    assert not bare, f"{name}: words outside gettext: {bare}"


def _pseudo_catalogue(target: Path) -> Path:
    """``en`` compiled from messages.pot with every message shown as ⟦its English⟧."""
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as pot:
        catalogue = read_po(pot, locale="en")
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(f"⟦{form}⟧" for form in message.id)
        else:
            message.string = f"⟦{message.id}⟧"
    mo = target / "en" / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as out:
        write_mo(out, catalogue)
    return target


@pytest.fixture
def app_overrides(tmp_path):
    return {"BABEL_TRANSLATION_DIRECTORIES": str(_pseudo_catalogue(tmp_path / "pseudo"))}


@pytest.fixture
def pseudo_cache():
    """Flask-Babel caches catalogues per process: start and leave with an empty cache."""
    babel.domain_instance.cache.clear()
    yield
    babel.domain_instance.cache.clear()


class _Words(HTMLParser):
    """Visible text and the labels a screen reader speaks, with where ⟦…⟧ opens and closes."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "title"):
            self.skip += 1
        values = dict(attrs)
        self.parts += [values[a] or "" for a in self.SPOKEN if a in values]
        if tag == "input" and values.get("type") == "submit":
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _outside_markers(html: str, data: list[str]) -> list[str]:
    parser = _Words()
    parser.feed(html)
    depth, outside, current = 0, [], ""
    for char in "\n".join(parser.parts):
        if char in "⟦⟧":
            depth += 1 if char == "⟦" else -1
            outside.append(current)
            current = ""
        elif depth == 0:
            current += char
    outside.append(current)
    for value in data:
        outside = [part.replace(value, " ") for part in outside]
    return [part.strip() for part in outside if WORD.search(part)]


def _month_names(app) -> list[str]:
    """Every month of the last three years as the pages write it."""
    today = date.today()
    with app.test_request_context():
        return [
            month_name(date(year, month, 1))
            for year in range(today.year - 2, today.year + 1)
            for month in range(1, 13)
        ]


def test_staff_pages_show_no_word_outside_the_catalogue(app, client, login, db, make, pseudo_cache):
    world = seed_world(app, db, make)
    pages = {"/auth/login": client.get("/auth/login")}
    admin = login("admin", email="boss@staff.example")
    pages.update({url: client.get(url.format(**world)) for url in RENDERED})
    seeded = (
        "Pat",
        "Bugs",
        "Fix",
        "Win",
        "Offer",
        "Hi",
        "Hello",
        "billing",
        "It broke.",
        "asked for contact",
    )
    data = [
        *(f"{words} {XSS}" for words in seeded),
        XSS,
        '"Pat ' + XSS.replace('"', '\\"') + '"',  # the written email's To header
        *(name for _key, name in root_causes.cause_choices()),
        # what each root cause covers, from the taxonomy as its names are (data, not the catalogue)
        *filter(None, (root_causes.cause_description(key) for key, _name in root_causes.cause_choices())),
        # the survey's key and title; the customer's plan, segment, source and id
        *("exit", "Why did you leave?", "team", "smb", "test", "ext-pat"),
        *(data_words(value) for value in ("team", "smb", "test")),  # as the pages write them
        admin.email,
        # month names ("Jun 2026") come from Babel's locale data, not from the catalogue
        *_month_names(app),
        "pat.xss@example.org",
        "pat.xss",  # the customers list may wrap the address before its "@"
        "@example.org",
        app.config["COMPANY_NAME"],
        "Afterword",
    ]
    found = {}
    for url, page in pages.items():
        assert page.status_code == 200, url
        bare = _outside_markers(page.get_data(as_text=True), data)
        if bare:
            found[url] = bare
    assert "⟦Sign out⟧" in client.get("/dashboard/profile").get_data(as_text=True)
    chart_words = re.search(r"data-words='([^']*)'", pages["/dashboard/themes"].get_data(as_text=True))
    assert chart_words and all(
        "⟦" in word for word in json.loads(html.unescape(chart_words.group(1))).values()
    )
    assert not found, found
