"""The survey pages in every state, their signed form field, and no session.

See ``services/responses/signatures.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from feedback_app.models import Invitation, Response
from feedback_app.services.responses.signatures import ANSWER, OPT_OUT, link_signature, signature_matches
from tests.app.survey_helpers import GOOD_SAAS_POST, SURVEYS_DIR, shipped_survey
from tests.helpers import csrf_token

SURVEY_NAMES = sorted(path.stem for path in Path(SURVEYS_DIR).glob("*.yaml"))
#: A first name (the name's first word) that needs escaping, and no name at all (the greeting changes).
NAMES = ["<b>Zoë&O'Brien\"</b> Kowalski", None]


def _answers_for(html: str) -> dict[str, str]:
    """A valid-looking answer for every field of a rendered form: first option, some text."""
    data = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1),
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1),
    }
    for match in re.finditer(
        r'<input type="(?:radio|checkbox)" id="[^"]+"\s+name="([^"]+)" value="([^"]*)"', html
    ):
        data.setdefault(match.group(1), match.group(2))
    for match in re.finditer(r'<(?:textarea|input type="text") id="[^"]+" name="([^"]+)"', html):
        data[match.group(1)] = 'Too <slow> & "dear" for us'
    return data


@pytest.mark.parametrize("name", NAMES, ids=["escaped-name", "no-name"])
@pytest.mark.parametrize("survey_name", SURVEY_NAMES)
def test_every_survey_works_in_every_state(app, make, survey_name, name):
    """Blank form, errors, "send again", opt-out, thank-you, already answered, editing, edits closed."""
    survey = shipped_survey(survey_name)
    _, token = make.invitation(customer=make.customer(name=name), survey=survey, status="sent")
    client = app.test_client()

    def fetch(method: str, path: str, **kwargs) -> tuple[int, str]:
        reply = getattr(client, method)(path, **kwargs)
        return reply.status_code, reply.get_data(as_text=True)

    status, blank = fetch("get", f"/s/{token}")
    assert status == 200 and 'name="csrf_token"' in blank
    answers = _answers_for(blank)
    assert fetch("post", f"/s/{token}", data={"csrf_token": answers["csrf_token"], "version": "1"})[0] == 422
    assert fetch("post", f"/s/{token}", data={**answers, "csrf_token": "0" * 64})[0] == 400  # send again
    assert fetch("get", f"/s/{token}/opt-out")[0] == 200
    assert client.post(f"/s/{token}", data=answers).status_code == 303  # filled in and sent
    status, thanks = fetch("get", f"/s/{token}/thanks")  # thank-you, with "change my answers"
    assert status == 200 and "Change my answers" in thanks
    assert fetch("get", f"/s/{token}")[0] == 200  # already answered
    status, editing = fetch("get", f"/s/{token}?edit=1")  # editing, filled in
    assert status == 200 and "Save my changes" in editing and "checked" in editing
    app.config["SURVEY_EDIT_WINDOW_MINUTES"] = 0
    status, closed = fetch("get", f"/s/{token}/thanks")  # thank-you once edits are closed
    assert status == 200 and "Change my answers" not in closed
    if name:
        assert "Hi &lt;b&gt;Zoë&amp;O&#39;Brien&#34;&lt;/b&gt;," in blank and "<b>Zoë" not in blank
    else:
        assert "Hello," in blank


# -- the signed field ------------------------------------------------------------------------------


@pytest.fixture
def live(make, app):
    survey = shipped_survey("saas_cancellation")
    return make.invitation(customer=make.customer(name="Zoë Kowalski"), survey=survey, status="sent")


def _stored(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Response.id)))


def test_the_form_carries_this_links_signature(app, client, live):
    _, token = live
    assert csrf_token(client.get(f"/s/{token}")) == link_signature(app.config["SECRET_KEY"], token, ANSWER)
    assert csrf_token(client.get(f"/s/{token}/opt-out")) == link_signature(
        app.config["SECRET_KEY"], token, OPT_OUT
    )


@pytest.mark.parametrize(
    "posted", [None, "", "forged", "0" * 64, "signature-of-another-link", "opt-out-signature"]
)
def test_a_wrong_or_missing_signature_is_a_clear_400_that_keeps_the_answers(
    app, client, db, make, live, posted
):
    invitation, token = live
    _, other = make.invitation(survey=invitation.survey, status="sent")
    value = {
        "signature-of-another-link": link_signature(app.config["SECRET_KEY"], other, ANSWER),
        "opt-out-signature": link_signature(app.config["SECRET_KEY"], token, OPT_OUT),
    }.get(posted, posted)
    data = {**GOOD_SAAS_POST, "version": "1", **({"csrf_token": value} if value is not None else {})}
    reply = client.post(f"/s/{token}", data=data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Please send your answers again" in html and 'role="alert"' in html
    assert "The reporting was too slow for our month-end close.</textarea>" in html
    assert _stored(db) == 0
    again = client.post(f"/s/{token}", data={**data, "csrf_token": csrf_token(reply)})
    assert again.status_code == 303 and _stored(db) == 1


def test_a_page_signed_before_a_key_rotation_still_submits(app, client, db, live):
    _, token = live
    old_signature = csrf_token(client.get(f"/s/{token}"))
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-new-secret-key-of-more-than-32-characters"
    reply = client.post(f"/s/{token}", data={**GOOD_SAAS_POST, "version": "1", "csrf_token": old_signature})
    assert reply.status_code == 303 and _stored(db) == 1


def test_opt_out_needs_its_own_signature(app, client, db, live):
    invitation, token = live
    answer_signature = link_signature(app.config["SECRET_KEY"], token, ANSWER)
    refused = client.post(f"/s/{token}/opt-out", data={"csrf_token": answer_signature})
    assert refused.status_code == 400 and "could not accept that request" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).customer.opted_out is False
    page = client.get(f"/s/{token}/opt-out")
    assert client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf_token(page)}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).customer.opted_out is True


def test_signature_matches_refuses_malformed_values():
    good = link_signature("k" * 40, "tok", ANSWER)
    assert signature_matches(["k" * 40], "tok", ANSWER, good)
    for bad in (
        None,
        "",
        good[:-1],
        good + "0",
        "é" * 64,
        good.upper() if good != good.upper() else "x" * 64,
    ):
        assert not signature_matches(["k" * 40], "tok", ANSWER, bad)
    assert not signature_matches(["k" * 40], "tok", OPT_OUT, good)
    assert not signature_matches(["", None], "tok", ANSWER, good)  # type: ignore[list-item]


# -- no session on survey pages --------------------------------------------------------------------


def test_survey_pages_set_no_cookie(app, live):
    _, token = live
    browser = app.test_client()
    page = browser.get(f"/s/{token}")
    replies = [
        page,
        browser.get(f"/s/{token}/opt-out"),
        browser.post(f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": "forged", "version": "1"}),
        browser.post(f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": csrf_token(page), "version": "1"}),
        browser.get(f"/s/{token}/thanks"),
        browser.get(f"/s/{token}"),
    ]
    assert [r.status_code for r in replies] == [200, 200, 400, 303, 200, 200]
    for reply in replies:
        assert "Set-Cookie" not in reply.headers
        assert "Cookie" not in reply.headers.get("Vary", "")
    assert browser.get_cookie("session") is None


def test_a_staff_session_survives_a_visit_to_a_survey_link(client, login, live):
    """A staff member opening a survey link keeps their session (it is neither read nor rewritten)."""
    _, token = live
    login("admin")
    assert client.get("/dashboard/").status_code == 200
    reply = client.get(f"/s/{token}")
    assert reply.status_code == 200 and "Set-Cookie" not in reply.headers
    assert client.get("/dashboard/").status_code == 200


def test_staff_forms_still_need_the_session_csrf_token(client, make):
    user, password = make.staff_user()
    reply = client.post(
        "/auth/login",
        data={"email": user.email, "password": password, "csrf_token": link_signature("x" * 40, "t", ANSWER)},
    )
    assert reply.status_code == 400


def test_opening_is_recorded_once_and_a_submission_completes_the_invitation(client, db, live):
    invitation, token = live
    client.get(f"/s/{token}")
    db.session.expire_all()
    first = db.session.get(Invitation, invitation.id)
    opened_at = first.opened_at
    assert first.status == "opened" and opened_at is not None
    page = client.get(f"/s/{token}")
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).opened_at == opened_at
    client.post(f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": csrf_token(page), "version": "1"})
    db.session.expire_all()
    done = db.session.get(Invitation, invitation.id)
    assert done.status == "completed" and done.completed_at is not None and done.opened_at == opened_at


def test_opening_an_answered_link_keeps_it_completed(client, db, live):
    invitation, token = live
    page = client.get(f"/s/{token}")
    client.post(f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": csrf_token(page), "version": "1"})
    db.session.expire_all()
    answered = db.session.get(Invitation, invitation.id)
    status, opened_at = answered.status, answered.opened_at
    assert client.get(f"/s/{token}").status_code == 200
    db.session.expire_all()
    again = db.session.get(Invitation, invitation.id)
    assert (again.status, again.opened_at) == ("completed", opened_at) == (status, opened_at)
