"""Dashboard page for churn and retention rates: active-customer counts in, monthly rates and the cause mix out."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext, ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from feedback_app.blueprints.auth.decorators import (
    ALL_STAFF,
    CX_AND_ADMIN,
    roles_required,
)
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, form_errors
from feedback_app.i18n import month_name, translated_names
from feedback_app.services.insights import billing_counts, churn_rates, cohorts, metric_charts


class CountsUploadForm(FlaskForm):
    file = FileField(
        lazy_gettext("CSV of active customers per month"),
        validators=[FileRequired(message=lazy_gettext("Choose a CSV file."))],
    )


@bp.get("/churn")
@roles_required(*ALL_STAFF)
def churn() -> ResponseReturnValue:
    segment, plan = request.args.get("segment", ""), request.args.get("plan", "")
    rates = churn_rates.monthly(segment=segment, plan=plan)
    ended = churn_rates.complete_months(rates)
    chart_data = {
        "months": [month_name(r.month) for r in ended],
        "series": [
            metric_charts.line(gettext("Customer churn rate"), [r.churn_rate for r in ended]),
            metric_charts.line(gettext("Revenue churn rate"), [r.revenue_churn_rate for r in ended]),
        ],
    }
    return render_template(
        "winback/churn.html",
        rates=rates,
        mix=churn_rates.period_cause_mix(rates, segment=segment, plan=plan),
        chart_data=chart_data,
        segment=segment,
        plan=plan,
        choices=churn_rates.choices(),
        form=CountsUploadForm(),
        period_rate=churn_rates.period_churn_rate(rates),
        source_labels=translated_names(billing_counts.SOURCE_LABELS),
        has_billing=any(r.movements is not None for r in rates),
        retention=cohorts.retention() if not segment and not plan else None,
        this_month=date.today().replace(day=1),  # the cohort table marks it "(so far)"
    )


@bp.post("/churn/counts")
@roles_required(*CX_AND_ADMIN)
def churn_counts_upload() -> ResponseReturnValue:
    form = CountsUploadForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
        return redirect(url_for("dashboard.churn"))
    report = churn_rates.import_csv(form.file.data.read(), **actor())
    saved = ngettext("Saved %(num)s count.", "Saved %(num)s counts.", report.saved)
    flash(saved, "success" if not report.problems else "error")
    for problem in report.problems[:20]:
        flash(gettext("Not saved: %(problem)s", problem=problem), "error")
    if len(report.problems) > 20:
        more = len(report.problems) - 20
        flash(ngettext("… and %(num)s more problem.", "… and %(num)s more problems.", more), "error")
    return redirect(url_for("dashboard.churn"))


@bp.get("/ledger")
@roles_required(*ALL_STAFF)
def fix_ledger() -> ResponseReturnValue:
    """The fix-to-revenue ledger: what followed each shipped fix, as observations."""
    from feedback_app.services.actions import ledger

    return render_template("winback/ledger.html", entries=ledger.ledger(), small=ledger.SMALL_WINDOW)
