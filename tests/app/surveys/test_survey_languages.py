"""Per-language survey texts: a survey that declares languages must translate every string, and
the shipped templates are written in en, es, de, fr and pt."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from feedback_app.services.surveys.definitions import SurveyDefinitionError, load_file, parse_definition
from tests.app.survey_helpers import SURVEYS_DIR

SHIPPED = sorted(SURVEYS_DIR.glob("*.yaml"))
LANGUAGES = ("en", "es", "de", "fr", "pt")


def saas_raw() -> dict:
    return yaml.safe_load((SURVEYS_DIR / "saas_cancellation.yaml").read_text(encoding="utf-8"))


def problems_of(path: Path) -> str:
    with pytest.raises(SurveyDefinitionError) as caught:
        load_file(path)
    return str(caught.value)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_survey_is_written_in_every_shipped_language(path):
    raw, checked = load_file(path)
    assert checked.languages == LANGUAGES and checked.default_language == "en"
    english = parse_definition(raw, path.name, "en")
    for language in LANGUAGES[1:]:
        translated = parse_definition(raw, path.name, language)
        assert translated.language == language
        assert translated.title != english.title
        for mine, theirs in zip(translated.questions, english.questions, strict=True):
            assert mine.prompt != theirs.prompt, (language, mine.id)
            assert [o.value for o in mine.options] == [o.value for o in theirs.options]  # values stay
            changed = [o.label for o in mine.options if o.label not in {t.label for t in theirs.options}]
            assert len(changed) == len(mine.options) or mine.id != "main_reason", (language, mine.id)


def test_a_missing_translation_fails_naming_the_file_and_the_path(tmp_path):
    raw = saas_raw()
    del raw["questions"][0]["options"][1]["label"]["de"]
    del raw["questions"][1]["help"]["pt"]
    path = tmp_path / "saas_cancellation.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    message = problems_of(path)

    assert f"{path}: questions[0].options[1].label: missing 'de'" in message
    assert f"{path}: questions[1].help: missing 'pt'" in message
    assert "2 problem(s)" in message


def test_a_single_text_in_a_multilingual_survey_and_an_undeclared_language_are_refused(tmp_path):
    raw = saas_raw()
    raw["title"] = "Sorry to see you go"
    raw["questions"][4]["prompt"]["it"] = "Cosa ti farebbe tornare?"
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    message = problems_of(path)

    assert f"{path}: title: is one text; the survey declares languages (en, es, de, fr, pt)" in message
    assert f"{path}: questions[4].prompt: language(s) it not declared in `languages`" in message


def test_bad_language_declarations_are_named(tmp_path):
    raw = saas_raw()
    raw["languages"] = ["en", "es", "es", "de-DE", "klingon!", "fr", "pt"]
    raw["default_language"] = "it"
    with pytest.raises(SurveyDefinitionError) as caught:
        parse_definition(raw, "shop.yaml")
    message = str(caught.value)
    assert "languages[2]: 'es' is listed twice" in message
    assert "languages[3]: write the bare language code 'de'" in message
    assert "languages[4]: 'klingon!' is not a language code" in message
    assert "default_language: 'it' is not one of the survey's languages" in message


def test_a_translation_over_a_length_limit_fails_in_that_language():
    raw = saas_raw()
    raw["questions"][0]["prompt"]["fr"] = "Pourquoi ? " * 60
    from feedback_app.services.surveys.definitions import check_every_language

    with pytest.raises(SurveyDefinitionError) as caught:
        check_every_language(raw, "saas.yaml")
    assert "saas.yaml (fr): questions[0].prompt: must be at most 500 characters" in str(caught.value)


def test_single_language_files_stay_valid_and_may_not_use_language_mappings():
    plain = {
        "key": "plain",
        "version": 1,
        "title": "Why did you leave?",
        "questions": [{"id": "why", "type": "long_text", "prompt": "Tell us"}],
    }
    checked = parse_definition(plain)
    assert checked.languages == ("en",) and checked.language == "en" and checked.title == "Why did you leave?"
    assert parse_definition({**plain, "default_language": "de"}, "x", "fr").language == "de"

    mapped = {**plain, "title": {"en": "Why?", "es": "¿Por qué?"}}
    with pytest.raises(
        SurveyDefinitionError, match="title: gives texts per language, but the survey declares no"
    ):
        parse_definition(mapped, "plain.yaml")
