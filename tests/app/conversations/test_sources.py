"""Sources together: filters by source, the sources behind a theme, one customer once per cause."""

from __future__ import annotations

import json
from datetime import date

import pytest

from feedback_app.models import Conversation, ConversationAssignment
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.insights import curation, metrics
from feedback_app.services.insights.filters import Filters
from tests.app.insights_data import World

LEFT = date(2026, 10, 1)
ALL = Filters(start=date(2026, 1, 1), end=date(2026, 12, 31))


def voice(db, world, person, theme, kind: str):
    conversation = Conversation(
        customer_id=person.id,
        kind=kind,
        origin="dashboard" if kind == "interview" else "csv",
        status="held" if kind == "interview" else "open",
        opened_at=world.run.created_at,
        redacted_text="Support never answered.",
        interviewer="Sam" if kind == "interview" else None,
    )
    db.session.add(conversation)
    db.session.flush()
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


def _world(make, db):
    world = World(make, db)
    support = world.theme("t-support", "support never answered", category="support")
    slow = world.theme("t-slow-replies", "slow replies", category="support")
    price = world.theme("t-price", "price rise", category="price")
    both, _ = world.answer(support, left_at=LEFT, monthly_revenue_cents=10000)  # survey + interview + ticket
    voice(db, world, both, support, "interview")
    voice(db, world, both, slow, "ticket")  # same cause, another theme
    only_ticket = make.customer(left_at=LEFT, monthly_revenue_cents=5000)
    voice(db, world, only_ticket, support, "ticket")
    world.answer(price, left_at=LEFT, monthly_revenue_cents=2000)
    return world, support, slow, price, both


def test_a_customer_heard_through_several_sources_counts_once_per_cause(make, db):
    _world(make, db)
    causes = {c.key: c for c in metrics.root_cause_figures(ALL, with_trend=False)}
    assert causes["support"].customers == 2 and causes["support"].mrr_lost_cents == 15000
    assert causes["price"].customers == 1
    assert abs(causes["support"].share - 2 / 3) < 1e-9  # 3 customers in all, none counted twice
    themes = {f.theme.stable_key: f for f in metrics.theme_figures(ALL, with_trend=False)}
    assert themes["t-support"].customers == 2 and themes["t-support"].sources == [
        "survey",
        "interview",
        "ticket",
    ]
    assert themes["t-slow-replies"].sources == ["ticket"]


def _theme_row(html: str, label: str) -> str:
    """The themes table's row for the theme with this label."""
    return next(row for row in html.split("<tr>") if f">{label}</a>" in row).split("</tr>")[0]


def test_a_theme_row_names_its_sources_only_when_they_are_not_all_survey_answers(client, login, make, db):
    login("product")
    _world(make, db)
    html = client.get("/dashboard/themes?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "Heard through" not in _theme_row(html, "price rise")  # survey answers only
    assert "Heard through: Support ticket" in _theme_row(html, "slow replies")  # one kind, not the survey
    row = _theme_row(html, "support never answered")
    assert "Heard through: Survey answer, Exit interview, Support ticket" in row


def test_figures_filter_by_source(make, db):
    _world(make, db)
    tickets = {
        c.key: c.customers
        for c in metrics.root_cause_figures(
            Filters(start=ALL.start, end=ALL.end, source="ticket"), with_trend=False
        )
    }
    assert tickets == {"support": 2}
    surveys = {
        c.key: c.customers
        for c in metrics.root_cause_figures(
            Filters(start=ALL.start, end=ALL.end, source="survey"), with_trend=False
        )
    }
    assert surveys == {"support": 1, "price": 1}


def test_pages_and_exports_filter_by_source_and_name_the_sources(client, login, make, db):
    login("product")
    _world(make, db)
    html = client.get("/dashboard/themes?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "Heard through: Survey answer, Exit interview, Support ticket" in html
    assert '<option value="interview" >Exit interview</option>' in html or ">Exit interview</option>" in html
    only = client.get("/dashboard/themes?start=2026-01-01&end=2026-12-31&source=interview").get_data(
        as_text=True
    )
    assert "support never answered" in only and "price rise" not in only
    export = client.get("/dashboard/summary/export.json?start=2026-01-01&end=2026-12-31&source=ticket")
    themes = {t["theme"]: t for t in json.loads(export.get_data(as_text=True))["themes"]}
    assert set(themes) == {"support never answered", "slow replies"}
    assert themes["support never answered"]["sources"] == ["ticket"]
    bad = client.get("/dashboard/summary/export.json?source=carrier-pigeon")
    assert (
        bad.status_code == 400
        and "Source: 'carrier-pigeon' is not one of the known values." in bad.get_data(as_text=True)
    )


def test_a_conversation_counts_where_an_answer_would_a_hand_move_first_then_the_run_then_merges(make, db):
    """Tickets follow the answers' rules (one function decides both): a human move beats the latest
    run, which beats an incremental assignment, and a theme merged away counts under its target."""
    world, support, slow, price, _ = _world(make, db)
    ticket = voice(db, world, make.customer(left_at=LEFT, monthly_revenue_cents=700), support, "ticket")

    def ticket_themes() -> dict[str, int]:
        tickets = Filters(start=ALL.start, end=ALL.end, source="ticket")
        return {f.theme.stable_key: f.customers for f in metrics.theme_figures(tickets, with_trend=False)}

    db.session.add(ConversationAssignment(conversation_id=ticket.id, theme_id=price.id, source="incremental"))
    db.session.commit()
    assert ticket_themes() == {"t-support": 2, "t-slow-replies": 1}  # the run, not incremental
    db.session.add(ConversationAssignment(conversation_id=ticket.id, theme_id=slow.id, source="manual"))
    db.session.commit()
    assert ticket_themes() == {"t-support": 1, "t-slow-replies": 2}  # moved by hand
    curation.merge_themes(slow, price, actor="cx@example.com")
    assert ticket_themes() == {"t-support": 1, "t-price": 2}
    assert analysis_feed.current_themes([ticket.id])[ticket.id].id == price.id


def test_themes_add_up_to_their_root_cause_when_a_customer_spoke_in_two_themes(client, login, make, db):
    """A customer whose survey answer is in one theme and whose ticket is in another theme of the same
    cause counted in both themes: the cause's themes added up to more customers and revenue than the
    cause itself, which says its figures add up. Each customer now counts toward one theme (the
    survey answer's; a conversation's only for someone who did not answer), and is named in the
    other theme as counted elsewhere."""
    _world(make, db)
    themes = {f.theme.stable_key: f for f in metrics.theme_figures(ALL, with_trend=False)}
    causes = {c.key: c for c in metrics.root_cause_figures(ALL, with_trend=False)}
    for cause in causes.values():
        assert sum(t.customers for t in cause.themes) == cause.customers, cause.key
        assert sum(t.mrr_lost_cents for t in cause.themes) == cause.mrr_lost_cents, cause.key
    assert sum(c.customers for c in causes.values()) == 3  # three customers, each in one cause
    slow = themes["t-slow-replies"]
    assert (slow.customers, slow.mrr_lost_cents, slow.elsewhere_customers) == (0, 0, 1)
    assert slow.sources == ["ticket"]  # still heard there
    login("product")
    html = client.get("/dashboard/themes?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "+1 counted under another theme" in _theme_row(html, "slow replies")
    page = client.get("/dashboard/causes/support?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "+1 counted under another theme" in page


def test_the_summary_says_a_theme_heard_only_from_customers_counted_elsewhere_counts_none(
    client, login, make, db
):
    """Such a theme read "0 former customers (0% ...) left mainly because of “slow replies”. Together
    they paid $0 a month" in the summary and its Markdown: it now says whom it was heard from."""
    _world(make, db)
    login("product")
    text = client.get("/dashboard/summary/export.md?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "0 former customers" not in text
    assert (
        "Heard from 1 former customer who counts under another theme, so none counts toward "
        "“slow replies” (Support attitude)." in text
    )


def test_the_monthly_shares_count_each_customer_under_one_theme_as_the_table_does(make, db):
    """The themes page's "share by month" chart counted a customer under every theme they were
    heard in (a survey answer in one, a ticket in another): the lines added up to more than 100% in a
    month and disagreed with the table beside them, where the ticket's theme counts none of them."""
    from feedback_app.services.insights import metric_charts

    _world(make, db)
    chart = metric_charts.shares_by_month(ALL)
    october = chart["months"].index(next(m for m in chart["months"] if "Oct" in m))
    shares = {line["label"]: line["shares"][october] for line in chart["series"]}
    table = {f.theme.display_label: f.share for f in metrics.theme_figures(ALL, with_trend=False)}
    assert shares == pytest.approx(table)
    assert sum(shares.values()) == pytest.approx(1.0)
