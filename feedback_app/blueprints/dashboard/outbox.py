"""Dashboard pages for email: the outbox, the file transport's messages, creating invitations,
and the invitation funnel (CX and admin only)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.outbox_forms import ActionForm, InvitationForm
from feedback_app.blueprints.dashboard.report_filters import filter_context
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, page_number
from feedback_app.jobs import enqueue
from feedback_app.models import EMAIL_KINDS, EMAIL_STATUSES
from feedback_app.services.actions import campaign_targets
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights.filters import Filters, survey_title
from feedback_app.services.insights.overview import invitation_rows
from feedback_app.services.mail import files as mail_files
from feedback_app.services.mail import transport_description
from feedback_app.services.outreach import funnel as funnel_service
from feedback_app.services.outreach import invitations as invitation_service
from feedback_app.services.outreach import outbox_admin

PER_PAGE = 50


@bp.get("/outbox")
@roles_required(*CX_AND_ADMIN)
def outbox() -> ResponseReturnValue:
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    status = status if status in EMAIL_STATUSES else ""
    kind = kind if kind in EMAIL_KINDS else ""
    listing = outbox_admin.list_emails(
        status=status or None,
        kind=kind or None,
        page=page_number(),
        per_page=PER_PAGE,
    )
    period = Filters.default()
    return render_template(
        "outbox/index.html",
        counts=outbox_admin.status_counts(),
        emails=listing.items,
        period=period,
        invitations=funnel_service.funnel_total(invitation_rows(period)),
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
        status=status,
        kind=kind,
        statuses=EMAIL_STATUSES,
        kinds=EMAIL_KINDS,
        form=ActionForm(),
        transport=gettext(transport_description(current_app.config["MAIL_TRANSPORT"])),
    )


@bp.post("/outbox/<int:email_id>/retry")
@roles_required(*CX_AND_ADMIN)
def outbox_retry(email_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outbox_admin.retry(email_id, **actor())
    except outbox_admin.RetryRefused as exc:
        flash(str(exc), "error")
    else:
        flash(gettext("Email %(id)s is queued again.", id=email_id), "success")
        enqueue("outbox.deliver")
    return redirect(url_for("dashboard.outbox", status=request.args.get("status", "")))


@bp.post("/outbox/requeue")
@roles_required(*CX_AND_ADMIN)
def outbox_requeue() -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    count = outbox_admin.requeue_stale(**actor())
    flash(gettext("Requeued %(count)s emails whose outcome was unknown.", count=count), "success")
    return redirect(url_for("dashboard.outbox"))


@bp.get("/outbox/files")
@roles_required(*CX_AND_ADMIN)
def outbox_files() -> ResponseReturnValue:
    directory = current_app.config["MAIL_OUTBOX_DIR"]
    return render_template(
        "outbox/files.html",
        files=mail_files.list_files(directory),
        directory=directory,
        transport=current_app.config["MAIL_TRANSPORT"],
        # emails the outbox marks sent: with no file here, the page says why (loaded as sent, as the
        # demo's are, or sent by another transport) instead of contradicting the outbox's "Sent 156"
        sent=outbox_admin.status_counts()["totals"]["sent"],
    )


@bp.get("/outbox/files/<name>")
@roles_required(*CX_AND_ADMIN)
def outbox_file(name: str) -> ResponseReturnValue:
    try:
        message = mail_files.read_file(current_app.config["MAIL_OUTBOX_DIR"], name)
    except FileNotFoundError:
        abort(404)
    return render_template("outbox/file.html", message=message)


@bp.route("/invitations/new", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def invitations_new() -> ResponseReturnValue:
    form = InvitationForm()
    form.survey.choices = [(s.key, survey_title(s.title)) for s in invitation_service.active_surveys()]
    known = campaign_targets.choices()
    anyone = [("", gettext("Any"))]
    form.segment.choices = anyone + [(s, data_words(s)) for s in known["segments"]]
    form.plan.choices = anyone + [(p, data_words(p)) for p in known["plans"]]
    run, error, status = None, None, 200
    if form.validate_on_submit():
        filters = invitation_service.InvitationFilters(
            left_since=form.left_since.data,
            left_before=form.left_before.data,
            segment=(form.segment.data or "").strip() or None,
            plan=(form.plan.data or "").strip() or None,
            include_involuntary=form.include_involuntary.data,
        )
        dry_run = not form.create.data
        try:
            run = invitation_service.create_invitations(form.survey.data, filters, dry_run=dry_run, **actor())
        except invitation_service.InvitationError as exc:
            error, status = str(exc), 422
        else:
            if run.created:
                enqueue("outbox.deliver")
    elif form.is_submitted():
        status = 422
    return render_template(
        "outbox/invite.html", form=form, run=run, error=error, reasons=invitation_service.SKIP_REASONS
    ), status


@bp.get("/invitations/funnel")
@roles_required(*CX_AND_ADMIN)
def invitation_funnel() -> ResponseReturnValue:
    """The funnel for customers who left in the selected period (the overview's selection)."""
    context = filter_context()
    rows = invitation_rows(context["filters"])
    return render_template(
        "outbox/funnel.html", rows=rows, total=funnel_service.funnel_total(rows), **context
    )
