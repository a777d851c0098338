"""The page a former customer sees: /s/<token>, its validation, storing one response, skip logic."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.serving import make_server

from feedback_app.models import Response, utcnow
from feedback_app.services.outreach.tokens import new_token
from feedback_app.services.responses import submission as response_service
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey
from tests.helpers import csrf_token


@pytest.fixture
def saas(app):
    return shipped_survey("saas_cancellation")


@pytest.fixture
def live(make, saas):
    """An invitation to the SaaS survey for Zoë at Acme, and its raw token."""
    customer = make.customer(name="Zoë Kowalski", company="Acme")
    return make.invitation(customer=customer, survey=saas, status="sent")


def response_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Response.id)))


def test_page_is_personalised_and_accessible(client, live, app):
    _, token = live
    page = client.get(f"/s/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hi Zoë," in html
    assert f"recommend {app.config['COMPANY_NAME']} to a friend" in html  # {company} filled in
    assert "{company}" not in html
    # choice groups are fieldsets with legends; text inputs have labels tied to them
    assert html.count("<fieldset") == 3 and html.count("<legend>") == 3  # reason, nps, contact
    assert '<label for="q_what_happened">' in html and 'id="q_what_happened"' in html
    assert 'name="csrf_token"' in html
    # opt-out link on the page, JS from our own origin only, no inline script
    assert f'href="/s/{token}/opt-out"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('src="/static/' in s for s in scripts)
    assert "http://" not in html.replace("http://survey.test", "") and "https://" not in html
    assert 'name="viewport"' in html


def test_survey_pages_send_no_referrer(client, live):
    _, token = live
    for path in (f"/s/{token}", f"/s/{token}/opt-out", f"/s/{new_token()}"):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("kind", ["unknown", "tampered", "revoked", "revoked_status", "expired"])
def test_dead_links_get_the_same_friendly_404(client, make, saas, kind):
    extra = {
        "revoked": {"revoked_at": utcnow()},
        "revoked_status": {"status": "revoked"},
        "expired": {"expires_at": utcnow() - timedelta(minutes=1)},
    }.get(kind, {})
    invitation, token = make.invitation(survey=saas, **extra)
    if kind == "unknown":
        token = new_token()
    elif kind == "tampered":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (f"/s/{token}", f"/s/{token}/opt-out"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 404
        assert "We could not find that page" in html
        assert "expired" not in html.lower() and "revoked" not in html.lower()
        assert invitation.customer.name.split()[0] not in html
    assert client.post(f"/s/{token}", data=GOOD_SAAS_POST).status_code in (400, 404)


def test_opening_records_opened_at_once(client, db, live):
    invitation, token = live
    client.get(f"/s/{token}")
    db.session.expire_all()
    first = invitation.opened_at
    assert first is not None and invitation.status == "opened"
    client.get(f"/s/{token}")
    db.session.expire_all()
    assert invitation.opened_at == first


def test_submit_with_error_keeps_answers_then_fix_and_store_one_response(client, db, live):
    invitation, token = live
    bad = {**GOOD_SAAS_POST, "q_main_reason": "", "q_what_happened": "Slow <reports> & “exports”"}
    page = post_survey(client, token, bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'role="alert"' in html and "Please choose an answer." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="q_main_reason-error"' in html
    assert 'id="q_main_reason-error"' in html
    assert "Slow &lt;reports&gt; &amp; “exports”</textarea>" in html  # kept, escaped
    assert 'value="ClickStack"' in html and 'value="3" checked' in html
    assert response_count(db) == 0

    fixed = post_survey(client, token, {**bad, "q_main_reason": "switched_competitor"}, page=page)
    assert fixed.status_code == 303
    thanks = client.get(fixed.headers["Location"])
    assert "Thank you, Zoë" in thanks.get_data(as_text=True)
    assert response_count(db) == 1
    response = db.session.scalar(select(Response))
    assert response.answers == {
        "main_reason": "switched_competitor",
        "what_happened": "Slow <reports> & “exports”",
        "nps": 3,
        "competitor": "ClickStack",
        "win_back": "Faster reports",
        "contact_ok": "yes",
    }
    assert response.survey_version.version == 1 and response.survey_version.survey.key == "saas_cancellation"
    assert invitation.status == "completed" and invitation.completed_at is not None


def test_required_text_must_not_be_blank(client, db, live):
    _, token = live
    page = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "   \r\n  "})
    assert page.status_code == 422
    assert "Please write an answer." in page.get_data(as_text=True)
    assert response_count(db) == 0


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("q_main_reason", "hacked", "Please choose one of the answers listed."),
        ("q_nps", "11", "Please choose a number from 0 to 10."),
        ("q_contact_ok", "maybe", "Please answer yes or no."),
    ],
)
def test_tampered_choices_are_rejected(client, db, live, field, value, message):
    _, token = live
    page = post_survey(client, token, {**GOOD_SAAS_POST, field: value})
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert response_count(db) == 0


def test_skip_logic_hidden_question_is_not_stored_nor_required(client, db, live):
    _, token = live
    posted = {**GOOD_SAAS_POST, "q_main_reason": "hard_to_use", "q_competitor": "Sneaky value"}
    assert post_survey(client, token, posted).status_code == 303
    response = db.session.scalar(select(Response))
    assert "competitor" not in response.answers
    assert response.answers["main_reason"] == "hard_to_use"


def test_skip_logic_shown_question_is_stored_and_blank_optional_is_none(client, db, live):
    _, token = live
    posted = {**GOOD_SAAS_POST, "q_main_reason": "too_expensive", "q_competitor": "", "q_nps": ""}
    assert post_survey(client, token, posted).status_code == 303
    answers = db.session.scalar(select(Response)).answers
    assert answers["competitor"] is None and answers["nps"] is None


def test_skip_logic_is_described_for_pages_without_javascript(client, live):
    _, token = live
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert 'data-show-if-question="q_main_reason"' in html
    assert "Only if you answered “We switched to another product” or" in html


def test_required_question_behind_skip_logic_is_required_only_when_shown(client, db, make, app):
    from tests.factories import MINIMAL_DEFINITION

    definition = {
        **MINIMAL_DEFINITION,
        "key": "branchy",
        "questions": [
            {"id": "stay", "type": "yes_no", "prompt": "Would you stay?", "required": True},
            {
                "id": "why_not",
                "type": "short_text",
                "prompt": "Why not?",
                "required": True,
                "show_if": {"question": "stay", "equals": "no"},
            },
        ],
    }
    survey = make.survey(definition)
    _, token = make.invitation(survey=survey)
    page = post_survey(client, token, {"q_stay": "no", "q_why_not": ""})
    assert page.status_code == 422 and "Please write an answer." in page.get_data(as_text=True)
    assert post_survey(client, token, {"q_stay": "yes", "q_why_not": ""}).status_code == 303
    assert db.session.scalar(select(Response)).answers == {"stay": "yes"}


def test_unicode_is_stored_exactly_and_script_is_escaped_on_output(client, db, live):
    _, token = live
    text = "Zu teuer — 太贵了 🙁 naïve café\nSecond line <script>alert('x')</script> \u200d\u00a0end"
    assert (
        post_survey(
            client,
            token,
            {
                **GOOD_SAAS_POST,
                "q_what_happened": text.replace("\n", "\r\n"),
                "q_win_back": "<img src=x onerror=alert(1)>",
            },
        ).status_code
        == 303
    )
    answers = db.session.scalar(select(Response)).answers
    assert answers["what_happened"] == text
    assert answers["win_back"] == "<img src=x onerror=alert(1)>"
    edit = client.get(f"/s/{token}?edit=1").get_data(as_text=True)
    assert "<script>alert" not in edit and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in edit
    assert "<img src=x" not in edit and "&lt;img src=x onerror=alert(1)&gt;" in edit


def test_over_long_text_is_rejected_with_a_visible_count(client, db, live, app):
    _, token = live
    limit = app.config["FREE_TEXT_MAX_CHARS"]
    page = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "é" * (limit + 3)})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f"Please shorten your answer to {limit:,} characters or fewer" in html and "3 over" in html
    assert f"{limit + 3:,} of {limit:,} characters" in html
    assert response_count(db) == 0
    exactly = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "🙂" * limit})
    assert exactly.status_code == 303
    assert db.session.scalar(select(Response)).answers["what_happened"] == "🙂" * limit


def test_free_text_limit_follows_config(client, db, live, app):
    app.config["FREE_TEXT_MAX_CHARS"] = 10
    _, token = live
    assert 'data-maxchars="10"' in client.get(f"/s/{token}").get_data(as_text=True)
    assert post_survey(client, token, {**GOOD_SAAS_POST, "q_win_back": "x" * 11}).status_code == 422


def test_second_submit_is_received_not_stored_twice(client, db, live):
    _, token = live
    page = client.get(f"/s/{token}")
    assert post_survey(client, token, GOOD_SAAS_POST, page=page).status_code == 303
    again = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "changed"}, page=page)
    assert again.status_code == 200
    assert "Your answer was received" in again.get_data(as_text=True)
    assert response_count(db) == 1
    assert db.session.scalar(select(Response)).answers["what_happened"] == GOOD_SAAS_POST["q_what_happened"]
    assert "Your answer was received" in client.get(f"/s/{token}").get_data(as_text=True)


def test_two_tabs_and_a_second_browser(app, client, db, live):
    _, token = live
    tab1, tab2 = client.get(f"/s/{token}"), client.get(f"/s/{token}")
    other_browser = app.test_client()
    other_page = other_browser.get(f"/s/{token}")
    assert post_survey(client, token, GOOD_SAAS_POST, page=tab1).status_code == 303
    assert post_survey(client, token, GOOD_SAAS_POST, page=tab2).status_code == 200
    assert post_survey(other_browser, token, GOOD_SAAS_POST, page=other_page).status_code == 200
    assert response_count(db) == 1


def test_two_concurrent_posts_store_one_response(app, db, live, tmp_path):
    """Two real HTTP requests race on a threaded werkzeug server; the unique constraint decides."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    _, token = live
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        openers = []
        for _ in range(2):  # two browsers, each with its own session cookie and CSRF token
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
            )
            html = opener.open(f"{base}/s/{token}").read().decode()
            match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
            openers.append((opener, match.group(1)))
        barrier = threading.Barrier(2)
        results: list[tuple[int, str]] = []

        def submit(opener, csrf):
            body = urllib.parse.urlencode({**GOOD_SAAS_POST, "csrf_token": csrf, "version": "1"}).encode()
            barrier.wait()
            try:
                with opener.open(f"{base}/s/{token}", data=body) as reply:
                    results.append((reply.status, reply.read().decode()))
            except urllib.error.HTTPError as exc:
                results.append((exc.code, exc.read().decode()))

        workers = [threading.Thread(target=submit, args=pair) for pair in openers]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
    finally:
        server.shutdown()
        thread.join(5)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 303], results
    assert "Your answer was received" in next(body for status, body in results if status == 200)
    assert response_count(db) == 1


def test_losing_the_race_at_the_database_is_reported_as_received(app, db, live, monkeypatch):
    """Both requests passed the 'already answered?' check; the unique constraint stops the second."""
    from feedback_app.services.surveys.versions import current_version

    invitation, _ = live
    version = current_version(invitation.survey)
    first = response_service.submit_response(invitation, version, {"what_happened": "first"})
    monkeypatch.setattr(
        response_service, "existing_response", lambda inv, _real=response_service.existing_response: None
    )
    second = response_service.submit_response(invitation, version, {"what_happened": "second"})
    monkeypatch.undo()
    assert first.status == "created" and second.status == "duplicate"
    assert response_count(db) == 1
    assert db.session.scalar(select(Response)).answers == {"what_happened": "first"}


def test_edit_within_window_changes_the_one_response(client, db, live, app):
    _, token = live
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    received = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Change my answers" in received
    edit_page = client.get(f"/s/{token}?edit=1")
    html = edit_page.get_data(as_text=True)
    response_id = db.session.scalar(select(Response.id))
    assert f'name="edit_of" type="hidden" value="{response_id}"' in html
    assert "The reporting was too slow" in html
    reply = client.post(
        f"/s/{token}",
        data={
            **GOOD_SAAS_POST,
            "q_nps": "8",
            "edit_of": str(response_id),
            "version": "1",
            "csrf_token": csrf_token(edit_page),
        },
    )
    assert reply.status_code == 303
    assert response_count(db) == 1
    assert db.session.scalar(select(Response)).answers["nps"] == 8


def test_edit_after_window_is_refused(client, db, live, app):
    _, token = live
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    response = db.session.scalar(select(Response))
    edit_page = client.get(f"/s/{token}?edit=1")
    response.submitted_at = utcnow() - timedelta(minutes=app.config["SURVEY_EDIT_WINDOW_MINUTES"] + 1)
    db.session.commit()
    reply = client.post(
        f"/s/{token}",
        data={
            **GOOD_SAAS_POST,
            "q_nps": "9",
            "edit_of": str(response.id),
            "version": "1",
            "csrf_token": csrf_token(edit_page),
        },
    )
    assert "Your answer was received" in reply.get_data(as_text=True)
    assert "Change my answers" not in reply.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Response)).answers["nps"] == 3


def test_bad_csrf_token_stores_nothing_but_keeps_the_answers(app, db, live):
    """A browser that lost its session cookie while the page was open: nothing is stored,
    nothing typed is lost, and sending again works."""
    _, token = live
    browser = app.test_client()
    browser.get(f"/s/{token}")
    browser.delete_cookie("session")
    reply = browser.post(f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": "forged", "version": "1"})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Please send your answers again" in html and 'role="alert"' in html
    assert "The reporting was too slow for our month-end close.</textarea>" in html
    assert response_count(db) == 0
    again = browser.post(
        f"/s/{token}", data={**GOOD_SAAS_POST, "csrf_token": csrf_token(reply), "version": "1"}
    )
    assert again.status_code == 303 and response_count(db) == 1


def test_bad_csrf_on_a_dead_link_reveals_nothing(app, make):
    reply = app.test_client().post(f"/s/{new_token()}", data={**GOOD_SAAS_POST, "csrf_token": "forged"})
    assert reply.status_code == 400 and "Zoë" not in reply.get_data(as_text=True)


def test_after_response_submitted_callbacks_run_after_commit(client, db, live):
    seen: list[tuple[int, int]] = []

    def callback(response_id: int) -> None:
        from feedback_app.extensions import db as _db

        seen.append((response_id, _db.session.scalar(select(func.count(Response.id)))))

    response_service.on_response_submitted(callback)
    try:
        _, token = live
        assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    finally:
        response_service.remove_response_callback(callback)
    response_id = db.session.scalar(select(Response.id))
    assert seen == [(response_id, 1)]


def test_a_failing_callback_does_not_lose_the_answer(client, db, live, caplog, monkeypatch):
    import logging

    # Alembic's fileConfig (run in-process by the migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger(response_service.__name__), "disabled", False)

    def broken(response_id: int) -> None:
        raise RuntimeError("theme service down")

    response_service.on_response_submitted(broken)
    try:
        _, token = live
        reply = post_survey(client, token, GOOD_SAAS_POST)
    finally:
        response_service.remove_response_callback(broken)
    assert reply.status_code == 303 and response_count(db) == 1
    assert "theme service down" in caplog.text


def _follow_up_reasons(db) -> dict[int, str]:
    from feedback_app.models import FollowUp

    db.session.expire_all()
    return {f.response_id: f.reason for f in db.session.scalars(select(FollowUp))}


def test_an_answer_asking_to_be_called_enters_the_follow_up_queue_with_it(client, db, live):
    _, token = live
    answer = {**GOOD_SAAS_POST, "q_what_happened": "Billing broke twice. Please call me about the refund."}
    assert post_survey(client, token, answer).status_code == 303
    response_id = db.session.scalar(select(Response.id))
    assert _follow_up_reasons(db) == {response_id: "Asks to be contacted"}


def test_follow_up_rules_at_submission_use_consent_and_customer_value(client, db, make, saas):
    calls = {**GOOD_SAAS_POST, "q_what_happened": "Please call me.", "q_nps": "8"}
    no_consent, no_token = make.invitation(customer=make.customer(), survey=saas, status="sent")
    assert post_survey(client, no_token, {**calls, "q_contact_ok": "no"}).status_code == 303
    opted_out, opted_token = make.invitation(
        customer=make.customer(opted_out=True), survey=saas, status="sent"
    )
    assert post_survey(client, opted_token, calls).status_code == 303
    angry = {**GOOD_SAAS_POST, "q_nps": "1"}
    big, big_token = make.invitation(
        customer=make.customer(lifetime_value_cents=900000), survey=saas, status="sent"
    )
    assert post_survey(client, big_token, angry).status_code == 303
    small, small_token = make.invitation(
        customer=make.customer(lifetime_value_cents=9000), survey=saas, status="sent"
    )
    assert post_survey(client, small_token, angry).status_code == 303
    big_response = db.session.scalar(select(Response.id).where(Response.invitation_id == big.id))
    assert _follow_up_reasons(db) == {big_response: "Very negative answer from a high-value customer"}


def test_a_broken_follow_up_check_does_not_lose_the_answer(client, db, live, caplog, monkeypatch):
    import logging

    from feedback_app.services.insights import follow_ups

    monkeypatch.setattr(logging.getLogger(follow_ups.__name__), "disabled", False)

    def broken(*_args):
        raise RuntimeError("rule misconfigured")

    monkeypatch.setattr(follow_ups, "_reason", broken)
    _, token = live
    reply = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "Please call me."})
    assert reply.status_code == 303 and response_count(db) == 1
    assert _follow_up_reasons(db) == {}
    assert "rule misconfigured" in caplog.text
    monkeypatch.undo()
    assert follow_ups.refresh() == 1  # the queue catches up on the next refresh (after each analysis run)


def _submit_as_the_page_does(token: str, answers: dict):
    """The survey page's POST path below the view: the invitation looked up, then the write."""
    from feedback_app.services.responses.links import find_invitation
    from feedback_app.services.surveys.versions import current_version

    invitation = find_invitation(token)
    return response_service.submit_response(invitation, current_version(invitation.survey), answers)


def test_a_head_request_is_a_page_view_never_a_submission(client, db, live):
    """HEAD reaches the GET/POST view; with a form body (no browser sends one, a script might) it
    must neither store answers nor skip the signed-field check."""
    _invitation, token = live
    response = client.open(f"/s/{token}", method="HEAD", data={**GOOD_SAAS_POST, "version": "1"})
    assert response.status_code == 200 and response.get_data() == b""
    assert response_count(db) == 0


def test_a_failure_while_queueing_the_follow_up_stores_nothing_half_done(client, db, live, monkeypatch):
    """Answer, completion and follow-up land together in one transaction, so a failure part-way
    leaves no answer without its follow-up."""
    from feedback_app.models import Invitation
    from feedback_app.services.insights import follow_ups

    def failing(*_args):
        raise RuntimeError("follow-up queue unavailable")

    invitation, token = live
    monkeypatch.setattr(follow_ups, "add_follow_up", failing)
    with pytest.raises(RuntimeError):
        _submit_as_the_page_does(token, {"what_happened": "Please call me.", "contact_ok": "yes"})
    db.session.rollback()
    assert response_count(db) == 0
    assert db.session.get(Invitation, invitation.id).status != "completed"
    monkeypatch.undo()  # the person sends the form again: now it is stored, with its follow-up
    assert (
        post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "Please call me."}).status_code
        == 303
    )
    assert list(_follow_up_reasons(db).values()) == ["Asks to be contacted"]


def test_a_submission_that_loses_the_race_changes_nothing(client, db, live, monkeypatch):
    """Both requests saw no response; the second's write fails as a whole on the unique
    constraint and the first one's completion stands."""
    from feedback_app.models import Invitation

    invitation, token = live
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    db.session.expire_all()
    completed_at = db.session.get(Invitation, invitation.id).completed_at
    first_id = db.session.scalar(select(Response.id))
    monkeypatch.setattr(response_service, "existing_response", lambda _invitation: None)
    outcome = _submit_as_the_page_does(token, {"what_happened": "second"})
    assert (outcome.status, outcome.response_id) == ("duplicate", first_id)
    db.session.expire_all()
    assert response_count(db) == 1
    assert db.session.get(Invitation, invitation.id).completed_at == completed_at
    assert db.session.scalar(select(Response.answers)) != {"what_happened": "second"}


def test_an_answer_for_a_vanished_invitation_is_an_error_not_received(db, live):
    """Only the unique constraint means "already received"; any other refusal (here the invitation
    was erased between the page's read and the write) must not tell the person it was stored."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import IntegrityError

    from feedback_app.services.responses.links import find_invitation
    from feedback_app.services.surveys.versions import current_version

    invitation_row, token = live
    db.session.commit()
    invitation = find_invitation(token)
    version = current_version(invitation.survey)
    other = create_engine(db.engine.url.render_as_string(hide_password=False))  # another request erases it
    with other.begin() as connection:
        connection.execute(text("DELETE FROM invitation WHERE id = :id"), {"id": invitation_row.id})
    other.dispose()
    with pytest.raises(IntegrityError):
        response_service.submit_response(invitation, version, {"what_happened": "lost?"})
    db.session.rollback()
    assert response_count(db) == 0


def test_a_submission_inside_the_callers_transaction_is_stored_with_it(app, db, live):
    """Other callers of ``submit_response`` (imports, the API) may come with writes of their own in
    the session: the answer joins their transaction instead of a connection of its own, which
    could not see them and, on PostgreSQL, would wait for ever on the row they lock."""
    from feedback_app.models import Invitation
    from feedback_app.services.surveys.versions import current_version

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if db.engine.dialect.name == "postgresql":  # a wait on our own lock fails the test instead of hanging it
        options["connect_args"] = {"options": "-c lock_timeout=5s"}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    invitation, _ = live
    invitation.reminder_count = 3
    db.session.flush()  # the invitation row is now locked by this transaction
    outcome = response_service.submit_response(
        invitation, current_version(invitation.survey), {"what_happened": "joined"}
    )
    assert outcome.status == "created"
    db.session.expire_all()
    stored = db.session.get(Invitation, invitation.id)
    assert (stored.status, stored.reminder_count) == ("completed", 3)
    assert db.session.scalar(select(Response.answers)) == {"what_happened": "joined"}


def test_an_edit_that_asks_for_a_call_is_queued(client, db, live, app):
    app.config["SURVEY_EDIT_WINDOW_MINUTES"] = 30
    _, token = live
    first = post_survey(client, token, GOOD_SAAS_POST)
    assert first.status_code == 303 and _follow_up_reasons(db) == {}
    page = client.get(f"/s/{token}?edit=1")
    response_id = db.session.scalar(select(Response.id))
    edited = client.post(
        f"/s/{token}",
        data={
            **GOOD_SAAS_POST,
            "q_what_happened": "On reflection, please call me.",
            "edit_of": str(response_id),
            "version": "1",
            "csrf_token": csrf_token(page),
        },
    )
    assert edited.status_code == 303 and response_count(db) == 1
    assert list(_follow_up_reasons(db).values()) == ["Asks to be contacted"]


def test_response_records_the_version_it_answered(client, db, make, app):
    from feedback_app.services.surveys import versions as survey_service
    from tests.factories import MINIMAL_DEFINITION

    first = {**MINIMAL_DEFINITION, "key": "versioned"}
    survey_service.store_definition(first)
    from feedback_app.models import Survey

    survey = db.session.scalar(select(Survey).where(Survey.key == "versioned"))
    _, token_a = make.invitation(survey=survey)
    _, token_b = make.invitation(survey=survey)
    page_a = client.get(f"/s/{token_a}")  # rendered with version 1
    changed = {**first, "title": "Why did you leave us?"}
    assert survey_service.store_definition(changed).version == 2
    client.post(
        f"/s/{token_a}", data={"q_what_happened": "a", "csrf_token": csrf_token(page_a), "version": "1"}
    )
    page_b = client.get(f"/s/{token_b}")
    assert "Why did you leave us?" in page_b.get_data(as_text=True)
    client.post(
        f"/s/{token_b}", data={"q_what_happened": "b", "csrf_token": csrf_token(page_b), "version": "2"}
    )
    versions = {
        r.answers["what_happened"]: r.survey_version.version for r in db.session.scalars(select(Response))
    }
    assert versions == {"a": 1, "b": 2}


@pytest.mark.parametrize("name", ["ecommerce_lapsed_buyer", "subscription_service"])
def test_other_shipped_surveys_render_and_accept_an_answer(client, db, make, name):
    survey = shipped_survey(name)
    _, token = make.invitation(survey=survey)
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "{company}" not in html and "Brightloop" in html
    posted = {"q_main_reason": "other", "q_what_happened": "Moved abroad.", "q_contact_ok": "no"}
    assert post_survey(client, token, posted).status_code == 303
    answers = db.session.scalar(select(Response)).answers
    assert answers["main_reason"] == "other" and answers["contact_ok"] == "no" and "competitor" not in answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), min_size=1, max_size=300
    ).filter(lambda t: t.strip())
)
def test_any_unicode_text_is_stored_exactly_as_typed(app, client, db, make, saas, text):
    """Whatever a person types (any script, emoji, combining marks, RTL, leading spaces) comes back
    unchanged; the browser's CRLF for a typed line break is stored as the one character typed."""
    _, token = make.invitation(survey=saas)
    posted = {**GOOD_SAAS_POST, "q_what_happened": text.replace("\n", "\r\n")}
    assert post_survey(client, token, posted).status_code == 303
    stored = db.session.scalar(select(Response).order_by(Response.id.desc()))
    assert stored.answers["what_happened"] == text
