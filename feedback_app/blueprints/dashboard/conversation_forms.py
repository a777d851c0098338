"""Forms for conversations: ticket upload, interview scheduling and notes, complaint steps."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from feedback_app.services.conversations.formats import FORMATS

FORMAT_LABELS = {
    "csv": lazy_gettext("CSV file (Afterword columns)"),
    "zendesk": lazy_gettext("Zendesk ticket export (JSON)"),
    "intercom": lazy_gettext("Intercom conversation export (JSON)"),
}


class TicketImportForm(FlaskForm):
    file = FileField(
        lazy_gettext("Ticket file"),
        validators=[
            FileRequired(lazy_gettext("Choose a file to import.")),
            FileAllowed(
                ["csv", "txt", "json", "ndjson", "jsonl"],
                lazy_gettext("Only .csv or .json files can be imported."),
            ),
        ],
    )
    fmt = SelectField(lazy_gettext("Format"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], default="csv")


CUSTOMER_HELP = lazy_gettext("Customer (email or external id)")


class ScheduleInterviewForm(FlaskForm):
    customer = StringField(
        CUSTOMER_HELP, validators=[DataRequired(lazy_gettext("Name the customer.")), Length(max=320)]
    )
    interviewer = StringField(
        lazy_gettext("Interviewer"),
        validators=[DataRequired(lazy_gettext("Name the interviewer.")), Length(max=200)],
    )
    booking_link = StringField(
        lazy_gettext("Booking link (optional)"),
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message=lazy_gettext("Give a full link starting with https://.")),
        ],
    )
    booking_note = TextAreaField(
        lazy_gettext("Note to the customer"),
        validators=[
            DataRequired(
                lazy_gettext("Write a short note: why you would like to talk, and how to book a time.")
            ),
            Length(max=2000),
        ],
    )
    #: Shown only once the page said the customer came back (interviews.CameBack).
    came_back_ok = BooleanField(
        lazy_gettext("Invite them anyway: ask why they left and what brought them back")
    )


class InterviewNotesForm(FlaskForm):
    """Notes of an interview held. Shown beside ``ScheduleInterviewForm``, whose fields have the same
    names: its own ids keep each label tied to its own input (posted names stay the same)."""

    customer = StringField(
        CUSTOMER_HELP,
        id="notes-customer",
        validators=[DataRequired(lazy_gettext("Name the customer.")), Length(max=320)],
    )
    interviewer = StringField(
        lazy_gettext("Interviewer"),
        id="notes-interviewer",
        validators=[DataRequired(lazy_gettext("Name the interviewer.")), Length(max=200)],
    )
    held_on = DateField(
        lazy_gettext("Date of the interview"),
        validators=[DataRequired(lazy_gettext("Give the date as YYYY-MM-DD."))],
    )
    notes = TextAreaField(
        lazy_gettext("Notes or transcript"),
        validators=[
            DataRequired(lazy_gettext("Write the notes or paste the transcript.")),
            Length(max=20000),
        ],
    )


class ComplaintStepForm(FlaskForm):
    note = TextAreaField(lazy_gettext("What was done"), validators=[Optional(), Length(max=2000)])
    owner_team = SelectField(lazy_gettext("Owning team"), validators=[Optional()])
