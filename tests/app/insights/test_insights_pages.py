"""Each reports page, with data and empty, as a signed-in staff user sees it."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from feedback_app.models import (
    ActionItem,
    AuditEvent,
    DepartedCustomer,
    FollowUp,
    Invitation,
    Response,
    Theme,
    ThemeAssignment,
)
from tests.app.insights_data import World
from tests.helpers import csrf_token, without_tags

ALL_TIME = {"start": "", "end": ""}


def _world(make, db):
    world = World(make, db)
    price = world.theme(
        "price",
        "Price went up",
        "price",
        keywords=["price", "expensive"],
        quotes=["The price doubled at renewal for [PERSON]."],
    )
    support = world.theme("support", "Rude support", "support")
    world.answer(
        price,
        text="The price doubled and ClickStack is cheaper.",
        reason="poor_support",
        competitor="Asanda",
        monthly_revenue_cents=24900,
        plan="business",
        segment="mid_market",
    )
    world.answer(price, text="Too expensive.", monthly_revenue_cents=7900)
    world.answer(support, text="Support never answered.", reason="poor_support", monthly_revenue_cents=1900)
    return world, price, support


EMPTY_PAGES = {
    "/dashboard/overview": "No departed customers in this period",
    "/dashboard/themes": "No analysis has run yet",
    "/dashboard/summary": "Nothing to summarise yet",
    "/dashboard/actions": "No action items",
    "/dashboard/follow-ups": "No one is waiting for a reply",
    "/dashboard/win-back": "No candidates",
}


@pytest.mark.parametrize("url,message", EMPTY_PAGES.items())
def test_empty_pages_say_what_to_do_next(client, login, url, message):
    login("cx")
    page = client.get(url)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)


def test_an_empty_overview_links_to_the_import_and_the_invitations_not_a_command(client, login):
    """The first page a new CX lead sees pointed at a command line; the dashboard has both pages."""
    login("cx")
    html = client.get("/dashboard/overview").get_data(as_text=True)
    assert 'href="/dashboard/customers/import">import who left from a CSV file</a>' in html
    assert 'href="/dashboard/invitations/new">invite them to the exit survey</a>' in html
    assert "flask --app wsgi" not in html


def test_an_empty_overview_tells_the_product_team_who_imports(client, login):
    login("product")
    html = client.get("/dashboard/overview").get_data(as_text=True)
    assert "/dashboard/customers/import" not in html and "flask --app wsgi" not in html
    assert "A CX lead or an admin imports who left" in html


def test_pages_need_sign_in_and_the_right_role(client, login):
    assert client.get("/dashboard/themes").status_code == 302
    login("product")
    assert client.get("/dashboard/themes").status_code == 200
    assert client.get("/dashboard/follow-ups").status_code == 403
    assert client.get("/dashboard/win-back").status_code == 403


def test_overview_shows_the_figures_for_the_range(client, login, make, db):
    _world(make, db)
    make.customer(left_at=date(2020, 1, 1), monthly_revenue_cents=100000)
    login("cx")
    html = client.get(
        "/dashboard/overview", query_string={"start": "2026-09-01", "end": "2026-10-31"}
    ).get_data(as_text=True)
    assert "Departed customers</dt><dd>3<" in html
    # the completion rate's figures, as the response rate gives its own ("213 of 553")
    assert (
        'Completion rate</dt><dd>100%</dd><dd class="help">3 of the 3 who opened the survey answered<' in html
    )
    assert "$347" in html  # 249 + 79 + 19 a month
    assert "Invitation funnel" in html and 'type="application/json"' in html
    assert html.count("Invitation funnel") == 1, "the card's heading is not repeated as the chart's caption"
    assert "Win-back rate by theme" in without_tags(html) and html.index("Price went up") < html.index(
        "Rude support"
    )
    bad = client.get("/dashboard/overview", query_string={"start": "31/12/2026"}).get_data(as_text=True)
    assert "From: &#39;31/12/2026&#39; is not a date" in bad


def test_counts_in_the_thousands_have_separators_as_the_money_beside_them(client, login, db):
    """Acceptance walk: "Departed customers 1265" and "78 of 1265 came back" beside "$849,891"."""
    db.session.execute(
        insert(DepartedCustomer),
        [
            {
                "source": "test",
                "external_id": f"bulk-{n}",
                "email": f"bulk{n}@example.com",
                "left_at": date(2026, 10, 1),
                "returned_at": date(2026, 11, 1) if n < 1001 else None,
            }
            for n in range(1200)
        ],
    )
    db.session.commit()
    login("cx")
    overview = client.get("/dashboard/overview", query_string=ALL_TIME).get_data(as_text=True)
    # the rate's count and what it is out of, as the win-back page writes it
    assert "Departed customers</dt><dd>1,200<" in overview and "1,001 of 1,200 came back" in overview
    assert "answered of those who opened the survey" in overview  # no one invited: no "0 of the 0"
    assert "<td>Departed</td><td>1,200</td>" in overview
    win_back = client.get("/dashboard/win-back").get_data(as_text=True)
    assert "1,001 of 1,200 came back" in win_back


def test_themes_page_lists_themes_by_revenue_with_charts_and_tables(client, login, make, db):
    _world(make, db)
    login("product")
    html = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    assert html.index("Price went up") < html.index("Rude support")
    assert "67%" in html  # 2 of 3 customers
    assert 'data-chart-kind="pareto"' in html and "Cumulative share" in html
    assert "<script>" not in html and "onclick" not in html  # no inline scripts (strict CSP)
    assert "Run analysis" not in html  # product users read; CX runs
    assert client.get("/dashboard/themes", query_string={"plan": "nope"}).status_code == 200


def test_plotly_is_served_by_the_app(client, login):
    login("cx")
    response = client.get("/dashboard/assets/plotly.min.js")
    assert response.status_code == 200 and b"plotly" in response.data[:2000].lower()
    response.close()


def test_theme_page_shows_answers_competitors_and_reason_mismatch(client, login, make, db):
    world, price, support = _world(make, db)
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    assert "The price doubled at renewal for [PERSON]." in html
    assert "Asanda" in html and "ClickStack" in html  # the question and the text
    assert "Business / Mid-market" in html and "$249" in html
    assert html.count(">differs<") == 1  # picked poor support, wrote about price
    # the picked reason reads as the survey's option does (as on the customer page), not as its key
    assert 'data-label="Picked reason">Support <span class="badge' in html
    assert ">Poor support<" not in html and 'Picked reason">Too expensive' not in html
    assert client.get("/dashboard/themes/9999").status_code == 404


def test_theme_quotes_keep_their_language_and_say_which_it_is(client, login, make, db):
    world = World(make, db)
    price = world.theme(
        "price",
        "Price went up",
        "price",
        quotes=[
            "El precio subió muchísimo en la renovación y ya no compensa.",
            "The price doubled at renewal.",
            "Il supporto risponde solo in inglese e dopo giorni, per noi non va bene.",
        ],
    )
    world.answer(price, text="Too expensive.", monthly_revenue_cents=7900)
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    # the Spanish quote is shown as written, marked as Spanish for screen readers and readers
    assert (
        '<span dir="auto" lang="es">El precio subió muchísimo en la renovación y ya no compensa.</span>'
        in html
    )
    assert "Survey answer, in Spanish" in html and ">ES</small>" in html
    # a language the surveys are not translated into is still named, not taken for a shipped one
    assert "Survey answer, in Italian" in html and ">IT</small>" in html
    # an English quote gets no tag
    assert (
        '<span dir="auto" lang="en">The price doubled at renewal.</span> <footer>— Survey answer</footer>'
        in html
    )


def test_a_theme_page_says_its_answers_are_not_limited_to_the_period(client, login, make, db):
    """The cards count the period's customers (1 here) and the list below holds every answer (2):
    the page says so instead of showing "Customers 1" over "Answers (2)"."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, left_at=date(2026, 10, 1))
    world.answer(price, left_at=date(2025, 1, 1))
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}?start=2026-09-01&end=2026-10-31").get_data(as_text=True)
    assert "All answers (2)" in html
    assert "Every answer the theme holds now, whatever the period above." in html
    assert "Where they went (all time)" in html


def test_rename_and_lock_from_the_theme_page_is_audited(client, login, make, db):
    world, price, support = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}")
    response = client.post(
        f"/dashboard/themes/{price.id}/rename",
        data={"label": "Renewal price shock", "lock": "y", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Renewal price shock" in response.get_data(as_text=True)
    db.session.expire_all()
    theme = db.session.get(Theme, price.id)
    assert theme.display_label == "Renewal price shock" and theme.label_locked
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.rename")).details["new"]
        == "Renewal price shock"
    )
    empty = client.post(
        f"/dashboard/themes/{price.id}/rename",
        data={"label": "", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Enter the new label." in empty.get_data(as_text=True)


def test_product_users_cannot_curate(client, login, make, db):
    world, price, support = _world(make, db)
    login("product")
    page = client.get("/dashboard/themes")
    assert (
        client.post(
            f"/dashboard/themes/{price.id}/rename", data={"label": "X", "csrf_token": csrf_token(page)}
        ).status_code
        == 403
    )


def test_merge_and_move_from_the_pages(client, login, make, db):
    world, price, support = _world(make, db)
    _, extra = world.answer(support, text="Nobody replied.", monthly_revenue_cents=100)
    login("cx")
    page = client.get(f"/dashboard/themes/{support.id}")
    moved = client.post(
        f"/dashboard/answers/{extra.id}/move",
        data={"theme": price.id, "back_theme": support.id, "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert f"Answer {extra.id} moved to" in moved.get_data(as_text=True)
    merged = client.post(
        "/dashboard/themes/merge",
        data={"source": support.id, "target": price.id, "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    html = merged.get_data(as_text=True)
    assert "Merged" in html and "Support never answered." in html  # now shown under price
    same = client.post(
        "/dashboard/themes/merge",
        data={"source": price.id, "target": price.id, "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "cannot be merged into itself" in same.get_data(as_text=True)


def test_summary_page_and_downloads(client, login, make, db):
    _world(make, db)
    login("product")
    html = client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True)
    assert "2 former customers" in html and "Price went up" in html
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME)
    assert md.headers["Content-Disposition"].endswith('root-cause-summary.md"')
    assert "## 1. Price\n" in md.get_data(as_text=True)
    assert "### 1.1 Price went up" in md.get_data(as_text=True)
    assert client.get("/dashboard/summary/export.exe").status_code == 404


def test_the_summary_keeps_each_date_on_one_line_and_still_escapes_the_label(client, login, make, db):
    """In the summary's paragraphs a date broke at its hyphens ("Seen since 2026-06-" at a line's
    end, "21" on the next): each date is now held together, and a theme's label is still text."""
    _world(make, db)
    db.session.scalars(select(Theme).filter_by(stable_key="price")).one().human_label = "Price <b>went</b> up"
    db.session.commit()
    login("product")
    html = client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True)
    seen = re.search(r"Seen since (.*?), most recently (.*?)\.", html)
    assert seen, html
    assert all(re.fullmatch(r'<span class="nowrap">\d{4}-\d{2}-\d{2}</span>', day) for day in seen.groups())
    assert "Price &lt;b&gt;went&lt;/b&gt; up" in html and "<b>went</b>" not in html


def test_the_downloads_name_an_items_status_and_owner_team_as_the_page_does(client, login, make, db):
    """The Markdown and HTML downloads wrote the stored keys ("in progress, engineering")."""
    _world(make, db)
    price = db.session.scalars(select(Theme).filter_by(stable_key="price")).one()
    db.session.add(
        ActionItem(
            theme=price, title="Warn before a price rise", owner_team="engineering", status="in_progress"
        )
    )
    db.session.commit()
    login("product")
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    html = _text(client.get("/dashboard/summary/export.html", query_string=ALL_TIME).get_data(as_text=True))
    assert "**Action** (In progress, Engineering, due" in md
    assert "Action (In progress, Engineering" in html


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_summary_leads_with_root_causes_and_their_totals_as_the_themes_page(client, login, make, db):
    """Acceptance walk: the summary listed themes only; the largest root cause (its customers and
    revenue lost on the themes page) was nowhere as one figure."""
    import csv
    import io
    import json

    world, price, support = _world(make, db)  # Price: 2 customers, $328; Support attitude: 1, $19
    renewal = world.theme("renewal", "Renewal too expensive", "price")
    world.answer(renewal, text="Renewal cost doubled.", monthly_revenue_cents=5000)
    world.answer(renewal, text="Renewal too dear.", monthly_revenue_cents=4000)
    outages = world.theme("outages", "Spring outages", "bugs_reliability")
    world.answer(outages, text="Down all spring.", monthly_revenue_cents=50000)  # the costliest theme
    login("product")
    themes = _text(client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True))
    assert re.search(r"Price 4 67% .{0,30}\$418 ", themes), "the themes page's row for Price"

    page = _text(client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True))
    table = page.split("Root causes by revenue lost", 1)[1]
    assert re.search(r"1 (1\. )?Bugs and reliability 1 17% .{0,30}\$500 1 ", table)
    assert re.search(r"2 (2\. )?Price 4 67% .{0,30}\$418 2 ", table)
    assert re.search(r"3 (3\. )?Support attitude 1 17% .{0,30}\$19 1 ", table)
    sections = page.rsplit("2. Price", 1)[1]  # the section, after the table's phone-only "2. Price"
    sections = sections.split("3. Support attitude", 1)[0]
    assert "4 former customers (67% of answers with a theme" in sections
    assert "$418 a month" in sections
    assert sections.index("2.1 Price went up") < sections.index("2.2 Renewal too expensive")

    exported = json.loads(
        client.get("/dashboard/summary/export.json", query_string=ALL_TIME).get_data(as_text=True)
    )
    assert [c["root_cause"] for c in exported["root_causes"]] == [
        "Bugs and reliability",
        "Price",
        "Support attitude",
    ]
    cause = exported["root_causes"][1]
    assert (cause["key"], cause["customers"], cause["mrr_lost_cents"]) == ("price", 4, 41800)
    assert [t["theme"] for t in cause["themes"]] == ["Price went up", "Renewal too expensive"]
    assert [t["theme"] for t in exported["themes"]][0] == "Spring outages", "the flat list is kept"

    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    assert "| 2 | Price | 4 | 67% (" in md and "| $418 | 2 |" in md
    assert (
        md.index("## 2. Price")
        < md.index("### 2.1 Price went up")
        < md.index("### 2.2 Renewal too expensive")
    )
    html = _text(client.get("/dashboard/summary/export.html", query_string=ALL_TIME).get_data(as_text=True))
    assert re.search(r"2 (2\. )?Price 4 67% .{0,30}\$418 2 ", html) and "2.2 Renewal too expensive" in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/dashboard/summary/export.csv", query_string=ALL_TIME).get_data(as_text=True)
            )
        )
    )
    assert [r["theme"] for r in rows if r["row"] == "theme"] == [
        "Spring outages",
        "Price went up",
        "Renewal too expensive",
        "Rude support",
    ]
    # then the themes page's "All root causes" row: 1 + 4 + 1 customers, $500 + $418 + $19
    assert (rows[-1]["row"], rows[-1]["root_cause"], rows[-1]["customers"], rows[-1]["mrr_lost"]) == (
        "total",
        "All root causes",
        "6",
        "937.0",
    )
    assert {
        (r["root_cause_rank"], r["root_cause_customers"], r["root_cause_mrr_lost"]) for r in rows[1:3]
    } == {("2", "4", "418.0")}


def test_action_plan_propose_edit_ship_and_close_the_loop(client, login, make, db):
    world, price, support = _world(make, db)
    login("cx")
    page = client.get("/dashboard/actions")
    client.post("/dashboard/actions/propose", data={"csrf_token": csrf_token(page)})
    items = db.session.scalars(select(ActionItem).order_by(ActionItem.id)).all()
    assert [i.theme_id for i in items] == [price.id, support.id]
    item = items[0]
    edit = client.get(f"/dashboard/actions/{item.id}")
    assert edit.status_code == 200 and "marketing" in edit.get_data(as_text=True)
    bad = client.post(
        f"/dashboard/actions/{item.id}",
        data={
            "title": "",
            "owner_team": "marketing",
            "status": "shipped",
            "actions": "x",
            "csrf_token": csrf_token(edit),
        },
    )
    assert bad.status_code == 422 and "Enter a title." in bad.get_data(as_text=True)
    ok = client.post(
        f"/dashboard/actions/{item.id}",
        data={
            "title": "Cheaper starter plan",
            "owner_team": "marketing",
            "status": "shipped",
            "due_date": "2026-12-01",
            "actions": "Launch a starter plan\nEmail the customers",
            "root_cause": "Price",
            "csrf_token": csrf_token(edit),
        },
        follow_redirects=True,
    )
    assert "you can now tell the customers" in ok.get_data(as_text=True)
    preview = client.get(f"/dashboard/actions/{item.id}/close-loop").get_data(as_text=True)
    assert "<strong>2 former customers</strong> will receive this email" in preview
    email = preview[preview.index('class="eml-html"') : preview.index("Plain-text version")]
    assert "Launch a starter plan" not in email and "Cheaper starter plan" not in email
    assert "Describe what changed" in preview and "Send to 2 customers" not in preview


def test_product_user_edits_only_items_owned_by_product_teams(client, login, make, db):
    world, price, support = _world(make, db)
    owned = ActionItem(theme_id=price.id, title="Build it", owner_team="product", actions=["a"])
    other = ActionItem(theme_id=support.id, title="Train support", owner_team="support", actions=["b"])
    db.session.add_all([owned, other])
    db.session.commit()
    login("product")
    page = client.get(f"/dashboard/actions/{owned.id}")
    assert 'name="title"' in page.get_data(as_text=True)
    assert 'name="title"' not in client.get(f"/dashboard/actions/{other.id}").get_data(as_text=True)
    denied = client.post(
        f"/dashboard/actions/{other.id}",
        data={
            "title": "Mine now",
            "owner_team": "product",
            "status": "accepted",
            "actions": "x",
            "csrf_token": csrf_token(page),
        },
    )
    assert denied.status_code == 403
    assert client.get(f"/dashboard/actions/{owned.id}/close-loop").status_code == 403


def test_follow_up_queue_lists_and_marks_handled(client, login, make, db):
    world, price, support = _world(make, db)
    _, response = world.answer(price, text="Please call me about the invoice.", contact_ok="yes")
    from feedback_app.services.insights import follow_ups

    follow_ups.refresh()
    login("cx")
    page = client.get("/dashboard/follow-ups")
    html = page.get_data(as_text=True)
    assert "Asks to be contacted" in html and "Please call me" in html
    entry = db.session.scalar(select(FollowUp).where(FollowUp.response_id == response.id))
    client.post(
        f"/dashboard/follow-ups/{entry.id}/handled",
        data={"note": "Called back", "csrf_token": csrf_token(page)},
    )
    assert "Please call me" not in client.get("/dashboard/follow-ups").get_data(as_text=True)
    handled = client.get("/dashboard/follow-ups", query_string={"show": "handled"}).get_data(as_text=True)
    assert "Called back" in handled


def test_win_back_page_ranks_by_lifetime_value(client, login, make, db):
    world, price, support = _world(make, db)
    world.answer(
        price,
        name="Big Spender",
        lifetime_value_cents=9_000_000,
        monthly_revenue_cents=100000,
        tenure_months=10,
    )
    world.answer(price, name="Came Back", lifetime_value_cents=99_000_000, returned_at=date(2026, 11, 1))
    login("cx")
    html = client.get("/dashboard/win-back").get_data(as_text=True)
    assert "Big Spender" in html and "Came Back" not in html
    assert html.index("Big Spender") < html.index("Pat Example")
    assert re.search(r"<td[^>]*>\$6,000</td>", html)  # second LTV: $1,000/month x 10 months x 0.6
    # a theme's win-back rate comes with its interval: one of a handful is no firm rate
    assert "Win-back rate (95% interval)" in html
    assert re.search(r"\d+(\.\d)?% <span class=\"help nowrap\">\(\d+(\.\d)?%–\d+(\.\d)?%\)</span></td>", html)


def test_run_button_reports_a_run_with_nothing_to_analyse(client, login, db):
    login("cx")
    page = client.get("/dashboard/themes")
    response = client.post(
        "/dashboard/analysis/run", data={"survey": "", "csrf_token": csrf_token(page)}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Analysis run 1 started" in html
    assert "Run #1 failed: AnalysisError: There are no free-text answers to analyse" in html
    status = client.get("/dashboard/analysis/runs/1").get_json()
    assert status["status"] == "failed" and status["progress"] == 0.0
    bad = client.post(
        "/dashboard/analysis/run",
        data={"survey": "nope", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Survey: Not a valid choice" in bad.get_data(as_text=True)


def test_an_answer_asking_for_a_call_reaches_the_follow_up_queue_when_submitted(client, login, make, db):
    from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey

    survey = shipped_survey("saas_cancellation")
    customer = make.customer(name="Zoë Kowalski", company="Acme")
    _, token = make.invitation(customer=customer, survey=survey, status="sent")
    post_survey(
        client,
        token,
        {**GOOD_SAAS_POST, "q_what_happened": "Billing is a mess. Please call me to sort it out."},
    )
    login("cx")
    html = client.get("/dashboard/follow-ups").get_data(as_text=True)
    # the name links to the customer's page, the company follows it
    assert re.search(r">Zoë Kowalski</a>, Acme", html) and "Asks to be contacted" in html


def test_theme_pick_lists_are_grouped_by_root_cause(client, login, make, db):
    """With dozens of themes, each pick list (move an answer, merge, an item's theme) shows which
    root cause a theme belongs to, so moving an answer to another cause finds that cause's themes."""
    world, price, support = _world(make, db)
    renewal = world.theme("renewal", "Renewal too expensive", "price")
    login("cx")
    page = client.get(f"/dashboard/themes/{support.id}").get_data(as_text=True)
    move = page[
        page.index('<select name="theme"') : page.index("</select>", page.index('<select name="theme"'))
    ]
    assert re.search(r'<optgroup label="Price"><option value="\d+">Price went up</option><option', move)
    assert "Renewal too expensive" in move and "Rude support" not in move  # not into itself
    themes = client.get("/dashboard/themes?start=&end=").get_data(as_text=True)
    assert '<optgroup label="Support attitude">' in themes
    item = ActionItem(theme_id=renewal.id, title="Renewal", owner_team="billing", actions=["a"])
    db.session.add(item)
    db.session.commit()
    edit = client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True)
    assert '<optgroup label="No theme">' in edit and '<optgroup label="Price">' in edit
    assert re.search(rf'<option selected value="{renewal.id}">Renewal too expensive</option>', edit)


def test_theme_keywords_do_not_repeat_the_words_of_a_longer_keyword(client, login, make, db):
    world, price, _support = _world(make, db)
    price.keywords = ["outages", "status page", "support", "status", "page", "Pages"]
    db.session.commit()
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    badges = re.findall(r'<span class="badge">([^<]+)</span>', page.split("Keywords:")[1].split("</p>")[0])
    assert badges == ["outages", "status page", "support", "Pages"]


def test_theme_rows_show_score_and_won_back_not_sentiment(client, login, make, db):
    """A theme's figures say something a CX team can act on, each with its scale: the average
    score (0–10) and the share of its customers who came back. Not the mean lexicon sentiment,
    which read polite complaints as positive ("Price increase" +0.33 beside a score of 2.2)."""
    world, _price, support = _world(make, db)
    world.answer(support, text="Love the team, but they hung up on me.", sentiment=0.4, nps=2)
    world.answer(support, text="They hung up on me.", nps=2, returned_at=datetime(2026, 11, 1, tzinfo=UTC))
    login("cx")
    themes = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    assert "Avg score (0–10)" in themes and "Won back (share of its customers)" in themes
    assert "Sentiment" not in themes
    row = themes.split("Rude support</a>")[1].split("</tr>")[0]
    won_back = re.search(
        r'data-label="Won back \(share of its customers\)">([^<]+)<span[^>]*>\((\d+%)\)', row
    )
    assert won_back and won_back.group(1).strip().endswith("came back"), row
    assert "+0.40" not in row
    summary = client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True)
    markdown = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    for text in (summary, markdown):
        assert "Their average score was" in text and "out of 10." in text


def _many_answers(world: World, theme: Theme, count: int, monthly_revenue_cents: int) -> None:
    """``count`` answers in ``theme``, each as ``world.answer(theme, monthly_revenue_cents=...)``
    stores it (its own customer, sent invitation, response and batch assignment), in one flush and
    one commit instead of four commits an answer (250 answers took 2.7 s)."""
    session = world.db.session
    version = world.survey.versions[-1]
    responses = []
    for n in range(count):
        customer = DepartedCustomer(
            source="test",
            external_id=f"many-{n}",
            email=f"many{n}@example.com",
            name=f"Pat Many{n}",
            company="Acme",
            plan="team",
            segment="smb",
            monthly_revenue_cents=monthly_revenue_cents,
            lifetime_value_cents=94800,
            tenure_months=12,
            left_at=date(2026, 10, 1),
            churn_type="voluntary",
            contact_consent=True,
        )
        invitation = Invitation(
            customer=customer,
            survey=world.survey,
            token_hash=secrets.token_hex(32),
            status="completed",
            sent_at=datetime(2026, 10, 2, tzinfo=UTC),
            opened_at=datetime(2026, 10, 3, tzinfo=UTC),
        )
        text = "It cost too much."
        response = Response(
            invitation=invitation,
            survey_version=version,
            answers={"main_reason": "too_expensive", "what_happened": text, "contact_ok": "yes", "nps": 5},
            redacted_text=text,
            submitted_at=datetime(2026, 10, 4, tzinfo=UTC),
        )
        session.add(response)
        responses.append(response)
    session.flush()
    session.add_all(
        ThemeAssignment(
            run_id=world.run.id,
            response_id=response.id,
            theme_id=theme.id,
            is_primary=True,
            confidence=0.9,
            source="batch",
        )
        for response in responses
    )
    session.commit()


def test_a_single_customer_among_hundreds_is_not_shown_as_no_share(client, login, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    rare = world.theme("rare", "Missing Gantt chart", "missing_features")
    _many_answers(world, price, 250, monthly_revenue_cents=100)
    world.answer(rare, text="No Gantt chart.", monthly_revenue_cents=100)
    login("product")
    themes = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    row = themes.split("Missing Gantt chart</a>")[1].split("</tr>")[0]
    assert "&lt;1%" in row and ">0% " not in row  # 1 of 251 is 0.4%, not nothing
    # the downloads carry plain text: only the HTML escapes "<" (acceptance walk: "&lt;1%" in the Markdown)
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    assert "(<1% of answers with a theme" in md and "&lt;" not in md
    csv_text = client.get("/dashboard/summary/export.csv", query_string=ALL_TIME).get_data(as_text=True)
    json_text = client.get("/dashboard/summary/export.json", query_string=ALL_TIME).get_data(as_text=True)
    assert "&lt;" not in csv_text  # its shares are numbers ("0.004")
    assert "(<1% of answers with a theme" in json_text and "&lt;" not in json_text
    html = client.get("/dashboard/summary/export.html", query_string=ALL_TIME).get_data(as_text=True)
    assert "(&lt;1% of answers with a theme" in html
    theme = client.get(f"/dashboard/themes/{rare.id}", query_string=ALL_TIME).get_data(as_text=True)
    assert "<dd>&lt;1%</dd>" in theme


def test_month_charts_follow_the_stated_period_with_partial_months_labelled(client, login, make, db):
    """Acceptance walk: "Answers over time" showed months before the stated period (answers given
    before it), and "Theme shares by month" left out the period's last, partial month."""
    from datetime import UTC, datetime

    world, price, support = _world(make, db)  # three customers who left on 2026-10-01
    world.answer(price, left_at=date(2026, 6, 20), submitted=datetime(2026, 4, 28, tzinfo=UTC))
    login("product")
    page = client.get("/dashboard/themes", query_string={"start": "2026-06-08", "end": "2026-12-04"})
    html = page.get_data(as_text=True)
    assert "Customers who left from 2026-06-08 to 2026-12-04" in html
    shares = html.split("Theme shares by month", 1)[1].split("Answers over time", 1)[0]
    answers = html.split("Answers over time", 1)[1]
    months = [
        "Jun 2026 (days 8–30)",
        "Jul 2026",
        "Aug 2026",
        "Sep 2026",
        "Oct 2026",
        "Nov 2026",
        "Dec 2026 (days 1–4)",
    ]
    for table in (shares, answers):
        assert "Apr 2026" not in table and "May 2026" not in table and "2026-0" not in table
        found = re.findall(r"[A-Z][a-z]{2} 2026(?: \(days \d+–\d+\))?", table.split("<table", 1)[1])
        assert list(dict.fromkeys(found)) == months
    rows = dict(re.findall(r"<tr><td>([A-Z][a-z]{2} 2026[^<]*)</td><td>(\d+)</td></tr>", answers))
    assert rows == dict(zip(months, ["1", "0", "0", "0", "3", "0", "0"], strict=True))
    assert re.search(
        r'<tr><th scope="row">Price went up</th><td[^>]*>100%</td>(<td[^>]*>–</td>){3}<td[^>]*>67%</td>(<td[^>]*>–</td>){2}</tr>',
        shares,
    )


def test_the_summary_keywords_leave_out_the_company_s_own_name(client, login, make, db, app):
    """Acceptance walk: "They talk about brightloop, ..." on the summary (the company's own name
    says nothing about why customers left)."""
    world = World(make, db)
    app.config["COMPANY_NAME"] = "Brightloop"
    theme = world.theme(
        "renewal",
        "Renewal too expensive",
        "price",
        keywords=["brightloop", "renewal", "Brightloop plan", "price", "invoice", "seats", "discount"],
    )
    world.answer(theme, text="Brightloop renewal doubled.")
    login("product")
    page = _text(client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True))
    assert "They talk about renewal, price, invoice, seats, discount." in page
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    assert "They talk about renewal, price, invoice, seats, discount." in md


def test_the_summary_keywords_do_not_repeat_the_words_of_a_longer_keyword(client, login, make, db):
    """Acceptance walk: "They talk about outages, status page, status, page, board." on the summary;
    the theme page shows "status page" once, and so does the summary now."""
    world = World(make, db)
    theme = world.theme(
        "outages",
        "Outages",
        "bugs_reliability",
        keywords=["outages", "status page", "status", "page", "board"],
    )
    world.answer(theme, text="The board went blank and the status page said nothing.")
    login("product")
    page = _text(client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True))
    assert "They talk about outages, status page, board." in page
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    assert "They talk about outages, status page, board." in md


def test_revenue_lost_and_the_overview_read_the_same_on_every_page(client, login, make, db):
    """The themes and summary pages said "MRR lost / LTV lost" where the overview says "Monthly
    revenue lost / Lifetime value lost", and the overview's title said "Figures" under the menu's
    "Overview": one wording everywhere."""
    _world(make, db)
    login("cx")
    for path in ("/dashboard/themes", "/dashboard/summary", "/dashboard/overview"):
        html = client.get(path, query_string=ALL_TIME).get_data(as_text=True)
        assert "Monthly revenue lost" in html, path
        assert "MRR lost" not in html and "LTV lost" not in html, path
    overview = client.get("/dashboard/overview", query_string=ALL_TIME).get_data(as_text=True)
    assert "<title>Overview — Afterword</title>" in overview


def test_the_overview_pages_share_one_set_of_tabs_named_as_the_menu_names_them(client, login, make, db):
    """The menu said "Overview" where the overview's own tab said "Figures", and the churn and
    ledger pages (in the same menu section) had no tabs at all: the three pages carry the same
    tabs, the first named "Overview", the page open marked."""
    _world(make, db)
    login("product")
    tabs = re.compile(r'<nav class="subnav" aria-label="Overview">(.*?)</nav>', re.S)
    for path, current in (
        ("/dashboard/", "Overview"),
        ("/dashboard/overview", "Overview"),
        ("/dashboard/churn", "Churn and retention rates"),
        ("/dashboard/ledger", "Fix-to-revenue ledger"),
    ):
        html = client.get(path, query_string=ALL_TIME).get_data(as_text=True)
        assert "Figures" not in html, path
        found = tabs.search(html)
        assert found, path
        names = re.findall(r">([^<]+)</a>", found.group(1))
        assert names == ["Overview", "Churn and retention rates", "Fix-to-revenue ledger"], path
        assert re.findall(r'aria-current="page">([^<]+)</a>', found.group(1)) == [current], path


@pytest.mark.parametrize("role", ["cx", "product"])
def test_the_themes_and_summary_pages_give_no_terminal_commands(client, login, make, db, role):
    """The themes page and the summary's Download line told CX and product users to type
    "flask --app wsgi analyze run": they say what to do in the app instead."""
    login(role)
    empty = client.get("/dashboard/themes").get_data(as_text=True)
    assert "flask --app" not in client.get("/dashboard/summary/export.md").get_data(as_text=True)
    _world(make, db)
    pages = [
        empty,
        client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True),
        client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True),
    ]
    for html in pages:
        assert "flask --app" not in html and "<code>" not in html
    if role == "product":
        assert "ask a CX user or an admin to run the analysis" in empty
    else:
        assert "press <strong>Run analysis</strong> above" in empty


def test_merge_two_themes_starts_on_two_different_themes(client, login, make, db):
    """ "Merge two themes" preselected the same theme in both boxes, a merge into itself."""
    _world(make, db)
    login("cx")
    html = client.get("/dashboard/themes", query_string=ALL_TIME).get_data(as_text=True)
    form = html.split('action="/dashboard/themes/merge"')[1].split("</form>")[0]
    chosen = {
        name: re.findall(
            r'<option selected value="(\d+)"', form.split(f'name="{name}"')[1].split("</select>")[0]
        )
        for name in ("source", "target")
    }
    assert len(chosen["source"]) == 1 and len(chosen["target"]) == 1
    assert chosen["source"] != chosen["target"]


def test_the_action_plan_lists_the_largest_revenue_lost_first(client, login, make, db):
    """A shipped item worth $14,204/month was listed last, under $300 proposals: the plan is sorted
    by the revenue lost it shows, largest first, dropped items last."""
    world, price, support = _world(make, db)
    for title, status, cents in (
        ("Small proposal", "proposed", 30000),
        ("Dropped big one", "dropped", 9_000_000),
        ("Big shipped fix", "shipped", 1_420_400),
        ("Middle work", "in_progress", 50000),
    ):
        db.session.add(
            ActionItem(
                theme=price, title=title, status=status, actions=["a"], evidence={"mrr_lost_cents": cents}
            )
        )
    db.session.commit()
    login("product")
    html = client.get("/dashboard/actions").get_data(as_text=True)
    order = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>', html)
    assert order == ["Big shipped fix", "Middle work", "Small proposal", "Dropped big one"]
    assert "$14,204/month lost" in html


def test_the_win_back_rate_table_shows_the_top_ten_themes_and_all_on_request(client, login, make, db):
    """The win-back page's rate-by-theme table listed all ~55 themes with no paging: it shows the
    ten that cost the most monthly revenue, with a link to all of them."""
    world = World(make, db)
    for n in range(12):
        theme = world.theme(f"t{n}", f"Theme number {n}", "price")
        world.answer(theme, text=f"Reason {n}.", monthly_revenue_cents=(n + 1) * 1000)
    login("cx")
    html = client.get("/dashboard/win-back").get_data(as_text=True)
    table = html.split('id="theme-rates"')[1].split("</section>")[0]
    shown = re.findall(r">Theme number (\d+)</a></th>", table)
    assert shown == [str(n) for n in range(11, 1, -1)]  # the ten largest, largest first
    assert "The top 10 of 12 themes." in table and "Show all 12 themes" in table
    everything = client.get("/dashboard/win-back", query_string={"themes": "all"}).get_data(as_text=True)
    table = everything.split('id="theme-rates"')[1].split("</section>")[0]
    assert len(re.findall(r">Theme number \d+</a></th>", table)) == 12
    assert "Show the top 10 themes only" in table


@pytest.mark.parametrize("url", ["/dashboard/summary", "/dashboard/overview"])
def test_theme_links_keep_the_period_the_reader_chose(client, login, make, db, url):
    """Walk (product manager): the summary for the digest's week linked each theme without the week,
    so the theme page counted the last 180 days and its figures no longer matched the summary's."""
    _world(make, db)
    login("product")
    period = {"start": "2026-09-01", "end": "2026-10-31"}
    html = client.get(url, query_string=period).get_data(as_text=True)
    links = re.findall(r'href="(/dashboard/themes/\d+[^"]*)"', html)
    assert links, "the page links its themes"
    for link in links:
        assert "start=2026-09-01&amp;end=2026-10-31" in link, link


def test_the_summary_says_what_emerging_means_instead_of_leaving_because_of_it(client, login, make, db):
    """Walk (product manager): the summary read "6 former customers ... left mainly because of
    Emerging": a name for answers that fit no root cause yet, not a reason anyone gives."""
    world = World(make, db)
    surveys = world.theme("surveys", "Problems with surveys", "emerging")
    world.answer(surveys, text="The surveys kept breaking.", monthly_revenue_cents=9900)
    login("product")
    page = _text(client.get("/dashboard/summary", query_string=ALL_TIME).get_data(as_text=True))
    md = client.get("/dashboard/summary/export.md", query_string=ALL_TIME).get_data(as_text=True)
    for text in (page, md):
        assert "because of Emerging" not in text
        assert "left for reasons that fit none of the known root causes yet (Emerging), in 1 theme." in text


def test_an_empty_summary_says_why_and_what_the_reader_can_do(client, login, make, db):
    """Walk (product manager): a week nobody answered in showed "Run an analysis on the Themes page"
    although the analysis had run and a product user cannot run it; the themes page said the truth."""
    login("product")
    never_run = client.get("/dashboard/summary").get_data(as_text=True)
    assert "No analysis has run yet" in never_run and "ask a CX user or an admin" in never_run
    assert "Run an analysis" not in never_run
    _world(make, db)  # a succeeded run, answers from customers who left in October 2026
    quiet_week = client.get("/dashboard/summary", query_string={"start": "2025-01-01", "end": "2025-01-07"})
    html = quiet_week.get_data(as_text=True)
    assert "Nothing to summarise yet" in html
    assert "No answer from customers who left in this period has a theme." in html
    assert "Run an analysis" not in html and "No analysis has run yet" not in html
