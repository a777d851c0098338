"""Starting an action item from a theme's or a root cause's page: one item each, with evidence."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from feedback_app.models import ActionItem, AuditEvent
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import curation
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _world(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=["The price doubled at renewal."])
    support = world.theme("support", "Rude support", "support", quotes=["Support was rude."])
    world.answer(price, text="The price doubled.", monthly_revenue_cents=24900)
    world.answer(price, text="Too expensive.", monthly_revenue_cents=7900)
    world.answer(support, text="Support never answered.", monthly_revenue_cents=1900)
    return price, support


def test_a_theme_page_starts_one_item_about_that_theme(client, login, make, db):
    price, support = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{support.id}")
    assert "Plan an action for this theme" in page.get_data(as_text=True)
    done = client.post(
        f"/dashboard/themes/{support.id}/plan", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )
    text = done.get_data(as_text=True)
    item = db.session.scalars(select(ActionItem)).one()
    assert item.theme_id == support.id and item.status == "proposed" and item.cause_key is None
    assert item.evidence["customers"] == 1 and item.evidence["mrr_lost_cents"] == 1900
    assert item.actions and item.due_date is not None  # from the playbook
    assert "Action item started" in text and "Support was rude." in text
    # The button is gone, and a second post opens the same item instead of adding one.
    assert "Plan an action for this theme" not in client.get(f"/dashboard/themes/{support.id}").get_data(
        as_text=True
    )
    client.post(f"/dashboard/themes/{support.id}/plan", data={"csrf_token": csrf_token(page)})
    assert db.session.scalars(select(ActionItem)).all() == [item]
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.create")).one()


def test_a_root_cause_page_starts_an_item_about_the_whole_cause(client, login, make, db):
    _world(make, db)
    login("cx")
    page = client.get("/dashboard/causes/price?start=&end=")
    assert "Plan an action for this root cause" in page.get_data(as_text=True)
    done = client.post(
        "/dashboard/causes/price/plan", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )
    item = db.session.scalars(select(ActionItem)).one()
    assert item.theme_id is None and item.cause_key == "price"
    assert item.evidence["customers"] == 2 and item.evidence["mrr_lost_cents"] == 24900 + 7900
    assert "Root cause: <strong>Price</strong>" in done.get_data(as_text=True)
    assert (
        client.post("/dashboard/causes/nonsense/plan", data={"csrf_token": csrf_token(page)}).status_code
        == 404
    )


def test_product_users_do_not_start_items(client, login, make, db):
    price, _support = _world(make, db)
    login("product")
    page = client.get(f"/dashboard/themes/{price.id}")
    assert "Plan an action for this theme" not in page.get_data(as_text=True)
    denied = client.post(f"/dashboard/themes/{price.id}/plan", data={"csrf_token": csrf_token(page)})
    assert denied.status_code == 403
    assert db.session.scalars(select(ActionItem)).all() == []


def test_a_root_cause_nobody_gave_explains_there_is_nothing_to_plan(client, login, make, db):
    _world(make, db)
    login("cx")
    page = client.get("/dashboard/causes/privacy_trust?start=&end=")
    text = page.get_data(as_text=True)
    assert "Plan an action for this root cause" not in text
    assert "Nothing to plan yet: no former customer has given this root cause" in text
    assert "No former customer has given this root cause yet." in text and "Show all time" not in text
    # A cause with customers in another period still offers it (the item's evidence is all time).
    assert "Plan an action for this root cause" in client.get(
        "/dashboard/causes/price?start=2020-01-01&end=2020-01-31"
    ).get_data(as_text=True)
    # A form posted from an older page says why instead of starting an item with no evidence.
    done = client.post(
        "/dashboard/causes/privacy_trust/plan", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )
    assert "Nothing to plan yet" in done.get_data(as_text=True)
    assert db.session.scalars(select(ActionItem)).all() == []


def test_the_item_page_says_which_periods_its_evidence_counts(client, login, make, db):
    """'Evidence now' counts the last 180 days, the proposal's evidence all time up to its day: the
    page names both, in the same units, and says it is not a before-and-after."""
    _world(make, db)
    login("cx")
    page = client.get("/dashboard/causes/price?start=&end=")
    client.post("/dashboard/causes/price/plan", data={"csrf_token": csrf_token(page)})
    item = db.session.scalars(select(ActionItem)).one()
    text = " ".join(client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True).split())
    assert "Evidence now (last 180 days)" in text and "Evidence when it was proposed (all time)" in text
    day = item.created_at.date().isoformat()
    assert f"All customers who left up to {day}, when it was proposed: 2 customers (67% of customers" in text
    assert "Not a before-and-after: this counts the customers who left in the last 180 days" in text


def test_an_unknown_status_in_the_action_plan_link_lists_every_item(client, login, db):
    """A mistyped or outdated ``?status=`` shows the whole plan, as the other filtered lists do,
    instead of an empty page saying there are no items with status “”."""
    db.session.add(ActionItem(title="Cheaper seats", cause_key="price", status="accepted"))
    db.session.commit()
    login("product")
    html = client.get("/dashboard/actions?status=bogus").get_data(as_text=True)
    assert "Cheaper seats" in html and "status “”" not in html
    assert '<a href="/dashboard/actions" aria-current="page">' in html  # the "All" tab is the one shown
    only_shipped = client.get("/dashboard/actions?status=shipped").get_data(as_text=True)
    assert "Cheaper seats" not in only_shipped  # a known status still filters
    assert "Plan an action for this theme" not in html  # the product team plans nothing


def test_the_action_plan_says_where_an_item_about_one_theme_starts(client, login, db):
    """The plan's only button proposes items for the top themes: a CX lead looking for a "new item"
    form found none. The page says where one starts: on the theme's or root cause's page."""
    login("cx")
    text = " ".join(client.get("/dashboard/actions").get_data(as_text=True).split())
    assert (
        'open it on <a href="/dashboard/themes">Themes</a> and press <strong>Plan an action for this theme</strong>'
        in text
    )


def test_a_theme_items_evidence_names_the_scale_of_its_average_score(client, login, make, db):
    price, _support = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}")
    client.post(f"/dashboard/themes/{price.id}/plan", data={"csrf_token": csrf_token(page)})
    item = db.session.scalars(select(ActionItem)).one()
    text = " ".join(client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True).split())
    assert "average score 5.0 out of 10." in text


def test_an_items_actions_and_notes_show_whole_in_their_boxes(client, login, db):
    """A proposal's three to five actions showed as two lines and a half, cut mid-line."""
    item = ActionItem(title="Cheaper seats", cause_key="price", actions=["a", "b", "c", "d", "e"])
    db.session.add(item)
    db.session.commit()
    login("cx")
    html = client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="actions"[^>]*rows="6"', html)
    assert re.search(r'<textarea[^>]*name="root_cause"[^>]*rows="4"', html)


GONE = "Our renewal price doubled overnight."
STAYS = "The fee went up again this spring."


def test_an_items_evidence_quotes_only_answers_the_theme_holds_now(client, login, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[GONE, STAYS])
    support = world.theme("support", "Rude support", "support", quotes=["Support was rude."])
    _, gone = world.answer(price, text=GONE)
    world.answer(price, text=STAYS)
    world.answer(support, text="Support was rude.")
    curation.move_answer(gone, support, actor="cx@example.com")
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}")
    client.post(f"/dashboard/themes/{price.id}/plan", data={"csrf_token": csrf_token(page)})
    client.post("/dashboard/causes/price/plan", data={"csrf_token": csrf_token(page)})
    theme_item, cause_item = db.session.scalars(select(ActionItem).order_by(ActionItem.id)).all()
    assert theme_item.theme_id == price.id and theme_item.evidence["quotes"] == [STAYS]
    assert cause_item.cause_key == "price" and cause_item.evidence["quotes"] == [STAYS]


def test_the_action_plan_marks_items_past_their_due_date_that_are_still_open(client, login, make, db):
    """A lead reading the plan had to compare every due date with the calendar to see slipped work;
    shipped and dropped items are never late."""
    price, support = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}")
    for theme in (price, support):
        client.post(f"/dashboard/themes/{theme.id}/plan", data={"csrf_token": csrf_token(page)})
    late, shipped = db.session.scalars(select(ActionItem).order_by(ActionItem.id)).all()
    late.due_date = shipped.due_date = date.today() - timedelta(days=3)
    shipped.status = "shipped"
    db.session.commit()

    rows = {
        row.split("</th>")[0]: row
        for row in re.findall(
            r"<tr>\s*<th scope=\"row\">(.*?)</tr>", client.get("/dashboard/actions").text, re.S
        )
    }
    late_row = next(r for title, r in rows.items() if late.title in title)
    shipped_row = next(r for title, r in rows.items() if shipped.title in title)
    assert '<span class="badge badge-danger">overdue</span>' in late_row
    assert "overdue" not in shipped_row
    item_page = client.get(f"/dashboard/actions/{late.id}").text
    assert f"Due on {late.due_date.isoformat()} and not shipped: set a new due date" in item_page
    assert "overdue" not in client.get(f"/dashboard/actions/{shipped.id}").text


def test_the_items_edit_form_has_a_heading_only_for_those_who_may_edit(client, login, make, db):
    """The form under the evidence was a run of bare fields: it is titled like the other forms on
    staff pages (an h2 naming what it does, which also names the form for a screen reader)."""
    _world(make, db)
    login("cx")
    page = client.get("/dashboard/causes/price?start=&end=")
    client.post("/dashboard/causes/price/plan", data={"csrf_token": csrf_token(page)})
    item = db.session.scalars(select(ActionItem)).one()
    shown = client.get(f"/dashboard/actions/{item.id}")
    text = shown.get_data(as_text=True)
    form = text.split('<form method="post" class="card"', 1)[1].split("</form>", 1)[0]
    assert 'aria-labelledby="edit-item-heading"' in form
    assert '<h2 id="edit-item-heading">Edit this item</h2>' in form
    assert form.index("Edit this item") < form.index('name="title"')

    client.post("/auth/logout", data={"csrf_token": csrf_token(shown)})
    login("product")
    assert "Edit this item" not in client.get(f"/dashboard/actions/{item.id}").get_data(as_text=True)


def test_the_action_plan_pages_its_items_largest_loss_first(client, login, make, db):
    """The plan was one table of every item ever proposed: with 30 items it now shows the 25 that
    cost the most on its first page, the other 5 on a second, each page linking to the other and
    a status filter kept across pages."""
    price, _support = _world(make, db)
    for n in range(30):
        db.session.add(
            ActionItem(
                theme_id=price.id,
                title=f"Item {n:02d}",
                owner_team="billing",
                status="proposed",
                evidence={"customers": 1, "mrr_lost_cents": (n + 1) * 1000},
            )
        )
    db.session.commit()
    login("cx")
    first = client.get("/dashboard/actions").text
    titles = re.findall(r"<th scope=\"row\"><a [^>]*>(Item \d\d)</a>", first)
    assert titles == [f"Item {n:02d}" for n in range(29, 4, -1)]
    assert "Page 1 of 2" in first and 'rel="next"' in first and "page=2" in first
    second = client.get("/dashboard/actions?page=2&status=proposed").text
    assert re.findall(r"<th scope=\"row\"><a [^>]*>(Item \d\d)</a>", second) == [
        f"Item {n:02d}" for n in range(4, -1, -1)
    ]
    assert "Page 2 of 2" in second and 'rel="prev"' in second and "status=proposed" in second
    # every column has a name for a screen reader, the links' one too
    assert '<th scope="col"></th>' not in first


def test_the_action_plan_says_what_an_item_is_about_only_when_its_title_does_not(client, login, make, db):
    price, _support = _world(make, db)
    login("cx")
    page = client.get(f"/dashboard/themes/{price.id}")
    client.post(f"/dashboard/themes/{price.id}/plan", data={"csrf_token": csrf_token(page)})
    proposed = db.session.scalars(select(ActionItem)).one()
    assert proposed.title == "Price: Price went up"
    assert action_plan.about(proposed) == []  # the proposed title already names theme and cause
    html = client.get("/dashboard/actions").get_data(as_text=True)
    about_cell = re.search(r'data-label="About">(.*?)</td>', html.split(proposed.title, 1)[1]).group(1)
    assert about_cell == "–"

    proposed.title = "Offer annual billing at a discount"
    db.session.commit()
    assert [(p.kind, p.name) for p in action_plan.about(proposed)] == [
        ("theme", "Price went up"),
        ("cause", "Price"),
    ]
    html = client.get("/dashboard/actions").get_data(as_text=True)
    about_cell = re.search(r'data-label="About">(.*?)</td>', html.split(proposed.title, 1)[1]).group(1)
    assert f'href="/dashboard/themes/{price.id}">Price went up</a>' in about_cell
    assert 'href="/dashboard/causes/price">Price</a>' in about_cell

    # a typed title that uses the cause's name as a word still gets the cause (only the proposed
    # title's "Cause: label" parts count as naming it)
    proposed.title = "Warn customers before a price change"
    db.session.commit()
    assert [(p.kind, p.name) for p in action_plan.about(proposed)] == [
        ("theme", "Price went up"),
        ("cause", "Price"),
    ]


def test_an_item_about_a_theme_merged_away_follows_its_answers_into_the_theme_that_took_them(make, db):
    # A merge says two themes are one reason: the answers of the item's theme count toward the
    # theme it was merged into (as its close-the-loop recipients do), so "did the fix work?" and
    # "evidence now" must follow them there, not read 0% before and since.
    from datetime import UTC, datetime

    from feedback_app.services.insights.filters import Filters

    world = World(make, db)
    renewal = world.theme("renewal", "Renewal doubled", "price")
    price = world.theme("price", "Price went up", "price")
    other = world.theme("other", "Something else", "support")
    for day in (10, 12):
        world.answer(renewal, left_at=date(2026, 10, day), email=f"r{day}@example.com")
    world.answer(other, left_at=date(2026, 10, 14))
    world.answer(renewal, left_at=date(2026, 10, 21), email="r21@example.com")
    for day in (22, 23, 24):
        world.answer(other, left_at=date(2026, 10, day))
    item = ActionItem(
        theme_id=renewal.id,
        title="Warn before a renewal price change",
        status="shipped",
        actions=["a"],
        shipped_at=datetime(2026, 10, 20, 12, tzinfo=UTC),
    )
    db.session.add(item)
    db.session.commit()
    before = action_plan.impact(item, today=date(2026, 10, 29))
    curation.merge_themes(renewal, price, actor="cx@example.com")
    after = action_plan.impact(item, today=date(2026, 10, 29))
    assert (after.before, after.since) == (before.before, before.since) == (pytest.approx(2 / 3), 0.25)
    now = action_plan.current_figures(item, Filters(start=date(2026, 10, 1), end=date(2026, 10, 31)))
    assert now is not None and now.customers == 3
    assert action_plan.cause_of(item) == "price"
    assert item in action_plan.items_about_theme(price), "the theme page that holds its answers lists it"
    curation.set_theme_cause(price, "billing", actor="cx@example.com")
    assert action_plan.cause_of(item) == "billing", "the cause of the theme its answers count toward"


def test_propose_leaves_out_a_theme_that_counts_no_customer(make, db):
    """Each customer counts toward one theme (their survey answer's before a ticket's): a theme
    heard only in tickets of customers counted elsewhere counts nobody, yet "propose" planned work
    for it as "0 former customers (0% of themed answers) left mainly because of ..."."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support", "support")
    person, _ = world.answer(price)
    world.ticket(support, person.id)
    assert [item.theme_id for item in action_plan.propose(top=5, actor="test")] == [price.id]


def test_a_status_filter_that_matches_no_item_offers_the_whole_plan(client, login, db):
    """With items in the plan, "Dropped" showing none told a CX lead to propose items for the top
    themes, as if the plan were empty; it says the other items are hidden and links to them all."""
    db.session.add_all(
        [
            ActionItem(title="Cheaper seats", cause_key="price", status="accepted"),
            ActionItem(title="Status page", cause_key="bugs_reliability", status="proposed"),
        ]
    )
    db.session.commit()
    login("cx")
    text = " ".join(client.get("/dashboard/actions?status=dropped").get_data(as_text=True).split())
    assert "No action items with status “Dropped”" in text
    assert (
        'The plan\'s other 2 items have other statuses: <a href="/dashboard/actions">show all 2</a>.' in text
    )
    assert "Propose items for the top themes</strong> after an analysis" not in text
    db.session.delete(db.session.scalars(select(ActionItem).where(ActionItem.status == "proposed")).one())
    db.session.commit()
    text = " ".join(client.get("/dashboard/actions?status=shipped").get_data(as_text=True).split())
    assert 'The plan\'s other item has another status: <a href="/dashboard/actions">show it</a>.' in text
    db.session.execute(delete(ActionItem))
    db.session.commit()
    empty = " ".join(client.get("/dashboard/actions?status=shipped").get_data(as_text=True).split())
    assert (
        "The plan's other" not in empty
        and "Propose items for the top themes</strong> after an analysis" in empty
    )


def test_an_item_planned_as_of_an_earlier_day_counts_its_evidence_and_dates_from_that_day(make, db):
    """``as_of`` (the demo's shipped item) proposes the item on that day: its evidence counts only the
    customers who had left by then, and its proposal and due dates count from it."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=["The price doubled at renewal."])
    world.answer(price, left_at=date(2026, 8, 1), monthly_revenue_cents=24900, email="a@example.com")
    world.answer(price, left_at=date(2026, 10, 1), monthly_revenue_cents=7900, email="b@example.com")
    item, created = action_plan.plan(action_plan.Attachment(price.id, None), as_of=date(2026, 9, 1))
    assert created and item.created_at.date() == date(2026, 9, 1)
    assert item.evidence["customers"] == 1 and item.evidence["mrr_lost_cents"] == 24900
    play = action_plan.play_for("price", action_plan.load_playbook())
    assert item.due_date == date(2026, 9, 1) + timedelta(days=play.due_days)
    assert item.root_cause is not None and item.root_cause.startswith("1 former customers")
