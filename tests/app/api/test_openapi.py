"""/api/v1/openapi.json: an OpenAPI 3.1 document that names every /api/v1 route and method, and
whose schemas the real answers match."""

from __future__ import annotations

import re

import pytest

from tests.app.api.schema_check import problems


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _served(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_documented_and_every_documented_path_is_served(app, spec):
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    served = _served(app)
    assert served - documented == set(), "routes missing from the OpenAPI document"
    assert documented - served == set(), "documented paths the app does not serve"


def test_document_is_openapi_3_1_with_resolvable_references(spec):
    assert spec["openapi"].startswith("3.1") and spec["servers"][0]["url"].endswith("/api/v1")
    text = repr(spec)
    for name in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert name in spec["components"]["schemas"], name
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["responses"] and operation["summary"]
            for requirement in operation.get("security", []):
                assert set(requirement) <= set(spec["components"]["securitySchemes"])


@pytest.mark.parametrize("path", ["/customers", "/responses", "/root-causes", "/themes", "/action-items"])
def test_answers_match_their_documented_schema(client, world, read_key, spec, path):
    operation = spec["paths"][path]["get"]
    for params, status in (({}, "200"), ({"limit": 1}, "200"), ({"since": "bad"}, "400")):
        response = client.get(
            f"/api/v1{path}", query_string=params, headers={"Authorization": f"Bearer {read_key}"}
        )
        assert str(response.status_code) == status
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert problems(response.get_json(), schema, spec) == []
    unauthorised = client.get(f"/api/v1{path}")
    schema = operation["responses"]["401"]["content"]["application/json"]["schema"]
    assert problems(unauthorised.get_json(), schema, spec) == []


def test_the_server_url_is_the_configured_public_address_whatever_the_host_header(app, client):
    """A forged Host header must not put another domain into the document: a cache in front that
    does not key on Host, or a client generated from the copy, would send API keys there."""
    app.config["PUBLIC_BASE_URL"] = "https://afterword.example.com/"
    spec = client.get("/api/v1/openapi.json", base_url="http://evil.example").get_json()
    assert spec["servers"] == [{"url": "https://afterword.example.com/api/v1"}]
