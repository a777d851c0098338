"""Slack alerts after an analysis run, against a real HTTP receiver: a new theme, a root cause whose
share jumped, a high-value customer asking to be contacted; each sent exactly once across runs,
retried when Slack fails, and bad settings refused at startup."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from config import TestingConfig
from feedback_app import create_app
from feedback_app.models import FollowUp, WebhookDelivery
from feedback_app.services.integrations import alerts, webhook_delivery, webhooks
from tests.app.insights_data import World

TODAY = date(2026, 10, 30)  # window 2026-10-01..10-30, compared with 2026-09-01..09-30


@pytest.fixture
def world(app, make, db, receiver):
    app.config.update(
        SLACK_WEBHOOK_URL=receiver.url, CPR_LTV_THRESHOLD_CENTS=500000, ALERT_SHARE_JUMP_POINTS=10
    )
    world = World(make, db, run_counts={"new_theme_keys": ["t-support"]})
    price = world.theme("t-price", "Too expensive", category="price")
    support = world.theme(
        "t-support",
        "Nobody answered our tickets",
        category="support",
        quotes=["We waited two weeks for a reply."],
    )
    # September: 4 price, 1 support (20%); October: 2 price, 5 support (71%): support jumps 51 points.
    for _ in range(4):
        world.answer(price, left_at=date(2026, 9, 10))
    world.answer(support, left_at=date(2026, 9, 12))
    for _ in range(2):
        world.answer(price, left_at=date(2026, 10, 10))
    for _ in range(3):
        world.answer(support, left_at=date(2026, 10, 12))
    _, rich = world.answer(
        support,
        text="Please call me.",
        left_at=date(2026, 10, 20),
        company="Globex Corp",
        lifetime_value_cents=900000,
    )
    _, modest = world.answer(
        support,
        text="Please call me.",
        left_at=date(2026, 10, 21),
        company="Small Shop",
        lifetime_value_cents=20000,
    )
    for response in (rich, modest):
        db.session.add(FollowUp(response_id=response.id, reason="Asks to be contacted"))
    db.session.commit()
    return world


def texts(receiver) -> list[str]:
    return [r.json()["text"] for r in receiver.received]


def test_each_alert_reaches_slack_once_across_two_runs(world, receiver, db):
    assert alerts.after_run(world.run, TODAY) == 3
    assert alerts.after_run(world.run, TODAY) == 0  # the next run: nothing new to say
    webhook_delivery.deliver()
    sent = texts(receiver)
    assert len(sent) == 3, sent
    assert any(
        "New reason for leaving" in t and "Nobody answered our tickets" in t and "two weeks" in t
        for t in sent
    )
    assert any("Customer support" in t or "Support" in t for t in sent if "answered departures" in t)
    jump = next(t for t in sent if "answered departures" in t)
    assert "up from 20%" in jump and "last 30 days" in jump
    contact = [t for t in sent if "asks to be contacted" in t]
    assert len(contact) == 1 and "Globex Corp" in contact[0] and "$9,000" in contact[0]
    assert not any("Small Shop" in t for t in sent)  # below the lifetime-value threshold
    for message in receiver.received:
        body = message.json()
        assert body["blocks"][0]["type"] == "section"
        assert body["blocks"][1]["elements"][0]["url"].startswith("http://survey.test/dashboard/")
        assert "_" not in body["blocks"][0]["text"]["text"].replace("t-support", "")  # no internal keys


def test_slack_failure_is_retried_and_still_sent_once(world, receiver, db):
    receiver.statuses = [500, 500, 500]
    alerts.after_run(world.run, TODAY)
    assert len(receiver.received) == 3
    webhook_delivery.deliver()
    alerts.after_run(world.run, TODAY)
    webhook_delivery.deliver()
    assert len(receiver.received) == 6
    assert len(set(texts(receiver))) == 3
    statuses = db.session.scalars(select(WebhookDelivery.status)).all()
    assert statuses == ["delivered"] * 3


def test_theme_and_cause_events_go_to_subscribed_webhooks(world, app, db):
    from tests.app.integrations.receiver import Receiver

    other = Receiver().start()
    try:
        endpoint = webhooks.subscribe(other.url, ["theme.created", "cause.share_jumped"], actor="test")
        alerts.after_run(world.run, TODAY)
        alerts.after_run(world.run, TODAY)
        webhook_delivery.deliver()
        types = sorted(r.json()["type"] for r in other.received)
        assert types == ["cause.share_jumped", "theme.created"]
        assert all(webhooks.verify(endpoint.secret, r.headers, r.body) for r in other.received)
        jumped = next(r.json()["data"] for r in other.received if r.json()["type"] == "cause.share_jumped")
        assert jumped["root_cause"] == "support" and jumped["previous_share"] == 0.2
    finally:
        other.stop()


def test_no_slack_url_sends_nothing_to_slack(world, app, receiver, db):
    app.config["SLACK_WEBHOOK_URL"] = ""
    assert alerts.after_run(world.run, TODAY) == 0
    webhook_delivery.deliver()
    assert receiver.received == []


def test_a_small_rise_is_not_an_alert(world, app, receiver):
    app.config["ALERT_SHARE_JUMP_POINTS"] = 60  # support rose 51 points
    alerts.after_run(world.run, TODAY)
    webhook_delivery.deliver()
    assert not any("answered departures" in t for t in texts(receiver))


@pytest.mark.parametrize(
    "setting, value, words",
    [
        ("SLACK_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/X", "SLACK_WEBHOOK_URL"),
        ("SLACK_WEBHOOK_URL", "ftp://hooks.slack.com/x", "not an http(s) address"),
        ("DIGEST_RECIPIENTS", "ana@example.com, not-an-address", "'not-an-address' is not an email address"),
    ],
)
def test_bad_settings_stop_startup_with_the_setting_named(tmp_path, setting, value, words):
    with pytest.raises(RuntimeError, match=words.replace("(", r"\(").replace(")", r"\)")):
        create_app(
            TestingConfig, overrides={setting: value, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
        )


def test_the_webhooks_page_lists_the_slack_endpoint_and_its_deliveries(world, client, login, receiver, db):
    alerts.after_run(world.run, TODAY)
    login("admin")
    page = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert receiver.url in page and "Slack alerts (SLACK_WEBHOOK_URL)" in page


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ImportWarning")
def test_a_real_analysis_run_alerts_slack_once_about_a_valuable_customer_asking_for_a_call(
    app, runner, make, db, receiver
):
    from tests.app.insights_data import SAAS_LIKE

    app.config.update(SLACK_WEBHOOK_URL=receiver.url, CPR_LTV_THRESHOLD_CENTS=500000)
    survey = make.survey(definition=SAAS_LIKE)
    texts = [
        "The price went up again and we could not justify it.",
        "Too expensive for a small team like ours.",
        "Support never answered my tickets for weeks.",
        "Nobody from customer service ever replied to us.",
        "The app crashed every time we saved a file.",
        "Constant outages and errors broke our workflow.",
    ] * 2
    for text in texts:
        invitation, _ = make.invitation(customer=make.customer(), survey=survey, status="sent")
        make.response(invitation=invitation, answers={"what_happened": text, "contact_ok": "yes", "nps": 3})
    invitation, _ = make.invitation(
        customer=make.customer(company="Globex Corp", lifetime_value_cents=900000),
        survey=survey,
        status="sent",
    )
    make.response(
        invitation=invitation,
        answers={
            "what_happened": "Too pricey now. Please call me to talk about it.",
            "contact_ok": "yes",
            "nps": 2,
        },
    )
    for _ in range(2):
        result = runner.invoke(args=["analyze", "run"])
        assert result.exit_code == 0, result.output
    contact = [r.json()["text"] for r in receiver.received if "asks to be contacted" in r.json()["text"]]
    assert len(contact) == 1 and "Globex Corp" in contact[0]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == len(receiver.received)
