"""``GET /api/v1/customers``, ``/responses``, ``/root-causes``, ``/themes``, ``/action-items``: read
what Afterword knows, with an API key that has the ``read`` scope (answers as written also need
``responses:raw``); and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.auth import key_with_scope
from feedback_app.blueprints.api.helpers import error
from feedback_app.blueprints.api.openapi import document
from feedback_app.blueprints.api.routes import bp
from feedback_app.models import ApiKey
from feedback_app.services.integrations import read_api


def _list(reader: Callable[[read_api.Query, ApiKey], read_api.Page], *scopes: str) -> ResponseReturnValue:
    key = key_with_scope("read", *scopes)
    if not isinstance(key, ApiKey):
        return key
    try:
        query = read_api.parse_query(request.args)
        page = reader(query, key)
    except read_api.QueryError as exc:
        return error(400, str(exc))
    filters = {
        "since": query.since.isoformat() if query.since else None,
        "until": query.until.isoformat() if query.until else None,
    }
    return jsonify({"data": page.data, "next_cursor": page.next_cursor, "filters": filters})


@bp.get("/customers")
def read_customers() -> ResponseReturnValue:
    """Departed customers by departure date."""
    return _list(lambda query, _key: read_api.customers(query))


@bp.get("/responses")
def read_responses() -> ResponseReturnValue:
    """Answers by submission date; redacted text unless ``text=raw``, which needs its own scope."""
    text = request.args.get("text", "redacted")
    scopes = (read_api.RAW_TEXT_SCOPE,) if text == "raw" else ()
    return _list(lambda query, key: read_api.responses(query, text=text, key=key), *scopes)


@bp.get("/root-causes")
def read_root_causes() -> ResponseReturnValue:
    """Root causes with their figures, for customers who left in the range."""
    return _list(lambda query, _key: read_api.root_causes(query))


@bp.get("/themes")
def read_themes() -> ResponseReturnValue:
    """Themes with their figures, for customers who left in the range."""
    return _list(lambda query, _key: read_api.themes(query))


@bp.get("/action-items")
def read_action_items() -> ResponseReturnValue:
    """Action items by creation date."""
    return _list(lambda query, _key: read_api.action_items(query))


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of every /api/v1 endpoint (no key needed)."""
    return jsonify(document())
