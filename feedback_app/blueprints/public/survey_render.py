"""Rendering the survey pages: the form and the "received" page, cached per version and state.

The views decide *which* page a link gets; this module turns that into HTML. The common pages
(the blank form, the thank-you and "already answered" pages) come from ``page_cache``: rendered
once per survey version and state with slots for the personal values, then filled in per request.
Pages that show what someone typed (errors, editing, "send again") are rendered in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask import current_app, render_template, request
from markupsafe import escape

from feedback_app.blueprints.public.page_cache import page_cache, slot_safe
from feedback_app.blueprints.public.survey_forms import SurveyForm, build_form, personalise
from feedback_app.services.link_signatures import ANSWER, link_signature
from feedback_app.services.surveys.definitions import SurveyDefinition

#: A form shown again keeps each posted value up to this many times ``FREE_TEXT_MAX_CHARS``.
ECHO_FACTOR = 2
#: The per-person values a cached page has slots for.
SLOTS = ("first_name", "token", "signature", "edit_until", "answered_on")


@dataclass(frozen=True, slots=True)
class Person:
    """Whose page this is: the values that differ between two people on the same page."""

    first_name: str | None
    token: str
    #: "HH:MM" (UTC) until which the answers may be changed, or None.
    edit_until: str | None = None
    #: "DD Month YYYY" the survey was answered on, or None.
    answered_on: str | None = None


def form_signature(token: str, purpose: str = ANSWER) -> str:
    """The signed field for this link's form (see ``services.link_signatures``)."""
    return link_signature(current_app.config["SECRET_KEY"], token, purpose)


def base_context(definition: SurveyDefinition, first_name: str | None, token: str, signature: str) -> dict[str, Any]:
    """What every survey template reads; ``fill`` personalises the survey's texts."""
    company = current_app.config["COMPANY_NAME"]

    def fill(text: str | None) -> str:
        return personalise(text, company=company, first_name=first_name)

    return {"definition": definition, "token": token, "company": company, "first_name": first_name,
            "fill": fill, "max_chars": current_app.config["FREE_TEXT_MAX_CHARS"], "form_signature": signature}


def survey_form(definition: SurveyDefinition, first_name: str | None, **kwargs: Any) -> SurveyForm:
    """The WTForms form for a definition with this person's labels (from the request, or ``answers``)."""
    return build_form(definition, company=current_app.config["COMPANY_NAME"], first_name=first_name,
                      max_chars=current_app.config["FREE_TEXT_MAX_CHARS"], **kwargs)


def render_form(definition: SurveyDefinition, person: Person, form: SurveyForm, *, editing: bool,
                resubmit: bool = False) -> str:
    """The form page through the template, with whatever ``form`` holds (answers, errors)."""
    context = base_context(definition, person.first_name, person.token, form_signature(person.token))
    _clip_posted_values(form, ECHO_FACTOR * context["max_chars"])
    return render_template("survey/form.html", form=form, editing=editing, resubmit=resubmit, **context)


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


def _render_blank_form(definition: SurveyDefinition, version: int, first_name: str | None, token: str,
                       signature: str) -> str:
    form = survey_form(definition, first_name, formdata=None)
    form.version.data = str(version)
    context = base_context(definition, first_name, token, signature)
    return render_template("survey/form.html", form=form, editing=False, resubmit=False, **context)


def blank_form(definition: SurveyDefinition, definition_hash: str, version: int, person: Person) -> str | bytes:
    """The empty form a link shows first: from the page cache (as UTF-8 bytes) when it can be, else rendered."""
    cache = page_cache()
    if cache is not None and slot_safe(person.token):
        key = ("form", definition_hash, version, bool(person.first_name), *_app_key())

        def render(slots: Mapping[str, str]) -> str:
            return _render_blank_form(definition, version, slots["first_name"] if person.first_name else None,
                                      slots["token"], slots["signature"])

        split = cache.page(key, render, SLOTS)
        if split is not None:
            return split.fill(_slot_values(person))
    return _render_blank_form(definition, version, person.first_name, person.token, form_signature(person.token))


def _render_received(definition: SurveyDefinition, first_name: str | None, token: str, signature: str, *,
                     just_now: bool, edit_until: str | None, answered_on: str | None) -> str:
    context = base_context(definition, first_name, token, signature)
    return render_template("survey/received.html", just_now=just_now, edit_until=edit_until,
                           answered_on=answered_on, **context)


def received_page(definition: SurveyDefinition, definition_hash: str, person: Person, *,
                  just_now: bool) -> str | bytes:
    """The thank-you page (``just_now``) or the "already answered" page, cached like the blank form."""
    cache = page_cache()
    if cache is not None and slot_safe(person.token):
        key = ("received", definition_hash, just_now, bool(person.first_name), person.edit_until is not None,
               person.answered_on is not None, *_app_key())

        def render(slots: Mapping[str, str]) -> str:
            return _render_received(definition, slots["first_name"] if person.first_name else None, slots["token"],
                                    slots["signature"], just_now=just_now,
                                    edit_until=slots["edit_until"] if person.edit_until is not None else None,
                                    answered_on=slots["answered_on"] if person.answered_on is not None else None)

        split = cache.page(key, render, SLOTS)
        if split is not None:
            return split.fill(_slot_values(person))
    return _render_received(definition, person.first_name, person.token, form_signature(person.token),
                            just_now=just_now, edit_until=person.edit_until, answered_on=person.answered_on)


def _slot_values(person: Person) -> dict[str, str]:
    """The slot values, escaped as the templates escape them (the token is already URL- and HTML-safe)."""
    return {"first_name": str(escape(person.first_name or "")), "token": person.token,
            "signature": form_signature(person.token), "edit_until": str(escape(person.edit_until or "")),
            "answered_on": str(escape(person.answered_on or ""))}


def _app_key() -> tuple[Any, ...]:
    """Everything else a cached page depends on: the config it shows and the URL prefix."""
    config = current_app.config
    return config["COMPANY_NAME"], config["FREE_TEXT_MAX_CHARS"], request.script_root
