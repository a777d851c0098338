"""Second reasons: the root causes an answer gives besides its main one.

Shares and revenue count each answer toward its main theme only, so they add up to the whole
(docs/reports.md). An answer that also names another cause ("too expensive, and it kept
crashing") is stored as a secondary theme assignment; here those are counted per root cause as
the customers who gave it as a second reason only, i.e. who are not already among its customers,
with the monthly revenue they took with them, and listed on the cause's page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response, Theme, ThemeAssignment
from feedback_app.services.insights import assignment, metrics, root_causes
from feedback_app.services.insights.filters import Filters

ANSWER_SOURCES = ("survey", "billing_portal")
#: Answers listed on a cause's page (newest first); the count above covers them all.
LISTED = 25


@dataclass
class SecondReason:
    """One answer that gave the cause as a second reason, with the theme it counts toward."""

    response_id: int
    text: str
    main_theme: Theme


@dataclass
class AlsoGiven:
    """Customers (not already counted in the cause) whose answer gave it as a second reason."""

    key: str
    customers: int = 0
    mrr_lost_cents: int = 0
    answers: list[SecondReason] = field(default_factory=list)


def _cause(theme: Theme) -> str:
    return theme.category or root_causes.EMERGING


def secondary_themes(response_ids: list[int]) -> dict[int, list[Theme]]:
    """Each answer's secondary themes now (the latest run's, or the incremental assigner's),
    merges followed: the same rows :func:`assignment.current_assignments` reads for main themes."""
    if not response_ids:
        return {}
    run = assignment.latest_run()
    query = select(ThemeAssignment.response_id, ThemeAssignment.theme_id).where(
        ThemeAssignment.is_primary.is_(False), ThemeAssignment.response_id.in_(response_ids)
    )
    if run is not None:
        query = query.where((ThemeAssignment.run_id == run.id) | ThemeAssignment.run_id.is_(None))
    else:
        query = query.where(ThemeAssignment.run_id.is_(None))
    rows = db.session.execute(query).all()
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_({r[1] for r in rows})))}
    out: dict[int, list[Theme]] = defaultdict(list)
    for response_id, theme_id in rows:
        out[response_id].append(assignment.resolve_theme(themes[theme_id]))
    return out


def also_given(filters: Filters) -> dict[str, AlsoGiven]:
    """Per root cause key, the customers in ``filters`` who gave it only as a second reason."""
    # survey answers and billing-portal reasons (conversations keep their themes elsewhere)
    themed = [f for f in metrics.facts(filters) if f.theme is not None]
    facts = [f for f in themed if f.source in ANSWER_SOURCES]
    # the cause each customer counts toward, as the figures count them (one theme per customer):
    # someone counted under another cause is "also" here, even when a portal reason named this one
    main: dict[str, set[int]] = defaultdict(set)
    counted_in = metrics.counted_theme(themed)
    for fact in themed:
        if fact.theme is not None and counted_in[fact.customer_id] == fact.theme.id:
            main[_cause(fact.theme)].add(fact.customer_id)
    secondary = secondary_themes([f.response_id for f in facts])
    texts: dict[int, str] = {}
    wanted = [f.response_id for f in facts if f.response_id in secondary]
    if wanted:
        texts = {
            rid: text or ""
            for rid, text in db.session.execute(
                select(Response.id, Response.redacted_text).where(Response.id.in_(wanted))
            )
        }
    out: dict[str, AlsoGiven] = {}
    counted: dict[str, set[int]] = defaultdict(set)
    for fact in sorted(facts, key=lambda f: (f.submitted_at, f.response_id), reverse=True):
        if fact.theme is None:
            continue
        causes = {_cause(t) for t in secondary.get(fact.response_id, [])} - {_cause(fact.theme)}
        for key in sorted(causes):
            if fact.customer_id in main[key] or fact.customer_id in counted[key]:
                continue
            also = out.setdefault(key, AlsoGiven(key))
            if len(also.answers) < LISTED:
                also.answers.append(
                    SecondReason(fact.response_id, texts.get(fact.response_id, ""), fact.theme)
                )
            counted[key].add(fact.customer_id)
            also.customers += 1
            also.mrr_lost_cents += fact.mrr_cents
    return out
