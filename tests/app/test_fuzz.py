"""Hypothesis fuzzing of what outsiders send: survey answers, CSV files and departures API bodies.

Arbitrary text, sizes and encodings must never give a 500, and never lose or duplicate a
response or a customer. Examples are kept modest so the file runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Response
from feedback_app.ratelimit import limiter
from feedback_app.services.csv_import import CsvFileError, import_csv
from tests.app.insights_data import SAAS_LIKE
from tests.helpers import csrf_token

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

DEFINITION = {**SAAS_LIKE, "key": "fuzz"}

#: Any unicode text, including control characters, surrogates-free astral planes and NULs.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
HUGE_TEXT = st.integers(min_value=4000, max_value=12000).map(lambda n: "ä" * n)
FIELD_VALUE = st.one_of(ANY_TEXT, HUGE_TEXT, st.sampled_from(["too_expensive", "poor_support", "", " ", "10", "-1", "11", "1e9"]))


def _no_limits(app) -> None:
    limiter().enabled = False


def _responses(db, invitation_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.invitation_id == invitation_id))


@FUZZ
@given(reason=FIELD_VALUE, text=FIELD_VALUE, nps=FIELD_VALUE, repeat=st.booleans())
@example(reason="too_expensive", text="It broke.", nps=" ", repeat=False)  # found by this test: was a 500
def test_survey_submission_never_fails_and_keeps_exactly_one_answer(app, client, make, db, reason, text, nps, repeat):
    _no_limits(app)
    survey = _survey(make, db)
    invitation, token = make.invitation(survey=survey, status="sent")
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page), "q_main_reason": reason, "q_what_happened": text, "q_nps": nps,
            "q_contact_ok": "yes"}
    first = client.post(f"/s/{token}", data=data)
    assert first.status_code < 500, first.status_code
    accepted = first.status_code in (302, 303) or (first.status_code == 200 and "Thank you" in first.get_data(as_text=True))
    if repeat:  # a double click or a resent form
        again = client.post(f"/s/{token}", data=data)
        assert again.status_code < 500
    count = _responses(db, invitation.id)
    assert count == (1 if accepted else 0), (first.status_code, count)
    if accepted:
        stored = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
        assert stored.answers["what_happened"].strip() == text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _survey(make, db):
    from feedback_app.models import Survey

    existing = db.session.scalar(select(Survey).where(Survey.key == "fuzz"))
    return existing or make.survey(DEFINITION)


CSV_CELL = st.one_of(ANY_TEXT, st.sampled_from(["", "2026-10-01", "not a date", "a@b.example", "=1+1", "9.99", "yes"]))


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
    count = db.session.scalar(select(func.count()).select_from(DepartedCustomer).where(DepartedCustomer.source == "fuzz"))
    again = import_csv(data, source="fuzz", actor="test")
    assert again.created == 0
    assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)
                             .where(DepartedCustomer.source == "fuzz")) == count


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ANY_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(ANY_TEXT, children, max_size=4)),
    max_leaves=12,
)
DEPARTURE = st.fixed_dictionaries(
    {"external_id": st.one_of(ANY_TEXT, st.uuids().map(str)), "email": st.one_of(ANY_TEXT, st.emails()),
     "left_at": st.one_of(ANY_TEXT, st.dates().map(str))},
    optional={"name": ANY_TEXT, "plan": ANY_TEXT, "monthly_revenue": JSON_VALUE, "churn_type": ANY_TEXT,
              "extra": JSON_VALUE},
)


@FUZZ
@given(body=st.one_of(DEPARTURE, st.lists(DEPARTURE, max_size=4), JSON_VALUE),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
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
    assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)) == after_first, "a retry duplicated"


@FUZZ
@given(size=st.integers(min_value=1, max_value=4 * 1024 * 1024))
def test_oversized_api_bodies_are_refused_cleanly(app, client, api_key, size):
    _no_limits(app)
    response = client.post("/api/v1/departures", data=b"[" + b" " * size + b"]",
                           headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"})
    assert response.status_code in (413, 422, 400) and response.is_json
    if size > app.config["API_MAX_BODY_BYTES"]:
        assert response.status_code == 413


@pytest.mark.parametrize("size", [0, 1, 5001, 200_000])
def test_survey_free_text_size_limits(app, client, make, db, size):
    _no_limits(app)
    invitation, token = make.invitation(survey=_survey(make, db), status="sent")
    page = client.get(f"/s/{token}")
    response = client.post(f"/s/{token}", data={"csrf_token": csrf_token(page), "q_main_reason": "too_expensive",
                                                "q_what_happened": "x" * size, "q_contact_ok": "no"})
    assert response.status_code < 500
    expected = 1 if 1 <= size <= app.config["FREE_TEXT_MAX_CHARS"] else 0
    assert _responses(db, invitation.id) == expected
