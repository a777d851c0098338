"""``POST /api/v1/active-counts``: customers active at the start of each month, for churn rates."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.api.auth import key_with_scope
from feedback_app.blueprints.api.helpers import (
    field_errors,
    parse_json,
    read_body,
)
from feedback_app.blueprints.api.routes import bp
from feedback_app.models import ApiKey
from feedback_app.services.insights import churn_rates


@bp.post("/active-counts")
def active_counts() -> ResponseReturnValue:
    """One count ``{"month": "2026-09", "active_customers": 1200, "segment"?, "plan"?, "mrr"?}`` or a list;
    all are saved, or none (422 listing each problem by index and field)."""
    key = key_with_scope("departures:write")
    if not isinstance(key, ApiKey):
        return key
    payload = parse_json(read_body())
    items = payload if isinstance(payload, list) else [payload]
    records: list[churn_rates.CountRecord] = []
    problems: list[tuple[int | None, churn_rates.RowProblem]] = []
    seen: dict[tuple, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append((index, churn_rates.RowProblem(index, None, "each count must be a JSON object")))
            continue
        record, found = churn_rates.parse_count(item, index)
        problems.extend((index, p) for p in found)
        if record is not None:
            key_ = (record.month, record.segment, record.plan)
            if key_ in seen:
                problems.append((index, churn_rates.RowProblem(index, "month", f"repeats item {seen[key_]}")))
                continue
            seen[key_] = index
            records.append(record)
    if not items:
        problems.append(
            (None, churn_rates.RowProblem(None, None, "the list is empty; send at least one count"))
        )
    if problems:
        return field_errors(problems)
    saved = churn_rates.save(records, source="api", actor=f"api-key:{key.prefix}")
    return jsonify({"saved": saved}), 200
