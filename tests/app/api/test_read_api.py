"""GET /api/v1/customers, /responses, /root-causes, /themes, /action-items: key scopes, cursor
pages, date ranges, redacted text by default, and clear errors for bad parameters."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, Response, Theme
from feedback_app.services.accounts.api_keys import create_key
from feedback_app.services.insights import curation
from tests.app.insights_data import World

LISTS = [
    "/api/v1/customers",
    "/api/v1/responses",
    "/api/v1/root-causes",
    "/api/v1/themes",
    "/api/v1/action-items",
]


def get(client, url, key, **params):
    return client.get(url, query_string=params, headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("url", LISTS)
def test_every_list_needs_a_key_with_the_read_scope(client, db, api_key, url):
    assert client.get(url).status_code == 401
    refused = get(client, url, api_key)  # the fixture's key may only send departures
    assert refused.status_code == 403 and "read" in refused.get_json()["message"]


def test_write_needs_the_write_scope(client, db, read_key):
    response = client.post(
        "/api/v1/departures",
        json={"external_id": "x", "email": "a@b.example", "left_at": "2026-10-01"},
        headers={"Authorization": f"Bearer {read_key}"},
    )
    assert response.status_code == 403 and "departures:write" in response.get_json()["message"]


def test_customers_are_paged_by_cursor_without_repeats(client, world, read_key):
    first = get(client, "/api/v1/customers", read_key, limit=2).get_json()
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = get(client, "/api/v1/customers", read_key, limit=2, cursor=first["next_cursor"]).get_json()
    assert len(second["data"]) == 1 and second["next_cursor"] is None
    ids = [c["id"] for c in first["data"] + second["data"]]
    assert len(set(ids)) == 3 and ids == sorted(ids)


def test_customers_carry_the_language_given_at_intake(client, world, read_key, api_key):
    sent = client.post(
        "/api/v1/departures",
        json={
            "external_id": "lang-1",
            "email": "ana@example.pt",
            "left_at": "2026-11-02",
            "language": "pt-BR",
        },
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert sent.status_code in (200, 201), sent.get_json()
    body = get(client, "/api/v1/customers", read_key, since="2026-11-01").get_json()
    assert [(c["external_id"], c["language"]) for c in body["data"]] == [("lang-1", "pt")]
    earlier = get(client, "/api/v1/customers", read_key, until="2026-10-31").get_json()["data"]
    assert {c["language"] for c in earlier} == {None}


def test_customers_filtered_by_departure_date(client, world, read_key):
    body = get(client, "/api/v1/customers", read_key, since="2026-10-01", until="2026-10-31").get_json()
    assert [c["left_at"] for c in body["data"]] == ["2026-10-05", "2026-10-20"]
    assert body["filters"] == {"since": "2026-10-01", "until": "2026-10-31"}


def test_responses_show_redacted_text_unless_raw_is_asked(client, world, db, read_key):
    response = db.session.scalars(select(Response).order_by(Response.id)).first()
    response.answers = {**response.answers, "what_happened": "Too expensive for Anna Smith and the team."}
    db.session.commit()
    redacted = get(client, "/api/v1/responses", read_key, until="2026-09-30").get_json()["data"]
    assert (
        redacted[0]["text"] == "Too expensive for [PERSON] and the team."
        and redacted[0]["text_kind"] == "redacted"
    )
    assert redacted[0]["theme_id"] is not None and redacted[0]["root_cause"] == "pricing"
    refused = get(client, "/api/v1/responses", read_key, until="2026-09-30", text="raw")
    assert refused.status_code == 403 and "responses:raw" in refused.get_json()["message"]
    _key, raw_key = create_key("auditor", actor="test", scopes=["read", "responses:raw"])
    raw = get(client, "/api/v1/responses", raw_key, until="2026-09-30", text="raw").get_json()["data"]
    assert raw[0]["text"] == "Too expensive for Anna Smith and the team."


def test_raw_text_needs_the_read_scope_too(client, world, db):
    # Keys are no longer made with raw text alone; one stored before that rule reads nothing.
    key, raw_only = create_key("raw only", actor="test", scopes=["read", "responses:raw"])
    key.scopes = "responses:raw"
    db.session.commit()
    refused = get(client, "/api/v1/responses", raw_only, text="raw")
    assert refused.status_code == 403 and "'read'" in refused.get_json()["message"]


def test_each_raw_read_is_audited_and_redacted_reads_are_not(client, world, db, read_key):
    key, raw_key = create_key("auditor", actor="test", scopes=["read", "responses:raw"])
    get(client, "/api/v1/responses", read_key)
    get(client, "/api/v1/responses", raw_key)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.responses_raw")) is None
    get(client, "/api/v1/responses", raw_key, text="raw", limit=2)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.responses_raw")).one()
    assert event.actor == f"api-key:{key.prefix}" and event.target_type == "api_key"
    assert event.target_id == str(key.id) and event.details["responses"] == 2


def test_unanalysed_billing_feedback_has_no_text_until_redacted(client, world, db, read_key):
    response = db.session.scalars(select(Response).order_by(Response.id)).first()
    response.redacted_text, response.source = None, "stripe"
    db.session.commit()
    row = get(client, "/api/v1/responses", read_key, until="2026-09-30").get_json()["data"][0]
    assert row["text"] is None and row["text_redacted"] is False and row["source"] == "stripe"


def test_themes_and_root_causes_carry_their_figures(client, world, read_key):
    themes = get(client, "/api/v1/themes", read_key, since="2026-09-01", until="2026-10-31").get_json()[
        "data"
    ]
    price = next(t for t in themes if t["label"] == "Price too high")
    assert price["customers"] == 2 and price["mrr_lost_cents"] == 9900 + 7900
    assert price["share"] == pytest.approx(2 / 3, abs=1e-4) and len(price["share_interval"]) == 2
    causes = get(client, "/api/v1/root-causes", read_key).get_json()["data"]
    assert [c["key"] for c in causes] == ["pricing", "support"]
    assert causes[0]["customers"] == 2 and causes[0]["theme_ids"] == [price["id"]]
    october = get(client, "/api/v1/root-causes", read_key, since="2026-10-01").get_json()["data"]
    assert {c["key"]: c["customers"] for c in october} == {"pricing": 1, "support": 1}


def test_aggregates_page_by_position(client, world, read_key):
    first = get(client, "/api/v1/themes", read_key, limit=1).get_json()
    second = get(client, "/api/v1/themes", read_key, limit=1, cursor=first["next_cursor"]).get_json()
    assert first["data"][0]["id"] != second["data"][0]["id"] and second["next_cursor"] is None


def test_action_items(client, world, read_key):
    items = get(client, "/api/v1/action-items", read_key).get_json()["data"]
    assert items[0]["title"] == "Add a cheaper plan" and items[0]["root_cause"] == "pricing"
    assert items[0]["due_date"] == "2026-12-01"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"since": "2026-10-02", "until": "2026-10-01"}, "until"),
        ({"limit": "0"}, "limit"),
        ({"limit": "500"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "²"}, "limit"),  # a digit to str.isdigit, not to int(): was a 500
        ({"limit": "9" * 5000}, "limit"),  # past int()'s digit limit: was a 500
        ({"since": ""}, "since"),  # sent empty is not left out
        ({"until": "2026-1-05"}, "until"),  # the document's YYYY-MM-DD, exactly
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"text": "all"}, "text"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, world, read_key, params, field):
    response = get(client, "/api/v1/responses", read_key, **params)
    assert response.status_code == 400 and response.get_json()["message"].startswith(f"{field}:")


def test_a_cursor_of_one_list_is_refused_by_another(client, world, read_key):
    cursor = get(client, "/api/v1/themes", read_key, limit=1).get_json()["next_cursor"]
    assert get(client, "/api/v1/customers", read_key, cursor=cursor).status_code == 400


def test_empty_lists_are_empty(client, db, read_key):
    for url in LISTS:
        body = get(client, url, read_key).get_json()
        assert body["data"] == [] and body["next_cursor"] is None


def test_a_themes_quotes_are_from_the_answers_it_holds_now(client, make, db, read_key):
    gone, stays = "Our renewal price doubled overnight.", "The fee went up again this spring."
    world = World(make, db)
    price = world.theme("t-price", "Renewal price", category="price", quotes=[gone, stays])
    support = world.theme("t-support", "Slow support", category="support", quotes=["Nobody answered."])
    _, moved = world.answer(price, text=gone)
    world.answer(price, text=stays)
    world.answer(support, text="Nobody answered.")
    curation.move_answer(moved, support, actor="cx@example.com")
    themes = get(client, "/api/v1/themes", read_key, since="2026-09-01").get_json()["data"]
    assert next(t for t in themes if t["id"] == price.id)["quotes"] == [stays]


def test_figures_are_rounded_to_the_documented_places(client, world, db, read_key):
    """A warehouse reads 0.15, not 0.15000000000000002: shares to 4 places, sentiment to 3,
    average scores to 2."""
    price = db.session.scalar(select(Theme).where(Theme.label == "Price too high"))
    world.answer(price, text="Still too dear.", nps=6, left_at=date(2026, 10, 8))
    for response, sentiment in zip(
        db.session.scalars(select(Response).order_by(Response.id)), (0.1, 0.2, 0.3, 0.1), strict=True
    ):
        response.sentiment = sentiment
    db.session.commit()
    themes = get(client, "/api/v1/themes", read_key, since="2026-10-01").get_json()["data"]
    theme = next(t for t in themes if t["label"] == "Price too high")
    assert theme["sentiment"] == 0.15 and theme["avg_score"] == 5.5
    everything = get(client, "/api/v1/themes", read_key).get_json()["data"]
    price_all = next(t for t in everything if t["label"] == "Price too high")
    assert price_all["avg_score"] == 5.33 and price_all["sentiment"] == 0.133
    answers = get(client, "/api/v1/responses", read_key).get_json()["data"]
    assert [a["sentiment"] for a in answers] == [0.1, 0.2, 0.3, 0.1]
    for path in ("/api/v1/themes", "/api/v1/root-causes", "/api/v1/responses"):
        text = client.get(path, headers={"Authorization": f"Bearer {read_key}"}).get_data(as_text=True)
        assert not re.search(r"\d\.\d{5,}", text), (path, text)
