"""Forms for the customers area of the dashboard."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, FieldList, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from feedback_app.services.customers.column_mapping import CHOICES, IGNORE, MAX_COLUMNS
from feedback_app.services.customers.records import REQUIRED, SOURCE_PATTERN


def _source_field() -> StringField:
    return StringField(
        lazy_gettext("Source"),
        default="csv",
        validators=[
            DataRequired(lazy_gettext("Name the source, e.g. csv or crm.")),
            Length(max=64),
            Regexp(SOURCE_PATTERN, message=lazy_gettext("Use lowercase letters, digits, '_', '.' or '-'.")),
        ],
    )


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
    source = _source_field()


# What each field holds, in words, for the mapping step's choices; the key stays beside it because
# the docs, the CLI's --map and every row error name the field by its key.
FIELD_WORDS = {
    "external_id": lazy_gettext("Your id for the customer"),
    "email": lazy_gettext("Email address"),
    "phone": lazy_gettext("Phone number"),
    "name": lazy_gettext("Name"),
    "company": lazy_gettext("Company"),
    "plan": lazy_gettext("Plan"),
    "segment": lazy_gettext("Segment"),
    "monthly_revenue": lazy_gettext("Monthly revenue"),
    "lifetime_value": lazy_gettext("Lifetime value"),
    "tenure_months": lazy_gettext("Months as a customer"),
    "left_at": lazy_gettext("Date they left"),
    "churn_type": lazy_gettext("Voluntary or involuntary"),
    "contact_consent": lazy_gettext("Agreed to be contacted"),
    "returned_at": lazy_gettext("Date they came back"),
    "language": lazy_gettext("Language"),
    "locale": lazy_gettext("Language"),
    "first_name": lazy_gettext("Name, first part"),
    "last_name": lazy_gettext("Name, last part"),
}


def field_words(name: str) -> str:
    """A field as the mapping step names it: its words and its key ("Date they left (left_at)")."""
    return f"{FIELD_WORDS[name]} ({name})" if name in FIELD_WORDS else name


def field_choices() -> list[tuple[str, str]]:
    """The mapping step's options: "Ignore", then each field's words and key ("Date they left
    (left_at)"), then the name's parts for a file that splits it ("Name, first part
    (first_name)"); a callable, so the words are translated for the request, not at import."""
    return [(IGNORE, str(lazy_gettext("Ignore")))] + [(name, field_words(name)) for name in CHOICES]


class ColumnMappingForm(FlaskForm):
    """The mapping step: the kept upload's token, each column's field (or ignore), then import."""

    upload = HiddenField(validators=[DataRequired()])
    source = _source_field()
    columns = FieldList(
        SelectField(choices=field_choices),
        max_entries=MAX_COLUMNS,
    )
    dry_run = BooleanField(lazy_gettext("Dry run: check the file and show what would change, save nothing"))

    def validate_columns(self, field: FieldList) -> None:
        """A required field no select reads is named here, as the selects name it: the import
        service's own message is written for the command line (``--map``). A field chosen twice
        is left to the service, whose message names both columns."""
        picked = [entry.data for entry in field if entry.data != IGNORE]
        if len(picked) != len(set(picked)):
            return
        chosen = set(picked)
        missing = [name for name in REQUIRED if name not in chosen]
        if missing:
            words = ", ".join(field_words(name) for name in missing)
            raise ValidationError(
                gettext(
                    "No column is read as %(fields)s: choose the column that holds it below.", fields=words
                )
                if len(missing) == 1
                else gettext(
                    "No column is read as %(fields)s: choose the column that holds each below.", fields=words
                )
            )


class InviteCustomerForm(FlaskForm):
    """Invite one customer, from their page, to one of the active surveys (set by the view)."""

    survey = SelectField(
        lazy_gettext("Survey"),
        choices=[],
        validators=[DataRequired(message=lazy_gettext("Choose a survey."))],
    )
