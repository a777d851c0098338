"""Request helpers shared by the API views: a bounded body read, JSON parsing, error answers."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Response, abort, current_app, jsonify, request
from werkzeug.http import HTTP_STATUS_CODES

from feedback_app.services.customer_records import FieldError
from feedback_app.services.customers import UpsertResult


def read_body() -> bytes:
    """The raw body, refused with 413 past ``API_MAX_BODY_BYTES`` (declared or actually sent)."""
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        abort(413, description=f"The body is larger than {limit} bytes; send fewer customers per request.")
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        abort(413, description=f"The body is larger than {limit} bytes; send fewer customers per request.")
    return data


def parse_json(data: bytes) -> Any:
    """The JSON document, with decimals kept exact; 400 with the parser's position when malformed."""
    try:
        return json.loads(data, parse_float=Decimal)
    except UnicodeDecodeError:
        abort(400, description="The body is not UTF-8 encoded JSON.")
    except json.JSONDecodeError as exc:
        abort(400, description=f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.")


def error(status: int, message: str) -> Response:
    """A JSON error in the same shape as the app's error handler: ``{"error": ..., "message": ...}``."""
    response = jsonify({"error": HTTP_STATUS_CODES.get(status, "Error"), "message": message})
    response.status_code = status
    return response


def field_errors(errors: list[tuple[int | None, FieldError]]) -> tuple[Response, int]:
    """422 listing every problem: ``{"errors": [{"index": 0, "field": "email", "message": "..."}]}``."""
    body = [{"index": index, "field": problem.field, "message": problem.message} for index, problem in errors]
    return jsonify({"error": "Unprocessable Content", "errors": body}), 422


def outcomes_response(result: UpsertResult) -> tuple[Response, int]:
    """201 when anything was created, 200 when every customer already existed."""
    body = result.counts() | {
        "customers": [{"index": i, "id": o.id, "source": o.source, "external_id": o.external_id, "status": o.status}
                      for i, o in enumerate(result.outcomes)]
    }
    return jsonify(body), 201 if result.created else 200
