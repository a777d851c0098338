"""Hypothesis fuzzing of what machines send: departures API bodies (any JSON, any size, any
encoding, the edges of Python's own parser) and signed Stripe events of any shape.

Never a 500, never a customer lost or duplicated, errors that name what was wrong without
echoing the body. Examples are kept modest so the file runs in well under a minute.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer
from tests.app.web.fuzz_support import ANY_TEXT, FUZZ, no_limits

JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ANY_TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(ANY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
DEPARTURE = st.fixed_dictionaries(
    {
        "external_id": st.one_of(ANY_TEXT, st.uuids().map(str)),
        "email": st.one_of(ANY_TEXT, st.emails()),
        "left_at": st.one_of(ANY_TEXT, st.dates().map(str)),
    },
    optional={
        "name": ANY_TEXT,
        "plan": ANY_TEXT,
        "monthly_revenue": JSON_VALUE,
        "churn_type": ANY_TEXT,
        "extra": JSON_VALUE,
    },
)


@FUZZ
@given(
    body=st.one_of(DEPARTURE, st.lists(DEPARTURE, max_size=4), JSON_VALUE),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_departures_api_never_fails_and_never_duplicates(app, client, db, api_key, body, encoding):
    no_limits(app)
    raw = json.dumps(body, ensure_ascii=False).encode(encoding, errors="replace")
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    before = db.session.scalar(select(func.count()).select_from(DepartedCustomer))
    first = client.post("/api/v1/departures", data=raw, headers=headers)
    assert first.status_code < 500, first.get_data(as_text=True)
    assert first.is_json
    db.session.expire_all()
    after_first = db.session.scalar(select(func.count()).select_from(DepartedCustomer))
    if first.status_code >= 400:
        assert after_first == before, "a refused request stored nothing"
    second = client.post("/api/v1/departures", data=raw, headers=headers)
    assert second.status_code < 500
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)) == after_first, (
        "a retry duplicated"
    )


@FUZZ
@given(size=st.integers(min_value=1, max_value=4 * 1024 * 1024))
def test_oversized_api_bodies_are_refused_cleanly(app, client, api_key, size):
    no_limits(app)
    response = client.post(
        "/api/v1/departures",
        data=b"[" + b" " * size + b"]",
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code in (413, 422, 400) and response.is_json
    if size > app.config["API_MAX_BODY_BYTES"]:
        assert response.status_code == 413


# ---------------------------------------------------------------- edges of Python's own limits (issue 16, item 5)

#: JSON texts at the edges of what Python's parser and numbers handle: integers past the 4,300
#: digit str/int limit, nesting past the recursion limit, huge exponents, and these inside a
#: customer object (where a value would reach the field parsers).
DEEP = st.integers(min_value=1, max_value=100_000)
EDGE_JSON = st.one_of(
    st.integers(min_value=4000, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=4000, max_value=6000).map(lambda n: "-" + "1" * n),
    st.integers(min_value=1, max_value=6000).map(lambda n: "1." + "5" * n),
    st.sampled_from(["1e999999999", "-1e-999999999", "1E+400", "0.0000001e7", "NaN", "Infinity", "-0"]),
    DEEP.map(lambda n: "[" * n),
    DEEP.map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=50_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
)


@st.composite
def edge_bodies(draw) -> bytes:
    value = draw(EDGE_JSON)
    field = draw(
        st.sampled_from(["monthly_revenue", "lifetime_value", "tenure_months", "left_at", "name", "unknown"])
    )
    shape = draw(st.sampled_from(["bare", "field", "listed"]))
    if shape == "bare":
        return value.encode()
    item = f'{{"external_id": "e1", "email": "a@example.com", "left_at": "2026-10-01", "{field}": {value}}}'
    return (item if shape == "field" else f"[{item}]").encode()


@FUZZ
@given(body=edge_bodies())
@example(body=b"9" * 5000)  # was a 500: ValueError, int string conversion limit
@example(body=b"[" * 100_000)  # was a 500: RecursionError
def test_api_json_at_pythons_limits_is_a_clear_400_or_422(app, client, api_key, body):
    no_limits(app)
    response = client.post(
        "/api/v1/departures",
        data=body,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code in (200, 201, 400, 422), response.status_code
    assert response.is_json and response.get_json()["error" if response.status_code >= 400 else "customers"]
    assert len(response.get_data()) < 64 * 1024, "an error never echoes the whole body"


@pytest.mark.parametrize(
    "body, message",
    [
        (b'{"external_id": "e1", "monthly_revenue": ' + b"9" * 5000 + b"}", "more than 4300 digits"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_api_names_what_python_could_not_parse(app, client, api_key, body, message):
    response = client.post(
        "/api/v1/departures",
        data=body,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and message in response.get_json()["message"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("1e999999999", "1E+999999999 is too large (at most 21474836.47)"),
        ("-1e-999999999", "is negative (-1E-999999999)"),
        ("1e-999999999", "'1E-999999999' has more than 2 decimal places"),
    ],
)
@pytest.mark.parametrize("field", ["monthly_revenue", "lifetime_value"])
def test_an_amount_with_a_huge_exponent_is_a_422_naming_it(app, client, db, api_key, field, value, message):
    """Found by the fuzz run above: an amount was written out in full before it was refused, a
    gigabyte of zeros for ``1e999999999`` (5 s of CPU for an 11-byte body)."""
    body = f'{{"external_id": "e1", "email": "a@example.com", "left_at": "2026-10-01", "{field}": {value}}}'
    response = client.post(
        "/api/v1/departures",
        data=body.encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["field"] == field and message in error["message"], error
    assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)) == 0


def test_api_errors_are_capped_not_echoed(app, client, api_key):
    """A 1 MiB body of bad items gives a short answer, not every problem with the input quoted."""
    items = [{"x" * 3000: 1, "left_at": "y" * 3000} for _ in range(150)]  # 0.9 MiB
    response = client.post("/api/v1/departures", json=items, headers={"Authorization": f"Bearer {api_key}"})
    body = response.get_json()
    assert response.status_code == 422 and len(body["errors"]) == 100 and body["more_errors"] > 0
    assert len(response.get_data()) < 100_000


def _stripe_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value in a Stripe event, so each can be replaced by a value of another type."""
    paths = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            paths += _stripe_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += _stripe_paths(child, (*path, index))
    return paths


def _replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


STRIPE_VALUE = st.one_of(
    JSON_VALUE,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just([]),
    st.just({}),
    st.lists(JSON_VALUE, min_size=1, max_size=3),
)


def _send_event(app, client, db, payload):
    """Send a signed event; the response, after checking a refused one stored nothing."""
    from tests.app.billing.test_stripe_webhook import SECRET, send

    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET
    before = db.session.scalar(select(func.count()).select_from(DepartedCustomer))
    response = send(client, payload)
    assert response.status_code in (200, 201, 400, 422), (response.status_code, payload)
    assert response.is_json
    db.session.expire_all()
    if response.status_code >= 400:
        assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)) == before
    return response


@FUZZ
@given(data=st.data())
def test_signed_stripe_events_of_any_shape_never_fail(app, client, db, data):
    """Any one part of a signed event replaced by a value of another JSON type: 2xx or 422, never 500."""
    from tests.app.billing.test_stripe_webhook import event

    no_limits(app)
    template = event()
    path = data.draw(st.sampled_from(_stripe_paths(template)[1:]), label="path")
    _send_event(app, client, db, _replaced(template, path, data.draw(STRIPE_VALUE, label="value")))


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("data", "object", "metadata"), [{"email": "x@example.com"}], "data.object.metadata"),
        (("data", "object", "items"), [{"price": {"unit_amount": 100}}], "data.object.items"),
        (("data", "object", "items", "data"), {"price": {}}, "data.object.items.data"),
        (("data", "object", "items", "data", 0, "price"), ["price_1"], "data.object.items.data[0].price"),
        (("data", "object", "cancellation_details"), ["too_expensive"], "data.object.cancellation_details"),
    ],
)
def test_signed_stripe_event_with_a_list_for_an_object_is_a_422_naming_it(
    app, client, db, path, value, field
):
    """Found by the fuzz run above (issue 16): these were 500s."""
    from tests.app.billing.test_stripe_webhook import event

    response = _send_event(app, client, db, _replaced(event(), path, value))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == field


def test_signed_stripe_event_with_a_null_subscription_item_still_lands(app, client, db):
    """Found by the fuzz run above: ``items.data`` of ``[null]`` was a 500; a null item is an empty one."""
    from tests.app.billing.test_stripe_webhook import event

    response = _send_event(app, client, db, _replaced(event(), ("data", "object", "items", "data"), [None]))
    assert response.status_code == 201
    assert db.session.scalar(select(DepartedCustomer)).monthly_revenue_cents is None


def test_signed_stripe_event_with_times_past_year_9999_still_lands(app, client, db):
    from tests.app.billing.test_stripe_webhook import ENDED, event

    payload = _replaced(event(ended_at=10**20, canceled_at=None, start_date=10**400), ("created",), ENDED)
    response = _send_event(app, client, db, payload)
    assert response.status_code == 201  # the unusable times are ignored; the event's own date is used
    customer = db.session.scalar(select(DepartedCustomer))
    assert customer.left_at == date(2026, 10, 15) and customer.tenure_months is None
