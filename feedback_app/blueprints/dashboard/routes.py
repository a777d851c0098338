"""The staff dashboard: where CX and product teams see who left and why."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.auth.decorators import ALL_STAFF, roles_required
from feedback_app.blueprints.form_bodies import refuse_non_form_body

bp = Blueprint("dashboard", __name__)
bp.before_request(refuse_non_form_body)  # staff pages take HTML forms only


@bp.get("/")
@roles_required(*ALL_STAFF)
def index() -> ResponseReturnValue:
    """The landing page is the overview of figures: who left, who answered, what it cost."""
    from feedback_app.blueprints.dashboard.insights import overview

    return overview()
