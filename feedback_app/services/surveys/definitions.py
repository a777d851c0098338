"""Survey definitions: reading ``surveys/*.yaml`` and checking them against the schema.

The schema is documented in ``surveys/README.md``. Every problem names the file, the path
inside it (``questions[2].options``) and what is wrong, and all problems in a file are
reported at once so an author fixes them in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedback_app.services.surveys.question_types import (
    COMMON_KEYS,
    QUESTION_TYPES,
    Problem,
    Question,
    question_type,
)
from feedback_app.services.surveys.translations import check_translations, declared_languages, localise

TOP_LEVEL_KEYS = frozenset(
    {"key", "version", "title", "intro", "thank_you", "questions", "languages", "default_language"}
)
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_QUESTIONS = 30


class SurveyDefinitionError(ValueError):
    """A definition that does not match the schema; ``problems`` lists each path and message."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s) in the survey definition:"]
        lines.extend(f"  {source}: {problem}" for problem in problems)
        super().__init__("\n".join(lines))


@dataclass
class SurveyDefinition:
    """A checked survey definition: what the page renders and answers are validated against."""

    key: str
    version: int
    title: str
    intro: str
    thank_you: str
    questions: tuple[Question, ...]
    #: The language these texts are in, and every language the survey is written in.
    language: str = "en"
    languages: tuple[str, ...] = ("en",)
    default_language: str = "en"

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become a ``SurveyDefinitionError`` with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SurveyDefinitionError(str(path), [Problem("", "the file is not UTF-8 text")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise SurveyDefinitionError(str(path), [Problem(where, f"not valid YAML: {reason}")]) from None


def _check_text(
    raw: dict, key: str, path: str, problems: list[Problem], *, required: bool, max_length: int | None = None
) -> str | None:
    value = raw.get(key)
    where = f"{path}.{key}" if path else key
    if value is None:
        if required:
            problems.append(Problem(where, "is required"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(where, "must be a non-empty text"))
        return None
    if max_length and len(value) > max_length:
        problems.append(Problem(where, f"must be at most {max_length} characters (it is {len(value)})"))
    return value


def _check_show_if(
    raw: Any, path: str, earlier: dict[str, Question], problems: list[Problem], broken: set[str]
) -> dict | None:
    where = f"{path}.show_if"
    if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
        problems.append(
            Problem(
                where,
                "must be {question: <earlier id>, equals: <value>} "
                "or {question: <earlier id>, in: [<values>]}",
            )
        )
        return None
    unknown = sorted(set(raw) - {"question", "equals", "in"})
    if unknown:
        problems.append(Problem(where, f"unknown key(s) {', '.join(map(str, unknown))}"))
    target_id = raw["question"]
    target = earlier.get(target_id)
    if target is None and target_id in broken:
        return None  # that question's own problems are reported; don't add a misleading one
    if target is None:
        problems.append(
            Problem(
                f"{where}.question",
                f"{target_id!r} is not the id of an earlier question (skip logic can only "
                "depend on questions asked before)",
            )
        )
        return None
    if ("equals" in raw) == ("in" in raw):
        problems.append(Problem(where, "needs exactly one of equals or in"))
        return None
    values = [raw["equals"]] if "equals" in raw else raw["in"]
    if "in" in raw and (not isinstance(values, list) or not values):
        problems.append(Problem(f"{where}.in", "must be a non-empty list of values"))
        return None
    if target.type == "yes_no":  # a bare yes/no in YAML arrives as a boolean
        values = [("yes" if v else "no") if isinstance(v, bool) else v for v in values]
    allowed = target.kind.condition_values(target)
    if allowed is not None:
        bad = [v for v in values if v not in allowed or isinstance(v, bool)]
        if bad:
            key = "equals" if "equals" in raw else "in"
            shown = ", ".join(repr(a) for a in allowed)
            problems.append(
                Problem(
                    f"{where}.{key}",
                    f"{', '.join(map(repr, bad))} is not an answer of "
                    f"question {target_id!r} (one of: {shown})",
                )
            )
            return None
    return {"question": target_id, "in": list(values)}


def _check_question(
    raw: Any, index: int, earlier: dict[str, Question], problems: list[Problem], broken: set[str]
) -> Question | None:
    path = f"questions[{index}]"
    if not isinstance(raw, dict):
        problems.append(Problem(path, "must be a mapping with id, type and prompt"))
        return None
    found_before = len(problems)
    qid = raw.get("id")
    if not isinstance(qid, str) or not IDENTIFIER.match(qid):
        problems.append(
            Problem(
                f"{path}.id",
                f"is required: lower-case letters, digits and _, starting with a letter (got {qid!r})",
            )
        )
    elif qid in earlier:
        problems.append(Problem(f"{path}.id", f"duplicate question id {qid!r}"))
    type_name = raw.get("type")
    if type_name not in QUESTION_TYPES:
        if isinstance(qid, str):
            broken.add(qid)
        problems.append(
            Problem(
                f"{path}.type",
                f"unknown question type {type_name!r}; use one of {', '.join(sorted(QUESTION_TYPES))}",
            )
        )
        return None
    kind = question_type(type_name)
    unknown = sorted(set(raw) - COMMON_KEYS - kind.extra_keys, key=str)
    if unknown:
        problems.append(
            Problem(
                path,
                f"unknown key(s) {', '.join(map(str, unknown))} for a {type_name} "
                f"question; allowed: {', '.join(sorted(COMMON_KEYS | kind.extra_keys))}",
            )
        )
    prompt = _check_text(raw, "prompt", path, problems, required=True, max_length=500)
    help_text = _check_text(raw, "help", path, problems, required=False, max_length=1000)
    required = raw.get("required", False)
    if not isinstance(required, bool):
        problems.append(Problem(f"{path}.required", "must be true or false"))
    extras, type_problems = kind.check(raw, path)
    problems.extend(type_problems)
    show_if = _check_show_if(raw["show_if"], path, earlier, problems, broken) if "show_if" in raw else None
    if len(problems) > found_before:
        if isinstance(qid, str):
            broken.add(qid)
        return None
    assert isinstance(qid, str)  # otherwise a problem was recorded above
    return Question(
        id=qid,
        type=type_name,
        prompt=prompt or "",
        required=required,
        help=help_text,
        options=extras.pop("options", ()),
        suggestions=extras.pop("suggestions", ()),
        analyze=extras.pop("analyze", False),
        max_length=extras.pop("max_length", None),
        show_if=show_if,
        extra=extras,
    )


def parse_definition(raw: Any, source: str = "<definition>", language: str | None = None) -> SurveyDefinition:
    """Check a loaded definition against the schema; raise ``SurveyDefinitionError`` listing every problem.

    The result holds the texts in ``language`` (the survey's default when it is not one of its
    languages); every declared language must translate every text, whichever is asked for.
    """
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise SurveyDefinitionError(
            source,
            [
                Problem(
                    "",
                    "a survey definition must be a mapping with key, "
                    "version, title and questions at the top level",
                )
            ],
        )
    languages, default = declared_languages(raw, problems)
    check_translations(raw, languages, problems)
    language = language if language in languages else default
    raw = localise(raw, language, default)
    unknown = sorted(set(raw) - TOP_LEVEL_KEYS, key=str)
    if unknown:
        problems.append(
            Problem(
                "",
                f"unknown top-level key(s) {', '.join(map(str, unknown))}; allowed: "
                f"{', '.join(sorted(TOP_LEVEL_KEYS))}",
            )
        )
    key = raw.get("key")
    if not isinstance(key, str) or not IDENTIFIER.match(key):
        problems.append(
            Problem(
                "key", f"is required: lower-case letters, digits and _, starting with a letter (got {key!r})"
            )
        )
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(Problem("version", f"is required: a whole number of at least 1 (got {version!r})"))
    title = _check_text(raw, "title", "", problems, required=True, max_length=200)
    intro = _check_text(raw, "intro", "", problems, required=False, max_length=2000)
    thank_you = _check_text(raw, "thank_you", "", problems, required=False, max_length=2000)
    questions_raw = raw.get("questions")
    questions: dict[str, Question] = {}
    broken: set[str] = set()
    if not isinstance(questions_raw, list) or not questions_raw:
        problems.append(Problem("questions", "is required: a non-empty list of questions"))
    else:
        if len(questions_raw) > MAX_QUESTIONS:
            problems.append(
                Problem(
                    "questions",
                    f"has {len(questions_raw)} questions; at most {MAX_QUESTIONS} "
                    "(exit surveys should be short)",
                )
            )
        for index, item in enumerate(questions_raw):
            question = _check_question(item, index, questions, problems, broken)
            if question is not None:
                questions[question.id] = question
    if problems:
        raise SurveyDefinitionError(source, problems)
    assert isinstance(key, str) and isinstance(version, int)  # otherwise a problem was recorded above
    return SurveyDefinition(
        key=key,
        version=version,
        title=title or "",
        intro=intro or "",
        thank_you=thank_you or "",  # the page then says its own (translated) thanks
        questions=tuple(questions.values()),
        language=language,
        languages=languages,
        default_language=default,
    )


def load_file(path: Path) -> tuple[dict[str, Any], SurveyDefinition]:
    """Read and check one survey file in every language it declares: the raw mapping (stored as
    is) and its checked form in the default language."""
    raw = read_yaml(path)
    return raw, check_every_language(raw, str(path))


def check_every_language(raw: Any, source: str) -> SurveyDefinition:
    """The definition in its default language, once each other language has passed the checks too
    (a translation can break a length limit the original keeps)."""
    checked = parse_definition(raw, source)
    for language in checked.languages:
        if language != checked.language:
            parse_definition(raw, f"{source} ({language})", language)
    return checked


def definition_files(directory: Path) -> list[Path]:
    """The survey files in a folder (``*.yaml`` and ``*.yml``), in name order."""
    return sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def iter_visible(definition: SurveyDefinition, answers: dict[str, Any]) -> Iterator[Question]:
    """The questions a respondent is asked, in order, given the answers so far.

    A generator on purpose: the caller validates each question it yields and puts the cleaned
    answer into ``answers`` before asking for the next, so a ``show_if`` always sees the earlier
    answer as it will be stored. A question whose condition is not met (or whose controlling
    question is itself hidden) is hidden: neither required nor stored. A multiple-choice answer
    meets a condition when any chosen value matches.
    """
    shown_ids: set[str] = set()
    for question in definition.questions:
        condition = question.show_if
        if condition is not None:
            if condition["question"] not in shown_ids:
                continue
            answer = answers.get(condition["question"])
            chosen = answer if isinstance(answer, list) else [answer]
            if not any(value in condition["in"] for value in chosen if value is not None):
                continue
        shown_ids.add(question.id)
        yield question
