"""The staff dashboard: where CX and product teams see who left and why."""

from __future__ import annotations

from flask import Blueprint, render_template

from feedback_app.blueprints.auth.decorators import ALL_STAFF, roles_required
from feedback_app.services import overview

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    return render_template("dashboard/index.html", counts=overview.headline_counts())
