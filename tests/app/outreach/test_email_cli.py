"""The command line: invitations create/remind/auto and outbox deliver/status/requeue/retry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from feedback_app.models import Invitation, OutboxEmail, utcnow


def count(db, model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)).where(*where)) or 0


def test_create_invites_the_eligible_and_reports_each_skip_reason(runner, make, db):
    make.survey(key="exit")
    make.customer(email="a@example.com")
    make.customer(email="b@example.com", plan="enterprise")
    make.customer(email=None)
    make.customer(opted_out=True)
    make.customer(churn_type="involuntary")
    make.customer(email_bounced_at=utcnow())
    make.customer(erased_at=utcnow())

    result = runner.invoke(args=["invitations", "create", "--survey", "exit"])

    assert result.exit_code == 0, result.output
    assert "7 departed customers matched, 2 eligible, created 2 invitations, 5 skipped" in result.output
    for reason in (
        "no email address: 1",
        "opted out: 1",
        "involuntary departure: 1",
        "email bounced: 1",
        "erased: 1",
    ):
        assert f"skipped, {reason}" in result.output
    assert count(db, Invitation) == 2 and count(db, OutboxEmail, OutboxEmail.status == "pending") == 2

    again = runner.invoke(args=["invitations", "create", "--survey", "exit", "--include-involuntary"])
    assert "1 eligible, created 1 invitations" in again.output
    assert "skipped, already invited to this survey: 2" in again.output


def test_create_filters_and_dry_run_change_nothing(runner, make, db):
    make.survey(key="exit")
    make.customer(left_at=date(2026, 9, 1), segment="smb", plan="team")
    make.customer(left_at=date(2026, 10, 15), segment="smb", plan="team")
    make.customer(left_at=date(2026, 10, 15), segment="enterprise", plan="team")
    make.customer(left_at=date(2026, 10, 20), segment="smb", plan="starter")

    result = runner.invoke(
        args=[
            "invitations",
            "create",
            "--survey",
            "exit",
            "--left-since",
            "2026-10-01",
            "--left-before",
            "2026-11-01",
            "--segment",
            "smb",
            "--plan",
            "team",
            "--dry-run",
        ]
    )

    assert result.exit_code == 0, result.output
    assert "1 departed customers matched, 1 eligible, would create 1 invitations" in result.output
    assert count(db, Invitation) == 0 and count(db, OutboxEmail) == 0


def test_create_explains_bad_input(runner, make):
    make.survey(key="exit")
    unknown = runner.invoke(args=["invitations", "create", "--survey", "nope"])
    assert unknown.exit_code != 0 and "No survey with key 'nope'. Known surveys: exit." in unknown.output
    bad_date = runner.invoke(args=["invitations", "create", "--survey", "exit", "--left-since", "1 Oct"])
    assert bad_date.exit_code != 0 and "--left-since" in bad_date.output
    backwards = runner.invoke(
        args=[
            "invitations",
            "create",
            "--survey",
            "exit",
            "--left-since",
            "2026-10-02",
            "--left-before",
            "2026-10-01",
        ]
    )
    assert backwards.exit_code != 0 and "--left-since must be before --left-before" in backwards.output


def test_deliver_and_status_from_the_command_line(runner, make, db, smtp_server, app):
    app.config.update(smtp_server.mail_settings())
    make.survey(key="exit")
    make.customer()
    make.customer()
    runner.invoke(args=["invitations", "create", "--survey", "exit"])

    status = runner.invoke(args=["outbox", "status"])
    assert "Due now: 2." in status.output
    assert status.output.splitlines()[1].split() == ["invitation", "2", "0", "0", "0", "0"]

    delivered = runner.invoke(args=["outbox", "deliver", "--limit", "1"])
    assert delivered.exit_code == 0 and "Sent 1," in delivered.output
    assert "Sent 1," in runner.invoke(args=["outbox", "deliver"]).output
    assert len(smtp_server.messages) == 2

    smtp_server.stop()
    make.customer()
    runner.invoke(args=["invitations", "create", "--survey", "exit"])
    down = runner.invoke(args=["outbox", "deliver"])
    assert down.exit_code == 1 and "could not be reached" in down.output and "stay queued" in down.output


def test_stale_claims_are_reported_and_requeued_only_on_request(runner, make, db):
    make.survey(key="exit")
    make.customer()
    runner.invoke(args=["invitations", "create", "--survey", "exit"])
    row = db.session.scalar(select(OutboxEmail))
    row.status, row.claimed_at, row.claimed_by, row.attempts = (
        "sending",
        utcnow() - timedelta(hours=2),
        "dead:1:1",
        1,
    )
    db.session.commit()

    assert "Sent 0," in runner.invoke(args=["outbox", "deliver"]).output  # never resent blindly
    assert (
        "Outcome unknown (claimed longer ago than MAIL_CLAIM_LEASE_SECONDS): 1"
        in runner.invoke(args=["outbox", "status"]).output
    )
    assert "Requeued 1 emails." in runner.invoke(args=["outbox", "requeue"]).output
    assert "Sent 1," in runner.invoke(args=["outbox", "deliver"]).output


def test_retry_from_the_command_line(runner, make, db):
    make.survey(key="exit")
    make.customer()
    runner.invoke(args=["invitations", "create", "--survey", "exit"])
    row = db.session.scalar(select(OutboxEmail))
    refused = runner.invoke(args=["outbox", "retry", str(row.id)])
    assert refused.exit_code != 0 and "only failed or cancelled emails can be retried" in refused.output
    row.status = "failed"
    db.session.commit()
    assert runner.invoke(args=["outbox", "retry", str(row.id)]).exit_code == 0
    assert count(db, OutboxEmail, OutboxEmail.status == "pending") == 1


def test_remind_from_the_command_line(runner, make, db):
    survey = make.survey(key="exit")
    make.invitation(survey=survey, status="sent", sent_at=utcnow() - timedelta(days=3))
    assert "Would queue 0 reminders." in runner.invoke(args=["invitations", "remind", "--dry-run"]).output
    result = runner.invoke(args=["invitations", "remind", "--after-days", "2", "--max-reminders", "1"])
    assert result.exit_code == 0 and "Queued 1 reminders" in result.output
    assert count(db, OutboxEmail, OutboxEmail.kind == "reminder") == 1


@pytest.mark.parametrize(
    "args, option",
    [
        (["invitations", "remind", "--after-days", "10000000"], "--after-days"),  # was a traceback
        (["outbox", "requeue", "--older-than", "100000000000"], "--older-than"),  # was a traceback
        (["report", "propose-actions", "--top", "-1"], "--top"),  # proposed for all themes but the last
        (["report", "propose-actions", "--top", "0"], "--top"),
    ],
)
def test_numbers_out_of_range_are_refused_naming_the_option(runner, make, db, args, option):
    make.invitation(status="sent", sent_at=utcnow() - timedelta(days=3))
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output
    assert count(db, OutboxEmail) == 0


def test_auto_invites_departures_only_after_the_survey_delay(runner, make, db):
    make.survey(key="exit", auto_invite_delay_hours=24)
    make.survey(key="manual")
    old = make.customer(email="old@example.com")
    old.created_at = utcnow() - timedelta(hours=30)
    ancient = make.customer(email="ancient@example.com")
    ancient.created_at = utcnow() - timedelta(days=200)
    make.customer(email="new@example.com")  # arrived just now: too early
    db.session.commit()

    result = runner.invoke(args=["invitations", "auto"])

    assert result.exit_code == 0, result.output
    assert "Survey exit: 1 departed customers matched, 1 eligible, created 1 invitations" in result.output
    recipients = list(db.session.scalars(select(OutboxEmail.recipient)))
    assert recipients == ["old@example.com"]
    assert "created 0 invitations" in runner.invoke(args=["invitations", "auto"]).output


def test_auto_invite_waits_for_a_scheduled_cancellations_day_however_long_ago_it_was_recorded(
    runner, make, db
):
    """A billing provider reports a cancellation at the end of the paid period weeks before that
    day: nobody is invited before it, and the day arriving invites them even though the record
    is older than AUTO_INVITE_LOOKBACK_DAYS."""
    make.survey(key="exit", auto_invite_delay_hours=0)
    today = utcnow().date()
    due = make.customer(email="due@example.com", left_at=today - timedelta(days=1))
    due.created_at = utcnow() - timedelta(days=45)  # scheduled 45 days ago, left yesterday
    ahead = make.customer(email="ahead@example.com", left_at=today + timedelta(days=10))
    ahead.created_at = utcnow() - timedelta(days=5)
    db.session.commit()

    result = runner.invoke(args=["invitations", "auto"])

    assert result.exit_code == 0, result.output
    assert "created 1 invitations" in result.output
    assert list(db.session.scalars(select(OutboxEmail.recipient))) == ["due@example.com"]


def test_create_says_who_has_not_left_yet_and_when_they_do(runner, make, db):
    make.survey(key="exit")
    make.customer(email="gone@example.com")
    make.customer(email="future@example.com", left_at=date(2031, 1, 1))

    result = runner.invoke(args=["invitations", "create", "--survey", "exit"])

    assert "2 departed customers matched, 1 eligible, created 1 invitations, 1 skipped" in result.output
    assert (
        "skipped, not left yet: 1\n  (they leave on 2031-01-01; invite them from that day)" in result.output
    )
    assert list(db.session.scalars(select(OutboxEmail.recipient))) == ["gone@example.com"]


def _one_gave_a_billing_reason(make, db):
    from feedback_app.services.billing import feedback

    make.survey(key="exit")
    make.customer(email="asked@example.com")
    told = make.customer(email="told@example.com")
    feedback.store(told.id, "stripe", "too_expensive", "The price doubled at renewal.")
    db.session.commit()


def test_customers_who_gave_a_billing_reason_are_skipped_only_when_the_setting_is_on(app, runner, make, db):
    """A customer who already gave their reason in the billing provider's cancel form was invited to
    the exit survey anyway; SKIP_SURVEY_WHEN_BILLING_REASON (off by default) leaves them out, and
    the run says how many and why."""
    _one_gave_a_billing_reason(make, db)
    assert app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] is False
    dry = runner.invoke(args=["invitations", "create", "--survey", "exit", "--dry-run"])
    assert "2 eligible" in dry.output and "billing cancel form" not in dry.output  # off: today's behaviour

    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True
    result = runner.invoke(args=["invitations", "create", "--survey", "exit"])

    assert result.exit_code == 0, result.output
    assert "2 departed customers matched, 1 eligible, created 1 invitations, 1 skipped" in result.output
    assert "skipped, gave a reason in the billing cancel form: 1" in result.output
    assert "SKIP_SURVEY_WHEN_BILLING_REASON is on" in result.output
    recipients = set(db.session.scalars(select(OutboxEmail.recipient)))
    assert recipients == {"asked@example.com"}


def test_the_invite_page_says_how_many_gave_a_billing_reason(app, client, login, make, db):
    from tests.helpers import csrf_token

    _one_gave_a_billing_reason(make, db)
    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True
    login("cx")
    token = csrf_token(client.get("/dashboard/invitations/new"))
    preview = client.post(
        "/dashboard/invitations/new", data={"csrf_token": token, "survey": "exit", "preview": "Preview"}
    ).get_data(as_text=True)
    assert "gave a reason in the billing cancel form" in preview
    assert "1 customer gave their reason in the billing provider's cancel form and is not invited" in preview


def test_the_same_person_stored_again_is_skipped_for_their_billing_reason_too(app, runner, make, db):
    """The billing webhook stored Tom with his cancel-form reason; the CSV export of the same
    cancellation stored him again (another source, another customer row). The reason is the
    person's, as an opt-out is: with SKIP_SURVEY_WHEN_BILLING_REASON on, the second row was invited."""
    from feedback_app.services.billing import feedback

    make.survey(key="exit")
    told = make.customer(email="tom@example.com", source="stripe", external_id="cus_1")
    feedback.store(told.id, "stripe", "too_expensive", "The price doubled at renewal.")
    make.customer(email="Tom@Example.com", source="csv", external_id="tom-42")
    db.session.commit()
    app.config["SKIP_SURVEY_WHEN_BILLING_REASON"] = True

    result = runner.invoke(args=["invitations", "create", "--survey", "exit"])

    assert result.exit_code == 0, result.output
    assert "skipped, gave a reason in the billing cancel form: 2" in result.output
    assert list(db.session.scalars(select(OutboxEmail.recipient))) == []
