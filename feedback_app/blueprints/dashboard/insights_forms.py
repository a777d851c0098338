"""Forms for the reports, curation, action plan and follow-up pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from feedback_app.models import ACTION_STATUSES, OWNER_TEAMS
from feedback_app.services.actions.plan import STATUS_LABELS


class ConfirmForm(FlaskForm):
    """A button that only needs CSRF protection (propose, send, run)."""


class RunForm(FlaskForm):
    survey = SelectField("Survey", choices=[], validate_choice=True)
    since = DateField("Answers since (optional)", validators=[Optional()])


class RenameForm(FlaskForm):
    label = StringField(
        "New label", validators=[DataRequired(message="Enter the new label."), Length(max=200)]
    )
    lock = BooleanField("Lock this label (later runs never change it)")


class MergeForm(FlaskForm):
    source = SelectField("Merge this theme", coerce=int, choices=[])
    target = SelectField("into this theme", coerce=int, choices=[])


class MoveForm(FlaskForm):
    theme = SelectField("Move to theme", coerce=int, choices=[])


def optional_int(value: str | int | None) -> int | None:
    """A select's value as an id, or None for its empty "none" option."""
    return None if value in (None, "", "None") else int(value)


class CauseForm(FlaskForm):
    """Confirm or change a theme's root cause (the view fills the choices from the taxonomy;
    the service names an unknown key)."""

    cause = SelectField(
        "Root cause",
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message="Pick a root cause.")],
    )


class SplitForm(FlaskForm):
    """Move the picked answers of a theme to a new theme with a typed label."""

    label = StringField(
        "Label of the new theme",
        validators=[DataRequired(message="Enter a label for the new theme."), Length(max=200)],
    )
    answers = SelectMultipleField("Answers to move", coerce=int, choices=[], validate_choice=False)


class ActionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Enter a title."), Length(max=200)])
    owner_team = SelectField("Owner team", choices=[(t, t.capitalize()) for t in OWNER_TEAMS])
    status = SelectField("Status", choices=[(s, STATUS_LABELS[s]) for s in ACTION_STATUSES])
    due_date = DateField("Due date", validators=[Optional()])
    root_cause = TextAreaField("Root-cause analysis (notes)", validators=[Length(max=4000)])
    theme = SelectField("About theme", coerce=optional_int, choices=[], validate_choice=True)
    cause = SelectField("About root cause", choices=[], validate_choice=False)
    actions = TextAreaField(
        "Actions (one per line)", validators=[DataRequired(message="List at least one action.")]
    )


class CloseLoopEmailForm(FlaskForm):
    """The "you told us, we changed it" email for one item (the service checks the placeholders)."""

    subject = StringField("Subject", validators=[DataRequired(message="Enter a subject."), Length(max=200)])
    change = TextAreaField(
        "What changed (in words for customers)",
        validators=[Length(max=4000)],
        description="Fills {change}. Write it for former customers: no internal names or plans.",
    )
    body = TextAreaField("Body", validators=[DataRequired(message="Enter the body."), Length(max=10000)])


class ScheduleForm(FlaskForm):
    """When to send the we-fixed-it email (UTC; the service refuses the past and beyond a year)."""

    send_at = DateTimeLocalField(
        "Send at (UTC)",
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message="give a date and time, e.g. 2027-01-15 09:00")],
    )


class HandledForm(FlaskForm):
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])


#: The most entries one bulk "mark handled" may name (a page shows 25).
BULK_LIMIT = 100


class BulkHandledForm(FlaskForm):
    """Several queue entries marked handled in one POST (the checkboxes on the queue page)."""

    follow_up = SelectMultipleField(
        "Entries",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message="select at least one entry first")],
    )

    def validate_follow_up(self, field: SelectMultipleField) -> None:
        if len(field.data or []) > BULK_LIMIT:
            raise ValidationError(f"select at most {BULK_LIMIT} entries at once")
