"""The component schemas of the /api/v1 OpenAPI document: what each resource and error looks like."""

from __future__ import annotations

from typing import Any


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    """A schema of ``kind`` that may also be null (OpenAPI 3.1 type lists)."""
    return {"type": [kind, "null"], **extra}


_STR, _INT, _NUM, _BOOL = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}
_DATE = nullable("string", format="date")
_TIME = nullable("string", format="date-time")
_SHARE = {"type": "number", "description": "0 to 1, to 4 decimal places (0.037 is 3.7%)."}
_PREVIOUS_SHARE = nullable("number", description="The previous period's share, to 4 decimal places.")
_SENTIMENT = nullable(
    "number",
    description=(
        "Tone of the words of the answer's reason (VADER's lexicon, politeness left out; a theme's "
        "is the mean): -1 (negative) to 1 (positive), to 3 decimal places. Not satisfaction: most "
        "plain complaints score 0; use the score for how unhappy customers were."
    ),
)
_INTERVAL = {
    "type": ["array", "null"],
    "items": _NUM,
    "minItems": 2,
    "maxItems": 2,
    "description": "95% Wilson interval of the share, to 4 decimal places",
}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": sorted(properties)}
    if description:
        schema["description"] = description
    return schema


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "properties": {"error": _STR, "message": _STR},
        "required": ["error", "message"],
    },
    "FieldErrors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "error": _STR,
            "more_errors": _INT,
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": nullable("integer"),
                        "field": nullable("string"),
                        "message": _STR,
                        "external_id": {
                            "type": "string",
                            "description": "The item's external_id, when it has one (POST /departures).",
                        },
                        "email": {
                            "type": "string",
                            "description": "The item's email, when it has no external_id (POST /departures).",
                        },
                    },
                },
            },
        },
    },
    "Customer": _object(
        {
            "id": _INT,
            "source": _STR,
            "external_id": _STR,
            "email": nullable("string"),
            "name": nullable("string"),
            "company": nullable("string"),
            "plan": nullable("string"),
            "segment": nullable("string"),
            "monthly_revenue_cents": nullable("integer"),
            "lifetime_value_cents": nullable("integer"),
            "tenure_months": nullable("integer"),
            "left_at": _DATE,
            "churn_type": nullable("string"),
            "language": nullable(
                "string",
                description="Primary language subtag from intake (`pt` for `pt-BR`); null if not given.",
            ),
            "returned_at": _DATE,
            "opted_out": _BOOL,
            "erased": _BOOL,
            "created_at": _TIME,
        },
        "A departed customer; money in integer cents.",
    ),
    "Response": _object(
        {
            "id": _INT,
            "customer_id": _INT,
            "survey": _STR,
            "source": {"type": "string", "enum": ["survey", "stripe", "chargebee", "paddle"]},
            "submitted_at": _TIME,
            "main_reason": nullable("string"),
            "score": nullable("number"),
            "sentiment": _SENTIMENT,
            "text": nullable("string"),
            "text_kind": {"type": "string", "enum": ["redacted", "raw"]},
            "text_redacted": _BOOL,
            "theme_id": nullable("integer"),
            "root_cause": nullable("string"),
        },
        "An answer: a survey response, or the reason and words from a billing provider's cancel form. "
        "`text` is the redacted text (null until the analysis has redacted it) unless `text=raw` was asked for.",
    ),
    "Theme": _object(
        {
            "id": _INT,
            "label": _STR,
            "root_cause": _STR,
            "keywords": {"type": "array", "items": _STR},
            "quotes": {"type": "array", "items": _STR},
            "customers": _INT,
            "share": _SHARE,
            "share_interval": _INTERVAL,
            "previous_share": _PREVIOUS_SHARE,
            "mrr_lost_cents": _INT,
            "ltv_lost_cents": _INT,
            "avg_score": nullable("number", description="Average score (0 to 10), to 2 decimal places."),
            "sentiment": _SENTIMENT,
            "is_new": _BOOL,
            "won_back": _INT,
            "first_seen": _DATE,
            "last_seen": _DATE,
        },
        "A theme with its figures for customers who left in the range.",
    ),
    "RootCause": _object(
        {
            "key": _STR,
            "name": _STR,
            "customers": _INT,
            "share": _SHARE,
            "share_interval": _INTERVAL,
            "previous_share": _PREVIOUS_SHARE,
            "mrr_lost_cents": _INT,
            "ltv_lost_cents": _INT,
            "theme_ids": {"type": "array", "items": _INT},
        },
        "A root cause with its figures for customers who left in the range.",
    ),
    "ActionItem": _object(
        {
            "id": _INT,
            "title": _STR,
            "root_cause": nullable("string"),
            "theme_id": nullable("integer"),
            "owner_team": _STR,
            "status": _STR,
            "actions": {"type": "array", "items": _STR},
            "due_date": _DATE,
            "shipped_at": _TIME,
            "created_at": _TIME,
            "updated_at": _TIME,
        },
        "An action item of the action plan.",
    ),
    "Filters": _object({"since": _DATE, "until": _DATE}),
    "Upserted": {
        "type": "object",
        "required": ["created", "updated", "unchanged", "customers"],
        "properties": {
            "created": _INT,
            "updated": _INT,
            "unchanged": _INT,
            "event": _STR,
            "feedback_response_id": nullable("integer"),
            "message": {
                "type": "string",
                "description": "A billing webhook's departure that came without an email: why, and where to send it.",
            },
            "customers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": _INT,
                        "id": nullable("integer"),
                        "source": _STR,
                        "external_id": _STR,
                        "status": _STR,
                    },
                },
            },
        },
    },
    "Acknowledged": {
        "type": "object",
        "properties": {
            "received": _BOOL,
            "event": _STR,
            "message": _STR,
            "ignored": _STR,
            "customer_id": _INT,
        },
    },
}
