"""POST /api/v1/departures: departed customers sent by another system with an API key."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from feedback_app.models import AuditEvent, DepartedCustomer

URL = "/api/v1/departures"
ANN = {
    "external_id": "c-1",
    "email": "Ann@Example.com",
    "name": "Ann Lee",
    "plan": "team",
    "monthly_revenue": 79.99,
    "lifetime_value": "959.88",
    "tenure_months": 12,
    "left_at": "2026-10-01",
    "churn_type": "voluntary",
    "contact_consent": True,
}
BO = {"external_id": "c-2", "email": "bo@example.com", "left_at": "2026-10-02"}


def post(client, body, key=None, header="Authorization", raw=False):
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers[header] = f"Bearer {key}" if header == "Authorization" else key
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, headers=headers)


def count(db) -> int:
    return db.session.scalar(select(func.count(DepartedCustomer.id)))


def test_one_customer_is_created_with_exact_cents(client, db, api_key):
    response = post(client, ANN, api_key)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["created"] == 1 and body["customers"][0]["status"] == "created"
    stored = db.session.get(DepartedCustomer, body["customers"][0]["id"])
    assert (stored.source, stored.external_id, stored.email) == ("api", "c-1", "ann@example.com")
    assert (stored.monthly_revenue_cents, stored.lifetime_value_cents) == (7999, 95988)
    assert stored.contact_consent is True
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.api_intake"))
    assert event.actor.startswith("api-key:awk_") and event.details["created"] == 1


def test_a_list_is_accepted_and_resending_it_is_idempotent(client, db, api_key):
    first = post(client, [ANN, BO], api_key)
    assert first.status_code == 201
    ids = [c["id"] for c in first.get_json()["customers"]]
    again = post(client, [ANN, BO], api_key)
    assert again.status_code == 200
    assert again.get_json()["unchanged"] == 2
    assert [c["id"] for c in again.get_json()["customers"]] == ids
    assert count(db) == 2


def test_a_changed_customer_is_updated_and_can_be_marked_returned(client, db, api_key):
    post(client, ANN, api_key)
    response = post(client, ANN | {"returned_at": "2026-11-20"}, api_key, header="X-API-Key")
    assert response.status_code == 200
    assert response.get_json()["updated"] == 1
    db.session.expire_all()
    assert db.session.scalar(select(DepartedCustomer.returned_at)) == date(2026, 11, 20)


def test_source_field_separates_systems(client, db, api_key):
    post(client, ANN, api_key)
    response = post(client, ANN | {"source": "crm"}, api_key)
    assert response.status_code == 201
    assert response.get_json()["customers"][0]["source"] == "crm"
    assert count(db) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer awk_not-a-real-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Key": "wrong"},
    ],
)
def test_missing_or_wrong_key_is_401_and_writes_nothing(client, db, api_key, headers):
    response = client.post(URL, json=ANN, headers=headers)
    assert response.status_code == 401
    assert "API key" in response.get_json()["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(db) == 0


def test_revoked_key_is_401(client, db, runner, api_key):
    from feedback_app.services.accounts.api_keys import revoke_key

    revoke_key(api_key[:12])
    response = post(client, ANN, api_key)
    assert response.status_code == 401
    assert count(db) == 0


def test_422_lists_every_problem_by_index_and_field_and_writes_nothing(client, db, api_key):
    bad = {
        "external_id": "c-3",
        "email": "not-an-email",
        "left_at": "yesterday",
        "monthly_revenue": -5,
        "churn_type": "rage quit",
        "tenure_months": 2.5,
        "plann": "team",
    }
    response = post(client, [ANN, bad, {"email": "x@example.com", "left_at": "2026-10-01"}, "c-4"], api_key)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    found = {(e["index"], e["field"]) for e in errors}
    assert {
        (1, "email"),
        (1, "left_at"),
        (1, "monthly_revenue"),
        (1, "churn_type"),
        (1, "tenure_months"),
        (1, "plann"),
        (2, "external_id"),
        (3, None),
    } <= found
    assert (0, "email") not in found
    messages = {(e["index"], e["field"]): e["message"] for e in errors}
    assert "negative" in messages[(1, "monthly_revenue")]
    assert "unknown field" in messages[(1, "plann")]
    assert "must be a JSON object" in messages[(3, None)]
    assert count(db) == 0  # all or nothing: the good item is not stored either
    # Each problem names its item by external_id, else email: what a sender's log can be searched for.
    named = {(e["index"], e.get("external_id"), e.get("email")) for e in errors}
    assert named == {(1, "c-3", None), (2, None, "x@example.com"), (3, None, None)}


def test_duplicate_ids_in_one_request_are_422(client, db, api_key):
    response = post(client, [ANN, ANN | {"name": "Other"}], api_key)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {
            "index": 1,
            "field": "external_id",
            "message": "duplicate of item 0 in this request",
            "external_id": ANN["external_id"],
        }
    ]
    assert count(db) == 0


def test_empty_list_and_bad_source_are_422(client, db, api_key):
    assert post(client, [], api_key).status_code == 422
    response = post(client, ANN | {"source": "Not Valid!"}, api_key)
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "source"


@pytest.mark.parametrize(
    "body", ['{"external_id": "c-1",', "not json", '{"a": 1} trailing', b"\xff\xfe\x00garbage"]
)
def test_malformed_json_is_400_and_writes_nothing(client, db, api_key, body):
    response = post(client, body, api_key, raw=True)
    assert response.status_code == 400
    assert "not" in response.get_json()["message"] and "JSON" in response.get_json()["message"]
    assert count(db) == 0


def test_oversized_body_is_413_and_writes_nothing(app, client, db, api_key):
    app.config["API_MAX_BODY_BYTES"] = 2000
    big = [BO | {"external_id": f"c-{i}", "name": "x" * 100} for i in range(30)]
    response = post(client, big, api_key)
    assert response.status_code == 413
    assert "larger than 2000 bytes" in response.get_json()["message"]
    assert count(db) == 0


def test_oversized_chunked_body_without_length_is_413(app, client, db, api_key):
    """A chunked upload declares no length; the body read itself stops at the limit."""
    import io

    app.config["API_MAX_BODY_BYTES"] = 100
    response = client.post(
        URL,
        input_stream=io.BytesIO(json.dumps(ANN).encode()),
        headers={"Authorization": f"Bearer {api_key}", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert count(db) == 0


def test_key_use_is_recorded(client, db, api_key):
    from feedback_app.models import ApiKey

    post(client, ANN, api_key)
    db.session.expire_all()
    assert db.session.scalar(select(ApiKey.last_used_at)) is not None


def test_two_concurrent_requests_for_the_same_new_customer_store_one_row(app, db, api_key, monkeypatch):
    """Both requests look the customer up before either inserts (forced with a barrier); the loser
    of the unique-key race retries, finds the row, and answers 200."""
    import threading

    from feedback_app.services.customers import store as customer_service

    both_looked = threading.Barrier(2)
    local = threading.local()
    original = customer_service._existing

    def existing_then_wait(source, external_ids):
        found = original(source, external_ids)
        if not getattr(local, "waited", False):
            local.waited = True
            both_looked.wait(timeout=10)
        return found

    monkeypatch.setattr(customer_service, "_existing", existing_then_wait)
    statuses: list[int] = []

    def send() -> None:
        statuses.append(post(app.test_client(), ANN, api_key).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert count(db) == 1


def test_a_departure_more_than_a_year_ahead_is_422_naming_left_at(client, db, api_key):
    response = post(client, [BO, dict(ANN, left_at="2031-01-01")], api_key)
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert (error["index"], error["field"]) == (1, "left_at")
    assert "more than 365 days from today" in error["message"] and "check the year" in error["message"]
    assert count(db) == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        # "has more than 2 decimal places" sent the integrator looking for decimals that are not there
        ("monthly_revenue", "NaN", "'NaN' is not a number; write an amount such as 79.00"),
        ("lifetime_value", "Infinity", "'Infinity' is not a number; write an amount such as 79.00"),
        ("monthly_revenue", 1e20, "is too large (at most 21474836.47)"),
        # the message showed Python's Decimal('12.5') for the JSON number 12.5
        ("tenure_months", 12.5, "12.5 is not a whole number of months"),
    ],
)
def test_a_value_that_is_not_an_amount_or_a_count_is_named_as_such(
    client, db, api_key, field, value, message
):
    response = post(client, {**BO, field: value}, api_key)
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["field"] == field and message in error["message"], error
    assert count(db) == 0
