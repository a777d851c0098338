"""Which of a survey's languages a respondent reads it in.

The order, first match wins: the language the respondent picked on the page, the customer's
language from intake (CSV, API, billing webhook), the browser's ``Accept-Language``, the survey's
default. Only languages the survey is written in can be chosen, so the page never mixes a
translated frame with untranslated questions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feedback_app.services.validation.languages import InvalidLanguage, check_language


def _known(value: str | None, available: Sequence[str]) -> str | None:
    if not value:
        return None
    try:
        code = check_language(value)
    except InvalidLanguage:
        return None  # a hand-edited ?lang= or a stale column falls through to the next rule
    return code if code in available else None


def choose_language(
    available: Sequence[str],
    default: str,
    *,
    picked: str | None = None,
    customer: str | None = None,
    browser: Callable[[Sequence[str]], str | None] | None = None,
) -> str:
    """The page language; ``browser`` is ``request.accept_languages.best_match`` (or None)."""
    return (
        _known(picked, available)
        or _known(customer, available)
        or (_known(browser(list(available)), available) if browser else None)
        or default
    )
