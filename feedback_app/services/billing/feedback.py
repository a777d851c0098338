"""The reason a customer picked and the words they wrote in a billing provider's cancel form.

Stored as a response to a built-in, inactive survey (``billing_cancellation``) so the analysis,
figures, follow-ups and exports read it exactly like survey text; ``Response.source`` names the
provider. The provider's code is kept as sent and also mapped to the SaaS survey's reasons.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Invitation, Response, Survey, utcnow
from feedback_app.services.responses.submission import response_stored
from feedback_app.services.surveys import versions as survey_versions
from feedback_app.services.validation.text_input import clean_text, is_blank

SURVEY_KEY = "billing_cancellation"
#: The reasons of ``surveys/saas_cancellation.yaml``, so both sources count in the same buckets.
REASONS: dict[str, str] = {
    "too_expensive": "It cost too much for what we got",
    "missing_features": "It was missing something we needed",
    "hard_to_use": "It was hard to use",
    "bugs_or_outages": "Bugs or outages",
    "poor_support": "Support did not help us",
    "switched_competitor": "We switched to another product",
    "no_longer_needed": "We no longer need it",
    "billing_problem": "A billing problem",
    "other": "Something else",
}
#: Provider codes (Stripe's ``cancellation_details.feedback``; common Chargebee and Paddle
#: reason codes, compared in lower case with non-letters as ``_``) to the reasons above.
PROVIDER_CODES: dict[str, str] = {
    "too_expensive": "too_expensive",
    "expensive": "too_expensive",
    "price": "too_expensive",
    "pricing": "too_expensive",
    "cost": "too_expensive",
    "budget": "too_expensive",
    "missing_features": "missing_features",
    "missing_feature": "missing_features",
    "features": "missing_features",
    "too_complex": "hard_to_use",
    "complex": "hard_to_use",
    "hard_to_use": "hard_to_use",
    "difficult_to_use": "hard_to_use",
    "low_quality": "bugs_or_outages",
    "quality": "bugs_or_outages",
    "bugs": "bugs_or_outages",
    "customer_service": "poor_support",
    "support": "poor_support",
    "poor_support": "poor_support",
    "switched_service": "switched_competitor",
    "switched": "switched_competitor",
    "competitor": "switched_competitor",
    "switched_competitor": "switched_competitor",
    "moved_to_competitor": "switched_competitor",
    "unused": "no_longer_needed",
    "not_using": "no_longer_needed",
    "no_longer_needed": "no_longer_needed",
    "not_needed": "no_longer_needed",
    "not_paid": "billing_problem",
    "no_card": "billing_problem",
    "payment_failed": "billing_problem",
    "other": "other",
}
DEFINITION: dict[str, Any] = {
    "key": SURVEY_KEY,
    "version": 1,
    "title": "Cancellation reason from the billing system",
    "intro": "Filled in from the billing provider's cancel form (Stripe, Chargebee or Paddle); never sent to anyone.",
    "questions": [
        {
            "id": "main_reason",
            "type": "single_choice",
            "prompt": "What was the main reason you cancelled?",
            "required": False,
            "options": [{"value": value, "label": label} for value, label in REASONS.items()],
        },
        {
            "id": "what_happened",
            "type": "long_text",
            "prompt": "Anything else you want to share?",
            "required": False,
            "analyze": True,
        },
        {
            "id": "billing_reason",
            "type": "short_text",
            "prompt": "Reason code in the billing system",
            "required": False,
            "max_length": 100,
        },
    ],
}


def mapped_reason(code: str | None) -> str | None:
    """The survey reason for a provider's code; ``other`` for a code we do not know, None for none."""
    if is_blank(code):
        return None
    normal = re.sub(r"[^a-z0-9]+", "_", str(code).strip().lower()).strip("_")
    return PROVIDER_CODES.get(normal, "other")


def clean_comment(comment: Any) -> str | None:
    """The customer's words: control characters removed, cut to ``FREE_TEXT_MAX_CHARS``; None when blank."""
    if not isinstance(comment, str) or is_blank(comment):
        return None
    text = clean_text(comment, multiline=True).strip()
    return text[: current_app.config["FREE_TEXT_MAX_CHARS"]]


def ensure_survey() -> Survey:
    """The built-in survey holding billing feedback, stored (inactive, never invited to) on first use."""
    survey = db.session.scalar(select(Survey).where(Survey.key == SURVEY_KEY))
    if survey is None or survey.current_version < 1:
        survey_versions.store_definition(DEFINITION, source="feedback_app/services/billing/feedback.py")
        survey = db.session.scalar(select(Survey).where(Survey.key == SURVEY_KEY))
        assert survey is not None
        survey.active = False
        db.session.commit()
    return survey


def store(
    customer_id: int,
    provider: str,
    code: str | None,
    comment: str | None,
    submitted_at: datetime | None = None,
    *,
    replace: bool = True,
) -> int | None:
    """Keep the picked reason and words as this customer's billing response (in the caller's
    transaction); the response id when something was created or changed, else None.

    ``replace=False`` (a late, older cancellation) keeps a response already stored: the newer
    cancellation's reason stands. So does a ``submitted_at`` before the stored response's (an
    older cancellation of the same day, delivered late)."""
    text = clean_comment(comment)
    code_text = clean_text(str(code), multiline=False).strip()[:100] if not is_blank(code) else None
    if text is None and code_text is None:
        return None
    survey = ensure_survey()
    version = survey_versions.current_version(survey)
    answers = {"main_reason": mapped_reason(code_text), "what_happened": text, "billing_reason": code_text}
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.customer_id == customer_id, Invitation.survey_id == survey.id)
    )
    now = submitted_at or utcnow()
    if invitation is None:
        token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()  # a link nobody holds
        invitation = Invitation(
            customer_id=customer_id,
            survey_id=survey.id,
            token_hash=token_hash,
            status="completed",
            completed_at=now,
        )
        db.session.add(invitation)
        db.session.flush()
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is None:
        response = Response(
            invitation_id=invitation.id,
            survey_version_id=version.id,
            answers=answers,
            source=provider,
            submitted_at=now,
        )
        db.session.add(response)
    elif (
        not replace
        or (submitted_at is not None and submitted_at < response.submitted_at)
        or (response.answers == answers and response.source == provider)
    ):
        return None
    else:  # a later cancellation: its reason replaces the earlier one, to be analysed again
        response.answers, response.source, response.submitted_at = answers, provider, now
        response.redacted_text, response.sentiment, response.text_purged_at = None, None, None
    db.session.flush()
    response_stored(response.id)
    return response.id
