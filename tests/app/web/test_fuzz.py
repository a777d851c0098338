"""Hypothesis fuzzing of what outsiders send: survey answers, CSV files and departures API bodies.

Arbitrary text, sizes and encodings must never give a 500, and never lose or duplicate a
response or a customer. Examples are kept modest so the file runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Response
from feedback_app.ratelimit import limiter
from feedback_app.services.customers.csv_import import CsvFileError, import_csv
from tests.app.insights_data import SAAS_LIKE
from tests.helpers import csrf_token

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DEFINITION = {**SAAS_LIKE, "key": "fuzz"}

#: Any unicode text, including control characters, surrogates-free astral planes and NULs.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
HUGE_TEXT = st.integers(min_value=4000, max_value=12000).map(lambda n: "ä" * n)
FIELD_VALUE = st.one_of(
    ANY_TEXT, HUGE_TEXT, st.sampled_from(["too_expensive", "poor_support", "", " ", "10", "-1", "11", "1e9"])
)


def _no_limits(app) -> None:
    limiter().enabled = False


def _responses(db, invitation_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Response).where(Response.invitation_id == invitation_id)
    )


@FUZZ
@given(reason=FIELD_VALUE, text=FIELD_VALUE, nps=FIELD_VALUE, repeat=st.booleans())
@example(reason="too_expensive", text="It broke.", nps=" ", repeat=False)  # found by this test: was a 500
def test_survey_submission_never_fails_and_keeps_exactly_one_answer(
    app, client, make, db, reason, text, nps, repeat
):
    _no_limits(app)
    survey = _survey(make, db)
    invitation, token = make.invitation(survey=survey, status="sent")
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page),
        "q_main_reason": reason,
        "q_what_happened": text,
        "q_nps": nps,
        "q_contact_ok": "yes",
    }
    first = client.post(f"/s/{token}", data=data)
    assert first.status_code < 500, first.status_code
    accepted = first.status_code in (302, 303) or (
        first.status_code == 200 and "Thank you" in first.get_data(as_text=True)
    )
    if repeat:  # a double click or a resent form
        again = client.post(f"/s/{token}", data=data)
        assert again.status_code < 500
    count = _responses(db, invitation.id)
    assert count == (1 if accepted else 0), (first.status_code, count)
    if accepted:
        stored = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
        assert (
            stored.answers["what_happened"].strip() == text.replace("\r\n", "\n").replace("\r", "\n").strip()
        )


def _survey(make, db):
    from feedback_app.models import Survey

    existing = db.session.scalar(select(Survey).where(Survey.key == "fuzz"))
    return existing or make.survey(DEFINITION)


CSV_CELL = st.one_of(
    ANY_TEXT, st.sampled_from(["", "2026-10-01", "not a date", "a@b.example", "=1+1", "9.99", "yes"])
)


@st.composite
def csv_files(draw):
    """A CSV file with the real header and arbitrary cells, in a random encoding, maybe with a BOM."""
    header = ["external_id", "email", "name", "plan", "monthly_revenue", "left_at", "churn_type"]
    rows = draw(st.lists(st.lists(CSV_CELL, min_size=0, max_size=9), max_size=8))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = data + draw(st.binary(max_size=40))  # trailing garbage
    return data


@FUZZ
@given(data=csv_files())
def test_csv_import_never_crashes_and_reimport_adds_nothing(app, db, data):
    try:
        first = import_csv(data, source="fuzz", actor="test")
    except CsvFileError as exc:  # a refused file says why, and writes nothing
        assert str(exc)
        return
    assert first.rows == first.created + first.updated + first.unchanged + first.rejected
    assert first.rejected <= len(first.errors), "every rejected row is explained"
    count = db.session.scalar(
        select(func.count()).select_from(DepartedCustomer).where(DepartedCustomer.source == "fuzz")
    )
    again = import_csv(data, source="fuzz", actor="test")
    assert again.created == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(DepartedCustomer).where(DepartedCustomer.source == "fuzz")
        )
        == count
    )


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
    _no_limits(app)
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
    _no_limits(app)
    response = client.post(
        "/api/v1/departures",
        data=b"[" + b" " * size + b"]",
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code in (413, 422, 400) and response.is_json
    if size > app.config["API_MAX_BODY_BYTES"]:
        assert response.status_code == 413


@pytest.mark.parametrize("size", [0, 1, 5001, 200_000])
def test_survey_free_text_size_limits(app, client, make, db, size):
    _no_limits(app)
    invitation, token = make.invitation(survey=_survey(make, db), status="sent")
    page = client.get(f"/s/{token}")
    response = client.post(
        f"/s/{token}",
        data={
            "csrf_token": csrf_token(page),
            "q_main_reason": "too_expensive",
            "q_what_happened": "x" * size,
            "q_contact_ok": "no",
        },
    )
    assert response.status_code < 500
    expected = 1 if 1 <= size <= app.config["FREE_TEXT_MAX_CHARS"] else 0
    assert _responses(db, invitation.id) == expected


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
    _no_limits(app)
    response = client.post(
        "/api/v1/departures",
        data=body,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert response.status_code in (200, 201, 400, 422), response.status_code
    assert response.is_json and response.get_json()["error" if response.status_code >= 400 else "customers"]
    assert len(response.get_data()) < 64 * 1024, "an error never echoes the whole body"


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

    _no_limits(app)
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


def test_signed_stripe_event_with_times_past_year_9999_still_lands(app, client, db):
    from tests.app.billing.test_stripe_webhook import ENDED, event

    payload = _replaced(event(ended_at=10**20, canceled_at=None, start_date=10**400), ("created",), ENDED)
    response = _send_event(app, client, db, payload)
    assert response.status_code == 201  # the unusable times are ignored; the event's own date is used
    customer = db.session.scalar(select(DepartedCustomer))
    assert customer.left_at == date(2026, 10, 15) and customer.tenure_months is None


#: Query-string values for the staff pages' filters: any date Python knows (0001-01-01 to
#: 9999-12-31), numbers of any size, and arbitrary text. NUL is left to the control-character
#: rule of item 1 (issue 16), which cleans it at the boundary.
FILTER_TEXT = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "9999-12-30", "2026-02-30", "", "-1", "0"]),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=4300, max_value=5000).map(lambda n: "9" * n),
    st.text(st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=40),
)
FILTERED_PAGES = [
    "/dashboard/overview",
    "/dashboard/themes",
    "/dashboard/summary",
    "/dashboard/summary/export.csv",
    "/dashboard/summary/export.json",
    "/dashboard/customers",
    "/dashboard/outbox",
    "/dashboard/invitations/funnel",
    "/dashboard/admin/audit",
    "/dashboard/win-back",
    "/dashboard/follow-ups",
]
ID_PAGES = [
    "/dashboard/themes/{}",
    "/dashboard/actions/{}",
    "/dashboard/analysis/runs/{}",
    "/dashboard/actions/{}/close-loop",
]


#: Ids in URLs: small ones, and ones around and past the database's integer range.
ROW_ID = st.one_of(
    st.integers(min_value=0, max_value=1000), st.integers(min_value=2**31 - 2, max_value=10**40)
)


@FUZZ
@given(
    page=st.sampled_from(FILTERED_PAGES),
    dates=st.fixed_dictionaries({name: FILTER_TEXT for name in ("start", "end", "since", "until", "page")}),
    others=st.dictionaries(
        st.sampled_from(["plan", "segment", "churn_type", "survey", "status", "kind", "q", "source"]),
        FILTER_TEXT,
        max_size=3,
    ),
    row_id=ROW_ID,
    id_page=st.sampled_from(ID_PAGES),
)
@example(
    page="/dashboard/overview", dates={"start": "0001-01-01"}, others={}, row_id=1, id_page=ID_PAGES[0]
)  # were
@example(
    page="/dashboard/summary/export.csv",
    dates={"end": "9999-12-31"},
    others={},
    row_id=10**30,  # 500s
    id_page=ID_PAGES[1],
)
def test_staff_filters_and_ids_never_fail(app, client, login, page, dates, others, row_id, id_page):
    _no_limits(app)
    args = dates | others
    if client.get_cookie("session") is None or client.get("/dashboard/").status_code != 200:
        login("admin")
    response = client.get(page, query_string=args)
    assert response.status_code in (200, 400, 422), (response.status_code, page, args)
    if response.status_code == 400:  # a download refuses bad filters, naming the field
        assert any(
            name in response.get_data(as_text=True)
            for name in ("From:", "To:", "Plan:", "Segment:", "Churn type:", "Survey:")
        )
    assert client.get(id_page.format(row_id)).status_code in (200, 404)


def test_dates_out_of_range_are_named_on_the_page_and_refuse_a_download(app, client, login):
    login("cx")
    page = client.get("/dashboard/overview", query_string={"start": "0001-01-01", "end": "9999-12-31"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200  # the default period is shown, with what was wrong
    assert "From: 0001-01-01 is outside" in text and "To: 9999-12-31 is outside" in text
    download = client.get("/dashboard/summary/export.md", query_string={"end": "9999-12-31"})
    assert download.status_code == 400 and download.get_data(as_text=True).startswith(
        "To: 9999-12-31 is outside"
    )


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


def test_api_errors_are_capped_not_echoed(app, client, api_key):
    """A 1 MiB body of bad items gives a short answer, not every problem with the input quoted."""
    items = [{"x" * 3000: 1, "left_at": "y" * 3000} for _ in range(150)]  # 0.9 MiB
    response = client.post("/api/v1/departures", json=items, headers={"Authorization": f"Bearer {api_key}"})
    body = response.get_json()
    assert response.status_code == 422 and len(body["errors"]) == 100 and body["more_errors"] > 0
    assert len(response.get_data()) < 100_000
