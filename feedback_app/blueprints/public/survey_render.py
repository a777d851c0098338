"""Rendering the survey pages: the form and the "received" page, with one person's values.

The views decide *which* page a link gets; this module turns that into HTML through the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, request, url_for

from feedback_app.blueprints.public.survey_forms import SurveyForm, build_form, personalise, question_numbers
from feedback_app.services.responses.signatures import ANSWER, link_signature
from feedback_app.services.surveys.definitions import SurveyDefinition
from feedback_app.services.validation.languages import LANGUAGE_NAMES

#: The language picker's buttons on the form page: submit buttons of the survey's form, named so,
#: whose POST shows the form again in the language picked with what was typed, validating and
#: saving nothing (``survey.survey_page``). Elsewhere the picker is plain links.
SWITCH_FIELD = "language"
#: The survey form's id, which the picker's buttons in the page header name in their ``form``.
FORM_ID = "survey-answers"

#: A form shown again keeps each posted value up to this many times ``FREE_TEXT_MAX_CHARS``.
ECHO_FACTOR = 2


@dataclass(frozen=True, slots=True)
class Person:
    """Whose page this is: the values that differ between two people on the same page."""

    first_name: str | None
    token: str
    #: How long the answers may still be changed ("27 minutes", in the page's language), or None.
    edit_for: str | None = None
    #: "DD Month YYYY" the survey was answered on, or None.
    answered_on: str | None = None


def form_signature(token: str, purpose: str = ANSWER) -> str:
    """The signed field for this link's form (see ``services.responses.signatures``)."""
    return link_signature(current_app.config["SECRET_KEY"], token, purpose)


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """One entry of the page's language switch: a plain link, so it works without JavaScript."""

    code: str
    name: str
    url: str
    current: bool


def picked_language() -> str | None:
    """The language picked on the page: the picker's button on a POST, else the address's ``lang``."""
    if request.method == "POST" and request.form.get(SWITCH_FIELD):
        return request.form[SWITCH_FIELD]
    return request.args.get("lang")


def language_links(definition: SurveyDefinition, token: str) -> list[LanguageLink]:
    """This page in each of the survey's languages (none when it is written in one)."""
    if len(definition.languages) < 2:
        return []
    endpoint = request.endpoint or "public.survey_page"
    args: dict[str, Any] = {key: value for key, value in request.args.items() if key != "lang"}
    return [
        LanguageLink(
            code,
            LANGUAGE_NAMES.get(code, code),
            url_for(endpoint, **{**args, "token": token, "lang": code}),
            code == definition.language,
        )
        for code in definition.languages
    ]


def base_context(
    definition: SurveyDefinition, first_name: str | None, token: str, signature: str
) -> dict[str, Any]:
    """What every survey template reads; ``fill`` personalises the survey's texts."""
    company = current_app.config["COMPANY_NAME"]

    def fill(text: str | None) -> str:
        return personalise(text, company=company, first_name=first_name, questions=len(definition.questions))

    return {
        "definition": definition,
        "token": token,
        "company": company,
        "first_name": first_name,
        "fill": fill,
        "max_chars": current_app.config["FREE_TEXT_MAX_CHARS"],
        "form_signature": signature,
        "page_language": definition.language,
        "language_links": language_links(definition, token),
        # The language picked on the page travels in the links and the form's address (no cookie).
        "page_args": {"lang": definition.language} if picked_language() else {},
        "brand_logo_url": current_app.config.get("BRAND_LOGO_URL"),
        "brand_colour": current_app.config.get("BRAND_COLOUR"),
    }


def survey_form(definition: SurveyDefinition, first_name: str | None, **kwargs: Any) -> SurveyForm:
    """The WTForms form for a definition with this person's labels (from the request, or ``answers``)."""
    return build_form(
        definition,
        company=current_app.config["COMPANY_NAME"],
        first_name=first_name,
        max_chars=current_app.config["FREE_TEXT_MAX_CHARS"],
        **kwargs,
    )


def render_form(
    definition: SurveyDefinition,
    person: Person,
    form: SurveyForm,
    *,
    editing: bool,
    resubmit: bool = False,
    switched: bool = False,
) -> str:
    """The form page through the template, with whatever ``form`` holds (answers, errors);
    ``switched``: shown again in the language just picked, focus on the picker."""
    context = base_context(definition, person.first_name, person.token, form_signature(person.token))
    _clip_posted_values(form, ECHO_FACTOR * context["max_chars"])
    return render_template(
        "survey/form.html",
        form=form,
        editing=editing,
        resubmit=resubmit,
        switched=switched,
        language_form=FORM_ID,
        numbers=question_numbers(form, definition),
        **context,
    )


def _clip_posted_values(form: SurveyForm, most: int) -> None:
    """Cut what the page would show again of each posted value to ``most`` characters.

    A refused or invalid POST shows the answers again; a body of several megabytes (a text far
    over the limit, or any other field: hidden and number fields echo their raw value) must not
    come back whole. Someone who pasted a little too much still gets all of their text back to
    shorten it (the error message gives its real length).
    """
    for field in form:
        if isinstance(field.data, str) and len(field.data) > most:
            field.data = field.data[:most]
        if field.raw_data:
            field.raw_data = [value[:most] if isinstance(value, str) else value for value in field.raw_data]


def blank_form(definition: SurveyDefinition, version: int, person: Person) -> str:
    """The empty form a link shows first."""
    form = survey_form(definition, person.first_name, formdata=None)
    form.version.data = str(version)
    return render_form(definition, person, form, editing=False)


def received_page(
    definition: SurveyDefinition, person: Person, *, just_now: bool, edit_too_late: bool = False
) -> str:
    """The thank-you page (``just_now``) or the "already answered" page (``edit_too_late``: saying
    that the changes just sent came after the edit window and were not saved)."""
    context = base_context(definition, person.first_name, person.token, form_signature(person.token))
    return render_template(
        "survey/received.html",
        just_now=just_now,
        edit_too_late=edit_too_late,
        edit_for=person.edit_for,
        answered_on=person.answered_on,
        **context,
    )
