"""Per-language texts in survey files: checking that every string is translated, and picking one language.

A survey that declares ``languages: [en, es, ...]`` writes each respondent-facing text as a
mapping ``{en: ..., es: ...}``; one without ``languages`` keeps plain texts (one language,
``default_language`` or English). Checking walks the same positions that :func:`localise`
replaces, so a text the page shows can never be left untranslated: a missing one is reported
as ``questions[2].options[1].label: missing 'de'``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from feedback_app.services.surveys.question_types import Problem
from feedback_app.services.validation.languages import InvalidLanguage, check_language

#: Texts at the top of a survey file, and on each question, that respondents read.
TOP_TEXTS = ("title", "intro", "thank_you")
QUESTION_TEXTS = ("prompt", "help", "placeholder", "low_label", "high_label")
DEFAULT_LANGUAGE = "en"


def _text_slots(raw: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """Every translatable text position as (path, container, key), whatever its value."""
    for key in TOP_TEXTS:
        if key in raw:
            yield key, raw, key
    questions = raw.get("questions")
    if not isinstance(questions, list):
        return
    for i, question in enumerate(questions):
        if not isinstance(question, dict):
            continue
        for key in QUESTION_TEXTS:
            if key in question:
                yield f"questions[{i}].{key}", question, key
        options = question.get("options")
        for j, option in enumerate(options if isinstance(options, list) else []):
            if isinstance(option, dict) and "label" in option:
                yield f"questions[{i}].options[{j}].label", option, "label"
            elif isinstance(option, str):
                yield f"questions[{i}].options[{j}]", options, j
        suggestions = question.get("suggestions")
        for k, suggestion in enumerate(suggestions if isinstance(suggestions, list) else []):
            if isinstance(suggestion, dict):  # a plain suggestion is a name, the same in every language
                yield f"questions[{i}].suggestions[{k}]", suggestions, k


def declared_languages(raw: dict[str, Any], problems: list[Problem]) -> tuple[tuple[str, ...], str]:
    """The survey's languages and its default language (problems recorded for bad declarations)."""
    default = raw.get("default_language", None)
    if default is not None:
        try:
            if check_language(default) != default:
                raise InvalidLanguage(f"write the bare language code {check_language(default)!r}")
        except InvalidLanguage as exc:
            problems.append(Problem("default_language", str(exc)))
            default = None
    declared = raw.get("languages")
    if declared is None:
        return (default or DEFAULT_LANGUAGE,), default or DEFAULT_LANGUAGE
    if not isinstance(declared, list) or not declared:
        problems.append(Problem("languages", "must be a non-empty list of language codes, e.g. [en, es, de]"))
        return (default or DEFAULT_LANGUAGE,), default or DEFAULT_LANGUAGE
    languages: list[str] = []
    for index, code in enumerate(declared):
        try:
            normal = check_language(code)
        except InvalidLanguage as exc:
            problems.append(Problem(f"languages[{index}]", str(exc)))
            continue
        if normal != code:
            problems.append(Problem(f"languages[{index}]", f"write the bare language code {normal!r}"))
        elif normal in languages:
            problems.append(Problem(f"languages[{index}]", f"{normal!r} is listed twice"))
        else:
            languages.append(normal)
    if not languages:
        return (default or DEFAULT_LANGUAGE,), default or DEFAULT_LANGUAGE
    if default is not None and default not in languages:
        problems.append(Problem("default_language", f"{default!r} is not one of the survey's languages"))
    return tuple(languages), default if default in languages else languages[0]


def check_translations(raw: dict[str, Any], languages: tuple[str, ...], problems: list[Problem]) -> None:
    """Record a problem for every text not given in every declared language."""
    multilingual = "languages" in raw
    wanted = ", ".join(languages)
    for path, container, key in _text_slots(raw):
        value = container[key]
        if not isinstance(value, dict):
            if multilingual and isinstance(value, str):
                problems.append(
                    Problem(path, f"is one text; the survey declares languages ({wanted}): give {{{wanted}}}")
                )
            continue
        if not multilingual:
            problems.append(
                Problem(path, "gives texts per language, but the survey declares no `languages: [...]`")
            )
            continue
        unknown = sorted(str(code) for code in value if code not in languages)
        if unknown:
            problems.append(
                Problem(path, f"language(s) {', '.join(unknown)} not declared in `languages` ({wanted})")
            )
        missing = [code for code in languages if code not in value]
        if missing:
            problems.append(Problem(path, "missing " + ", ".join(repr(code) for code in missing)))
        for code in languages:
            text = value.get(code)
            if code in value and (not isinstance(text, str) or not text.strip()):
                problems.append(Problem(f"{path}.{code}", "must be a non-empty text"))


def localise(raw: dict[str, Any], language: str, default: str) -> dict[str, Any]:
    """A copy of ``raw`` with each per-language text replaced by its text in ``language``."""
    result = copy.deepcopy(raw)
    result.pop("languages", None)
    result.pop("default_language", None)
    for _path, container, key in list(_text_slots(result)):
        texts = container[key]
        if isinstance(texts, dict):
            container[key] = texts.get(language, texts.get(default))
    return result
