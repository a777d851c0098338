"""A theme page quotes the answers the theme holds now, not those moved or split away."""

from __future__ import annotations

from feedback_app.services.insights import curation
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
