"""The win-back campaign pages and CLI as a CX user uses them: create, preview, test, send, results."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from feedback_app.models import CampaignMember, WinbackCampaign
from tests.app.actions.winback_data import price_world
from tests.helpers import csrf_token


def _form(deadline: date, **overrides):
    data = {
        "name": "Price is back",
        "causes": ["price"],
        "holdout_percent": "10",
        "offer_text": "20% off for 6 months",
        "offer_code": "BACK20",
        "offer_value": "120",
        "offer_deadline": deadline.isoformat(),
        "subject": "{first_name}, 20% off",
        "body": "Hello {first_name}, {offer} until {deadline}: {link}",
        "landing_url": "https://brightloop.test/pricing",
        "ltv_min": "",
        "ltv_max": "",
    }
    data.update(overrides)
    return data


def test_create_preview_send_and_see_results_in_the_dashboard(app, client, login, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    _world, customers = price_world(make, db, people=3)
    login("cx")
    page = client.get("/dashboard/win-back/campaigns")
    assert "No campaigns yet" in page.get_data(as_text=True)
    themed = client.get(f"/dashboard/win-back/campaigns/new?theme={_world.themes['t-price'].id}")
    assert 'value="Win back: Too expensive for a small team"' in themed.get_data(as_text=True)
    form = client.get("/dashboard/win-back/campaigns/new?cause=price")
    assert form.status_code == 200 and "{link}" in form.get_data(as_text=True)
    deadline = date.today() + timedelta(days=14)
    created = client.post(
        "/dashboard/win-back/campaigns/new", data=dict(_form(deadline), csrf_token=csrf_token(form))
    )
    assert created.status_code == 302
    detail = client.get(created.headers["Location"])
    text = detail.get_data(as_text=True)
    assert "Preview" in text and "20% off for 6 months" in text and "Send to" in text
    assert "Price and value" in text or "price" in text.lower()

    campaign = db.session.scalar(select(WinbackCampaign))
    sent = client.post(
        f"/dashboard/win-back/campaigns/{campaign.id}/send", data={"csrf_token": csrf_token(detail)}
    )
    assert sent.status_code == 302
    results = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Results" in results and "Holdout (got nothing)" in results and "Lift over the holdout" in results
    held = {
        m.customer_id
        for m in db.session.scalars(select(CampaignMember).where(CampaignMember.arm == "holdout"))
    }
    mailed = {r for m in smtp_server.messages for r in m.rcpt_tos}
    assert mailed == {c.email for c in customers if c.id not in held}


def test_bad_input_is_shown_next_to_each_field(app, client, login, make, db):
    login("cx")
    form = client.get("/dashboard/win-back/campaigns/new")
    response = client.post(
        "/dashboard/win-back/campaigns/new",
        data=dict(
            _form(date.today() - timedelta(days=1), body="no link here {nope}", offer_value="lots", name=""),
            csrf_token=csrf_token(form),
        ),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "is not after today" in text and "{nope}" in text and "must contain {link}" in text
    assert "is not an amount" in text and "Enter a name" in text
    assert db.session.scalar(select(WinbackCampaign.id)) is None


def test_product_staff_cannot_open_campaigns(client, login):
    login("product")
    assert client.get("/dashboard/win-back/campaigns").status_code == 403


def test_the_cli_creates_previews_sends_once_and_reports(app, runner, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    price_world(make, db, people=2)
    created = runner.invoke(
        args=[
            "winback",
            "create",
            "--name",
            "CLI",
            "--cause",
            "price",
            "--offer",
            "20% off",
            "--days",
            "14",
            "--holdout",
            "0",
            "--value",
            "50",
            "--landing-url",
            "https://brightloop.test/p",
        ]
    )
    assert created.exit_code == 0, created.output
    campaign_id = db.session.scalar(select(WinbackCampaign.id))
    preview = runner.invoke(args=["winback", "preview", str(campaign_id)])
    assert "Offer: 2 customer(s); holdout: 0" in preview.output
    assert "Queued 2 email(s)" in runner.invoke(args=["winback", "send", str(campaign_id)]).output
    assert "Queued 0 email(s)" in runner.invoke(args=["winback", "send", str(campaign_id)]).output
    assert len(smtp_server.messages) == 2
    results = runner.invoke(args=["winback", "results", str(campaign_id)])
    assert "offer\t2\t2\t0\t0\t0" in results.output and "needs customers in both arms" in results.output
    bad = runner.invoke(
        args=[
            "winback",
            "create",
            "--name",
            "x",
            "--cause",
            "nope",
            "--offer",
            "o",
            "--days",
            "1",
            "--landing-url",
            "ftp://x",
        ]
    )
    assert bad.exit_code != 0 and "Unknown root cause(s): nope" in bad.output and "landing_url" in bad.output
    # a deadline of today, one past the calendar (was a traceback), a theme id no theme has, and
    # one too big for the database (was an overflow traceback): refused at the option
    for option, value, bound in (
        ("--days", "0", "1<=x<=3650"),
        ("--days", "10000000", "1<=x<=3650"),
        ("--theme", "0", "1<=x<="),
        ("--theme", "99999999999999999999", "1<=x<="),
    ):
        refused = runner.invoke(
            args=[
                "winback",
                "create",
                "--name",
                "x",
                "--offer",
                "o",
                option,
                value,
                "--landing-url",
                "https://x.test",
            ]
        )
        assert refused.exit_code == 2 and option in refused.output and bound in refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert runner.invoke(args=["winback", "send", "999"]).exit_code != 0


def test_segments_and_plans_read_without_underscores_and_target_by_their_stored_value(
    client, login, make, db
):
    _world, _customers = price_world(make, db, people=1)
    make.customer(segment="mid_market", plan="pro_annual")
    login("cx")
    form = client.get("/dashboard/win-back/campaigns/new")
    html = form.get_data(as_text=True)
    assert re.search(
        r'<input type="checkbox" name="segments" value="mid_market"[^>]*> Mid-market</label>', html
    )
    assert re.search(r'<input type="checkbox" name="plans" value="pro_annual"[^>]*> Pro annual</label>', html)
    assert ">mid_market<" not in html and "> mid_market<" not in html
    deadline = date.today() + timedelta(days=14)
    data = dict(_form(deadline, segments=["mid_market"], plans=["pro_annual"]), csrf_token=csrf_token(form))
    created = client.post("/dashboard/win-back/campaigns/new", data=data)
    assert created.status_code == 302
    campaign = db.session.scalar(select(WinbackCampaign))
    assert campaign.target["segments"] == ["mid_market"] and campaign.target["plans"] == ["pro_annual"]
    text = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "segments Mid-market; plans Pro annual." in text and "mid_market" not in text


def test_a_saved_plan_spelled_another_way_shows_picked_when_the_campaign_is_edited(client, login, make, db):
    _world, _customers = price_world(make, db, people=1)
    for _ in range(2):
        make.customer(plan="Team ")  # imported twice: the choice's spelling
    login("cx")
    form = client.get("/dashboard/win-back/campaigns/new")
    deadline = date.today() + timedelta(days=14)
    data = dict(_form(deadline, plans=["Team"]), csrf_token=csrf_token(form))
    assert client.post("/dashboard/win-back/campaigns/new", data=data).status_code == 302
    campaign = db.session.scalar(select(WinbackCampaign))
    campaign.target = {**campaign.target, "plans": ["team"]}  # saved before the spellings were grouped
    db.session.commit()
    html = client.get(f"/dashboard/win-back/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" name="plans" value="Team"[^>]*checked', html)


def test_the_lists_where_several_may_be_picked_are_checkboxes(client, login, make, db):
    """Root causes, themes, segments and plans were list boxes where a second pick needed Ctrl or
    Cmd held (a plain click dropped the first, and the form had to explain it): checkboxes now,
    the themes under their root causes' names, and what was picked stays ticked on the way back."""
    _world, _customers = price_world(make, db, people=1)
    login("cx")
    html = client.get("/dashboard/win-back/campaigns/new").get_data(as_text=True)
    assert "Ctrl" not in html and "<select" not in html.split('name="name"')[1].split("holdout")[0]
    for name, legend in (
        ("causes", "Root causes"),
        ("themes", "Themes"),
        ("segments", "Segments"),
        ("plans", "Plans"),
    ):
        group = re.search(
            rf'<fieldset class="field checkbox-group[^"]*" id="{name}".*?</fieldset>', html, re.S
        )
        assert group and f"<legend>{legend}" in group.group(0), name
    price = re.search(r'<input type="checkbox" name="causes" value="price"[^>]*> ([^<]+)</label>', html)
    assert price and price.group(1) == "Price"
    assert re.search(
        r'<fieldset class="checkbox-subgroup"><legend>Price</legend>\s*<label class="check"><input type="checkbox" name="themes"',
        html,
    )
    form = client.get("/dashboard/win-back/campaigns/new")
    deadline = date.today() + timedelta(days=14)
    data = dict(_form(deadline), csrf_token=csrf_token(form))
    data["causes"] = ["price", "billing"]
    data["holdout_percent"] = "99"  # refused: the form comes back with the picks kept
    back = client.post("/dashboard/win-back/campaigns/new", data=data).get_data(as_text=True)
    for value in ("price", "billing"):
        assert re.search(rf'name="causes" value="{value}"[^>]*checked', back), value


def test_a_campaigns_target_is_a_sentence_and_its_estimates_whole_customers(client, login, make, db):
    """The target line ended in a semicolon ("...; until 2026-10-16;"), the headline showed the
    holdout's random seed, and the customers won beyond the holdout read "14.0" with an interval
    "-3.6 to 23.9": a sentence, no seed, whole customers with a true minus sign."""
    from feedback_app.blueprints.dashboard.display import whole_count

    assert [whole_count(v) for v in (14.0, -3.6, 23.9, -0.2, None)] == ["14", "\u22124", "24", "0", "–"]
    price_world(make, db, people=1)
    login("cx")
    form = client.get("/dashboard/win-back/campaigns/new")
    deadline = date.today() + timedelta(days=14)
    data = dict(_form(deadline, left_to=date.today().isoformat()), csrf_token=csrf_token(form))
    created = client.post("/dashboard/win-back/campaigns/new", data=data)
    text = re.sub(r"\s+", " ", client.get(created.headers["Location"]).get_data(as_text=True))
    target = re.search(r"Target: (.*?\.) The same customers are held out on every count\.", text)
    assert target and target.group(1) == f"root causes Price; until {date.today().isoformat()}.", text
    stats = re.search(r'<p class="stats-line">(.*?)</p>', text).group(1)  # the seed is not in the headline
    assert "seed" not in stats and "Holdout: a random 10% of the target get nothing" in stats


def _sent_campaign(make, db, people: int):
    """A sent campaign whose seed puts at least four customers in each arm (the audit log keeps the
    seed drawn when it was created), and that first seed."""
    from feedback_app.services.actions import campaigns
    from feedback_app.services.actions.campaign_targets import arm_for
    from tests.app.actions.winback_data import campaign_input

    _world, customers = price_world(make, db, people=people)
    campaign = campaigns.create(campaign_input(holdout_share=0.5), actor="cx@test")
    created_seed = campaign.seed
    campaign.seed = next(
        seed
        for seed in range(1, 1000)
        if 4 <= sum(arm_for(seed, c.id, 0.5) == "holdout" for c in customers) <= people - 4
    )
    db.session.commit()
    campaigns.send(campaign, actor="cx@test")
    return campaign, created_seed


def _comes_back(db, arm: str) -> None:
    for member in db.session.scalars(select(CampaignMember).where(CampaignMember.arm == arm)):
        member.customer.returned_at = date.today()
    db.session.commit()


def test_the_lift_interval_reads_as_a_range_of_points_with_its_signs(
    app, client, login, make, db, smtp_server
):
    """The lift's interval read "95% interval no change to +21 points": it is a range of points
    between two signed bounds, "−" a true minus, and the holdout's seed is not on the page (an
    admin finds it in the audit log, where the campaign's creation records it)."""
    from feedback_app.blueprints.dashboard.display import points_bound

    assert [points_bound(v) for v in (0.21, -0.052, 0.004, -0.004, None)] == ["+21", "\u22125", "0", "0", "–"]
    app.config.update(smtp_server.mail_settings())
    campaign, created_seed = _sent_campaign(make, db, people=14)
    login("admin")
    page = f"/dashboard/win-back/campaigns/{campaign.id}"

    _comes_back(db, "offer")  # everyone offered came back, nobody held out: a clear gain
    text = re.sub(r"\s+", " ", client.get(page).get_data(as_text=True))
    won = re.search(r"Between (\+\d+) and \+100 points \(95% interval\)\. The interval excludes zero\.", text)
    assert won and int(won.group(1)) > 0, text
    assert "seed" not in text.lower() and "no change to" not in text

    for member in db.session.scalars(select(CampaignMember)):
        member.customer.returned_at = None if member.arm == "offer" else date.today()
    db.session.commit()  # now the reverse: the holdout came back, the offered did not
    text = re.sub(r"\s+", " ", client.get(page).get_data(as_text=True))
    lost = re.search(r"Between \u2212100 and (\u2212\d+) points \(95% interval\)\.", text)
    assert lost, text

    audit = re.sub(r"\s+", " ", client.get("/dashboard/admin/audit").get_data(as_text=True))
    assert f"Seed: {created_seed}; Hold-out share: 50%" in audit
