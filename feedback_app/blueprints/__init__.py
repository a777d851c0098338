"""One blueprint per audience; registered here so the factory stays short."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from feedback_app.services.validation.row_ids import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: werkzeug's integer converter, bounded to a database id (a
    larger number is no row, so 404)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ROW_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    from feedback_app.blueprints.api.routes import bp as api_bp
    from feedback_app.blueprints.auth.routes import bp as auth_bp
    from feedback_app.blueprints.dashboard.routes import bp as dashboard_bp
    from feedback_app.blueprints.errors.handlers import bp as errors_bp
    from feedback_app.blueprints.public.routes import bp as public_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
