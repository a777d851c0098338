"""Complaints before defection: the N-day window, unresolved flags, the share on the themes pages
and the complaint-resolution queue. Tickets and themes are stored as a finished run leaves them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedback_app.models import ComplaintCase, Conversation, ConversationAssignment
from feedback_app.services.conversations import complaint_queue, complaints
from tests.app.insights_data import World
from tests.helpers import csrf_token

LEFT = date(2026, 10, 1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def ticket(
    db,
    world,
    person,
    theme=None,
    *,
    opened: str,
    closed: str | None = None,
    resolution: str | None = None,
    subject: str = "Nobody answers",
):
    conversation = Conversation(
        customer_id=person.id,
        kind="ticket",
        origin="csv",
        external_id=f"T-{person.id}-{opened}",
        status="closed" if closed else "open",
        resolution=resolution,
        opened_at=at(opened),
        closed_at=at(closed) if closed else None,
        subject=subject,
        redacted_text=f"{subject}. Still waiting.",
    )
    db.session.add(conversation)
    db.session.flush()
    if theme is not None:
        db.session.add(
            ConversationAssignment(
                run_id=world.run.id,
                conversation_id=conversation.id,
                theme_id=theme.id,
                is_primary=True,
                confidence=0.9,
                source="batch",
            )
        )
    db.session.commit()
    return conversation


def test_window_and_flags_at_departure(app, make, db):
    world = World(make, db)
    support = world.theme("t-support", "support never answered", category="support")
    person, _ = world.answer(support, left_at=LEFT)
    ticket(db, world, person, support, opened="2026-06-01")  # 122 days before: outside
    ticket(
        db, world, person, support, opened="2026-08-01", closed="2026-10-15"
    )  # closed after leaving: open then
    ticket(db, world, person, support, opened="2026-08-02", closed="2026-08-09", resolution="unresolved")
    ticket(db, world, person, support, opened="2026-08-03", closed="2026-08-05", resolution="resolved")
    ticket(db, world, person, support, opened="2026-10-05")  # after leaving: not before it
    found = complaints.before_departure()[person.id]
    assert [c.opened_on.isoformat() for c in found] == ["2026-08-01", "2026-08-02", "2026-08-03"]
    assert [c.flag for c in found] == ["Still open when they left", "Closed without resolution", "Resolved"]
    assert [c.unresolved for c in found] == [True, True, False] and found[0].cause_key == "support"
    app.config["COMPLAINT_WINDOW_DAYS"] = 150
    assert len(complaints.before_departure()[person.id]) == 4
    app.config["COMPLAINT_WINDOW_DAYS"] = 30
    assert person.id not in complaints.before_departure()


def _support_world(make, db):
    """Three customers left over support: two with an unresolved support complaint, one resolved."""
    world = World(make, db)
    support = world.theme("t-support", "support never answered", category="support")
    price = world.theme("t-price", "price rise", category="price")
    people = [world.answer(support, left_at=LEFT, lifetime_value_cents=v)[0] for v in (500000, 90000, 10000)]
    ticket(db, world, people[0], support, opened="2026-09-01")
    ticket(db, world, people[1], support, opened="2026-09-01", closed="2026-09-03", resolution="unresolved")
    ticket(db, world, people[2], support, opened="2026-09-01", closed="2026-09-03", resolution="resolved")
    payer, _ = world.answer(price, left_at=LEFT)
    ticket(db, world, payer, support, opened="2026-09-01")  # unresolved, on support: they count there too
    return world, support, price, people


def test_themes_pages_show_the_share_preceded_by_an_unresolved_complaint(client, login, make, db):
    login("product")
    _world, support, price, _people = _support_world(make, db)
    html = client.get("/dashboard/themes?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "Departures preceded by an unresolved complaint on the same root cause" in html
    row = html[html.index("Departures preceded") :]
    # the price customer counts under price, their survey answer's cause, not under support too (their
    # ticket's), so the causes add up: of support's three customers, two left with one unresolved
    assert "2 of 3: 67%" in row and "(21%–94%)" in row  # Wilson 95% interval of 2/3
    detail = client.get(f"/dashboard/themes/{support.id}").get_data(as_text=True)
    assert "2 of 3 customers in this theme (67%" in detail
    assert "left with an unresolved complaint" not in client.get(f"/dashboard/themes/{price.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "cause,name",
    [
        ("unresolved_complaint", "Unresolved complaint"),
        ("price", "Price"),
        ("no_longer_needed", "No longer needed"),
    ],
)
def test_the_preceded_sentence_reads_naturally_for_every_cause(client, login, make, db, cause, name):
    """Acceptance walk: "left with a complaint on Unresolved complaint unresolved (a ticket ..." on a
    theme of the Unresolved complaint cause; the cause's name now stands apart, in quotes."""
    login("product")
    world = World(make, db)
    theme = world.theme(f"t-{cause}", "some theme", category=cause)
    person, _ = world.answer(theme, left_at=LEFT)
    ticket(db, world, person, theme, opened="2026-09-01")
    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(f"/dashboard/themes/{theme.id}").get_data(as_text=True)).split()
    )
    assert (
        "1 of 1 customers in this theme (100%, 95% interval 21%–100%) left with an unresolved complaint "
        f"in the same root cause (“{name}”): a ticket in the 90 days before, still open or closed without "
        "resolution." in text
    )
    cause_page = " ".join(
        re.sub(
            r"<[^>]+>",
            " ",
            client.get(f"/dashboard/causes/{cause}?start=2026-01-01&end=2026-12-31").get_data(as_text=True),
        ).split()
    )
    assert (
        "left with an unresolved complaint in this root cause: a ticket in the 90 days before" in cause_page
    )


def test_the_queue_routes_unresolved_complaints_through_the_resolution_steps(client, login, make, db):
    user = login("cx")
    _world, _support, _price, people = _support_world(make, db)
    assert complaint_queue.refresh() == 3
    assert complaint_queue.refresh() == 0  # refreshing again opens nothing new
    cases = {c.customer_id: c for c in db.session.scalars(select(ComplaintCase))}
    assert len(cases) == 3 and people[0].id in cases and people[1].id in cases and people[2].id not in cases
    assert cases[people[0].id].cause_key == "support" and cases[people[0].id].owner_team == "support"
    page = client.get("/dashboard/complaints")
    html = page.get_data(as_text=True)
    assert html.index(people[0].name) < html.index(people[1].name)  # most valuable first
    assert "Still open when they left" in html and "Closed without resolution" in html
    assert "Acknowledge the complaint" in html
    # the button says what it does, not "Drop"
    assert ">Drop it: stop working on this complaint</button>" in html
    assert (
        "owning team Support." in html and "owning team support" not in html
    )  # the team's name, not its key
    case = cases[people[0].id]
    token = csrf_token(page)
    for expected_next in ("Investigate with the owning team", "Propose a solution", "Follow up", "Done"):
        response = client.post(
            f"/dashboard/complaints/{case.id}/step",
            data={"csrf_token": token, "note": f"done before: {expected_next}"},
            follow_redirects=True,
        )
        assert f"Next: {expected_next}." in response.get_data(as_text=True)
    db.session.expire_all()
    case = db.session.get(ComplaintCase, case.id)
    assert case.status == "resolved" and case.step == "done" and len(case.history) == 4
    assert case.history[0]["by"] == user.email
    assert people[0].name not in client.get("/dashboard/complaints").get_data(as_text=True)
    assert people[0].name in client.get("/dashboard/complaints?status=resolved").get_data(as_text=True)
    other = cases[people[1].id]
    client.post(
        f"/dashboard/complaints/{other.id}/drop", data={"csrf_token": token, "note": "asked not to call"}
    )
    db.session.expire_all()
    assert db.session.get(ComplaintCase, other.id).status == "dropped"
    again = client.post(
        f"/dashboard/complaints/{other.id}/step", data={"csrf_token": token}, follow_redirects=True
    )
    assert "already dropped" in again.get_data(as_text=True)


def test_an_unknown_cause_in_the_queue_link_lists_every_case(client, login, make, db):
    """A mistyped or outdated ``?cause=`` shows the whole queue, as an unknown ``?status=`` does,
    instead of an empty queue headed "Root cause: <whatever was typed>"."""
    login("cx")
    _world, _support, _price, people = _support_world(make, db)
    complaint_queue.refresh()
    html = client.get("/dashboard/complaints?cause=no_such_cause").get_data(as_text=True)
    assert people[0].name in html and "no_such_cause" not in html
    support_only = client.get("/dashboard/complaints?cause=price").get_data(as_text=True)
    assert people[0].name not in support_only  # a known cause still filters


def test_investigating_needs_an_owning_team(app, make, db):
    world = World(make, db)
    person, _ = world.answer(None, left_at=LEFT)
    ticket(db, world, person, None, opened="2026-09-01")  # not analysed yet: no cause, no team
    complaint_queue.refresh()
    case = db.session.scalar(select(ComplaintCase))
    assert case.cause_key is None and case.owner_team is None
    complaint_queue.take_step(case, note="Called them", owner_team=None, actor="cx@example.com")
    try:
        complaint_queue.take_step(case, note=None, owner_team=None, actor="cx@example.com")
    except complaint_queue.ComplaintError as exc:
        assert "say which team investigates" in str(exc)
    else:
        raise AssertionError("investigating without a team was accepted")
    complaint_queue.take_step(case, note=None, owner_team="engineering", actor="cx@example.com")
    assert case.step == "propose" and case.owner_team == "engineering"


def test_empty_queue_says_how_customers_get_there(client, login):
    login("cx")
    html = client.get("/dashboard/complaints").get_data(as_text=True)
    assert "No complaints here." in html and "90 days before they left" in html


@pytest.mark.slow  # the demo redacts its tickets with spaCy's small model
def test_demo_has_tickets_interviews_and_a_complaint_queue(runner, client, login, db):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    kinds = db.session.scalars(select(Conversation.kind)).all()
    assert kinds.count("interview") == 3 and kinds.count("ticket") > 20
    login("cx")
    html = client.get("/dashboard/complaints").get_data(as_text=True)
    assert "Still open when they left" in html and "Closed without resolution" in html


def test_the_queue_pages_like_every_other_list(client, login, make, db, monkeypatch):
    """The complaints queue had bare "Previous"/"Next" links and no "Page 2 of 3" between them
    (unstyled, unlike the customers and follow-up lists); its pages keep the status filter."""
    from feedback_app.blueprints.dashboard import conversations

    login("cx")
    _support_world(make, db)
    complaint_queue.refresh()
    monkeypatch.setattr(conversations, "PER_PAGE", 1)  # three cases, three pages
    html = client.get("/dashboard/complaints?status=open&page=2").get_data(as_text=True)
    pages = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    assert "Page 2 of 3" in pages
    assert re.search(r'href="/dashboard/complaints\?[^"]*page=1[^"]*"[^>]*rel="prev"', pages)
    assert re.search(r'href="/dashboard/complaints\?[^"]*page=3[^"]*"[^>]*rel="next"', pages)
    assert pages.count("status=open") == 2
