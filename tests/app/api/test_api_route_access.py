"""Every /api/v1 route x {no key, a key without the scope, a revoked key, a staff session}: the
API's access policy from one table, as ``tests/app/web/test_route_access.py`` is the dashboard's.

A route missing from the table fails the test, so a new endpoint cannot ship without a decision
(a scope, a provider's signature, or open like the OpenAPI document).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from feedback_app import extensions
from feedback_app.models import API_SCOPES, DepartedCustomer
from feedback_app.services.accounts.api_keys import NEEDS, create_key, revoke_key

#: endpoint -> the scope its key needs.
KEYED = {
    "api.departures": "departures:write",
    "api.active_counts": "departures:write",
    "api.read_customers": "read",
    "api.read_responses": "read",
    "api.read_root_causes": "read",
    "api.read_themes": "read",
    "api.read_action_items": "read",
}
#: Billing webhooks: the provider's signature (or Basic auth) is the credential, never an API key.
SIGNED = {"api.stripe_webhook", "api.chargebee_webhook", "api.paddle_webhook"}
#: No credential by design.
OPEN = {"api.openapi_document"}

DEPARTURE = {"external_id": "x-1", "email": "sam@example.com", "left_at": "2026-10-01"}


def _api_routes(app) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, rule.rule))
    return sorted(routes)


def _key(scope: str) -> str:
    """A key holding ``scope`` alone; one that is no longer made alone (``responses:raw``) is
    stored as a key made before that rule would be."""
    if scope not in NEEDS:
        return create_key(f"only {scope}", actor="test", scopes=[scope])[1]
    key, secret = create_key(f"only {scope}", actor="test", scopes=[NEEDS[scope], scope])
    key.scopes = scope
    extensions.db.session.commit()
    return secret


def _call(client, method: str, path: str, headers: dict[str, str] | None = None):
    body = DEPARTURE if method == "POST" else None
    return client.open(path, method=method, json=body, headers=headers or {})


def test_every_api_route_has_an_access_decision(app):
    endpoints = {endpoint for endpoint, _method, _path in _api_routes(app)}
    undecided = endpoints - set(KEYED) - SIGNED - OPEN
    assert not undecided, f"API routes with no entry in the access table: {sorted(undecided)}"
    assert set(KEYED.values()) <= set(API_SCOPES)


@pytest.mark.parametrize("credential", ["none", "malformed", "in the query string", "staff session"])
def test_keyed_routes_refuse_a_request_without_a_valid_key(app, client, login, db, credential):
    if credential == "staff session":
        login("admin")
    problems = []
    for endpoint, method, path in _api_routes(app):
        if endpoint not in KEYED:
            continue
        headers = {"X-API-Key": "awk_not-a-real-key"} if credential == "malformed" else {}
        url = f"{path}?api_key={_key(KEYED[endpoint])}" if credential == "in the query string" else path
        response = _call(client, method, url, headers)
        if response.status_code != 401 or not response.is_json or "WWW-Authenticate" not in response.headers:
            problems.append(f"{method} {path}: {response.status_code}, expected a JSON 401")
    assert not problems, "\n".join(problems)
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 0


def test_keyed_routes_refuse_a_key_without_their_scope_and_a_revoked_one(app, client, db):
    problems = []
    for endpoint, method, path in _api_routes(app):
        if endpoint not in KEYED:
            continue
        scope = KEYED[endpoint]
        others = [s for s in API_SCOPES if s != scope]
        for other in others:
            response = _call(client, method, path, {"Authorization": f"Bearer {_key(other)}"})
            if response.status_code != 403 or scope not in response.get_json()["message"]:
                problems.append(f"{method} {path} with a '{other}' key: {response.status_code}, expected 403")
        revoked = _key(scope)
        revoke_key(revoked[:12], actor="test")
        response = _call(client, method, path, {"X-API-Key": revoked})
        if response.status_code != 401:
            problems.append(f"{method} {path} with a revoked key: {response.status_code}, expected 401")
        allowed = _call(client, method, path, {"X-API-Key": _key(scope)})
        if allowed.status_code in (401, 403):
            problems.append(f"{method} {path} with a '{scope}' key: {allowed.status_code}, expected access")
    assert not problems, "\n".join(problems)


def test_billing_webhooks_refuse_unsigned_events_even_with_an_api_key(app, client, db):
    app.config.update(
        STRIPE_WEBHOOK_SECRET="whsec_test",
        PADDLE_WEBHOOK_SECRET="pdl_test",
        CHARGEBEE_WEBHOOK_USERNAME="chargebee",
        CHARGEBEE_WEBHOOK_PASSWORD="secret",
    )
    every_scope = create_key("all", actor="test", scopes=list(API_SCOPES))[1]
    problems = []
    for endpoint, method, path in _api_routes(app):
        if endpoint not in SIGNED:
            continue
        for headers in ({}, {"Authorization": f"Bearer {every_scope}"}):
            response = _call(client, method, path, headers)
            if response.status_code not in (400, 401):
                problems.append(
                    f"{method} {path} {sorted(headers)}: {response.status_code}, expected 400/401"
                )
    assert not problems, "\n".join(problems)
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 0


def test_open_api_routes_need_no_key(app, client):
    for endpoint, method, path in _api_routes(app):
        if endpoint in OPEN:
            assert _call(client, method, path).status_code == 200, path
