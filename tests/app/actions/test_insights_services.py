"""The action plan, the exported summary, closing the loop by real SMTP, follow-ups and win-back."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, date

import pytest
from sqlalchemy import func, select

from feedback_app.models import ActionItem, DepartedCustomer, FollowUp, OutboxEmail, utcnow
from feedback_app.services.actions import close_loop, close_loop_email, reports, winback
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import follow_ups
from feedback_app.services.insights.filters import Filters
from tests.app.insights_data import World


def _world(make, db):
    world = World(make, db)
    price = world.theme(
        "price", "Price went up", "price", quotes=["Renewal doubled.", "Too pricey.", "Cost.", "4th"]
    )
    bugs = world.theme("bugs", "Crashes on save", "bugs_reliability")
    other = world.theme("odd", "Something new", "emerging")
    for mrr in (30000, 20000):
        world.answer(price, monthly_revenue_cents=mrr, lifetime_value_cents=mrr * 10, nps=3)
    world.answer(bugs, monthly_revenue_cents=40000, lifetime_value_cents=1, nps=1, reason="bugs_or_outages")
    world.answer(other, monthly_revenue_cents=100, lifetime_value_cents=1)
    return world, price, bugs, other


# ---------------------------------------------------------------- action plan


def test_propose_uses_top_themes_by_revenue_and_the_playbook(make, db):
    world, price, bugs, other = _world(make, db)
    created = action_plan.propose(top=2, actor="test", today=date(2026, 11, 1))
    assert [i.theme_id for i in created] == [price.id, bugs.id]  # 500 vs 400 a month; the emerging one is 3rd
    item = created[0]
    assert item.owner_team == "marketing" and item.status == "proposed"
    assert item.actions[0].startswith("Offer a loyalty or retention discount")
    assert item.due_date == date(2026, 12, 16)  # price: due in 45 days
    assert item.evidence == {
        "customers": 2,
        "share": 0.5,
        "mrr_lost_cents": 50000,
        "ltv_lost_cents": 500000,
        "avg_score": 3.0,
        "since": "2026-10-01",
        "quotes": ["Renewal doubled.", "Too pricey.", "Cost."],
    }
    assert created[1].owner_team == "engineering"
    assert action_plan.propose(top=2, actor="test") == []  # never proposed twice
    assert [i.owner_team for i in action_plan.propose(top=3, actor="test")] == ["product"]  # default play


def test_playbook_errors_name_the_entry(app, tmp_path):
    bad = tmp_path / "playbook.yaml"
    bad.write_text("default: {owner_team: product, actions: [a]}\nprice: {owner_team: sales, actions: [a]}\n")
    with pytest.raises(action_plan.PlaybookError, match="price.owner_team must be one of"):
        action_plan.load_playbook(bad)
    bad.write_text("price: {owner_team: product, actions: [a]}\n")
    with pytest.raises(action_plan.PlaybookError, match="include 'default'"):
        action_plan.load_playbook(bad)
    assert set(action_plan.load_playbook()) >= {
        "price",
        "support",
        "bugs_reliability",
        "missing_features",
        "default",
    }


def test_update_checks_fields_permissions_and_stamps_shipping(make, db):
    world, price, bugs, other = _world(make, db)
    item = action_plan.propose(top=1, actor="test")[0]
    cx, _ = make.staff_user("cx")
    product, _ = make.staff_user("product")
    fields = dict(
        title="Starter plan",
        owner_team="marketing",
        status="shipped",
        actions=["Launch it", " "],
        due_date=None,
        root_cause="",
    )
    with pytest.raises(PermissionError):
        action_plan.update(item, user=product, **fields)
    with pytest.raises(action_plan.ActionPlanError, match="Status"):
        action_plan.update(item, user=cx, **{**fields, "status": "done"})
    with pytest.raises(action_plan.ActionPlanError, match="Actions"):
        action_plan.update(item, user=cx, **{**fields, "actions": ["  "]})
    action_plan.update(item, user=cx, **fields)
    assert item.status == "shipped" and item.shipped_at is not None and item.actions == ["Launch it"]
    action_plan.update(item, user=cx, **{**fields, "status": "in_progress"})
    assert item.shipped_at is None


# ---------------------------------------------------------------- report


def test_markdown_report_has_counts_revenue_since_quotes_and_actions(make, db, app):
    world, price, bugs, other = _world(make, db)
    action_plan.propose(top=1, actor="test")
    text = reports.export("md", Filters(), today=date(2026, 11, 1))
    assert text.startswith("# Why customers left Brightloop")
    first = text.split("## 2.")[0]
    assert "## 1. Price\n" in first and "### 1.1 Price went up" in first
    assert "2 former customers (50% of answers with a theme" in first.split("### 1.1")[0], (
        "the root cause's line"
    )
    assert "2 former customers (50% of answers with a theme" in first
    assert "$500 a month and $5,000 over their lifetimes" in first
    assert "Seen since 2026-10-01" in first and "> Renewal doubled." in first
    assert "**Action** (Proposed, Marketing, due" in first


def test_exports_say_which_customers_their_figures_are_about(make, db):
    """A summary forwarded as a file has no filter bar beside it: each format but the one-table CSV
    names the period (its "up on the previous period" needs it) and the slices."""
    _world(make, db)
    chosen = Filters(start=date(2026, 6, 9), end=date(2026, 12, 5), plan="team")
    text = reports.export("md", chosen, today=date(2026, 12, 5))
    assert "Generated 2026-12-05. Customers who left from 2026-06-09 to 2026-12-05; plan Team.\n" in text
    assert "Customers who left from 2026-06-09 to 2026-12-05; plan Team." in reports.export("html", chosen)
    data = json.loads(reports.export("json", chosen))
    assert data["period"] == {"start": "2026-06-09", "end": "2026-12-05"}
    assert data["selection"] == "Customers who left from 2026-06-09 to 2026-12-05; plan Team"
    everything = json.loads(reports.export("json"))
    assert everything["period"] == {"start": None, "end": None}
    assert everything["selection"] == "All customers who left (all time)"


def test_an_export_of_one_source_says_so(make, db):
    """The figures of ``?source=ticket`` count support tickets only; the forwarded file read as
    every answer because the selection left the source out."""
    _world(make, db)
    chosen = Filters(start=date(2026, 6, 9), end=date(2026, 12, 5), source="ticket")
    data = json.loads(reports.export("json", chosen))
    assert (
        data["selection"] == "Customers who left from 2026-06-09 to 2026-12-05; heard through Support ticket"
    )
    assert "; heard through Support ticket.\n" in reports.export("md", chosen, today=date(2026, 12, 5))


LINK_PAYLOADS = [
    "[see](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "[r]: vbscript:msgbox(1)",
    "[r]",
    "<javascript:alert(2)>",
    "\\[esc](JavaScript:alert(3))",
    "[t](  jAvAsCrIpT :alert(4))",
    "[ok](https://evil.example/phish)",
]


def test_markdown_export_has_no_links_or_images_from_free_text(make, db):
    """Issue 16, item 8: quotes, labels and action titles kept javascript: links in the Markdown."""
    from markdown_it import MarkdownIt

    world, price, bugs, other = _world(make, db)
    price.quotes = LINK_PAYLOADS[:4]
    price.human_label = LINK_PAYLOADS[4]
    bugs.human_label = LINK_PAYLOADS[5]
    other.human_label = LINK_PAYLOADS[6]
    db.session.commit()
    action_plan.propose(top=1, actor="test")
    item = db.session.scalar(select(ActionItem))
    item.title, item.actions = LINK_PAYLOADS[7], [LINK_PAYLOADS[0], LINK_PAYLOADS[1]]
    db.session.commit()

    text = reports.export("md", Filters(), today=date(2026, 11, 1))
    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True  # see every link a permissive renderer would make
    tokens = [t for block in parser.parse(text) for t in [block, *(block.children or [])]]
    made = [t.attrGet("href") or t.attrGet("src") for t in tokens if t.type in ("link_open", "image")]
    assert made == []
    for scheme in ("javascript:", "vbscript:", "data:"):
        assert scheme not in text.lower()
    shown = parser.render(text)
    assert "<script" not in shown and "see" in shown and "alert(1)" in shown  # the words stay, as text


def test_csv_export_neutralises_formulas_and_json_parses(make, db):
    world, price, bugs, other = _world(make, db)
    price.human_label = '=HYPERLINK("http://evil.example","x")'
    bugs.human_label = "+1 crashes"
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(reports.export("csv"))))
    labels = [r["theme"] for r in rows]
    assert labels[0] == '\'=HYPERLINK("http://evil.example","x")' and labels[1] == "'+1 crashes"
    assert rows[0]["customers"] == "2" and rows[0]["mrr_lost"] == "500.0"
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)
    data = json.loads(reports.export("json"))
    assert [t["customers"] for t in data["themes"]] == [2, 1, 1]


def test_summary_csv_and_json_state_their_money_unit_and_agree(make, db):
    """The CSV's ``mrr_lost`` is in currency units and the JSON's ``mrr_lost_cents`` in cents: each
    says so, and the CSV carries the cents too, so the two exports can be checked against each other."""
    _world(make, db)
    rows = list(csv.DictReader(io.StringIO(reports.export("csv"))))
    data = json.loads(reports.export("json"))
    assert data["money"] == {"unit": "cents", "currency_symbol": "$"}
    by_theme = {t["theme"]: t for t in data["themes"]}
    themes = [row for row in rows if row["row"] == "theme"]
    for row in themes:
        theme = by_theme[row["theme"]]
        assert int(row["mrr_lost_cents"]) == theme["mrr_lost_cents"]
        assert int(row["ltv_lost_cents"]) == theme["ltv_lost_cents"]
        assert float(row["mrr_lost"]) * 100 == theme["mrr_lost_cents"]  # the documented column, in units
        assert row["currency_symbol"] == "$"
    causes = {c["root_cause"]: c for c in data["root_causes"]}
    for row in themes:
        assert int(row["root_cause_mrr_lost_cents"]) == causes[row["root_cause"]]["mrr_lost_cents"]
    assert (
        reports.csv_safe("-2") == "'-2"
        and reports.csv_safe("\tx") == "'\tx"
        and reports.csv_safe("ok") == "ok"
    )


def test_every_summary_format_ends_its_root_cause_table_with_the_pages_total(make, db, client, login):
    """The themes page's root-cause table ends with "All root causes"; the summary page and its
    downloads had no total, so a reader added the rows up by hand (and a CSV's sum over its theme
    rows counted nothing twice only by luck). Every format now carries the same total row."""
    _world(make, db)  # 2 + 1 + 1 customers; $500 + $400 + $1 a month
    rows = list(csv.DictReader(io.StringIO(reports.export("csv"))))
    assert [r["row"] for r in rows] == ["theme", "theme", "theme", "total"]
    total = rows[-1]
    assert (total["root_cause"], total["customers"], total["share"]) == ("All root causes", "4", "1.0")
    assert (total["mrr_lost"], total["mrr_lost_cents"], total["ltv_lost_cents"]) == (
        "901.0",
        "90100",
        "500002",
    )
    assert total["theme"] == "" and total["root_cause_rank"] == ""
    assert sum(int(r["customers"]) for r in rows[:-1]) == 4  # the total is not one of the rows it adds up
    data = json.loads(reports.export("json"))
    assert data["total"] == {
        "root_cause": "All root causes",
        "customers": 4,
        "share": 1.0,
        "mrr_lost_cents": 90100,
        "ltv_lost_cents": 500002,
        "themes": 3,
    }
    assert data["total"]["customers"] == sum(c["customers"] for c in data["root_causes"])
    assert "| | **All root causes** | **4** | **100%** | **$901** | **3** |" in reports.export("md")
    html = reports.export("html")
    assert "<tfoot>" in html and "All root causes" in html.split("<tfoot>")[1].split("</tfoot>")[0]
    login("cx")
    page = client.get("/dashboard/summary?start=&end=").get_data(as_text=True)
    footer = page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "All root causes" in footer and ">4<" in footer and "$901" in footer


def test_an_empty_summary_totals_nothing(app, db):
    assert json.loads(reports.export("json"))["total"]["customers"] == 0
    assert list(csv.DictReader(io.StringIO(reports.export("csv")))) == []


def test_html_export_escapes_what_customers_wrote(make, db):
    world, price, bugs, other = _world(make, db)
    price.quotes = ["<script>alert(1)</script>"]
    db.session.commit()
    html = reports.export("html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_report_cli_writes_a_file_and_rejects_bad_dates(make, db, runner, tmp_path):
    _world(make, db)
    out = tmp_path / "summary.md"
    result = runner.invoke(args=["report", "export", "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "### 1.1 Price went up" in out.read_text()
    bad = runner.invoke(args=["report", "export", "--start", "yesterday"])
    assert bad.exit_code != 0 and "--start: 'yesterday' is not a date" in bad.output
    assert runner.invoke(args=["report", "export", "--format", "pdf"]).exit_code != 0


# ---------------------------------------------------------------- closing the loop


def test_we_fixed_it_email_reaches_exactly_the_right_customers(app, make, db, smtp_server):
    app.config.update(smtp_server.mail_settings())
    world, price, bugs, other = _world(make, db)  # the two price answers allow contact ("yes")
    first_two = [
        c.email
        for c in db.session.scalars(
            select(DepartedCustomer).where(DepartedCustomer.monthly_revenue_cents.in_((30000, 20000)))
        )
    ]
    world.answer(price, email="keen@example.com", contact_ok="yes")
    world.answer(price, email="said-no@example.com", contact_ok="no", contact_consent=True)
    world.answer(price, email="opted@example.com", opted_out=True)
    world.answer(price, email="bounced@example.com", email_bounced_at=utcnow())
    world.answer(price, email="erased@example.com", erased_at=utcnow())
    world.answer(bugs, email="other-theme@example.com")
    expected = sorted(first_two + ["keen@example.com"])
    item = action_plan.propose(top=1, actor="test")[0]
    assert item.theme_id == price.id

    with pytest.raises(close_loop.CloseLoopError, match="shipped"):
        close_loop.send(item, actor="cx@example.com")
    action_plan.mark_shipped(item)
    assert (
        sorted(p.customer.email for p in close_loop.recipients(item)) == expected
    )  # the count the page shows
    with pytest.raises(close_loop.CloseLoopError, match="Describe what changed"):
        close_loop.send(item, actor="cx@example.com")  # a person writes what changed first
    close_loop_email.save(
        item,
        subject="We lowered our prices, {first_name}",
        body=close_loop_email.DEFAULT_BODY,
        change="The Team plan now costs $29 a month.",
        actor="cx@example.com",
    )
    assert close_loop.send(item, actor="cx@example.com") == 3

    received = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert received == expected
    message = smtp_server.by_recipient("keen@example.com")[0].message
    assert message["Subject"].startswith("We lowered our prices, ")
    text = message.get_body(("plain",)).get_content()
    assert (
        "The Team plan now costs $29 a month." in text
        and f"When you left {app.config['COMPANY_NAME']}" in text
    )
    assert "Offer a loyalty or retention discount" not in text, "playbook bullets stay internal"
    assert item.title not in text and item.title not in message["Subject"], (
        "the internal title stays internal"
    )
    assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status == "sent")) == 3

    assert close_loop.send(item, actor="cx@example.com") == 0  # never twice
    assert len(smtp_server.messages) == 3
    assert all(p.already_sent for p in close_loop.recipients(item))


# ---------------------------------------------------------------- follow-ups and win-back


def test_follow_up_queue_picks_contact_requests_and_negative_high_value(app, make, db):
    world = World(make, db)
    _, asks = world.answer(
        None, text="Could someone please call me? I want to talk.", contact_ok="yes", nps=8
    )
    _, asks_no_consent = world.answer(None, text="Call me.", contact_ok="no", nps=8)
    _, angry_big = world.answer(None, text="Awful.", nps=1, lifetime_value_cents=500000)
    _, angry_small = world.answer(None, text="Awful.", nps=1, lifetime_value_cents=1000)
    _, calm_big = world.answer(None, text="Fine, moving on.", nps=9, lifetime_value_cents=500000)
    assert follow_ups.refresh() == 2
    reasons = {f.response_id: f.reason for f in db.session.scalars(select(FollowUp))}
    assert reasons == {
        asks.id: "Asks to be contacted",
        angry_big.id: "Very negative answer from a high-value customer",
    }
    assert follow_ups.refresh() == 0  # idempotent
    entries, total = follow_ups.queue()
    assert total == 2 and entries[0].age.total_seconds() > 0
    follow_ups.mark_handled(entries[0].follow_up, actor_user_id=None, actor="cx", note="Called")
    with pytest.raises(ValueError, match="already"):
        follow_ups.mark_handled(entries[0].follow_up, actor_user_id=None, actor="cx")
    assert follow_ups.queue()[1] == 1 and follow_ups.queue(handled=True)[1] == 1
    assert {asks_no_consent.id, angry_small.id, calm_big.id}.isdisjoint(reasons)


def test_second_lifetime_value_formula(app, make):
    assert (
        winback.second_lifetime_value_cents(make.customer(monthly_revenue_cents=10000, tenure_months=20))
        == 120000
    )
    assert (
        winback.second_lifetime_value_cents(make.customer(monthly_revenue_cents=10000, tenure_months=100))
        == 360000
    )
    assert (
        winback.second_lifetime_value_cents(
            make.customer(monthly_revenue_cents=10000, tenure_months=None, lifetime_value_cents=50000)
        )
        == 30000
    )
    assert winback.second_lifetime_value_cents(make.customer(monthly_revenue_cents=0)) == 0


def test_win_back_candidates_are_contactable_absent_customers_by_ltv(app, make, db):
    world, price, bugs, other = _world(make, db)
    world.answer(price, name="Gone Quiet", contact_ok="no", lifetime_value_cents=10**8)
    world.answer(price, name="Back Already", returned_at=date(2026, 11, 2), lifetime_value_cents=10**8)
    item = ActionItem(theme_id=price.id, title="x", status="shipped", actions=["a"])
    db.session.add(item)
    db.session.commit()
    rows, listing = winback.candidates()
    names = [c.customer.name for c in rows]
    assert "Gone Quiet" not in names and "Back Already" not in names and listing.total == 4
    values = [c.customer.lifetime_value_cents for c in rows]
    assert values == sorted(values, reverse=True)
    assert rows[0].theme.id == price.id and rows[0].theme_fixed
    page2, listing = winback.candidates(page=2, per_page=3)
    assert len(page2) == 1 and listing.pages == 2
    last, listing = winback.candidates(page=10**40, per_page=3)  # past the last page: the last page
    assert [c.customer.id for c in last] == [c.customer.id for c in page2] and listing.page == 2


def test_where_they_went_counts_answers_text_and_organisations_named_twice(make, db):
    from feedback_app.services.insights import theme_detail

    world = World(make, db)
    price = world.theme("price", "Price", "price")
    _, a = world.answer(price, text="Moved to clickstack, cheaper.", competitor="Asanda")
    _, b = world.answer(price, text="Trellix Boards costs half.")
    _, c = world.answer(price, text="Went with Orbitly like our sister company.")
    _, d = world.answer(world.theme("other", "Other"), text="Orbitly again.")
    world.run.counts = {
        "organisations": {
            str(b.id): ["Trellix Boards"],
            str(c.id): ["Orbitly", "Jo Bloggs Ltd"],
            str(d.id): ["Orbitly"],
        }
    }
    db.session.commit()
    table = dict(theme_detail.where_they_went(price))
    # the survey suggests ClickStack (matched in the text, any case); Orbitly is named by two answers;
    # "Trellix Boards" and "Jo Bloggs Ltd" are found in one answer only, so they are not shown
    assert table == {"Asanda": 1, "ClickStack": 1, "Orbitly": 1}


def test_impact_compares_the_theme_share_before_and_since_shipping(make, db):
    from datetime import datetime

    world = World(make, db)
    price, other = world.theme("price", "Price", "price"), world.theme("other", "Other")
    for day in (10, 12):  # before: 2 of 3 themed customers gave price
        world.answer(price, left_at=date(2026, 10, day))
    world.answer(other, left_at=date(2026, 10, 14))
    world.answer(price, left_at=date(2026, 10, 21))  # since: 1 of 4
    for day in (22, 23, 24):
        world.answer(other, left_at=date(2026, 10, day))
    item = ActionItem(
        theme_id=price.id,
        title="x",
        status="shipped",
        actions=["a"],
        shipped_at=datetime(2026, 10, 20, 12, tzinfo=UTC),
    )
    db.session.add(item)
    db.session.commit()
    result = action_plan.impact(item, today=date(2026, 10, 29))
    assert result.days == 10 and result.before == pytest.approx(2 / 3) and result.since == 0.25
    item.status = "accepted"
    assert action_plan.impact(item) is None


BARE_LINK_QUOTES = [
    "They told me to log in at http://evil.example/x, so I did.",
    '[click](http://evil.example) or <a href="http://evil.example/a">here</a>',
    "Try www.evil.example/login or write to help@evil.example!",
    "A stray ` http://evil.example/tick` backtick",
]


def test_markdown_export_writes_bare_addresses_as_code_never_as_links(make, db):
    """A customer's quote with a bare address must not become a link in any renderer: GitHub's
    autolinks plain-text addresses, never those inside code spans."""
    from markdown_it import MarkdownIt

    world, price, bugs, other = _world(make, db)
    price.quotes = BARE_LINK_QUOTES[:3]
    price.human_label = BARE_LINK_QUOTES[3]
    db.session.commit()

    text = reports.export("md", Filters(), today=date(2026, 11, 1))
    assert "> They told me to log in at `http://evil.example/x`, so I did." in text
    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True
    tokens = [t for block in parser.parse(text) for t in [block, *(block.children or [])]]
    assert [t for t in tokens if t.type in ("link_open", "image", "html_inline", "html_block")] == []
    plain = " ".join(t.content for t in tokens if t.type == "text")
    for bare in ("http://", "www.", "@evil.example"):
        assert bare not in plain, bare  # what an autolinker reads holds no address
    code = {t.content for t in tokens if t.type == "code_inline"}
    assert {"http://evil.example/x", "http://evil.example", "www.evil.example/login"} <= code
    assert {"help@evil.example", "http://evil.example/tick"} <= code
    shown = parser.render(text)
    assert "<a " not in shown and "click" in shown and "&lt;a href=" in shown  # the words stay, as text


def test_markdown_export_of_one_long_unbroken_word_takes_linear_time(make, db):
    """An action's steps may hold one long word (a pasted token, a row of dots): looking for a bare
    email address from every character of it was quadratic (0.65 s at 20,000 characters, minutes
    at 100,000). Ten times the characters must cost about ten times the time, not a hundred."""
    world, price, bugs, other = _world(make, db)
    item = ActionItem(theme_id=price.id, title="Steps", status="accepted", actions=[])
    db.session.add(item)

    def export_with(length: int) -> float:
        item.actions = ["a." * (length // 2), "a@" + "b" * length, "x-" * (length // 2) + "@"]
        db.session.commit()
        started = time.perf_counter()
        text = reports.export("md", Filters(), today=date(2026, 11, 1))
        elapsed = time.perf_counter() - started
        assert "a.a.a." in text
        return elapsed

    export_with(1000)  # warm up (queries, imports)
    small, large = export_with(10_000), export_with(100_000)
    assert large < 1.0, (small, large)
    assert large < 25 * max(small, 0.01), (small, large)
