"""API-key checks for the JSON API: 401 without a valid key, 403 when the key lacks the scope."""

from __future__ import annotations

from flask import Response, request

from feedback_app.blueprints.api.helpers import error
from feedback_app.models import ApiKey
from feedback_app.services.accounts import api_keys


def key_with_scope(*scopes: str) -> ApiKey | Response:
    """The request's active key when it carries every one of ``scopes``, else the error response
    to return (a 403 names the first scope missing)."""
    key = api_keys.authenticate(
        api_keys.key_from_headers(request.headers.get("Authorization"), request.headers.get("X-API-Key"))
    )
    if key is None:
        response = error(
            401, "A valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="afterword"'
        return response
    missing = next((scope for scope in scopes if not key.allows(scope)), None)
    if missing is not None:
        return error(
            403,
            f"This API key may not do this: it needs the scope '{missing}' (it has: {key.scopes}). "
            "An admin can create a key with that scope on the API keys page.",
        )
    return key
