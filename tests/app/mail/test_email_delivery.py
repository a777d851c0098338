"""Delivery through a real SMTP server on 127.0.0.1: each email arrives once, failures are
retried or recorded as they should be, and nothing is lost while the server is down."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback_app.models import MailSendSlot, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop_links
from feedback_app.services.mail import SmtpTransport, TransientMailError
from feedback_app.services.mail.message import build_message
from feedback_app.services.outreach import outbox, outbox_admin
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations
from feedback_app.services.outreach.tokens import hash_token
from tests.helpers import run_twice_at_once
from tests.smtp_server import SmtpTestServer

LINK = re.compile(r"http://survey\.test/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    return app


def invite(make, count=1, **customer_fields):
    survey = make.survey(key="exit")
    customers = [make.customer(**customer_fields) for _ in range(count)]
    run = create_invitations("exit", InvitationFilters())
    assert run.created == count
    return survey, customers


def rows(db):
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_invitation_arrives_with_both_parts_the_link_and_unsubscribe_headers(smtp_app, smtp_server, make, db):
    smtp_app.config["MAIL_REPLY_TO"] = "Brightloop CX <cx@brightloop.example>"
    _, (customer,) = invite(make, name="Ana Lopez", company="Globex", email="ana@globex.example")

    report = outbox.deliver()

    assert report.sent == 1
    (received,) = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["ana@globex.example"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    token = LINK.search(text).group(1)
    assert f"http://survey.test/s/{token}" in html
    invitation = customer.invitations[0]
    opt_out = close_loop_links.opt_out_url(customer, "survey", invitation.id)
    assert opt_out.startswith("http://survey.test/f/") and token not in opt_out
    assert opt_out in text and opt_out in html
    assert "Hi Ana" in text and "Globex" in text and "Hi Ana" in html
    assert message["List-Unsubscribe"] == f"<{opt_out}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Brightloop <feedback@brightloop.example>"
    assert message["Reply-To"] == "Brightloop CX <cx@brightloop.example>"
    assert message["To"] == "Ana Lopez <ana@globex.example>"
    (row,) = rows(db)
    assert message["Message-ID"] == row.message_id
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert invitation.token_hash == hash_token(token)  # the link in the email opens this invitation
    assert invitation.status == "sent" and invitation.sent_at is not None


def test_mailto_unsubscribe_is_added_when_configured(smtp_app, smtp_server, make):
    smtp_app.config["MAIL_UNSUBSCRIBE_MAILTO"] = "unsubscribe@brightloop.example"
    invite(make)
    outbox.deliver()
    header = smtp_server.messages[0].message["List-Unsubscribe"]
    assert re.fullmatch(
        r"<http://survey\.test/f/[\w.-]+/opt-out>, "
        r"<mailto:unsubscribe@brightloop\.example\?subject=unsubscribe>",
        header,
    )


@pytest.mark.parametrize("stage", ["DATA", "RCPT"])
def test_a_4xx_reply_is_retried_and_the_email_arrives_exactly_once(smtp_app, smtp_server, make, db, stage):
    invite(make)
    smtp_server.fail_next("451 4.3.0 Mailbox busy, try later", at=stage)

    first = outbox.deliver()
    (row,) = rows(db)
    assert (first.sent, first.retrying) == (0, 1)
    assert row.status == "pending" and row.attempts == 1 and "451 4.3.0 Mailbox busy" in row.last_error
    assert smtp_server.messages == []

    second = outbox.deliver()
    third = outbox.deliver()
    (row,) = rows(db)
    assert (second.sent, third.sent) == (1, 0)
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].message["Message-ID"] == row.message_id


def test_transient_failures_back_off_exponentially(smtp_app, smtp_server, make, db):
    smtp_app.config["MAIL_RETRY_BASE_SECONDS"] = 60.0
    invite(make)
    smtp_server.fail_next("421 4.7.0 Too many connections")
    before = utcnow()
    outbox.deliver()
    (row,) = rows(db)
    assert before + timedelta(seconds=29) <= row.next_attempt_at <= utcnow() + timedelta(seconds=61)
    assert outbox.deliver().processed == 0  # not due yet
    assert smtp_server.messages == []
    assert outbox.backoff_seconds(4, 60.0) <= 480 and outbox.backoff_seconds(4, 60.0) >= 240


def test_gives_up_after_the_maximum_number_of_attempts(smtp_app, smtp_server, make, db):
    smtp_app.config["MAIL_MAX_ATTEMPTS"] = 2
    invite(make)
    smtp_server.fail_next("452 4.2.2 Mailbox full", "452 4.2.2 Mailbox full")
    outbox.deliver()
    report = outbox.deliver()
    (row,) = rows(db)
    assert report.failed == 1 and row.status == "failed"
    assert row.last_error == "gave up after 2 attempts: 452 4.2.2 Mailbox full"
    assert outbox.deliver().processed == 0 and smtp_server.messages == []


def test_a_5xx_reply_is_recorded_never_retried_and_the_address_is_suppressed(smtp_app, smtp_server, make, db):
    _, (customer,) = invite(make, email="gone@example.com")
    smtp_server.fail_next("550 5.1.1 <gone@example.com>: mailbox does not exist", at="RCPT")

    report = outbox.deliver()
    assert report.bounced == 1
    (row,) = rows(db)
    assert row.status == "failed" and row.attempts == 1
    assert row.last_error == "550 5.1.1 <gone@example.com>: mailbox does not exist"
    db.session.refresh(customer)
    assert customer.email_bounced_at is not None
    assert customer.invitations[0].status == "bounced"

    # never retried, and the address gets nothing more: not from this survey, not from another
    assert outbox.deliver().processed == 0
    make.survey(key="winback")
    second = create_invitations("winback", InvitationFilters())
    assert second.created == 0 and second.skipped["email bounced"] == 1
    with pytest.raises(outbox_admin.RetryRefused, match="address bounced"):
        outbox_admin.retry(row.id)
    assert smtp_server.messages == []


def test_a_5xx_on_data_bounces_too_and_cancels_other_queued_mail_to_the_address(
    smtp_app, smtp_server, make, db
):
    make.survey(key="exit")
    make.survey(key="other")
    make.customer(email="same@example.com")
    create_invitations("exit")
    create_invitations("other")
    smtp_server.fail_next("550 5.1.1 Mailbox unavailable")
    report = outbox.deliver()
    assert report.bounced == 1 and report.sent == 0
    first, second = rows(db)
    assert first.status == "failed" and second.status == "cancelled"
    assert "550 5.1.1" in second.last_error
    assert smtp_server.messages == []


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_policy_refusal_fails_the_email_without_marking_the_address_bounced(
    smtp_app, smtp_server, make, db, stage
):
    # RFC 3463 x.7.x is the server's policy (relay denied, spam), not the address: a relay set up
    # wrong refuses every recipient so, and must not suppress every customer for good.
    _, customers = invite(make, count=2)
    smtp_server.fail_next(*["554 5.7.1 Relay access denied"] * 2, at=stage)
    report = outbox.deliver()
    assert (report.failed, report.bounced) == (2, 0)
    assert [row.status for row in rows(db)] == ["failed", "failed"]
    assert all("5.7.1 Relay access denied" in row.last_error for row in rows(db))
    for customer in customers:
        db.session.refresh(customer)
        assert customer.email_bounced_at is None and customer.invitations[0].status == "pending"
    for row in rows(db):
        outbox_admin.retry(row.id)  # once the relay is fixed, staff send them again
    assert outbox.deliver().sent == 2 and len(smtp_server.messages) == 2


@pytest.mark.parametrize(
    "reply",
    [
        "550 5.5.0 Requested action not taken: mailbox unavailable",  # Outlook.com, no such user
        "550 5.4.1 Recipient address rejected: Access denied",  # Microsoft 365, no such recipient
        "550 5.4.4 Unable to route: no such domain",
    ],
)
def test_an_unknown_mailbox_of_the_big_providers_is_a_bounce(smtp_app, smtp_server, make, db, reply):
    """Outlook.com and Microsoft 365 refuse a recipient they do not have with 5.5.0 and 5.4.1, not
    5.1.x: only policy, the mail system or the content (5.7, 5.3, 5.6) are not the address's fault."""
    _, (customer,) = invite(make)
    smtp_server.fail_next(reply, at="RCPT")
    report = outbox.deliver()
    assert (report.bounced, report.failed) == (1, 0)
    db.session.refresh(customer)
    assert customer.email_bounced_at is not None and customer.invitations[0].status == "bounced"


@pytest.mark.parametrize(
    ("reply", "stage"),
    [
        ("554 5.4.6 Hop count exceeded - possible mail loop", "DATA"),  # Exchange, relays in a loop
        ("554 5.4.0 Error: too many hops", "DATA"),  # Postfix, the same
        ("550 5.4.6 Routing loop detected", "RCPT"),
    ],
)
def test_a_mail_loop_fails_the_email_without_marking_the_address_bounced(
    smtp_app, smtp_server, make, db, reply, stage
):
    # Only the 5.4.x and 5.5.x codes the big providers use for a mailbox or domain they do not have
    # blame the address: a relay looping every message refused every recipient with 5.4.6 and each
    # customer was suppressed for good.
    _, customers = invite(make, count=2)
    smtp_server.fail_next(*[reply] * 2, at=stage)
    report = outbox.deliver()
    assert (report.failed, report.bounced) == (2, 0)
    for customer in customers:
        db.session.refresh(customer)
        assert customer.email_bounced_at is None and customer.invitations[0].status == "pending"


def test_server_down_then_up_loses_nothing(smtp_app, smtp_server, make, db):
    invite(make, count=3)
    smtp_server.stop()

    down = outbox.deliver()
    assert down.sent == 0 and down.unreachable and "could not connect" in down.unreachable
    assert [row.status for row in rows(db)] == ["pending"] * 3

    smtp_server.start()
    up = outbox.deliver()
    assert up.sent == 3
    assert [row.status for row in rows(db)] == ["sent"] * 3
    ids = sorted(m.message["Message-ID"] for m in smtp_server.messages)
    assert ids == sorted(row.message_id for row in rows(db))


def test_a_long_outage_burns_no_retries_and_loses_nothing(smtp_app, smtp_server, make, db):
    # Beat keeps calling deliver while the server is down: each run stops at the first email, which
    # must come out of it as it went in, not "gave up after N attempts" (lost for good).
    smtp_app.config["MAIL_MAX_ATTEMPTS"] = 2
    invite(make, count=3)
    smtp_server.stop()
    for _ in range(4):
        assert outbox.deliver().unreachable
    first = rows(db)[0]
    assert (first.status, first.attempts) == ("pending", 0) and "could not connect" in first.last_error

    smtp_server.start()
    assert outbox.deliver().sent == 3
    assert [row.status for row in rows(db)] == ["sent"] * 3 and len(smtp_server.messages) == 3


def test_an_international_address_goes_out_where_the_server_offers_smtputf8(smtp_app, smtp_server, make, db):
    invite(make, email="ana@exämple.com")
    assert outbox.deliver().sent == 1 and smtp_server.messages[0].rcpt_tos == ["ana@exämple.com"]


def test_an_international_address_the_server_cannot_take_fails_once(app, make, db):
    # A server without SMTPUTF8 will not grow it within the retries: failed once, with the reason.
    smtp_server = SmtpTestServer(enable_SMTPUTF8=False)
    smtp_server.start()
    app.config.update(smtp_server.mail_settings())
    make.survey(key="exit")
    customer = make.customer(email="ana@exämple.com")
    make.customer(email="bo@example.com")
    create_invitations("exit")
    try:
        report = outbox.deliver()
        again = outbox.deliver()
    finally:
        smtp_server.stop()
    assert (report.sent, report.failed, report.retrying, report.bounced) == (1, 1, 0, 0)
    international = rows(db)[0]
    assert (international.status, international.attempts) == ("failed", 1)
    assert "SMTPUTF8" in international.last_error
    db.session.refresh(customer)
    assert customer.email_bounced_at is None, "the address itself was not refused"
    assert again.processed == 0
    assert [r for m in smtp_server.messages for r in m.rcpt_tos] == ["bo@example.com"]


def test_an_address_that_cannot_be_written_fails_its_email_and_the_run_goes_on(
    smtp_app, smtp_server, make, db
):
    # Stored before addresses were checked on the way in (the email package raises HeaderParseError,
    # not ValueError, for it): the run must not stop there with the row left claimed.
    make.survey(key="exit")
    make.customer(email="@legacy.example")
    make.customer(email="bo@example.com")
    create_invitations("exit")
    report = outbox.deliver()
    assert (report.sent, report.failed) == (1, 1)
    bad = rows(db)[0]
    assert bad.status == "failed" and bad.last_error.startswith("invalid address:")
    assert [r for m in smtp_server.messages for r in m.rcpt_tos] == ["bo@example.com"]


def test_an_email_queued_before_an_opt_out_is_not_sent(smtp_app, smtp_server, make, db):
    _, (customer,) = invite(make)
    customer.opted_out = True
    db.session.commit()
    report = outbox.deliver()
    (row,) = rows(db)
    assert (
        report.cancelled == 1
        and row.status == "cancelled"
        and row.last_error == "not sent: customer opted out"
    )
    assert smtp_server.messages == []


def test_two_deliver_runs_at_once_send_each_email_once(smtp_app, smtp_server, make, db):
    assert (
        smtp_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
        or "postgresql" in smtp_app.config["SQLALCHEMY_DATABASE_URI"]
    )
    invite(make, count=40)
    reports, failures = run_twice_at_once(smtp_app, outbox.deliver)
    assert failures == []
    assert sum(report.sent for report in reports) == 40
    assert all(report.sent > 0 for report in reports), "both runs should have taken a share"
    received = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(received) == 40 and len(set(received)) == 40
    assert {row.status for row in rows(db)} == {"sent"}


def test_limit_caps_a_run(smtp_app, smtp_server, make, db):
    invite(make, count=3)
    assert outbox.deliver(limit=2).sent == 2
    assert len(smtp_server.messages) == 2
    assert outbox.deliver().sent == 1


@pytest.mark.slow  # two app start-ups in subprocesses
@pytest.mark.postgresql  # two processes racing for the same rows: the engine's locking
def test_two_deliver_processes_at_once_send_each_email_once(smtp_app, smtp_server, make, db, tmp_path):
    """The real thing: two `flask outbox deliver` processes on the same database, at the same time."""
    # 40 emails at 20 a second: the shared send slot keeps both runs sending for 2 s, as 80 at 40 did,
    # so the second start-up still lands mid-run, with half the rows to claim and mark
    invite(make, count=40)
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "AFTERWORD_ENV": "development",
        "DATABASE_URL": smtp_app.config["SQLALCHEMY_DATABASE_URI"],
        "AFTERWORD_INSTANCE_DIR": str(tmp_path / "instance"),
        "JOB_RUNNER": "inline",
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_RATE_PER_SECOND": "20",
        "SECRET_KEY": "x" * 40,
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "deliver"]
    processes = [
        subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    sent = [int(re.search(r"Sent (\d+),", out).group(1)) for out, _ in outputs]
    assert sum(sent) == 40 and min(sent) > 0, sent
    received = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(received) == 40 and len(set(received)) == 40
    assert {row.status for row in rows(db)} == {"sent"}


def test_one_connection_is_reused_and_the_rate_limit_spaces_messages(smtp_app, smtp_server, make, db):
    smtp_app.config["MAIL_RATE_PER_SECOND"] = 20.0
    invite(make, count=5)
    transport = SmtpTransport.from_config(smtp_app.config)
    started = time.monotonic()
    report = outbox.deliver(transport=transport)
    elapsed = time.monotonic() - started
    assert report.sent == 5 and transport.connections_opened == 1
    assert elapsed >= 4 / 20.0  # five messages at 20/s: at least four gaps of 50 ms


def test_the_rate_limit_holds_across_two_runs_at_once(smtp_app, smtp_server, make, db):
    """Two workers each spaced only their own sends, so together they sent at twice
    MAIL_RATE_PER_SECOND; the shared send slot spaces every send of every run."""
    smtp_app.config["MAIL_RATE_PER_SECOND"] = 20.0
    invite(make, count=12)
    started = time.monotonic()
    reports, failures = run_twice_at_once(smtp_app, outbox.deliver)
    elapsed = time.monotonic() - started
    assert failures == []
    assert sum(report.sent for report in reports) == 12 and all(report.sent > 0 for report in reports)
    assert len(smtp_server.messages) == 12
    assert elapsed >= 11 / 20.0 * 0.95, elapsed  # twelve sends at 20/s in all: eleven gaps of 50 ms
    slot = db.session.get(MailSendSlot, outbox.SEND_SLOT_ID)
    assert slot is not None and slot.next_send_at > 0


def test_a_dropped_connection_is_a_transient_error_and_the_next_message_reconnects(smtp_app, smtp_server):
    messages = [
        build_message(
            sender="feedback@brightloop.example",
            recipient=f"p{i}@example.com",
            recipient_name=None,
            subject="s",
            body_text="t",
            body_html="<p>h</p>",
            message_id=f"<drop-{i}@b.example>",
        )
        for i in range(3)
    ]
    with SmtpTransport.from_config(smtp_app.config) as transport:
        transport.send(messages[0])
        smtp_server.stop()  # the server goes away while our connection is idle
        smtp_server.start()
        with pytest.raises(TransientMailError):
            transport.send(messages[1])
        transport.send(messages[2])
        assert transport.connections_opened == 2
    assert [m.message["Message-ID"] for m in smtp_server.messages] == [
        "<drop-0@b.example>",
        "<drop-2@b.example>",
    ]


def test_a_server_that_never_answers_times_out_and_the_email_waits(app, make, db):
    silent = socket.socket()  # accepts TCP connections (backlog) but never says a word
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        app.config.update(
            {
                "MAIL_TRANSPORT": "smtp",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": silent.getsockname()[1],
                "MAIL_TIMEOUT": 0.5,
            }
        )
        invite(make)
        report = outbox.deliver()
    finally:
        silent.close()
    (row,) = rows(db)
    assert report.sent == 0 and "timed out" in report.unreachable
    # the server was never reached: the email waits without spending one of its attempts
    assert row.status == "pending" and row.attempts == 0 and "timed out" in row.last_error


def test_an_email_queued_before_the_same_address_opted_out_as_another_customer_is_not_sent(
    smtp_app, smtp_server, make, db
):
    """The person is stored twice (a CSV row and a billing provider's row): opting out through one
    stops what was queued for the other."""
    _, (customer,) = invite(make, email="kim@example.com")
    make.customer(source="stripe", email="Kim@Example.com", opted_out=True)
    report = outbox.deliver()
    (row,) = rows(db)
    assert report.cancelled == 1 and row.last_error == "not sent: address opted out"
    assert smtp_server.messages == []


def test_a_send_slot_that_cannot_be_reserved_leaves_the_email_queued_and_sends_it_once_later(
    smtp_app, smtp_server, make, db, runner
):
    """reserve_send_slot raising a database error (here: its table gone, a real failure the
    database reports) left the claimed email in 'sending', shown as outcome unknown and never sent
    again without a person; it goes back to the queue unsent, the run stops, and the next run sends
    it exactly once."""
    smtp_app.config["MAIL_RATE_PER_SECOND"] = 50.0
    invite(make, count=2)
    db.session.commit()
    slot_table = MailSendSlot.__table__
    slot_table.drop(db.engine)
    try:
        report = outbox.deliver()
        assert (report.sent, report.retrying) == (0, 1)
        assert (
            report.slot_error
            and "send slot for MAIL_RATE_PER_SECOND could not be reserved" in report.slot_error
        )
        assert smtp_server.messages == []
        first, second = rows(db)
        assert (first.status, first.attempts, first.claimed_by) == ("pending", 0, None)
        assert first.last_error.startswith("not sent yet: the send slot")
        assert (second.status, second.attempts) == ("pending", 0), "the run stopped there"
        assert outbox_admin.stale_claims(lease_seconds=0) == [], "no outcome unknown"

        result = runner.invoke(args=["outbox", "deliver"])
        assert result.exit_code == 1 and "Stopped: the send slot" in result.output
        assert "Nothing was sent twice or lost" in result.output
    finally:
        db.session.rollback()
        slot_table.create(db.engine, checkfirst=True)

    report = outbox.deliver()
    assert report.sent == 2 and report.slot_error is None
    assert [row.status for row in rows(db)] == ["sent", "sent"]
    assert sorted(m.message["Message-ID"] for m in smtp_server.messages) == sorted(
        row.message_id for row in rows(db)
    )
