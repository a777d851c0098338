"""Exit interviews: an invitation through the outbox, notes recorded redacted, quoted with their source."""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, Conversation, ConversationAssignment, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop_links
from feedback_app.services.conversations import interviews, quotes
from feedback_app.services.outreach import outbox
from feedback_app.services.privacy import erasure
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _schedule(client, **fields):
    page = client.get("/dashboard/interviews")
    data = {
        "csrf_token": csrf_token(page),
        "customer": "ann@example.com",
        "interviewer": "Sam Ortiz",
        "booking_note": "We would value 20 minutes of your time to hear what went wrong.",
        "booking_link": "https://cal.example.com/sam",
        **fields,
    }
    return client.post("/dashboard/interviews/schedule", data=data)


def test_scheduling_sends_an_invitation_with_the_note_and_booking_link(client, login, make, db, tmp_path):
    login("cx")
    ann = make.customer(email="ann@example.com", name="Ann Lee")
    response = _schedule(client)
    assert response.status_code == 302
    interview = db.session.scalar(select(Conversation).where(Conversation.kind == "interview"))
    assert (
        interview.customer_id == ann.id
        and interview.status == "scheduled"
        and interview.interviewer == "Sam Ortiz"
    )
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "interview"))
    assert email.status == "sent" and email.recipient == "ann@example.com"
    (written,) = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(written.read_bytes())
    text = message.get_payload()[0].get_payload(decode=True).decode() if message.is_multipart() else ""
    assert "Hello Ann" in text and "https://cal.example.com/sam" in text and "20 minutes of your time" in text
    listing = client.get("/dashboard/interviews").get_data(as_text=True)
    assert "Invited" in listing and "Sent" in listing and "Sam Ortiz" in listing


def test_an_opted_out_or_unknown_customer_is_not_invited(client, login, make, db):
    login("cx")
    make.customer(email="ann@example.com", opted_out=True)
    html = _schedule(client).get_data(as_text=True)
    assert "cannot be invited: they opted out of our emails" in html
    html = _schedule(client, customer="nobody@example.com").get_data(as_text=True)
    assert "no departed customer has email &#39;nobody@example.com&#39;" in html
    assert (
        "import the customer first" in html
        and "ticket" not in html.split("import the customer first")[1][:40]
    )
    assert db.session.scalar(select(OutboxEmail)) is None and db.session.scalar(select(Conversation)) is None


def test_an_invitation_carries_the_customers_opt_out_link_and_one_click_header(
    app, client, login, make, db, smtp_server
):
    """Every other email to customers had its opt-out link and List-Unsubscribe header (SECURITY.md);
    the interview invitation had neither, so a customer could not stop a second one."""
    app.config.update(smtp_server.mail_settings())
    login("cx")
    ann = make.customer(email="ann@example.com", name="Ann Lee", language="de")
    assert _schedule(client).status_code == 302
    (received,) = smtp_server.messages
    message = received.message
    opt_out = close_loop_links.opt_out_url(ann, "interview")
    assert opt_out.startswith("http://survey.test/f/")
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    assert f"--\nKeine E-Mails mehr von uns: {opt_out}\n" in text  # in the customer's language
    assert f'Keine E-Mails mehr von uns: <a href="{opt_out}">abmelden</a>' in html
    assert message["List-Unsubscribe"] == f"<{opt_out}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the mail client's one-click POST: no cookie, no CSRF token
    path = urlsplit(opt_out).path
    assert app.test_client().post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.refresh(ann)
    assert ann.opted_out
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.opted_out"))
    assert event.details["channel"] == "interview_email"
    db.session.get_one(Conversation, db.session.scalar(select(Conversation.id))).status = "cancelled"
    db.session.commit()
    html = _schedule(client).get_data(as_text=True)
    assert "ann@example.com cannot be invited: they opted out of our emails." in html
    assert len(smtp_server.messages) == 1
    assert len(db.session.scalars(select(OutboxEmail)).all()) == 1


def test_a_customer_who_came_back_is_invited_only_on_purpose_and_the_email_then_goes(
    app, client, login, make, db, smtp_server
):
    """Every email written because a customer left skips one who came back; an interview is one
    person asking another, and why they came back is worth hearing. The page says they came back
    (the invitation asks why they left) and sends only when told to; the outbox does not then
    cancel it, and the list marks them."""
    app.config.update(smtp_server.mail_settings())
    login("cx")
    make.customer(email="ann@example.com", name="Ann Lee", returned_at=date(2026, 11, 20))

    refused = _schedule(client)

    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "ann@example.com came back on 2026-11-20. The invitation asks why they left" in html
    assert 'name="came_back_ok"' in html
    assert db.session.scalar(select(OutboxEmail)) is None and db.session.scalar(select(Conversation)) is None

    sent = _schedule(client, came_back_ok="y")

    assert sent.status_code == 302
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ["ann@example.com"]
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "interview"))
    assert email.status == "sent"
    listing = client.get("/dashboard/interviews").get_data(as_text=True)
    assert "queued for ann@example.com, who came back on 2026-11-20" in listing
    assert "came back 2026-11-20</span>" in listing  # marked in the list


def test_an_address_that_bounced_for_anyone_is_not_invited(client, login, make, db):
    """The send-time check refuses an address that bounced under any customer record (the same person
    imported twice): the page said "queued" for an email the outbox then cancelled."""
    login("cx")
    make.customer(email="Ann@Example.com", external_id="old-account", email_bounced_at=utcnow())
    make.customer(email="ann@example.com", external_id="new-account")
    html = _schedule(client, customer="new-account").get_data(as_text=True)
    assert "ann@example.com cannot be invited: email to them bounced." in html
    assert db.session.scalar(select(OutboxEmail)) is None and db.session.scalar(select(Conversation)) is None


def test_a_bounced_or_erased_customer_is_not_invited(client, login, make, db):
    login("cx")
    make.customer(email="ann@example.com", email_bounced_at=utcnow())
    assert "cannot be invited: email to them bounced." in _schedule(client).get_data(as_text=True)
    make.customer(email="bob@example.com", external_id="bob-1")
    erasure.erase_person("bob@example.com", actor="admin@example.com")
    for ref in ("bob@example.com", "bob-1"):  # erased: no longer found by what named them
        assert "no departed customer has" in _schedule(client, customer=ref).get_data(as_text=True)
    assert db.session.scalar(select(OutboxEmail)) is None and db.session.scalar(select(Conversation)) is None


def _notes(client, **fields):
    page = client.get("/dashboard/interviews")
    data = {
        "csrf_token": csrf_token(page),
        "customer": "ann@example.com",
        "interviewer": "Sam Ortiz",
        "held_on": "2026-10-20",
        "notes": "",
        **fields,
    }
    return client.post("/dashboard/interviews/notes", data=data)


@pytest.mark.slow  # redaction loads spaCy's small model
def test_notes_are_stored_redacted_and_a_scheduled_interview_becomes_held(client, login, make, db):
    login("cx")
    ann = make.customer(email="ann@example.com", name="Ann Lee")
    _schedule(client)
    notes = (
        "Ann Lee said support ignored her for two weeks; call her on 07700 900123 or ann@example.com. "
        "She moved to Asanda because of it."
    )
    assert _notes(client, notes=notes).status_code == 302
    (interview,) = db.session.scalars(select(Conversation)).all()
    assert interview.status == "held" and interview.customer_id == ann.id
    assert interview.opened_at.date() == date(2026, 10, 20)
    text = interview.redacted_text
    assert "Ann Lee" not in text and "07700" not in text and "ann@example.com" not in text
    assert "support ignored" in text and "Asanda" in text


def test_bad_notes_say_what_is_wrong(client, login, make, db):
    login("cx")
    make.customer(email="ann@example.com")
    assert "Write the notes or paste the transcript." in _notes(client).get_data(as_text=True)
    future = (date.today() + timedelta(days=3)).isoformat()
    html = _notes(client, notes="Too slow.", held_on=future).get_data(as_text=True)
    assert "it cannot be in the future" in html
    assert "Give the date as YYYY-MM-DD." in _notes(client, notes="x", held_on="20/10/2026").get_data(
        as_text=True
    )
    assert db.session.scalar(select(Conversation)) is None


def test_theme_page_quotes_interviews_with_their_source(client, login, make, db):
    login("cx")
    world = World(make, db)
    theme = world.theme(
        "t-support",
        "support never answered",
        category="support",
        quotes=["Support ignored us for weeks.", "Nobody answered the phone line at all."],
    )
    person, _ = world.answer(theme, text="Support ignored us for weeks.")
    interview = Conversation(
        customer_id=person.id,
        kind="interview",
        origin="dashboard",
        status="held",
        opened_at=world.run.created_at,
        interviewer="Sam Ortiz",
        redacted_text="Nobody answered the phone line at all. [PERSON] gave up.",
    )
    db.session.add(interview)
    db.session.flush()
    db.session.add(
        ConversationAssignment(
            run_id=world.run.id,
            conversation_id=interview.id,
            theme_id=theme.id,
            is_primary=True,
            confidence=0.9,
            source="batch",
        )
    )
    db.session.commit()
    html = client.get(f"/dashboard/themes/{theme.id}").get_data(as_text=True)
    assert "Support ignored us for weeks.</span> <footer>— Survey answer" in html
    assert "Nobody answered the phone line at all.</span> <footer>— Exit interview" in html
    assert "interviewed by Sam Ortiz" in html


def test_a_ticket_text_many_tickets_share_is_quoted_once_with_its_count(client, login, make, db):
    world = World(make, db)
    theme = world.theme("t-bugs", "sync loses data", category="bugs_reliability")
    person = make.customer()
    for day in range(10):
        ticket = Conversation(
            customer_id=person.id,
            kind="ticket",
            origin="csv",
            status="closed",
            opened_at=world.run.created_at - timedelta(days=day),
            redacted_text="The sync lost our invoices  again.",
        )
        db.session.add(ticket)
        db.session.flush()
        db.session.add(
            ConversationAssignment(
                run_id=world.run.id,
                conversation_id=ticket.id,
                theme_id=theme.id,
                is_primary=True,
                confidence=0.9,
                source="batch",
            )
        )
    db.session.commit()
    voices = quotes.for_theme(theme)
    assert [(v.text, v.count, v.on) for v in voices] == [
        ("The sync lost our invoices  again.", 10, world.run.created_at.date())
    ]
    login("cx")
    html = client.get(f"/dashboard/themes/{theme.id}").get_data(as_text=True)
    voiced = html.split("From interviews, tickets", 1)[1].split("</section>", 1)[0]
    assert voiced.count("The sync lost our invoices") == 1 and "10 conversations say this" in voiced


def test_a_double_submitted_invitation_sends_one_email_and_says_so(client, login, make, db):
    login("cx")
    make.customer(email="ann@example.com", name="Ann Lee")
    assert _schedule(client).status_code == 302
    second = _schedule(client)
    assert second.status_code == 302
    html = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "ann@example.com was already invited to an interview on" in html
    assert "nothing was sent again" in html
    assert len(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "interview")).all()) == 1
    assert len(db.session.scalars(select(Conversation)).all()) == 1


def test_two_invitations_racing_past_the_check_queue_one_email(app, make, db, monkeypatch):
    """The second request checked before the first committed: the outbox's per-recipient key turns it
    away with the same message, not a 500."""
    ann = make.customer(email="ann@example.com")
    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}
    first = interviews.schedule(ann, **fields)
    real = interviews.open_invitation
    checks = iter([None])  # the racing request's check saw nothing open yet
    monkeypatch.setattr(interviews, "open_invitation", lambda c: next(checks, None) or real(c))
    with pytest.raises(interviews.AlreadyInvited) as raised:
        interviews.schedule(ann, **fields)
    assert raised.value.interview.id == first.id
    assert len(db.session.scalars(select(OutboxEmail)).all()) == 1
    assert len(db.session.scalars(select(Conversation)).all()) == 1


def test_once_the_open_invitation_is_closed_a_new_one_is_sent(app, make, db):
    ann = make.customer(email="ann@example.com")
    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}
    first = interviews.schedule(ann, **fields)
    first.status = "cancelled"
    db.session.commit()
    second = interviews.schedule(ann, **fields)
    one, two = interviews.invitation_email(first), interviews.invitation_email(second)
    assert one is not None and two is not None and one.id != two.id


@pytest.mark.parametrize("outcome", ["failed", "cancelled"])
def test_an_invitation_whose_email_never_went_out_does_not_block_a_new_one(app, make, db, outcome):
    """Nothing in the app cancels an interview, so an invitation whose email failed (a relay that
    refused it, a server that gave up) or was cancelled held the customer 'already invited' for good."""
    ann = make.customer(email="ann@example.com")
    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}
    first = interviews.schedule(ann, **fields)
    email = interviews.invitation_email(first)
    assert email is not None
    email.status, email.last_error = outcome, "554 5.7.1 Relay access denied"
    db.session.commit()
    second = interviews.schedule(ann, **fields)
    assert second.id != first.id and first.status == "cancelled"
    again = interviews.invitation_email(second)
    assert again is not None and again.id != email.id and again.status in ("pending", "sent")
    assert interviews.invitation_email(first).id == email.id
    assert interviews.invitation_emails([second, first]) == {first.id: email, second.id: again}
    # the audit log says which invitation the new one replaced (and cancelled)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "interview.schedule").order_by(AuditEvent.id)
    ).all()
    assert [e.details.get("replaced") for e in events] == [None, first.id]


def test_an_invitation_sent_or_waiting_still_blocks_a_second_one(app, make, db):
    ann = make.customer(email="ann@example.com")
    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}
    first = interviews.schedule(ann, **fields)
    interviews.invitation_email(first).status = "sent"
    db.session.commit()
    with pytest.raises(interviews.AlreadyInvited):
        interviews.schedule(ann, **fields)


def test_the_interviews_list_takes_the_same_queries_for_more_rows(client, login, make, db):
    """Each row looked its invitation email up (two queries since the per-recipient keys) and its
    customer up: the page's queries grew with every interview listed."""
    from sqlalchemy import event

    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}

    def invite(count: int) -> None:
        for _ in range(count):
            interviews.schedule(make.customer(), **fields)

    def queries() -> int:
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get("/dashboard/interviews")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert page.status_code == 200
        return len(seen)

    login("cx")
    invite(2)
    few = queries()
    invite(6)
    listing = client.get("/dashboard/interviews").get_data(as_text=True)
    assert listing.count("Invited") >= 8 and listing.count("Sent") >= 8
    assert queries() == few


def test_the_failed_invitation_a_new_one_replaced_is_not_sent_as_well(app, make, db):
    """Inviting again after a failed email cancels that interview, but its failed email stayed
    retryable on the Outbox page: a retry sent the customer the old invitation beside the new one."""
    from feedback_app.services.outreach import outbox_admin

    ann = make.customer(email="ann@example.com")
    fields = {"interviewer": "Sam", "note": "Twenty minutes?", "link": None, "actor": "cx@example.com"}
    first = interviews.schedule(ann, **fields)
    email = interviews.invitation_email(first)
    assert email is not None
    email.status, email.last_error = "failed", "421 4.7.0 Try again later"
    db.session.commit()
    interviews.schedule(ann, **fields)
    with pytest.raises(outbox_admin.RetryRefused, match="newer invitation"):
        outbox_admin.retry(email.id, actor="admin@example.com")
    assert db.session.get(OutboxEmail, email.id).status == "failed"


def test_the_notes_forms_labels_name_its_own_fields_not_the_invitations(client, login):
    """Both forms on the page have a customer and an interviewer field; with the same ids the notes
    form's "Customer" and "Interviewer" labels named (and focused) the invitation form's inputs, and
    its own two inputs had no name for a screen reader."""
    import re

    login("cx")
    html = client.get("/dashboard/interviews").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1} - {"csrf_token"}) == []  # hidden, unlabelled
    notes = html.split('action="/dashboard/interviews/notes"', 1)[1].split("</form>", 1)[0]
    for name in ("customer", "interviewer", "held_on", "notes"):
        (field_id,) = re.findall(
            rf'<(?:input|textarea)[^>]*\sid="([^"]+)"[^>]*\sname="{name}"', notes
        ) or re.findall(rf'<(?:input|textarea)[^>]*\sname="{name}"[^>]*\sid="([^"]+)"', notes)
        assert f'<label for="{field_id}">' in notes, name


def test_an_interview_invitation_queued_before_the_customer_came_back_is_not_sent(
    app, client, login, make, db, smtp_server
):
    """Staff invited a customer who had not come back; a return recorded before the outbox run (a
    billing webhook, the API, an import) was never confirmed, so the invitation is cancelled with
    the reason, as the survey emails are. One invited on purpose after a return still goes."""
    app.config.update(smtp_server.mail_settings(), MAIL_PORT=1)  # nobody listens: the email stays queued
    login("cx")
    ann = make.customer(email="ann@example.com", name="Ann Lee")
    assert _schedule(client).status_code == 302
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "interview"))
    assert email.status == "pending"
    ann.returned_at = date(2026, 11, 20)
    db.session.commit()

    app.config.update(smtp_server.mail_settings())
    report = outbox.deliver()

    assert report.cancelled == 1 and smtp_server.messages == []
    db.session.refresh(email)
    assert email.status == "cancelled"
    assert email.last_error == "not sent: customer came back on 2026-11-20, after the invitation was queued"
    listing = client.get("/dashboard/interviews").get_data(as_text=True)
    assert "Cancelled" in listing


def test_a_return_recorded_after_a_confirmed_one_cancels_the_interview_invitation(
    app, client, login, make, db, smtp_server
):
    app.config.update(smtp_server.mail_settings(), MAIL_PORT=1)
    login("cx")
    ann = make.customer(email="ann@example.com", name="Ann Lee", returned_at=date(2026, 11, 20))
    assert _schedule(client, came_back_ok="y").status_code == 302
    app.config.update(smtp_server.mail_settings())
    ann.returned_at = date(2026, 12, 1)  # left and came back again: not the return staff confirmed
    db.session.commit()
    assert outbox.deliver().cancelled == 1 and smtp_server.messages == []


@pytest.mark.parametrize(
    "link",
    ["javascript://cal.example.com/%0Aalert(1)", "data://text/html,hi", "ftp://cal.example.com", "https://"],
)
def test_the_service_sends_only_a_web_booking_link(app, make, db, link):
    """The link becomes the button of an email to a customer: the service itself takes only an
    http(s) address with a host (the form's URL check did so only from WTForms 3.3 on, and pyproject
    allows 3.1, whose check took any scheme: ``javascript://host/%0A...`` runs as script)."""
    ann = make.customer(email="ann@example.com")
    with pytest.raises(interviews.InterviewError, match="Booking link"):
        interviews.schedule(ann, interviewer="Sam", note="Twenty minutes?", link=link, actor="cx@example.com")
    assert db.session.scalars(select(OutboxEmail)).all() == []
