"""Reminders go to exactly the people who should get one, with a link that works."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from feedback_app.models import Invitation, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop_links
from feedback_app.services.outreach import outbox
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations, queue_reminders
from feedback_app.services.outreach.tokens import hash_token

TOKEN = re.compile(r"/s/([A-Za-z0-9_-]{43})")
LONG_AGO = timedelta(days=10)


def sent_invitation(make, survey, *, ago=LONG_AGO, customer=None, **fields):
    values = dict(status="sent", sent_at=utcnow() - ago)
    values.update(fields)
    invitation, token = make.invitation(customer=customer or make.customer(), survey=survey, **values)
    return invitation


def test_reminders_reach_exactly_the_unanswered_and_nobody_else(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    survey = make.survey(key="exit")
    due = sent_invitation(make, survey, customer=make.customer(email="due@example.com"))
    opened = sent_invitation(
        make,
        survey,
        status="opened",
        opened_at=utcnow() - LONG_AGO,
        customer=make.customer(email="opened@example.com"),
    )
    completed = sent_invitation(make, survey, customer=make.customer(email="completed@example.com"))
    make.response(invitation=completed)
    sent_invitation(
        make,
        survey,
        status="completed",
        completed_at=utcnow(),
        customer=make.customer(email="completed2@example.com"),
    )
    sent_invitation(
        make,
        survey,
        customer=make.customer(email="optedout@example.com", opted_out=True, opted_out_at=utcnow()),
    )
    sent_invitation(
        make,
        survey,
        status="opted_out",
        opted_out_at=utcnow(),
        customer=make.customer(email="optedout2@example.com"),
    )
    sent_invitation(
        make, survey, customer=make.customer(email="bounced@example.com", email_bounced_at=utcnow())
    )
    sent_invitation(make, survey, status="bounced", customer=make.customer(email="bounced2@example.com"))
    sent_invitation(make, survey, customer=make.customer(email="erased@example.com", erased_at=utcnow()))
    sent_invitation(make, survey, ago=timedelta(days=1), customer=make.customer(email="recent@example.com"))
    sent_invitation(
        make,
        survey,
        reminder_count=1,
        reminded_at=utcnow() - LONG_AGO,
        customer=make.customer(email="reminded@example.com"),
    )
    sent_invitation(
        make,
        survey,
        expires_at=utcnow() - timedelta(days=1),
        customer=make.customer(email="expired@example.com"),
    )
    sent_invitation(
        make, survey, status="pending", sent_at=None, customer=make.customer(email="unsent@example.com")
    )

    run = queue_reminders(after_days=4, max_reminders=1)
    assert sorted(run.invitation_ids) == sorted([due.id, opened.id])
    assert outbox.deliver().sent == 2
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "due@example.com",
        "opened@example.com",
    ]
    assert all(m.message["Subject"].startswith("A reminder") for m in smtp_server.messages)

    # a second run reminds nobody again: not even with no waiting time (only the recent one is due then)
    again = queue_reminders(after_days=0, max_reminders=1, dry_run=True)
    assert due.id not in again.invitation_ids and opened.id not in again.invitation_ids
    assert queue_reminders(after_days=4, max_reminders=1).queued == 0
    db.session.expire_all()
    assert db.session.get(Invitation, due.id).reminder_count == 1
    assert db.session.get(Invitation, due.id).reminded_at is not None


def test_the_reminder_carries_a_working_link_even_without_an_earlier_email(app, make, db):
    survey = make.survey(key="exit")
    invitation, old_token = make.invitation(survey=survey, status="sent", sent_at=utcnow() - LONG_AGO)

    run = queue_reminders(after_days=4, max_reminders=1)

    assert run.queued == 1 and run.rotated_links == 1
    row = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "reminder"))
    new_token = TOKEN.search(row.body_text).group(1)
    db.session.refresh(invitation)
    assert invitation.token_hash == hash_token(new_token) != hash_token(old_token)
    opt_out = close_loop_links.opt_out_url(invitation.customer, "survey", invitation.id)
    assert row.headers["List-Unsubscribe"] == f"<{opt_out}>"  # the customer's link, not the survey token's


def test_the_reminder_reuses_the_invitation_link_so_the_first_email_keeps_working(app, make, db):
    make.survey(key="exit")
    make.customer()
    create_invitations("exit", InvitationFilters())
    outbox.deliver()
    invitation = db.session.scalar(select(Invitation))
    first = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "invitation"))
    first_token = TOKEN.search(first.body_text).group(1)
    invitation.sent_at = utcnow() - LONG_AGO
    db.session.commit()

    run = queue_reminders()

    assert run.queued == 1 and run.reused_links == 1
    reminder = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "reminder"))
    assert TOKEN.search(reminder.body_text).group(1) == first_token
    db.session.refresh(invitation)
    assert invitation.token_hash == hash_token(first_token)
    assert reminder.idempotency_key == f"reminder:{invitation.id}:1"


def test_a_customer_who_answers_after_the_reminder_was_queued_gets_nothing(app, smtp_server, make, db):
    app.config.update(smtp_server.mail_settings())
    survey = make.survey(key="exit")
    invitation = sent_invitation(make, survey)
    queue_reminders(after_days=4, max_reminders=1)
    make.response(invitation=invitation)

    report = outbox.deliver()

    assert report.cancelled == 1 and smtp_server.messages == []


def test_a_customer_who_came_back_gets_no_reminder_and_no_queued_survey_email(app, smtp_server, make, db):
    # "Why did you leave?" must not reach someone who has come back since they were invited.
    app.config.update(smtp_server.mail_settings())
    survey = make.survey(key="exit")
    back = make.customer(email="back@example.com")
    sent_invitation(make, survey, customer=back)
    back.returned_at = utcnow().date()
    db.session.commit()
    assert queue_reminders().queued == 0

    make.survey(key="other")
    queued_first = make.customer(email="queued@example.com")
    assert create_invitations("other", InvitationFilters()).created == 1
    queued_first.returned_at = utcnow().date()  # a billing webhook, before the delivery run
    db.session.commit()
    report = outbox.deliver()
    assert report.cancelled == 1 and smtp_server.messages == []
    row = db.session.scalar(select(OutboxEmail).where(OutboxEmail.recipient == "queued@example.com"))
    assert row.status == "cancelled" and row.last_error == "not sent: customer came back"


def test_a_reminder_that_cannot_be_written_does_not_stop_the_others(app, make, db, monkeypatch):
    from feedback_app.services.outreach import invitations

    first = sent_invitation(make, make.survey(key="a_exit"))
    second = sent_invitation(make, make.survey(key="b_exit"))
    real_compose = invitations.compose

    def compose(kind, customer, survey, token, **options):
        if survey.key == "a_exit":  # e.g. a definition stored under rules that have since changed
            raise ValueError("survey a_exit: question 'nps' has no prompt")
        return real_compose(kind, customer, survey, token, **options)

    monkeypatch.setattr(invitations, "compose", compose)
    assert queue_reminders().queued == 1
    queued = db.session.scalars(select(OutboxEmail.invitation_id).where(OutboxEmail.kind == "reminder"))
    assert list(queued) == [second.id]
    db.session.refresh(first)
    assert first.reminder_count == 0, "the next run tries it again"


def test_a_run_beside_this_one_that_reminded_an_invitation_first_is_not_repeated(app, make, db, monkeypatch):
    from sqlalchemy.orm import Session

    from feedback_app.services.outreach import invitations

    survey = make.survey(key="exit")
    first, second = sent_invitation(make, survey), sent_invitation(make, survey)
    real_candidates = invitations.reminder_candidates

    def candidates_then_the_other_run_commits(*args, **kwargs):
        found = real_candidates(*args, **kwargs)
        with Session(db.engine) as other:  # the other run reminds the second one meanwhile
            invitation = other.get(Invitation, second.id)
            invitation.reminder_count, invitation.reminded_at = 1, utcnow()
            other.add(
                OutboxEmail(
                    kind="reminder",
                    idempotency_key=f"reminder:{second.id}:1",
                    message_id="<other-run@brightloop.example>",
                    recipient=invitation.customer.email,
                    subject="s",
                    body_text="t",
                    body_html="h",
                    headers={},
                    status="pending",
                    attempts=0,
                    customer_id=invitation.customer_id,
                    invitation_id=second.id,
                )
            )
            other.commit()
        return found

    monkeypatch.setattr(invitations, "reminder_candidates", candidates_then_the_other_run_commits)
    assert queue_reminders().queued == 1
    reminders = db.session.scalars(
        select(OutboxEmail.invitation_id).where(OutboxEmail.kind == "reminder").order_by(OutboxEmail.id)
    )
    assert list(reminders) == [second.id, first.id], "one reminder each"


def test_a_customer_who_gave_a_billing_reason_after_the_invitation_is_not_reminded_when_the_setting_is_on(
    app, make, db
):
    """SKIP_SURVEY_WHEN_BILLING_REASON left such customers out of new invitations but the reminder
    run still asked them again; off (the default) keeps today's behaviour: they are reminded."""
    from feedback_app.services.billing import feedback

    survey = make.survey(key="exit")
    told = make.customer(email="told@example.com")
    sent_invitation(make, survey, customer=told)
    sent_invitation(make, survey, customer=make.customer(email="asked@example.com"))
    # after the invitation:
    feedback.store(told.id, "stripe", "too_expensive", "The price doubled at renewal.")
    db.session.commit()

    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True
    assert queue_reminders(after_days=4, max_reminders=1).queued == 1
    assert set(db.session.scalars(select(OutboxEmail.recipient))) == {"asked@example.com"}

    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = False
    assert queue_reminders(after_days=4, max_reminders=1).queued == 1
    assert set(db.session.scalars(select(OutboxEmail.recipient))) == {"asked@example.com", "told@example.com"}


def test_a_reminder_queued_before_the_billing_reason_came_in_is_cancelled_at_send_time(
    app, smtp_server, make, db
):
    """The reminder run skipped such customers, but a reminder already in the outbox when the
    cancel-form reason arrived (the webhook after the reminder run) still went out; it is cancelled
    at send time, like one queued before an opt-out, for the person's other customer rows too."""
    from feedback_app.services.billing import feedback

    app.config.update(smtp_server.mail_settings())
    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True
    survey = make.survey(key="exit")
    told = make.customer(email="told@example.com")
    sent_invitation(make, survey, customer=told)
    same_person = make.customer(email="TOLD@example.com", source="csv")  # the CSV export's row
    sent_invitation(make, survey, customer=same_person)
    sent_invitation(make, survey, customer=make.customer(email="asked@example.com"))
    assert queue_reminders(after_days=4, max_reminders=1).queued == 3
    feedback.store(told.id, "stripe", "too_expensive", "The price doubled at renewal.")  # then the webhook
    db.session.commit()

    report = outbox.deliver()
    assert (report.sent, report.cancelled) == (1, 2)
    assert [r for m in smtp_server.messages for r in m.rcpt_tos] == ["asked@example.com"]
    rows = {
        row.recipient: (row.status, row.last_error)
        for row in db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "reminder"))
    }
    reason = "not sent: gave a reason in the billing cancel form"
    assert rows == {
        "told@example.com": ("cancelled", reason),
        "TOLD@example.com": ("cancelled", reason),
        "asked@example.com": ("sent", None),
    }
    assert queue_reminders(after_days=0, max_reminders=2).queued == 1, "not queued again either"


def test_with_the_setting_off_a_queued_reminder_still_goes_to_a_customer_who_gave_a_billing_reason(
    app, smtp_server, make, db
):
    from feedback_app.services.billing import feedback

    app.config.update(smtp_server.mail_settings())
    assert app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] is False
    told = make.customer(email="told@example.com")
    sent_invitation(make, make.survey(key="exit"), customer=told)
    assert queue_reminders(after_days=4, max_reminders=1).queued == 1
    feedback.store(told.id, "stripe", "too_expensive", None)
    db.session.commit()
    assert outbox.deliver().sent == 1
    assert [r for m in smtp_server.messages for r in m.rcpt_tos] == ["told@example.com"]


def test_the_same_person_under_another_customer_row_is_not_reminded_after_a_billing_reason_or_opt_out(
    app, make, db
):
    """The billing reason and the opt-out are the person's: new invitations leave out every customer
    row with the address (``billing_answered``, ``opted_out_addresses``), but the reminder run
    checked only the invitation's own row, so the CSV row of someone who gave their reason in the
    provider's cancel form was reminded (and sent), and one whose other row opted out was queued."""
    from feedback_app.services.billing import feedback

    survey = make.survey(key="exit")
    told = make.customer(email="Told@Example.com", source="stripe")
    sent_invitation(make, survey, customer=make.customer(email="told@example.com", source="csv"))
    make.customer(email="gone@example.com", source="stripe", opted_out=True, opted_out_at=utcnow())
    sent_invitation(make, survey, customer=make.customer(email="Gone@example.com", source="csv"))
    sent_invitation(make, survey, customer=make.customer(email="asked@example.com"))
    feedback.store(told.id, "stripe", "too_expensive", "The price doubled at renewal.")
    db.session.commit()

    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True
    assert queue_reminders(after_days=4, max_reminders=1).queued == 1
    assert set(db.session.scalars(select(OutboxEmail.recipient))) == {"asked@example.com"}
