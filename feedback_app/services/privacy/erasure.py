"""Erasure of a person (a data subject's request): remove everything that identifies them or
repeats their words, keep the anonymous counts the reports need.

Kept: a response counted toward a theme, the plan, revenue and dates of a departure. Removed:
contact details, free-text answers and their redacted form, link tokens, outbox emails (rows and
``.eml`` files), follow-ups, any stored quote, theme memory, evidence or audit detail that
contains their email, name or answer text, the organisations a run found in their answer, and
the NLP cache's entries derived from their answer (``nlp.cache.forget_texts``). On SQLite the
write-ahead log is then checkpointed and emptied, so no old page with their data stays in it
(``secure_delete`` zeroes the freed space in the database file itself). The CLI
(``flask customers erase``) and the admin page call :func:`erase_person`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select, text

from feedback_app.extensions import db
from feedback_app.models import (
    ActionItem,
    AnalysisRun,
    AuditEvent,
    FollowUp,
    OutboxEmail,
    Response,
    Theme,
    utcnow,
)
from feedback_app.services.accounts import audit
from feedback_app.services.conversations import privacy as conversation_privacy
from feedback_app.services.privacy.people import normalise_email, require_customers, split_answers
from feedback_app.services.responses.answers import reason_text

log = logging.getLogger(__name__)

ERASED = "[erased]"
#: Shorter texts are too common to search other records for (e.g. an answer "No").
MIN_NEEDLE_CHARS = 6


@dataclass
class ErasureReport:
    """What an erasure removed, in counts only (safe to print and to audit)."""

    customers: int = 0
    responses: int = 0
    invitations: int = 0
    outbox_emails: int = 0
    eml_files: int = 0
    follow_ups: int = 0
    quotes: int = 0
    other_records: int = 0
    cache_entries: int = 0
    customer_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {key: value for key, value in vars(self).items() if key != "customer_ids"}


# ---------------------------------------------------------------- scrubbing stored copies

_SPACE = re.compile(r"\s+")
#: The redaction's placeholders (``[PERSON]``, ``[ACCOUNT]`` ...; lower-cased by ``_flat``).
_PLACEHOLDER = re.compile(r"\[[a-z_]+\]")


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


class _Needles:
    """The person's identifying strings; matches a stored string that contains one, or is a
    long-enough excerpt of one (a quote cut from their answer, redacted or not)."""

    def __init__(self, texts: list[str]) -> None:
        self.items = sorted({_flat(t) for t in texts if t and len(_flat(t)) >= MIN_NEEDLE_CHARS}, key=len)

    def __bool__(self) -> bool:
        return bool(self.items)

    def contained_in(self, value: str) -> bool:
        """Whether ``value`` contains one of the person's strings."""
        flat = _flat(value)
        return any(needle in flat for needle in self.items)

    def matches(self, value: str) -> bool:
        flat = _flat(value)
        if not flat:
            return False
        for needle in self.items:
            if needle in flat:
                return True
            if len(flat) >= MIN_NEEDLE_CHARS * 2 and flat.strip(" .…\"'") in needle:
                return True
        # A redacted excerpt (a quote from any run, whatever its placeholders): every piece
        # between placeholders is in one of the person's texts.
        pieces = [p.strip(" .…\"'") for p in _PLACEHOLDER.split(flat)]
        pieces = [p for p in pieces if p]
        if pieces and _PLACEHOLDER.search(flat) and sum(map(len, pieces)) >= MIN_NEEDLE_CHARS * 2:
            return any(all(piece in needle for piece in pieces) for needle in self.items)
        return False


def _scrub(value: Any, needles: _Needles) -> tuple[Any, int]:
    """A copy of JSON-like ``value`` without the person's strings (dropped from lists, replaced
    elsewhere) and how many were removed."""
    if isinstance(value, str):
        return (ERASED, 1) if needles.matches(value) else (value, 0)
    if isinstance(value, list):
        kept, removed = [], 0
        for item in value:
            if isinstance(item, str) and needles.matches(item):
                removed += 1
                continue
            new, count = _scrub(item, needles)
            kept.append(new)
            removed += count
        return kept, removed
    if isinstance(value, dict):
        out, removed = {}, 0
        for key, item in value.items():
            new, count = _scrub(item, needles)
            out[key] = new
            removed += count
        return out, removed
    return value, 0


def _scrub_column(rows: Iterable[Any], attribute: str, needles: _Needles) -> int:
    removed = 0
    for row in rows:
        new, count = _scrub(getattr(row, attribute), needles)
        if count:
            setattr(row, attribute, new)
            removed += count
    return removed


def _delete_eml(outbox_dir: str, message_id: str) -> bool:
    from feedback_app.services.mail.file import eml_filename

    message = EmailMessage()
    message["Message-ID"] = message_id
    path = Path(outbox_dir) / eml_filename(message)
    if path.is_file():
        path.unlink()
        return True
    return False


# ---------------------------------------------------------------- erase


def erase_person(email: str, *, actor: str = "cli", actor_user_id: int | None = None) -> ErasureReport:
    """Erase everything identifying the person with this email; keep anonymous counts."""
    customers = require_customers(email)
    report = ErasureReport()
    texts: list[str] = [normalise_email(email)]
    now = utcnow()
    outbox_dir = current_app.config.get("MAIL_OUTBOX_DIR")

    responses: list[Response] = []
    for customer in customers:
        texts += [t for t in (customer.email, customer.phone, customer.name) if t]
        for invitation in customer.invitations:
            report.invitations += 1
            invitation.token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()  # the link is dead
            if invitation.response is not None:
                responses.append(invitation.response)

    for response in responses:
        kept, removed = split_answers(response)
        texts += removed
        texts.append(reason_text(response))  # the text the analysis read (and its cache is keyed by)
        if response.redacted_text:
            texts.append(response.redacted_text)
        response.answers = kept
        response.redacted_text = None
        response.text_purged_at = now
        report.responses += 1
        for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.response_id == response.id)):
            db.session.delete(follow_up)
            report.follow_ups += 1

    customer_ids = [c.id for c in customers]
    for email_row in db.session.scalars(
        select(OutboxEmail).where(
            (OutboxEmail.customer_id.in_(customer_ids))
            | (func.lower(OutboxEmail.recipient) == normalise_email(email))
        )
    ):
        if outbox_dir and _delete_eml(outbox_dir, email_row.message_id):
            report.eml_files += 1
        db.session.delete(email_row)
        report.outbox_emails += 1

    erased_texts, erased_rows = conversation_privacy.erase(customer_ids)  # issue 23: tickets, interviews
    texts += erased_texts
    report.other_records += erased_rows

    needles = _Needles(texts)
    report.quotes = _scrub_column(db.session.scalars(select(Theme)), "quotes", needles)
    report.other_records += _scrub_column(db.session.scalars(select(ActionItem)), "evidence", needles)
    report.other_records += _scrub_column(
        db.session.scalars(select(AnalysisRun).where(AnalysisRun.memory.is_not(None))), "memory", needles
    )
    report.other_records += _scrub_column(db.session.scalars(select(AuditEvent)), "details", needles)
    report.other_records += _drop_run_organisations({str(r.id) for r in responses})
    for theme in db.session.scalars(select(Theme)):
        for attribute in ("label", "human_label"):
            if getattr(theme, attribute) and needles.contained_in(getattr(theme, attribute)):
                setattr(theme, attribute, ERASED if attribute == "label" else None)
                report.other_records += 1

    for customer in customers:
        customer.email = None
        customer.phone = None
        customer.name = None
        customer.company = None
        customer.external_id = f"erased-{customer.id}"
        customer.contact_consent = False
        customer.opted_out = True
        customer.erased_at = now
        report.customers += 1
    report.customer_ids = customer_ids

    report.cache_entries = _forget_in_nlp_cache(texts)
    audit.record(
        "customer.erase",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="departed_customer",
        target_id=",".join(str(i) for i in customer_ids)[:64],
        **report.as_dict(),
    )
    db.session.commit()
    checkpoint_sqlite_wal()
    return report


def _drop_run_organisations(response_ids: set[str]) -> int:
    """Remove the organisation names runs found in these answers (``counts["organisations"]``)."""
    changed = 0
    for run in db.session.scalars(select(AnalysisRun)):
        found = (run.counts or {}).get("organisations") or {}
        if isinstance(found, dict) and response_ids & set(found):
            run.counts = {
                **run.counts,
                "organisations": {k: v for k, v in found.items() if k not in response_ids},
            }
            changed += 1
    return changed


def _forget_in_nlp_cache(texts: list[str]) -> int:
    """Delete the NLP cache's entries for the person's texts and everything derived from them,
    and the root-cause heads that learnt from the team's corrections (their vocabulary may hold
    the person's words; the next run retrains from the rows that remain)."""
    folder = current_app.config.get("NLP_CACHE_DIR")
    if not folder:
        return 0
    from nlp.cache import forget_texts
    from nlp.classifier import remove_corrected_models

    return forget_texts(Path(folder), [t for t in texts if t]) + remove_corrected_models(Path(folder))


def checkpoint_sqlite_wal() -> None:
    """On SQLite, copy the write-ahead log into the database and truncate it, so pages holding
    data just erased do not linger in the ``-wal`` file until the next automatic checkpoint.
    (PostgreSQL keeps old row versions until VACUUM reuses them; see SECURITY.md.)"""
    if db.engine.dialect.name != "sqlite" or db.engine.url.database in (None, "", ":memory:"):
        return
    with db.engine.connect() as connection:
        busy, _pages, _done = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    if busy:
        log.warning(
            "WAL checkpoint after an erasure was blocked by a reader; it completes at the next checkpoint"
        )
