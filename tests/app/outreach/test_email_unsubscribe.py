"""The List-Unsubscribe URL in a delivered email really unsubscribes, by a cookieless one-click
POST (urlencoded or multipart), and a GET of the same URL does not; it keeps working after the
survey link beside it has expired or been replaced."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, DepartedCustomer, Invitation, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop_links
from feedback_app.services.outreach import outbox
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations, queue_reminders


@pytest.fixture
def delivered(app, smtp_server, make, db):
    """A delivered invitation: (customer, the path of the one-click URL from the received email)."""
    app.config.update(smtp_server.mail_settings())
    make.survey(key="exit")
    customer = make.customer(email="leaver@example.com")
    create_invitations("exit", InvitationFilters())
    outbox.deliver()
    header = smtp_server.messages[0].message["List-Unsubscribe"]
    url = re.fullmatch(r"<(http://survey\.test(/f/[\w.-]+/opt-out))>", header).group(2)
    return customer, url


def opted_out(db, customer) -> bool:
    db.session.expire_all()
    return db.session.get(DepartedCustomer, customer.id).opted_out


@pytest.mark.parametrize("multipart", [False, True])
def test_one_click_post_unsubscribes_with_200_and_no_redirect(app, db, delivered, multipart):
    customer, path = delivered
    cookieless = app.test_client(use_cookies=False)
    response = cookieless.post(
        path,
        data={"List-Unsubscribe": "One-Click"},
        content_type="multipart/form-data" if multipart else None,
    )
    assert response.status_code == 200 and "Location" not in response.headers
    assert opted_out(db, customer)


def test_a_get_of_the_unsubscribe_url_does_not_unsubscribe(app, db, delivered):
    customer, path = delivered
    response = app.test_client(use_cookies=False).get(path)
    assert response.status_code == 200
    assert not opted_out(db, customer)


def test_a_head_request_with_the_one_click_body_does_not_unsubscribe(app, db, delivered):
    """A link scanner's HEAD (Flask routes it to the GET/POST view) is never the one-click POST."""
    customer, path = delivered
    response = app.test_client(use_cookies=False).open(
        path, method="HEAD", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not opted_out(db, customer)


def test_after_one_click_no_reminder_is_queued_and_a_queued_one_is_not_sent(app, db, delivered, smtp_server):
    customer, path = delivered
    invitation = customer.invitations[0]
    invitation.sent_at = utcnow() - timedelta(days=10)
    db.session.commit()
    queue_reminders(after_days=4, max_reminders=1)  # queued before the click
    app.test_client(use_cookies=False).post(path, data={"List-Unsubscribe": "One-Click"})

    report = outbox.deliver()

    assert report.sent == 0 and len(smtp_server.messages) == 1
    reminder = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "reminder"))
    assert reminder.status == "cancelled"
    assert queue_reminders(after_days=0, max_reminders=5).queued == 0


def test_one_click_posts_from_one_address_have_their_own_limit_not_the_survey_one(app, smtp_server, make, db):
    """A mailbox provider sends many one-click POSTs from one address (issue 16, item 8): they must
    not use up, nor be stopped by, the 60/minute survey limit, yet still have a limit of their own."""
    app.config.update(smtp_server.mail_settings())
    app.config.update(RATELIMIT_SURVEY="3/minute", RATELIMIT_UNSUBSCRIBE="6/minute")
    make.survey(key="exit")
    customers = [make.customer(email=f"leaver{i}@example.com") for i in range(7)]
    create_invitations("exit", InvitationFilters())
    assert outbox.deliver().sent == 7
    paths = {
        received.rcpt_tos[0]: re.fullmatch(
            r"<http://survey\.test(/f/[\w.-]+/opt-out)>", received.message["List-Unsubscribe"]
        ).group(1)
        for received in smtp_server.messages
    }
    last = next(m for m in smtp_server.messages if m.rcpt_tos[0] == customers[6].email)
    survey_page = re.search(
        r"http://survey\.test(/s/[\w-]{43})", last.message.get_body(("plain",)).get_content()
    )[1]
    provider = app.test_client(use_cookies=False)  # every request from the same client address

    codes = [
        provider.post(paths[c.email], data={"List-Unsubscribe": "One-Click"}).status_code for c in customers
    ]

    assert codes == [200] * 6 + [429]  # twice the survey limit went through; the seventh hit its own limit
    assert [opted_out(db, c) for c in customers] == [True] * 6 + [False]
    # The survey pages' own count from this address was not used up by the unsubscribes.
    assert [provider.get(survey_page).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_default_one_click_limit_is_far_above_the_survey_limit(app):
    from limits import parse

    assert (
        parse(app.config["RATELIMIT_UNSUBSCRIBE"]).amount >= 10 * parse(app.config["RATELIMIT_SURVEY"]).amount
    )


def test_the_list_unsubscribe_header_reaches_the_mail_server_as_plain_urls(app, smtp_server, make, db):
    """A real base URL makes the header longer than a folded line: it must still arrive as
    ``<https://...>``, not as RFC 2047 encoded words, which mail clients do not read as a URL
    in this header (Gmail or Yahoo would offer no one-click unsubscribe)."""
    app.config.update(smtp_server.mail_settings())
    app.config["PUBLIC_BASE_URL"] = "https://feedback.brightloop-customer-care.example"
    app.config["MAIL_UNSUBSCRIBE_MAILTO"] = "unsubscribe@brightloop.example"
    make.survey(key="exit")
    make.customer(email="leaver@example.com")
    create_invitations("exit", InvitationFilters())
    outbox.deliver()

    raw_headers = smtp_server.messages[0].data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    unfolded = re.sub(r"\r\n[ \t]+", " ", raw_headers)
    (line,) = [h for h in unfolded.split("\r\n") if h.startswith("List-Unsubscribe:")]
    assert "=?" not in line
    assert re.fullmatch(
        r"List-Unsubscribe: <https://feedback\.brightloop-customer-care\.example/f/[\w.-]+/opt-out>, "
        r"<mailto:unsubscribe@brightloop\.example[^>]*>",
        line,
    ), line


def test_an_old_emails_unsubscribe_link_works_after_its_survey_link_expired_and_was_replaced(
    app, db, delivered, smtp_server
):
    """An email stays in the inbox for years: its opt-out link must outlive the survey link (here
    expired, and then replaced by a reminder's fresh one) for as long as the customer keeps it."""
    customer, path = delivered
    body = smtp_server.messages[0].message.get_body(("plain",)).get_content()
    survey_path = re.search(r"http://survey\.test(/s/[\w-]{43})", body)[1]
    invitation = customer.invitations[0]
    invitation.expires_at = utcnow() - timedelta(days=400)
    invitation.token_hash = "0" * 64  # a later reminder replaced the token
    db.session.commit()
    email_client = app.test_client(use_cookies=False)
    assert email_client.get(survey_path).status_code == 404, "the survey link has ended"
    footer = email_client.get(path)
    assert footer.status_code == 200 and "Yes, opt me out" in footer.get_data(as_text=True)
    assert not opted_out(db, customer)

    answered = email_client.post(path, data={"List-Unsubscribe": "One-Click"})

    assert answered.status_code == 200 and opted_out(db, customer)
    invitation = db.session.get(Invitation, invitation.id)
    assert invitation.status == "opted_out" and invitation.opted_out_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.opted_out"))
    assert event.details["channel"] == "survey_email" and event.details["invitation_id"] == invitation.id


def test_an_unsubscribe_link_is_signed_and_names_one_customer(app, db, delivered, make):
    customer, path = delivered
    other = make.customer(email="stays@example.com")
    token = path.split("/")[2]
    payload, signature = token.rsplit(".", 1)
    forged = close_loop_links.make_token(other, "survey").rsplit(".", 1)[0] + "." + signature
    email_client = app.test_client(use_cookies=False)
    for wrong in (forged, payload + "." + "A" * len(signature), token[:-2]):
        answer = email_client.post(f"/f/{wrong}/opt-out", data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 404, wrong
    assert not opted_out(db, other) and not opted_out(db, customer)
    app.config.update(SECRET_KEY="a-new-key-after-rotation", SECRET_KEY_FALLBACKS=[app.config["SECRET_KEY"]])
    assert email_client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert opted_out(db, customer) and not opted_out(db, other)


@pytest.mark.parametrize("ended", ["expired", "revoked"])
def test_an_email_from_before_the_signed_link_still_unsubscribes_after_its_survey_link_ended(
    app, db, make, ended
):
    """Emails already sent carry ``/s/<token>/unsubscribe`` and ``/s/<token>/opt-out``: once their
    survey link has ended, the one-click POST still opts out and the page hands over to the
    signed opt-out page; the survey itself stays closed."""
    customer = make.customer(email="early@example.com")
    invitation, token = make.invitation(customer=customer, survey=make.survey(key="exit"), status="sent")
    if ended == "expired":
        invitation.expires_at = utcnow() - timedelta(days=400)
    else:
        invitation.status, invitation.revoked_at = "revoked", utcnow()
    db.session.commit()
    email_client = app.test_client(use_cookies=False)
    assert email_client.get(f"/s/{token}").status_code == 404
    page = email_client.get(f"/s/{token}/opt-out")
    assert page.status_code == 303
    assert page.headers["Location"] == close_loop_links.opt_out_url(customer, "survey", invitation.id)
    assert not opted_out(db, customer)

    answered = email_client.post(f"/s/{token}/unsubscribe", data={"List-Unsubscribe": "One-Click"})

    assert answered.status_code == 200 and "You have opted out" in answered.get_data(as_text=True)
    assert opted_out(db, customer)
    kept = db.session.get(Invitation, invitation.id)
    assert kept.opted_out_at is not None
    assert kept.status == ("revoked" if ended == "revoked" else "opted_out")
    assert (
        email_client.post(
            "/s/" + "x" * 43 + "/unsubscribe", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
