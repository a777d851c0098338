"""Forms for the admin pages: staff accounts and data-protection requests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from feedback_app.models import ROLES
from feedback_app.services.validation.email_addresses import InvalidEmail, check_email


def strict_email(form: FlaskForm, field: Field) -> None:
    """The app's one email check (``services/email_addresses``) for an address a form stores."""
    try:
        check_email(field.data or "")
    except InvalidEmail as problem:
        raise ValidationError(f"Enter an email address. {problem}.") from None


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), strict_email, Length(max=320)])
    role = SelectField("Role", choices=[(r, r) for r in ROLES], validators=[DataRequired()])
    submit = SubmitField("Create and get a set-password link")


class ApiKeyForm(FlaskForm):
    label = StringField(
        "Label",
        description="Which system will use it, e.g. billing system.",
        validators=[DataRequired(message="Enter a label."), Length(max=100)],
    )
    can_write = BooleanField(
        "Send departed customers",
        default=True,
        description="POST /api/v1/departures (scope departures:write)",
    )
    can_read = BooleanField(
        "Read customers, answers, root causes, themes and action items",
        description="GET /api/v1/... (scope read)",
    )
    submit = SubmitField("Create key")

    def scopes(self) -> list[str]:
        return [
            scope
            for scope, wanted in (("departures:write", self.can_write.data), ("read", self.can_read.data))
            if wanted
        ]


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r) for r in ROLES], validators=[DataRequired()])
    submit = SubmitField("Change role")


class ConfirmForm(FlaskForm):
    """A bare form for one-button actions (deactivate, reset link): only the CSRF token."""


class PersonForm(FlaskForm):
    email = EmailField(
        "The person's email",
        validators=[DataRequired(), Email(message="Enter an email address."), Length(max=320)],
    )
    confirm = BooleanField("I understand erasure cannot be undone")
    export = SubmitField("Download their data (JSON)")
    erase = SubmitField("Erase their data")
