"""What one theme holds: its answers with their customers, where they went, and reason mismatches.

**Where they went** counts, per customer, the competitor they named in the competitor question,
any known competitor named in their text ("known": a name some customer gave in the competitor
question or one of the survey's suggested competitors), and the organisation names spaCy's NER
found in the redacted text during the latest run (``nlp.organisations``), shown only when at least
:data:`MIN_CUSTOMERS` customers named one (so a person's name the model mistook for a company does
not surface from one answer).

**Picked vs written**: the main-reason option a customer picked is compared with the theme's
root-cause category through :data:`REASON_CATEGORIES`; an answer is flagged when the category is
a known one and not among those its picked option allows ("other" and "emerging" never flag).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, SurveyVersion, Theme
from feedback_app.pagination import paginate
from feedback_app.services.insights import assignment
from feedback_app.services.responses.answers import competitor, main_reason, picked_label, reason_text, score

REASON_CATEGORIES: dict[str, frozenset[str]] = {
    "too_expensive": frozenset({"price", "billing", "competitor"}),
    "missing_features": frozenset({"missing_features", "competitor", "ease_of_use"}),
    "hard_to_use": frozenset({"ease_of_use", "missing_features", "speed_performance"}),
    "bugs_or_outages": frozenset({"bugs_reliability", "speed_performance", "unresolved_complaint"}),
    "poor_support": frozenset({"support", "unresolved_complaint"}),
    "switched_competitor": frozenset({"competitor", "price", "missing_features", "ease_of_use"}),
    "no_longer_needed": frozenset({"no_longer_needed"}),
    "billing_problem": frozenset({"billing", "price", "unresolved_complaint"}),
    "security_or_privacy": frozenset({"privacy_trust"}),
}
NEVER_FLAG = frozenset({"emerging", "other", ""})
#: Customers who must name an organisation before it is listed under "where they went".
MIN_CUSTOMERS = 2


def disagrees(picked: str | None, category: str) -> bool:
    """True when the picked main reason and the written reason's category do not match."""
    if not picked or picked not in REASON_CATEGORIES or category in NEVER_FLAG:
        return False
    return category not in REASON_CATEGORIES[picked]


@dataclass
class AnswerRow:
    response: Response
    customer: DepartedCustomer
    text: str
    #: The main reason they picked, as the survey's option reads ("It cost too much for what we got").
    picked: str | None
    score: float | None
    mismatch: bool


def _answer_ids(theme: Theme) -> list[int]:
    """The ids of the theme's answers now."""
    return [rid for rid, t in assignment.current_assignments().items() if t.id == theme.id]


#: How many of a theme's own answers stand in when every stored quote has left with its answer.
STAND_IN_QUOTES = 3
#: Rows fetched at a time while looking for an answer that holds a quote (the search stops at the first).
QUOTE_SEARCH_BATCH = 50


def _words(text: str) -> str:
    """``text`` with every run of whitespace as one space: a stored quote matches its answer however
    the answer's lines were broken."""
    return " ".join(text.split())


def _has_words(needle: str) -> ColumnElement[bool]:
    """The answer's text has ``needle``'s words in that order (``LIKE``: a superset to check in Python)."""
    escaped = (w.replace("/", "//").replace("%", "/%").replace("_", "/_") for w in needle.split())
    return Response.redacted_text.like("%" + "%".join(escaped) + "%", escape="/")


def _still_holds(quote: str, theme: Theme, held: dict[int, Theme]) -> bool:
    """Whether a stored quote stays on ``theme``: an answer it holds now has the quote, or no answer
    another theme holds now has it (``held``: :func:`assignment.current_assignments`).

    The database narrows the search to the texts with the quote's words in that order (``LIKE``, a
    superset: it ignores spacing, and case on SQLite), and those are read in id order, a batch at a
    time, only until one of the theme's own answers holds the quote word for word.
    """
    needle = _words(quote)
    query = (
        select(Response.id, Response.redacted_text)
        .where(_has_words(needle))
        .order_by(Response.id)
        .execution_options(yield_per=QUOTE_SEARCH_BATCH)
    )
    elsewhere = False
    with db.session.execute(query) as rows:
        for rid, text in rows:
            holder = held.get(rid)
            if holder is None or not text or needle not in _words(text):
                continue
            if holder.id == theme.id:
                return True
            elsewhere = True
    return not elsewhere


def current_quotes(theme: Theme, held: dict[int, Theme] | None = None) -> list[str]:
    """The theme's quotes, from the answers it holds now.

    A run stores each theme's quotes, but a split, a move or a later run can take their answers to
    another theme: a quote found only in answers another theme holds now is dropped. When none is
    left, the theme's own first answers stand in, so a theme with no answers quotes nobody. Pass
    ``held`` (:func:`assignment.current_assignments`) to reuse it across themes. Reads the texts
    that hold a quote's words and the stand-ins shown, never every answer's text.
    """
    held = assignment.current_assignments() if held is None else held
    stored = distinct_texts(str(quote) for quote in theme.quotes or [])
    kept = [quote for quote in stored if _still_holds(quote, theme, held)]
    own = [rid for rid, t in held.items() if t.id == theme.id]
    if kept or not own:
        return kept
    stand_ins = db.session.scalars(
        select(Response.redacted_text)
        .where(Response.id.in_(own), Response.redacted_text.is_not(None), Response.redacted_text != "")
        .group_by(Response.redacted_text)  # identical answers stand in once
        .order_by(func.min(Response.id))
        .limit(STAND_IN_QUOTES)
    )
    return distinct_texts(_words(text) for text in stand_ins if text is not None)[:STAND_IN_QUOTES]


def distinct_texts(texts: Iterable[str]) -> list[str]:
    """``texts`` with each text once (spacing aside), the first kept, in order."""
    seen: set[str] = set()
    out = []
    for text in texts:
        key = same_text_key(text)
        if key and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def same_text_key(text: str) -> str:
    """What two texts that say the same thing word for word share (spacing aside; case counts, as
    PostgreSQL's ``LIKE`` that finds them does)."""
    return _words(text)


def quote_counts(theme: Theme, quotes: list[str], held: dict[int, Theme] | None = None) -> list[int]:
    """For each quote, how many of the answers ``theme`` holds now say exactly that (at least 1: a
    stored quote may be an excerpt of one answer), so a page shows a text many sent once, counted."""
    held = assignment.current_assignments() if held is None else held
    own = [rid for rid, t in held.items() if t.id == theme.id]
    counts: Counter[str] = Counter()
    if own and quotes:
        wanted = {same_text_key(q) for q in quotes}
        for text in db.session.scalars(
            select(Response.redacted_text)
            .where(Response.id.in_(own), or_(*(_has_words(_words(q)) for q in quotes)))
            .execution_options(yield_per=QUOTE_SEARCH_BATCH)
        ):
            key = same_text_key(text or "")
            if key in wanted:
                counts[key] += 1
    return [max(1, counts[same_text_key(q)]) for q in quotes]


def _rows(theme: Theme) -> list[tuple[Response, DepartedCustomer]]:
    """The theme's answers now (newest first) with their customers."""
    ids = _answer_ids(theme)
    if not ids:
        return []
    return [
        (response, customer)
        for response, customer in db.session.execute(
            select(Response, DepartedCustomer)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
            .where(Response.id.in_(ids))
            .order_by(Response.submitted_at.desc(), Response.id.desc())
        )
    ]


def answers(theme: Theme, *, page: int = 1, per_page: int = 25) -> tuple[list[AnswerRow], Pagination, int]:
    """One page of the theme's answers (newest first), the page (its total, its number), and how
    many of all its answers disagree with the picked reason."""
    ids = _answer_ids(theme)
    listing = paginate(
        select(Response)
        .options(selectinload(Response.survey_version))  # the picked option's label reads it
        .where(Response.id.in_(ids))
        .order_by(Response.submitted_at.desc(), Response.id.desc()),
        page,
        per_page,
    )
    responses = list(listing.items)
    customers = (
        dict(
            db.session.execute(
                select(Invitation.id, DepartedCustomer)
                .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
                .where(Invitation.id.in_([r.invitation_id for r in responses]))
            ).all()
        )
        if responses
        else {}
    )
    rows = [
        AnswerRow(
            r,
            customers[r.invitation_id],
            r.redacted_text or ("" if r.text_purged_at else "(not analysed yet)"),
            picked_label(r),
            score(r.answers),
            disagrees(main_reason(r.answers), theme.category),
        )
        for r in responses
    ]
    picked = list(db.session.scalars(select(Response.answers).where(Response.id.in_(ids)))) if ids else []
    mismatches = sum(disagrees(main_reason(a), theme.category) for a in picked)
    return rows, listing, mismatches


def known_competitors() -> set[str]:
    """Names given in any competitor answer, plus the survey's suggested competitors."""
    names = {
        n.strip()
        for n in db.session.scalars(select(Response.answers["competitor"].as_string()).distinct())
        if isinstance(n, str) and n.strip()
    }
    for definition in db.session.scalars(select(SurveyVersion.definition)):
        for question in (definition or {}).get("questions", []):
            if isinstance(question, dict) and question.get("type") == "competitor":
                for suggestion in question.get("suggestions", []):  # a name, or {language: name}
                    texts = suggestion.values() if isinstance(suggestion, dict) else [suggestion]
                    names.update(s for s in texts if isinstance(s, str))
    return {n for n in names if len(n) >= 3}


def named_organisations() -> dict[int, list[str]]:
    """Organisation names found in each answer by the latest run, kept only when at least
    :data:`MIN_CUSTOMERS` answers name them."""
    run = assignment.latest_run()
    found = {int(k): v for k, v in ((run.counts or {}).get("organisations") or {}).items()} if run else {}
    counts = Counter(n for names in found.values() for n in set(names))
    return {rid: [n for n in names if counts[n] >= MIN_CUSTOMERS] for rid, names in found.items()}


def where_they_went(theme: Theme) -> list[tuple[str, int]]:
    """Competitors named by this theme's customers (question, known names or organisations in
    the text), with how many customers named each, most named first."""
    names = known_competitors()
    patterns = {n: re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)", re.IGNORECASE) for n in names}
    organisations = named_organisations()
    canonical = {n.lower(): n for n in names}
    counts: Counter[str] = Counter()
    for response, _customer in _rows(theme):
        named = set()
        picked = competitor(response.answers)
        if picked:
            named.add(picked)
        text = reason_text(response)  # competitor names are not personal data; the raw text finds them all
        named.update(n for n, p in patterns.items() if p.search(text or ""))
        named.update(canonical.get(n.lower(), n) for n in organisations.get(response.id, []))
        counts.update({canonical.get(n.lower(), n) for n in named})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
