"""Forms for the customers area of the dashboard."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from feedback_app.services.customers.records import SOURCE_PATTERN


class CustomerImportForm(FlaskForm):
    file = FileField(
        lazy_gettext("CSV file"),
        validators=[
            FileRequired(lazy_gettext("Choose a CSV file to import.")),
            FileAllowed(
                ["csv", "txt"],
                lazy_gettext("Only .csv files can be imported; in Excel use Save As > 'CSV UTF-8'."),
            ),
        ],
    )
    source = StringField(
        lazy_gettext("Source"),
        default="csv",
        validators=[
            DataRequired(lazy_gettext("Name the source, e.g. csv or crm.")),
            Length(max=64),
            Regexp(SOURCE_PATTERN, message=lazy_gettext("Use lowercase letters, digits, '_', '.' or '-'.")),
        ],
    )
    dry_run = BooleanField(lazy_gettext("Dry run: check the file and show what would change, save nothing"))


class InviteCustomerForm(FlaskForm):
    """Invite one customer, from their page, to one of the active surveys (set by the view)."""

    survey = SelectField(
        lazy_gettext("Survey"),
        choices=[],
        validators=[DataRequired(message=lazy_gettext("Choose a survey."))],
    )
