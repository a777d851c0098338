"""Storing departed customers: one upsert on (source, external id) for every way they come in.

CSV import, the departures API and the billing webhooks all end here. Work is done in chunks with
one SELECT and at most one bulk INSERT and one bulk UPDATE per chunk, so 100,000 rows take
seconds, not the minutes a row-by-row ORM loop would.

The upsert stores what it is given: a CSV row or an API item with an earlier ``left_at`` is a
person's correction and replaces the stored day. A billing provider's late, older cancellation
must not, so ``services/billing/events.py`` narrows such an event to the empty fields first. A
changed day clears ``left_at_time`` (the provider's time of the old day); the billing events set it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, utcnow
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.customers.filters import CustomerFilters, customer_query, label_choices
from feedback_app.services.customers.records import CustomerRecord

CHUNK_SIZE = 1000
#: Columns an import may set, compared to decide between "updated" and "unchanged".
IMPORTED_COLUMNS: tuple[str, ...] = (
    "email",
    "phone",
    "name",
    "company",
    "plan",
    "segment",
    "monthly_revenue_cents",
    "lifetime_value_cents",
    "tenure_months",
    "left_at",
    "churn_type",
    "contact_consent",
    "returned_at",
    "language",
)
_DEFAULTS: dict[str, Any] = {column: None for column in IMPORTED_COLUMNS} | {"contact_consent": False}


@dataclass(frozen=True)
class Outcome:
    """What happened to one record: ``created``, ``updated`` or ``unchanged`` (``id`` is None in a dry run)."""

    source: str
    external_id: str
    id: int | None
    status: str


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, other: UpsertResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.outcomes.extend(other.outcomes)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _chunks(records: Sequence[CustomerRecord], size: int) -> Iterable[Sequence[CustomerRecord]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def _existing(source: str, external_ids: list[str]) -> dict[str, Any]:
    columns = [getattr(DepartedCustomer, name) for name in IMPORTED_COLUMNS]
    rows = db.session.execute(
        select(DepartedCustomer.id, DepartedCustomer.external_id, DepartedCustomer.erased_at, *columns).where(
            DepartedCustomer.source == source, DepartedCustomer.external_id.in_(external_ids)
        )
    )
    return {row.external_id: row for row in rows}


def _upsert_source_chunk(
    source: str, records: Sequence[CustomerRecord], dry_run: bool, with_outcomes: bool
) -> UpsertResult:
    result = UpsertResult()
    existing = _existing(source, [record.external_id for record in records])
    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    status_by_id: dict[str, tuple[int | None, str]] = {}
    now = utcnow()
    for record in records:
        row = existing.get(record.external_id)
        values = record.column_values()
        if row is None:
            to_insert.append(
                _DEFAULTS
                | values
                | {"source": source, "external_id": record.external_id, "created_at": now, "updated_at": now}
            )
            status_by_id[record.external_id] = (None, "created")
            continue
        # An erased customer stays erased: a re-import must not bring their personal data back.
        changes = {} if row.erased_at else {k: v for k, v in values.items() if getattr(row, k) != v}
        if "left_at" in changes:  # a new day: the time a billing event gave for the old one is not its
            changes["left_at_time"] = None
        if changes:
            to_update.append(changes | {"id": row.id, "updated_at": now})
        status_by_id[record.external_id] = (row.id, "updated" if changes else "unchanged")
    if not dry_run:
        if to_insert and with_outcomes:
            inserted = db.session.execute(
                insert(DepartedCustomer).returning(DepartedCustomer.id, DepartedCustomer.external_id),
                to_insert,
            )
            for new_id, external_id in inserted:
                status_by_id[external_id] = (new_id, "created")
        elif to_insert:  # a plain executemany is twice as fast as INSERT ... RETURNING
            db.session.execute(insert(DepartedCustomer), to_insert)
        if to_update:
            db.session.execute(update(DepartedCustomer), to_update)
    for _row_id, status in status_by_id.values():
        setattr(result, status, getattr(result, status) + 1)
    if with_outcomes:
        result.outcomes = [Outcome(source, r.external_id, *status_by_id[r.external_id]) for r in records]
    return result


def upsert(
    records: Sequence[CustomerRecord],
    *,
    dry_run: bool = False,
    with_outcomes: bool = True,
    chunk_size: int = CHUNK_SIZE,
) -> UpsertResult:
    """Create or update customers by (source, external id) in the current transaction (caller commits).

    ``with_outcomes=False`` skips the per-record ids and statuses (only the counts), for big files.
    Columns a record does not provide are left as stored. Records must be unique by
    (source, external id); the callers report duplicates to the user before calling this.
    """
    keys = [(record.source, record.external_id) for record in records]
    if len(set(keys)) != len(keys):
        raise ValueError("records must be unique by (source, external_id)")
    result = UpsertResult()
    by_source: dict[str, list[CustomerRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    for source, group in by_source.items():
        for chunk in _chunks(group, chunk_size):
            result.add(_upsert_source_chunk(source, chunk, dry_run, with_outcomes))
    if not dry_run:
        db.session.expire_all()  # bulk statements bypass the identity map
    return result


def refresh_statistics() -> None:
    """On PostgreSQL, update the planner's statistics for the customers table.

    A big import runs in one transaction, so autovacuum never sees the new rows in time; with
    the stale estimate of a small table the lookup of existing ids stops using the
    (source, external_id) index for both columns and each chunk scans every row of the source.
    ANALYZE sees the transaction's own rows and costs a fraction of a second.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE departed_customer"))


def save(records: Sequence[CustomerRecord], *, actor: str, action: str, **details: Any) -> UpsertResult:
    """Upsert, audit and commit; retried once when a concurrent request created the same customer."""
    for attempt in (1, 2):
        try:
            result = upsert(records)
            audit.record(action, actor=actor, target_type="departed_customer", **result.counts(), **details)
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- listing for the dashboard ---------------------------------------------------------------

PAGE_SIZE = 50


def list_customers(filters: CustomerFilters, page: int = 1, per_page: int = PAGE_SIZE) -> Pagination:
    """One page of customers matching the filters, most recent departures first."""
    query = customer_query(filters).order_by(DepartedCustomer.left_at.desc(), DepartedCustomer.id.desc())
    return paginate(query, page, per_page)


#: How far a customer got with our surveys, furthest last (:func:`survey_steps`).
SURVEY_STEPS = ("invited", "opened", "answered")


def survey_steps(customers: Sequence[DepartedCustomer]) -> dict[int, str]:
    """The furthest survey step each customer reached (a key of :data:`SURVEY_STEPS`), by
    customer id; a customer never sent a survey is left out. One query for a page of the list,
    so staff see who answered without opening each customer elsewhere."""
    ids = [c.id for c in customers]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Invitation.customer_id, Invitation.sent_at, Invitation.opened_at, Response.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id.in_(ids))
    )
    steps: dict[int, str] = {}
    for customer_id, sent_at, opened_at, response_id in rows:
        step = "answered" if response_id else "opened" if opened_at else "invited" if sent_at else None
        known = steps.get(customer_id)
        if step and (known is None or SURVEY_STEPS.index(step) > SURVEY_STEPS.index(known)):
            steps[customer_id] = step
    return steps


def filter_choices() -> dict[str, list[str]]:
    """The sources and plans present, for the filter drop-downs."""
    sources = db.session.scalars(
        select(DepartedCustomer.source).distinct().order_by(DepartedCustomer.source)
    ).all()
    return {"sources": list(sources), "plans": label_choices(DepartedCustomer.plan)}
