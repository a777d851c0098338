"""Staff pages speak people's words: no internal keys, names instead of row ids, right plurals."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.models import ActionItem, AnalysisRun, FollowUp
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_audit_log_names_the_staff_member_not_a_row_id(client, login, make):
    admin = login("admin")
    cx, _ = make.staff_user("cx", email="casey@staff.example")
    text = _text(client.get("/dashboard/admin/audit").get_data(as_text=True))
    assert "Created a staff account" in text and "Staff account casey@staff.example" in text
    assert f"Signed in {admin.email}" not in text or admin.email in text
    assert f"staff_user {cx.id}" not in text and "user.create" not in text


def test_proposed_items_are_titled_by_root_cause_and_theme(client, login, make, db):
    world = World(make, db)
    bugs = world.theme("bugs", "Sync loses data", "bugs_reliability")
    world.answer(bugs, text="Sync lost my work.", reason="bugs_or_outages", monthly_revenue_cents=9900)
    login("cx")
    page = client.get("/dashboard/actions")
    done = client.post(
        "/dashboard/actions/propose", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )
    text = _text(done.get_data(as_text=True))
    item = db.session.scalar(select(ActionItem))
    assert item.title == "Bugs and reliability: Sync loses data"
    assert "Proposed 1 action item from the top themes" in text and "Fix:" not in text
    assert "bugs_reliability" not in done.get_data(as_text=True)


def test_themes_page_shows_the_run_in_words_and_progress_json_has_labels(client, login, make, db):
    run = AnalysisRun(status="running", progress=0.4, stage="embed", counts={})
    db.session.add(run)
    db.session.commit()
    login("cx")
    text = _text(client.get("/dashboard/themes").get_data(as_text=True))
    assert f"Latest run: #{run.id} , running" in text or f"#{run.id}" in text
    assert "Now: Reading the meaning of each answer" in text and "Progress: embed" not in text
    status = client.get(f"/dashboard/analysis/runs/{run.id}").get_json()
    assert (
        status["stage_label"] == "Reading the meaning of each answer" and status["status_label"] == "running"
    )
    run.status, run.stage, run.progress = "succeeded", "done", 1.0
    db.session.commit()
    status = client.get(f"/dashboard/analysis/runs/{run.id}").get_json()
    assert status["stage_label"] == "Finished" and status["status_label"] == "finished"


def test_root_cause_names_and_plurals_on_the_themes_page(client, login, make, db):
    world = World(make, db)
    bugs = world.theme("bugs", "Sync loses data", "bugs_reliability")
    privacy = world.theme("privacy", "Data sold", "privacy_trust")
    world.answer(bugs, text="Sync lost my work.", monthly_revenue_cents=9900)
    world.answer(bugs, text="Sync lost it again.", monthly_revenue_cents=9900)
    world.answer(privacy, text="They sold my data.", monthly_revenue_cents=100)
    login("product")
    html = client.get("/dashboard/themes", query_string={"start": "", "end": ""}).get_data(as_text=True)
    text = _text(html)
    assert "Bugs and reliability" in text and "bugs_reliability" not in text and "privacy_trust" not in text
    assert "2 customers" in text and "1 customer," in text and "(s)" not in text


def test_report_filters_and_answers_name_surveys_plans_and_segments_in_words(client, login, make, db):
    world = World(make, db)
    bugs = world.theme("bugs", "Sync loses data", "bugs_reliability")
    world.answer(bugs, text="Sync lost my work.", plan="pro_annual", segment="mid_market")
    world.answer(bugs, text="Sync lost it again.", plan="team", segment="SMB")
    login("cx")
    html = client.get("/dashboard/themes", query_string={"start": "", "end": "", "segment": "mid_market"})
    page = html.get_data(as_text=True)
    # the survey by its title, plans and segments in words, the stored value still sent
    assert '<option value="exit" >Why did you leave?</option>' in page
    assert '<option value="mid_market" selected>Mid-market</option>' in page
    assert '<option value="pro_annual" >Pro annual</option>' in page
    assert '<option value="SMB" >SMB</option>' in page  # the company's own capitals are kept
    assert ">exit<" not in page and ">mid_market<" not in page and ">pro_annual<" not in page
    assert "is not one of the known values" not in page  # the stored key still filters
    # the Run analysis form names the survey the same way
    assert '<option value="exit">Why did you leave?</option>' in page
    theme_page = client.get(f"/dashboard/themes/{bugs.id}", query_string={"start": "", "end": ""})
    text = _text(theme_page.get_data(as_text=True))
    assert "Pro annual / Mid-market" in text and "Team / SMB" in text and "mid_market" not in text


def test_a_plan_and_segment_read_the_same_words_on_every_page(client, login, make, db):
    """The follow-up queue wrote "Pro annual plan" where the theme page wrote "pro annual", and the
    customer list and win-back page wrote "pro_annual": every page now writes a plan or segment
    the one way (the ``data_words`` filter), the period line too."""
    world = World(make, db)
    bugs = world.theme("bugs", "Sync loses data", "bugs_reliability")
    _, answer = world.answer(bugs, text="Sync lost my work.", plan="pro_annual", segment="mid_market")
    db.session.add(FollowUp(response_id=answer.id, reason="Asked to be called"))
    db.session.commit()
    login("cx")
    every_time = {"start": "", "end": ""}
    pages = {
        "theme": (f"/dashboard/themes/{bugs.id}", every_time),
        "follow-ups": ("/dashboard/follow-ups", {}),
        "customers": ("/dashboard/customers", {}),
        "win-back": ("/dashboard/win-back", every_time),
        "themes": ("/dashboard/themes", {**every_time, "plan": "pro_annual", "segment": "mid_market"}),
    }
    for name, (path, args) in pages.items():
        text = _text(client.get(path, query_string=args).get_data(as_text=True))
        assert "Pro annual" in text, name
        assert "pro_annual" not in text.replace('value="pro_annual"', ""), name
        assert "pro annual" not in text, name
    themes = _text(client.get("/dashboard/themes", query_string=pages["themes"][1]).get_data(as_text=True))
    assert "plan Pro annual, segment Mid-market" in themes


def test_stored_plan_and_segment_keys_read_as_words_on_a_themes_answers(client, login, make, db):
    """A theme's answers showed the demo's keys as stored ("team / smb", "starter / self serve
    consumer"): a lower-case key now reads as words, acronyms in capitals, while a value the
    company wrote with capitals stays as written."""
    world = World(make, db)
    bugs = world.theme("bugs", "Sync loses data", "bugs_reliability")
    for plan, segment in (("team", "smb"), ("starter", "self_serve_consumer"), ("business", "mid_market")):
        world.answer(bugs, text=f"Sync lost my work ({plan}).", plan=plan, segment=segment)
    world.answer(bugs, text="Sync lost it again.", plan="Pro Annual", segment="EMEA enterprise")
    login("cx")
    html = client.get(f"/dashboard/themes/{bugs.id}", query_string={"start": "", "end": ""})
    text = _text(html.get_data(as_text=True))
    for shown in ("Team / SMB", "Starter / Self-serve consumer", "Business / Mid-market"):
        assert shown in text
    assert "Pro Annual / EMEA enterprise" in text  # the company's own capitals
    assert "smb" not in text and "self serve" not in text and "mid market" not in text


def test_data_words_reads_a_stored_key_and_keeps_what_the_company_wrote():
    from feedback_app.services.customers.records import data_words

    assert [data_words(v) for v in ("smb", "mid_market", "self_serve_consumer", "pro_annual")] == [
        "SMB",
        "Mid-market",
        "Self-serve consumer",
        "Pro annual",
    ]
    assert [data_words(v) for v in ("csv", "demo", "smb-eu", "SMB", "Pro  Annual", "", None)] == [
        "CSV",
        "Demo",
        "SMB-EU",
        "SMB",
        "Pro Annual",
        "–",
        "–",
    ]


def test_outbox_email_kinds_read_as_words():
    from feedback_app.blueprints.dashboard.display import email_kind

    assert email_kind("winback") == "Win-back" and email_kind("cpr_offer") == "CPR offer"
    assert email_kind("we_fixed_it") == "We fixed it" and email_kind("made_up") == "Made up"


def test_shares_and_rates_read_as_percents():
    from feedback_app.blueprints.dashboard.display import percent_figure
    from feedback_app.services.insights.statistics import percent

    assert [percent(v) for v in (None, 0.0, 0.003, 0.005, 0.42, 0.994, 0.996, 1.0)] == [
        "–",
        "0%",
        "<1%",
        "<1%",
        "42%",
        "99%",
        ">99%",  # 299 of 300 retained is not "100%"
        "100%",
    ]
    # monthly churn rates keep their decimals; the template places the sign
    assert (
        percent_figure(0.0234) == "2.3"
        and percent_figure(0.0234, 2) == "2.34"
        and percent_figure(None) == "–"
    )


def test_every_clock_time_a_staff_page_shows_names_its_time_zone():
    """Times are stored and shown in UTC: a time says so beside it ("06:49 UTC") or in its column's
    header ("Queued (UTC)"), as the audit log does; the users, API keys, webhooks and outbox pages
    showed bare times."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[3] / "feedback_app" / "templates"
    bare = []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if "%H:%M" in line and "UTC" not in line and "(UTC)" not in text:
                bare.append(f"{path.relative_to(templates)}:{number}")
    assert not bare, bare


def test_a_fall_in_share_reads_with_a_true_minus_sign():
    """A trend read "-11 points" with a hyphen (beside "+23 points"); a screen reader says "minus"
    for the minus sign, and the two signs now match in width."""
    from feedback_app.blueprints.dashboard.display import points

    assert (
        points(-0.11) == "\u221211 points"
        and points(0.23) == "+23 points"
        and points(-0.01) == "\u22121 point"
    )


def test_money_columns_are_spelled_out_as_on_every_other_page(client, login, make, db):
    """The theme's answers and the win-back candidates headed their money "MRR" and "LTV" (and
    "Est. second LTV") while the rest of the dashboard says "Monthly revenue" and "Lifetime value"."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, text="Too dear.", monthly_revenue_cents=7900, lifetime_value_cents=94800)
    login("cx")
    theme = _text(client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True))
    winback_html = client.get("/dashboard/win-back").get_data(as_text=True)
    assert '<th scope="col" class="num">Estimated second lifetime value</th>' in winback_html
    winback = _text(winback_html)
    assert "Monthly revenue" in theme and "Lifetime value" in theme and "$79" in theme
    assert "Lifetime value" in winback
    for text in (theme, winback):
        assert not re.search(r"\b(MRR|LTV)\b", text)
