"""The weekly digest email against a real SMTP server (aiosmtpd): figures, quotes, follow-ups
waiting and action items due or shipped with links, both bodies, once per week and recipient even
when the job runs twice, who gets it (opted-in staff; opted-out staff never), and the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedback_app.jobs import enqueue
from feedback_app.jobs.celery_runner import PERIODIC_JOBS
from feedback_app.models import ActionItem, FollowUp, OutboxEmail, StaffUser
from feedback_app.services.accounts import users
from feedback_app.services.outreach import digest
from tests.app.insights_data import World
from tests.helpers import csrf_token

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


def test_the_digest_quotes_reasons_not_answers_the_analysis_set_aside(app, week_world):
    """Walk (product manager): "In their words" quoted the week's newest texts whatever they were,
    so a "lol no" the analysis had set aside as a non-answer stood beside the real reasons."""
    at = datetime(2026, 10, 8, 9, tzinfo=UTC)  # newer than every reason of the week
    for n, text in enumerate(["lol no", "x", "."]):
        week_world.answer(None, left_at=date(2026, 10, 7), submitted=at.replace(minute=n), text=text)
    quotes = digest.build(WEEK).quotes
    assert len(quotes) == 3
    assert not {"lol no", "x", "."} & set(quotes)
    assert "Support took a week to reply." in quotes


def test_the_digest_says_what_a_share_is_a_share_of(app, week_world):
    """Walk (product manager): "Price: $1,417/month, 6 customers, 60%" under "41 customers left"
    read as 60% of the 41; the share is of the customers who gave a reason, and now says so."""
    text, html = digest.render(digest.build(WEEK))
    assert "3 customers, 75% of those who gave a reason (+25 points)" in text
    assert "Share: of the customers who left that week and gave a reason, not of everyone who left." in html


def test_the_digest_writes_money_in_the_configured_currency(app, week_world):
    """As the dashboard and reports do (CURRENCY_SYMBOL), not always in dollars."""
    app.config["CURRENCY_SYMBOL"] = "€"
    for body in digest.render(digest.build(WEEK)):
        assert "€300" in body and "€20" in body and "$" not in body


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


def test_cli_dry_run_tells_the_truth_about_who_would_get_it(app, week_world, runner, make, db):
    """The dry run printed one reader's footer ("your address is in DIGEST_RECIPIENTS") even when
    DIGEST_RECIPIENTS was empty and nobody would get anything."""
    app.config["DIGEST_RECIPIENTS"] = ""
    result = runner.invoke(args=["digest", "send", "--week", WEEK, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "DIGEST_RECIPIENTS; ask an admin" not in result.output and "Price" in result.output
    assert "No recipients: no staff user turned the weekly digest on and DIGEST_RECIPIENTS is empty" in (
        result.output
    )
    assert "set DIGEST_RECIPIENTS to addresses, comma-separated" in result.output
    assert "Would send to 0 recipient(s)" in result.output

    user, _ = make.staff_user(role="cx", email="keen@brightloop.example")
    users.set_digest_opt_in(user, True)
    app.config["DIGEST_RECIPIENTS"] = "team@brightloop.example"
    result = runner.invoke(args=["digest", "send", "--week", WEEK, "--dry-run"])
    assert "You get this because" not in result.output and "No recipients" not in result.output
    assert "keen@brightloop.example: turned it on on their profile" in result.output
    assert "team@brightloop.example: in DIGEST_RECIPIENTS" in result.output
    assert db.session.scalar(select(OutboxEmail.id)) is None


def test_cli_refuses_a_bad_week(smtp_app, runner):
    result = runner.invoke(args=["digest", "send", "--week", "2026-44"])
    assert result.exit_code != 0 and "not an ISO week in the form YYYY-Www" in result.output


def test_digest_is_in_the_beat_schedule():
    assert ("digest.weekly", "BEAT_DIGEST_SECONDS") in PERIODIC_JOBS


@pytest.fixture
def work(week_world, db):
    """Two follow-ups waiting and one handled; action items overdue, due next week, later, shipped."""
    customers = []
    for name, handled in (
        ("Ines Novak", None),
        ("Tom Berg", None),
        ("Done Already", datetime(2026, 10, 8, tzinfo=UTC)),
    ):
        _, response = week_world.answer(None, text="Please call me.", name=name, left_at=date(2026, 10, 6))
        follow_up = FollowUp(response_id=response.id, reason="Asks to be contacted", handled_at=handled)
        db.session.add(follow_up)
        customers.append(response)
    items = {
        "overdue": ActionItem(title="Add a cheaper plan", owner_team="product", due_date=date(2026, 10, 1)),
        "soon": ActionItem(
            title="Answer tickets in a day", owner_team="support", due_date=date(2026, 10, 16)
        ),
        "later": ActionItem(title="Rewrite onboarding", owner_team="product", due_date=date(2026, 12, 1)),
        "shipped": ActionItem(
            title="Refund button",
            owner_team="billing",
            status="shipped",
            due_date=date(2026, 10, 9),
            shipped_at=datetime(2026, 10, 9, 15, tzinfo=UTC),
        ),
    }
    db.session.add_all(items.values())
    db.session.commit()
    return items


def test_the_digest_lists_follow_ups_waiting_and_action_items_due_or_shipped_with_links(
    smtp_app, smtp_server, work, db
):
    digest.send(WEEK)
    message = smtp_server.by_recipient("ana@brightloop.example")[0].message
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    waiting = text.split("Follow-ups waiting for a reply: 2")[1].split("Action items due")[0]
    assert "Ines Novak" in waiting and "Tom Berg" in waiting and "Done Already" not in waiting
    # each name links the customer's page, as the follow-up queue does (docs/integrations.md), not
    # the CPR desk, whose offer calculator is for a high-value customer, not one asking for a call
    assert "Asks to be contacted" in waiting and "http://survey.test/dashboard/customers/" in waiting
    assert "/dashboard/cpr/" not in text + html
    due = text.split("Action items due (overdue or due within a week):")[1].split("Action items shipped")[0]
    assert (
        f"- Add a cheaper plan (Product), due 2026-10-01, overdue: http://survey.test/dashboard/actions/{work['overdue'].id}"
        in due
    )
    assert (
        f"- Answer tickets in a day (Support), due 2026-10-16: http://survey.test/dashboard/actions/{work['soon'].id}"
        in due
    )
    assert "Rewrite onboarding" not in due and "Refund button" not in due
    shipped = text.split("Action items shipped this week:")[1]
    assert (
        f"- Refund button (Billing), shipped 2026-10-09: http://survey.test/dashboard/actions/{work['shipped'].id}"
        in shipped
    )
    for item in ("overdue", "soon", "shipped"):
        assert f'href="http://survey.test/dashboard/actions/{work[item].id}"' in html
    assert "Ines Novak" in html and "Rewrite onboarding" not in html


def test_product_staff_get_the_follow_up_count_but_not_who_is_waiting(smtp_app, smtp_server, work, make, db):
    """The follow-up queue and customer pages are CX and admin only; a product subscriber's digest
    named the customers waiting for a reply (and linked their pages) all the same."""
    for role in ("product", "cx", "admin"):
        user, _ = make.staff_user(role=role, email=f"{role}@brightloop.example")
        users.set_digest_opt_in(user, True)
    digest.send(WEEK)
    for role, sees in (("product", False), ("cx", True), ("admin", True)):
        message = smtp_server.by_recipient(f"{role}@brightloop.example")[0].message
        for body in (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()):
            assert "Follow-ups waiting for a reply: 2" in body, role
            assert ("Ines Novak" in body) is sees and ("/dashboard/customers/" in body) is sees, role
            assert "No one is waiting for a reply." not in body, role
            assert "Add a cheaper plan" in body, role


def test_an_empty_week_says_no_one_waits_and_nothing_is_due(smtp_app, smtp_server, db):
    digest.send("2026-W02")
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content()
    assert (
        "No one is waiting for a reply." in text and "None due." in text and "None shipped this week." in text
    )


def test_opted_in_staff_get_it_and_opted_out_staff_never_do(smtp_app, smtp_server, make, db):
    keen, _ = make.staff_user(role="product", email="keen@brightloop.example")
    quiet, _ = make.staff_user(role="cx", email="ana@brightloop.example")  # also in DIGEST_RECIPIENTS
    make.staff_user(role="admin", email="never@brightloop.example")
    users.set_digest_opt_in(keen, True)
    gone, _ = make.staff_user(role="cx", email="gone@brightloop.example")
    users.set_digest_opt_in(gone, True)
    users.deactivate(gone, actor="test")
    run = digest.send(WEEK)
    assert sorted(run.queued) == ["keen@brightloop.example", "li@brightloop.example"]
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == run.queued
    keen_text = (
        smtp_server.by_recipient("keen@brightloop.example")[0].message.get_body(("plain",)).get_content()
    )
    assert "turn it off on your profile: http://survey.test/dashboard/profile" in keen_text
    listed = smtp_server.by_recipient("li@brightloop.example")[0].message.get_body(("plain",)).get_content()
    assert "your address is in DIGEST_RECIPIENTS" in listed
    assert quiet.digest_opt_in is False


def test_the_profile_page_turns_the_digest_on_and_off(client, login, db):
    user = login("product")
    page = client.get("/dashboard/profile")
    assert page.status_code == 200 and "Email me the weekly digest" in page.get_data(as_text=True)
    saved = client.post("/dashboard/profile", data={"digest": "y", "csrf_token": csrf_token(page)})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).digest_opt_in is True
    assert [u.email for u in users.digest_subscribers()] == [user.email]
    page = client.get("/dashboard/profile")
    assert "checked" in page.get_data(as_text=True)
    client.post("/dashboard/profile", data={"csrf_token": csrf_token(page)})  # box unticked
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).digest_opt_in is False


def test_a_customer_opt_out_does_not_stop_a_staff_members_digest(smtp_app, smtp_server, week_world, make, db):
    """The address-wide opt-out (a person who opted out under one customer row is not written to
    under another) is about emails to departed customers. A staff member who tried the survey with
    their own address and opted out still gets the digest they asked for: the outbox cancelled it
    at send time as "address opted out"."""
    make.customer(email="Li@brightloop.example", opted_out=True)
    db.session.commit()
    assert enqueue("digest.weekly", week=WEEK)["queued"] == 2
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "ana@brightloop.example",
        "li@brightloop.example",
    ]
