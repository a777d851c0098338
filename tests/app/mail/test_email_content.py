"""What goes into an email: no name or subject can add a header, and the file transport."""

from __future__ import annotations

import email
from email import policy
from email.parser import BytesParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from feedback_app.models import OutboxEmail
from feedback_app.services.mail.message import ENCODED_WORD, build_message, clean_header_text
from feedback_app.services.outreach import outbox, outbox_admin
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations

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


@pytest.mark.parametrize(
    "subject",
    [
        "Hello\r\nBcc: a@evil.example",
        "Hello\nBcc: a@evil.example",
        "Hello\rBcc: a@evil.example",
        "Hello\u2028Bcc: a@evil.example",
        "Hello\x00\x0bBcc: a@evil.example",
    ],
)
def test_a_subject_with_control_characters_stays_one_header(subject):
    message = build_message(
        sender="Brightloop <feedback@brightloop.example>",
        recipient="pat@example.com",
        recipient_name="Pat",
        subject=subject,
        body_text="hi",
        body_html="<p>hi</p>",
        message_id="<1@brightloop.example>",
        headers={"Bcc": "x@evil.example", "List-Unsubscribe": "<https://a>\r\nBcc: y@evil"},
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hello Bcc: a@evil.example"
    assert parsed["List-Unsubscribe"] == "<https://a> Bcc: y@evil"


@pytest.mark.parametrize(
    "recipient", ["pat@example.com\r\nBcc: x@evil.example", "a@example.com, b@example.com", "not-an-address"]
)
def test_a_bad_recipient_address_is_refused(recipient):
    with pytest.raises(ValueError):
        build_message(
            sender="feedback@brightloop.example",
            recipient=recipient,
            recipient_name=None,
            subject="s",
            body_text="t",
            body_html="h",
            message_id="<1@b.example>",
        )


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
    outbox_admin.retry(row.id)
    assert outbox.deliver().sent == 1
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2  # same Message-ID, same file


# --- RFC 2047 encoded words in names (issue 16, item 2) ----------------------------------------------
# The email package decodes encoded words it finds in a header value, even inside a quoted display
# name; on a Python without CVE-2024-6923's fix the decoded CR LF reached the bytes sent. Every case
# below is checked on the generated bytes with the strict parser.

ENCODED_NAMES = [
    "=?utf-8?q?Sam=0D=0AReply-To=3A_attacker=40evil.example?=",
    "=?UTF-8?B?U2FtDQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?=",  # "Sam\r\nBcc: victim@evil.example"
    "Sam =?utf-8?q?=0ABcc=3A_victim=40evil.example?= Smith",
    "=?utf-8?q?=3D=3Futf-8=3Fq=3FSam=3D0D=3D0ABcc=3D3A_v=3D40evil.example=3F=3D?=",  # encoded twice
    "=?x-unknown?q?Sam=0D=0ABcc=3A_victim=40evil.example?=",
    '"=?utf-8?q?Sam=0D=0AReply-To=3A_a=40evil.example?=" <x@evil.example>',
]


def strictly_parsed(data: bytes) -> email.message.EmailMessage:
    """The message as a strict parser reads it, with exactly one To and no added header."""
    message = BytesParser(policy=policy.strict).parsebytes(data)
    header_block = data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii")
    names = [
        line.split(":", 1)[0].lower() for line in header_block.split("\n") if line and line[0] not in " \t"
    ]
    assert names.count("to") == 1 and len(message.get_all("To")) == 1, header_block
    for added in ("reply-to", "bcc", "cc"):
        assert added not in names, header_block
    assert message["Reply-To"] is None and message["Bcc"] is None and message["Cc"] is None
    return message


def assert_harmless_to(message: email.message.EmailMessage, addr_spec: str) -> None:
    (address,) = message["To"].addresses
    assert address.addr_spec == addr_spec
    for text in (address.display_name, str(message["Subject"])):
        assert not any(ch in text for ch in "\r\n\x00") and not ENCODED_WORD.search(text), text


@pytest.mark.parametrize("name", ENCODED_NAMES)
def test_an_encoded_word_in_a_name_or_subject_never_adds_a_header(name):
    message = build_message(
        sender="Brightloop <feedback@brightloop.example>",
        recipient="sam@test.example.org",
        recipient_name=name,
        subject=f"{name}, why did you leave?",
        body_text="hi",
        body_html="<p>hi</p>",
        message_id="<1@brightloop.example>",
    )
    assert_harmless_to(strictly_parsed(message.as_bytes()), "sam@test.example.org")


def test_a_well_formed_encoded_name_is_shown_decoded():
    message = build_message(
        sender="feedback@brightloop.example",
        recipient="j@test.example.org",
        recipient_name="=?utf-8?q?J=C3=BCrgen?= =?utf-8?q?_M=C3=BCller?=",
        subject="s",
        body_text="t",
        body_html="h",
        message_id="<1@brightloop.example>",
    )
    assert strictly_parsed(message.as_bytes())["To"].addresses[0].display_name == "Jürgen Müller"
    assert (
        clean_header_text("=?utf-8?q?Sam=0D=0AReply-To=3A_a=40evil.example?=")
        == "Sam Reply-To: a@evil.example"
    )


ATTACK = ENCODED_NAMES[0]


def _deliver_and_check(smtp_server, make, addr_spec: str) -> None:
    make.survey(key="exit")
    run = create_invitations("exit", InvitationFilters())
    assert run.created == 1
    assert outbox.deliver().sent == 1
    (received,) = smtp_server.messages
    assert received.rcpt_tos == [addr_spec]
    assert_harmless_to(strictly_parsed(received.data), addr_spec)


def test_a_name_from_a_signed_stripe_event_cannot_add_headers(app, client, smtp_server, make, db):
    import json
    import time

    from feedback_app.services.billing.stripe import sign

    app.config.update(smtp_server.mail_settings())
    app.config["STRIPE_WEBHOOK_SECRET"] = secret = "whsec_test_signing_secret"
    now = int(time.time())
    event = {
        "id": "evt_1",
        "object": "event",
        "type": "customer.subscription.deleted",
        "created": now,
        "data": {
            "object": {
                "id": "sub_1",
                "object": "subscription",
                "ended_at": now,
                "status": "canceled",
                "customer": {"id": "cus_1", "email": "sam@test.example.org", "name": ATTACK},
            }
        },
    }
    body = json.dumps(event).encode()
    response = client.post(
        "/api/v1/webhooks/stripe",
        data=body,
        headers={
            "Stripe-Signature": f"t={now},v1={sign(body, secret, now)}",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 201, response.get_json()
    _deliver_and_check(smtp_server, make, "sam@test.example.org")


def test_a_name_from_the_departures_api_cannot_add_headers(app, client, smtp_server, make, db, api_key):
    app.config.update(smtp_server.mail_settings())
    response = client.post(
        "/api/v1/departures",
        json={
            "external_id": "c-1",
            "email": "sam@test.example.org",
            "name": ENCODED_NAMES[1],
            "left_at": "2026-10-01",
        },
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert response.status_code == 201, response.get_json()
    _deliver_and_check(smtp_server, make, "sam@test.example.org")


def test_a_name_from_a_csv_import_cannot_add_headers_in_the_written_eml(app, make, db, tmp_path):
    from feedback_app.services.customers.csv_import import import_csv

    app.config.update(MAIL_TRANSPORT="file", MAIL_OUTBOX_DIR=str(tmp_path / "mail"))
    data = (
        f"external_id,email,name,left_at\nc-1,sam@test.example.org,{ENCODED_NAMES[2]},2026-10-01\n"
    ).encode()
    assert import_csv(data).created == 1
    make.survey(key="exit")
    create_invitations("exit", InvitationFilters())
    assert outbox.deliver().sent == 1
    (written,) = (tmp_path / "mail").glob("*.eml")
    assert_harmless_to(strictly_parsed(written.read_bytes()), "sam@test.example.org")


def _encoded(text: str, encoding: str) -> str:
    import base64

    data = text.encode()
    if encoding == "b":
        return f"=?utf-8?b?{base64.b64encode(data).decode()}?="
    return "=?utf-8?q?" + "".join(f"={byte:02X}" for byte in data) + "?="


_NAMES_WITH_ENCODED_WORDS = st.recursive(
    st.text(alphabet="=?qb aZ\r\n:@_", max_size=8),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("bq")).map(lambda pair: _encoded(*pair)),
        st.lists(inner, max_size=3).map("".join),
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(_NAMES_WITH_ENCODED_WORDS)
def test_a_mail_reader_shows_exactly_the_cleaned_name_and_nothing_more(name):
    """Encoded words nested and mixed with CR, LF and ':' never decode into more than clean_header_text shows."""
    message = build_message(
        sender="feedback@brightloop.example",
        recipient="sam@test.example.org",
        recipient_name=name,
        subject=f"Hi {name}",
        body_text="t",
        body_html="h",
        message_id="<1@brightloop.example>",
    )
    parsed = strictly_parsed(message.as_bytes())
    assert parsed["To"].addresses[0].display_name == clean_header_text(name)
    assert_harmless_to(parsed, "sam@test.example.org")
