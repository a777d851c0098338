"""Building answered surveys with themes already assigned, as a finished analysis run leaves them.

Fast tests need no model: they store what a run stores (a succeeded AnalysisRun, Theme rows
keyed by stable id, one primary ThemeAssignment per answer), then check the figures and pages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from feedback_app.models import (
    AnalysisRun,
    Conversation,
    ConversationAssignment,
    Theme,
    ThemeAssignment,
    utcnow,
)

SAAS_LIKE = {
    "key": "exit",
    "version": 1,
    "title": "Why did you leave?",
    "intro": "A few questions.",
    "questions": [
        {
            "id": "main_reason",
            "type": "single_choice",
            "prompt": "Main reason?",
            "required": True,
            "options": [
                {"value": "too_expensive", "label": "Price"},
                {"value": "poor_support", "label": "Support"},
            ],
        },
        {
            "id": "what_happened",
            "type": "long_text",
            "prompt": "What happened?",
            "required": True,
            "analyze": True,
        },
        {"id": "nps", "type": "nps", "prompt": "Recommend?", "required": False},
        {
            "id": "competitor",
            "type": "competitor",
            "prompt": "Moved to?",
            "required": False,
            "suggestions": ["ClickStack", "Asanda"],
        },
        {"id": "contact_ok", "type": "yes_no", "prompt": "May we contact you?", "required": True},
    ],
}


def written_in(definition: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """``definition`` declared in ``languages``, each text the same in all of them: enough for tests
    of which language is picked."""

    def each(text: str) -> dict[str, str]:
        return {language: text for language in languages}

    questions = []
    for question in definition["questions"]:
        question = {**question, "prompt": each(question["prompt"])}
        if "options" in question:
            question["options"] = [{**o, "label": each(o["label"])} for o in question["options"]]
        questions.append(question)
    return {
        **definition,
        "languages": languages,
        "default_language": languages[0],
        "title": each(definition["title"]),
        "intro": each(definition["intro"]),
        "questions": questions,
    }


class World:
    """A survey, a succeeded run, and helpers to add themed answers."""

    def __init__(
        self, make, db, run_counts: dict[str, Any] | None = None, languages: list[str] | None = None
    ) -> None:
        self.make, self.db = make, db
        self.survey = make.survey(definition=SAAS_LIKE)
        if languages:
            self.survey.versions[0].definition = written_in(SAAS_LIKE, languages)
        self.run = AnalysisRun(
            status="succeeded",
            progress=1.0,
            stage="done",
            counts=run_counts or {},
            finished_at=utcnow(),
            memory=None,
        )
        db.session.add(self.run)
        db.session.commit()
        self.themes: dict[str, Theme] = {}

    def theme(self, key: str, label: str, category: str = "emerging", **fields: Any) -> Theme:
        theme = Theme(
            stable_key=key,
            label=label,
            category=category,
            keywords=fields.pop("keywords", [label.lower()]),
            quotes=fields.pop("quotes", [f"A quote about {label.lower()}."]),
            size=0,
            first_seen_run_id=self.run.id,
            last_seen_run_id=self.run.id,
            **fields,
        )
        self.db.session.add(theme)
        self.db.session.commit()
        self.themes[key] = theme
        return theme

    def ticket(
        self,
        theme: Theme,
        customer_id: int,
        *,
        text: str = "Support never answered.",
        status: str = "closed",
        opened_at: datetime | None = None,
        source: str = "batch",
        confidence: float | None = None,
    ) -> Conversation:
        """A support ticket of ``customer_id`` in ``theme``: by this run (``batch``), or guessed
        between runs (``incremental``, with no run)."""
        ticket = Conversation(
            customer_id=customer_id,
            kind="ticket",
            origin="csv",
            status=status,
            opened_at=opened_at or datetime(2026, 9, 1, tzinfo=UTC),
            redacted_text=text,
        )
        self.db.session.add(ticket)
        self.db.session.flush()
        self.db.session.add(
            ConversationAssignment(
                run_id=self.run.id if source == "batch" else None,
                conversation_id=ticket.id,
                theme_id=theme.id,
                source=source,
                confidence=confidence,
            )
        )
        self.db.session.commit()
        return ticket

    def answer(
        self,
        theme: Theme | None,
        *,
        text: str = "It cost too much.",
        reason: str = "too_expensive",
        nps: int | None = 5,
        contact_ok: str = "yes",
        competitor: str | None = None,
        submitted: datetime | None = None,
        source: str = "batch",
        sentiment: float | None = None,
        **customer: Any,
    ):
        customer.setdefault("left_at", date(2026, 10, 1))
        person = self.make.customer(**customer)
        invitation, _ = self.make.invitation(
            customer=person,
            survey=self.survey,
            status="sent",
            sent_at=datetime(2026, 10, 2, tzinfo=UTC),
            opened_at=datetime(2026, 10, 3, tzinfo=UTC),
        )
        answers: dict[str, Any] = {"main_reason": reason, "what_happened": text, "contact_ok": contact_ok}
        if nps is not None:
            answers["nps"] = nps
        if competitor:
            answers["competitor"] = competitor
        response = self.make.response(
            invitation=invitation,
            answers=answers,
            redacted_text=text,
            sentiment=sentiment,
            submitted_at=submitted or datetime(2026, 10, 4, tzinfo=UTC),
        )
        if theme is not None:
            self.db.session.add(
                ThemeAssignment(
                    run_id=self.run.id if source == "batch" else None,
                    response_id=response.id,
                    theme_id=theme.id,
                    is_primary=True,
                    confidence=0.9,
                    source=source,
                )
            )
            self.db.session.commit()
        return person, response
