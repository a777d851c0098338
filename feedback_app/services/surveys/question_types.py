"""Question types: one small class per type, looked up by the name a survey file uses.

Each type knows three things, so that adding a type touches one class and nothing else:

* which keys a question of this type may carry and how to check them (``check``);
* the WTForms field and validators that ask it (``field``);
* what an answer looks like once stored (``clean``), and which values ``show_if`` may test
  (``condition_values``).

Register a new type with ``@register`` and use its ``name`` in ``surveys/*.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeGuard

from flask_babel import format_decimal, gettext, lazy_gettext
from wtforms import Field, Form, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from feedback_app.services.validation.text_input import clean_text

#: Keys every question may carry, whatever its type.
COMMON_KEYS = frozenset({"id", "type", "prompt", "required", "help", "show_if"})

# Messages the respondent reads: translated in the page's language when shown (lazy).
REQUIRED_CHOICE = lazy_gettext("Please choose an answer.")
REQUIRED_TEXT = lazy_gettext("Please write an answer.")


@dataclass
class Problem:
    """One thing wrong with a definition: where (``questions[2].options``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass
class Question:
    """A checked, normalised question, ready to render and to validate answers against."""

    id: str
    type: str
    prompt: str
    required: bool = False
    help: str | None = None
    options: tuple[Option, ...] = ()
    suggestions: tuple[str, ...] = ()
    show_if: dict[str, Any] | None = None
    analyze: bool = False
    max_length: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> QuestionType:
        return question_type(self.type)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (a fieldset), not a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _is_text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and value.strip() != ""


def _yaml_bool_hint(value: Any) -> str:
    if isinstance(value, bool):
        return " (YAML reads a bare yes/no/true/false as a boolean: put it in quotes, e.g. 'yes')"
    return ""


class QuestionType:
    """The base of every question type."""

    name: ClassVar[str]
    #: Keys this type accepts on top of ``COMMON_KEYS``.
    extra_keys: ClassVar[frozenset[str]] = frozenset()
    #: Whether the template renders it as a group of choices (fieldset + legend).
    is_group: ClassVar[bool] = False
    #: Whether its answer is free text (capped, counted, escaped).
    is_free_text: ClassVar[bool] = False

    def check(self, raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
        """Check the type's own keys; return the normalised extras and the problems found."""
        return {}, []

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        """The unbound WTForms field that asks this question."""
        raise NotImplementedError

    def clean(self, question: Question, data: Any) -> Any:
        """The value stored in ``Response.answers`` for a valid submission (None when blank)."""
        return data if data not in ("", None, []) else None

    def condition_values(self, question: Question) -> tuple[Any, ...] | None:
        """The values a ``show_if`` on this question may test; None when any text goes."""
        return None

    def form_value(self, question: Question, stored: Any) -> Any:
        """A stored answer turned back into the field's data (for editing a response)."""
        return stored

    def _required(self, question: Question, message: str) -> list:
        return [InputRequired(message=message)] if question.required else [Optional()]


class ChoiceType(QuestionType):
    """A fixed list of ``{value, label}`` options."""

    is_group = True
    extra_keys = frozenset({"options"})

    def check(self, raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        options = raw.get("options")
        if not isinstance(options, list) or not options:
            return {}, [
                Problem(
                    f"{path}.options",
                    f"a {self.name} question needs a non-empty list of options, "
                    "each {value: ..., label: ...}",
                )
            ]
        seen: set[str] = set()
        normalised: list[Option] = []
        for index, option in enumerate(options):
            where = f"{path}.options[{index}]"
            if isinstance(option, str) and option.strip():
                option = {"value": option, "label": option}
            if not isinstance(option, dict):
                problems.append(Problem(where, "must be a mapping {value: ..., label: ...} or a text"))
                continue
            unknown = sorted(set(option) - {"value", "label"})
            if unknown:
                hint = (
                    "; a comma inside {...} starts a new key: put the label in quotes"
                    if any(option[k] is None for k in unknown)
                    else ""
                )
                problems.append(
                    Problem(
                        where,
                        f"unknown key(s) {', '.join(map(str, unknown))}; "
                        f"an option has only value and label{hint}",
                    )
                )
            value, label = option.get("value"), option.get("label")
            if not _is_text(value):
                problems.append(
                    Problem(f"{where}.value", "must be a non-empty text" + _yaml_bool_hint(value))
                )
                continue
            if not _is_text(label):
                problems.append(
                    Problem(f"{where}.label", "must be a non-empty text" + _yaml_bool_hint(label))
                )
                continue
            if value in seen:
                problems.append(Problem(f"{where}.value", f"duplicate option value {value!r}"))
                continue
            seen.add(value)
            normalised.append(Option(value, label))
        return {"options": tuple(normalised)}, problems

    def condition_values(self, question: Question) -> tuple[Any, ...] | None:
        return tuple(option.value for option in question.options)


class SingleChoice(ChoiceType):
    name = "single_choice"

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        return RadioField(
            label,
            description=description,
            choices=[(o.value, o.label) for o in question.options],
            validators=self._required(question, REQUIRED_CHOICE),
            invalid_choice_message=lazy_gettext("Please choose one of the answers listed."),
        )


class MultipleChoice(ChoiceType):
    name = "multiple_choice"

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        return MultiCheckboxField(
            label,
            description=description,
            choices=[(o.value, o.label) for o in question.options],
            validators=self._required(question, lazy_gettext("Please choose at least one answer.")),
            invalid_choice_message=lazy_gettext("Please choose only from the answers listed."),
        )

    def clean(self, question: Question, data: Any) -> Any:
        return list(data) if data else None


class ScaleType(QuestionType):
    """A whole-number scale shown as a row of radio buttons."""

    is_group = True
    low: ClassVar[int]
    high: ClassVar[int]
    extra_keys = frozenset({"low_label", "high_label"})

    def check(self, raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
        extras: dict[str, Any] = {}
        problems: list[Problem] = []
        for key in ("low_label", "high_label"):
            if key in raw:
                if _is_text(raw[key]):
                    extras[key] = raw[key]
                else:
                    problems.append(Problem(f"{path}.{key}", "must be a non-empty text"))
        return extras, problems

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        choices = [(str(n), str(n)) for n in range(self.low, self.high + 1)]
        return RadioField(
            label,
            description=description,
            choices=choices,
            validators=self._required(question, REQUIRED_CHOICE),
            invalid_choice_message=lazy_gettext(
                "Please choose a number from %(low)s to %(high)s.", low=self.low, high=self.high
            ),
        )

    def clean(self, question: Question, data: Any) -> Any:
        text = "" if data is None else str(data).strip()  # Optional() lets a blank " " through unchecked
        return int(text) if text else None

    def condition_values(self, question: Question) -> tuple[Any, ...] | None:
        return tuple(range(self.low, self.high + 1))

    def form_value(self, question: Question, stored: Any) -> Any:
        return None if stored is None else str(stored)


class Nps(ScaleType):
    name = "nps"
    low, high = 0, 10


class Rating(ScaleType):
    name = "rating"
    low, high = 1, 5


class YesNo(QuestionType):
    name = "yes_no"
    is_group = True

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        return RadioField(
            label,
            description=description,
            choices=[("yes", lazy_gettext("Yes")), ("no", lazy_gettext("No"))],
            validators=self._required(question, REQUIRED_CHOICE),
            invalid_choice_message=lazy_gettext("Please answer yes or no."),
        )

    def condition_values(self, question: Question) -> tuple[Any, ...] | None:
        return ("yes", "no")


class TextType(QuestionType):
    """Free text: capped at ``FREE_TEXT_MAX_CHARS`` (or a lower ``max_length``), kept as typed but
    for control characters (``services/validation/text_input.py``), removed before the checks run, so an
    answer of only control characters is blank."""

    is_free_text = True
    extra_keys = frozenset({"analyze", "max_length", "placeholder"})
    widget_class: ClassVar[type[Field]] = StringField
    #: A text area keeps line breaks; a one-line input turns any posted ones into spaces.
    multiline: ClassVar[bool] = False

    def check(self, raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
        extras: dict[str, Any] = {}
        problems: list[Problem] = []
        if "analyze" in raw:
            if isinstance(raw["analyze"], bool):
                extras["analyze"] = raw["analyze"]
            else:
                problems.append(Problem(f"{path}.analyze", "must be true or false"))
        if "max_length" in raw:
            value = raw["max_length"]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                extras["max_length"] = value
            else:
                problems.append(Problem(f"{path}.max_length", "must be a whole number of at least 1"))
        if "placeholder" in raw and not isinstance(raw["placeholder"], str):
            problems.append(Problem(f"{path}.placeholder", "must be a text"))
        return extras, problems

    def limit(self, question: Question, max_chars: int) -> int:
        return min(question.max_length or max_chars, max_chars)

    def field(self, question: Question, *, label: str, description: str, max_chars: int) -> Field:
        limit = self.limit(question, max_chars)
        validators = [DataRequired(message=REQUIRED_TEXT)] if question.required else [Optional()]
        validators.append(CharacterLimit(limit))
        return self.widget_class(
            label, description=description, validators=validators, filters=[self.clean_input]
        )

    def clean_input(self, value: Any) -> Any:
        """The WTForms filter: the shared control-character rule, for this kind of field."""
        return clean_text(value, multiline=self.multiline) if isinstance(value, str) else value

    def clean(self, question: Question, data: Any) -> Any:
        return data if isinstance(data, str) and data.strip() else None


class ShortText(TextType):
    name = "short_text"


class LongText(TextType):
    name = "long_text"
    widget_class = TextAreaField
    multiline = True


class Competitor(TextType):
    """Where they went: free text with suggestions offered through a ``<datalist>``."""

    name = "competitor"
    extra_keys = TextType.extra_keys | {"suggestions"}

    def check(self, raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
        extras, problems = super().check(raw, path)
        suggestions = raw.get("suggestions", [])
        if not isinstance(suggestions, list) or not all(_is_text(s) for s in suggestions):
            problems.append(Problem(f"{path}.suggestions", "must be a list of texts"))
        else:
            extras["suggestions"] = tuple(suggestions)
        return extras, problems


class CharacterLimit:
    """Length cap counted in characters (code points), the way the page's counter counts them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.field_flags = {"maxchars": limit}

    def __call__(self, form: Form, field: Field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                gettext(
                    "Please shorten your answer to %(limit)s characters or fewer (it is %(length)s, %(over)s over).",
                    limit=format_decimal(self.limit),
                    length=format_decimal(length),
                    over=format_decimal(length - self.limit),
                )
            )


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Make a question type available to survey files under its ``name``."""
    QUESTION_TYPES[cls.name] = cls
    return cls


for _cls in (SingleChoice, MultipleChoice, ShortText, LongText, Nps, Rating, YesNo, Competitor):
    register(_cls)


def question_type(name: str) -> QuestionType:
    """The question type registered under ``name`` (KeyError for an unknown name)."""
    return QUESTION_TYPES[name]()
