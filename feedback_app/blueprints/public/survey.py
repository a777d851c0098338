"""The page a former customer sees: ``/s/<token>``, its thank-you page, and opting out.

Views look the token up, validate, call a service, render. Unknown, revoked and expired
tokens all get the same friendly 404, so a link reveals nothing about other links.
"""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from feedback_app.blueprints.public.routes import bp
from feedback_app.blueprints.public.survey_forms import build_form, personalise, validated_answers
from feedback_app.extensions import csrf
from feedback_app.models import Invitation, Response, SurveyVersion
from feedback_app.services import optout as optout_service
from feedback_app.services import responses as response_service
from feedback_app.services.survey_definitions import SurveyDefinition
from feedback_app.services.survey_links import find_invitation, record_opened
from feedback_app.services.surveys import checked_definition, current_version

ONE_CLICK_VALUE = "One-Click"


@bp.after_request
def protect_survey_pages(response: FlaskResponse) -> FlaskResponse:
    """Survey URLs hold a personal token: never send it on as a Referer, never cache the page."""
    if request.path.startswith("/s/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    return response


def _live_invitation(token: str) -> Invitation:
    invitation = find_invitation(token)
    if invitation is None:
        abort(404)
    return invitation


def _version_for(invitation: Invitation, posted: str | None) -> SurveyVersion:
    """The version the page was rendered with (posted back), else the survey's current one."""
    survey = invitation.survey
    if posted and posted.isdigit():
        for version in survey.versions:
            if version.version == int(posted):
                return version
    return current_version(survey)


def _page_context(invitation: Invitation, definition: SurveyDefinition, token: str) -> dict:
    company = current_app.config["COMPANY_NAME"]
    first_name = invitation.customer.first_name

    def fill(text: str | None) -> str:
        return personalise(text, company=company, first_name=first_name)

    return {"invitation": invitation, "definition": definition, "token": token, "company": company,
            "first_name": first_name, "fill": fill, "max_chars": current_app.config["FREE_TEXT_MAX_CHARS"]}


def _form(invitation: Invitation, definition: SurveyDefinition, **kwargs):
    return build_form(definition, company=current_app.config["COMPANY_NAME"],
                      first_name=invitation.customer.first_name,
                      max_chars=current_app.config["FREE_TEXT_MAX_CHARS"], **kwargs)


def _received_page(invitation: Invitation, token: str, *, just_now: bool = False, status: int = 200,
                   response: Response | None = None):
    """The "we have your answers" page; ``response`` when the caller already looked it up."""
    response = response or response_service.existing_response(invitation)
    window = current_app.config["SURVEY_EDIT_WINDOW_MINUTES"]
    deadline = None
    if response is not None and response_service.can_edit(response, window):
        deadline = response_service.edit_deadline(response, window)
    definition = checked_definition(response.survey_version if response else current_version(invitation.survey))
    context = _page_context(invitation, definition, token)
    return render_template("survey/received.html", just_now=just_now, edit_deadline=deadline, **context), status


def _form_page(invitation: Invitation, definition: SurveyDefinition, version: SurveyVersion, form, token: str, *,
               editing: bool, resubmit: bool = False) -> str:
    return render_template("survey/form.html", form=form, version=version, editing=editing, resubmit=resubmit,
                           **_page_context(invitation, definition, token))


@bp.errorhandler(CSRFError)
def survey_csrf_error(error: CSRFError):
    """A survey POST whose CSRF token did not check out (e.g. the browser dropped its session cookie
    while the page stayed open): show the page again with the answers kept and a fresh token,
    instead of losing what the person wrote. Nothing is stored until they send it again."""
    token = (request.view_args or {}).get("token", "")
    invitation = find_invitation(token) if request.endpoint in ("public.survey_page", "public.survey_opt_out") else None
    if invitation is None:
        return render_template("errors/error.html", error=error, code=400), 400
    version = _version_for(invitation, request.form.get("version"))
    definition = checked_definition(version)
    if request.endpoint == "public.survey_opt_out":
        context = _page_context(invitation, definition, token)
        return render_template("survey/opt_out.html", form=FlaskForm(), resubmit=True, **context), 400
    form = _form(invitation, definition)
    return _form_page(invitation, definition, version, form, token, editing=bool(form.edit_of.data),
                      resubmit=True), 400


@bp.route("/s/<token>", methods=["GET", "POST"])
def survey_page(token: str):
    invitation = _live_invitation(token)
    window = current_app.config["SURVEY_EDIT_WINDOW_MINUTES"]
    existing = response_service.existing_response(invitation)
    editing = existing is not None and response_service.can_edit(existing, window)

    if request.method == "GET":
        page = _survey_page_view(invitation, token, existing, editing)
        # Recorded after rendering: the commit expires every loaded row, which the page would
        # otherwise load again one query at a time.
        record_opened(invitation)
        return page

    version = _version_for(invitation, request.form.get("version"))
    definition = checked_definition(version)
    form = _form(invitation, definition)
    if existing is not None and not (editing and form.edit_of.data == str(existing.id)):
        return _received_page(invitation, token)  # a second submit, a double click, another tab
    answers = validated_answers(form, definition)
    if answers is None:
        return _form_page(invitation, definition, version, form, token, editing=existing is not None), 422
    edit_of = int(form.edit_of.data) if (form.edit_of.data or "").isdigit() else None
    outcome = response_service.submit_response(invitation, version, answers, edit_of=edit_of,
                                               window_minutes=window)
    if outcome.status == "duplicate":
        return _received_page(invitation, token)
    return redirect(url_for("public.survey_thanks", token=token), code=303)


def _survey_page_view(invitation: Invitation, token: str, existing: Response | None, editing: bool):
    """GET ``/s/<token>``: the form (blank, or filled in to edit), or the "already answered" page."""
    if existing is not None and not (editing and request.args.get("edit") == "1"):
        return _received_page(invitation, token, response=existing)
    version = existing.survey_version if existing is not None else current_version(invitation.survey)
    definition = checked_definition(version)
    if existing is not None:
        form = _form(invitation, definition, answers=existing.answers)
        form.edit_of.data = str(existing.id)
    else:
        form = _form(invitation, definition)
    form.version.data = str(version.version)
    return _form_page(invitation, definition, version, form, token, editing=existing is not None)


@bp.get("/s/<token>/thanks")
def survey_thanks(token: str):
    invitation = _live_invitation(token)
    response = response_service.existing_response(invitation)
    if response is None:
        return redirect(url_for("public.survey_page", token=token))
    return _received_page(invitation, token, just_now=True, response=response)


@bp.route("/s/<token>/opt-out", methods=["GET", "POST"])
def survey_opt_out(token: str):
    invitation = _live_invitation(token)
    definition = checked_definition(current_version(invitation.survey))
    context = _page_context(invitation, definition, token)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        optout_service.opt_out(invitation.customer, invitation=invitation, channel="survey_page")
        return render_template("survey/opted_out.html", **context)
    if invitation.customer.opted_out:
        return render_template("survey/opted_out.html", already=True, **context)
    return render_template("survey/opt_out.html", form=form, **context)


@bp.route("/s/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt
def survey_unsubscribe(token: str):
    """RFC 8058 one-click unsubscribe: a cookieless POST with ``List-Unsubscribe=One-Click``.

    Answers 200 with no redirect. A GET (a person following the link, or a link scanner)
    never unsubscribes: it shows the confirmation page.
    """
    if request.method == "GET":
        return survey_opt_out(token)
    invitation = _live_invitation(token)
    if request.form.get("List-Unsubscribe") != ONE_CLICK_VALUE:
        abort(400, description="A one-click unsubscribe request must carry List-Unsubscribe=One-Click.")
    optout_service.opt_out(invitation.customer, invitation=invitation, channel="one_click")
    definition = checked_definition(current_version(invitation.survey))
    return render_template("survey/opted_out.html", **_page_context(invitation, definition, token))
