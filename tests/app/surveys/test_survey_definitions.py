"""Survey definitions: the schema, its error messages, the shipped templates, versions and the CLI."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from feedback_app.models import Survey
from feedback_app.services.surveys import versions as survey_service
from feedback_app.services.surveys.definitions import SurveyDefinitionError, parse_definition
from feedback_app.services.surveys.question_types import QUESTION_TYPES, question_type
from tests.app.survey_helpers import SURVEYS_DIR

SHIPPED = ("saas_cancellation", "ecommerce_lapsed_buyer", "subscription_service")


def saas() -> dict:
    return yaml.safe_load((SURVEYS_DIR / "saas_cancellation.yaml").read_text(encoding="utf-8"))


def problems_of(definition, source="exit.yaml") -> list[str]:
    with pytest.raises(SurveyDefinitionError) as caught:
        parse_definition(definition, source)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_templates_are_valid_short_and_cover_the_essentials(name):
    definition = parse_definition(yaml.safe_load((SURVEYS_DIR / f"{name}.yaml").read_text(encoding="utf-8")))
    assert definition.key == name
    assert len(definition.questions) <= 7
    types = [q.type for q in definition.questions]
    assert types[0] == "single_choice" and definition.questions[0].required  # the main reason
    assert "long_text" in types and "competitor" in types and "yes_no" in types
    assert {"nps", "rating"} & set(types)
    assert any(q.id == "win_back" for q in definition.questions)


def test_saas_template_keeps_the_ids_the_demo_data_uses():
    ids = [q.id for q in parse_definition(saas()).questions]
    assert ids == ["main_reason", "what_happened", "nps", "competitor", "win_back", "contact_ok"]


def test_error_names_file_path_and_problem():
    broken = saas()
    broken["questions"][0]["options"] = []
    with pytest.raises(SurveyDefinitionError) as caught:
        parse_definition(broken, "surveys/saas_cancellation.yaml")
    message = str(caught.value)
    assert (
        "surveys/saas_cancellation.yaml: questions[0].options: a single_choice question needs a non-empty "
        "list of options" in message
    )


@pytest.mark.parametrize(
    "mutate,expected",
    [
        (lambda d: d.pop("title"), "title: is required"),
        (lambda d: d.update(key="Bad Key"), "key: is required: lower-case letters"),
        (lambda d: d.update(version=0), "version: is required: a whole number of at least 1"),
        (lambda d: d.update(questions=[]), "questions: is required: a non-empty list"),
        (lambda d: d.update(colour="blue"), "unknown top-level key(s) colour"),
        (
            lambda d: d["questions"][1].update(type="essay"),
            "questions[1].type: unknown question type 'essay'",
        ),
        (
            lambda d: d["questions"][2].update(id="main_reason"),
            "questions[2].id: duplicate question id 'main_reason'",
        ),
        (
            lambda d: d["questions"][2].update(requried=True),
            "questions[2]: unknown key(s) requried for a nps question",
        ),
        (
            lambda d: d["questions"][2].update(required="yes please"),
            "questions[2].required: must be true or false",
        ),
        (lambda d: d["questions"][1].pop("prompt"), "questions[1].prompt: is required"),
        (
            lambda d: d["questions"][0]["options"].append({"value": "other", "label": "Again"}),
            "questions[0].options[10].value: duplicate option value 'other'",
        ),
        (
            lambda d: d["questions"][5].update(type="yes_no", options=[{"value": "a", "label": "A"}]),
            "questions[5]: unknown key(s) options for a yes_no question",
        ),
        (
            lambda d: d["questions"][0]["options"].__setitem__(0, {"value": True, "label": "Yes"}),
            "questions[0].options[0].value: must be a non-empty text (YAML reads a bare yes/no",
        ),
        (
            lambda d: d["questions"][3].update(show_if={"question": "win_back", "equals": "x"}),
            "questions[3].show_if.question: 'win_back' is not the id of an earlier question",
        ),
        (
            lambda d: d["questions"][3].update(show_if={"question": "main_reason", "equals": "cheaper"}),
            "questions[3].show_if.equals: 'cheaper' is not an answer of question 'main_reason'",
        ),
        (
            lambda d: d["questions"][3].update(show_if={"question": "main_reason"}),
            "questions[3].show_if: needs exactly one of equals or in",
        ),
        (
            lambda d: d["questions"][3].update(show_if={"question": "nps", "in": [11]}),
            "questions[3].show_if.in: 11 is not an answer of question 'nps'",
        ),
        (
            lambda d: d["questions"][3].update(suggestions="Asanda"),
            "questions[3].suggestions: must be a list of texts",
        ),
        (lambda d: d["questions"][1].update(max_length=0), "questions[1].max_length: must be a whole number"),
    ],
)
def test_each_schema_rule_reports_where_and_what(mutate, expected):
    definition = saas()
    mutate(definition)
    found = problems_of(definition)
    assert any(expected in problem for problem in found), found


def test_all_problems_are_reported_at_once():
    definition = saas()
    definition.pop("title")
    definition["questions"][0]["options"] = "many"
    definition["questions"][2]["type"] = "stars"
    found = problems_of(definition)
    assert len(found) == 3
    # the show_if on a broken question is not reported as a second, misleading problem
    assert not any("not the id of an earlier question" in p for p in found)


def test_yes_no_condition_accepts_a_bare_yaml_yes():
    definition = yaml.safe_load("""
key: branch
version: 1
title: T
questions:
  - {id: stay, type: yes_no, prompt: Will you stay}
  - {id: why, type: short_text, prompt: Why not, show_if: {question: stay, equals: no}}
""")
    assert parse_definition(definition).questions[1].show_if == {"question": "stay", "in": ["no"]}


def test_bad_yaml_reports_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("key: x\ntitle: [unclosed\nquestions: []\n", encoding="utf-8")
    with pytest.raises(SurveyDefinitionError) as caught:
        survey_service.read_definition(path)
    assert (
        str(path) in str(caught.value)
        and "line " in str(caught.value)
        and "not valid YAML" in str(caught.value)
    )


def test_every_type_yields_a_wtforms_field():
    assert set(QUESTION_TYPES) == {
        "single_choice",
        "multiple_choice",
        "short_text",
        "long_text",
        "nps",
        "rating",
        "yes_no",
        "competitor",
    }
    from wtforms import Form

    definition = parse_definition(
        {
            "key": "all",
            "version": 1,
            "title": "All",
            "questions": [
                {
                    "id": name,
                    "type": name,
                    "prompt": name,
                    "required": True,
                    **({"options": ["a", "b"]} if name.endswith("_choice") else {}),
                }
                for name in QUESTION_TYPES
            ],
        }
    )
    form_class = type(
        "AllTypes",
        (Form,),
        {q.id: q.kind.field(q, label=q.prompt, description="", max_chars=50) for q in definition.questions},
    )
    form = form_class()
    assert form["nps"].choices[0] == ("0", "0") and form["nps"].choices[-1] == ("10", "10")
    assert [c[0] for c in form["rating"].choices] == ["1", "2", "3", "4", "5"]
    assert [c[0] for c in form["yes_no"].choices] == ["yes", "no"]
    assert form["long_text"].type == "TextAreaField" and form["competitor"].type == "StringField"
    assert question_type("nps").clean(definition.question("nps"), "7") == 7


def test_changed_definition_becomes_a_new_version(db):
    definition = saas()
    first = survey_service.store_definition(definition)
    same = survey_service.store_definition(copy.deepcopy(definition))
    definition["title"]["en"] = "We are sorry to see you go"
    changed = survey_service.store_definition(definition)
    assert (first.version, first.created) == (1, True)
    assert (same.version, same.created) == (1, False)
    assert (changed.version, changed.created) == (2, True)
    survey = db.session.scalar(select(Survey).where(Survey.key == "saas_cancellation"))
    assert survey.current_version == 2 and [v.version for v in survey.versions] == [1, 2]
    assert survey.versions[0].definition["title"]["en"] == "Sorry to see you go"  # old version untouched
    assert survey.title == "We are sorry to see you go"  # the default language's title, for staff pages


def test_invalid_definition_is_never_stored(db):
    definition = saas()
    definition["questions"][0]["type"] = "dropdown"
    with pytest.raises(SurveyDefinitionError):
        survey_service.store_definition(definition, "surveys/saas_cancellation.yaml")
    assert db.session.scalar(select(Survey)) is None


def _copy_surveys(tmp_path: Path) -> Path:
    folder = tmp_path / "surveys"
    shutil.copytree(SURVEYS_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def test_cli_validate_list_load(runner, db, tmp_path):
    folder = _copy_surveys(tmp_path)
    result = runner.invoke(args=["surveys", "validate", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "All 3 survey file(s) are valid." in result.output

    listed = runner.invoke(args=["surveys", "list", "--dir", str(folder)])
    assert "saas_cancellation" in listed.output and "not yet" in listed.output
    assert "We miss you at Brightloop" in listed.output

    loaded = runner.invoke(args=["surveys", "load", "--dir", str(folder)])
    assert loaded.exit_code == 0 and loaded.output.count("stored") == 3
    again = runner.invoke(args=["surveys", "load", "--dir", str(folder)])
    assert again.output.count("is already current") == 3

    path = folder / "saas_cancellation.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Sorry to see you go", "Sorry you left"), encoding="utf-8"
    )
    changed = runner.invoke(args=["surveys", "load", "--dir", str(folder)])
    assert "stored   saas_cancellation: version 2" in changed.output
    assert "v2" in runner.invoke(args=["surveys", "list", "--dir", str(folder)]).output


def test_cli_reports_bad_file_and_loads_nothing(runner, db, tmp_path):
    folder = _copy_surveys(tmp_path)
    path = folder / "ecommerce_lapsed_buyer.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: rating", "type: stars"), encoding="utf-8")
    result = runner.invoke(args=["surveys", "validate", "--dir", str(folder)])
    assert result.exit_code == 1
    assert f"{path}: questions[2].type: unknown question type 'stars'" in result.output
    assert "1 of 3 survey file(s) are invalid." in result.output
    loaded = runner.invoke(args=["surveys", "load", "--dir", str(folder)])
    assert loaded.exit_code == 1 and "Nothing was loaded" in loaded.output
    assert db.session.scalar(select(Survey)) is None


def test_cli_rejects_two_files_with_one_key(runner, tmp_path):
    folder = _copy_surveys(tmp_path)
    shutil.copy(folder / "saas_cancellation.yaml", folder / "copy.yaml")
    result = runner.invoke(args=["surveys", "validate", "--dir", str(folder)])
    assert result.exit_code == 1 and "'saas_cancellation' is already the key of" in result.output
