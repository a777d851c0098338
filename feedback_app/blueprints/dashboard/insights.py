"""Dashboard pages for reports: overview figures, themes, a theme, curation and the product summary
(the action plan is in ``actions.py``, the follow-up queue and win-back in ``queues.py``). Views validate, call a
service, render; every figure comes from ``feedback_app.services``.
"""

from __future__ import annotations

from importlib.resources import files
from urllib.parse import urlsplit

from flask import Response as FlaskResponse
from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext

from feedback_app.blueprints.auth.decorators import ALL_STAFF, CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard import display
from feedback_app.blueprints.dashboard.insights_forms import (
    CauseForm,
    ConfirmForm,
    MergeForm,
    MoveForm,
    RenameForm,
    RunForm,
    SplitForm,
)
from feedback_app.blueprints.dashboard.report_filters import filter_context, labelled_choices, query_filters
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import (
    PER_PAGE,
    actor,
    first_two_ids,
    form_errors,
    grouped_theme_choices,
    page_number,
    theme_choices,
)
from feedback_app.extensions import db
from feedback_app.models import AnalysisRun, Response, Theme
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.actions import reports
from feedback_app.services.conversations import complaints, quotes
from feedback_app.services.insights import (
    assignment,
    cause_detail,
    curation,
    metric_charts,
    metrics,
    pipeline,
    root_causes,
    runs,
    second_causes,
    theme_detail,
)
from feedback_app.services.insights.overview import overview as headline_figures
from feedback_app.services.insights.overview import overview_with_trend


@bp.get("/assets/plotly.min.js")
@roles_required(*ALL_STAFF)
def plotly_js() -> ResponseReturnValue:
    """Plotly from the installed package: charts need no CDN."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    return send_file(str(path), mimetype="text/javascript", max_age=86400)


# ---------------------------------------------------------------- overview


@bp.get("/overview")
@roles_required(*ALL_STAFF)
def overview() -> ResponseReturnValue:
    context = filter_context()
    trend = overview_with_trend(context["filters"])
    themes = metrics.theme_figures(context["filters"], with_trend=False)
    return render_template("insights/overview.html", trend=trend, o=trend.current, themes=themes, **context)


# ---------------------------------------------------------------- themes and curation


def _run_form() -> RunForm:
    form = RunForm()
    form.survey.choices = [("", gettext("All surveys"))] + labelled_choices()["survey"]
    return form


@bp.get("/themes")
@roles_required(*ALL_STAFF)
def themes() -> ResponseReturnValue:
    context = filter_context()
    figures = metrics.theme_figures(context["filters"])
    causes = metrics.root_cause_figures(context["filters"], themes=figures)
    merge = MergeForm()
    choices = grouped_theme_choices()
    merge.source.choices = merge.target.choices = choices
    merge.source.data, merge.target.data = first_two_ids(choices)
    return render_template(
        "insights/themes.html",
        figures=figures,
        causes=causes,
        headline=headline_figures(context["filters"]),
        pareto=metric_charts.pareto(causes),
        also=second_causes.also_given(context["filters"]),
        by_month=metric_charts.shares_by_month(context["filters"]),
        answers=metric_charts.answers_by_month(context["filters"]),
        run=runs.active_run() or assignment.latest_run(),
        last_failed=assignment.latest_run("failed"),
        run_form=_run_form(),
        merge_form=merge,
        **context,
        preceded=complaints.preceded_by_cause(causes),
        complaint_window=complaints.window_days(),  # issue 23
    )


@bp.post("/analysis/run")
@roles_required(*CX_AND_ADMIN)
def start_analysis() -> ResponseReturnValue:
    form = _run_form()
    if not form.validate_on_submit():
        flash(
            "; ".join(
                f"{getattr(form, k).label.text}: {' '.join(map(str, v))}" for k, v in form.errors.items()
            ),
            "error",
        )
        return redirect(url_for("dashboard.themes"))
    if not pipeline.pipeline_available():
        flash(gettext("The analysis pipeline (nlp) is not installed here, so no run can start."), "error")
        return redirect(url_for("dashboard.themes"))
    try:
        run = runs.start_run(survey_key=form.survey.data or None, since=form.since.data, **actor())
    except runs.AnalysisError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.themes"))
    flash(gettext("Analysis run %(id)s started; progress shows below.", id=run.id), "success")
    return redirect(url_for("dashboard.themes"))


@bp.get("/analysis/runs/<int:run_id>")
@roles_required(*ALL_STAFF)
def analysis_run_status(run_id: int) -> ResponseReturnValue:
    """A run's progress as JSON, polled by the themes page."""
    run = db.get_or_404(AnalysisRun, run_id)
    return jsonify(
        id=run.id,
        status=run.status,
        stage=run.stage,
        progress=run.progress,
        error=run.error,
        status_label=display.run_status(run.status),
        stage_label=display.stage_name("done" if run.status == "succeeded" else run.stage),
        counts={
            k: v
            for k, v in (run.counts or {}).items()
            if k in ("answers", "assigned", "non_answers", "themes")
        },
    )


@bp.get("/analysis/runs/<int:run_id>/panel")
@roles_required(*ALL_STAFF)
def analysis_run_panel(run_id: int) -> ResponseReturnValue:
    """The themes page's run block alone, which htmx swaps in while the run goes on."""
    run = db.get_or_404(AnalysisRun, run_id)
    return render_template("insights/_run_status.html", run=run, live=True, reload_url=_themes_url_shown())


def _themes_url_shown() -> str:
    """The themes page with the filters the browser is showing (htmx's ``HX-Current-URL``), so the
    finished run reloads the same view; anything that is not that page falls back to it plain."""
    themes = url_for("dashboard.themes")
    try:
        shown = urlsplit(request.headers.get("HX-Current-URL", ""))
    except ValueError:  # an unclosed IPv6 bracket: not the page
        return themes
    if shown.netloc == request.host and shown.path == themes:
        return f"{themes}?{shown.query}" if shown.query else themes
    return themes


@bp.post("/themes/merge")
@roles_required(*CX_AND_ADMIN)
def merge_themes() -> ResponseReturnValue:
    form = MergeForm()
    form.source.choices = form.target.choices = theme_choices()
    if not form.validate_on_submit():
        flash(gettext("Merge: pick two existing themes."), "error")
        return redirect(url_for("dashboard.themes"))
    source = db.get_or_404(Theme, form.source.data)
    target = db.get_or_404(Theme, form.target.data)
    try:
        target = curation.merge_themes(source, target, **actor())
    except curation.CurationError as exc:
        flash(gettext("Merge: %(error)s", error=exc), "error")
        return redirect(url_for("dashboard.themes"))
    flash(
        gettext(
            "Merged “%(source)s” into “%(target)s”.", source=source.display_label, target=target.display_label
        ),
        "success",
    )
    return redirect(url_for("dashboard.theme", theme_id=target.id))


@bp.get("/themes/<int:theme_id>")
@roles_required(*ALL_STAFF)
def theme(theme_id: int) -> ResponseReturnValue:
    item = db.get_or_404(Theme, theme_id)
    if item.merged_into_id:
        target = assignment.resolve_theme(item)
        flash(
            gettext(
                "“%(theme)s” was merged into “%(target)s”.",
                theme=item.display_label,
                target=target.display_label,
            ),
            "info",
        )
        return redirect(url_for("dashboard.theme", theme_id=target.id))
    rows, listing, mismatches = theme_detail.answers(item, page=page_number(), per_page=PER_PAGE)
    context = filter_context()  # the themes page's selection, so its figures match that page's row
    figures = next(
        (f for f in metrics.theme_figures(context["filters"], with_trend=False) if f.theme.id == item.id),
        None,
    )
    rename = RenameForm(label=item.display_label, lock=item.label_locked)
    move = MoveForm()
    move.theme.choices = grouped_theme_choices(exclude=item.id)
    cause = CauseForm(cause=item.category)
    cause.cause.choices = root_causes.cause_choices()
    return render_template(
        "insights/theme.html",
        theme=item,
        figures=figures,
        rows=rows,
        total=listing.total,
        mismatches=mismatches,
        page=listing.page,
        pages=listing.pages,
        rename_form=rename,
        move_form=move,
        cause_form=cause,
        split_form=SplitForm(),
        competitors=theme_detail.where_they_went(item),
        category=reports.category_name(item.category),
        cause_key=(item.category or root_causes.EMERGING)
        if root_causes.is_cause(item.category or root_causes.EMERGING)
        else None,
        theme_quotes=quotes.labelled(item),
        voices=quotes.for_theme(item),  # issue 23
        preceded=complaints.preceded_for_theme(figures),
        complaint_window=complaints.window_days(),
        actions=action_plan.items_about_theme(item),
        planned=action_plan.existing_item(action_plan.Attachment(item.id, None)) is not None,
        plan_form=ConfirmForm(),
        **context,
    )


@bp.get("/causes/<cause_key>")
@roles_required(*ALL_STAFF)
def cause(cause_key: str) -> ResponseReturnValue:
    """One root cause: its figures, themes, monthly share, quotes and action items."""
    if not root_causes.is_cause(cause_key):
        abort(404)
    context = filter_context()  # the themes page's selection, so the figures match its row
    detail = cause_detail.cause_detail(cause_key, context["filters"])
    return render_template(
        "insights/cause.html",
        detail=detail,
        figures=detail.figures,
        preceded=complaints.preceded_by_cause([detail.figures])[cause_key],
        complaint_window=complaints.window_days(),
        planned=action_plan.existing_item(action_plan.Attachment(None, cause_key)) is not None,
        plan_form=ConfirmForm(),
        description=root_causes.cause_description(cause_key),
        emerging=cause_key == root_causes.EMERGING,
        **context,
    )


@bp.post("/themes/<int:theme_id>/cause")
@roles_required(*CX_AND_ADMIN)
def theme_cause(theme_id: int) -> ResponseReturnValue:
    """Confirm (same cause) or change a theme's root cause."""
    item = db.get_or_404(Theme, theme_id)
    form = CauseForm()
    if not form.validate_on_submit():
        flash(gettext("Root cause: %(errors)s", errors=form_errors(form)), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    old = item.category
    try:
        item = curation.set_theme_cause(item, form.cause.data, **actor())
    except curation.CurationError as exc:
        flash(gettext("Root cause: %(errors)s", errors=exc), "error")
    else:
        name = root_causes.cause_name(item.category)
        flash(
            gettext("Root cause confirmed as “%(cause)s”; later runs keep it and learn from it.", cause=name)
            if item.category == old
            else gettext(
                "Root cause changed to “%(cause)s”; later runs keep it and learn from it.", cause=name
            ),
            "success",
        )
    return redirect(url_for("dashboard.theme", theme_id=item.id))


@bp.post("/themes/<int:theme_id>/split")
@roles_required(*CX_AND_ADMIN)
def split_theme(theme_id: int) -> ResponseReturnValue:
    """Move the picked answers of a theme to a new theme with the label typed."""
    item = db.get_or_404(Theme, theme_id)
    form = SplitForm()
    if not form.validate_on_submit():
        flash(gettext("Split: %(errors)s", errors=form_errors(form)), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    try:
        new = curation.split_theme(item, form.answers.data or [], form.label.data, **actor())
    except curation.CurationError as exc:
        flash(gettext("Split: %(errors)s", errors=exc), "error")
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    flash(
        ngettext(
            "Moved %(num)s answer to the new theme “%(theme)s”.",
            "Moved %(num)s answers to the new theme “%(theme)s”.",
            len(form.answers.data),
            theme=new.display_label,
        ),
        "success",
    )
    return redirect(url_for("dashboard.theme", theme_id=new.id))


@bp.post("/themes/<int:theme_id>/rename")
@roles_required(*CX_AND_ADMIN)
def rename_theme(theme_id: int) -> ResponseReturnValue:
    item = db.get_or_404(Theme, theme_id)
    form = RenameForm()
    if not form.validate_on_submit():
        flash(
            gettext("Rename: %(errors)s", errors=form_errors(form)),
            "error",
        )
        return redirect(url_for("dashboard.theme", theme_id=theme_id))
    try:
        curation.rename_theme(item, form.label.data, lock=form.lock.data, **actor())
    except curation.CurationError as exc:
        flash(gettext("Rename: %(errors)s", errors=exc), "error")
    else:
        flash(
            gettext("Renamed to “%(label)s” and locked.", label=item.display_label)
            if item.label_locked
            else gettext("Renamed to “%(label)s”.", label=item.display_label),
            "success",
        )
    return redirect(url_for("dashboard.theme", theme_id=theme_id))


@bp.post("/answers/<int:response_id>/move")
@roles_required(*CX_AND_ADMIN)
def move_answer(response_id: int) -> ResponseReturnValue:
    response = db.get_or_404(Response, response_id)
    form = MoveForm()
    form.theme.choices = theme_choices()
    back = request.form.get("back_theme", type=int)
    if not form.validate_on_submit():
        flash(gettext("Move answer %(id)s: pick a theme from the list.", id=response_id), "error")
    else:
        target = db.get_or_404(Theme, form.theme.data)
        curation.move_answer(response, target, **actor())
        flash(
            gettext("Answer %(id)s moved to “%(theme)s”.", id=response_id, theme=target.display_label),
            "success",
        )
    return redirect(url_for("dashboard.theme", theme_id=back) if back else url_for("dashboard.themes"))


# ---------------------------------------------------------------- product summary and export


@bp.get("/summary")
@roles_required(*ALL_STAFF)
def summary() -> ResponseReturnValue:
    context = filter_context()
    causes = reports.cause_summary(context["filters"])
    return render_template(
        "insights/summary.html",
        causes=causes,
        total=reports.summary_total(causes),
        # an empty summary says why: nothing analysed yet, or nothing in the period chosen
        analysed=assignment.latest_run() is not None,
        **context,
    )


@bp.get("/summary/export.<fmt>")
@roles_required(*ALL_STAFF)
def summary_export(fmt: str) -> ResponseReturnValue:
    if fmt not in reports.FORMATS:
        abort(404)
    filters, errors = query_filters()
    if errors:  # a download has no page to show the message on, and must not quietly cover other dates
        return FlaskResponse("\n".join(errors) + "\n", status=400, mimetype="text/plain")
    body = reports.export(fmt, filters)
    mimetypes = {"md": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json"}
    return FlaskResponse(
        body,
        mimetype=mimetypes[fmt],
        headers={"Content-Disposition": f'attachment; filename="root-cause-summary.{fmt}"'},
    )
