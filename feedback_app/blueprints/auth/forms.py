from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from feedback_app.services.accounts.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(lazy_gettext("Sign in"))


class SetPasswordForm(FlaskForm):
    """Length rules only (NIST 800-63B): long passphrases welcome, no composition rules."""

    password = PasswordField(
        lazy_gettext("New password"),
        description=lazy_gettext(
            "At least %(count)s characters. A few unrelated words make a good one.", count=MIN_PASSWORD_LENGTH
        ),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=lazy_gettext("Use at least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("Type it again"),
        validators=[DataRequired(), EqualTo("password", lazy_gettext("The two passwords differ."))],
    )
    submit = SubmitField(lazy_gettext("Set password"))
