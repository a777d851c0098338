"""The follow-up queue's actions and the analysis run block: bulk "mark handled" in one POST, the
htmx replies that swap one entry or the run's progress in place (plain form posts still work)."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.models import AnalysisRun, AuditEvent, FollowUp
from feedback_app.services.insights import follow_ups
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _queue(make, db, count: int = 3) -> list[FollowUp]:
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    for i in range(count):
        world.answer(price, text=f"Please call me about invoice {i}.", contact_ok="yes")
    follow_ups.refresh()
    return list(db.session.scalars(select(FollowUp).order_by(FollowUp.id)))


def test_bulk_mark_handled_marks_the_selected_entries_in_one_post(client, login, make, db):
    entries = _queue(make, db)
    login("cx")
    page = client.get("/dashboard/follow-ups")
    html = page.get_data(as_text=True)
    assert 'form="bulk-handled"' in html and "Mark selected handled" in html
    chosen = [entries[0].id, entries[2].id]
    response = client.post(
        "/dashboard/follow-ups/handled",
        data={"follow_up": [str(i) for i in chosen], "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "2 follow-ups marked handled." in response.get_data(as_text=True)
    db.session.expire_all()
    handled = {f.id for f in db.session.scalars(select(FollowUp).where(FollowUp.handled_at.is_not(None)))}
    assert handled == set(chosen)
    audited = db.session.scalars(select(AuditEvent.target_id).where(AuditEvent.action == "follow_up.handled"))
    assert sorted(int(t) for t in audited) == sorted(chosen)


def test_bulk_mark_handled_refuses_without_csrf_or_selection(client, login, make, db):
    entries = _queue(make, db, count=1)
    login("cx")
    page = client.get("/dashboard/follow-ups")
    refused = client.post("/dashboard/follow-ups/handled", data={"follow_up": [str(entries[0].id)]})
    assert refused.status_code in (302, 400)
    empty = client.post(
        "/dashboard/follow-ups/handled", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )
    assert "Mark handled: select at least one entry first." in empty.get_data(as_text=True)
    bad = client.post(
        "/dashboard/follow-ups/handled",
        data={"follow_up": ["x"], "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Mark handled:" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, entries[0].id).handled_at is None


def test_mark_handled_with_htmx_returns_the_entry_in_place(client, login, make, db):
    entry = _queue(make, db, count=1)[0]
    login("cx")
    page = client.get("/dashboard/follow-ups")
    url = f"/dashboard/follow-ups/{entry.id}/handled"
    assert f'hx-post="{url}"' in page.get_data(as_text=True)
    reply = client.post(
        url, data={"note": "Called", "csrf_token": csrf_token(page)}, headers={"HX-Request": "true"}
    )
    body = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "Marked handled: Called." in body and "<html" not in body
    again = client.post(url, data={"csrf_token": csrf_token(page)}, headers={"HX-Request": "true"})
    assert "already marked handled" in again.get_data(as_text=True)


def test_run_block_polls_while_running_and_stops_when_finished(client, login, db):
    run = AnalysisRun(status="running", progress=0.4, stage="embed", counts={})
    db.session.add(run)
    db.session.commit()
    login("product")
    page = client.get("/dashboard/themes").get_data(as_text=True)
    panel_url = f"/dashboard/analysis/runs/{run.id}/panel"
    assert f'hx-get="{panel_url}" hx-trigger="every 2s"' in page
    assert "run-progress.js" not in page
    run.status, run.stage, run.progress, run.counts = "succeeded", "done", 1.0, {"answers": 5, "themes": 2}
    db.session.commit()
    shown = "http://localhost/dashboard/themes?plan=team"
    done = client.get(panel_url, headers={"HX-Current-URL": shown}).get_data(as_text=True)
    assert "every 2s" not in done, "polling stops once the run is over"
    assert "finished" in done and "5 answers, 2 themes" in done and "Show the new themes" in done
    assert "running" not in done
    assert 'hx-get="/dashboard/themes?plan=team" hx-trigger="load delay:1s"' in done, "same filters"
    elsewhere = client.get(panel_url, headers={"HX-Current-URL": "https://evil.example/x"})
    assert 'hx-get="/dashboard/themes" hx-trigger="load delay:1s"' in elsewhere.get_data(as_text=True)
    unreadable = client.get(
        panel_url, headers={"HX-Current-URL": "http://[::1/dashboard/themes"}
    )  # was a 500
    assert 'hx-get="/dashboard/themes" hx-trigger="load delay:1s"' in unreadable.get_data(as_text=True)
