"""`flask apikeys create|list|revoke`: keys shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from feedback_app.models import ApiKey, AuditEvent


def create(runner, label="billing system"):
    result = runner.invoke(args=["apikeys", "create", "--label", label])
    assert result.exit_code == 0, result.output
    raw = [line for line in result.output.splitlines() if line.startswith("awk_")][0]
    return raw, result


def test_create_prints_the_key_once_and_stores_only_its_hash(runner, db):
    raw, result = create(runner)
    assert "not shown again" in result.output
    key = db.session.scalar(select(ApiKey))
    assert key.label == "billing system"
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (key.key_hash, key.prefix) and raw.startswith(key.prefix)
    assert len(raw) > 40  # 256 random bits
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "apikey.create"))


def test_created_key_works_on_the_api(runner, client):
    raw, _ = create(runner)
    response = client.post(
        "/api/v1/departures",
        headers={"X-API-Key": raw},
        json={"external_id": "c-1", "email": "a@example.com", "left_at": "2026-10-01"},
    )
    assert response.status_code == 201


def test_list_shows_prefix_status_and_label_but_never_the_key(runner):
    raw, _ = create(runner, "crm")
    result = runner.invoke(args=["apikeys", "list"])
    assert result.exit_code == 0
    assert "crm" in result.output and raw[:12] in result.output and "active" in result.output
    assert raw not in result.output


def test_list_without_keys_says_how_to_create_one(runner):
    assert "apikeys create" in runner.invoke(args=["apikeys", "list"]).output


def test_revoke_by_id_or_prefix_stops_the_key(runner, client, db):
    raw, _ = create(runner)
    other, _ = create(runner, "second")
    assert runner.invoke(args=["apikeys", "revoke", "1"]).exit_code == 0
    result = runner.invoke(args=["apikeys", "revoke", other[:12]])
    assert result.exit_code == 0 and "Revoked API key 2" in result.output
    body = {"external_id": "c-1", "email": "a@example.com", "left_at": "2026-10-01"}
    for key in (raw, other):
        assert client.post("/api/v1/departures", headers={"X-API-Key": key}, json=body).status_code == 401
    assert "revoked" in runner.invoke(args=["apikeys", "list"]).output


def test_revoke_unknown_key_and_empty_label_fail_clearly(runner):
    result = runner.invoke(args=["apikeys", "revoke", "99"])
    assert result.exit_code == 1 and "No API key with id or prefix '99'" in result.output
    result = runner.invoke(args=["apikeys", "create", "--label", "  "])
    assert result.exit_code == 1 and "label must be 1 to 100 characters" in result.output
