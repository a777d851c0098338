"""Forms for the reports, curation, action plan and follow-up pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from feedback_app.models import ACTION_STATUSES, OWNER_TEAMS
from feedback_app.services.action_plan import STATUS_LABELS


class ConfirmForm(FlaskForm):
    """A button that only needs CSRF protection (propose, send, run)."""


class RunForm(FlaskForm):
    survey = SelectField("Survey", choices=[], validate_choice=True)
    since = DateField("Answers since (optional)", validators=[Optional()])


class RenameForm(FlaskForm):
    label = StringField("New label", validators=[DataRequired(message="Enter the new label."), Length(max=200)])
    lock = BooleanField("Lock this label (later runs never change it)")


class MergeForm(FlaskForm):
    source = SelectField("Merge this theme", coerce=int, choices=[])
    target = SelectField("into this theme", coerce=int, choices=[])


class MoveForm(FlaskForm):
    theme = SelectField("Move to theme", coerce=int, choices=[])


class ActionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Enter a title."), Length(max=200)])
    owner_team = SelectField("Owner team", choices=[(t, t.capitalize()) for t in OWNER_TEAMS])
    status = SelectField("Status", choices=[(s, STATUS_LABELS[s]) for s in ACTION_STATUSES])
    due_date = DateField("Due date", validators=[Optional()])
    root_cause = TextAreaField("Root cause", validators=[Length(max=4000)])
    actions = TextAreaField("Actions (one per line)", validators=[DataRequired(message="List at least one action.")])


class HandledForm(FlaskForm):
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])
