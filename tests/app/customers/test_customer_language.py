"""The customer's language at every door: CSV, the departures API and billing webhooks, checked
once (``services/validation/languages.py``) and stored as the primary language."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from feedback_app.models import DepartedCustomer
from feedback_app.services.billing import chargebee, stripe
from feedback_app.services.customers.csv_import import import_csv
from feedback_app.services.customers.records import parse_record
from feedback_app.services.validation.languages import InvalidLanguage, check_language
from tests.app.billing.samples import load

BASE = {"external_id": "c-1", "email": "ann@example.com", "left_at": "2026-10-01"}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("es", "es"),
        ("pt-BR", "pt"),
        ("de_DE", "de"),
        ("FR", "fr"),
        ("zh-Hant-TW", "zh"),
        ("en_US.UTF-8", "en"),
    ],
)
def test_language_codes_are_stored_as_the_primary_language(given, stored):
    assert check_language(given) == stored


@pytest.mark.parametrize("given", ["", "e", "english please", "12", "pt--BR", "de_DE@euro!", None, 7])
def test_anything_else_is_refused_saying_what_was_given(given):
    with pytest.raises(InvalidLanguage, match="is not a language code; write one such as en, es"):
        check_language(given)


def test_language_and_locale_are_two_names_for_one_field():
    record, errors = parse_record({**BASE, "locale": "pt-BR"}, source="api")
    assert errors == [] and record.language == "pt" and "language" in record.provided
    _, errors = parse_record({**BASE, "language": "Spanish!"}, source="api")
    assert [(e.field, e.message[:40]) for e in errors] == [
        ("language", "'Spanish!' is not a language code; write")
    ]
    _, errors = parse_record({**BASE, "language": "es", "locale": "de"}, source="api")
    assert errors and errors[0].field == "locale" and "contradicts language 'es'" in errors[0].message


def test_csv_import_stores_the_language_and_names_a_bad_one_by_line_and_column(db):
    data = (
        b"external_id,email,left_at,language\n"
        b"c-1,ann@example.com,2026-10-01,es-MX\n"
        b"c-2,bo@example.com,2026-10-02,\n"
        b"c-3,cy@example.com,2026-10-03,xx yy\n"
    )
    report = import_csv(data, actor="test")
    assert report.created == 2 and report.rejected == 1
    assert str(report.errors[0]).startswith(
        "line 4 (external_id c-3), column language: 'xx yy' is not a language code"
    )
    stored = dict(db.session.execute(select(DepartedCustomer.external_id, DepartedCustomer.language)).all())
    assert stored == {"c-1": "es", "c-2": None}


def test_the_departures_api_takes_a_locale(client, db, api_key):
    body = {**BASE, "locale": "de-AT"}
    response = client.post(
        "/api/v1/departures",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    assert response.status_code in (200, 201), response.get_json()
    assert db.session.scalar(select(DepartedCustomer.language)) == "de"
    bad = client.post(
        "/api/v1/departures",
        data=json.dumps({**BASE, "language": "!!"}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    assert bad.status_code == 422 and "language" in json.dumps(bad.get_json())


def test_stripe_gives_the_customer_first_preferred_locale():
    event = load("stripe_subscription_deleted")
    event["data"]["object"]["customer"] = {
        "id": "cus_1",
        "email": "a@example.com",
        "preferred_locales": ["fr-CA", "en"],
    }
    record, errors = stripe.record_from_event(event)
    assert errors == [] and record.language == "fr"
    event["data"]["object"]["customer"]["preferred_locales"] = []
    record, errors = stripe.record_from_event(event)
    assert errors == [] and record.language is None
    event["data"]["object"]["customer"]["preferred_locales"] = [42]
    record, errors = stripe.record_from_event(event)
    assert (
        record is None and errors[0].field == "language" and "42 is not a language code" in errors[0].message
    )


def test_chargebee_gives_the_customer_locale_and_a_bad_one_is_named():
    event = load("chargebee_subscription_cancelled")
    event["content"]["customer"]["locale"] = "pt-BR"
    departure, errors = chargebee.departure_from_event(event)
    assert errors == [] and departure.record.language == "pt"
    event["content"]["customer"]["locale"] = "??"
    departure, errors = chargebee.departure_from_event(event)
    assert (
        departure is None
        and errors[0].field == "language"
        and "'??' is not a language code" in errors[0].message
    )
