"""The Flask-Babel catalogues: every message the app uses is in the template, every message the
respondent can see is translated in every shipped language (the staff dashboard's stay English,
untranslated), and the app compiles them itself (no build step)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import IO

import yaml
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from feedback_app.i18n import TRANSLATIONS_DIR, compile_catalogues

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("es", "de", "fr", "pt")
#: What the respondent sees: the survey and public pages, error pages, the invitation and reminder
#: emails, the default "we changed it" and win-back emails, and the services that write their
#: words (question types, email subjects, answer checks).
RESPONDENT_SOURCES = """
[python: feedback_app/services/surveys/**.py]
[python: feedback_app/services/responses/**.py]
[python: feedback_app/services/validation/**.py]
[python: feedback_app/services/outreach/emails.py]
[python: feedback_app/blueprints/public/**.py]
[jinja2: feedback_app/templates/survey/**.html]
newstyle_gettext = true
[jinja2: feedback_app/templates/public/**.html]
newstyle_gettext = true
[jinja2: feedback_app/templates/errors/**.html]
newstyle_gettext = true
[jinja2: feedback_app/templates/base.html]
newstyle_gettext = true
[jinja2: feedback_app/templates/email/invitation.*]
newstyle_gettext = true
[jinja2: feedback_app/templates/email/reminder.*]
newstyle_gettext = true
[python: feedback_app/services/outreach/follow_up_language.py]
[python: feedback_app/services/actions/follow_up_texts.py]
[jinja2: feedback_app/templates/email/we_fixed_it.*]
newstyle_gettext = true
"""


def catalogue_ids(path: Path, *, translated: bool = False) -> set:
    with path.open("rb") as file:
        catalogue = read_po(file)
    return {
        message.id
        for message in catalogue
        if message.id
        and (
            not translated
            or (
                not message.fuzzy
                and all(message.string if isinstance(message.string, tuple) else [message.string])
            )
        )
    }


def used_messages(mapping: IO[str]) -> set:
    """The message ids ``pybabel extract`` finds in the files a babel.cfg-style mapping names."""
    method_map, options_map = parse_mapping_cfg(mapping)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    return {
        message if isinstance(message, str) else tuple(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }


def test_the_template_holds_every_message_the_code_and_templates_use():
    with (TRANSLATIONS_DIR / "babel.cfg").open() as cfg:
        used = used_messages(cfg)
    in_template = catalogue_ids(TRANSLATIONS_DIR / "messages.pot")
    assert used - in_template == set(), "run pybabel extract and update (docs/surveys.md#languages)"
    assert in_template - used == set(), "messages no longer used: run pybabel extract and update"


def test_every_catalogue_translates_every_message_the_respondent_sees():
    wanted = used_messages(io.StringIO(RESPONDENT_SOURCES))
    assert len(wanted) > 50
    assert wanted <= catalogue_ids(TRANSLATIONS_DIR / "messages.pot")
    for language in LANGUAGES:
        done = catalogue_ids(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po", translated=True)
        assert wanted - done == set(), language


def test_catalogues_are_compiled_when_missing_or_older_than_their_po(tmp_path):
    written = compile_catalogues(TRANSLATIONS_DIR, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"{language}/LC_MESSAGES/messages.mo" for language in sorted(LANGUAGES)
    ]
    assert compile_catalogues(TRANSLATIONS_DIR, tmp_path) == []  # up to date: nothing rewritten
    stale = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    os.utime(stale, (0, 0))
    assert compile_catalogues(TRANSLATIONS_DIR, tmp_path) == [stale]


#: A space a line may break at before French ? ! : ; » (or after «): on a phone the "?" of the
#: opt-out page's heading and of survey questions started a line of its own.
_FRENCH_BREAKABLE = re.compile(r"\S [?!:;»]|« ")


def _french_texts(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                yield value
            else:
                yield from _french_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _french_texts(item)


def test_french_punctuation_is_held_to_its_word_by_a_no_break_space():
    with (TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file)
    texts = [
        string
        for message in catalogue
        if message.id
        for string in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    for path in sorted((ROOT / "surveys").glob("*.yaml")):
        texts.extend(_french_texts(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert len(texts) > 100
    assert [text for text in texts if _FRENCH_BREAKABLE.search(text)] == []
