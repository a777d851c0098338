"""The page a former customer sees: ``/s/<token>``, its thank-you page, and opting out.

Views look the token up, validate, call a service, render. Unknown, revoked and expired
tokens all get the same friendly 404, so a link reveals nothing about other links.

The token is the secret capability, so these pages neither read nor write the Flask session:
their forms carry a signed field derived from the token (``services.responses.signatures``)
instead of a session-bound CSRF token, and set no cookie.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_timedelta, gettext, refresh

from feedback_app.blueprints.public.routes import bp, speak_as_the_email_did
from feedback_app.blueprints.public.survey_forms import validated_answers
from feedback_app.blueprints.public.survey_render import (
    SWITCH_FIELD,
    Person,
    base_context,
    blank_form,
    form_signature,
    picked_language,
    received_page,
    render_form,
    survey_form,
)
from feedback_app.extensions import csrf, db
from feedback_app.models import Invitation, SurveyVersion, utcnow
from feedback_app.services.actions import close_loop_links
from feedback_app.services.outreach import optout as optout_service
from feedback_app.services.responses import submission
from feedback_app.services.responses.links import find_invitation, mark_opened
from feedback_app.services.responses.signatures import ANSWER, FIELD_NAME, OPT_OUT, signature_matches
from feedback_app.services.surveys.definitions import SurveyDefinition
from feedback_app.services.surveys.language_choice import choose_language
from feedback_app.services.surveys.versions import checked_definition, current_version, version_or_current
from feedback_app.services.validation.row_ids import row_id

ONE_CLICK_VALUE = "One-Click"


def _live_invitation(token: str) -> Invitation:
    invitation = find_invitation(token)
    if invitation is None:
        abort(404)
    return invitation


def _ended_invitation(token: str) -> Invitation:
    """The invitation of a link that has expired or been revoked: emails sent before their opt-out
    link became the signed one (``close_loop_links``) carry these, and must still unsubscribe."""
    invitation = find_invitation(token, ended_too=True)
    if invitation is None:
        abort(404)
    return invitation


def _signed(token: str, purpose: str) -> bool:
    """Whether the POST carries this link's signed field for ``purpose`` (current or fallback key)."""
    keys = [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return signature_matches(keys, token, purpose, request.form.get(FIELD_NAME))


def _definition(version: SurveyVersion, invitation: Invitation) -> SurveyDefinition:
    """The version's texts in the page language, which the page's own words then use too."""
    written = checked_definition(version)
    language = choose_language(
        written.languages,
        written.default_language,
        picked=picked_language(),
        customer=invitation.customer.language,
        browser=request.accept_languages.best_match,
    )
    g.page_language = language
    refresh()  # Flask-Babel picks the locale up again from g.page_language
    return checked_definition(version, language)


def _window() -> int:
    return current_app.config["SURVEY_EDIT_WINDOW_MINUTES"]


def _time_left(deadline: datetime) -> str:
    """How long until ``deadline``, in the page's language ("27 minutes", "3 hours"), rounded
    down: a clock time would need the reader's timezone, and a rounded-up one would overstate."""
    minutes = max(1, int((deadline - utcnow()).total_seconds() // 60))
    if minutes < 120:
        left = timedelta(minutes=minutes)
    elif minutes < 48 * 60:
        left = timedelta(hours=minutes // 60)
    else:
        left = timedelta(days=minutes // (24 * 60))
    return format_timedelta(left, granularity="minute", threshold=2)


def _person(invitation: Invitation, token: str) -> Person:
    """The personal values of a link's pages: name, token, and for an answered link the dates."""
    response = invitation.response
    deadline = submission.editable_until(response.submitted_at, _window()) if response is not None else None
    completed = invitation.completed_at
    return Person(
        invitation.customer.first_name,
        token,
        edit_for=_time_left(deadline) if deadline else None,
        # the day as the page's language writes a date ("5. Dezember 2026", "5 de diciembre de 2026")
        answered_on=format_date(completed, "long") if completed else None,
    )


def _answered_version(invitation: Invitation) -> SurveyVersion:
    """The version the stored answer was given on, else the survey's current one."""
    response = invitation.response
    return response.survey_version if response is not None else current_version(invitation.survey)


def _received(
    invitation: Invitation, token: str, *, just_now: bool = False, edit_too_late: bool = False
) -> str:
    """The "we have your answers" page, for the version that was answered; ``edit_too_late`` when
    the POST was changed answers sent after the edit window closed (they were not saved)."""
    definition = _definition(_answered_version(invitation), invitation)
    return received_page(
        definition, _person(invitation, token), just_now=just_now, edit_too_late=edit_too_late
    )


def _can_edit(invitation: Invitation) -> bool:
    response = invitation.response
    return response is not None and submission.can_edit(response, _window())


def _posted_version(invitation: Invitation) -> SurveyVersion:
    """The version the page was rendered with (the form's ``version``), else the current one."""
    return version_or_current(invitation.survey, request.form.get("version"))


def _resubmit_page(token: str, purpose: str) -> ResponseReturnValue:
    """A POST whose signed field did not check out: show the page again with the answers kept,
    instead of losing what the person wrote. Nothing is stored until they send it again."""
    invitation = find_invitation(token)
    if invitation is None:
        # through the error handler: the page a bad survey link gets, the company's name in its header
        abort(
            400, description=gettext("This form could not be accepted. Please open your survey link again.")
        )
    person = _person(invitation, token)
    if purpose == OPT_OUT:
        definition = _definition(current_version(invitation.survey), invitation)
        context = base_context(definition, person.first_name, token, form_signature(token, OPT_OUT))
        answered = invitation.response is not None
        return render_template("survey/opt_out.html", resubmit=True, answered=answered, **context), 400
    definition = _definition(_posted_version(invitation), invitation)
    form = survey_form(definition, person.first_name)
    return render_form(definition, person, form, editing=bool(form.edit_of.data), resubmit=True), 400


@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed field replaces the session CSRF token (see module docstring)
def survey_page(token: str) -> ResponseReturnValue:
    if request.method == "POST" and not _signed(token, ANSWER):
        return _resubmit_page(token, ANSWER)
    invitation = _live_invitation(token)
    if request.method != "POST":  # GET, or HEAD (which Flask routes here too): never a submission
        page = _survey_page_view(invitation, token)
        mark_opened(invitation)  # after rendering: the commit expires what the page read
        return page

    version = _posted_version(invitation)
    definition = _definition(version, invitation)
    person = _person(invitation, token)
    form = survey_form(definition, person.first_name)
    response = invitation.response
    editing = response is not None and form.edit_of.data == str(response.id)
    if SWITCH_FIELD in request.form:  # the language picker: the same page, answers kept, nothing saved
        if response is not None and not (editing and _can_edit(invitation)):
            return _received(invitation, token, edit_too_late=editing)
        return render_form(definition, person, form, editing=response is not None, switched=True)
    if response is not None and not (editing and _can_edit(invitation)):
        if not editing and validated_answers(form, definition) == response.answers:
            return _thanks(token)  # the same answers again: a double tap, a resend after a timeout
        # another tab's answers; or changes sent once the edit window closed, which the person must
        # be told were not saved
        return _received(invitation, token, edit_too_late=editing)
    answers = validated_answers(form, definition)
    if answers is None:
        return render_form(definition, person, form, editing=response is not None), 422
    edit_of = row_id(form.edit_of.data)
    outcome = submission.submit_response(
        invitation, version, answers, edit_of=edit_of, window_minutes=_window()
    )
    if outcome.status == "duplicate":
        # another request stored the response after the invitation was loaded above: read it again
        db.session.expire(invitation)
        if invitation.response is None or invitation.response.answers != answers:
            return _received(invitation, token)
    return _thanks(token)


def _thanks(token: str) -> ResponseReturnValue:
    """To the thank-you page (303), in the language picked on the page. A repeat of the POST that
    stored the answers (a double tap: the browser shows the second answer) comes here too, so the
    person who has just answered reads "Thank you", not "You already answered this survey"."""
    return redirect(url_for("public.survey_thanks", token=token, lang=request.args.get("lang")), code=303)


def _survey_page_view(invitation: Invitation, token: str) -> str:
    """GET ``/s/<token>``: the form (blank, or filled in to edit), or the "already answered" page."""
    response = invitation.response
    if response is None:
        version = current_version(invitation.survey)
        return blank_form(_definition(version, invitation), version.version, _person(invitation, token))
    if not (_can_edit(invitation) and request.args.get("edit") == "1"):
        return _received(invitation, token)
    version = response.survey_version
    definition = _definition(version, invitation)
    person = _person(invitation, token)
    form = survey_form(definition, person.first_name, answers=response.answers)
    form.edit_of.data = str(response.id)
    form.version.data = str(version.version)
    return render_form(definition, person, form, editing=True)


@bp.get("/s/<token>/thanks")
def survey_thanks(token: str) -> ResponseReturnValue:
    invitation = _live_invitation(token)
    if invitation.response is None:
        return redirect(url_for("public.survey_page", token=token, lang=request.args.get("lang")))
    return _received(invitation, token, just_now=True)


@bp.route("/s/<token>/opt-out", methods=["GET", "POST"])
@csrf.exempt  # the signed field replaces the session CSRF token (see module docstring)
def survey_opt_out(token: str) -> ResponseReturnValue:
    if request.method == "POST" and not _signed(token, OPT_OUT):
        return _resubmit_page(token, OPT_OUT)
    invitation = find_invitation(token)
    if invitation is None:  # an old email's link: its signed opt-out page asks instead
        ended = _ended_invitation(token)
        return redirect(close_loop_links.opt_out_url(ended.customer, "survey", ended.id), code=303)
    definition = _definition(current_version(invitation.survey), invitation)
    context = base_context(definition, invitation.customer.first_name, token, form_signature(token, OPT_OUT))
    answered = invitation.response is not None  # "take me to the survey" only while there is one to take
    if request.method == "POST":
        optout_service.opt_out(invitation.customer, invitation=invitation, channel="survey_page")
        return render_template("survey/opted_out.html", answered=answered, **context)
    if invitation.customer.opted_out:
        return render_template("survey/opted_out.html", already=True, answered=answered, **context)
    return render_template("survey/opt_out.html", answered=answered, **context)


@bp.route("/s/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt
def survey_unsubscribe(token: str) -> ResponseReturnValue:
    """RFC 8058 one-click unsubscribe: a cookieless POST with ``List-Unsubscribe=One-Click``.

    Answers 200 with no redirect. A GET (a person following the link, or a link scanner)
    never unsubscribes: it shows the confirmation page.
    """
    if request.method != "POST":  # GET or HEAD: never unsubscribes
        return survey_opt_out(token)
    live = find_invitation(token)
    invitation = live or _ended_invitation(token)
    if request.form.get("List-Unsubscribe") != ONE_CLICK_VALUE:
        abort(400, description="A one-click unsubscribe request must carry List-Unsubscribe=One-Click.")
    if live is None:  # an old email's link: no survey page to speak for any more
        speak_as_the_email_did(invitation.customer)
        optout_service.opt_out(invitation.customer, invitation=invitation, channel="one_click")
        return render_template("public/winback_opted_out.html", company=current_app.config["COMPANY_NAME"])
    definition = _definition(current_version(invitation.survey), invitation)
    context = base_context(definition, invitation.customer.first_name, token, form_signature(token, OPT_OUT))
    optout_service.opt_out(invitation.customer, invitation=invitation, channel="one_click")
    return render_template("survey/opted_out.html", answered=invitation.response is not None, **context)
