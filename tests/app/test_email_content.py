"""What goes into an email: no name or subject can add a header, and the file transport."""

from __future__ import annotations

import email
from email import policy

import pytest
from sqlalchemy import select

from feedback_app.models import OutboxEmail
from feedback_app.services import outbox
from feedback_app.services.invitations import InvitationFilters, create_invitations
from feedback_app.services.mail.message import build_message, clean_header_text

INJECTED = "Eve\r\nBcc: victim@evil.example\r\nX-Injected: yes"


def test_a_name_and_company_with_line_breaks_cannot_add_headers_or_recipients(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    app.config["COMPANY_NAME"] = "Brightloop\nX-Company-Injected: 1"
    make.survey(key="exit")
    make.customer(name=INJECTED, company="Acme\r\nBcc: other@evil.example", email="eve@example.com")
    create_invitations("exit", InvitationFilters())

    assert outbox.deliver().sent == 1

    (received,) = smtp_server.messages
    assert received.rcpt_tos == ["eve@example.com"]
    headers = received.data.split(b"\r\n\r\n", 1)[0].decode()
    for name in ("Bcc", "X-Injected", "X-Company-Injected"):
        assert not any(line.lower().startswith(name.lower() + ":") for line in headers.split("\r\n")), name
    message = received.message
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in str(message["To"]) and "\n" not in str(message["Subject"])
    assert message["To"].addresses[0].addr_spec == "eve@example.com"


@pytest.mark.parametrize("subject", ["Hello\r\nBcc: a@evil.example", "Hello\nBcc: a@evil.example",
                                     "Hello\rBcc: a@evil.example", "Hello\u2028Bcc: a@evil.example",
                                     "Hello\x00\x0bBcc: a@evil.example"])
def test_a_subject_with_control_characters_stays_one_header(subject):
    message = build_message(sender="Brightloop <feedback@brightloop.example>", recipient="pat@example.com",
                            recipient_name="Pat", subject=subject, body_text="hi", body_html="<p>hi</p>",
                            message_id="<1@brightloop.example>", headers={"Bcc": "x@evil.example",
                                                                          "List-Unsubscribe": "<https://a>\r\nBcc: y@evil"})
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hello Bcc: a@evil.example"
    assert parsed["List-Unsubscribe"] == "<https://a> Bcc: y@evil"


@pytest.mark.parametrize("recipient", ["pat@example.com\r\nBcc: x@evil.example", "a@example.com, b@example.com",
                                       "not-an-address"])
def test_a_bad_recipient_address_is_refused(recipient):
    with pytest.raises(ValueError):
        build_message(sender="feedback@brightloop.example", recipient=recipient, recipient_name=None, subject="s",
                      body_text="t", body_html="h", message_id="<1@b.example>")


def test_clean_header_text_keeps_ordinary_unicode():
    assert clean_header_text("  José   Müller\t") == "José Müller"


def test_a_row_with_a_broken_address_fails_without_a_retry_and_without_sending(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    make.survey(key="exit")
    make.customer(email="broken@example.com\nBcc: x@evil.example")
    create_invitations("exit", InvitationFilters())
    report = outbox.deliver()
    row = db.session.scalar(select(OutboxEmail))
    assert report.failed == 1 and row.status == "failed" and row.last_error.startswith("invalid address")
    assert smtp_server.messages == []


def test_the_file_transport_writes_one_eml_per_email_and_a_resend_overwrites_it(app, make, db, tmp_path):
    make.survey(key="exit")
    make.customer(name="Ana Lopez")
    make.customer()
    create_invitations("exit", InvitationFilters())

    assert outbox.deliver().sent == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed.get_body(("plain",)) is not None and parsed.get_body(("html",)) is not None
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    row = db.session.scalar(select(OutboxEmail).order_by(OutboxEmail.id))
    row.status = "failed"
    db.session.commit()
    outbox.retry(row.id)
    assert outbox.deliver().sent == 1
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2  # same Message-ID, same file
