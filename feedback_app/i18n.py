"""Flask-Babel for the respondent's pages and emails; the staff dashboard stays English.

The catalogues are kept as ``.po`` files in ``feedback_app/translations`` (the only form in git)
and compiled to ``.mo`` with Babel's own reader and writer when the app starts, into the
instance folder, whenever a ``.po`` is newer. So a fresh clone, ``make run``, the tests, gunicorn
and the Celery worker all get compiled catalogues with no extra build step to forget.

The page language: what the survey view chose (``g.page_language``: the respondent's switch,
then the customer's language from intake), else the browser's ``Accept-Language`` on the
respondent's pages, else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, format_decimal, get_locale, gettext

from feedback_app.services.validation.languages import SUPPORTED_LANGUAGES

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

babel = Babel()


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile each ``<lang>/LC_MESSAGES/messages.po`` under ``source`` to ``.mo`` under ``target``
    when the ``.mo`` is missing or older; returns the files written. Fuzzy entries are left out."""
    written = []
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)  # atomic: another worker starting at once never reads half a file
        written.append(mo_path)
    return written


def respondent_request() -> bool:
    """Whether this request is for a page a former customer sees (survey, opt-out, a bad link)."""
    return request.blueprint == "public" or request.path.startswith("/s/")


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    if not has_request_context():
        return "en"
    chosen = g.get("page_language")
    if chosen:
        return str(chosen)
    if respondent_request():
        return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or "en"
    return "en"


def init_i18n(app: Flask) -> None:
    """Compile the catalogues into the instance folder and bind Flask-Babel to them."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogues(TRANSLATIONS_DIR, compiled)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled))  # a test may name its own
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["page_locale"] = page_locale
    app.jinja_env.globals["number_text"] = format_decimal  # 5,000 / 5.000 / 5 000 by language


def page_locale() -> str:
    """The language of the page or email being rendered, for ``<html lang>``."""
    return str(get_locale() or "en")


def month_name(month: date) -> str:
    """A month as the page's language writes it: "Jun 2026" in English, "juin 2026" in French
    (CLDR's year-and-short-month form in Flask-Babel's locale). Exports keep ``YYYY-MM``."""
    return format_skeleton("yMMM", month, locale=get_locale() or "en")


def N_(text: str) -> str:
    """Marks a name for ``pybabel extract`` where a table defines it (tables the CLI also prints stay
    English); the dashboard shows it through :func:`translated_names` or the ``translated`` filter."""
    return text


def translated_names(names: Mapping[str, str]) -> dict[str, str]:
    """A table of ``N_``-marked names in the page's language, for a template."""
    return {key: gettext(name) for key, name in names.items()}
