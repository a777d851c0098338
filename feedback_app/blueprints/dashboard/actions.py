"""Dashboard pages for acting on the reports: the action plan, closing the loop with the customers
behind a fixed theme, the follow-up queue and win-back. Views validate, call a service, render."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from feedback_app.blueprints.auth.decorators import ALL_STAFF, CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import ActionForm, ConfirmForm, HandledForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import PER_PAGE, actor, page_number, theme_choices
from feedback_app.extensions import db
from feedback_app.models import ActionItem, FollowUp
from feedback_app.services.actions import close_loop, plan as action_plan, winback
from feedback_app.services.insights import follow_ups, metrics, root_causes


# ---------------------------------------------------------------- action plan and closing the loop

@bp.get("/actions")
@roles_required(*ALL_STAFF)
def actions():
    status = request.args.get("status") or None
    return render_template("insights/actions.html", items=action_plan.items(status), status=status,
                           propose_form=ConfirmForm(), statuses=action_plan.STATUS_LABELS,
                           can_edit=lambda i: action_plan.can_edit(current_user, i))


@bp.post("/actions/propose")
@roles_required(*CX_AND_ADMIN)
def propose_actions():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        created = action_plan.propose(**actor())
    except action_plan.PlaybookError as exc:
        flash(f"Playbook: {exc}", "error")
        return redirect(url_for("dashboard.actions"))
    if created:
        flash(f"Proposed {len(created)} action item(s) from the top themes by lost revenue.", "success")
    else:
        flash("Nothing new to propose: the top themes already have items (or no themes exist yet).", "info")
    return redirect(url_for("dashboard.actions"))


@bp.route("/actions/<int:item_id>", methods=["GET", "POST"])
@roles_required(*ALL_STAFF)
def action(item_id: int):
    item = db.session.get(ActionItem, item_id) or abort(404)
    editable = action_plan.can_edit(current_user, item)
    # On a POST, a select left out of the form data keeps the item's current attachment.
    form = ActionForm(obj=item) if request.method == "GET" else ActionForm(theme=item.theme_id,
                                                                           cause=item.cause_key or "")
    form.theme.choices = [(None, "No theme: the whole root cause")] + theme_choices()
    if item.theme is not None and item.theme_id not in dict(form.theme.choices):
        form.theme.choices.append((item.theme_id, item.theme.display_label))
    form.cause.choices = [("", "The theme's root cause")] + root_causes.cause_choices()
    if request.method == "GET":
        form.actions.data = "\n".join(item.actions)
        form.theme.data, form.cause.data = item.theme_id, item.cause_key or ""
    error = None
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                action_plan.update(item, user=current_user, title=form.title.data, owner_team=form.owner_team.data,
                                   status=form.status.data, actions=form.actions.data.splitlines(),
                                   due_date=form.due_date.data, root_cause=form.root_cause.data,
                                   attachment=action_plan.Attachment(form.theme.data, form.cause.data or None))
            except action_plan.ActionPlanError as exc:
                error = str(exc)
            else:
                flash("Saved." + (" It is shipped: you can now tell the customers who asked."
                                  if item.status == "shipped" else ""), "success")
                return redirect(url_for("dashboard.action", item_id=item.id))
    status = 422 if request.method == "POST" else 200
    return render_template("insights/action.html", item=item, form=form, editable=editable, error=error,
                           impact=action_plan.impact(item),
                           recipients=len(close_loop.recipients(item)) if item.status == "shipped" else None), status


@bp.get("/actions/<int:item_id>/close-loop")
@roles_required(*CX_AND_ADMIN)
def close_loop_preview(item_id: int):
    item = db.session.get(ActionItem, item_id) or abort(404)
    people, sample = close_loop.preview(item)
    pending = [p for p in people if not p.already_sent]
    return render_template("insights/close_loop.html", item=item, people=people, pending=pending, sample=sample,
                           form=ConfirmForm())


@bp.post("/actions/<int:item_id>/close-loop")
@roles_required(*CX_AND_ADMIN)
def close_loop_send(item_id: int):
    item = db.session.get(ActionItem, item_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        queued = close_loop.send(item, **actor())
    except close_loop.CloseLoopError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))
    flash(f"Queued {queued} email(s) to former customers; the outbox sends them." if queued
          else "Everyone who may be told has already been sent this email.", "success")
    return redirect(url_for("dashboard.close_loop_preview", item_id=item.id))


# ---------------------------------------------------------------- follow-ups and win-back

@bp.get("/follow-ups")
@roles_required(*CX_AND_ADMIN)
def follow_up_queue():
    handled = request.args.get("show") == "handled"
    entries, listing = follow_ups.queue(handled=handled, page=page_number(), per_page=PER_PAGE)
    return render_template("insights/follow_ups.html", entries=entries, total=listing.total, page=listing.page,
                           pages=listing.pages,
                           handled=handled, form=HandledForm())


@bp.post("/follow-ups/<int:follow_up_id>/handled")
@roles_required(*CX_AND_ADMIN)
def follow_up_handled(follow_up_id: int):
    entry = db.session.get(FollowUp, follow_up_id) or abort(404)
    form = HandledForm()
    if not form.validate_on_submit():
        flash("Note: " + " ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("dashboard.follow_up_queue"))
    try:
        follow_ups.mark_handled(entry, user_id=current_user.id, actor=current_user.email, note=form.note.data)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Follow-up {entry.id} marked handled.", "success")
    return redirect(url_for("dashboard.follow_up_queue"))


@bp.get("/win-back")
@roles_required(*CX_AND_ADMIN)
def win_back():
    rows, listing = winback.candidates(page=page_number(), per_page=PER_PAGE)
    o = metrics.overview(metrics.Filters())
    return render_template("insights/winback.html", rows=rows, total=listing.total, page=listing.page,
                           pages=listing.pages, o=o,
                           themes=metrics.theme_figures(metrics.Filters(), with_trend=False))
