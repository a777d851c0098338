"""The read API's queries: customers, answers, root causes, themes and action items as plain
JSON-ready dicts, a page at a time behind an opaque cursor, filtered by a date range.

Lists of rows page by id (the cursor holds the last id, so a page never repeats or skips a row
while new rows arrive); the figures per root cause and theme are computed for the whole range
and paged by position. Answer text is the redacted text unless raw text is asked for (its own
key scope, each page audited).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db
from feedback_app.models import ActionItem, ApiKey, DepartedCustomer, Invitation, Response, Survey, Theme
from feedback_app.services.accounts import audit
from feedback_app.services.insights import assignment, metrics, theme_detail
from feedback_app.services.insights.filters import Filters, parse_date
from feedback_app.services.responses.answers import main_reason, reason_text, score
from feedback_app.services.validation.row_ids import MAX_ROW_ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
TEXT_MODES = ("redacted", "raw")
#: The key scope ``text=raw`` needs besides ``read``: answers as written hold names, emails and phones.
RAW_TEXT_SCOPE = "responses:raw"
#: ASCII digits only (``str.isdigit`` also takes "²", which ``int`` refuses), and few of them.
LIMIT_SHAPE = re.compile(r"[0-9]{1,6}")
DAY_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Decimal places of the figures the API writes: shares 0-1 (0.0370 is 3.7%), average scores
#: 0-10, sentiment -1 to 1. More digits are float noise (0.03260000000000002), not precision.
SHARE_PLACES, SCORE_PLACES, SENTIMENT_PLACES = 4, 2, 3


class QueryError(ValueError):
    """A bad query parameter; the message names it and says what is expected."""


@dataclass(frozen=True)
class Query:
    since: date | None = None
    until: date | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


@dataclass
class Page:
    data: list[dict[str, Any]]
    next_cursor: str | None


def _bound(args: Mapping[str, str], name: str) -> date | None:
    """A strict ``YYYY-MM-DD`` (what the OpenAPI document's pattern says); absent is no bound."""
    value = args.get(name)
    if value is None:
        return None
    if not DAY_SHAPE.fullmatch(value):
        raise QueryError(
            f"{name}: {value[:40]!r} is not a date in the form YYYY-MM-DD; leave {name} out for no bound."
        )
    try:
        return parse_date(value, name)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def parse_query(args: Mapping[str, str]) -> Query:
    """``since``, ``until`` (YYYY-MM-DD, inclusive), ``limit`` (1-200) and ``cursor`` from a query string."""
    since, until = _bound(args, "since"), _bound(args, "until")
    if since and until and until < since:
        raise QueryError(f"until: {until.isoformat()} is before since {since.isoformat()}.")
    raw_limit = args.get("limit")
    if raw_limit is None:
        limit = DEFAULT_LIMIT
    elif not LIMIT_SHAPE.fullmatch(raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise QueryError(f"limit: {raw_limit[:20]!r} is not a whole number from 1 to {MAX_LIMIT}.")
    else:
        limit = int(raw_limit)
    return Query(since, until, limit, args.get("cursor") or None)


def _encode(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def _decode(cursor: str | None, kind: str) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        found, _, value = text.partition(":")
        if found != kind or not (value.isascii() and value.isdigit()):
            raise ValueError
        if kind == "id" and int(value) > MAX_ROW_ID:  # no row has it; the driver would overflow
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise QueryError(
            "cursor: not a cursor this list gave; pass next_cursor from the previous page "
            "unchanged, with the same filters."
        ) from None


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _by_id(
    query: Select,
    id_column: InstrumentedAttribute[int],
    q: Query,
    to_dict: Callable[[Sequence[Any]], list[dict[str, Any]]],
) -> Page:
    after = _decode(q.cursor, "id")
    rows = db.session.execute(query.where(id_column > after).order_by(id_column).limit(q.limit + 1)).all()
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    data = to_dict(rows)
    return Page(data, _encode("id", data[-1]["id"]) if more and data else None)


def _by_position(items: list[dict[str, Any]], q: Query) -> Page:
    offset = _decode(q.cursor, "at")
    page = items[offset : offset + q.limit]
    more = offset + q.limit < len(items)
    return Page(page, _encode("at", offset + q.limit) if more else None)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def customers(q: Query) -> Page:
    """Departed customers who left in the range, oldest record first."""
    query = select(DepartedCustomer)
    if q.since:
        query = query.where(DepartedCustomer.left_at >= q.since)
    if q.until:
        query = query.where(DepartedCustomer.left_at <= q.until)

    def rows_to_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "source": c.source,
                "external_id": c.external_id,
                "email": c.email,
                "name": c.name,
                "company": c.company,
                "plan": c.plan,
                "segment": c.segment,
                "monthly_revenue_cents": c.monthly_revenue_cents,
                "lifetime_value_cents": c.lifetime_value_cents,
                "tenure_months": c.tenure_months,
                "left_at": _day(c.left_at),
                "churn_type": c.churn_type,
                "language": c.language,
                "returned_at": _day(c.returned_at),
                "opted_out": c.opted_out,
                "erased": c.erased_at is not None,
                "created_at": _moment(c.created_at),
            }
            for (c,) in rows
        ]

    return _by_id(query, DepartedCustomer.id, q, rows_to_dicts)


def responses(q: Query, text: str = "redacted", key: ApiKey | None = None) -> Page:
    """Answers submitted in the range with their current theme; ``text`` redacted (default) or raw.
    A raw page is audited against ``key``, as staff showing contact details is: it reveals them."""
    if text not in TEXT_MODES:
        raise QueryError(f"text: {text[:20]!r} is not one of {', '.join(TEXT_MODES)}.")
    query = (
        select(Response, Survey.key, Invitation.customer_id)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(Survey, Invitation.survey_id == Survey.id)
    )
    if q.since:
        query = query.where(Response.submitted_at >= _start(q.since))
    if q.until:
        query = query.where(Response.submitted_at < _start(q.until + timedelta(days=1)))

    def rows_to_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
        themes = assignment.current_assignments([r.id for r, _, _ in rows]) if rows else {}
        data = []
        for response, survey_key, customer_id in rows:
            theme = themes.get(response.id)
            shown = reason_text(response) or None if text == "raw" else response.redacted_text or None
            data.append(
                {
                    "id": response.id,
                    "customer_id": customer_id,
                    "survey": survey_key,
                    "source": response.source,
                    "submitted_at": _moment(response.submitted_at),
                    "main_reason": main_reason(response.answers),
                    "score": score(response.answers),
                    "sentiment": _rounded(response.sentiment, SENTIMENT_PLACES),
                    "text": shown,
                    "text_kind": text,
                    "text_redacted": response.redacted_text is not None,
                    "theme_id": theme.id if theme else None,
                    "root_cause": theme.category if theme else None,
                }
            )
        return data

    page = _by_id(query, Response.id, q, rows_to_dicts)
    if text == "raw":
        _audit_raw_read(page, key)
    return page


def _audit_raw_read(page: Page, key: ApiKey | None) -> None:
    audit.record(
        "api.responses_raw",
        actor=f"api-key:{key.prefix}" if key else "system",
        target_type="api_key" if key else None,
        target_id=key.id if key else None,
        responses=len(page.data),
        response_ids=[row["id"] for row in page.data],
    )
    db.session.commit()


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _interval(value: tuple[float, float] | None) -> list[float] | None:
    return [round(value[0], SHARE_PLACES), round(value[1], SHARE_PLACES)] if value else None


def _theme_dict(item: metrics.ThemeFigures, held: dict[int, Theme]) -> dict[str, Any]:
    theme = item.theme
    return {
        "id": theme.id,
        "label": theme.display_label,
        "root_cause": theme.category,
        "keywords": list(theme.keywords),
        "quotes": theme_detail.current_quotes(theme, held),  # from the answers it holds now
        "customers": item.customers,
        "share": round(item.share, SHARE_PLACES),
        "share_interval": _interval(item.interval),
        "previous_share": _rounded(item.previous_share, SHARE_PLACES),
        "mrr_lost_cents": item.mrr_lost_cents,
        "ltv_lost_cents": item.ltv_lost_cents,
        "avg_score": _rounded(item.avg_score, SCORE_PLACES),
        "sentiment": _rounded(item.sentiment, SENTIMENT_PLACES),
        "is_new": item.is_new,
        "won_back": item.won_back,
        "first_seen": _day(item.first_seen),
        "last_seen": _day(item.last_seen),
    }


def _filters(q: Query) -> Filters:
    return Filters(start=q.since, end=q.until)


def themes(q: Query) -> Page:
    """Themes with answers from customers who left in the range, by monthly revenue lost."""
    held = assignment.current_assignments()
    return _by_position([_theme_dict(t, held) for t in metrics.theme_figures(_filters(q))], q)


def root_causes(q: Query) -> Page:
    """Root causes of customers who left in the range, with their figures and theme ids."""
    causes = metrics.root_cause_figures(_filters(q))
    items = [
        {
            "key": c.key,
            "name": c.name,
            "customers": c.customers,
            "share": round(c.share, SHARE_PLACES),
            "share_interval": _interval(c.interval),
            "previous_share": _rounded(c.previous_share, SHARE_PLACES),
            "mrr_lost_cents": c.mrr_lost_cents,
            "ltv_lost_cents": c.ltv_lost_cents,
            "theme_ids": [t.theme.id for t in c.themes],
        }
        for c in causes
    ]
    return _by_position(items, q)


def action_items(q: Query) -> Page:
    """Action items created in the range."""
    query = select(ActionItem)
    if q.since:
        query = query.where(ActionItem.created_at >= _start(q.since))
    if q.until:
        query = query.where(ActionItem.created_at < _start(q.until + timedelta(days=1)))

    def rows_to_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            {
                "id": a.id,
                "title": a.title,
                "root_cause": a.cause_key or (a.theme.category if a.theme else None),
                "theme_id": a.theme_id,
                "owner_team": a.owner_team,
                "status": a.status,
                "actions": list(a.actions),
                "due_date": _day(a.due_date),
                "shipped_at": _moment(a.shipped_at),
                "created_at": _moment(a.created_at),
                "updated_at": _moment(a.updated_at),
            }
            for (a,) in rows
        ]

    return _by_id(query, ActionItem.id, q, rows_to_dicts)
