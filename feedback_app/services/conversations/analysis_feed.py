"""Conversations in the analysis: what a run reads from them, where their themes are kept, and
which theme each conversation belongs to now (the same rules as answers: a human move beats the
latest full run, which beats an incremental assignment).

A run reads every ticket, interview and billing-portal reason with redacted text (already
redacted when it was stored) under the id ``c<conversation id>``, beside the survey answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import AnalysisRun, Conversation, ConversationAssignment, DepartedCustomer, Theme
from feedback_app.services.insights import assignment

if TYPE_CHECKING:
    from nlp import Assignment

log = logging.getLogger(__name__)

KEY_PREFIX = "c"
#: Interviews only speak once held; a scheduled or cancelled one has no notes yet.
ANALYSED_STATUSES = ("open", "closed", "held", "given")
#: Conversations whose incremental guesses one statement removes (a bound list's size).
DROP_CHUNK = 500


@dataclass
class Item:
    key: str
    text: str


def owns(item_id: str) -> bool:
    """Whether a pipeline id names a conversation (not a survey answer)."""
    return item_id.startswith(KEY_PREFIX)


def conversation_id(item_id: str) -> int:
    """The conversation a pipeline id (``c<id>``) names."""
    return int(item_id[len(KEY_PREFIX) :])


def items(parameters: dict[str, Any]) -> list[Item]:
    """The conversations a run with these parameters reads (none for a run about one survey)."""
    if parameters.get("survey"):
        return []
    query = (
        select(Conversation.id, Conversation.redacted_text)
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(
            Conversation.redacted_text.is_not(None),
            Conversation.redacted_text != "",
            Conversation.status.in_(ANALYSED_STATUSES),
            DepartedCustomer.erased_at.is_(None),
        )
        .order_by(Conversation.id)
    )
    if parameters.get("since"):
        since = datetime.combine(date.fromisoformat(parameters["since"]), time.min, tzinfo=UTC)
        query = query.where(Conversation.opened_at >= since)
    # the query leaves out conversations without text; the check narrows the type
    return [Item(f"{KEY_PREFIX}{cid}", text) for cid, text in db.session.execute(query) if text is not None]


def store(
    run: AnalysisRun, assignments: Iterable[Assignment], themes_by_key: dict[str, Theme]
) -> tuple[int, int]:
    """Store a run's themes for conversations; returns (assigned, non-answers). The run decides the
    themes of what it read: an incremental guess made when a conversation came in goes (one the run
    finds no answer keeps no theme), as for answers (``runs._drop_incremental``)."""
    assigned = non_answers = 0
    given = list(assignments)
    read = [conversation_id(item.id) for item in given]
    for start in range(0, len(read), DROP_CHUNK):
        db.session.execute(
            delete(ConversationAssignment).where(
                ConversationAssignment.conversation_id.in_(read[start : start + DROP_CHUNK]),
                ConversationAssignment.source == "incremental",
            )
        )
    for item in given:
        conversation = db.session.get(Conversation, conversation_id(item.id))
        if conversation is None:
            continue
        conversation.sentiment = float(item.sentiment)
        if assignment.add_run_rows(
            ConversationAssignment, run, item, themes_by_key, conversation_id=conversation.id
        ):
            assigned += 1
        else:
            non_answers += 1
    db.session.flush()
    return assigned, non_answers


def current_themes(conversation_ids: Iterable[int] | None = None) -> dict[int, Theme]:
    """Each conversation's main theme now, by the answers' rules (:func:`assignment.main_themes`)."""
    return assignment.main_themes(ConversationAssignment, conversation_ids)


# ---------------------------------------------------------------- incremental


def assign(conversation_id: int) -> ConversationAssignment | None:
    """Give one new or changed conversation its theme now, without a full run (nothing before
    the first successful run, or for a conversation with no words)."""
    from feedback_app.services.insights import incremental

    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.redacted_text or conversation.status not in ANALYSED_STATUSES:
        return None
    assigner = incremental.text_assigner()
    if assigner is None:
        return None
    result = assigner.assign(conversation.redacted_text)
    conversation.sentiment = float(result.sentiment)
    key = result.theme_id
    theme = db.session.scalar(select(Theme).where(Theme.stable_key == key)) if key is not None else None
    db.session.execute(
        delete(ConversationAssignment).where(
            ConversationAssignment.conversation_id == conversation.id,
            ConversationAssignment.source == "incremental",
        )
    )
    link = None
    if theme is not None:
        link = ConversationAssignment(
            run_id=None,
            conversation_id=conversation.id,
            theme_id=assignment.resolve_theme(theme).id,
            is_primary=True,
            source="incremental",
            confidence=max(0.0, min(1.0, float(result.confidence))),
        )
        db.session.add(link)
    db.session.commit()
    return link


@job("conversations.assign")
def assign_job(conversation_ids: list[int]) -> int:
    done = 0
    for conversation_id in conversation_ids:
        try:
            done += assign(conversation_id) is not None
        except (ValueError, RuntimeError) as exc:  # one conversation must not stop the rest
            db.session.rollback()
            log.warning("conversation %s not assigned: %s", conversation_id, exc)
    from feedback_app.services.conversations import complaint_queue

    complaint_queue.refresh()
    return done


def pending_ids(since: datetime, limit: int) -> list[int]:
    """Conversations stored since ``since`` (the latest successful run's start) whose incremental
    assignment never ran, e.g. its job was lost while the broker was down: words to read, and
    no sentiment yet (:func:`assign` sets it even when it finds no theme, so each is read once)."""
    assigned = select(ConversationAssignment.id).where(
        ConversationAssignment.conversation_id == Conversation.id
    )
    query = (
        select(Conversation.id)
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(
            Conversation.created_at >= since,
            Conversation.redacted_text.is_not(None),
            Conversation.redacted_text != "",
            Conversation.status.in_(ANALYSED_STATUSES),
            Conversation.sentiment.is_(None),
            DepartedCustomer.erased_at.is_(None),
            ~assigned.exists(),
        )
        .order_by(Conversation.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def queue_assignment(conversation_ids: list[int]) -> None:
    """Queue the incremental assignment of these conversations once themes exist."""
    from feedback_app.services.insights import pipeline, runs

    if conversation_ids and runs.has_succeeded_run() and pipeline.pipeline_available():
        enqueue("conversations.assign", conversation_ids=list(conversation_ids))
