"""What anyone can reach without logging in: the landing page, health, and survey links."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from feedback_app.database import database_is_up

bp = Blueprint("public", __name__)


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
