"""The Flask-Babel catalogues: every message the respondent can see is in the template and
translated in every shipped language, and the app compiles them itself (no build step)."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from feedback_app.i18n import TRANSLATIONS_DIR, compile_catalogues

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("es", "de", "fr", "pt")


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


def test_the_template_holds_every_message_the_code_and_templates_use():
    with (TRANSLATIONS_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    used = {
        message if isinstance(message, str) else tuple(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    in_template = catalogue_ids(TRANSLATIONS_DIR / "messages.pot")
    assert used - in_template == set(), "run pybabel extract and update (docs/surveys.md#languages)"
    assert in_template - used == set(), "messages no longer used: run pybabel extract and update"


def test_every_catalogue_translates_every_message():
    wanted = catalogue_ids(TRANSLATIONS_DIR / "messages.pot")
    assert len(wanted) > 50
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
