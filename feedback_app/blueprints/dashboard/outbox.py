"""Dashboard pages for email: the outbox, the file transport's messages, creating invitations,
and the invitation funnel (CX and admin only)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.outbox_forms import ActionForm, InvitationForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.jobs import enqueue
from feedback_app.models import EMAIL_KINDS, EMAIL_STATUSES
from feedback_app.services.mail import files as mail_files
from feedback_app.services.outreach import funnel as funnel_service
from feedback_app.services.outreach import invitations as invitation_service
from feedback_app.services.outreach import outbox as outbox_service

PER_PAGE = 50


@bp.get("/outbox")
@roles_required(*CX_AND_ADMIN)
def outbox():
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    status = status if status in EMAIL_STATUSES else ""
    kind = kind if kind in EMAIL_KINDS else ""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    emails, total = outbox_service.list_emails(status=status or None, kind=kind or None, page=page, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    return render_template("outbox/index.html", counts=outbox_service.status_counts(), emails=emails, total=total,
                           page=page, pages=pages, status=status, kind=kind, statuses=EMAIL_STATUSES,
                           kinds=EMAIL_KINDS, form=ActionForm(), transport=current_app.config["MAIL_TRANSPORT"])


@bp.post("/outbox/<int:email_id>/retry")
@roles_required(*CX_AND_ADMIN)
def outbox_retry(email_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outbox_service.retry(email_id, actor=current_user.email)
    except outbox_service.RetryRefused as exc:
        flash(str(exc), "error")
    else:
        flash(f"Email {email_id} is queued again.", "success")
        enqueue("outbox.deliver")
    return redirect(url_for("dashboard.outbox", status=request.args.get("status", "")))


@bp.post("/outbox/requeue")
@roles_required(*CX_AND_ADMIN)
def outbox_requeue():
    if not ActionForm().validate_on_submit():
        abort(400)
    count = outbox_service.requeue_stale(actor=current_user.email)
    flash(f"Requeued {count} emails whose outcome was unknown.", "success")
    return redirect(url_for("dashboard.outbox"))


@bp.get("/outbox/files")
@roles_required(*CX_AND_ADMIN)
def outbox_files():
    directory = current_app.config["MAIL_OUTBOX_DIR"]
    return render_template("outbox/files.html", files=mail_files.list_files(directory), directory=directory,
                           transport=current_app.config["MAIL_TRANSPORT"])


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
def invitations_new():
    form = InvitationForm()
    form.survey.choices = [(s.key, f"{s.title} ({s.key})") for s in invitation_service.active_surveys()]
    run, error, status = None, None, 200
    if form.validate_on_submit():
        filters = invitation_service.InvitationFilters(
            left_since=form.left_since.data, left_before=form.left_before.data,
            segment=(form.segment.data or "").strip() or None, plan=(form.plan.data or "").strip() or None,
            include_involuntary=form.include_involuntary.data,
        )
        dry_run = not form.create.data
        try:
            run = invitation_service.create_invitations(form.survey.data, filters, dry_run=dry_run,
                                                        actor=current_user.email)
        except invitation_service.InvitationError as exc:
            error, status = str(exc), 422
        else:
            if run.created:
                enqueue("outbox.deliver")
    elif form.is_submitted():
        status = 422
    return render_template("outbox/invite.html", form=form, run=run, error=error,
                           reasons=invitation_service.SKIP_REASONS), status


def _day(value: str, *, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@bp.get("/invitations/funnel")
@roles_required(*CX_AND_ADMIN)
def invitation_funnel():
    since_text, until_text = request.args.get("since", ""), request.args.get("until", "")
    since, until = _day(since_text) if since_text else None, _day(until_text, end=True) if until_text else None
    errors = [f"“{label}” must be a date like 2026-10-01." for label, text, value in
              (("From", since_text, since), ("To", until_text, until)) if text and value is None]
    rows = funnel_service.invitation_funnel(since=since, until=until)
    return render_template("outbox/funnel.html", rows=rows, total=funnel_service.funnel_total(rows),
                           since=since_text, until=until_text, errors=errors), (422 if errors else 200)
