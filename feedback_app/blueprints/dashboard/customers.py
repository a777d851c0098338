"""Dashboard views for departed customers: the list with filters, and the CSV upload (one
customer's page is in ``customer_page``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.customer_forms import (
    ColumnMappingForm,
    CustomerImportForm,
    field_words,
)
from feedback_app.blueprints.dashboard.display import churn_type
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, page_number
from feedback_app.blueprints.errors.handlers import handle_http_error
from feedback_app.models import CHURN_TYPES
from feedback_app.services.customers import store as customer_service
from feedback_app.services.customers import upload_stash
from feedback_app.services.customers.column_mapping import IGNORE
from feedback_app.services.customers.csv_import import CsvFileError, Preview, import_csv, preview
from feedback_app.services.customers.filters import STATUS_FILTERS, CustomerFilters, as_choices
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
    known = customer_service.filter_choices()
    filters = CustomerFilters(
        q=args.get("q", "").strip()[:200],
        source=args.get("source", ""),
        churn_type=args.get("churn_type", "") if args.get("churn_type") in CHURN_TYPES else "",
        plan=as_choices([args.get("plan", "")], known["plans"])[0],  # "team" shows picked as "Team"
        status=args.get("status", "") if args.get("status") in STATUS_FILTERS else "",
    )
    page = customer_service.list_customers(filters, page=page_number())
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
    """Step 1: choose the file. It is kept on the server (``upload_stash``) for the mapping step."""
    form = CustomerImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            found = preview(data, source=form.source.data)
        except CsvFileError as exc:
            return _import_page(form, file_error=f"{upload.filename}: {exc}"), 422
        token = upload_stash.keep(data, filename=upload.filename or "upload.csv", user_id=current_user.id)
        mapping_form = ColumnMappingForm(
            formdata=None,
            upload=token,
            source=form.source.data,
            columns=[name or IGNORE for name in found.mapping.fields],
        )
        return _mapping_page(mapping_form, found, upload.filename)
    return _import_page(form), 422 if form.is_submitted() else 200


@bp.post("/customers/import/columns")
@roles_required(*CX_AND_ADMIN)
def import_customers_columns() -> ResponseReturnValue:
    """Step 2: the columns' fields, then a dry run or the import of the kept file."""
    form = ColumnMappingForm()
    stashed = upload_stash.load(form.upload.data or "", user_id=current_user.id)
    if stashed is None:
        expired = gettext(
            "The uploaded file is no longer on the server (files wait a day at most): choose it again."
        )
        return _import_page(CustomerImportForm(formdata=None), file_error=expired), 422
    found = preview(stashed.data, source=form.source.data or "")
    if not form.validate_on_submit():
        return _mapping_page(form, found, stashed.filename), 422
    try:
        report = import_csv(
            stashed.data,
            source=form.source.data,
            dry_run=form.dry_run.data,
            **actor(),
            filename=stashed.filename,
            map_positions=form.columns.data,
        )
    except CsvFileError as exc:
        return _mapping_page(form, found, stashed.filename, file_error=f"{stashed.filename}: {exc}"), 422
    if report.dry_run:
        form.dry_run.data = False  # the next press of Import saves what the dry run checked
        return _mapping_page(form, found, stashed.filename, report=report)
    upload_stash.discard(stashed.token)
    return _import_page(CustomerImportForm(formdata=None), report=report)


IMPORT_ENDPOINTS = ("dashboard.import_customers", "dashboard.import_customers_columns")


def upload_limit() -> str:
    """``MAX_CONTENT_LENGTH`` as the import page says it ("10 MB", "512 KB")."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.3g} MB"
    return f"{max(1, limit // 1024)} KB"


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file over ``MAX_CONTENT_LENGTH`` chosen on the import page: the page again, saying the
    limit and how to import such a file, not a bare error page with no way back to the form."""
    role = getattr(current_user, "role", None) if current_user.is_authenticated else None
    if request.endpoint not in IMPORT_ENDPOINTS or role not in CX_AND_ADMIN:
        return handle_http_error(error)
    message = gettext(
        "The file is larger than %(limit)s, the most one upload may be. Split it into smaller files "
        "(customers already imported are matched, so nothing is imported twice), or import it on the "
        "server with flask --app wsgi customers import FILE.",
        limit=upload_limit(),
    )
    return _import_page(CustomerImportForm(formdata=None), file_error=message), 413


def _import_page(form: CustomerImportForm, **context: Any) -> str:
    return render_template(
        "customers/import.html",
        form=form,
        shown_errors=SHOWN_ERRORS,
        fields=FIELDS,
        required=REQUIRED,
        upload_limit=upload_limit(),
        **context,
    )


def _mapping_page(form: ColumnMappingForm, found: Preview, filename: str | None, **context: Any) -> str:
    return render_template(
        "customers/import_columns.html",
        form=form,
        preview=found,
        columns=list(zip(found.mapping.header, form.columns, found.samples, strict=False)),
        filename=filename,
        shown_errors=SHOWN_ERRORS,
        missing_words=", ".join(field_words(name) for name in found.mapping.missing),
        ambiguous_words=[field_words(name) for name in found.mapping.ambiguous],
        **context,
    )
