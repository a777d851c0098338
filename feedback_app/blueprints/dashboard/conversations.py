"""Dashboard views for conversations: ticket uploads, the list, exit interviews, complaints before defection."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.conversation_forms import TicketImportForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.services.conversations import browse
from feedback_app.services.conversations.formats import CSV_COLUMNS, CSV_REQUIRED
from feedback_app.services.conversations.tickets import import_tickets
from feedback_app.services.csv_import import CsvFileError

SHOWN_PROBLEMS = 200
PER_PAGE = 25


@bp.get("/conversations")
@roles_required(*CX_AND_ADMIN)
def conversations():
    kind = request.args.get("kind") if request.args.get("kind") in browse.KIND_NAMES else None
    page = browse.list_conversations(kind=kind, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template("conversations/list.html", page=page, kind=kind, kinds=browse.KIND_NAMES,
                           origins=browse.ORIGIN_NAMES, statuses=browse.STATUS_NAMES)


@bp.route("/conversations/import", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def import_tickets_page():
    form = TicketImportForm()
    report, file_error, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = import_tickets(upload.read(), form.fmt.data, actor=current_user.email,
                                    actor_user_id=current_user.id, filename=upload.filename)
        except CsvFileError as exc:
            file_error, status = f"{upload.filename}: {exc}", 422
    elif form.is_submitted():
        status = 422
    return render_template("conversations/import.html", form=form, report=report, file_error=file_error,
                           shown=SHOWN_PROBLEMS, columns=CSV_COLUMNS, required=CSV_REQUIRED), status
