"""The demo's analysis: after the answers are loaded, run the themes once, propose the action
plan and ship its top item, so a newcomer sees every report filled in on the first ``make run``.
The shipped item reads as real work: proposed some weeks before it shipped, with the evidence of
that day, so "did the fix work?" has windows before and after shipping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from feedback_app.extensions import db
from feedback_app.models import AnalysisRun, utcnow
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import follow_ups, pipeline, runs
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import theme_figures

#: The demo's answers (demo/data/answers.yaml) put most price-increase complaints in months 2-3 and
#: fewer in months 0-1, so the shipped top item (price) shows its share falling since this day.
SHIPPED_DAYS_AGO = 60
#: How long before shipping the shipped item was proposed.
PROPOSED_DAYS_BEFORE_SHIPPING = 21


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
    items = []
    top = next((f for f in theme_figures(Filters(), with_trend=False) if f.customers), None)
    if top is not None:
        # the biggest reason now, proposed (evidence as of that day) weeks before it shipped
        proposed_on = date.today() - timedelta(days=SHIPPED_DAYS_AGO + PROPOSED_DAYS_BEFORE_SHIPPING)
        shipped, _ = action_plan.plan(
            action_plan.Attachment(top.theme.id, None), actor="demo", as_of=proposed_on
        )
        action_plan.mark_shipped(shipped, actor="demo")
        shipped.shipped_at = utcnow() - timedelta(days=SHIPPED_DAYS_AGO)  # "did the fix work?" has windows
        db.session.commit()
        items.append(shipped)
    items += action_plan.propose(top=5, actor="demo")
    return DemoInsights(
        True,
        f"Themes: {run.counts['themes']} found in {run.counts['answers']} answers; "
        f"{len(items)} action items proposed, the top one marked shipped {SHIPPED_DAYS_AGO} days ago.",
    )
