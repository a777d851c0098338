"""Dashboard pages for reports: overview figures, themes, a theme, curation, the product summary,
the action plan, closing the loop, the follow-up queue and win-back. Views validate, call a
service, render; every figure comes from ``feedback_app.services``.
"""

from __future__ import annotations

import math
from importlib.resources import files
from typing import Any

from flask import Response as FlaskResponse
from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from feedback_app.blueprints.auth.decorators import ALL_STAFF, CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import (
    ActionForm,
    CauseForm,
    ConfirmForm,
    HandledForm,
    MergeForm,
    MoveForm,
    RenameForm,
    RunForm,
    SplitForm,
)
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.extensions import db
from feedback_app.models import ActionItem, AnalysisRun, FollowUp, Response, Theme
from feedback_app.services.actions import close_loop, reports, winback
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import follow_ups, metrics, root_causes, theme_detail
from feedback_app.services.insights import runs as analysis

PER_PAGE = 25


@bp.app_template_filter("money")
def _money(cents: int | None) -> str:
    return reports.money(cents)


@bp.app_template_filter("pct")
def _pct(value: float | None) -> str:
    return reports.percent(value)


@bp.app_template_filter("cause_name")
def _cause_name(key: str | None) -> str:
    """A root cause's human name, never its key (``bugs_reliability`` -> "Bugs and reliability")."""
    return root_causes.cause_name(key)


@bp.app_template_filter("points")
def _points(value: float | None) -> str:
    """A change in share as signed percentage points."""
    if value is None:
        return "–"
    return f"{value * 100:+.0f} pts"


def _actor() -> dict[str, Any]:
    return {"actor": current_user.email, "actor_user_id": current_user.id}


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def _pages(total: int) -> int:
    return max(1, math.ceil(total / PER_PAGE))


def _filters() -> tuple[metrics.Filters, list[str]]:
    """Filters from the query string; a bad value is reported by field and the default kept."""
    errors = []
    default = metrics.Filters.default()
    args = request.args
    try:
        start = metrics.parse_date(args.get("start"), "From") if "start" in args else default.start
    except ValueError as exc:
        errors.append(str(exc))
        start = default.start
    try:
        end = metrics.parse_date(args.get("end"), "To") if "end" in args else default.end
    except ValueError as exc:
        errors.append(str(exc))
        end = default.end
    if start and end and start > end:
        errors.append("From: the start date must be on or before the end date.")
        start, end = default.start, default.end
    choices = metrics.filter_choices()
    slices = {}
    for name in ("survey", "plan", "segment", "churn_type"):
        value = args.get(name) or None
        if value and value not in choices[name]:
            errors.append(f"{name.replace('_', ' ').capitalize()}: {value!r} is not one of the known values.")
            value = None
        slices[name] = value
    return metrics.Filters(start=start, end=end, **slices), errors


def _filter_context() -> dict[str, Any]:
    filters, errors = _filters()
    for error in errors:
        flash(error, "error")
    return {"filters": filters, "choices": metrics.filter_choices(), "filter_args": filters.as_args()}


@bp.get("/assets/plotly.min.js")
@roles_required(*ALL_STAFF)
def plotly_js():
    """Plotly from the installed package: charts need no CDN."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    return send_file(str(path), mimetype="text/javascript", max_age=86400)


# ---------------------------------------------------------------- overview

@bp.get("/overview")
@roles_required(*ALL_STAFF)
def overview():
    context = _filter_context()
    trend = metrics.overview_with_trend(context["filters"])
    themes = metrics.theme_figures(context["filters"], with_trend=False)
    return render_template("insights/overview.html", trend=trend, o=trend.current, themes=themes, **context)


# ---------------------------------------------------------------- themes and curation

def _theme_choices() -> list[tuple[int, str]]:
    return [(t.id, t.display_label) for t in analysis.live_themes()]


def _run_form() -> RunForm:
    form = RunForm()
    form.survey.choices = [("", "All surveys")] + [(k, k) for k in metrics.filter_choices()["survey"]]
    return form


@bp.get("/themes")
@roles_required(*ALL_STAFF)
def themes():
    context = _filter_context()
    figures = metrics.theme_figures(context["filters"])
    causes = metrics.root_cause_figures(context["filters"], themes=figures)
    merge = MergeForm()
    merge.source.choices = merge.target.choices = _theme_choices()
    return render_template(
        "insights/themes.html", figures=figures, causes=causes, pareto=metrics.pareto(causes),
        by_month=metrics.shares_by_month(context["filters"]), answers=metrics.answers_by_month(context["filters"]),
        run=analysis.active_run() or analysis.latest_run(), last_failed=analysis.latest_run("failed"),
        run_form=_run_form(), merge_form=merge, **context,
    )


@bp.post("/analysis/run")
@roles_required(*CX_AND_ADMIN)
def start_analysis():
    form = _run_form()
    if not form.validate_on_submit():
        flash("; ".join(f"{getattr(form, k).label.text}: {' '.join(v)}" for k, v in form.errors.items()), "error")
        return redirect(url_for("dashboard.themes"))
    if not analysis.pipeline_available():
        flash("The analysis pipeline (nlp) is not installed here, so no run can start.", "error")
        return redirect(url_for("dashboard.themes"))
    try:
        run = analysis.start_run(survey_key=form.survey.data or None, since=form.since.data, **_actor())
    except analysis.AnalysisError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.themes"))
    flash(f"Analysis run {run.id} started; progress shows below.", "success")
    return redirect(url_for("dashboard.themes"))


@bp.get("/analysis/runs/<int:run_id>")
@roles_required(*ALL_STAFF)
def analysis_run_status(run_id: int) -> ResponseReturnValue:
    """A run's progress as JSON, polled by the themes page."""
    run = db.session.get(AnalysisRun, run_id) or abort(404)
    return jsonify(id=run.id, status=run.status, stage=run.stage, progress=run.progress, error=run.error,
                   counts={k: v for k, v in (run.counts or {}).items() if k in ("answers", "assigned", "non_answers", "themes")})


@bp.post("/themes/merge")
@roles_required(*CX_AND_ADMIN)
def merge_themes():
    form = MergeForm()
    form.source.choices = form.target.choices = _theme_choices()
    if not form.validate_on_submit():
        flash("Merge: pick two existing themes.", "error")
        return redirect(url_for("dashboard.themes"))
    source = db.session.get(Theme, form.source.data) or abort(404)
    target = db.session.get(Theme, form.target.data) or abort(404)
    try:
        target = analysis.merge_themes(source, target, **_actor())
    except analysis.CurationError as exc:
        flash(f"Merge: {exc}", "error")
        return redirect(url_for("dashboard.themes"))
    flash(f"Merged \u201c{source.display_label}\u201d into \u201c{target.display_label}\u201d.", "success")
    return redirect(url_for("dashboard.theme", theme_id=target.id))


@bp.get("/themes/<int:theme_id>")
@roles_required(*ALL_STAFF)
def theme(theme_id: int) -> ResponseReturnValue:
    item = db.session.get(Theme, theme_id) or abort(404)
    if item.merged_into_id:
        target = analysis.resolve_theme(item)
        flash(f"\u201c{item.display_label}\u201d was merged into \u201c{target.display_label}\u201d.", "info")
        return redirect(url_for("dashboard.theme", theme_id=target.id))
    page = _page()
    rows, total, mismatches = theme_detail.answers(item, page=page, per_page=PER_PAGE)
    figures = next((f for f in metrics.theme_figures(metrics.Filters(), with_trend=False) if f.theme.id == item.id), None)
    rename = RenameForm(label=item.display_label, lock=item.label_locked)
    move = MoveForm()
    move.theme.choices = [c for c in _theme_choices() if c[0] != item.id]
    cause = CauseForm(cause=item.category)
    cause.cause.choices = root_causes.cause_choices()
    return render_template("insights/theme.html", theme=item, figures=figures, rows=rows, total=total,
                           mismatches=mismatches, page=page, pages=_pages(total), rename_form=rename, move_form=move,
                           cause_form=cause, split_form=SplitForm(),
                           competitors=theme_detail.where_they_went(item), category=reports.category_name(item.category),
                           actions=[i for i in action_plan.items()
                                    if i.theme_id == item.id or (i.theme_id is None and i.cause_key == item.category)])


def _form_errors(form: FlaskForm) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@bp.post("/themes/<int:theme_id>/cause")
@roles_required(*CX_AND_ADMIN)
def theme_cause(theme_id: int) -> ResponseReturnValue:
    """Confirm (same cause) or change a theme's root cause."""
    item = db.session.get(Theme, theme_id) or abort(404)
    form = CauseForm()
    if not form.validate_on_submit():
        flash("Root cause: " + _form_errors(form), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    old = item.category
    try:
        item = analysis.set_theme_cause(item, form.cause.data, **_actor())
    except analysis.CurationError as exc:
        flash(f"Root cause: {exc}", "error")
    else:
        verb = "confirmed as" if item.category == old else "changed to"
        flash(f"Root cause {verb} \u201c{root_causes.cause_name(item.category)}\u201d; later runs keep it "
              f"and learn from it.", "success")
    return redirect(url_for("dashboard.theme", theme_id=item.id))


@bp.post("/themes/<int:theme_id>/split")
@roles_required(*CX_AND_ADMIN)
def split_theme(theme_id: int) -> ResponseReturnValue:
    """Move the picked answers of a theme to a new theme with the label typed."""
    item = db.session.get(Theme, theme_id) or abort(404)
    form = SplitForm()
    if not form.validate_on_submit():
        flash("Split: " + _form_errors(form), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    try:
        new = analysis.split_theme(item, form.answers.data or [], form.label.data, **_actor())
    except analysis.CurationError as exc:
        flash(f"Split: {exc}", "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    flash(f"Moved {len(form.answers.data)} answer(s) to the new theme \u201c{new.display_label}\u201d.", "success")
    return redirect(url_for("dashboard.theme", theme_id=new.id))


@bp.post("/themes/<int:theme_id>/rename")
@roles_required(*CX_AND_ADMIN)
def rename_theme(theme_id: int) -> ResponseReturnValue:
    item = db.session.get(Theme, theme_id) or abort(404)
    form = RenameForm()
    if not form.validate_on_submit():
        flash("Rename: " + " ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    try:
        analysis.rename_theme(item, form.label.data, lock=form.lock.data, **_actor())
    except analysis.CurationError as exc:
        flash(f"Rename: {exc}", "error")
    else:
        flash(f"Renamed to \u201c{item.display_label}\u201d{' and locked' if item.label_locked else ''}.", "success")
    return redirect(url_for("dashboard.theme", theme_id=theme_id))


@bp.post("/answers/<int:response_id>/move")
@roles_required(*CX_AND_ADMIN)
def move_answer(response_id: int) -> ResponseReturnValue:
    response = db.session.get(Response, response_id) or abort(404)
    form = MoveForm()
    form.theme.choices = _theme_choices()
    back = request.form.get("back_theme", type=int)
    if not form.validate_on_submit():
        flash(f"Move answer {response_id}: pick a theme from the list.", "error")
    else:
        target = db.session.get(Theme, form.theme.data) or abort(404)
        analysis.move_answer(response, target, **_actor())
        flash(f"Answer {response_id} moved to \u201c{target.display_label}\u201d.", "success")
    return redirect(url_for("dashboard.theme", theme_id=back) if back else url_for("dashboard.themes"))


# ---------------------------------------------------------------- product summary and export

@bp.get("/summary")
@roles_required(*ALL_STAFF)
def summary():
    context = _filter_context()
    return render_template("insights/summary.html", rows=reports.summary(context["filters"]), **context)


@bp.get("/summary/export.<fmt>")
@roles_required(*ALL_STAFF)
def summary_export(fmt: str) -> ResponseReturnValue:
    if fmt not in reports.FORMATS:
        abort(404)
    filters, errors = _filters()
    if errors:  # a download has no page to show the message on, and must not quietly cover other dates
        return FlaskResponse("\n".join(errors) + "\n", status=400, mimetype="text/plain")
    body = reports.export(fmt, filters)
    mimetypes = {"md": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json"}
    return FlaskResponse(body, mimetype=mimetypes[fmt], headers={
        "Content-Disposition": f'attachment; filename="root-cause-summary.{fmt}"'})


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
        created = action_plan.propose(**_actor())
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
def action(item_id: int) -> ResponseReturnValue:
    item = db.session.get(ActionItem, item_id) or abort(404)
    editable = action_plan.can_edit(current_user, item)
    # On a POST, a select left out of the form data keeps the item's current attachment.
    form = ActionForm(obj=item) if request.method == "GET" else ActionForm(theme=item.theme_id,
                                                                           cause=item.cause_key or "")
    form.theme.choices = [(None, "No theme: the whole root cause")] + _theme_choices()
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
def close_loop_preview(item_id: int) -> ResponseReturnValue:
    item = db.session.get(ActionItem, item_id) or abort(404)
    people, sample = close_loop.preview(item)
    pending = [p for p in people if not p.already_sent]
    return render_template("insights/close_loop.html", item=item, people=people, pending=pending, sample=sample,
                           form=ConfirmForm())


@bp.post("/actions/<int:item_id>/close-loop")
@roles_required(*CX_AND_ADMIN)
def close_loop_send(item_id: int) -> ResponseReturnValue:
    item = db.session.get(ActionItem, item_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        queued = close_loop.send(item, **_actor())
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
    page = _page()
    entries, total = follow_ups.queue(handled=handled, page=page, per_page=PER_PAGE)
    return render_template("insights/follow_ups.html", entries=entries, total=total, page=page, pages=_pages(total),
                           handled=handled, form=HandledForm())


@bp.post("/follow-ups/<int:follow_up_id>/handled")
@roles_required(*CX_AND_ADMIN)
def follow_up_handled(follow_up_id: int) -> ResponseReturnValue:
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
    page = _page()
    rows, total = winback.candidates(page=page, per_page=PER_PAGE)
    o = metrics.overview(metrics.Filters())
    return render_template("insights/winback.html", rows=rows, total=total, page=page, pages=_pages(total), o=o,
                           themes=metrics.theme_figures(metrics.Filters(), with_trend=False))
