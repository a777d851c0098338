"""Helpers shared by the survey tests: a live invitation on a real shipped survey, and form posts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from feedback_app.models import Response, Survey
from feedback_app.services.responses import submission as response_service
from feedback_app.services.surveys import versions as survey_service
from tests.helpers import csrf_token

SURVEYS_DIR = Path(__file__).resolve().parents[2] / "surveys"

#: A complete, valid answer to the SaaS cancellation survey, as a browser posts it.
GOOD_SAAS_POST = {
    "q_main_reason": "switched_competitor",
    "q_what_happened": "The reporting was too slow for our month-end close.",
    "q_nps": "3",
    "q_competitor": "ClickStack",
    "q_win_back": "Faster reports",
    "q_contact_ok": "yes",
}


def shipped_survey(name: str = "saas_cancellation") -> Survey:
    """Load a shipped survey file through the real loader and return its row."""
    outcome = survey_service.store_definition(survey_service.read_definition(SURVEYS_DIR / f"{name}.yaml"))
    from feedback_app.extensions import db

    return db.session.scalar(select(Survey).where(Survey.key == outcome.key))


def post_survey(client, token: str, data: dict[str, Any], page=None):
    """Submit the survey form the way a browser does: GET the page, then POST with its CSRF token."""
    page = page or client.get(f"/s/{token}")
    return client.post(f"/s/{token}", data={**data, "csrf_token": csrf_token(page), "version": "1"})


def response_count(db) -> int:
    """Responses stored, read afresh from the database."""
    db.session.expire_all()
    return db.session.scalar(select(func.count(Response.id)))


def submit_as_the_page_does(token: str, answers: dict):
    """The survey page's POST path below the view: the invitation looked up, then the write."""
    from feedback_app.services.responses.links import find_invitation
    from feedback_app.services.surveys.versions import current_version

    invitation = find_invitation(token)
    return response_service.submit_response(invitation, current_version(invitation.survey), answers)
