"""Finding a person's records by email, and telling their free-text answers from the rest:
what export, erasure and retention all start from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Response
from feedback_app.services.surveys.question_types import QUESTION_TYPES


class PrivacyError(ValueError):
    """A user-facing problem: no such person, or a bad setting."""


def normalise_email(email: str) -> str:
    """The address as records are matched on (trimmed, lower case)."""
    return (email or "").strip().lower()


def customers_with_email(email: str) -> list[DepartedCustomer]:
    """Every departed-customer record with this email (one per source system), not yet erased."""
    address = normalise_email(email)
    if "@" not in address:
        raise PrivacyError(f"{email!r} is not an email address.")
    return list(
        db.session.scalars(
            select(DepartedCustomer)
            .where(func.lower(DepartedCustomer.email) == address)
            .order_by(DepartedCustomer.id)
        )
    )


def require_customers(email: str) -> list[DepartedCustomer]:
    """:func:`customers_with_email`, refusing an address that names no one."""
    customers = customers_with_email(email)
    if not customers:
        raise PrivacyError(
            f"No customer with email {normalise_email(email)} (already erased, or never imported)."
        )
    return customers


def free_text_question_ids(definition: dict[str, Any] | None) -> set[str]:
    """Question ids whose answers are free text (unknown types count as free text, to be safe)."""
    ids = set()
    for question in (definition or {}).get("questions") or []:
        if not isinstance(question, dict) or "id" not in question:
            continue
        kind = QUESTION_TYPES.get(str(question.get("type")))
        if kind is None or kind.is_free_text:
            ids.add(str(question["id"]))
    return ids


def split_answers(response: Response) -> tuple[dict[str, Any], list[str]]:
    """(answers without free text, the free texts removed). Keys not in the survey count as free text."""
    definition = response.survey_version.definition if response.survey_version else {}
    known = {str(q.get("id")) for q in (definition or {}).get("questions") or [] if isinstance(q, dict)}
    text_ids = free_text_question_ids(definition)
    kept: dict[str, Any] = {}
    removed: list[str] = []
    for key, value in (response.answers or {}).items():
        if key in text_ids or key not in known:
            removed.extend(strings(value))
        else:
            kept[key] = value
    return kept, removed


def strings(value: Any) -> list[str]:
    """Every string inside an answer value (nested lists and dicts included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []
