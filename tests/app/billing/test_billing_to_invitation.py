"""From a provider's cancellation to the survey in the customer's inbox, as a new CX team sets it
up from docs/integrations.md: turn automatic invitations on, point the provider's webhook at us;
each signed cancellation becomes a customer who gets one invitation, and a replay sends nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from feedback_app.models import Invitation, OutboxEmail
from tests.app.billing.samples import load
from tests.app.billing.senders import SECRETS, post_chargebee, post_paddle, post_stripe
from tests.app.survey_helpers import shipped_survey
from tests.helpers import csrf_token


@pytest.fixture
def configured(app, smtp_server, runner):
    app.config.update(smtp_server.mail_settings(), **SECRETS)
    shipped_survey("saas_cancellation")
    result = runner.invoke(
        args=["invitations", "auto-setup", "--survey", "saas_cancellation", "--after-hours", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "each new departure is invited 0 hours after it is recorded" in result.output
    return app


PROVIDERS = [
    (post_stripe, "stripe_subscription_deleted", "sam@fabrikam.example"),
    (post_paddle, "paddle_subscription_canceled", "li@contoso.example"),
    (post_chargebee, "chargebee_subscription_cancelled", "dana@northwind.example"),
]


@pytest.mark.parametrize(("post", "sample", "address"), PROVIDERS, ids=["stripe", "paddle", "chargebee"])
def test_a_cancellation_is_invited_to_the_survey_once(
    configured, client, db, smtp_server, post, sample, address
):
    event = load(sample)
    first = post(client, event)
    assert first.status_code == 201, first.get_json()

    (received,) = smtp_server.by_recipient(address)
    text = received.message.get_body(("plain",)).get_content()
    assert "/s/" in text and received.message["X-Afterword-Kind"] == "invitation"

    again = post(client, event)  # the provider redelivers: nothing new, nobody mailed twice
    assert again.status_code == 200 and again.get_json()["event"] == "duplicate"
    assert len(smtp_server.messages) == 1
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.sent_at.is_not(None))) == 1
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 1


def test_auto_setup_says_what_it_did_and_refuses_what_would_never_invite(runner, db, app):
    survey = shipped_survey("saas_cancellation")
    assert "Turn it on with" in runner.invoke(args=["invitations", "auto"]).output
    result = runner.invoke(
        args=["invitations", "auto-setup", "--survey", "saas_cancellation", "--after-hours", "24"]
    )
    assert result.exit_code == 0 and survey.auto_invite_delay_hours == 24
    too_late = runner.invoke(
        args=["invitations", "auto-setup", "--survey", "saas_cancellation", "--after-hours", "9999"]
    )
    assert too_late.exit_code == 1 and "AUTO_INVITE_LOOKBACK_DAYS (30)" in too_late.output
    unknown = runner.invoke(args=["invitations", "auto-setup", "--survey", "nope", "--off"])
    assert unknown.exit_code == 1 and "Known surveys: saas_cancellation" in unknown.output
    off = runner.invoke(args=["invitations", "auto-setup", "--survey", "saas_cancellation", "--off"])
    assert "no longer invited automatically" in off.output
    db.session.refresh(survey)
    assert survey.auto_invite_delay_hours is None


def test_a_cancellation_without_an_email_says_so_in_the_providers_log(configured, client, smtp_server):
    """Stripe's subscription events carry only the customer's id: without ``metadata.email`` nobody can
    be invited, and the answer (shown in Stripe's webhook log) says where to put it."""
    event = load("stripe_subscription_deleted")
    event["data"]["object"]["metadata"] = {}
    answer = post_stripe(client, event)
    assert answer.status_code == 201
    assert "cannot be invited to the survey" in answer.get_json()["message"]
    assert "subscription's metadata as email" in answer.get_json()["message"]
    assert smtp_server.messages == []


def test_a_customer_who_opted_out_is_not_surveyed_again_when_the_provider_reports_them_too(
    configured, client, db, smtp_server, runner, tmp_path
):
    """Sam was imported from the billing tool's CSV export, got the survey and opted out on its
    page. The provider's webhook for the same cancellation then stores Sam again (another source,
    so another customer row): the opt-out was Sam's, and no survey may reach that address again."""
    export = tmp_path / "stripe-export.csv"
    export.write_text(
        "Customer ID,Email,Canceled At (UTC)\ncus_Qw3rTy,Sam@Fabrikam.example,2026-10-14 09:00\n"
    )
    imported = runner.invoke(args=["customers", "import", str(export)])
    assert imported.exit_code == 0, imported.output
    assert runner.invoke(args=["invitations", "create", "--survey", "saas_cancellation"]).exit_code == 0
    runner.invoke(args=["outbox", "deliver"])
    (invitation_email,) = smtp_server.messages
    token = re.search(r"/s/([A-Za-z0-9_-]{43})", invitation_email.message.get_body(("plain",)).get_content())[
        1
    ]
    page = client.get(f"/s/{token}/opt-out")
    assert client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf_token(page)}).status_code == 200

    answer = post_stripe(client, load("stripe_subscription_deleted"))  # metadata email sam@fabrikam.example
    assert answer.status_code == 201, answer.get_json()
    runner.invoke(args=["invitations", "create", "--survey", "saas_cancellation"])
    runner.invoke(args=["outbox", "deliver"])

    mailed = [m for m in smtp_server.messages if m.rcpt_tos[0].lower() == "sam@fabrikam.example"]
    assert len(mailed) == 1, [m.message["Subject"] for m in mailed]
