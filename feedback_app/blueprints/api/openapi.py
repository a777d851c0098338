"""The OpenAPI 3.1 document for /api/v1, kept true by ``tests/app/api/test_openapi.py`` (every
route documented, every documented path served, answers matching their schemas)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from feedback_app.models import API_SCOPES


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


_STR, _INT, _NUM, _BOOL = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}
_DATE = _nullable("string", format="date")
_TIME = _nullable("string", format="date-time")
_INTERVAL = {
    "type": ["array", "null"],
    "items": _NUM,
    "minItems": 2,
    "maxItems": 2,
    "description": "95% Wilson interval of the share",
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
                        "index": _nullable("integer"),
                        "field": _nullable("string"),
                        "message": _STR,
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
            "email": _nullable("string"),
            "name": _nullable("string"),
            "company": _nullable("string"),
            "plan": _nullable("string"),
            "segment": _nullable("string"),
            "monthly_revenue_cents": _nullable("integer"),
            "lifetime_value_cents": _nullable("integer"),
            "tenure_months": _nullable("integer"),
            "left_at": _DATE,
            "churn_type": _nullable("string"),
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
            "main_reason": _nullable("string"),
            "score": _nullable("number"),
            "sentiment": _nullable("number"),
            "text": _nullable("string"),
            "text_kind": {"type": "string", "enum": ["redacted", "raw"]},
            "text_redacted": _BOOL,
            "theme_id": _nullable("integer"),
            "root_cause": _nullable("string"),
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
            "share": _NUM,
            "share_interval": _INTERVAL,
            "previous_share": _nullable("number"),
            "mrr_lost_cents": _INT,
            "ltv_lost_cents": _INT,
            "avg_score": _nullable("number"),
            "sentiment": _nullable("number"),
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
            "share": _NUM,
            "share_interval": _INTERVAL,
            "previous_share": _nullable("number"),
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
            "root_cause": _nullable("string"),
            "theme_id": _nullable("integer"),
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
            "feedback_response_id": _nullable("integer"),
            "customers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": _INT,
                        "id": _nullable("integer"),
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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": _json(_ref("Error"), "A bad query parameter, named in the message."),
    "401": _json(_ref("Error"), "No valid API key (or two different keys in the two headers)."),
    "403": _json(_ref("Error"), "The key lacks the `read` scope."),
}
#: Every /api/v1 request counts against ``RATELIMIT_API`` per client address.
_TOO_MANY = {
    "429": {
        **_json(_ref("Error"), "Too many requests from this address; wait and try again."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait.",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
            }
        },
    }
}
#: A day reports cover: 1970-01-01 to 2999-12-31 (``metrics.FIRST_FILTER_DATE``/``LAST_FILTER_DATE``).
_DAY = {"type": "string", "format": "date", "pattern": "^(19[7-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"}
_LIST_PARAMETERS = [
    {
        "name": "since",
        "in": "query",
        "schema": _DAY,
        "description": "First day of the range (YYYY-MM-DD, 1970-01-01 to 2999-12-31), inclusive.",
    },
    {
        "name": "until",
        "in": "query",
        "schema": _DAY,
        "description": "Last day of the range (YYYY-MM-DD, 1970-01-01 to 2999-12-31), inclusive; not before "
        "`since`.",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    },
    {
        "name": "cursor",
        "in": "query",
        "schema": {"type": "string"},
        "description": "`next_cursor` of the previous page, with the same filters.",
    },
]


def _list(
    item: str, summary: str, range_on: str, extra: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    page = {
        "type": "object",
        "required": ["data", "next_cursor", "filters"],
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "next_cursor": _nullable("string"),
            "filters": _ref("Filters"),
        },
    }
    return {
        "get": {
            "summary": summary,
            "description": f"The date range applies to {range_on}.",
            "security": [{"apiKey": ["read"]}, {"bearer": ["read"]}],
            "parameters": _LIST_PARAMETERS + (extra or []),
            "responses": {
                "200": _json(page, "One page; `next_cursor` is null on the last."),
                **_ERRORS,
                **_TOO_MANY,
            },
        }
    }


def _webhook(summary: str, security: str, description: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": description,
            "security": [{security: []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "201": _json(_ref("Upserted"), "A departure created a customer."),
                "200": _json(
                    {"oneOf": [_ref("Upserted"), _ref("Acknowledged")]},
                    "Updated, returned, duplicate (already processed) or ignored.",
                ),
                "400": _json(_ref("Error"), "Bad signature, stale timestamp or malformed JSON."),
                "401": _json(_ref("Error"), "Missing or wrong credentials."),
                "413": _json(_ref("Error"), "The body is too large."),
                "422": _json(_ref("FieldErrors"), "Authentic, but a field is invalid; nothing stored."),
                **_TOO_MANY,
                "503": _json(_ref("Error"), "The endpoint's secret is not configured."),
            },
        }
    }


def document() -> dict[str, Any]:
    """The document, with the server URL of this app."""
    scopes = {scope: words for scope, words in API_SCOPES.items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Afterword API",
            "version": "1",
            "description": "Send departed customers in and read what they told you out. Keys are created "
            "by an admin (API keys page or `flask apikeys create --scope read`).",
        },
        "servers": [{"url": url_for("api.departures", _external=True).rsplit("/departures", 1)[0]}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An API key. Scopes: {scopes}",
                },
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "stripeSignature": {"type": "apiKey", "in": "header", "name": "Stripe-Signature"},
                "paddleSignature": {"type": "apiKey", "in": "header", "name": "Paddle-Signature"},
                "chargebeeBasic": {"type": "http", "scheme": "basic"},
            },
        },
        "paths": {
            "/departures": {
                "post": {
                    "summary": "Send one departed customer (an object) or several (a list)",
                    "security": [{"bearer": ["departures:write"]}, {"apiKey": ["departures:write"]}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"type": "object"},
                                        {"type": "array", "items": {"type": "object"}},
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _json(_ref("Upserted"), "At least one customer created."),
                        "200": _json(_ref("Upserted"), "Every customer existed already."),
                        "400": _ERRORS["400"],
                        "401": _ERRORS["401"],
                        "403": _json(_ref("Error"), "The key lacks the `departures:write` scope."),
                        "413": _json(_ref("Error"), "The body is too large."),
                        "422": _json(_ref("FieldErrors"), "A customer is invalid; nothing stored."),
                        **_TOO_MANY,
                    },
                }
            },
            "/active-counts": {
                "post": {
                    "summary": "Send active-customer counts per month (one object or a list), for churn rates",
                    "security": [{"bearer": ["departures:write"]}, {"apiKey": ["departures:write"]}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"type": "object"},
                                        {"type": "array", "items": {"type": "object"}},
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json(
                            {"type": "object", "properties": {"saved": {"type": "integer"}}},
                            "Every count saved (a month sent again replaces its count).",
                        ),
                        "400": _ERRORS["400"],
                        "401": _ERRORS["401"],
                        "403": _json(_ref("Error"), "The key lacks the `departures:write` scope."),
                        "413": _json(_ref("Error"), "The body is too large."),
                        "422": _json(_ref("FieldErrors"), "A count is invalid; nothing saved."),
                        **_TOO_MANY,
                    },
                }
            },
            "/customers": _list("Customer", "Departed customers", "the departure date (`left_at`)"),
            "/responses": _list(
                "Response",
                "Answers",
                "the submission date",
                [
                    {
                        "name": "text",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["redacted", "raw"], "default": "redacted"},
                    }
                ],
            ),
            "/root-causes": _list(
                "RootCause", "Root causes with their figures", "the customers' departure date"
            ),
            "/themes": _list("Theme", "Themes with their figures", "the customers' departure date"),
            "/action-items": _list("ActionItem", "Action items", "the creation date"),
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_TOO_MANY,
                    },
                }
            },
            "/webhooks/stripe": _webhook(
                "Stripe subscription events",
                "stripeSignature",
                "customer.subscription.deleted, .created and .updated.",
            ),
            "/webhooks/chargebee": _webhook(
                "Chargebee subscription events",
                "chargebeeBasic",
                "subscription_cancelled, subscription_reactivated, subscription_resumed.",
            ),
            "/webhooks/paddle": _webhook(
                "Paddle Billing subscription events",
                "paddleSignature",
                "subscription.canceled, subscription.activated, subscription.resumed.",
            ),
        },
    }
