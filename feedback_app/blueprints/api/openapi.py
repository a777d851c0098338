"""The OpenAPI 3.1 document for /api/v1, kept true by ``tests/app/api/test_openapi.py`` (every
route documented, every documented path served, answers matching their schemas). The paths are
here; the component schemas are in ``openapi_schemas``."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from feedback_app.blueprints.api.openapi_schemas import SCHEMAS, nullable
from feedback_app.models import API_SCOPES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": _json(_ref("Error"), "A bad query parameter, named in the message."),
    "401": _json(_ref("Error"), "No valid API key (or two different keys in the two headers)."),
    "403": _json(_ref("Error"), "The key lacks the `read` scope (named in the message)."),
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
            "next_cursor": nullable("string"),
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
    """The document, with the server URL of this app: ``PUBLIC_BASE_URL``, as every link in an email
    (never the request's Host header, which a client can set to any domain)."""
    scopes = {scope: words for scope, words in API_SCOPES.items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Afterword API",
            "version": "1",
            "description": "Send departed customers in and read what they told you out. Keys are created "
            "by an admin (API keys page or `flask apikeys create --scope read`).",
        },
        "servers": [
            {
                "url": current_app.config["PUBLIC_BASE_URL"].rstrip("/")
                + url_for("api.departures").rsplit("/departures", 1)[0]
            }
        ],
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
                        "description": "`redacted`: personal data replaced; `raw`: the words as written, "
                        "names, emails and phone numbers included. `raw` needs the `responses:raw` scope "
                        "as well as `read` (else `403` naming it), and each raw page is audit-logged.",
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
