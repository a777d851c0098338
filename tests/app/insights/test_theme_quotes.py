"""A theme page quotes the answers the theme holds now, not those moved or split away."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Result, event
from sqlalchemy.orm import ORMExecuteState, Session

from feedback_app.models import Response
from feedback_app.services.insights import assignment, curation, theme_detail
from feedback_app.services.insights.cause_detail import cause_detail
from feedback_app.services.insights.filters import Filters
from tests.app.insights_data import World

GONE = "Our renewal price doubled overnight."
STAYS = "The fee went up again this spring."


def _world(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[GONE, STAYS])
    other = world.theme("support", "Rude support", "support")
    _, gone = world.answer(price, text=GONE)
    _, stays = world.answer(price, text=STAYS)
    world.answer(other, text="Nobody answered.")
    return price, other, gone, stays


def test_a_moved_answer_is_no_longer_quoted_on_its_old_theme(client, login, make, db):
    price, other, gone, _ = _world(make, db)
    curation.move_answer(gone, other, actor="cx@example.com")
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    assert STAYS in html and GONE not in html


def test_a_theme_whose_answers_all_left_quotes_nobody(client, login, make, db):
    price, other, gone, stays = _world(make, db)
    curation.split_theme(price, [gone.id, stays.id], "Renewal shock", actor="cx@example.com")
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    assert "What they said" not in html and GONE not in html and STAYS not in html


def test_the_summary_and_its_exports_quote_what_the_theme_holds_now(client, login, make, db):
    price, other, gone, _ = _world(make, db)
    curation.move_answer(gone, other, actor="cx@example.com")
    login("product")
    everything = {"start": "", "end": ""}
    page = client.get("/dashboard/summary", query_string=everything).get_data(as_text=True)
    assert STAYS in page and GONE not in page
    for fmt in ("md", "html", "csv", "json"):
        export = client.get(f"/dashboard/summary/export.{fmt}", query_string=everything).get_data(
            as_text=True
        )
        assert STAYS in export and GONE not in export, fmt


def test_a_quote_matches_its_answer_word_for_word_whatever_its_spacing(make, db):
    """A quote stays while the theme holds an answer with it word for word (line breaks and double
    spaces in the answer do not matter; letter case and every other character do); a quote only
    another theme's answers hold is dropped, "%" and "_" in it included."""
    world = World(make, db)
    price = world.theme(
        "price", "Price went up", "price", quotes=[STAYS, GONE, "We paid 100% more on plan_b."]
    )
    other = world.theme("support", "Rude support", "support")
    world.answer(price, text="The fee  went up\nagain this spring.")
    world.answer(other, text=GONE.upper())  # not word for word: the quote stays on price
    world.answer(other, text="Honestly? We paid 100% more on plan_b. Ouch.")
    world.answer(other, text="We paid 100 more on plan b.")  # no "%" or "_": not the quote
    assert theme_detail.current_quotes(price) == [STAYS, GONE]


def test_the_themes_own_first_answers_stand_in_when_every_quote_has_left(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[GONE])
    other = world.theme("support", "Rude support", "support")
    world.answer(other, text=GONE)
    for text in ("First  reason.", "Second\nreason.", "Third reason.", "Fourth reason."):
        world.answer(price, text=text)
    assert theme_detail.current_quotes(price) == ["First reason.", "Second reason.", "Third reason."]


@contextmanager
def answers_read(session: Session) -> Iterator[list[int]]:
    """How many answer rows each query the session runs returns (SQLAlchemy's ``do_orm_execute``)."""
    counts: list[int] = []

    def count(state: ORMExecuteState) -> Result[Any] | None:
        if not any(mapper.class_ is Response for mapper in state.all_mappers):
            return None
        frozen = state.invoke_statement().freeze()
        counts.append(len(frozen().all()))
        return frozen()

    event.listen(session, "do_orm_execute", count)
    try:
        yield counts
    finally:
        event.remove(session, "do_orm_execute", count)


def test_quoting_a_theme_reads_the_answers_that_hold_its_quotes_not_every_answer(make, db):
    """A theme page's quotes once read every answer's text; now only the texts with a quote's words
    and the stand-ins shown, however many answers there are."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[GONE, STAYS])
    other = world.theme("support", "Rude support", "support")
    _, gone = world.answer(price, text=GONE)
    world.answer(price, text=STAYS)
    for i in range(120):
        world.answer(other if i % 2 else price, text=f"Another answer, number {i}.")
    curation.move_answer(gone, other, actor="cx@example.com")
    held = assignment.current_assignments()
    with answers_read(db.session()) as counts:
        quotes = theme_detail.current_quotes(price, held)
    assert quotes == [STAYS]
    assert sum(counts) == 2, counts  # the one answer that holds each quote, nothing else

    other.quotes = ["A quote no answer holds."]  # kept, as before: no other theme's answer holds it
    db.session.commit()
    held = assignment.current_assignments()
    with answers_read(db.session()) as counts:
        assert theme_detail.current_quotes(other, held) == ["A quote no answer holds."]
    assert sum(counts) == 0, counts
    other.quotes = [STAYS]  # price holds it: the support theme's own answers stand in, three of them
    db.session.commit()
    with answers_read(db.session()) as counts:
        assert theme_detail.current_quotes(other, held) == [
            GONE,  # moved here: its first answer
            "Another answer, number 1.",
            "Another answer, number 3.",
        ]
    assert sum(counts) == 1 + 3, counts


SAME = "Too expensive for what we use."


def test_a_text_many_answers_share_is_quoted_once_with_its_count(client, login, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[SAME, STAYS, SAME + " "])
    for _ in range(4):
        world.answer(price, text=SAME)
    world.answer(price, text=STAYS)
    assert theme_detail.current_quotes(price) == [SAME, STAYS]
    assert theme_detail.quote_counts(price, [SAME, STAYS]) == [4, 1]
    login("cx")
    html = client.get(f"/dashboard/themes/{price.id}").get_data(as_text=True)
    said = html.split("What they said", 1)[1].split("</section>", 1)[0]
    assert said.count(SAME) == 1 and "4 answers say this" in said
    assert "1 answer says this" not in said


def test_identical_stand_ins_are_quoted_once(make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price", quotes=[])
    for text in (SAME, SAME, STAYS, SAME, GONE):
        world.answer(price, text=text)
    assert theme_detail.current_quotes(price) == [SAME, STAYS, GONE]


def test_a_cause_page_quotes_a_text_two_themes_share_once(make, db):
    world = World(make, db)
    big = world.theme("big", "Price went up", "price", quotes=[SAME, STAYS])
    small = world.theme("small", "Seat price", "price", quotes=[SAME])
    world.answer(big, text=SAME)
    world.answer(big, text=STAYS)
    world.answer(small, text=SAME)
    texts = [q.text for q in cause_detail("price", Filters()).quotes]
    assert texts.count(SAME) == 1 and STAYS in texts
