"""Dashboard pages for win-back campaigns: list, create, edit, preview, test send, send, results."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import ConfirmForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import (
    actor,
    form_errors,
    grouped_theme_choices,
    page_number,
)
from feedback_app.blueprints.dashboard.winback_forms import CampaignForm, TestSendForm
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import WinbackCampaign
from feedback_app.services.actions import campaign_email, campaign_results, campaign_targets, campaigns
from feedback_app.services.actions.campaign_targets import EXCLUSIONS, Target
from feedback_app.services.customers.filters import as_choices
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights import assignment, root_causes
from feedback_app.services.validation.row_ids import row_id


def _theme_choices(campaign: WinbackCampaign | None) -> dict[str, list[tuple[int, str]]]:
    """The themes a person can act on now, as the move and merge lists offer them; a theme the
    campaign already targets that a re-run left behind stays offered, so saving keeps it."""
    choices = grouped_theme_choices()
    offered = {value for group in choices.values() for value, _ in group}
    saved = set(Target.from_json(campaign.target).theme_ids) if campaign else set()
    earlier = [(t.id, t.display_label) for t in assignment.live_themes() if t.id in saved - offered]
    if earlier:
        choices[gettext("Chosen before, not in the latest analysis")] = earlier
    return choices


def _form(campaign: WinbackCampaign | None = None) -> CampaignForm:
    form = CampaignForm()
    form.causes.choices = root_causes.cause_choices()
    form.themes.choices = _theme_choices(campaign)
    options = campaign_targets.choices()
    form.segments.choices = [(s, data_words(s)) for s in options["segments"]]
    form.plans.choices = [(p, data_words(p)) for p in options["plans"]]
    if request.method == "GET":
        data = campaigns.input_of(campaign) if campaign else None
        if data is None:
            form.causes.data = request.args.getlist("cause")
            picked = (row_id(t) for t in request.args.getlist("theme"))
            form.themes.data = [theme_id for theme_id in picked if theme_id is not None]
            themes = [t for t in assignment.live_themes() if t.id in form.themes.data]
            if len(themes) == 1:  # came from "Start a campaign" beside a theme
                form.name.data = gettext("Win back: %(theme)s", theme=themes[0].display_label)
            form.subject.data, form.body.data = (
                campaigns.campaign_email.DEFAULT_SUBJECT,
                campaigns.campaign_email.DEFAULT_BODY,
            )
            form.landing_url.data = (
                current_app.config["WINBACK_LANDING_URL"] or current_app.config["PUBLIC_BASE_URL"]
            )
        else:
            t = data.target
            form.name.data, form.causes.data, form.themes.data = data.name, t.causes, t.theme_ids
            form.segments.data = as_choices(t.segments, options["segments"])
            form.plans.data = as_choices(t.plans, options["plans"])
            form.ltv_min.data = "" if t.ltv_min_cents is None else f"{t.ltv_min_cents / 100:g}"
            form.ltv_max.data = "" if t.ltv_max_cents is None else f"{t.ltv_max_cents / 100:g}"
            form.left_from.data, form.left_to.data = t.left_from, t.left_to
            form.holdout_percent.data = round(data.holdout_share * 100)
            form.offer_text.data, form.offer_code.data = data.offer_text, data.offer_code
            form.offer_value.data = f"{data.offer_value_cents / 100:g}"
            form.offer_deadline.data, form.subject.data, form.body.data = (
                data.offer_deadline,
                data.subject,
                data.body,
            )
            form.landing_url.data = data.landing_url
    return form


def _input(form: CampaignForm) -> campaigns.CampaignInput:
    """The form's text as service input; unreadable amounts become problems named by field."""
    problems: list[tuple[str, str]] = []

    def money(field: Any) -> int | None:
        try:
            return campaigns.parse_money(field.data, field.name)
        except campaigns.CampaignError as exc:
            problems.extend(exc.problems)
            return None

    target = Target(
        causes=list(form.causes.data or []),
        theme_ids=list(form.themes.data or []),
        segments=list(form.segments.data or []),
        plans=list(form.plans.data or []),
        ltv_min_cents=money(form.ltv_min),
        ltv_max_cents=money(form.ltv_max),
        left_from=form.left_from.data,
        left_to=form.left_to.data,
    )
    return campaigns.CampaignInput(
        name=form.name.data or "",
        target=target,
        offer_text=form.offer_text.data or "",
        offer_deadline=form.offer_deadline.data,
        offer_value_cents=money(form.offer_value) or 0,
        offer_code=form.offer_code.data,
        holdout_share=(form.holdout_percent.data or 0) / 100,
        subject=form.subject.data or "",
        body=form.body.data or "",
        landing_url=form.landing_url.data or "",
        problems=problems,
    )


def _show_problems(form: CampaignForm, error: campaigns.CampaignError) -> None:
    aliases = {"themes": "themes", "ltv_max": "ltv_max", "offer_value": "offer_value"}
    for name, message in error.problems:
        field = getattr(form, aliases.get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            flash(message, "error")


def _placeholders() -> dict[str, str]:
    """The email's placeholders and what each stands for, in the page's language."""
    return translated_names(campaign_email.PLACEHOLDERS)


@bp.get("/win-back/campaigns")
@roles_required(*CX_AND_ADMIN)
def campaign_list() -> ResponseReturnValue:
    page = campaigns.all_campaigns(page=page_number())
    return render_template("winback/campaigns.html", page=page)


@bp.route("/win-back/campaigns/new", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def campaign_new() -> ResponseReturnValue:
    form = _form()
    if form.validate_on_submit():
        try:
            campaign = campaigns.create(_input(form), **actor())
        except campaigns.CampaignError as exc:
            _show_problems(form, exc)
        else:
            flash(
                gettext("Campaign saved as a draft. Check the preview, send yourself a test, then send it."),
                "success",
            )
            return redirect(url_for("dashboard.campaign_detail", campaign_id=campaign.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "winback/campaign_form.html", form=form, campaign=None, placeholders=_placeholders()
    ), status


@bp.route("/win-back/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def campaign_edit(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(WinbackCampaign, campaign_id)
    if campaign.status != "draft":
        flash(gettext("This campaign has been sent; it can no longer change."), "error")
        return redirect(url_for("dashboard.campaign_detail", campaign_id=campaign.id))
    form = _form(campaign)
    if form.validate_on_submit():
        try:
            campaigns.update(campaign, _input(form), **actor())
        except campaigns.CampaignError as exc:
            _show_problems(form, exc)
        else:
            flash(gettext("Campaign saved."), "success")
            return redirect(url_for("dashboard.campaign_detail", campaign_id=campaign.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "winback/campaign_form.html", form=form, campaign=campaign, placeholders=_placeholders()
    ), status


@bp.get("/win-back/campaigns/<int:campaign_id>")
@roles_required(*CX_AND_ADMIN)
def campaign_detail(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(WinbackCampaign, campaign_id)
    preview = campaigns.current_preview(campaign)
    results = campaign_results.results(campaign) if campaign.status == "sent" else None
    test_form = TestSendForm()
    if not test_form.address.data:
        test_form.address.data = current_user.email
    return render_template(
        "winback/campaign.html",
        campaign=campaign,
        preview=preview,
        results=results,
        target=Target.from_json(campaign.target),
        exclusions=translated_names(EXCLUSIONS),
        test_form=test_form,
        form=ConfirmForm(),
        themes={t.id: t for t in assignment.live_themes()},
    )


@bp.post("/win-back/campaigns/<int:campaign_id>/test")
@roles_required(*CX_AND_ADMIN)
def campaign_test_send(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(WinbackCampaign, campaign_id)
    form = TestSendForm()
    if not form.validate_on_submit():
        flash(
            gettext(
                "Test address: %(errors)s",
                errors=form_errors(form),
            ),
            "error",
        )
    else:
        try:
            campaigns.test_send(campaign, form.address.data, **actor())
        except campaigns.CampaignError as exc:
            flash(str(exc.problems[0][1]), "error")
        else:
            flash(
                gettext("Test email queued to %(address)s; the outbox sends it.", address=form.address.data),
                "success",
            )
    return redirect(url_for("dashboard.campaign_detail", campaign_id=campaign.id))


@bp.post("/win-back/campaigns/<int:campaign_id>/send")
@roles_required(*CX_AND_ADMIN)
def campaign_send(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(WinbackCampaign, campaign_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        report = campaigns.send(campaign, **actor())
    except campaigns.CampaignError as exc:
        flash(" ".join(m for _, m in exc.problems), "error")
    else:
        counts = {"queued": report.queued, "held_out": report.held_out, "already": report.already}
        if report.already:
            message = gettext(
                "Queued %(queued)s email(s); %(held_out)s customer(s) are in the holdout and get nothing; "
                "%(already)s already had this email.",
                **counts,
            )
        else:
            message = gettext(
                "Queued %(queued)s email(s); %(held_out)s customer(s) are in the holdout and get nothing.",
                **counts,
            )
        flash(message, "success")
    return redirect(url_for("dashboard.campaign_detail", campaign_id=campaign.id))
