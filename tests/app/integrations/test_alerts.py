"""Slack alerts after an analysis run, against a real HTTP receiver: a new theme, a root cause whose
share spiked above last period's interval, a high-value customer asking to be contacted; each sent
exactly once across runs (once per cause per period), retried when Slack fails, held back during
quiet hours, and bad settings refused at startup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from config import TestingConfig
from feedback_app import create_app
from feedback_app.models import FollowUp, WebhookDelivery
from feedback_app.services.insights import curation
from feedback_app.services.integrations import alerts, cause_spikes, quiet_hours, webhook_delivery, webhooks
from tests.app.insights_data import World
from tests.app.integrations.receiver import Receiver, verify

TODAY = date(2026, 10, 30)  # window 2026-10-01..10-30, compared with 2026-09-01..09-30


@pytest.fixture
def world(app, make, db, receiver):
    app.config.update(SLACK_WEBHOOK_URL=receiver.url, CPR_LTV_THRESHOLD_CENTS=500000, ALERT_MIN_CUSTOMERS=3)
    world = World(make, db, run_counts={"new_theme_keys": ["t-support"]})
    price = world.theme("t-price", "Too expensive", category="price")
    support = world.theme(
        "t-support",
        "Nobody answered our tickets",
        category="support",
        quotes=["We waited two weeks for a reply."],
    )
    # September: 4 price, 1 support (20%); October: 2 price, 5 support (71%): support spikes.
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
    assert "71% of answered departures in the last 30 days" in jump
    assert "above the 95% range of 4% to 62%" in jump and "when it was 20%" in jump
    contact = [t for t in sent if "asks to be contacted" in t]
    assert len(contact) == 1 and "Globex Corp" in contact[0] and "$9,000" in contact[0]
    assert not any("Small Shop" in t for t in sent)  # below the lifetime-value threshold
    for message in receiver.received:
        body = message.json()
        assert body["blocks"][0]["type"] == "section"
        assert body["blocks"][1]["elements"][0]["url"].startswith("http://survey.test/dashboard/")
        assert "_" not in body["blocks"][0]["text"]["text"].replace("t-support", "")  # no internal keys


def test_one_kind_of_alert_failing_does_not_lose_the_others(world, receiver, db, monkeypatch):
    # A new theme is only ever new in the run that found it: a spike check that breaks must not
    # take that run's theme alert (or the contact alert) down with it.
    def broken(today=None):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(alerts, "spike_alerts", broken)
    assert alerts.after_run(world.run, TODAY) == 2
    webhook_delivery.deliver()
    sent = texts(receiver)
    assert any("New reason for leaving" in t for t in sent) and any("asks to be contacted" in t for t in sent)


def test_a_contact_alert_gives_the_lifetime_value_in_the_configured_currency(app, world, receiver, db):
    """As the dashboard and reports do (CURRENCY_SYMBOL), not always in dollars."""
    app.config["CURRENCY_SYMBOL"] = "€"
    alerts.after_run(world.run, TODAY)
    webhook_delivery.deliver()
    contact = [t for t in texts(receiver) if "asks to be contacted" in t]
    assert len(contact) == 1 and "€9,000" in contact[0] and "$" not in contact[0]


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
    other = Receiver().start()
    try:
        endpoint = webhooks.subscribe(other.url, ["theme.created", "cause.spiked"], actor="test")
        alerts.after_run(world.run, TODAY)
        alerts.after_run(world.run, TODAY)
        webhook_delivery.deliver()
        types = sorted(r.json()["type"] for r in other.received)
        assert types == ["cause.spiked", "theme.created"]
        assert all(verify(endpoint.secret, r.headers, r.body) for r in other.received)
        spiked = next(r.json()["data"] for r in other.received if r.json()["type"] == "cause.spiked")
        assert spiked["root_cause"] == "support" and spiked["previous_share"] == 0.2
        assert spiked["previous_interval"] == [0.0362, 0.6245] and spiked["share"] == 0.7143
    finally:
        other.stop()


def test_no_slack_url_sends_nothing_to_slack(world, app, receiver, db):
    app.config["SLACK_WEBHOOK_URL"] = ""
    assert alerts.after_run(world.run, TODAY) == 0
    webhook_delivery.deliver()
    assert receiver.received == []


def test_the_interval_is_wilsons_on_last_periods_share_computed_by_hand(world):
    # Support last period: 1 of 5 answered departures, p = 0.2, z = 1.96, z² = 3.8416:
    #   denominator 1 + 3.8416/5 = 1.76832; centre (0.2 + 3.8416/10) / 1.76832 = 0.33035;
    #   half-width 1.96 * sqrt(0.2*0.8/5 + 3.8416/100) / 1.76832 = 0.29412  ->  (0.0362, 0.6245).
    # This period 5 of 7 = 0.714 > 0.6245: a spike. Price: 4 of 5 -> (0.3755, 0.9638); now 2/7: none.
    [spike] = cause_spikes.spikes(TODAY, days=30, confidence=0.95, min_customers=3)
    assert spike.cause.key == "support" and (spike.previous_customers, spike.previous_answered) == (1, 5)
    assert spike.interval == pytest.approx((0.0362, 0.6245), abs=5e-5)
    assert spike.cause.share == pytest.approx(5 / 7)
    assert cause_spikes.z_score(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_a_rise_inside_last_periods_interval_is_not_a_spike(app, make, db):
    # 1 of 5 (20%) to 3 of 5 (60%): forty points up, yet under the interval's 62.45%.
    world = World(make, db)
    price = world.theme("t-price", "Too expensive", category="price")
    support = world.theme("t-support", "Nobody answered", category="support")
    for theme, september, october in ((price, 4, 2), (support, 1, 3)):
        for _ in range(september):
            world.answer(theme, left_at=date(2026, 9, 10))
        for _ in range(october):
            world.answer(theme, left_at=date(2026, 10, 10))
    assert cause_spikes.spikes(TODAY, days=30, confidence=0.95, min_customers=3) == []
    assert cause_spikes.spikes(TODAY, days=30, confidence=0.5, min_customers=3)  # a narrower range: a spike


def test_too_few_customers_this_period_is_not_a_spike(world, app, receiver):
    app.config["ALERT_MIN_CUSTOMERS"] = 6  # support has 5 this period
    alerts.after_run(world.run, TODAY)
    webhook_delivery.deliver()
    assert not any("answered departures" in t for t in texts(receiver))


def test_one_spike_alert_per_cause_per_period(world, app, receiver, db):
    # Periods are fixed 30-day blocks: 2026-10-01..10-30 holds both days below; 10-31 starts the next.
    earlier, later = date(2026, 10, 25), date(2026, 10, 31)
    assert cause_spikes.period_start(earlier, 30) == cause_spikes.period_start(TODAY, 30) == date(2026, 10, 1)
    assert cause_spikes.period_start(later, 30) == date(2026, 10, 31)
    for day in (earlier, TODAY, TODAY, later):  # support is above last period's range on each day
        alerts.queue(alerts.spike_alerts(day))
        db.session.commit()
    webhook_delivery.deliver()
    spikes = [t for t in texts(receiver) if "answered departures" in t]
    assert len(spikes) == 2, spikes  # once in October's block, once in the next


def test_quiet_hours_hold_slack_alerts_until_they_end(world, app, receiver, db):
    now = datetime.now(UTC)
    # Quiet from this hour for two hours, in Berlin time; they end at the top of the hour after next.
    berlin = now.astimezone(ZoneInfo("Europe/Berlin"))
    app.config.update(
        ALERT_QUIET_HOURS_START=str(berlin.hour),
        ALERT_QUIET_HOURS_END=str((berlin.hour + 2) % 24),
        ALERT_TIMEZONE="Europe/Berlin",
    )
    other = Receiver().start()
    try:
        webhooks.subscribe(other.url, ["cause.spiked"], actor="test")
        assert alerts.after_run(world.run, TODAY, now=now) == 3
        webhook_delivery.deliver()
        assert receiver.received == []  # Slack waits
        assert [r.json()["type"] for r in other.received] == ["cause.spiked"]  # webhooks do not
    finally:
        other.stop()
    ends = (berlin.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)).astimezone(UTC)
    held = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == "slack.alert")
    ).all()
    assert {d.next_attempt_at for d in held} == {ends} and {d.status for d in held} == {"pending"}
    for delivery in held:  # the quiet hours pass
        delivery.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    webhook_delivery.deliver()
    assert len(receiver.received) == 3  # delivered after, not dropped


@pytest.mark.parametrize(
    "start, end, moment, released",
    [
        (22, 7, datetime(2026, 7, 1, 21, 30, tzinfo=UTC), datetime(2026, 7, 2, 5, tzinfo=UTC)),  # 23:30 CEST
        (22, 7, datetime(2026, 7, 1, 3, 0, tzinfo=UTC), datetime(2026, 7, 1, 5, tzinfo=UTC)),  # 05:00 CEST
        (22, 7, datetime(2026, 7, 1, 12, 0, tzinfo=UTC), None),  # 14:00: not quiet
        (22, 7, datetime(2026, 1, 15, 22, 0, tzinfo=UTC), datetime(2026, 1, 16, 6, tzinfo=UTC)),  # 23:00 CET
        (1, 5, datetime(2026, 1, 15, 4, 0, tzinfo=UTC), None),  # 05:00 CET: the end hour is not quiet
    ],
)
def test_quiet_hours_wrap_midnight_in_their_time_zone(start, end, moment, released):
    quiet = quiet_hours.from_config(
        {"ALERT_QUIET_HOURS_START": start, "ALERT_QUIET_HOURS_END": end, "ALERT_TIMEZONE": "Europe/Berlin"}
    )
    assert quiet is not None and quiet.release_at(moment) == released


@pytest.mark.parametrize(
    "value",
    ["hooks.slack.com/services/T0/B0/s3cretPath", "ftp://user:pw@hooks.slack.com/services/s3cretPath"],
)
def test_a_bad_slack_url_is_named_without_its_secret_path(tmp_path, value):
    """The startup message goes to stderr and from there to every log reader: Slack's webhook URL is
    a secret in its path (anyone holding it can post to the channel), so it names the host only."""
    with pytest.raises(RuntimeError) as raised:
        create_app(
            TestingConfig,
            overrides={"SLACK_WEBHOOK_URL": value, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"},
        )
    message = str(raised.value)
    assert "s3cretPath" not in message and "pw" not in message
    assert "hooks.slack.com/..." in message and "is not an http(s) address" in message


@pytest.mark.parametrize(
    "setting, value, words",
    [
        ("SLACK_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/X", "SLACK_WEBHOOK_URL"),
        ("SLACK_WEBHOOK_URL", "ftp://hooks.slack.com/x", "not an http(s) address"),
        ("SLACK_WEBHOOK_URL", "https://[::1/x", "not an http(s) address"),  # urlsplit raised: a traceback
        ("DIGEST_RECIPIENTS", "ana@example.com, not-an-address", "'not-an-address' is not an email address"),
        ("ALERT_QUIET_HOURS_START", "25", "ALERT_QUIET_HOURS_START: '25' is not a whole hour"),
        ("ALERT_QUIET_HOURS_START", "22", "set both (e.g. 22 and 7), or neither"),
        ("ALERT_TIMEZONE", "Mars/Olympus", "ALERT_TIMEZONE: 'Mars/Olympus' is not a time zone name"),
        ("ALERT_SHARE_CONFIDENCE", 1.5, "ALERT_SHARE_CONFIDENCE: 1.5 is not a confidence"),
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


def test_a_new_themes_alert_quotes_an_answer_the_theme_still_holds(app, make, db):
    gone, stays = "Our renewal price doubled overnight.", "The fee went up again this spring."
    world = World(make, db, run_counts={"new_theme_keys": ["t-price"]})
    price = world.theme("t-price", "Renewal price", category="price", quotes=[gone, stays])
    support = world.theme("t-support", "Slow support", category="support")
    _, moved = world.answer(price, text=gone)
    world.answer(price, text=stays)
    curation.move_answer(moved, support, actor="cx@example.com")
    [alert] = alerts.new_theme_alerts(world.run)
    assert stays in alert.text and gone not in alert.text


def test_customer_words_in_a_slack_alert_are_text_never_mentions_or_links(app, make, db):
    """Slack reads ``<!channel>`` as a mention of everyone and ``<https://x|words>`` as a link
    under any words: a theme label, a quote or a company name holding them pinged the whole
    channel or showed a disguised link. ``&``, ``<`` and ``>`` are escaped as Slack asks."""
    app.config["CPR_LTV_THRESHOLD_CENTS"] = 1
    label = "<!channel> fees & <https://evil.example/login|Open the theme>"
    quote = "Call me <!here> <@U024BE7LH>"
    world = World(make, db, run_counts={"new_theme_keys": ["t-price"]})
    price = world.theme("t-price", label, category="price", quotes=[quote])
    _, asked = world.answer(
        price, text=quote, company="<https://evil.example|Globex>", lifetime_value_cents=900000
    )
    db.session.add(FollowUp(response_id=asked.id, reason="Asks to be contacted"))
    db.session.commit()
    sent = [alert.slack_message() for alert in alerts.new_theme_alerts(world.run) + alerts.contact_alerts()]
    assert len(sent) == 2
    for message in sent:
        for text in (message["text"], message["blocks"][0]["text"]["text"]):
            assert "<!" not in text and "<http" not in text and "<@" not in text, text
    theme_text = sent[0]["blocks"][0]["text"]["text"]
    assert "&lt;!channel&gt; fees &amp; &lt;https://evil.example/login|Open the theme&gt;" in theme_text
    assert "Call me &lt;!here&gt;" in theme_text
    assert "&lt;https://evil.example|Globex&gt;" in sent[1]["blocks"][0]["text"]["text"]


def test_a_bare_address_a_customer_wrote_is_not_linked_by_slack(app, make, db):
    """Slack turns a bare address in mrkdwn into a link unless the text object is ``verbatim``;
    the only link in an alert is the button into the dashboard."""
    quote = "They said to pay at http://evil.example/x or www.evil.example"
    world = World(make, db, run_counts={"new_theme_keys": ["t-price"]})
    world.theme("t-price", "Renewal price", category="price", quotes=[quote])
    [alert] = alerts.new_theme_alerts(world.run)
    section = alert.slack_message()["blocks"][0]["text"]
    assert "http://evil.example/x" in section["text"] and section["verbatim"] is True
