"""API key scopes (``departures:write``, ``read``): chosen at creation in the CLI and on the admin
page, shown in both, and enforced by the API."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.models import ApiKey
from tests.helpers import csrf_token


def _raw(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("awk_"))


def test_cli_creates_a_read_key_and_lists_its_scopes(runner, client, db):
    result = runner.invoke(args=["apikeys", "create", "--label", "warehouse", "--scope", "read"])
    assert result.exit_code == 0, result.output
    assert "scopes: read" in result.output
    raw = _raw(result.output)
    assert client.get("/api/v1/customers", headers={"X-API-Key": raw}).status_code == 200
    assert client.post("/api/v1/departures", headers={"X-API-Key": raw}, json={}).status_code == 403
    listing = runner.invoke(args=["apikeys", "list"]).output
    assert "scopes" in listing and "read" in listing and "warehouse" in listing


def test_cli_default_is_write_only_and_both_scopes_can_be_given(runner, db):
    runner.invoke(args=["apikeys", "create", "--label", "billing"])
    runner.invoke(
        args=["apikeys", "create", "--label", "both", "--scope", "read", "--scope", "departures:write"]
    )
    scopes = dict(db.session.execute(select(ApiKey.label, ApiKey.scopes)).all())
    assert scopes == {"billing": "departures:write", "both": "departures:write read"}


def test_cli_help_says_raw_text_needs_read(runner):
    shown = " ".join(runner.invoke(args=["apikeys", "create", "--help"]).output.split())
    assert "responses:raw only with read" in shown, shown


def test_cli_refuses_an_unknown_scope_by_name(runner, db):
    result = runner.invoke(args=["apikeys", "create", "--label", "x", "--scope", "admin"])
    assert result.exit_code != 0 and "Unknown scope 'admin'" in result.output
    assert db.session.scalar(select(ApiKey)) is None


def test_admin_page_creates_a_read_key_and_shows_what_each_key_may_do(client, login, db):
    login("admin")
    page = client.get("/dashboard/admin/api-keys")
    assert "Read customers, answers, root causes, themes and action items" in page.get_data(as_text=True)
    none = client.post("/dashboard/admin/api-keys", data={"label": "nothing", "csrf_token": csrf_token(page)})
    assert none.status_code == 400 and "at least one scope" in none.get_data(as_text=True)
    created = client.post(
        "/dashboard/admin/api-keys",
        data={"label": "warehouse", "can_read": "y", "csrf_token": csrf_token(page)},
    )
    assert created.status_code == 200
    assert db.session.scalar(select(ApiKey.scopes)) == "read"
    listing = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    assert "warehouse" in listing and "Read customers, answers" in listing
    assert "openapi.json" in listing


def test_the_admin_page_names_every_endpoint_the_write_scope_opens(client, login, db):
    """Walk (integrator): winback.md sends monthly counts to POST /api/v1/active-counts with a
    departures:write key, but the key page said that box was for /api/v1/departures only."""
    login("admin")
    page = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    assert "POST /api/v1/departures and /api/v1/active-counts (scope departures:write)" in page


def test_cli_grants_raw_text_only_when_asked_and_lists_it(runner, db):
    result = runner.invoke(
        args=["apikeys", "create", "--label", "auditor", "--scope", "read", "--scope", "responses:raw"]
    )
    assert result.exit_code == 0 and "scopes: read responses:raw" in result.output
    runner.invoke(args=["apikeys", "create", "--label", "warehouse", "--scope", "read"])
    scopes = dict(db.session.execute(select(ApiKey.label, ApiKey.scopes)).all())
    assert scopes == {"auditor": "read responses:raw", "warehouse": "read"}
    assert "read responses:raw" in runner.invoke(args=["apikeys", "list"]).output


def test_admin_page_grants_raw_text_only_when_ticked(client, login, db):
    login("admin")
    page = client.get("/dashboard/admin/api-keys")
    assert "responses:raw" in page.get_data(as_text=True)
    for label, extra in (("plain", {}), ("auditor", {"can_read_raw": "y"})):
        client.post(
            "/dashboard/admin/api-keys",
            data={"label": label, "can_read": "y", **extra, "csrf_token": csrf_token(page)},
        )
    scopes = dict(db.session.execute(select(ApiKey.label, ApiKey.scopes)).all())
    assert scopes == {"plain": "read", "auditor": "read responses:raw"}


def test_raw_text_without_read_is_refused_in_the_cli_and_on_the_page(runner, client, login, db):
    """``responses:raw`` alone could read nothing (raw text comes through the read endpoints), so a
    key asking for it without ``read`` is refused, naming both, instead of made useless or widened."""
    result = runner.invoke(args=["apikeys", "create", "--label", "auditor", "--scope", "responses:raw"])
    assert result.exit_code != 0
    assert "The scope 'responses:raw' works only with 'read'" in result.output
    login("admin")
    page = client.get("/dashboard/admin/api-keys")
    refused = client.post(
        "/dashboard/admin/api-keys",
        data={"label": "auditor", "can_read_raw": "y", "csrf_token": csrf_token(page)},
    )
    assert refused.status_code == 400
    assert "The scope &#39;responses:raw&#39; works only with &#39;read&#39;" in refused.get_data(
        as_text=True
    )
    assert db.session.scalar(select(ApiKey)) is None
