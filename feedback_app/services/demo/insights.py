"""The demo's analysis: after the answers are loaded, run the themes once, propose the action
plan and ship its top item, so a newcomer sees every report filled in on the first ``make run``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from feedback_app.extensions import db
from feedback_app.models import AnalysisRun, utcnow
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import follow_ups, pipeline, runs

SHIPPED_DAYS_AGO = 60


@dataclass
class DemoInsights:
    ran: bool
    message: str


def fill(progress: Callable[[str, float], None] | None = None) -> DemoInsights:
    """Analyse the demo answers inline, propose the plan, mark the top item shipped."""
    if not pipeline.pipeline_available():
        follow_ups.refresh()
        return DemoInsights(
            False, "Themes: the nlp pipeline is not installed; run `flask --app wsgi analyze run` later."
        )
    run = AnalysisRun(status="queued", parameters={"survey": None, "since": None})
    db.session.add(run)
    db.session.commit()
    run = runs.execute_run(run.id, progress=progress)
    if run.status != "succeeded":
        return DemoInsights(
            False, f"Themes: the demo analysis failed ({run.error}); see `flask --app wsgi analyze run`."
        )
    items = action_plan.propose(top=5, actor="demo")
    if items:
        action_plan.mark_shipped(items[0], actor="demo")
        items[0].shipped_at = utcnow() - timedelta(days=SHIPPED_DAYS_AGO)  # "did the fix work?" has windows
        db.session.commit()
    return DemoInsights(
        True,
        f"Themes: {run.counts['themes']} found in {run.counts['answers']} answers; "
        f"{len(items)} action items proposed, the top one marked shipped {SHIPPED_DAYS_AGO} days ago.",
    )
