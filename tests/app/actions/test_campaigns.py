"""Win-back campaigns end to end through a real SMTP server: right people, once each, never the holdout."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback_app.models import CampaignMember, OutboxEmail
from feedback_app.services.actions import campaign_links, campaign_results, campaigns
from feedback_app.services.actions.campaign_targets import arm_for
from tests.app.actions.winback_data import campaign_input, price_world


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    return app


def _seed_with_holdout(customer_ids, share=0.5):
    """A seed that holds out at least one and mails at least one of these customers."""
    for seed in range(1, 1000):
        arms = {arm_for(seed, cid, share) for cid in customer_ids}
        if arms == {"offer", "holdout"}:
            return seed
    raise AssertionError("no seed splits the customers")


def test_sending_twice_mails_each_offer_customer_once_and_never_the_holdout(smtp_app, smtp_server, make, db):
    _world, customers = price_world(make, db, people=6)
    campaign = campaigns.create(campaign_input(holdout_share=0.5), actor="cx@test")
    campaign.seed = _seed_with_holdout([c.id for c in customers])
    db.session.commit()
    first = campaigns.send(campaign, actor="cx@test")
    second = campaigns.send(campaign, actor="cx@test")

    members = {m.customer_id: m.arm for m in db.session.scalars(select(CampaignMember))}
    offer = sorted(c.email for c in customers if members[c.id] == "offer")
    holdout = sorted(c.email for c in customers if members[c.id] == "holdout")
    assert offer and holdout and len(members) == 6  # the support customer is not in the target
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == offer
    assert not any(smtp_server.by_recipient(address) for address in holdout)
    assert (first.queued, first.held_out) == (len(offer), len(holdout))
    assert (second.queued, second.already) == (0, len(offer))

    message = smtp_server.by_recipient(offer[0])[0].message
    text = message.get_body(("plain",)).get_content()
    assert "20% off for 6 months" in text and "http://survey.test/w/" in text
    assert message["List-Unsubscribe"].strip().startswith("<http://survey.test/w/")


def test_a_customer_who_joins_the_target_later_gets_one_email_on_the_next_send(
    smtp_app, smtp_server, make, db
):
    world, customers = price_world(make, db, people=1)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    campaigns.send(campaign, actor="cx@test")
    late = world.answer(world.themes["t-price"])[0]
    assert [c.id for c in campaigns.preview(campaign).unmailed] == [late.id]  # what a new send mails
    report = campaigns.send(campaign, actor="cx@test")
    assert report.queued == 1 and campaigns.preview(campaign).unmailed == []
    assert [m.rcpt_tos for m in smtp_server.messages] == [[customers[0].email], [late.email]]


def test_placeholders_and_fields_are_checked_with_the_field_named(app, make, db):
    with pytest.raises(campaigns.CampaignError) as caught:
        campaigns.create(
            campaign_input(
                name=" ",
                body="Hi {frist_name}",
                subject="{first_name:>99999}",
                offer_deadline=date.today(),
                landing_url="javascript:alert(1)",
                holdout_share=0.9,
            ),
            actor="t",
        )
    fields = dict(caught.value.problems)
    assert set(fields) >= {"name", "body", "subject", "offer_deadline", "landing_url", "holdout_share"}
    assert "{frist_name}" in caught.value.problems[[f for f, _ in caught.value.problems].index("body")][1]
    assert any("must contain {link}" in m for f, m in caught.value.problems if f == "body")
    with pytest.raises(campaigns.CampaignError, match="stray brace"):
        campaigns.create(campaign_input(body="50% {off {link}"), actor="t")
    with pytest.raises(campaigns.CampaignError, match="Unknown root cause"):
        campaigns.create(campaign_input(target=campaigns.Target(causes=["nonsense"])), actor="t")
    with pytest.raises(campaigns.CampaignError, match="not an amount"):
        campaigns.parse_money("twenty", "offer_value")


@pytest.mark.parametrize("landing_url", ["https://[::1/offer", "http://[::1/", "https://"])
def test_a_landing_page_address_urlsplit_cannot_read_is_a_field_problem(app, make, db, landing_url):
    """An unclosed IPv6 bracket made ``urlsplit`` raise: saving the campaign was a 500."""
    with pytest.raises(campaigns.CampaignError) as caught:
        campaigns.create(campaign_input(landing_url=landing_url), actor="t")
    assert [field for field, _ in caught.value.problems] == ["landing_url"]


def test_offer_amounts_are_read_to_the_cent_and_refused_past_it():
    assert campaigns.parse_money("20", "offer_value") == 2000
    assert campaigns.parse_money(" 19.99 ", "offer_value") == 1999
    assert campaigns.parse_money("", "offer_value") is None
    for refused in ("19.999", "-1", "10000001", "NaN", "Infinity"):
        with pytest.raises(campaigns.CampaignError, match="at most 2 decimals") as caught:
            campaigns.parse_money(refused, "offer_value")
        assert caught.value.problems[0][0] == "offer_value"


def test_nothing_is_sent_after_the_deadline(smtp_app, smtp_server, make, db):
    price_world(make, db, people=2)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    with pytest.raises(campaigns.CampaignError, match="offer ended"):
        campaigns.send(campaign, actor="cx@test", today=campaign.offer_deadline + timedelta(days=1))
    assert smtp_server.messages == [] and db.session.scalar(select(OutboxEmail.id)) is None


def test_a_test_send_reaches_only_the_staff_address_with_sample_values(smtp_app, smtp_server, make, db):
    price_world(make, db, people=2)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    campaigns.test_send(campaign, "me@example.com", actor="cx@test")
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ["me@example.com"]
    assert received.message["Subject"].startswith("[Test] there, come back")
    assert db.session.scalar(select(CampaignMember.id)) is None and campaign.status == "draft"
    with pytest.raises(campaigns.CampaignError, match="test address"):
        campaigns.test_send(campaign, "not an address", actor="cx@test")


def test_a_test_send_reaches_a_staff_address_that_opted_out_as_a_customer(smtp_app, smtp_server, make, db):
    """Staff often try the survey with their own address and opt out on it. The address-wide
    opt-out is about emails to departed customers: it cancelled the staff member's own test email
    (no customer) at send time, and they saw nothing arrive."""
    price_world(make, db, people=1)
    make.customer(email="Me@example.com", opted_out=True)
    db.session.commit()
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    campaigns.test_send(campaign, "me@example.com", actor="cx@test")
    assert [m.rcpt_tos for m in smtp_server.messages] == [["me@example.com"]]


def test_clicks_opens_returns_and_lift_show_in_the_results(smtp_app, smtp_server, client, make, db):
    _world, customers = price_world(make, db, people=4)
    campaign = campaigns.create(campaign_input(holdout_share=0.5), actor="cx@test")
    campaign.seed = _seed_with_holdout([c.id for c in customers])
    db.session.commit()
    campaigns.send(campaign, actor="cx@test")
    message = smtp_server.messages[0]
    link = next(w for w in message.message.get_body(("plain",)).get_content().split() if "/w/" in w)
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/w/{token}/open.gif").headers["Content-Type"] == "image/gif"
    response = client.get(f"/w/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "https://brightloop.test/pricing"
    assert client.get("/w/not-a-token").status_code == 404

    db.session.expire_all()
    members = list(db.session.scalars(select(CampaignMember)))
    clicked = next(m for m in members if m.clicked_at)
    held = next(m for m in members if m.arm == "holdout")
    clicked.customer.returned_at = date.today()
    clicked.customer.monthly_revenue_cents = 10_000
    held.customer.returned_at = campaign.offer_deadline + timedelta(days=1)  # too late: not counted
    db.session.commit()
    result = campaign_results.results(campaign)
    offer_n = sum(m.arm == "offer" for m in members)
    assert (
        result.offer.customers,
        result.offer.sent,
        result.offer.opened,
        result.offer.clicked,
        result.offer.returned,
    ) == (offer_n, offer_n, 1, 1, 1)
    assert result.holdout.returned == 0 and result.holdout.sent == 0
    assert result.lift.difference == pytest.approx(1 / offer_n)
    assert result.offer_cost_cents == 2000
    assert result.too_small


def test_the_opt_out_link_opts_the_customer_out(smtp_app, smtp_server, client, make, db):
    _world, customers = price_world(make, db, people=1)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    campaigns.send(campaign, actor="cx@test")
    token = (
        smtp_server.messages[0].message["List-Unsubscribe"].strip().strip("<>").split("/w/")[1].split("/")[0]
    )
    assert client.post(f"/w/{token}/opt-out").status_code == 200
    db.session.expire_all()
    assert customers[0].opted_out
    assert campaign_links.opt_out("unknown") is False


def test_the_preview_shows_while_the_campaign_may_still_send(smtp_app, make, db):
    """A draft, or a sent campaign whose offer runs until today: who would be mailed; after the
    offer ended, no preview (the page shows the results)."""
    price_world(make, db, people=2)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    deadline = campaign.offer_deadline
    assert campaigns.current_preview(campaign, today=deadline + timedelta(days=3)) is not None  # a draft
    campaigns.send(campaign, actor="cx@test")
    assert len(campaigns.current_preview(campaign, today=deadline).offer) == 2
    assert campaigns.current_preview(campaign, today=deadline + timedelta(days=1)) is None


def test_two_clicks_on_send_at_once_mail_each_customer_once_without_an_error(smtp_app, smtp_server, make, db):
    # A double click, or two staff on the same campaign: the second send waits for the first and
    # finds everyone mailed. It used to fail inside its loop on the first's rows (an IntegrityError
    # from the autoflush, outside the commit's guard): a server error page for the second click.
    from sqlalchemy import func

    from feedback_app.models import WinbackCampaign
    from tests.helpers import run_twice_at_once

    _world, customers = price_world(make, db, people=4)
    campaign_id = campaigns.create(campaign_input(), actor="cx@test").id

    def click():
        return campaigns.send(db.session.get(WinbackCampaign, campaign_id), actor="cx@test").queued

    queued, failures = run_twice_at_once(smtp_app, click)
    assert failures == [] and sorted(queued) == [0, 4]
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(c.email for c in customers)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CampaignMember.id))) == 4
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 4
