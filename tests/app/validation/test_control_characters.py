"""One rule for control characters in every text input (``services/validation/text_input.py``), and an
analysis run that one bad stored answer cannot stop. Run on SQLite and PostgreSQL: PostgreSQL
refuses NUL in text columns, and every driver refuses a lone surrogate."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, insert, select

from feedback_app.models import AnalysisRun, AuditEvent, DepartedCustomer, Response, Theme, ThemeAssignment
from feedback_app.services.insights import incremental, runs
from feedback_app.services.validation.text_input import clean_text, is_blank
from nlp import AnalysisResult, Assignment, ThemeMemory, ThemeResult
from tests.app.customers.import_helpers import upload
from tests.app.insights_data import SAAS_LIKE
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey
from tests.helpers import csrf_token


def test_the_rule():
    assert clean_text("NUL in\x00 answer\x1b[0m\x7f\x85\ud800", multiline=True) == "NUL in answer[0m"
    assert clean_text("line one\r\nline two\rthree\tend", multiline=True) == "line one\nline two\nthree\tend"
    assert clean_text("Sam\r\nReply-To:\x00 x\u2028y\tz", multiline=False) == "Sam Reply-To: x y z"
    assert is_blank("\x00\x00\x00") and is_blank(" \x01\n ") and is_blank(None) and not is_blank("ok")


# ---------------------------------------------------------------- survey answers


@pytest.fixture
def survey_link(app, make):
    survey = shipped_survey("saas_cancellation")
    invitation, token = make.invitation(survey=survey, status="sent")
    return invitation, token


def _stored(db, invitation) -> Response | None:
    db.session.expire_all()
    return db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))


def test_a_nul_in_a_survey_answer_is_removed_before_it_is_stored(client, db, survey_link):
    invitation, token = survey_link
    posted = {
        **GOOD_SAAS_POST,
        "q_what_happened": "NUL in\x00 answer,\r\nsecond line\x1b",
        "q_competitor": "Click\x00\nStack",
    }
    response = post_survey(client, token, posted)
    assert response.status_code == 303
    stored = _stored(db, invitation)
    assert stored.answers["what_happened"] == "NUL in answer,\nsecond line"
    assert stored.answers["competitor"] == "Click Stack"  # a one-line field keeps no line break


@pytest.mark.parametrize("value", ["\x00\x00\x00", " \x00 \x01\r\n \x7f\x9f"])
def test_control_characters_alone_do_not_answer_a_required_question(client, db, survey_link, value):
    invitation, token = survey_link
    response = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": value})
    assert response.status_code == 422
    assert "Please write an answer." in response.get_data(as_text=True)
    assert _stored(db, invitation) is None


# ---------------------------------------------------------------- API, CSV, webhook


def _api(client, key, body):
    return client.post(
        "/api/v1/departures",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )


def test_api_fields_with_nul_and_lone_surrogates_are_cleaned_not_a_500(client, db, api_key):
    body = {
        "external_id": "c-\x00-1",
        "email": "ann@example.com",
        "name": "Ann\x00 Lee\ud800\n",
        "company": "Acme\u2028Ltd",
        "plan": "\x00\x00",
        "left_at": "2026-10-01",
    }
    response = _api(client, api_key, body)
    assert response.status_code == 201, response.get_json()
    customer = db.session.get(DepartedCustomer, response.get_json()["customers"][0]["id"])
    assert (customer.external_id, customer.name, customer.company, customer.plan) == (
        "c--1",
        "Ann Lee",
        "Acme Ltd",
        None,
    )


def test_api_required_field_of_only_control_characters_is_422(client, db, api_key):
    response = _api(
        client, api_key, {"external_id": "\x00\x00", "email": "bo@example.com", "left_at": "2026-10-01"}
    )
    assert response.status_code == 422
    # the error names the item by what it has (its e-mail), never by the control characters
    assert response.get_json()["errors"] == [
        {"index": 0, "email": "bo@example.com", "field": "external_id", "message": "is required but empty"}
    ]
    response = _api(
        client, api_key, {"external_id": "c-2", "email": "bo@exam\x00ple.com", "left_at": "2026-10-01"}
    )
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "email"
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 0


def test_csv_with_a_nul_after_the_first_8_kb_imports_cleaned(client, login, db):
    login("cx")
    header = "external_id,email,name,left_at"
    filler = [f"c-{n},p{n}@example.com,Person {n},2026-10-01" for n in range(300)]
    data = "\n".join(
        [
            header,
            *filler,
            "c-late,late@example.com,La\x00te Name,2026-10-02",
            "c-bad,bad\x00@example.com,Bad Row,2026-10-02",
        ]
    ).encode()
    assert data.index(b"\x00") > 8192  # past the binary-file sniff
    response = upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "302 rows: 301 created, 0 updated, 0 unchanged, 1 rejected." in html
    late = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-late"))
    assert late.name == "Late Name"


def test_stripe_event_fields_with_nul_are_cleaned(app, client, db):
    from tests.app.billing.test_stripe_webhook import SECRET, event, send

    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET
    payload = event(
        customer={"id": "cus_\x00X", "name": "Sam\x00\r\nBcc: x@evil.example", "email": "sam@example.com"}
    )
    payload["id"] = "evt_\x00\ud8001"
    response = send(client, payload)
    assert response.status_code == 201, response.get_json()
    customer = db.session.get(DepartedCustomer, response.get_json()["customers"][0]["id"])
    assert (customer.external_id, customer.name) == ("cus_X", "Sam Bcc: x@evil.example")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.stripe_event"))
    assert audit.details["event_id"] == "evt_1"


# ---------------------------------------------------------------- staff pages


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/customers?q=%00",
        "/dashboard/customers?source=%00&plan=a%00b",
        "/dashboard/admin/audit?action=%00&actor=%01",
        "/dashboard/outbox?status=%00",
    ],
)
def test_staff_filters_with_a_nul_are_not_a_500(app, client, login, url):
    """Every query parameter and form field is cleaned as it is parsed (``security.CleanInputRequest``)."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as a server would, not raise into the test
    login("admin")
    assert client.get(url).status_code == 200


def test_a_staff_form_stores_text_without_control_characters(client, login, db):
    login("cx")
    theme = _theme(db, "T0009")
    page = client.get(f"/dashboard/themes/{theme.id}")
    response = client.post(
        f"/dashboard/themes/{theme.id}/rename",
        data={"csrf_token": csrf_token(page), "label": "Price\x00 shock\x1b"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).human_label == "Price shock"


# ---------------------------------------------------------------- the analysis run


def _theme(db, key: str) -> Theme:
    theme = Theme(stable_key=key, label=key)
    db.session.add(theme)
    db.session.commit()
    return theme


def test_an_answer_whose_result_cannot_be_stored_is_skipped_and_the_rest_is_stored(app, db, make):
    """The store step keeps going past a row the database refuses (here a lone surrogate, which
    no driver can encode), and reports it."""
    survey = make.survey(SAAS_LIKE)
    responses = [
        make.response(
            invitation=make.invitation(survey=survey)[0],
            answers={"what_happened": f"Answer number {n} about the price."},
        )
        for n in range(3)
    ]
    run = AnalysisRun(status="running")
    db.session.add(run)
    db.session.commit()
    theme = _theme(db, "T0001")
    texts = ["Answer one", "Bad \ud800 result", "Answer three"]
    result = AnalysisResult(
        themes=[
            ThemeResult(
                id="T0001",
                label="price",
                keywords=[],
                category="price",
                size=3,
                quotes=[],
                sentiment=0.0,
                is_new=False,
            )
        ],
        assignments=[
            Assignment(
                id=str(r.id),
                theme_id="T0001",
                theme_ids=["T0001"],
                confidence=0.9,
                redacted_text=t,
                is_non_answer=False,
                sentiment=0.1,
            )
            for r, t in zip(responses, texts, strict=False)
        ],
        memory=ThemeMemory(),
    )
    runs._store_result(run, result, None, {}, [])
    db.session.expire_all()
    run = db.session.get(AnalysisRun, run.id)
    assert run.status == "succeeded"
    assert run.counts["assigned"] == 2 and run.counts["skipped"] == [
        {"response_id": responses[1].id, "reason": runs.SKIP_NOT_STORABLE}
    ]
    stored = {r.id: r.redacted_text for r in db.session.scalars(select(Response))}
    assert stored == {responses[0].id: "Answer one", responses[1].id: None, responses[2].id: "Answer three"}
    assigned = set(
        db.session.scalars(select(ThemeAssignment.response_id).where(ThemeAssignment.theme_id == theme.id))
    )
    assert assigned == {responses[0].id, responses[2].id}


def test_a_failed_run_stores_no_sql_parameters(app, db):
    secret = "Zebulon ignored my ticket"
    with pytest.raises(Exception) as caught:
        db.session.execute(insert(Theme).values(stable_key=None, label=secret))
    db.session.rollback()
    assert secret in str(caught.value.orig) or "[SQL" in str(caught.value)  # a real statement error
    text = runs.error_text(caught.value)
    assert secret not in text and "[SQL" not in text and "parameters" not in text
    assert text.startswith(("Database error IntegrityError", "Database error NotNullViolation"))
    # The exception's own text, which goes to the server log, leaves the parameters out too
    # (hide_parameters; PostgreSQL's DETAIL line may still quote the row).
    assert "[parameters:" not in str(caught.value) and "parameters hidden" in str(caught.value)


REASONS = [
    "The price went up again and we could not justify it.",
    "Too expensive for a small team like ours.",
    "Your renewal quote doubled, way over our budget.",
    "Costs too much compared to what we use.",
    "Support never answered my tickets for weeks.",
    "The support agent was rude and dismissive.",
    "Nobody from customer service ever replied to us.",
    "Support closed our ticket without helping.",
    "The app crashed every time we saved a file.",
    "Constant outages and errors broke our workflow.",
    "Bugs everywhere, the editor kept freezing and crashing.",
    "It kept crashing and losing our changes.",
]


@pytest.mark.slow
@pytest.mark.postgresql  # PostgreSQL refuses a NUL in text, SQLite keeps it
@pytest.mark.filterwarnings("ignore::ImportWarning")
def test_a_nul_posted_in_an_answer_never_stops_analysis_and_old_bad_rows_are_skipped(
    client, runner, db, make, survey_link
):
    """The attack of issue 16: ``q_what_happened=NUL%20in%00%20answer`` then ``flask analyze run``.
    Rows stored before the rule (NUL, a lone surrogate) are left out and reported; the run and
    the next one succeed."""
    invitation, token = survey_link
    assert (
        post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "NUL in\x00 answer"}).status_code
        == 303
    )
    survey = invitation.survey
    for text in REASONS:
        make.response(
            invitation=make.invitation(survey=survey, status="sent")[0],
            answers={"what_happened": text, "main_reason": "too_expensive"},
        )
    legacy = [
        make.response(
            invitation=make.invitation(survey=survey, status="sent")[0],
            answers={"what_happened": text, "main_reason": "too_expensive"},
        )
        for text in ("Old answer with a NUL\x00 inside it.", "Old answer with a lone \ud800 surrogate.")
    ]
    for _attempt in (1, 2):
        result = runner.invoke(args=["analyze", "run"])
        assert result.exit_code == 0, result.output
        run = db.session.scalar(select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(1))
        assert run.status == "succeeded" and run.error is None
        assert run.counts["answers"] == len(REASONS) + 1
        assert sorted(s["response_id"] for s in run.counts["skipped"]) == [r.id for r in legacy]
        assert "skipped" in result.output or "left out" in result.output
    db.session.expire_all()
    posted = _stored(db, invitation)
    assert posted.answers["what_happened"] == "NUL in answer" and posted.redacted_text == "NUL in answer"
    assert all(db.session.get(Response, r.id).redacted_text is None for r in legacy)

    # The sweep that assigns answers whose incremental job was lost passes an old bad row by.
    late_bad, late_good = (
        make.response(
            invitation=make.invitation(survey=survey, status="sent")[0],
            answers={"what_happened": text, "main_reason": "too_expensive"},
        )
        for text in ("Late\x00 answer with a NUL.", "The monthly fee kept climbing every year.")
    )
    assert incremental.assign_pending_job() == 1
    db.session.expire_all()
    assert db.session.get(Response, late_bad.id).redacted_text == ""
    assert db.session.get(Response, late_good.id).redacted_text
    assert incremental.assign_pending_job() == 0
