"""Error pages that answer JSON to API clients and HTML to people."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

bp = Blueprint("errors", __name__)


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    # The exception's own headers (``Allow`` on a 405, ``Retry-After`` on a 429) belong on
    # whichever body answers; only its content type is replaced.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if wants_json():
        return jsonify({"error": error.name, "message": error.description}), code, headers
    template = "errors/404.html" if code == 404 else "errors/error.html"
    # A former customer's bad survey link shows the company they know, not the tool behind it.
    public_link = request.path.startswith("/s/")
    brand = current_app.config["COMPANY_NAME"] if public_link else "Afterword"
    page = render_template(template, error=error, code=code, public_link=public_link, brand_name=brand)
    return page, code, headers
