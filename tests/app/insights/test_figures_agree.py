"""The same question gets the same number on every page: the top theme's customers (themes page,
theme page, action item, summary and its downloads) and invitations sent (overview, funnel, outbox).
Data spans the default period's edge, so a page that counted another period would disagree."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from html import unescape

from feedback_app.models import ActionItem
from tests.app.insights_data import World


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _build(make, db):
    world = World(make, db)
    today = date.today()
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support", "support")
    for i in range(7):  # in the default period
        world.answer(
            price,
            text=f"Too expensive ({i}).",
            left_at=today - timedelta(days=10 + i),
            monthly_revenue_cents=9900,
        )
    for i in range(3):  # before it: only "all time" would count them
        world.answer(
            price,
            text=f"Old price rise ({i}).",
            left_at=today - timedelta(days=400 + i),
            monthly_revenue_cents=9900,
        )
    world.answer(
        support, text="Nobody answered.", left_at=today - timedelta(days=5), monthly_revenue_cents=100
    )
    unanswered = make.customer(left_at=today - timedelta(days=3))
    make.invitation(customer=unanswered, survey=world.survey, status="sent", sent_at=None)
    make.invitation(
        customer=make.customer(left_at=today - timedelta(days=4)), survey=world.survey, status="pending"
    )
    item = ActionItem(
        theme_id=price.id,
        title="Price: Price went up",
        owner_team="billing",
        actions=["Review"],
        evidence={"customers": 10},
    )
    db.session.add(item)
    db.session.commit()
    return price, item


def test_top_theme_customers_are_the_same_on_every_page(client, login, make, db):
    price, item = _build(make, db)
    login("cx")
    themes = _text(client.get("/dashboard/themes").get_data(as_text=True))
    assert re.search(r"Price went up .{0,80}?\b7\b", themes), "themes page: 7 customers in the period"
    theme = _text(client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True))
    assert "Customers 7 " in theme
    action = _text(client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True))
    assert "Evidence now (last 180 days) 7 customers" in action
    listing = _text(client.get("/dashboard/actions").get_data(as_text=True))
    assert "Evidence when proposed" in listing and "playbook.yaml" not in listing  # a snapshot, said so
    summary = _text(client.get("/dashboard/summary").get_data(as_text=True))
    assert "7 former customers" in summary
    exported = json.loads(client.get("/dashboard/summary/export.json").get_data(as_text=True))
    assert exported["themes"][0]["theme"] == "Price went up" and exported["themes"][0]["customers"] == 7
    rows = list(
        csv.DictReader(io.StringIO(client.get("/dashboard/summary/export.csv").get_data(as_text=True)))
    )
    assert rows[0]["customers"] == "7"
    for page in (themes, theme, action, summary):
        assert "Customers who left from" in page, "each page states its period"
        assert "counted once per theme" in page, "and its counting rule"


def test_invitations_sent_are_the_same_on_overview_funnel_and_outbox(client, login, make, db):
    _build(make, db)
    login("cx")
    # 8 answered in the period + 1 sent without an answer; the old answers and the pending one are not "sent in the period"
    overview = _text(client.get("/dashboard/overview").get_data(as_text=True))
    assert "Invitations sent 9 " in overview
    funnel = client.get("/dashboard/invitations/funnel").get_data(as_text=True)
    assert re.search(r"All surveys</th>\s*<td[^>]*>10</td><td[^>]*>9</td>", funnel), (
        "funnel: 10 invited, 9 sent"
    )
    outbox = _text(client.get("/dashboard/outbox").get_data(as_text=True))
    assert "Invitations sent 9 " in outbox
    for page in (overview, _text(funnel), outbox):
        assert "Customers who left from" in page


def test_root_causes_total_and_tie_to_the_overviews_revenue_lost(client, login, make, db):
    """The themes page listed root causes with no total, and nothing tied their revenue to the
    overview's "Monthly revenue lost" (every customer who left, answered or not): an analyst saw two
    revenue figures for one period and could not reconcile them."""
    _build(make, db)
    login("cx")
    overview = _text(client.get("/dashboard/overview").get_data(as_text=True))
    lost = re.search(r"Monthly revenue lost (\$[\d,]+)", overview)
    assert lost, overview
    themes = unescape(_text(client.get("/dashboard/themes").get_data(as_text=True)))
    assert "All root causes 8 100% $694 " in themes  # 7 x $99 + $1, each customer once
    assert (
        f"The 8 customers whose answer has a theme paid $694 a month: 10 customers left in this period, "
        f"paying {lost[1]} a month in all ( the overview's monthly revenue lost )." in themes
    )
