"""``POST /api/v1/departures``: who left, sent by another system with an API key."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.auth import key_with_scope
from feedback_app.blueprints.api.helpers import field_errors, outcomes_response, parse_json, read_body
from feedback_app.blueprints.api.routes import bp
from feedback_app.models import ApiKey
from feedback_app.services.customers import store as customer_service
from feedback_app.services.customers.records import (
    CustomerRecord,
    FieldError,
    check_source,
    parse_record,
    row_identity,
)

DEFAULT_SOURCE = "api"


@bp.post("/departures")
def departures() -> ResponseReturnValue:
    """One customer (a JSON object) or several (a list); all are stored, or none (422)."""
    key = key_with_scope("departures:write")
    if not isinstance(key, ApiKey):
        return key
    payload = parse_json(read_body())
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        return field_errors([(None, FieldError(None, "the list is empty; send at least one customer"))])
    records, problems = _validate(items)
    if problems:
        identities = {index: row_identity(item) for index, item in enumerate(items) if isinstance(item, dict)}
        return field_errors(problems, {index: found for index, found in identities.items() if found})
    result = customer_service.save(
        records, actor=f"api-key:{key.prefix}", action="customers.api_intake", api_key_id=key.id
    )
    return outcomes_response(result)


def _validate(items: list) -> tuple[list[CustomerRecord], list[tuple[int | None, FieldError]]]:
    records: list[CustomerRecord] = []
    problems: list[tuple[int | None, FieldError]] = []
    first_seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append((index, FieldError(None, "each customer must be a JSON object")))
            continue
        fields = dict(item)
        source = fields.pop("source", DEFAULT_SOURCE)
        try:
            check_source(source)
        except ValueError as exc:
            problems.append((index, FieldError("source", str(exc))))
            continue
        record, errors = parse_record(fields, source=source)
        problems.extend((index, problem) for problem in errors)
        if record is None:
            continue
        key = (record.source, record.external_id)
        if key in first_seen:
            problems.append(
                (index, FieldError("external_id", f"duplicate of item {first_seen[key]} in this request"))
            )
            continue
        first_seen[key] = index
        records.append(record)
    return records, problems
