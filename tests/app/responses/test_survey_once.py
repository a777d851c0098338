"""One response per invitation: a second submit, two tabs, concurrent posts, races at the database,
edits inside and after the window, lost CSRF tokens."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from feedback_app.models import Response, utcnow
from feedback_app.services.outreach.tokens import new_token
from feedback_app.services.responses import submission as response_service
from tests.app.survey_helpers import (
    GOOD_SAAS_POST,
    post_survey,
    response_count,
    shipped_survey,
    submit_as_the_page_does,
)
from tests.helpers import csrf_token


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
    # the same answers again (a double tap, a resend): the thank-you page, nothing stored twice
    same = post_survey(client, token, GOOD_SAAS_POST, page=tab2)
    assert same.status_code == 303 and same.headers["Location"].endswith(f"/s/{token}/thanks")
    # other answers from another browser: told the survey was already answered, nothing changed
    other = post_survey(other_browser, token, {**GOOD_SAAS_POST, "q_nps": "9"}, page=other_page)
    assert other.status_code == 200 and "nothing more is needed" in other.get_data(as_text=True)
    assert response_count(db) == 1
    assert db.session.scalar(select(Response)).answers["nps"] == 3


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
    # both sent the same answers: the loser is a repeat of the winner's POST, so both end on the
    # thank-you page; one response is stored
    assert [status for status, _ in results] == [303, 303], results
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
    edited = db.session.scalar(select(Response))
    assert edited.answers["nps"] == 8
    assert edited.edited_at is not None and edited.edited_at >= edited.submitted_at  # outranks an older run


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
    # the person who just pressed "Save my changes" is told the changes were not saved
    notice = re.search(r'<p role="alert">([^<]*)</p>', reply.get_data(as_text=True))
    assert notice and "these changes were not saved" in notice[1]
    assert "nothing more is needed" not in reply.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Response)).answers["nps"] == 3
    # a plain second submit (another tab, no edit) is still just "received"
    again = client.post(
        f"/s/{token}",
        data={**GOOD_SAAS_POST, "q_nps": "5", "version": "1", "csrf_token": csrf_token(edit_page)},
    ).get_data(as_text=True)
    assert "these changes were not saved" not in again and "nothing more is needed" in again


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
    outcome = submit_as_the_page_does(token, {"what_happened": "second"})
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


@pytest.mark.parametrize(
    ("language", "day"),
    [
        ("en", "on December 5, 2026."),
        ("de", "am 5. Dezember 2026 bereits"),  # not "am 5 Dezember 2026"
        ("es", "el 5 de diciembre de 2026."),  # not "el 5 diciembre 2026"
        ("fr", "le 5 décembre 2026."),
        ("pt", "em 5 de dezembro de 2026."),  # not "em 5 dezembro 2026"
    ],
)
def test_an_answered_link_gives_the_day_as_its_language_writes_a_date(client, make, language, day):
    survey = shipped_survey("saas_cancellation")
    invitation, token = make.invitation(
        customer=make.customer(language=language),
        survey=survey,
        completed_at=datetime(2026, 12, 5, 9, tzinfo=UTC),
    )
    make.response(invitation, submitted_at=datetime(2026, 12, 5, 9, tzinfo=UTC))
    page = client.get(f"/s/{token}?lang={language}").get_data(as_text=True)
    assert day in " ".join(page.split())
