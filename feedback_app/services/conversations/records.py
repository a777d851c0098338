"""One ticket as every import format describes it, checked: statuses, dates, roles, the customer it is about.

CSV rows, Zendesk tickets and Intercom conversations all become :class:`TicketRecord`; a value
that cannot be read becomes a :class:`Problem` saying where (line or record) and which column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Literal, overload

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer
from feedback_app.services.validation.text_input import clean_text

#: Help-desk statuses as Afterword reads them: (open or closed, resolution).
STATUSES: dict[str, tuple[str, str | None]] = {
    "new": ("open", None),
    "open": ("open", None),
    "pending": ("open", None),
    "hold": ("open", None),
    "on_hold": ("open", None),
    "on-hold": ("open", None),
    "snoozed": ("open", None),
    "solved": ("closed", "resolved"),
    "resolved": ("closed", "resolved"),
    "closed": ("closed", "resolved"),
    "unresolved": ("closed", "unresolved"),
    "closed_unresolved": ("closed", "unresolved"),
}
RESOLUTION_WORDS = {
    "resolved": "resolved",
    "yes": "resolved",
    "unresolved": "unresolved",
    "no": "unresolved",
    "not_resolved": "unresolved",
}
CUSTOMER_ROLES = {"customer", "end-user", "end_user", "user", "lead", "contact", "requester"}
AGENT_ROLES = {"agent", "admin", "bot", "team", "staff", "operator"}
MAX_BODY = 20_000
MAX_SUBJECT = 300


class FieldProblem(ValueError):
    """A value that cannot be read; ``column`` names the field."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Problem:
    """What was wrong and where: ``where`` is "line 4" or "ticket 3 (id 881)"."""

    where: str
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}" + (f", {self.column}" if self.column else "") + f": {self.message}"


@dataclass
class MessageRecord:
    role: str
    body: str
    sent_at: datetime | None = None


@dataclass
class TicketRecord:
    ticket_id: str
    customer_ref: str
    created_at: datetime
    status: str
    resolution: str | None = None
    closed_at: datetime | None = None
    subject: str = ""
    messages: list[MessageRecord] = field(default_factory=list)
    where: str = ""


def one_line(value: Any, column: str, *, required: bool = False, limit: int = 200) -> str:
    """A single-line text field, cleaned; refused when required and empty or when too long."""
    text = clean_text(str(value), multiline=False).strip() if value is not None else ""
    if required and not text:
        raise FieldProblem(column, "is empty (required)")
    if len(text) > limit:
        raise FieldProblem(column, f"is longer than {limit} characters")
    return text


def body_text(value: Any, column: str) -> str:
    text = clean_text(str(value), multiline=True).strip() if value is not None else ""
    if len(text) > MAX_BODY:
        raise FieldProblem(column, f"is longer than {MAX_BODY:,} characters")
    return text


@overload
def moment(value: Any, column: str, *, required: Literal[True]) -> datetime: ...


@overload
def moment(value: Any, column: str, *, required: bool = False) -> datetime | None: ...


def moment(value: Any, column: str, *, required: bool = False) -> datetime | None:
    """A date (YYYY-MM-DD), ISO 8601 date-time or Unix timestamp, as an aware UTC datetime."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldProblem(column, "is empty (required)")
        return None
    if isinstance(value, bool):
        raise FieldProblem(column, f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        if not 0 <= value < 32503680000:
            raise FieldProblem(column, f"{value!r} is not a Unix time in seconds")
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FieldProblem(
            column, f"{text[:40]!r} is not a date (YYYY-MM-DD) or ISO 8601 date-time"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def status_of(value: Any, column: str = "status") -> tuple[str, str | None]:
    key = one_line(value, column, required=True).lower().replace(" ", "_")
    if key not in STATUSES:
        raise FieldProblem(
            column,
            f"{key!r} is not a known status; use open, pending, on_hold, solved, closed "
            "or unresolved (closed without resolution)",
        )
    return STATUSES[key]


def resolution_of(value: Any, column: str = "resolution") -> str | None:
    key = one_line(value, column).lower().replace(" ", "_")
    if not key:
        return None
    if key not in RESOLUTION_WORDS:
        raise FieldProblem(column, f"{key!r} is not resolved or unresolved")
    return RESOLUTION_WORDS[key]


def role_of(value: Any, column: str = "author_role") -> str:
    key = one_line(value, column).lower()
    if not key or key in CUSTOMER_ROLES:
        return "customer"
    if key in AGENT_ROLES:
        return "agent"
    raise FieldProblem(column, f"{key!r} is not customer or agent")


def check_dates(record: TicketRecord) -> None:
    if record.status == "closed" and record.closed_at is None:
        raise FieldProblem("closed_at", "a closed ticket needs the date it was closed")
    if record.closed_at is not None and record.closed_at < record.created_at:
        raise FieldProblem("closed_at", "is before the ticket was created")
    if record.status == "open":
        record.closed_at, record.resolution = None, None


# ---------------------------------------------------------------- which customer


class CustomerIndex:
    """Finds the departed customer a ticket or an interview is about by external id or email, once
    per value; the reasons say nothing of what the caller then skips (a ticket, an invitation)."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[int | None, str | None]] = {}
        #: references that name more than one customer (found, but not told apart)
        self.ambiguous: set[str] = set()

    def find(self, ref: str) -> tuple[int | None, str | None]:
        """(customer id, None) or (None, why not)."""
        ref = ref.strip()
        if ref not in self._found:
            customer_id, why, several = self._lookup(ref)
            self._found[ref] = (customer_id, why)
            if several:
                self.ambiguous.add(ref)
        return self._found[ref]

    @staticmethod
    def _lookup(ref: str) -> tuple[int | None, str | None, bool]:
        """(customer id, why not, whether several customers have it)."""
        alive = DepartedCustomer.erased_at.is_(None)
        if "@" in ref:
            ids = db.session.scalars(
                select(DepartedCustomer.id).where(func.lower(DepartedCustomer.email) == ref.lower(), alive)
            ).all()
            what = f"email {ref!r}"
        else:
            ids = db.session.scalars(
                select(DepartedCustomer.id).where(DepartedCustomer.external_id == ref, alive)
            ).all()
            what = f"external id {ref!r}"
        if not ids:
            return None, f"no departed customer has {what}; import the customer first", False
        if len(ids) > 1:
            return None, f"{len(ids)} departed customers have {what}; use a value that names one", True
        return ids[0], None, False
