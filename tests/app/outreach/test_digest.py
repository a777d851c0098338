"""The weekly digest email against a real SMTP server (aiosmtpd): figures, quotes, both bodies, once
per week and recipient even when the job runs twice, and the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedback_app.jobs import enqueue
from feedback_app.jobs.celery_runner import PERIODIC_JOBS
from feedback_app.models import OutboxEmail
from feedback_app.services.outreach import digest
from tests.app.insights_data import World

WEEK = "2026-W41"  # Monday 2026-10-05 to Sunday 2026-10-11; the week before is 09-28..10-04


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    app.config["DIGEST_RECIPIENTS"] = "ana@brightloop.example, li@brightloop.example"
    return app


@pytest.fixture
def week_world(make, db):
    world = World(make, db)
    price = world.theme("t-price", "Too expensive", category="price")
    support = world.theme("t-support", "Slow support", category="support")
    support.created_at = datetime(2026, 10, 6, 3, tzinfo=UTC)  # found this week
    db.session.commit()
    at = datetime(2026, 10, 7, 9, tzinfo=UTC)
    # the week before: price 1 of 2 customers (50%); this week: price 3 of 4 (75%)
    world.answer(price, left_at=date(2026, 9, 30), monthly_revenue_cents=5000)
    world.answer(support, left_at=date(2026, 10, 1), monthly_revenue_cents=5000)
    for n in range(3):
        world.answer(
            price,
            left_at=date(2026, 10, 6),
            monthly_revenue_cents=10000,
            submitted=at,
            text=f"Price went up again, reply {n} from [EMAIL].",
        )
    world.answer(
        support,
        left_at=date(2026, 10, 7),
        monthly_revenue_cents=2000,
        submitted=at,
        text="Support took a week to reply.",
    )
    return world


def test_the_digest_reaches_each_recipient_once_even_when_the_job_runs_twice(
    smtp_app, smtp_server, week_world, db
):
    assert enqueue("digest.weekly", week=WEEK) == {"week": WEEK, "queued": 2, "already_sent": 0}
    assert enqueue("digest.weekly", week=WEEK) == {"week": WEEK, "queued": 0, "already_sent": 2}
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@brightloop.example",
        "li@brightloop.example",
    ]
    message = smtp_server.by_recipient("ana@brightloop.example")[0].message
    assert message["Subject"] == f"Weekly digest {WEEK}: 4 departures, 4 answers"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Price" in body and "$300" in body and "+25 points" in body  # 75% now, 50% the week before
        assert "Support" in body and "$20" in body
        assert "Price went up again" in body and "[EMAIL]" in body  # redacted text only
        assert (
            "http://survey.test/dashboard/themes?start=2026-10-05&amp;end=2026-10-11" in html
            or "http://survey.test/dashboard/themes?start=2026-10-05&end=2026-10-11" in body
        )
    assert text.index("Price") < text.index("Support")  # by revenue lost
    new_themes = text.split("New themes:")[1].split("In their words:")[0]
    theme_id = week_world.themes["t-support"].id
    assert f"Slow support: http://survey.test/dashboard/themes/{theme_id}" in new_themes
    assert "Too expensive" not in new_themes
    assert text.count('- "') == 3  # three quotes


def test_an_empty_week_says_so(smtp_app, smtp_server, db):
    digest.send("2026-W02")
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content()
    assert "No answered departures this week." in text and "No written answers this week." in text


def test_a_new_week_is_a_new_digest(smtp_app, smtp_server, week_world, db):
    digest.send(WEEK)
    digest.send("2026-W42")
    assert len(smtp_server.messages) == 4
    keys = sorted(db.session.scalars(select(OutboxEmail.idempotency_key)))
    assert keys[0] == "digest:2026-W41:ana@brightloop.example"


def test_default_week_is_the_last_complete_one():
    assert digest.parse_week(None, today=date(2026, 10, 14)) == ("2026-W41", date(2026, 10, 5))


def test_cli_dry_run_prints_and_sends_nothing_then_send_sends(smtp_app, smtp_server, week_world, runner, db):
    result = runner.invoke(args=["digest", "send", "--week", WEEK, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would send to 2 recipient(s)" in result.output and "Price" in result.output
    assert smtp_server.messages == [] and db.session.scalar(select(OutboxEmail.id)) is None
    result = runner.invoke(args=["digest", "send", "--week", WEEK])
    assert "Queued to 2 recipient(s)" in result.output and len(smtp_server.messages) == 2


def test_cli_refuses_a_bad_week(smtp_app, runner):
    result = runner.invoke(args=["digest", "send", "--week", "2026-44"])
    assert result.exit_code != 0 and "not an ISO week in the form YYYY-Www" in result.output


def test_digest_is_in_the_beat_schedule():
    assert ("digest.weekly", "BEAT_DIGEST_SECONDS") in PERIODIC_JOBS
