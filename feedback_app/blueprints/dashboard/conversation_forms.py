"""Forms for conversations: ticket upload, interview scheduling and notes, complaint steps."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from feedback_app.services.conversations.formats import FORMATS

FORMAT_LABELS = {
    "csv": "CSV file (Afterword columns)",
    "zendesk": "Zendesk ticket export (JSON)",
    "intercom": "Intercom conversation export (JSON)",
}


class TicketImportForm(FlaskForm):
    file = FileField(
        "Ticket file",
        validators=[
            FileRequired("Choose a file to import."),
            FileAllowed(
                ["csv", "txt", "json", "ndjson", "jsonl"], "Only .csv or .json files can be imported."
            ),
        ],
    )
    fmt = SelectField("Format", choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], default="csv")


CUSTOMER_HELP = "Customer (email or external id)"


class ScheduleInterviewForm(FlaskForm):
    customer = StringField(CUSTOMER_HELP, validators=[DataRequired("Name the customer."), Length(max=320)])
    interviewer = StringField(
        "Interviewer", validators=[DataRequired("Name the interviewer."), Length(max=200)]
    )
    booking_link = StringField(
        "Booking link (optional)",
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message="Give a full link starting with https://."),
        ],
    )
    booking_note = TextAreaField(
        "Note to the customer",
        validators=[
            DataRequired("Write a short note: why you would like to talk, and how to book a time."),
            Length(max=2000),
        ],
    )


class InterviewNotesForm(FlaskForm):
    customer = StringField(CUSTOMER_HELP, validators=[DataRequired("Name the customer."), Length(max=320)])
    interviewer = StringField(
        "Interviewer", validators=[DataRequired("Name the interviewer."), Length(max=200)]
    )
    held_on = DateField("Date of the interview", validators=[DataRequired("Give the date as YYYY-MM-DD.")])
    notes = TextAreaField(
        "Notes or transcript",
        validators=[DataRequired("Write the notes or paste the transcript."), Length(max=20000)],
    )


class ComplaintStepForm(FlaskForm):
    note = TextAreaField("What was done", validators=[Optional(), Length(max=2000)])
    owner_team = SelectField("Owning team", validators=[Optional()])
