"""Template filters that turn stored values into the words and figures staff read (never raw keys)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask.typing import TemplateFilterCallable

from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.services.actions import reports
from feedback_app.services.conversations.sources import source_name
from feedback_app.services.insights import root_causes

#: What each analysis stage is doing, in words (``nlp.pipeline`` and ``services.analysis`` stages).
STAGE_NAMES = {
    "queued": "Waiting to start",
    "reading answers": "Reading the answers",
    "preprocess": "Removing personal data and cleaning the text",
    "embed": "Reading the meaning of each answer",
    "classify": "Sorting answers into root causes",
    "themes": "Finding the themes within each root cause",
    "describe": "Naming the themes and picking quotes",
    "organisations": "Looking for competitors they named",
    "saving": "Saving the results",
    "done": "Finished",
}


RUN_STATUS_NAMES = {
    "queued": "waiting to start",
    "running": "running",
    "succeeded": "finished",
    "failed": "failed",
}


def run_status(status: str | None) -> str:
    """An analysis run's status in words ("finished", never "succeeded")."""
    return RUN_STATUS_NAMES.get(status or "", words(status).lower())


def stage_name(stage: str | None) -> str:
    """An analysis stage as a sentence ("Finding the themes within each root cause")."""
    if not stage:
        return STAGE_NAMES["queued"]
    return STAGE_NAMES.get(stage, stage.replace("_", " ").capitalize())


def plural(count: int | None, singular: str, plural_form: str | None = None) -> str:
    """``3 customers``, ``1 customer``, ``1,204 emails``: the count with the right form of the noun."""
    count = count or 0
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def words(key: str | None) -> str:
    """A stored key as words, for values with no better name (``in_progress`` -> "In progress")."""
    return "–" if not key else key.replace("_", " ").replace(".", " ").capitalize()


def money_exact(cents: int | None) -> str:
    """An amount with its currency and cents, e.g. ``$1,234.50`` (empty when unknown)."""
    if cents is None:
        return ""
    symbol = current_app.config.get("CURRENCY_SYMBOL", "$")
    return f"{'-' if cents < 0 else ''}{symbol}{abs(cents) / 100:,.2f}"


def day(value: date | datetime | None) -> str:
    """A date as YYYY-MM-DD (the time, if any, left out)."""
    if value is None:
        return "–"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def points(value: float | None) -> str:
    """A change in share as signed percentage points ("+4 points"), never a percent change."""
    if value is None:
        return "–"
    rounded = round(value * 100)
    if rounded == 0:
        return "no change"
    return f"{rounded:+d} point{'' if abs(rounded) == 1 else 's'}"


#: The Jinja filters the dashboard templates use, by name.
FILTERS: dict[str, TemplateFilterCallable] = {
    "money": reports.money,
    "pct": reports.percent,
    "cause_name": root_causes.cause_name,
    "points": points,
    "source_name": source_name,
    "plural": plural,
    "stage_name": stage_name,
    "run_status": run_status,
    "words": words,
    "money_exact": money_exact,
    "day": day,
}
for _name, _function in FILTERS.items():
    bp.add_app_template_filter(_function, _name)
