"""Language codes as customers' systems send them (``pt-BR``, ``de_DE``, ``ES``), checked once.

Every door a language comes in by (CSV, the departures API, billing webhooks, survey files, the
respondent's language switch) uses :func:`check_language`, so they all accept and refuse the
same values and store the same form: the primary language subtag in lower case (``pt``).
"""

from __future__ import annotations

import re

#: The languages the respondent's pages and emails are translated into (``feedback_app/translations``).
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "de", "fr", "pt")
#: Their names, written in the language itself, for the language switch on the survey page.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "pt": "Português",
}
# A BCP 47 tag's shape: a 2-3 letter language, then optional subtags (script, region, variant);
# POSIX locales (``de_DE``, ``pt_BR.UTF-8``) are accepted too, their encoding ignored.
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*(?:\.[A-Za-z0-9-]+)?$")


class InvalidLanguage(ValueError):
    """A value that is not a language code; the message says what was given and what is expected."""


def check_language(value: object) -> str:
    """The primary language subtag of ``value`` (``"pt-BR"`` -> ``"pt"``); InvalidLanguage otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidLanguage(f"{value!r} is not a language code; write one such as en, es, de-DE or pt_BR")
    match = _TAG.match(value.strip())
    if match is None:
        raise InvalidLanguage(
            f"{value.strip()[:40]!r} is not a language code; write one such as en, es, de-DE or pt_BR"
        )
    return match.group(1).lower()
