"""Dashboard views for conversations: ticket uploads, the list, exit interviews, complaints before defection."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.conversation_forms import (
    ComplaintStepForm,
    InterviewNotesForm,
    ScheduleInterviewForm,
    TicketImportForm,
)
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, form_errors, page_number
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import OWNER_TEAMS, ComplaintCase
from feedback_app.pagination import PER_PAGE
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.conversations import browse, complaint_queue, complaints, interviews
from feedback_app.services.conversations.complaint_queue import ComplaintError
from feedback_app.services.conversations.formats import CSV_COLUMNS, CSV_REQUIRED
from feedback_app.services.conversations.interviews import AlreadyInvited, CameBack, InterviewError
from feedback_app.services.conversations.tickets import import_tickets
from feedback_app.services.customers.csv_import import CsvFileError
from feedback_app.services.insights import root_causes
from feedback_app.services.validation.row_ids import row_id

SHOWN_PROBLEMS = 200


@bp.get("/conversations")
@roles_required(*CX_AND_ADMIN)
def conversations() -> ResponseReturnValue:
    kind = request.args.get("kind") if request.args.get("kind") in browse.KIND_NAMES else None
    customer = row_id(request.args.get("customer"))  # from a customer's page: only theirs
    page = browse.list_conversations(kind=kind, customer_id=customer, page=page_number(), per_page=PER_PAGE)
    return render_template(
        "conversations/list.html",
        page=page,
        kind=kind,
        customer=customer,
        kinds=translated_names(browse.KIND_NAMES),
        origins=translated_names(browse.ORIGIN_NAMES),
        statuses=translated_names(browse.STATUS_NAMES),
        words={c.id: browse.customer_words(c) for c in page.items},
    )


@bp.get("/conversations/<int:conversation_id>")
@roles_required(*CX_AND_ADMIN)
def conversation(conversation_id: int) -> ResponseReturnValue:
    """One ticket, interview or portal reason: its redacted words, when and where from, the root
    cause and theme it counts toward, and its customer."""
    view = browse.conversation_view(conversation_id)
    if view is None:
        abort(404)
    return render_template(
        "conversations/detail.html",
        v=view,
        conv=view.conversation,
        kinds=translated_names(browse.KIND_NAMES),
        origins=translated_names(browse.ORIGIN_NAMES),
        statuses=translated_names(browse.STATUS_NAMES),
        authors=translated_names(browse.AUTHOR_NAMES),
    )


@bp.route("/conversations/import", methods=["GET", "POST"])
@roles_required(*CX_AND_ADMIN)
def import_tickets_page() -> ResponseReturnValue:
    form = TicketImportForm()
    report, file_error, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = import_tickets(
                upload.read(),
                form.fmt.data,
                **actor(),
                filename=upload.filename,
            )
        except CsvFileError as exc:
            file_error, status = f"{upload.filename}: {exc}", 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "conversations/import.html",
        form=form,
        report=report,
        file_error=file_error,
        shown=SHOWN_PROBLEMS,
        columns=CSV_COLUMNS,
        required=CSV_REQUIRED,
    ), status


# ---------------------------------------------------------------- exit interviews


def _interviews_page(
    schedule_form: ScheduleInterviewForm,
    notes_form: InterviewNotesForm,
    status: int = 200,
    came_back: CameBack | None = None,
) -> tuple[str, int]:
    page = interviews.list_interviews(page=page_number(), per_page=PER_PAGE)
    return render_template(
        "conversations/interviews.html",
        page=page,
        schedule_form=schedule_form,
        notes_form=notes_form,
        emails=interviews.invitation_emails(page.items),
        came_back=came_back,
    ), status


@bp.get("/interviews")
@roles_required(*CX_AND_ADMIN)
def interviews_page() -> ResponseReturnValue:
    notes = InterviewNotesForm(customer=request.args.get("customer", ""))
    return _interviews_page(ScheduleInterviewForm(customer=request.args.get("customer", "")), notes)[0]


@bp.post("/interviews/schedule")
@roles_required(*CX_AND_ADMIN)
def schedule_interview() -> ResponseReturnValue:
    form = ScheduleInterviewForm()
    if form.validate_on_submit():
        try:
            customer = interviews.find_customer(form.customer.data)
            interviews.schedule(
                customer,
                interviewer=form.interviewer.data,
                note=form.booking_note.data,
                link=form.booking_link.data,
                came_back_ok=form.came_back_ok.data,
                **actor(),
            )
        except CameBack as exc:
            form.customer.errors = [
                gettext(
                    "%(who)s came back on %(date)s. The invitation asks why they left: to hear that and what "
                    "brought them back, say so in the note, tick “Invite them anyway” and send it again.",
                    who=form.customer.data.strip(),
                    date=exc.returned_at.isoformat(),
                )
            ]
            return _interviews_page(form, InterviewNotesForm(formdata=None), 422, came_back=exc)
        except AlreadyInvited as exc:
            flash(
                gettext(
                    "%(email)s was already invited to an interview on %(date)s; nothing was sent again.",
                    email=exc.email,
                    date=exc.interview.invited_at.date().isoformat() if exc.interview.invited_at else "",
                ),
                "info",
            )
            return redirect(url_for("dashboard.interviews_page"))
        except InterviewError as exc:
            form.customer.errors = [str(exc)]
        else:
            flash(
                gettext(
                    "Invitation to an interview queued for %(email)s, who came back on %(date)s.",
                    email=customer.email,
                    date=customer.returned_at.isoformat(),
                )
                if customer.returned_at
                else gettext("Invitation to an interview queued for %(email)s.", email=customer.email),
                "success",
            )
            return redirect(url_for("dashboard.interviews_page"))
    return _interviews_page(form, InterviewNotesForm(formdata=None), 422)


@bp.post("/interviews/notes")
@roles_required(*CX_AND_ADMIN)
def record_interview() -> ResponseReturnValue:
    form = InterviewNotesForm()
    if form.validate_on_submit():
        try:
            customer = interviews.find_customer(form.customer.data)
            interviews.record(
                customer,
                interviewer=form.interviewer.data,
                held_on=form.held_on.data,
                notes=form.notes.data,
                **actor(),
            )
        except InterviewError as exc:
            (
                form.notes
                if str(exc).startswith("Notes")
                else form.held_on
                if str(exc).startswith("Date")
                else form.customer
            ).errors = [str(exc)]
        else:
            flash(
                gettext(
                    "Interview notes saved, with personal data replaced; they are analysed with the answers."
                ),
                "success",
            )
            return redirect(url_for("dashboard.interviews_page"))
    return _interviews_page(ScheduleInterviewForm(formdata=None), form, 422)


# ---------------------------------------------------------------- complaints before defection


@bp.get("/complaints")
@roles_required(*CX_AND_ADMIN)
def complaints_page() -> ResponseReturnValue:
    status = (
        request.args.get("status") if request.args.get("status") in complaint_queue.STATUS_NAMES else None
    )
    cause = request.args.get("cause") if root_causes.is_cause(request.args.get("cause")) else None
    page = complaint_queue.queue(status=status, cause=cause, page=page_number(), per_page=PER_PAGE)
    found = complaints.before_departure([c.customer_id for c in page.items])
    form = ComplaintStepForm()
    form.owner_team.choices = [("", gettext("Keep the current team"))] + [
        (t, gettext(action_plan.TEAM_NAMES[t])) for t in OWNER_TEAMS
    ]
    return render_template(
        "conversations/complaints.html",
        page=page,
        status=status,
        cause=cause,
        found=found,
        form=form,
        steps=translated_names(complaint_queue.STEP_NAMES),
        statuses=translated_names(complaint_queue.STATUS_NAMES),
        window=complaints.window_days(),
    )


@bp.post("/complaints/<int:case_id>/step")
@roles_required(*CX_AND_ADMIN)
def complaint_step(case_id: int) -> ResponseReturnValue:
    """Mark the case's current step done and move to the next."""
    return _complaint_action(case_id, "step")


@bp.post("/complaints/<int:case_id>/drop")
@roles_required(*CX_AND_ADMIN)
def complaint_drop(case_id: int) -> ResponseReturnValue:
    """Stop working the case."""
    return _complaint_action(case_id, "drop")


def _complaint_action(case_id: int, action: str) -> ResponseReturnValue:
    case = db.get_or_404(ComplaintCase, case_id)
    form = ComplaintStepForm()
    form.owner_team.choices = [("", "")] + [(t, t) for t in OWNER_TEAMS]
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
        return redirect(url_for("dashboard.complaints_page"))
    try:
        if action == "drop":
            complaint_queue.drop(case, note=form.note.data, **actor())
        else:
            done = gettext(complaint_queue.STEP_NAMES[case.step])
            complaint_queue.take_step(
                case,
                note=form.note.data,
                owner_team=form.owner_team.data or None,
                **actor(),
            )
    except ComplaintError as exc:
        flash(str(exc), "error")
    else:
        flash(
            gettext("Complaint dropped.")
            if action == "drop"
            else gettext(
                "Done: %(done)s. Next: %(next)s.",
                done=done,
                next=gettext(complaint_queue.STEP_NAMES[case.step]),
            ),
            "success",
        )
    return redirect(url_for("dashboard.complaints_page"))
