"""The language of the emails that follow a survey ("we changed it", win-back offers).

A customer who was asked in German is told in German: the language is the one their survey
invitation went out in (:func:`emails.email_language`: their language from intake when the
survey is written in it, else the survey's default), taken from the emailed survey they answered,
else the latest one they were emailed. A customer never emailed a survey (e.g. one whose only
answer came from the billing provider's cancel form) gets their intake language when the emails
are translated into it, else English. The same rule picks the invitation's language, so there is
one rule, not two.

Only the default texts are translated; words staff wrote go out as they wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from babel import Locale
from flask_babel import get_locale, gettext
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import DepartedCustomer, Invitation, Survey
from feedback_app.services.outreach.emails import email_language
from feedback_app.services.surveys.language_choice import choose_language
from feedback_app.services.validation.languages import SUPPORTED_LANGUAGES

#: The language of a customer we know nothing about (the emails' source language).
FALLBACK = "en"
#: Before each customer's own opt-out link, in every follow-up email.
OPT_OUT = N_("No more emails from us:")


def with_text_footer(body: str, *lines: str) -> str:
    """A plain-text email body with its footer as every customer email ends (the invitation, the
    reminder, "we fixed it", a win-back or CPR offer): a blank line, ``--``, then the lines."""
    return body.rstrip("\n") + "\n\n--\n" + "\n".join(lines) + "\n"


def languages_for(customers: Sequence[DepartedCustomer]) -> dict[int, str]:
    """Each customer's email language by customer id, with one query for all of them."""
    surveys = _survey_of([c.id for c in customers])
    return {
        c.id: email_language(c, surveys[c.id])
        if c.id in surveys
        else choose_language(SUPPORTED_LANGUAGES, FALLBACK, customer=c.language)
        for c in customers
    }


def language_of(customer: DepartedCustomer) -> str:
    return languages_for([customer])[customer.id]


def _survey_of(customer_ids: list[int]) -> dict[int, Survey]:
    """The emailed survey each customer answered (the latest), else the latest they were emailed."""
    found: dict[int, Survey] = {}
    for start in range(0, len(customer_ids), 500):  # keeps the IN list within every database's limit
        rows = db.session.execute(
            select(Invitation.customer_id, Survey)
            .join(Survey, Invitation.survey_id == Survey.id)
            .where(
                Invitation.customer_id.in_(customer_ids[start : start + 500]),
                Invitation.sent_at.is_not(None),  # not the billing cancel form's answer, never emailed
            )
            .order_by(Invitation.completed_at.is_(None), Invitation.id.desc())
        )
        for customer_id, survey in rows:
            found.setdefault(customer_id, survey)
    return found


def language_name(code: str) -> str:
    """The language's name in the page's language ("German"), from Babel's locale data."""
    return str(Locale.parse(code).get_display_name(get_locale() or FALLBACK))


def count_by_language(languages: Iterable[str]) -> list[tuple[str, int]]:
    """How many customers get each language, most first, named for the page ("German", 3)."""
    counts: dict[str, int] = {}
    for code in languages:
        counts[code] = counts.get(code, 0) + 1
    named = [(language_name(code), n) for code, n in counts.items()]
    return sorted(named, key=lambda pair: (-pair[1], pair[0]))


def in_language(written: str | None, default: str) -> str:
    """Staff's own text as written; else the default text in the current email's language (call
    it inside ``force_locale``)."""
    return written or gettext(default)


def greeting_name(first_name: str | None) -> str:
    """The name in "Hello {first_name}": the first name, else a word that reads well without one."""
    return (first_name or "").strip() or gettext("there")
