"""An action item's proposed title follows its theme's current label; a typed title is kept."""

from __future__ import annotations

from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import curation, runs
from nlp.memory import ThemeMemory
from nlp.results import AnalysisResult, Assignment, ThemeResult
from tests.app.insights_data import World


def _rerun(monkeypatch, theme, response, label: str) -> None:
    """A full run whose pipeline finds the same theme under a new label."""
    result = AnalysisResult(
        themes=[
            ThemeResult(theme.stable_key, label, ["outage"], theme.category, 1, ["Down again."], -0.5, False)
        ],
        assignments=[
            Assignment(
                str(response.id), theme.stable_key, [theme.stable_key], 0.9, "Down again.", False, -0.5
            )
        ],
        memory=ThemeMemory(),
    )
    monkeypatch.setattr("nlp.analyze", lambda *args, **kwargs: result)
    monkeypatch.setattr("nlp.organisations.organisations", lambda *args, **kwargs: {})
    run = runs.start_run()
    assert runs.execute_run(run.id).status == "succeeded"


def test_a_rerun_relabelling_the_theme_retitles_its_proposed_item(make, db, monkeypatch):
    world = World(make, db)
    outages = world.theme("outages", "Level outages", "bugs_reliability")
    _, answer = world.answer(outages, text="Down again.")
    item, _ = action_plan.plan(action_plan.Attachment(outages.id, None), actor="cx@example.com")
    assert item.title == "Bugs and reliability: Level outages"
    _rerun(monkeypatch, outages, answer, "Frequent outages")
    db.session.refresh(item)
    assert item.title == "Bugs and reliability: Frequent outages"


def test_a_typed_title_is_kept_through_renames_and_cause_changes(make, db):
    world = World(make, db)
    outages = world.theme("outages", "Level outages", "bugs_reliability")
    world.answer(outages, text="Down again.")
    item, _ = action_plan.plan(action_plan.Attachment(outages.id, None), actor="cx@example.com")
    typed, _ = action_plan.plan(action_plan.Attachment(None, "bugs_reliability"), actor="cx@example.com")
    item.title, typed.title = item.title, "Fix the status page"
    typed.theme_id = outages.id
    db.session.commit()
    curation.rename_theme(outages, "Frequent outages", lock=True, actor="cx@example.com")
    assert item.title == "Bugs and reliability: Frequent outages"
    curation.set_theme_cause(outages, "speed_performance", actor="cx@example.com")
    assert item.title.endswith(": Frequent outages") and not item.title.startswith("Bugs")
    assert typed.title == "Fix the status page"
