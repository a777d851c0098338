"""Forms for the customers area of the dashboard."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from feedback_app.services.customers.records import SOURCE_PATTERN


class CustomerImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file to import."),
            FileAllowed(
                ["csv", "txt"], "Only .csv files can be imported; in Excel use Save As > 'CSV UTF-8'."
            ),
        ],
    )
    source = StringField(
        "Source",
        default="csv",
        validators=[
            DataRequired("Name the source, e.g. csv or crm."),
            Length(max=64),
            Regexp(SOURCE_PATTERN, message="Use lowercase letters, digits, '_', '.' or '-'."),
        ],
    )
    dry_run = BooleanField("Dry run: check the file and show what would change, save nothing")
