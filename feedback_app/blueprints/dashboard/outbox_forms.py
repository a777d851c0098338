"""Forms for the email pages: creating invitations, and the small action buttons."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional, ValidationError


class InvitationForm(FlaskForm):
    """Who to invite to which survey; the preview button counts without creating anything."""

    survey = SelectField(
        lazy_gettext("Survey"), validators=[DataRequired(message=lazy_gettext("Choose a survey."))]
    )
    left_since = DateField(
        lazy_gettext("Left on or after"),
        validators=[Optional()],
        render_kw={"aria-describedby": "dates-help"},
    )
    left_before = DateField(
        lazy_gettext("Left before"), validators=[Optional()], render_kw={"aria-describedby": "dates-help"}
    )
    #: The segments and plans customers have (set by the view), so a typo cannot silently match nobody.
    segment = SelectField(lazy_gettext("Segment"), choices=[], validators=[Optional()])
    plan = SelectField(lazy_gettext("Plan"), choices=[], validators=[Optional()])
    include_involuntary = BooleanField(lazy_gettext("Include involuntary departures (e.g. failed payment)"))
    preview = SubmitField(lazy_gettext("Preview"))
    create = SubmitField(lazy_gettext("Create invitations and send"))

    def validate_left_before(self, field: DateField) -> None:
        if field.data and self.left_since.data and self.left_since.data >= field.data:
            raise ValidationError(gettext("Must be after “Left on or after”."))


class ActionForm(FlaskForm):
    """A button that posts (retry, requeue): CSRF only."""
