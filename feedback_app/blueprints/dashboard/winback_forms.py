"""Forms for win-back campaigns and the CPR desk (CSRF through Flask-WTF); meaning is checked by the services."""

from __future__ import annotations

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


class CampaignForm(FlaskForm):
    name = StringField("Campaign name", validators=[Length(max=200)])
    causes = SelectMultipleField(
        "Root causes",
        choices=[],
        validate_choice=False,
        description="Customers whose answer has one of these root causes (or one of the themes below).",
    )
    themes = SelectMultipleField("Themes", coerce=int, choices=[], validate_choice=False)
    segments = SelectMultipleField("Segments (none picked: all)", choices=[], validate_choice=False)
    plans = SelectMultipleField("Plans (none picked: all)", choices=[], validate_choice=False)
    ltv_min = StringField("Lifetime value from", validators=[Length(max=20)])
    ltv_max = StringField("Lifetime value up to", validators=[Length(max=20)])
    left_from = DateField("Left from", validators=[Optional()])
    left_to = DateField("Left until", validators=[Optional()])
    holdout_percent = IntegerField(
        "Holdout (% of the target who get nothing)",
        default=10,
        validators=[NumberRange(min=0, max=50, message="Between 0 and 50.")],
    )
    offer_text = StringField("Offer", validators=[Length(max=500)], description='e.g. "20% off for 6 months"')
    offer_code = StringField("Offer code (optional)", validators=[Length(max=64)])
    offer_value = StringField(
        "Offer value per customer who takes it",
        validators=[Length(max=20)],
        description="What the offer costs you for one returning customer, e.g. 120.",
    )
    offer_deadline = DateField("Offer ends on", validators=[Optional()])
    subject = StringField("Email subject", validators=[Length(max=300)])
    body = TextAreaField(
        "Email body",
        validators=[Length(max=10000)],
        description="Placeholders: {first_name} {offer} {code} {value} {deadline} {link} {company}. "
        "{link} is required: it is the tracked link to the offer.",
    )
    landing_url = StringField("The offer link leads to", validators=[Length(max=500)])


class TestSendForm(FlaskForm):
    address = StringField(
        "Send a test to", validators=[DataRequired(message="Enter an address."), Length(max=320)]
    )


class CprOfferForm(FlaskForm):
    cost_to_serve = StringField("Cost to serve per month (if known)", validators=[Length(max=20)])
    offer_value = StringField("Offer value (total)", validators=[Length(max=20)])
    offer_deadline = DateField("Offer ends on", validators=[Optional()])
    subject = StringField("Subject", validators=[Length(max=300)])
    body = TextAreaField("Written offer", validators=[Length(max=10000)])


class CprOutcomeForm(FlaskForm):
    outcome = SelectField("Outcome", choices=[("accepted", "Accepted"), ("declined", "Declined")])
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])
