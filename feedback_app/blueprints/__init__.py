"""One blueprint per audience; registered here so the factory stays short."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
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
