"""Pick lists offer only the themes a person can act on now, and tell same-named ones apart."""

from __future__ import annotations

import re

from feedback_app.models import AnalysisRun, Theme, ThemeAssignment, utcnow
from feedback_app.services.actions import campaigns
from feedback_app.services.actions.campaign_targets import Target
from tests.app.actions.winback_data import campaign_input
from tests.app.insights_data import World
from tests.helpers import csrf_token


def _rerun(world: World, db) -> AnalysisRun:
    """A second succeeded run (the answers' old batch rows stay on the first run)."""
    run = AnalysisRun(status="succeeded", progress=1.0, stage="done", counts={}, finished_at=utcnow())
    db.session.add(run)
    db.session.commit()
    return run


def _assign(db, run, response, theme) -> None:
    db.session.add(
        ThemeAssignment(run_id=run.id, response_id=response.id, theme_id=theme.id, is_primary=True)
    )
    db.session.commit()


def _rerun_world(make, db) -> tuple[Theme, Theme, Theme]:
    """An earlier run's "Small bugs" left empty by a re-run that found a new "Small bugs", and a
    "Price went up" both runs found: (old, new, target)."""
    world = World(make, db)
    old = world.theme("bugs-1", "Small bugs", "bugs_reliability")
    _, answer = world.answer(old, text="It crashed.")
    target = world.theme("price-1", "Price went up", "price")
    world.answer(target)
    run = _rerun(world, db)
    new = world.theme("bugs-2", "Small bugs", "bugs_reliability")
    new.first_seen_run_id = new.last_seen_run_id = target.last_seen_run_id = run.id
    _assign(db, run, answer, new)
    _, kept = world.answer(None)
    _assign(db, run, kept, target)
    return old, new, target


def test_an_earlier_runs_theme_is_not_offered_after_a_rerun(client, login, make, db):
    old, new, target = _rerun_world(make, db)
    login("cx")
    html = client.get(f"/dashboard/themes/{target.id}").get_data(as_text=True)
    assert f'<option value="{new.id}">Small bugs</option>' in html
    assert f'value="{old.id}"' not in html
    assert f'value="{old.id}"' not in client.get("/dashboard/themes").get_data(as_text=True)


def _themes(make, db, *themes: tuple[str, str, str, int]):
    """A world with these (key, label, cause, answers) themes, each holding that many answers."""
    world = World(make, db)
    made = []
    for key, label, cause, answers in themes:
        made.append(world.theme(key, label, cause))
        for n in range(answers):
            world.answer(made[-1], text=f"Answer {n} about {label}.")
    return made


def test_two_current_themes_with_one_label_name_their_cause_and_answers(client, login, make, db):
    bugs, price = _themes(
        make, db, ("bugs", "Small bugs", "bugs_reliability", 2), ("price", "Small bugs", "price", 1)
    )
    login("cx")
    html = client.get("/dashboard/themes").get_data(as_text=True)
    assert f'<option value="{bugs.id}">Small bugs (Bugs and reliability, 2 answers)</option>' in html
    assert f'<option value="{price.id}">Small bugs (Price, 1 answer)</option>' in html


def test_renaming_to_another_current_themes_label_is_refused(client, login, make, db):
    _, other = _themes(
        make,
        db,
        ("outages", "Frequent outages", "bugs_reliability", 1),
        ("other", "Slow pages", "bugs_reliability", 1),
    )
    login("cx")
    page = client.get(f"/dashboard/themes/{other.id}")
    response = client.post(
        f"/dashboard/themes/{other.id}/rename",
        data={"label": "frequent  outages", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Another theme is already called “Frequent outages”" in response.get_data(as_text=True)
    db.session.refresh(other)
    assert other.display_label == "Slow pages"


def _theme_select(html: str) -> str:
    """The form's themes: checkboxes grouped under each root cause's name."""
    return html.split('id="themes"')[1].split("</div>")[0]


def _box(theme_id: int, label: str, checked: bool = False) -> str:
    return rf'value="{theme_id}" id="themes-[\d-]+"{" checked" if checked else ""}> {label}</label>'


def test_the_campaign_form_offers_the_same_current_themes(client, login, make, db):
    old, new, target = _rerun_world(make, db)
    login("cx")
    offered = _theme_select(client.get("/dashboard/win-back/campaigns/new").get_data(as_text=True))
    assert re.search(_box(new.id, "Small bugs"), offered)
    assert f'value="{old.id}"' not in offered and "<legend>Price</legend>" in offered
    # a campaign made before the re-run keeps its theme on the edit page, so saving does not drop it
    campaign = campaigns.create(campaign_input(target=Target(theme_ids=[old.id])), actor="cx@test")
    edit = _theme_select(
        client.get(f"/dashboard/win-back/campaigns/{campaign.id}/edit").get_data(as_text=True)
    )
    assert "<legend>Chosen before, not in the latest analysis</legend>" in edit
    assert re.search(_box(old.id, "Small bugs", checked=True), edit)
