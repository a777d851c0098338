"""Forms for the reports, curation, action plan and follow-up pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from feedback_app.models import ACTION_STATUSES, OWNER_TEAMS
from feedback_app.services.actions.plan import STATUS_LABELS, TEAM_NAMES
from feedback_app.services.validation.row_ids import coerce_row_id


class ConfirmForm(FlaskForm):
    """A button that only needs CSRF protection (propose, send, run)."""


class RunForm(FlaskForm):
    survey = SelectField(lazy_gettext("Survey"), choices=[], validate_choice=True)
    since = DateField(lazy_gettext("Answers since (optional)"), validators=[Optional()])


class RenameForm(FlaskForm):
    label = StringField(
        lazy_gettext("New label"),
        validators=[DataRequired(message=lazy_gettext("Enter the new label.")), Length(max=200)],
    )
    lock = BooleanField(lazy_gettext("Lock this label (later runs never change it)"))


class MergeForm(FlaskForm):
    source = SelectField(lazy_gettext("Merge this theme"), coerce=coerce_row_id, choices=[])
    target = SelectField(lazy_gettext("into this theme"), coerce=coerce_row_id, choices=[])


class MoveForm(FlaskForm):
    theme = SelectField(lazy_gettext("Move to theme"), coerce=coerce_row_id, choices=[])


def optional_int(value: str | int | None) -> int | None:
    """A select's value as an id, or None for its empty "none" option."""
    return None if value in (None, "", "None") else int(value)


class CauseForm(FlaskForm):
    """Confirm or change a theme's root cause (the view fills the choices from the taxonomy;
    the service names an unknown key)."""

    cause = SelectField(
        lazy_gettext("Root cause"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=lazy_gettext("Pick a root cause."))],
    )


class SplitForm(FlaskForm):
    """Move the picked answers of a theme to a new theme with a typed label."""

    label = StringField(
        lazy_gettext("Label of the new theme"),
        validators=[DataRequired(message=lazy_gettext("Enter a label for the new theme.")), Length(max=200)],
    )
    answers = SelectMultipleField(
        lazy_gettext("Answers to move"), coerce=coerce_row_id, choices=[], validate_choice=False
    )


class ActionForm(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        validators=[DataRequired(message=lazy_gettext("Enter a title.")), Length(max=200)],
    )
    owner_team = SelectField(
        lazy_gettext("Owner team"), choices=[(t, lazy_gettext(TEAM_NAMES[t])) for t in OWNER_TEAMS]
    )
    status = SelectField(
        lazy_gettext("Status"), choices=[(s, lazy_gettext(STATUS_LABELS[s])) for s in ACTION_STATUSES]
    )
    due_date = DateField(lazy_gettext("Due date"), validators=[Optional()])
    # rows: a proposal's notes and its three to five actions show whole, not two lines and a half
    root_cause = TextAreaField(
        lazy_gettext("Root-cause analysis (notes)"), validators=[Length(max=4000)], render_kw={"rows": 4}
    )
    theme = SelectField(lazy_gettext("About theme"), coerce=optional_int, choices=[], validate_choice=True)
    cause = SelectField(lazy_gettext("About root cause"), choices=[], validate_choice=False)
    actions = TextAreaField(
        lazy_gettext("Actions (one per line)"),
        validators=[DataRequired(message=lazy_gettext("List at least one action."))],
        render_kw={"rows": 6},
    )


class CloseLoopEmailForm(FlaskForm):
    """The "you told us, we changed it" email for one item (the service checks the placeholders)."""

    subject = StringField(
        lazy_gettext("Subject"),
        validators=[DataRequired(message=lazy_gettext("Enter a subject.")), Length(max=200)],
    )
    change = TextAreaField(
        lazy_gettext("What changed (in words for customers)"),
        validators=[Length(max=4000)],
        description=lazy_gettext(
            "Fills {change}. Write it for former customers: no internal names or plans."
        ),
    )
    body = TextAreaField(
        lazy_gettext("Body"),
        validators=[DataRequired(message=lazy_gettext("Enter the body.")), Length(max=10000)],
    )


class ScheduleForm(FlaskForm):
    """When to send the we-fixed-it email (UTC; the service refuses the past and beyond a year)."""

    send_at = DateTimeLocalField(
        lazy_gettext("Send at (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=lazy_gettext("give a date and time, e.g. 2027-01-15 09:00"))],
    )


class HandledForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Note (optional)"), validators=[Length(max=2000)])


#: The most entries one bulk "mark handled" may name (a page shows 25).
BULK_LIMIT = 100


class BulkHandledForm(FlaskForm):
    """Several queue entries marked handled in one POST (the checkboxes on the queue page)."""

    follow_up = SelectMultipleField(
        lazy_gettext("Entries"),
        coerce=coerce_row_id,
        validate_choice=False,
        # InputRequired, not DataRequired: an id that is no id keeps its own message (DataRequired
        # would replace it with this one, as if nothing had been picked)
        validators=[InputRequired(message=lazy_gettext("select at least one entry first"))],
    )

    def validate_follow_up(self, field: SelectMultipleField) -> None:
        if len(field.data or []) > BULK_LIMIT:
            raise ValidationError(gettext("select at most %(count)s entries at once", count=BULK_LIMIT))
