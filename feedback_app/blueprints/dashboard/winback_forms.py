"""Forms for win-back campaigns and the CPR desk (CSRF through Flask-WTF); meaning is checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from feedback_app.services.validation.row_ids import coerce_row_id


class CampaignForm(FlaskForm):
    name = StringField(lazy_gettext("Campaign name"), validators=[Length(max=200)])
    causes = SelectMultipleField(
        lazy_gettext("Root causes"),
        choices=[],
        validate_choice=False,
        description=lazy_gettext(
            "Customers whose answer has one of these root causes (or one of the themes below)."
        ),
    )
    themes = SelectMultipleField(
        lazy_gettext("Themes"), coerce=coerce_row_id, choices=[], validate_choice=False
    )
    segments = SelectMultipleField(
        lazy_gettext("Segments (none picked: all)"), choices=[], validate_choice=False
    )
    plans = SelectMultipleField(lazy_gettext("Plans (none picked: all)"), choices=[], validate_choice=False)
    ltv_min = StringField(lazy_gettext("Lifetime value from"), validators=[Length(max=20)])
    ltv_max = StringField(lazy_gettext("Lifetime value up to"), validators=[Length(max=20)])
    left_from = DateField(lazy_gettext("Left from"), validators=[Optional()])
    left_to = DateField(lazy_gettext("Left until"), validators=[Optional()])
    holdout_percent = IntegerField(
        lazy_gettext("Holdout (% of the target who get nothing)"),
        default=10,
        validators=[NumberRange(min=0, max=50, message=lazy_gettext("Between 0 and 50."))],
    )
    offer_text = StringField(
        lazy_gettext("Offer"),
        validators=[Length(max=500)],
        description=lazy_gettext('e.g. "20% off for 6 months"'),
    )
    offer_code = StringField(lazy_gettext("Offer code (optional)"), validators=[Length(max=64)])
    offer_value = StringField(
        lazy_gettext("Offer value per customer who takes it"),
        validators=[Length(max=20)],
        description=lazy_gettext("What the offer costs you for one returning customer, e.g. 120."),
    )
    offer_deadline = DateField(lazy_gettext("Offer ends on"), validators=[Optional()])
    subject = StringField(lazy_gettext("Email subject"), validators=[Length(max=300)])
    # its placeholders are listed under it (campaign_email.PLACEHOLDERS), each as typed
    body = TextAreaField(lazy_gettext("Email body"), validators=[Length(max=10000)])
    landing_url = StringField(lazy_gettext("The offer link leads to"), validators=[Length(max=500)])


class TestSendForm(FlaskForm):
    address = StringField(
        lazy_gettext("Send a test to"),
        validators=[DataRequired(message=lazy_gettext("Enter an address.")), Length(max=320)],
    )


class CprOfferForm(FlaskForm):
    cost_to_serve = StringField(
        lazy_gettext("Cost to serve per month (if known)"),
        validators=[Length(max=20)],
        description=lazy_gettext("What serving them costs you a month, in whole currency units, e.g. 40."),
    )
    offer_value = StringField(
        lazy_gettext("Offer value (total)"),
        validators=[Length(max=20)],
        description=lazy_gettext("What the offer costs you in all, in whole currency units, e.g. 500."),
    )
    offer_deadline = DateField(lazy_gettext("Offer ends on"), validators=[Optional()])
    subject = StringField(lazy_gettext("Subject"), validators=[Length(max=300)])
    body = TextAreaField(lazy_gettext("Written offer"), validators=[Length(max=10000)])


class CprOutcomeForm(FlaskForm):
    outcome = SelectField(
        lazy_gettext("Outcome"),
        choices=[("accepted", lazy_gettext("Accepted")), ("declined", lazy_gettext("Declined"))],
    )
    note = TextAreaField(lazy_gettext("Note (optional)"), validators=[Length(max=2000)])
