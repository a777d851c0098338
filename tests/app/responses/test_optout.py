"""Opting out: the confirmation form, RFC 8058 one-click, and GET never unsubscribing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, utcnow
from feedback_app.services.outreach import optout as optout_service
from feedback_app.services.outreach.tokens import new_token
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey
from tests.helpers import csrf_token


@pytest.fixture
def live(make, app):
    survey = shipped_survey("saas_cancellation")
    return make.invitation(customer=make.customer(name="Kwame Mensah"), survey=survey, status="sent")


def refreshed(db, invitation):
    db.session.expire_all()
    return invitation, invitation.customer


def test_every_survey_page_links_to_opt_out(client, live):
    _, token = live
    for path in (f"/s/{token}",):
        assert f'href="/s/{token}/opt-out"' in client.get(path).get_data(as_text=True)
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    thanks = client.get(f"/s/{token}/thanks").get_data(as_text=True)
    assert f'href="/s/{token}/opt-out"' in thanks
    assert "Thank you, Kwame" in thanks and "Thank you. Your answers" not in thanks  # thanked once
    assert "Your answers were received, and they will be read by the team" in thanks


def test_get_shows_a_confirmation_and_changes_nothing(client, db, live):
    invitation, token = live
    page = client.get(f"/s/{token}/opt-out")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stop emails from Brightloop?" in html and "Yes, opt me out" in html
    invitation, customer = refreshed(db, invitation)
    assert customer.opted_out is False and invitation.status == "sent"


def test_confirming_opts_out_customer_and_invitation(client, db, live):
    invitation, token = live
    page = client.get(f"/s/{token}/opt-out")
    reply = client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf_token(page)})
    assert reply.status_code == 200 and "You have opted out" in reply.get_data(as_text=True)
    invitation, customer = refreshed(db, invitation)
    assert customer.opted_out is True and customer.opted_out_at is not None
    assert invitation.status == "opted_out" and invitation.opted_out_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.opted_out"))
    assert event.target_id == str(customer.id) and event.details["channel"] == "survey_page"
    again = client.get(f"/s/{token}/opt-out").get_data(as_text=True)
    assert "You had already opted out" in again


def test_opt_out_post_without_csrf_changes_nothing(client, db, live):
    invitation, token = live
    reply = client.post(f"/s/{token}/opt-out", data={})
    assert reply.status_code == 400
    _, customer = refreshed(db, invitation)
    assert customer.opted_out is False


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_unsubscribe_is_cookieless_and_answers_200(app, db, live, encoding):
    invitation, token = live
    fresh = app.test_client(use_cookies=False)  # an email client: no session, no CSRF token
    body = {"List-Unsubscribe": "One-Click"}
    reply = fresh.post(
        f"/s/{token}/unsubscribe",
        data=body,
        content_type="multipart/form-data" if encoding == "multipart" else None,
    )
    assert reply.status_code == 200 and "Location" not in reply.headers
    invitation, customer = refreshed(db, invitation)
    assert customer.opted_out is True and invitation.status == "opted_out"
    assert db.session.scalar(select(AuditEvent.details))["channel"] == "one_click"
    assert fresh.post(f"/s/{token}/unsubscribe", data=body).status_code == 200  # repeat is harmless


def test_one_click_without_the_one_click_body_changes_nothing(app, db, live):
    invitation, token = live
    reply = app.test_client(use_cookies=False).post(f"/s/{token}/unsubscribe", data={"other": "x"})
    assert reply.status_code == 400
    _, customer = refreshed(db, invitation)
    assert customer.opted_out is False


def test_get_on_the_one_click_url_does_not_unsubscribe(client, db, live):
    """Link scanners and prefetchers GET links in emails; only the POST may unsubscribe."""
    invitation, token = live
    page = client.get(f"/s/{token}/unsubscribe")
    assert page.status_code == 200 and "Yes, opt me out" in page.get_data(as_text=True)
    _, customer = refreshed(db, invitation)
    assert customer.opted_out is False


@pytest.mark.parametrize("kind", ["unknown", "tampered"])
def test_one_click_on_an_unknown_link_is_404(app, make, kind):
    # An expired or revoked one still unsubscribes (tests/app/outreach/test_email_unsubscribe.py).
    token = new_token()
    if kind == "tampered":
        _, token = make.invitation(expires_at=utcnow() - timedelta(days=1))
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    reply = app.test_client(use_cookies=False).post(
        f"/s/{token}/unsubscribe", data={"List-Unsubscribe": "One-Click"}
    )
    assert reply.status_code == 404


def test_opting_out_after_answering_keeps_the_answer_counted(client, db, live):
    invitation, token = live
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    optout_service.opt_out(invitation.customer, invitation=invitation, channel="email_reply")
    invitation, customer = refreshed(db, invitation)
    assert customer.opted_out is True
    assert invitation.status == "completed" and invitation.opted_out_at is not None


def test_service_keeps_the_first_opt_out_time(db, live):
    invitation, token = live
    first = optout_service.opt_out(invitation.customer, invitation=invitation, channel="one_click")
    stamp = invitation.customer.opted_out_at
    second = optout_service.opt_out(invitation.customer, invitation=invitation, channel="survey_page")
    assert first.already is False and second.already is True
    assert invitation.customer.opted_out_at == stamp
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1


def test_after_answering_the_opt_out_pages_offer_no_survey_and_no_second_opt_out_link(client, live):
    """ "No, take me to the survey" led to "you already answered"; the footer repeated the link to
    the very page it was on."""
    _, token = live
    before = client.get(f"/s/{token}/opt-out").get_data(as_text=True)
    assert "No, take me to the survey" in before
    assert "Opt out: no more emails" not in before, "the page does not link to itself"
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    page = client.get(f"/s/{token}/opt-out")
    html = page.get_data(as_text=True)
    assert "No, take me to the survey" not in html and "No, keep my emails" in html
    reply = client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf_token(page)}).get_data(as_text=True)
    assert "You have opted out" in reply and "answer the survey" not in reply
    assert "Opt out: no more emails" not in reply
