"""Dashboard pages for the action plan: propose, edit and track items, and close the loop with the
customers who gave the reason. Views validate, call a service, render."""

from __future__ import annotations

import math
from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_login import current_user
from markupsafe import Markup

from feedback_app.blueprints.auth.decorators import ALL_STAFF, CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import (
    ActionForm,
    CloseLoopEmailForm,
    ConfirmForm,
    ScheduleForm,
)
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import PER_PAGE, actor, form_errors, page_number
from feedback_app.blueprints.dashboard.view_helpers import grouped_theme_choices as _theme_choices
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import ActionItem
from feedback_app.services.actions import close_loop, close_loop_email, close_loop_schedule
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import root_causes
from feedback_app.services.insights.filters import Filters
from feedback_app.services.mail import files as mail_files


@bp.get("/actions")
@roles_required(*ALL_STAFF)
def actions() -> ResponseReturnValue:
    status = request.args.get("status") if request.args.get("status") in action_plan.STATUS_LABELS else None
    # Paged like every other staff list: a plan that grows by an item per "Plan an action" became
    # one long table. The order is the plan's (by revenue lost), so the page is a slice of it.
    items = action_plan.items(status)
    pages = max(1, math.ceil(len(items) / PER_PAGE))
    page = min(page_number(), pages)
    return render_template(
        "insights/actions.html",
        items=items[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(items),
        plan_size=action_plan.item_count() if status and not items else len(items),
        page=page,
        pages=pages,
        status=status,
        propose_form=ConfirmForm(),
        statuses=translated_names(action_plan.STATUS_LABELS),
        can_edit=lambda i: action_plan.can_edit(current_user, i),
        is_overdue=action_plan.is_overdue,
        about=action_plan.about,
    )


@bp.post("/actions/propose")
@roles_required(*CX_AND_ADMIN)
def propose_actions() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        created = action_plan.propose(**actor())
    except action_plan.PlaybookError as exc:
        flash(gettext("Playbook: %(error)s", error=exc), "error")
        return redirect(url_for("dashboard.actions"))
    if created:
        flash(
            ngettext(
                "Proposed %(num)s action item from the top themes by lost revenue.",
                "Proposed %(num)s action items from the top themes by lost revenue.",
                len(created),
            ),
            "success",
        )
    else:
        flash(
            gettext("Nothing new to propose: the top themes already have items (or no themes exist yet)."),
            "info",
        )
    return redirect(url_for("dashboard.actions"))


@bp.post("/themes/<int:theme_id>/plan")
@roles_required(*CX_AND_ADMIN)
def plan_theme(theme_id: int) -> ResponseReturnValue:
    """Start an action item about this theme (or open the one already there)."""
    return _plan(action_plan.Attachment(theme_id, None))


@bp.post("/causes/<cause_key>/plan")
@roles_required(*CX_AND_ADMIN)
def plan_cause(cause_key: str) -> ResponseReturnValue:
    """Start an action item about this whole root cause (or open the one already there)."""
    if not root_causes.is_cause(cause_key):
        abort(404)
    return _plan(action_plan.Attachment(None, cause_key))


def _plan(attachment: action_plan.Attachment) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        item, created = action_plan.plan(attachment, **actor())
    except action_plan.NothingToPlan as exc:  # e.g. a page opened before the answers were moved away
        flash(str(exc), "info")
        return redirect(url_for("dashboard.cause", cause_key=attachment.cause_key))
    except action_plan.PlaybookError as exc:
        flash(gettext("Playbook: %(error)s", error=exc), "error")
        return redirect(url_for("dashboard.actions"))
    except action_plan.ActionPlanError:
        abort(404)
    flash(
        gettext("Action item started from the playbook: set the owner, actions and due date, then save.")
        if created
        else gettext("This already has an action item; here it is."),
        "success" if created else "info",
    )
    return redirect(url_for("dashboard.action", item_id=item.id))


@bp.route("/actions/<int:item_id>", methods=["GET", "POST"])
@roles_required(*ALL_STAFF)
def action(item_id: int) -> ResponseReturnValue:
    item = db.get_or_404(ActionItem, item_id)
    editable = action_plan.can_edit(current_user, item)
    # On a POST, a select left out of the form data keeps the item's current attachment.
    form = (
        ActionForm(obj=item)
        if request.method == "GET"
        else ActionForm(theme=item.theme_id, cause=item.cause_key or "")
    )
    themes = _theme_choices()
    listed = {value for options in themes.values() for value, _ in options}
    if item.theme is not None and item.theme.id not in listed:  # e.g. merged away since: keep it pickable
        cause = root_causes.cause_name(item.theme.category or root_causes.EMERGING)
        themes.setdefault(cause, []).append((item.theme.id, item.theme.display_label))
    form.theme.choices = {gettext("No theme"): [(None, gettext("No theme: the whole root cause"))], **themes}
    form.cause.choices = [("", gettext("The theme's root cause"))] + root_causes.cause_choices()
    if request.method == "GET":
        form.actions.data = "\n".join(item.actions)
        form.theme.data, form.cause.data = item.theme_id, item.cause_key or ""
    error = None
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                action_plan.update(
                    item,
                    user=current_user,
                    title=form.title.data,
                    owner_team=form.owner_team.data,
                    status=form.status.data,
                    actions=form.actions.data.splitlines(),
                    due_date=form.due_date.data,
                    root_cause=form.root_cause.data,
                    attachment=action_plan.Attachment(form.theme.data, form.cause.data or None),
                )
            except action_plan.ActionPlanError as exc:
                error = str(exc)
            else:
                flash(
                    gettext("Saved. It is shipped: you can now tell the customers who asked.")
                    if item.status == "shipped"
                    else gettext("Saved."),
                    "success",
                )
                return redirect(url_for("dashboard.action", item_id=item.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "insights/action.html",
        item=item,
        form=form,
        editable=editable,
        error=error,
        impact=action_plan.impact(item),
        overdue=action_plan.is_overdue(item),
        fate=action_plan.theme_fate(item),
        period=(period := Filters.default()),
        now=action_plan.current_figures(item, period),
        recipients=len(close_loop.recipients(item)) if item.status == "shipped" else None,
    ), status


def _close_loop_page(item: ActionItem, form: CloseLoopEmailForm, status: int = 200) -> tuple[str, int]:
    people, sample = close_loop.preview(item)
    pending = [p for p in people if not p.already_sent]
    shown, listing = close_loop.recipients_page(people, page_number())
    return render_template(
        "insights/close_loop.html",
        item=item,
        people=people,
        pending=pending,
        shown=shown,
        listing=listing,
        recipients_open="page" in request.args,
        sample=sample,
        email_form=form,
        form=ConfirmForm(),
        placeholders=translated_names(close_loop_email.PLACEHOLDERS),
        preview_html=Markup(mail_files.safe_html(sample.html)),  # as the .eml viewer shows mail
        not_ready=close_loop_email.ready(item),
        no_consent=close_loop.not_reached_for_consent(item) if item.status == "shipped" else 0,
        schedule_form=ScheduleForm(),
    ), status


@bp.get("/actions/<int:item_id>/close-loop")
@roles_required(*CX_AND_ADMIN)
def close_loop_preview(item_id: int) -> ResponseReturnValue:
    item = db.get_or_404(ActionItem, item_id)
    form = CloseLoopEmailForm(
        subject=close_loop_email.subject_of(item),
        body=close_loop_email.body_of(item),
        change=item.customer_change or "",
    )
    return _close_loop_page(item, form)


@bp.post("/actions/<int:item_id>/close-loop/email")
@roles_required(*CX_AND_ADMIN)
def close_loop_email_save(item_id: int) -> ResponseReturnValue:
    """Save the email (and preview it); with ``test`` also send it to the signed-in user."""
    item = db.get_or_404(ActionItem, item_id)
    form = CloseLoopEmailForm()
    if not form.validate_on_submit():
        return _close_loop_page(item, form, 422)
    try:
        close_loop_email.save(
            item, subject=form.subject.data, body=form.body.data, change=form.change.data, **actor()
        )
    except close_loop_email.EmailTextError as exc:
        flash(str(exc), "error")
        return _close_loop_page(item, form, 422)
    if "test" in request.form:
        close_loop.send_test(item, to=current_user.email, **actor())
        flash(
            gettext("Saved, and a test copy is on its way to %(email)s.", email=current_user.email), "success"
        )
    else:
        flash(gettext("Saved. The preview below shows it as the first customer will see it."), "success")
    return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))


@bp.post("/actions/<int:item_id>/close-loop")
@roles_required(*CX_AND_ADMIN)
def close_loop_send(item_id: int) -> ResponseReturnValue:
    item = db.get_or_404(ActionItem, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        queued = close_loop.send(item, **actor())
    except close_loop.CloseLoopError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))
    flash(
        ngettext(
            "Queued %(num)s email to former customers; the outbox sends them.",
            "Queued %(num)s emails to former customers; the outbox sends them.",
            queued,
        )
        if queued
        else gettext("Everyone who may be told has already been sent this email."),
        "success",
    )
    return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))


@bp.post("/actions/<int:item_id>/close-loop/schedule")
@roles_required(*CX_AND_ADMIN)
def close_loop_schedule_save(item_id: int) -> ResponseReturnValue:
    """Book the email for a time (UTC), or with ``cancel`` drop the booking."""
    item = db.get_or_404(ActionItem, item_id)
    form = ScheduleForm()
    try:
        if "cancel" in request.form:
            if not ConfirmForm().validate_on_submit():
                abort(400)
            close_loop_schedule.cancel(item, **actor())
            flash(gettext("The booked send is cancelled; nothing will go out."), "success")
        elif not form.validate_on_submit():
            flash(
                gettext(
                    "Send at: %(errors)s.",
                    errors=form_errors(form),
                ),
                "error",
            )
        else:
            at = form.send_at.data.replace(tzinfo=UTC)
            close_loop_schedule.schedule(item, at=at, **actor())
            moment = at.strftime("%Y-%m-%d %H:%M")
            flash(gettext("Booked: the email goes out at %(moment)s UTC.", moment=moment), "success")
    except close_loop.CloseLoopError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))
