"""Importing support tickets: idempotent on the help desk's ticket id, redacted before storage.

Each ticket is matched to a departed customer by external id or email; a ticket whose customer
is unknown is reported and skipped (customers are never created from tickets). Subjects and
every message are redacted through the nlp package before they are stored; the customer's own
messages (and the subject) become the text the analysis reads, agents' replies are kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from feedback_app.extensions import db
from feedback_app.models import Conversation, ConversationAssignment, ConversationMessage
from feedback_app.services.accounts import audit
from feedback_app.services.conversations import formats, redaction
from feedback_app.services.conversations.records import CustomerIndex, Problem, TicketRecord

LOOKUP_CHUNK = 500


@dataclass
class TicketImportReport:
    """What an import did; ``problems`` say where (line or record) and which column."""

    fmt: str
    rows: int = 0
    tickets: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unknown_customers: list[str] = field(default_factory=list)
    #: references several customers share (each ticket's problem says so); not among the unknown
    ambiguous_customers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conversation_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the page and the CLI ("1 ticket read", not "1 tickets read")."""
        unknown = (
            f"; {len(self.unknown_customers)} unknown customer(s), not created"
            if self.unknown_customers
            else ""
        )
        if self.ambiguous_customers:
            unknown += (
                f"; {len(self.ambiguous_customers)} customer reference(s) naming several customers, "
                "not imported"
            )
        tickets = f"{self.tickets} ticket" if self.tickets == 1 else f"{self.tickets} tickets"
        return (
            f"{tickets} read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} not imported{unknown}."
        )


def _snapshot(conversation: Conversation) -> tuple[Any, ...]:
    return (
        conversation.customer_id,
        conversation.subject,
        conversation.status,
        conversation.resolution,
        conversation.opened_at,
        conversation.closed_at,
        tuple((m.author_role, m.body_redacted, m.sent_at) for m in conversation.messages),
    )


def _incoming(customer_id: int, record: TicketRecord, subject: str, bodies: list[str]) -> tuple[Any, ...]:
    return (
        customer_id,
        subject or None,
        record.status,
        record.resolution,
        record.created_at,
        record.closed_at,
        tuple((m.role, b, m.sent_at) for m, b in zip(record.messages, bodies, strict=False)),
    )


def customer_text(subject: str | None, messages: list[tuple[str, str]]) -> str:
    """The words the analysis reads: the subject and the customer's own messages, never agents'."""
    parts = [subject or ""] + [body for role, body in messages if role == "customer"]
    return "\n".join(p for p in parts if p.strip())


def _apply(
    conversation: Conversation, customer_id: int, record: TicketRecord, subject: str, bodies: list[str]
) -> None:
    conversation.customer_id = customer_id
    conversation.subject = subject or None
    conversation.status, conversation.resolution = record.status, record.resolution
    conversation.opened_at, conversation.closed_at = record.created_at, record.closed_at
    conversation.messages = [
        ConversationMessage(position=i, author_role=m.role, sent_at=m.sent_at, body_redacted=b)
        for i, (m, b) in enumerate(zip(record.messages, bodies, strict=False))
    ]


def import_tickets(
    data: bytes,
    fmt: str,
    *,
    actor: str = "cli",
    actor_user_id: int | None = None,
    filename: str | None = None,
) -> TicketImportReport:
    """Read, check, redact and upsert the tickets of one file; raises ``CsvFileError`` for a file
    that cannot be read at all (nothing is written then)."""
    records, problems, rows = formats.parse(data, fmt)
    return import_records(
        records,
        origin=fmt,
        problems=problems,
        rows=rows,
        actor=actor,
        actor_user_id=actor_user_id,
        filename=filename,
    )


def import_records(
    records: list[TicketRecord],
    *,
    origin: str,
    problems: list[Problem] | None = None,
    rows: int | None = None,
    actor: str = "cli",
    actor_user_id: int | None = None,
    filename: str | None = None,
) -> TicketImportReport:
    """Match, redact and upsert tickets already read into records (a file's, or the demo's): the one
    way a ticket is stored, so every subject and message is redacted, whoever wrote it.
    ``origin`` names where they came from (``Conversation.origin``); ``problems`` are the reader's."""
    problems = list(problems or [])
    report = TicketImportReport(
        fmt=origin,
        rows=len(records) if rows is None else rows,
        tickets=len(records) + len(problems),
        problems=problems,
    )
    report.rejected = len(problems)
    index = CustomerIndex()
    matched: list[tuple[int, TicketRecord]] = []
    seen: dict[str, str] = {}
    for record in records:
        if record.ticket_id in seen:
            report.problems.append(
                Problem(
                    record.where,
                    "ticket_id",
                    f"ticket {record.ticket_id!r} appears again (first at {seen[record.ticket_id]}); skipped",
                )
            )
            report.rejected += 1
            continue
        seen[record.ticket_id] = record.where
        customer_id, why = index.find(record.customer_ref)
        if customer_id is None:
            why = f"{why or 'unknown customer'} (the ticket was not imported)"
            report.problems.append(Problem(record.where, "customer", why))
            report.rejected += 1
            ref = record.customer_ref.strip()
            named = report.ambiguous_customers if ref in index.ambiguous else report.unknown_customers
            if record.customer_ref not in named:
                named.append(record.customer_ref)
            continue
        matched.append((customer_id, record))
    for start in range(0, len(matched), LOOKUP_CHUNK):
        _store(matched[start : start + LOOKUP_CHUNK], origin, report)
    audit.record(
        "tickets.import",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="conversation",
        format=origin,
        filename=filename,
        tickets=report.tickets,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )
    db.session.commit()
    from feedback_app.services.conversations import analysis_feed, complaint_queue

    analysis_feed.queue_assignment(report.conversation_ids)
    complaint_queue.refresh()
    return report


def _store(chunk: list[tuple[int, TicketRecord]], fmt: str, report: TicketImportReport) -> None:
    texts: list[str] = []
    for _, record in chunk:
        texts.append(record.subject)
        texts.extend(m.body for m in record.messages)
    redacted = iter(redaction.redact_all(texts))
    existing = {
        c.external_id: c
        for c in db.session.scalars(
            select(Conversation).where(
                Conversation.origin == fmt, Conversation.external_id.in_([r.ticket_id for _, r in chunk])
            )
        )
    }
    for customer_id, record in chunk:
        subject = next(redacted)
        bodies = [next(redacted) for _ in record.messages]
        conversation = existing.get(record.ticket_id)
        if conversation is None:
            conversation = Conversation(kind="ticket", origin=fmt, external_id=record.ticket_id)
            _apply(conversation, customer_id, record, subject, bodies)
            conversation.redacted_text = customer_text(
                subject, [(m.role, b) for m, b in zip(record.messages, bodies, strict=False)]
            )
            db.session.add(conversation)
            db.session.flush()
            report.created += 1
            report.conversation_ids.append(conversation.id)
            continue
        if _snapshot(conversation) == _incoming(customer_id, record, subject, bodies):
            report.unchanged += 1
            continue
        old_text = conversation.redacted_text
        conversation.messages.clear()
        db.session.flush()  # the old messages go before the new ones take their positions
        _apply(conversation, customer_id, record, subject, bodies)
        conversation.redacted_text = customer_text(
            subject, [(m.role, b) for m, b in zip(record.messages, bodies, strict=False)]
        )
        report.updated += 1
        if conversation.redacted_text != old_text:  # new words: its old themes no longer speak for it
            db.session.execute(
                delete(ConversationAssignment).where(
                    ConversationAssignment.conversation_id == conversation.id,
                    ConversationAssignment.source != "manual",
                )
            )
            conversation.sentiment = None
            report.conversation_ids.append(conversation.id)
    db.session.flush()
