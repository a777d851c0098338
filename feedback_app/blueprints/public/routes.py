"""What anyone can reach without logging in: the landing page, health, and survey links."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import refresh

from feedback_app.database import database_is_up
from feedback_app.models import DepartedCustomer
from feedback_app.services.outreach.follow_up_language import language_of

bp = Blueprint("public", __name__)


def speak_as_the_email_did(customer: DepartedCustomer) -> None:
    """A page opened from a follow-up email (its opt-out) speaks the email's language, as the survey
    page speaks the customer's: not the browser's, which may differ."""
    g.page_language = language_of(customer)
    refresh()  # Flask-Babel picks the locale up again from g.page_language


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("public/index.html")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    if database_is_up():
        return jsonify({"status": "ok", "database": "ok"}), 200
    return jsonify({"status": "error", "database": "unreachable"}), 503


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
