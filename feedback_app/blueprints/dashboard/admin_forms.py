"""Forms for the admin pages: staff accounts and data-protection requests."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from feedback_app.models import ROLE_NAMES
from feedback_app.services.validation.email_addresses import InvalidEmail, check_email


def strict_email(form: FlaskForm, field: Field) -> None:
    """The app's one email check (``services/email_addresses``) for an address a form stores."""
    try:
        check_email(field.data or "")
    except InvalidEmail as problem:
        raise ValidationError(gettext("Enter an email address. %(problem)s.", problem=problem)) from None


def role_choices() -> list[tuple[str, str]]:
    """The roles as a drop-down offers them: the stored key, shown by its name ("CX")."""
    return [(key, lazy_gettext(name)) for key, name in ROLE_NAMES.items()]


class InviteForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), strict_email, Length(max=320)])
    #: The least the new person may do until an admin picks more (the form offered Admin first, so
    #: a hurried invitation made an admin).
    role = SelectField(
        lazy_gettext("Role"), choices=role_choices(), default="product", validators=[DataRequired()]
    )
    submit = SubmitField(lazy_gettext("Create and get a set-password link"))


class ApiKeyForm(FlaskForm):
    label = StringField(
        lazy_gettext("Label"),
        description=lazy_gettext("Which system will use it, e.g. billing system."),
        validators=[DataRequired(message=lazy_gettext("Enter a label.")), Length(max=100)],
    )
    #: Nothing ticked at first: a key gets only what its admin chose (a key for a warehouse must not
    #: be able to write departures because a box was left ticked).
    can_write = BooleanField(
        lazy_gettext("Send departed customers"),
        description=lazy_gettext(
            "POST /api/v1/departures and /api/v1/active-counts (scope departures:write)"
        ),
    )
    can_read = BooleanField(
        lazy_gettext("Read customers, answers, root causes, themes and action items"),
        description=lazy_gettext("GET /api/v1/... (scope read)"),
    )
    #: Never implied by ``read``: answers as written name people; each raw read is audited.
    can_read_raw = BooleanField(
        lazy_gettext("Read answers' raw text, with names, emails and phone numbers"),
        description=lazy_gettext("GET /api/v1/responses?text=raw (scope responses:raw; with read)"),
    )
    submit = SubmitField(lazy_gettext("Create key"))

    def scopes(self) -> list[str]:
        return [
            scope
            for scope, wanted in (
                ("departures:write", self.can_write.data),
                ("read", self.can_read.data),
                ("responses:raw", self.can_read_raw.data),
            )
            if wanted
        ]


class RoleForm(FlaskForm):
    role = SelectField(lazy_gettext("Role"), choices=role_choices(), validators=[DataRequired()])
    submit = SubmitField(lazy_gettext("Change role"))


class ConfirmForm(FlaskForm):
    """A bare form for one-button actions (deactivate, reset link): only the CSRF token."""


class PersonForm(FlaskForm):
    email = EmailField(
        lazy_gettext("The person's email"),
        validators=[DataRequired(), Email(message=lazy_gettext("Enter an email address.")), Length(max=320)],
    )
    confirm = BooleanField(lazy_gettext("I understand erasure cannot be undone"))
    export = SubmitField(lazy_gettext("Download their data (JSON)"))
    erase = SubmitField(lazy_gettext("Erase their data"))
