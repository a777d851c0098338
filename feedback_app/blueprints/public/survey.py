"""The page a former customer sees: ``/s/<token>``, its thank-you page, and opting out.

Views look the token up, validate, call a service, render. Unknown, revoked and expired
tokens all get the same friendly 404, so a link reveals nothing about other links.

The token is the secret capability, so these pages neither read nor write the Flask session:
their forms carry a signed field derived from the token (``services.link_signatures``) instead
of a session-bound CSRF token, and set no cookie. Page views and the thank-you page read the
link in one narrow query (``find_link``) and come from the page cache (``survey_render``).
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest

from feedback_app.blueprints.public.routes import bp
from feedback_app.blueprints.public.survey_forms import validated_answers
from feedback_app.blueprints.public.survey_render import (
    Person,
    base_context,
    blank_form,
    form_signature,
    received_page,
    render_form,
    survey_form,
)
from feedback_app.extensions import csrf
from feedback_app.models import Invitation
from feedback_app.services.outreach import optout as optout_service
from feedback_app.services import responses as response_service
from feedback_app.services.link_signatures import ANSWER, FIELD_NAME, OPT_OUT, signature_matches
from feedback_app.services.surveys.definitions import SurveyDefinition
from feedback_app.services.survey_links import SurveyLink, find_invitation, find_link, record_link_opened
from feedback_app.services.surveys.versions import checked_definition, current_version, definition_by_hash, version_by_number

ONE_CLICK_VALUE = "One-Click"


def _live_link(token: str, *, read_only: bool = False) -> SurveyLink:
    link = find_link(token, read_only=read_only)
    if link is None:
        abort(404)
    return link


def _live_invitation(token: str) -> Invitation:
    invitation = find_invitation(token)
    if invitation is None:
        abort(404)
    return invitation


def _signed(token: str, purpose: str) -> bool:
    """Whether the POST carries this link's signed field for ``purpose`` (current or fallback key)."""
    keys = [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return signature_matches(keys, token, purpose, request.form.get(FIELD_NAME))


def _window() -> int:
    return current_app.config["SURVEY_EDIT_WINDOW_MINUTES"]


def _current_definition(link: SurveyLink) -> SurveyDefinition:
    return definition_by_hash(link.version_id, link.definition_hash, _label(link, link.version))


def _label(link: SurveyLink, version: int | None) -> str:
    return f"survey {link.survey_key!r} version {version}"


def _person(link: SurveyLink, token: str) -> Person:
    """The personal values of a link's pages: name, token, and for an answered link the dates."""
    deadline = None
    if link.response_submitted_at is not None:
        deadline = response_service.editable_until(link.response_submitted_at, _window())
    return Person(link.first_name, token, edit_until=deadline.strftime("%H:%M") if deadline else None,
                  answered_on=link.completed_at.strftime("%d %B %Y") if link.completed_at else None)


def _received(link: SurveyLink, token: str, *, just_now: bool = False, status: int = 200):
    """The "we have your answers" page, for the version that was answered."""
    if link.response_version_id is not None:
        definition = definition_by_hash(link.response_version_id, link.response_definition_hash or "",
                                        _label(link, link.response_version))
        digest = link.response_definition_hash or ""
    else:  # the response vanished between two queries (erased): show the current survey's texts
        definition, digest = _current_definition(link), link.definition_hash
    return received_page(definition, digest, _person(link, token), just_now=just_now), status


def _can_edit(link: SurveyLink) -> bool:
    return (link.response_submitted_at is not None
            and response_service.editable_until(link.response_submitted_at, _window()) is not None)


def _posted_version(link: SurveyLink) -> tuple[int, int, str]:
    """(number, row id, fingerprint) of the version the page was rendered with, else the current one."""
    posted = request.form.get("version") or ""
    # ASCII digits only, and few: int() refuses "²" and 5,000 digits, and the database a 20-digit number.
    if posted.isascii() and posted.isdigit() and len(posted) <= 9 and int(posted) != link.version:
        found = version_by_number(link.survey_id, int(posted))
        if found is not None:
            return found
    return link.version, link.version_id, link.definition_hash


def _resubmit_page(token: str, purpose: str):
    """A POST whose signed field did not check out: show the page again with the answers kept,
    instead of losing what the person wrote. Nothing is stored until they send it again."""
    link = find_link(token, read_only=True)
    if link is None:
        error = BadRequest("This form could not be accepted. Please open your survey link again.")
        return render_template("errors/error.html", error=error, code=400), 400
    person = _person(link, token)
    if purpose == OPT_OUT:
        context = base_context(_current_definition(link), person.first_name, token, form_signature(token, OPT_OUT))
        return render_template("survey/opt_out.html", resubmit=True, **context), 400
    number, version_id, digest = _posted_version(link)
    definition = definition_by_hash(version_id, digest, _label(link, number))
    form = survey_form(definition, person.first_name)
    return render_form(definition, person, form, editing=bool(form.edit_of.data), resubmit=True), 400


@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed field replaces the session CSRF token (see module docstring)
def survey_page(token: str):
    method = request.method
    if method == "POST" and not _signed(token, ANSWER):
        return _resubmit_page(token, ANSWER)
    # Read outside a transaction: a GET writes at most its "opened" mark, on its own; a POST's
    # writes start their own transaction (``responses.submit_answers``), or are one statement.
    link = _live_link(token, read_only=True)
    editing = _can_edit(link)

    if method != "POST":  # GET, or HEAD (which Flask routes here too): never a submission
        page = _survey_page_view(link, token, editing)
        record_link_opened(link)  # after rendering; nothing at all once the link was opened
        return page

    number, version_id, digest = _posted_version(link)
    definition = definition_by_hash(version_id, digest, _label(link, number))
    person = _person(link, token)
    form = survey_form(definition, person.first_name)
    if link.response_id is not None and not (editing and form.edit_of.data == str(link.response_id)):
        return _received(link, token)  # a second submit, a double click, another tab
    answers = validated_answers(form, definition)
    if answers is None:
        return render_form(definition, person, form, editing=link.response_id is not None), 422
    edit_of = int(form.edit_of.data) if (form.edit_of.data or "").isdigit() else None
    outcome = response_service.submit_answers(link.invitation_id, version_id, digest, answers,
                                              customer=link.customer, existing_id=link.response_id, edit_of=edit_of,
                                              window_minutes=_window())
    if outcome.status == "duplicate":
        return _received(_live_link(token), token)
    return redirect(url_for("public.survey_thanks", token=token), code=303)


def _survey_page_view(link: SurveyLink, token: str, editing: bool):
    """GET ``/s/<token>``: the form (blank, or filled in to edit), or the "already answered" page."""
    if link.response_id is None:
        return blank_form(_current_definition(link), link.definition_hash, link.version, _person(link, token))
    if not (editing and request.args.get("edit") == "1"):
        return _received(link, token)
    stored = response_service.stored_answers(link.response_id)
    definition = definition_by_hash(link.response_version_id or link.version_id,
                                    link.response_definition_hash or link.definition_hash,
                                    _label(link, link.response_version))
    person = _person(link, token)
    form = survey_form(definition, person.first_name, answers=stored)
    form.edit_of.data = str(link.response_id)
    form.version.data = str(link.response_version or link.version)
    return render_form(definition, person, form, editing=True)


@bp.get("/s/<token>/thanks")
def survey_thanks(token: str):
    link = _live_link(token, read_only=True)
    if link.response_id is None:
        return redirect(url_for("public.survey_page", token=token))
    return _received(link, token, just_now=True)


@bp.route("/s/<token>/opt-out", methods=["GET", "POST"])
@csrf.exempt  # the signed field replaces the session CSRF token (see module docstring)
def survey_opt_out(token: str):
    if request.method == "POST" and not _signed(token, OPT_OUT):
        return _resubmit_page(token, OPT_OUT)
    invitation = _live_invitation(token)
    definition = checked_definition(current_version(invitation.survey))
    context = base_context(definition, invitation.customer.first_name, token, form_signature(token, OPT_OUT))
    if request.method == "POST":
        optout_service.opt_out(invitation.customer, invitation=invitation, channel="survey_page")
        return render_template("survey/opted_out.html", **context)
    if invitation.customer.opted_out:
        return render_template("survey/opted_out.html", already=True, **context)
    return render_template("survey/opt_out.html", **context)


@bp.route("/s/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt
def survey_unsubscribe(token: str):
    """RFC 8058 one-click unsubscribe: a cookieless POST with ``List-Unsubscribe=One-Click``.

    Answers 200 with no redirect. A GET (a person following the link, or a link scanner)
    never unsubscribes: it shows the confirmation page.
    """
    if request.method != "POST":  # GET or HEAD: never unsubscribes
        return survey_opt_out(token)
    invitation = _live_invitation(token)
    if request.form.get("List-Unsubscribe") != ONE_CLICK_VALUE:
        abort(400, description="A one-click unsubscribe request must carry List-Unsubscribe=One-Click.")
    optout_service.opt_out(invitation.customer, invitation=invitation, channel="one_click")
    definition = checked_definition(current_version(invitation.survey))
    context = base_context(definition, invitation.customer.first_name, token, form_signature(token, OPT_OUT))
    return render_template("survey/opted_out.html", **context)
