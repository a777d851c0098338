"""Request helpers shared by the API views: a bounded body read, JSON parsing, error answers."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from flask import Response, abort, current_app, jsonify, request
from werkzeug.http import HTTP_STATUS_CODES

from feedback_app.services.customers.store import UpsertResult


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
    """The JSON document, with decimals kept exact; 400 with the parser's position when malformed.

    Python's own limits surface as other exceptions than ``JSONDecodeError``: an integer longer
    than ``sys.get_int_max_str_digits()`` digits is a ``ValueError``, nesting deeper than the
    recursion limit a ``RecursionError``. Both are the client's mistake, so 400, not 500.
    """
    try:
        return json.loads(data, parse_float=Decimal)
    except UnicodeDecodeError:
        abort(400, description="The body is not UTF-8 encoded JSON.")
    except json.JSONDecodeError as exc:
        abort(
            400, description=f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."
        )
    except RecursionError:
        abort(400, description="The body is nested too deeply; send customers as a flat list of objects.")
    except ValueError:  # an integer with more digits than Python converts
        abort(
            400, description=f"The body holds a number with more than {sys.get_int_max_str_digits()} digits."
        )


def error(status: int, message: str) -> Response:
    """A JSON error in the same shape as the app's error handler: ``{"error": ..., "message": ...}``."""
    response = jsonify({"error": HTTP_STATUS_CODES.get(status, "Error"), "message": message})
    response.status_code = status
    return response


#: At most this many problems are listed, and no field name or message longer than these:
#: messages quote what was sent, and a 1 MiB body must not come back as a larger answer.
MAX_LISTED_ERRORS = 100
MAX_FIELD_CHARS = 100
MAX_MESSAGE_CHARS = 300


def _clipped(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


class Problem(Protocol):
    """What ``field_errors`` lists: a field (None for the whole record) and a message."""

    @property
    def field(self) -> str | None: ...

    @property
    def message(self) -> str: ...


def field_errors(
    errors: Sequence[tuple[int | None, Problem]],
    identities: Mapping[int, tuple[str, str]] | None = None,
) -> tuple[Response, int]:
    """422 listing the problems: ``{"errors": [{"index": 0, "field": "email", "message": "..."}]}``.

    ``identities`` names an item by its ``external_id`` (else ``email``), added to each of its
    problems, so a sender logging the answer can find the record without counting list positions.
    Past ``MAX_LISTED_ERRORS`` the list stops and ``more_errors`` says how many were left out.
    """
    known = identities or {}
    body = [
        {
            "index": index,
            "field": _clipped(problem.field, MAX_FIELD_CHARS),
            "message": _clipped(problem.message, MAX_MESSAGE_CHARS),
        }
        | (dict([known[index]]) if index is not None and index in known else {})
        for index, problem in errors[:MAX_LISTED_ERRORS]
    ]
    answer: dict[str, Any] = {"error": "Unprocessable Content", "errors": body}
    if len(errors) > MAX_LISTED_ERRORS:
        answer["more_errors"] = len(errors) - MAX_LISTED_ERRORS
    return jsonify(answer), 422


def outcomes_response(result: UpsertResult) -> tuple[Response, int]:
    """201 when anything was created, 200 when every customer already existed."""
    body = result.counts() | {
        "customers": [
            {"index": i, "id": o.id, "source": o.source, "external_id": o.external_id, "status": o.status}
            for i, o in enumerate(result.outcomes)
        ]
    }
    return jsonify(body), 201 if result.created else 200
