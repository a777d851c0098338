"""The survey page's form, built from a checked definition, and its skip-logic-aware validation."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField

from feedback_app.services.surveys.definitions import SurveyDefinition, iter_visible
from feedback_app.services.surveys.question_types import Question

FIELD_PREFIX = "q_"


def personalise(
    text: str | None, *, company: str, first_name: str | None, questions: int | None = None
) -> str:
    """Fill ``{company}``, ``{first_name}`` and (when given) ``{questions}``, the survey's number of
    questions, so an intro never promises a count the page does not keep (plain replace: other
    braces stay as written)."""
    if not text:
        return ""
    text = text.replace("{company}", company).replace("{first_name}", first_name or "")
    return text if questions is None else text.replace("{questions}", str(questions))


class SurveyForm(FlaskForm):
    """Hidden bookkeeping fields; one ``q_<id>`` field per question is added by ``build_form``.

    No session CSRF token: the survey page checks its signed field (``services.responses.signatures``)
    before it builds a form, so a survey page never touches the session.
    """

    class Meta:
        csrf = False

    version = HiddenField()
    edit_of = HiddenField()

    def question_field(self, question: Question) -> Field:
        return self[FIELD_PREFIX + question.id]

    @staticmethod
    def choice_options(field: Field) -> list[ChoiceOption]:
        """The radio buttons or checkboxes of a choice field, as WTForms would iterate them
        (ids ``<field id>-<n>``) but without binding a sub-field per option, which is slow."""
        return [
            ChoiceOption(f"{field.id}-{n}", choice.value, choice.label or choice.value, choice.selected)
            for n, choice in enumerate(field.iter_choices())
        ]


class ChoiceOption(NamedTuple):
    id: str
    value: Any
    label: str
    checked: bool


def _form_class(definition: SurveyDefinition, max_chars: int) -> type[SurveyForm]:
    """The form class for a definition: one field per question. Labels and help texts are
    personal (``{first_name}``), so the class carries none; ``build_form`` fills them in."""
    attrs: dict[str, Field] = {
        FIELD_PREFIX + question.id: question.kind.field(
            question, label="", description="", max_chars=max_chars
        )
        for question in definition.questions
    }
    return type("DefinedSurveyForm", (SurveyForm,), attrs)


def build_form(
    definition: SurveyDefinition,
    *,
    company: str,
    first_name: str | None,
    max_chars: int,
    answers: dict[str, Any] | None = None,
    **kwargs: Any,
) -> SurveyForm:
    """The form for this definition, instantiated (from the request, or from stored ``answers``)."""
    form_class = _form_class(definition, max_chars)
    if answers is not None:
        data = {
            FIELD_PREFIX + q.id: q.kind.form_value(q, answers.get(q.id))
            for q in definition.questions
            if q.id in answers
        }
        form = form_class(formdata=None, data=data, **kwargs)
    else:
        form = form_class(**kwargs)
    for question in definition.questions:
        field = form.question_field(question)
        field.label.text = personalise(question.prompt, company=company, first_name=first_name)
        field.description = personalise(question.help, company=company, first_name=first_name)
    return form


def question_numbers(form: SurveyForm, definition: SurveyDefinition) -> dict[str, int]:
    """The number each question shows ("Question 2 of 5"), counted as the page's script counts
    them (``static/js/survey.js``), so the page reads the same with and without it, first shown and
    shown again with errors: only the questions shown for the answers the form holds now, in order;
    a question whose ``show_if`` is not met (or whose controlling question is hidden) has no number.
    Values compare as text, as the script compares them."""
    numbers: dict[str, int] = {}
    for question in definition.questions:
        condition = question.show_if
        if condition is not None:
            if condition["question"] not in numbers:
                continue
            controlling = next(q for q in definition.questions if q.id == condition["question"])
            data = form.question_field(controlling).data
            chosen = data if isinstance(data, list | tuple) else [data]
            wanted = {str(value) for value in condition["in"]}
            if not any(str(value) in wanted for value in chosen if value not in (None, "")):
                continue
        numbers[question.id] = len(numbers) + 1
    return numbers


def validated_answers(form: SurveyForm, definition: SurveyDefinition) -> dict[str, Any] | None:
    """The answers to store, or None when something is wrong (errors are then on the fields).

    Only visible questions are validated and stored (a visible but blank optional question is
    stored as None); hidden ones are neither required nor stored, whatever was posted for them.
    """
    ok = True
    answers: dict[str, Any] = {}
    for question in iter_visible(definition, answers):
        field = form.question_field(question)
        if field.validate(form):
            answers[question.id] = question.kind.clean(question, field.data)
        else:
            ok = False
            answers[question.id] = None
    for question in definition.questions:
        if question.id not in answers:
            form.question_field(question).errors = []
    return answers if ok else None
