"""Dashboard views for departed customers: the list with filters, and the CSV upload (one
customer's page is in ``customer_page``)."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.customer_forms import CustomerImportForm
from feedback_app.blueprints.dashboard.display import churn_type
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, page_number
from feedback_app.models import CHURN_TYPES
from feedback_app.services.customers import store as customer_service
from feedback_app.services.customers.csv_import import CsvFileError, import_csv
from feedback_app.services.customers.filters import STATUS_FILTERS, CustomerFilters
from feedback_app.services.customers.records import FIELDS, REQUIRED, data_words

SHOWN_ERRORS = 200
#: The furthest survey step a customer reached (``store.survey_steps``), as the Status column says it.
SURVEY_STEP_WORDS = {
    "invited": lazy_gettext("invited"),
    "opened": lazy_gettext("opened the survey"),
    "answered": lazy_gettext("answered"),
}


@bp.get("/customers")
@roles_required(*CX_AND_ADMIN)
def customers() -> ResponseReturnValue:
    args = request.args
    filters = CustomerFilters(
        q=args.get("q", "").strip()[:200],
        source=args.get("source", ""),
        churn_type=args.get("churn_type", "") if args.get("churn_type") in CHURN_TYPES else "",
        plan=args.get("plan", ""),
        status=args.get("status", "") if args.get("status") in STATUS_FILTERS else "",
    )
    page = customer_service.list_customers(filters, page=page_number())
    known = customer_service.filter_choices()
    choices = {  # each drop-down's values with the words shown for them
        "source": [(s, data_words(s)) for s in known["sources"]],
        "plan": [(p, data_words(p)) for p in known["plans"]],
        "churn_type": [(c, churn_type(c)) for c in CHURN_TYPES],
    }
    return render_template(
        "customers/list.html",
        page=page,
        filters=filters,
        choices=choices,
        steps=customer_service.survey_steps(page.items),
        step_words=SURVEY_STEP_WORDS,
    )


@bp.route("/customers/import", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def import_customers() -> ResponseReturnValue:
    form = CustomerImportForm()
    report, file_error, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = import_csv(
                upload.read(),
                source=form.source.data,
                dry_run=form.dry_run.data,
                **actor(),
                filename=upload.filename,
            )
        except CsvFileError as exc:
            file_error, status = f"{upload.filename}: {exc}", 422
        else:
            # the next press of Import should save what the dry run checked, not check it again
            form.dry_run.data = False
    elif form.is_submitted():
        status = 422
    return render_template(
        "customers/import.html",
        form=form,
        report=report,
        file_error=file_error,
        shown_errors=SHOWN_ERRORS,
        fields=FIELDS,
        required=REQUIRED,
    ), status
