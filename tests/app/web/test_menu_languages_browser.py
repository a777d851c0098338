"""The dashboard's header in each shipped language's words, in Debian's Chromium.

The dashboard is English today (``feedback_app/i18n.py``: staff cannot pick a language), but every
word of it goes through gettext so that it can be translated. A translation makes the menu longer:
German's "Zusammenfassung" and "Rückgewinnung", Portuguese "Acompanhamentos". The header must hold
any of them: every section on one line, no label broken over two, nothing cut off or pushed past
the window, for each role, at the widths laptops and desktops have. The words come through a real
catalogue (compiled for ``en``, the locale staff pages use), as a translator's would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from feedback_app.extensions import db as _db
from feedback_app.i18n import babel
from tests import factories
from tests.app.browser_support import LiveServer, browser_app, sign_in_once

pytestmark = pytest.mark.browser

#: The header's words as each shipped language's translator would likely write them (the longest
#: usual choice where there are several), keyed by the English message.
HEADER_WORDS = {
    "de": {
        "Overview": "Übersicht",
        "Customers": "Kunden",
        "Email": "E-Mail",
        "Conversations": "Gespräche",
        "Themes": "Themen",
        "Summary": "Zusammenfassung",
        "Action plan": "Maßnahmenplan",
        "Follow-ups": "Nachfassaktionen",
        "Win-back": "Rückgewinnung",
        "Admin": "Verwaltung",
        "Profile": "Profil",
        "Sign out": "Abmelden",
        "More": "Mehr",
    },
    "es": {
        "Overview": "Resumen general",
        "Customers": "Clientes",
        "Email": "Correo",
        "Conversations": "Conversaciones",
        "Themes": "Temas",
        "Summary": "Síntesis",
        "Action plan": "Plan de acción",
        "Follow-ups": "Seguimientos",
        "Win-back": "Recuperación",
        "Admin": "Administración",
        "Profile": "Perfil",
        "Sign out": "Cerrar sesión",
        "More": "Más",
    },
    "fr": {
        "Overview": "Vue d’ensemble",
        "Customers": "Clients",
        "Email": "E-mail",
        "Conversations": "Conversations",
        "Themes": "Thèmes",
        "Summary": "Synthèse",
        "Action plan": "Plan d’action",
        "Follow-ups": "Relances",
        "Win-back": "Reconquête",
        "Admin": "Administration",
        "Profile": "Profil",
        "Sign out": "Se déconnecter",
        "More": "Plus",
    },
    "pt": {
        "Overview": "Visão geral",
        "Customers": "Clientes",
        "Email": "E-mail",
        "Conversations": "Conversas",
        "Themes": "Temas",
        "Summary": "Resumo",
        "Action plan": "Plano de ação",
        "Follow-ups": "Acompanhamentos",
        "Win-back": "Recuperação",
        "Admin": "Administração",
        "Profile": "Perfil",
        "Sign out": "Terminar sessão",
        "More": "Mais",
    },
}
#: How many sections each role's menu has (the profile apart).
SECTIONS = {"admin": 10, "cx": 9, "product": 4}
ROLES = tuple(SECTIONS)
WIDTHS = (1024, 1100, 1280, 1440, 1520, 1600, 1920)


def _write_catalogue(directory: Path, words: dict[str, str]) -> None:
    """``en`` with the header's messages translated as ``words`` says (the rest stays English)."""
    catalogue = Catalog(locale="en")
    for english, translated in words.items():
        catalogue.add(english, translated)
    mo = directory / "en" / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as out:
        write_mo(out, catalogue)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("menu-languages")
    catalogues = tmp / "catalogues"
    _write_catalogue(catalogues, {})
    server = LiveServer(browser_app(tmp, BABEL_TRANSLATION_DIRECTORIES=str(catalogues)))
    server.catalogues = catalogues
    with server.app.app_context():
        make = factories.Factories(_db.session)
        # addresses as long as real ones: the header cuts them, but they share its first row
        users = {
            role: make.staff_user(role, email=f"{role}.alexandra.montgomery-whitfield@customer-team.example")
            for role in ("admin", "cx", "product")
        }
        server.users = {role: (user.email, password) for role, (user, password) in users.items()}
        _db.session.remove()
    yield server
    with server.app.app_context():
        babel.domain_instance.cache.clear()
    server.stop()


@pytest.fixture(scope="module")
def windows(browser, live):
    """One signed-in window (browser context) per role, kept from one language to the next: a new
    context starts with an empty cache, and its first overview fetched and compiled Plotly again,
    about a second of CPU each time, four times over."""
    contexts = [browser.new_context(viewport={"width": WIDTHS[0], "height": 900}) for _ in ROLES]
    pages = {role: context.new_page() for role, context in zip(ROLES, contexts, strict=True)}
    for role, page in pages.items():
        sign_in_once(page, live, *live.users[role], form=_sign_in)
    yield pages
    for context in contexts:
        context.close()


def _sign_in(page, live: LiveServer, email: str, password: str) -> None:
    """Signs in by the fields' ids: their labels are translated too ("E-Mail")."""
    page.goto(f"{live.url}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#submit").click()
    page.wait_for_url(f"{live.url}/dashboard/")


def _menu_problems(page, width: int) -> list[str]:
    """What is wrong with the header at this width: sections on more than one line, a label broken
    over two lines, a label cut off or past the window's edge, the page scrolling sideways, a section
    missing from the menu and from its "More" list."""
    return page.evaluate(
        """width => {
        const problems = [];
        const items = Array.from(document.querySelectorAll('.staff-nav > ul > li')).filter(li => li.offsetParent);
        const tops = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
        if (tops.size > 1) problems.push(`sections on ${tops.size} lines`);
        for (const li of items) {
            const label = li.querySelector(':scope > a, :scope > details > summary'), box = label.getBoundingClientRect();
            if (label.getClientRects().length > 1 || box.height > parseFloat(getComputedStyle(label).lineHeight) * 1.6)
                problems.push(`"${label.textContent}" broken over two lines`);
            if (box.right > width || box.left < 0) problems.push(`"${label.textContent}" past the window's edge`);
        }
        const list = document.querySelector('.staff-nav > ul');
        if (list.scrollWidth > list.clientWidth + 1) problems.push('sections cut off at the end of the menu');
        if (document.documentElement.scrollWidth > width) problems.push('the page scrolls sideways');
        const out = document.querySelector('.signout button').getBoundingClientRect();
        if (out.right > width) problems.push('"Sign out" past the window');
        return problems;
    }""",
        width,
    )


def _more_problems(page, width: int, sections: int) -> list[str]:
    """Every section is in the menu or, opened, in its "More" list, inside the window."""
    problems = []
    more = page.locator(".staff-nav li.nav-more")
    if more.is_visible():
        more.locator("summary").click()
        for link in more.locator("details a").all():
            box = link.bounding_box()
            if not link.is_visible() or box["x"] < 0 or box["x"] + box["width"] > width:
                problems.append(f'"{link.inner_text()}" in "More" not shown inside the window')
        page.keyboard.press("Escape")
    reachable = page.locator(".staff-nav > ul > li:not(.nav-profile):not(.nav-more) > a:visible").count()
    reachable += more.locator("details a").count() if more.is_visible() else 0
    if reachable != sections:
        problems.append(f"{reachable} of {sections} sections in the menu")
    return problems


#: How the menu stands: each section's label, whether it is shown and in "More", its box; whether the
#: menu has a row of its own. What nav.js arranges, to compare one arrangement with another.
ARRANGEMENT = """() => [document.querySelector('.site-header').className,
    ...Array.from(document.querySelectorAll('.staff-nav li')).map(li => {
        const box = li.getBoundingClientRect();
        return [li.textContent.trim(), li.closest('.nav-more ul') !== null, li.offsetParent !== null,
                Math.round(box.left), Math.round(box.top), Math.round(box.width)];
    })]"""
#: Resolves after two animation frames: nav.js arranges the menu in the frame after the window's
#: resize event, so after two the arrangement for the new width is on the page.
ARRANGED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.parametrize("language", sorted(HEADER_WORDS))
def test_the_menu_stays_on_one_line_in_every_shipped_language(live, windows, language):
    """Before: in German the CX and admin menus wrapped at 1600 px ("Verwaltung" on a line of its
    own beside the brand) and at 1024 px; in Spanish and Portuguese as well.

    Each role's overview is loaded at the first width and the window then resized through the others,
    as a person widens a window: nav.js arranges the menu again on the resize event, from the whole
    menu each time, as a load does. Checked once for every language, role and width, widening and
    narrowing (December 2026): the arrangement (``ARRANGEMENT``) after a resize equalled the one after
    a fresh load at that width, all 126 times in de, es and fr. The test holds it at both ends: widened
    to the last width, the menu is arranged as a reload there arranges it; narrowed back to the first,
    as the first load was. Two loads per role instead of seven, in one window per role for the module
    (``windows``): about half the file's CPU."""
    _write_catalogue(live.catalogues, HEADER_WORDS[language])
    with live.app.app_context():
        babel.domain_instance.cache.clear()  # Flask-Babel caches catalogues per process
    problems = []
    for role, page in windows.items():
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(f"{live.url}/dashboard/overview")
        loaded = page.evaluate(ARRANGEMENT)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate(ARRANGED)
            assert page.locator(".staff-nav li").first.inner_text() == HEADER_WORDS[language]["Overview"]
            problems.extend(f"{role} at {width} px: {p}" for p in _menu_problems(page, width))
            problems.extend(f"{role} at {width} px: {p}" for p in _more_problems(page, width, SECTIONS[role]))
            shown = page.locator("header a[href$='/dashboard/profile']:visible").count()
            if shown != 1:
                problems.append(f"{role} at {width} px: {shown} links to the profile")
        # the window widened to the last width, then narrowed back to the first: arranged as if loaded there
        resized = page.evaluate(ARRANGEMENT)
        page.reload()
        if page.evaluate(ARRANGEMENT) != resized:
            problems.append(f"{role} at {WIDTHS[-1]} px: arranged otherwise once widened than when loaded")
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.evaluate(ARRANGED)
        if page.evaluate(ARRANGEMENT) != loaded:
            problems.append(f"{role} at {WIDTHS[0]} px: arranged otherwise once narrowed than when loaded")
    assert not problems, f"{language}:\n" + "\n".join(problems)
