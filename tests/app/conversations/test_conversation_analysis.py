"""Interviews and tickets analysed with the answers by the real pipeline (slow: loads the models)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.models import AnalysisRun, Conversation, ConversationAssignment, utcnow
from feedback_app.services.conversations import analysis_feed, interviews
from feedback_app.services.insights import assignment, incremental
from tests.app.insights.test_insights_pipeline import SUPPORT, _answers, _theme_of

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::ImportWarning")]


def test_a_run_gives_interviews_and_tickets_root_causes_and_themes(runner, make, db):
    _answers(make, db)
    person = make.customer(email="kim@example.com")
    interview = interviews.record(
        person,
        interviewer="Sam",
        held_on=date(2026, 10, 2),
        notes="Support never replied to our tickets for weeks, so we left.",
        actor="test",
    )
    agent_words = Conversation(
        customer_id=person.id,
        kind="ticket",
        origin="csv",
        external_id="T-1",
        status="open",
        opened_at=interview.opened_at,
        redacted_text="",
    )
    db.session.add(agent_words)
    db.session.commit()
    result = runner.invoke(args=["analyze", "run"])
    assert result.exit_code == 0, result.output
    run = db.session.scalar(select(AnalysisRun))
    assert run.status == "succeeded" and run.counts["conversations"] == 1 and run.counts["answers"] == 24
    theme = analysis_feed.current_themes()[interview.id]
    assert theme.id == _theme_of(SUPPORT[0], db).id and theme.category in ("support", "unresolved_complaint")
    # a new interview after the run is assigned at once, like a new answer
    later = interviews.record(
        make.customer(),
        interviewer="Sam",
        held_on=date(2026, 10, 3),
        notes="Nobody from customer service ever answered our emails.",
        actor="test",
    )
    link = db.session.scalar(
        select(ConversationAssignment).where(ConversationAssignment.conversation_id == later.id)
    )
    assert link is not None and link.source == "incremental"
    assert assignment.resolve_theme(link.theme).id == theme.id


def test_a_ticket_whose_assignment_job_was_lost_gets_its_theme_from_the_sweep(runner, make, db):
    """A ticket imported while Redis was down: its conversations.assign job is lost, and beat's
    analysis.assign_pending (the sweep for lost answers) gives it its theme too."""
    _answers(make, db)
    assert runner.invoke(args=["analyze", "run"]).exit_code == 0
    ticket = Conversation(
        customer_id=make.customer().id,
        kind="ticket",
        origin="csv",
        external_id="T-lost",
        status="closed",
        opened_at=utcnow(),
        redacted_text="Support never replied to our tickets for weeks, so we left.",
    )
    db.session.add(ticket)  # stored, but its assignment job never ran
    db.session.commit()

    assert incremental.assign_pending_job() == 1
    link = db.session.scalar(
        select(ConversationAssignment).where(ConversationAssignment.conversation_id == ticket.id)
    )
    assert link is not None and link.source == "incremental"
    assert incremental.assign_pending_job() == 0, "looked at once, not at every sweep"


def test_the_sweep_gives_a_lost_tickets_complaint_case_its_cause(runner, make, db):
    """The lost conversations.assign job refreshed the complaint queue after theming; the sweep that
    stands in for it did not, so the case the import opened kept no cause and no owning team until
    the next full run."""
    from datetime import UTC, datetime

    from feedback_app.models import ComplaintCase
    from feedback_app.services.conversations import complaint_queue

    _answers(make, db)
    assert runner.invoke(args=["analyze", "run"]).exit_code == 0
    customer = make.customer(left_at=date(2026, 10, 1))
    ticket = Conversation(
        customer_id=customer.id,
        kind="ticket",
        origin="csv",
        external_id="T-lost",
        status="open",
        opened_at=datetime(2026, 9, 25, tzinfo=UTC),
        redacted_text="Support never replied to our tickets for weeks, so we left.",
    )
    db.session.add(ticket)  # imported, but its assignment job never ran
    db.session.commit()
    complaint_queue.refresh()  # as the import does
    case = db.session.scalar(select(ComplaintCase).where(ComplaintCase.customer_id == customer.id))
    assert case is not None and case.cause_key is None

    assert incremental.assign_pending_job() == 1
    theme = analysis_feed.current_themes([ticket.id])[ticket.id]
    db.session.refresh(case)
    assert theme.category and case.cause_key == theme.category
