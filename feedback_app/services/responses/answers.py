"""Reading what a survey answer says: its free-text reason, score, competitor and contact wish.

One place decides which answer fields mean what, so metrics, analysis, reports and the loop
closing all agree. The text analysed is the survey's ``long_text`` questions marked
``analyze: true`` (in the SaaS survey: ``what_happened``), the written reason for leaving.
Short ``analyze: true`` questions such as ``win_back`` ("what would bring you back") are
about a remedy, not a cause, so they are left out of the root-cause themes.
"""

from __future__ import annotations

from typing import Any

from feedback_app.models import DepartedCustomer, Response
from feedback_app.services.surveys.versions import checked_definition

#: Fallback when a stored definition marks nothing: the SaaS survey's reason question.
DEFAULT_REASON_QUESTIONS = ("what_happened",)
SCORE_QUESTIONS = ("nps", "rating", "score")


def _is_reason_question(analyze: Any, type_name: Any) -> bool:
    return bool(analyze) and type_name == "long_text"


def reason_question_ids(definition: dict[str, Any] | None) -> list[str]:
    """The question ids whose answers are the written reason for leaving."""
    questions = (definition or {}).get("questions") or []
    ids = [
        q["id"]
        for q in questions
        if isinstance(q, dict) and _is_reason_question(q.get("analyze"), q.get("type"))
    ]
    return ids or list(DEFAULT_REASON_QUESTIONS)


def reason_text(response: Response) -> str:
    """The free-text reason of one response ('' when none or purged)."""
    if response.text_purged_at is not None:
        return ""
    definition = response.survey_version.definition if response.survey_version else None
    return join_reasons(response.answers, reason_question_ids(definition))


def join_reasons(answers: dict[str, Any] | None, question_ids: list[str]) -> str:
    """The written answers to ``question_ids``, one per line."""
    parts = []
    for qid in question_ids:
        value = (answers or {}).get(qid)
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
    return "\n".join(parts)


def score(answers: dict[str, Any] | None) -> float | None:
    """The satisfaction score (NPS 0-10, or a rating) as a number, or None."""
    for key in SCORE_QUESTIONS:
        value = (answers or {}).get(key)
        if value is None or value == "":
            continue
        try:
            return float(value)
        except (TypeError, ValueError):
            continue
    return None


def competitor(answers: dict[str, Any] | None) -> str | None:
    value = (answers or {}).get("competitor")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def main_reason(answers: dict[str, Any] | None) -> str | None:
    value = (answers or {}).get("main_reason")
    return value if isinstance(value, str) and value else None


def picked_label(response: Response) -> str | None:
    """The main reason they picked, as the survey's option reads (its default language); the
    response's survey version should already be loaded (one query per version otherwise)."""
    value = main_reason(response.answers)
    if value is None:
        return None
    definition = checked_definition(response.survey_version)  # labels in the survey's default language
    for question in definition.questions:
        if question.id == "main_reason":
            for option in question.options:
                if option.value == value:
                    return option.label
    return value.replace("_", " ")


#: Why we may not write to a former customer, in the order :func:`contact_refusal` checks them.
CONTACT_REFUSALS = ("erased", "no_address", "opted_out", "bounced", "said_no", "no_consent")


def contact_refusal(customer: DepartedCustomer | Any, answers: dict[str, Any] | None) -> str | None:
    """Why this former customer may not be written to about their answer (one of
    :data:`CONTACT_REFUSALS`), or None when they may: staff deciding whether to write need the
    reason, since an opt-out is final but a missing consent can be asked for another way.

    The survey's explicit ``contact_ok`` answer wins (a "no" there overrides an older CRM
    consent); without one, the consent imported with the customer decides. Opted-out, bounced
    and erased customers are never contactable.
    """
    if customer.erased_at:
        return "erased"
    if not customer.email:
        return "no_address"
    if customer.opted_out:
        return "opted_out"
    if customer.email_bounced_at:
        return "bounced"
    said = (answers or {}).get("contact_ok")
    if isinstance(said, bool):
        return None if said else "said_no"
    if isinstance(said, str) and said.strip():
        return None if said.strip().lower() in {"yes", "true", "1", "y"} else "said_no"
    return None if customer.contact_consent else "no_consent"


def may_contact(customer: DepartedCustomer | Any, answers: dict[str, Any] | None) -> bool:
    """Whether this former customer allows us to write to them about their answer
    (:func:`contact_refusal` gives the reason when not)."""
    return contact_refusal(customer, answers) is None
