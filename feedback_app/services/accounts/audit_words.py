"""A recorded audit detail in words: its key's name and its value as people read them.

Details are stored as the code's own keys and values (``holdout_share: 0.2``, ``theme_id: 4``,
``picked_by: "threshold"``); the audit page reads "Hold-out share: 20%", the theme's name and
"Picked by: the lifetime-value threshold", "Source: CSV upload", "Status: Shipped" instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from feedback_app.models import ACTION_STATUS_NAMES, API_SCOPES, ROLE_NAMES, WEBHOOK_EVENTS
from feedback_app.services.conversations.browse import ORIGIN_NAMES
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights.billing_counts import SOURCE_LABELS
from feedback_app.services.insights.statistics import percent

#: Detail keys whose plain "key made into words" reads wrong.
DETAIL_NAMES = {
    "holdout_share": "Hold-out share",
    "theme_id": "Theme",
    "new_theme_id": "New theme",
    "picked_by": "Picked by",
    "filename": "File name",
    "url": "URL",
    "delivery_id": "Delivery",
    "event_id": "Webhook id",
}

#: Stored code values of one detail key, in words.
DETAIL_VALUES: dict[str, dict[str, str]] = {
    "picked_by": {"threshold": "the lifetime-value threshold", "hand": "a person, by hand"},
    **dict.fromkeys(("role", "old_role", "new_role"), ROLE_NAMES),
    "format": ORIGIN_NAMES,  # where imported tickets came from ("Zendesk", "Demo data")
    "status": ACTION_STATUS_NAMES,  # an action item's new status ("Shipped")
    "scopes": API_SCOPES,  # what a new API key may do ("Send departed customers"), not "departures:write"
    "events": WEBHOOK_EVENTS,  # what a new webhook is sent ("A former customer answered")
}

#: Who acted, when it was not a person signed in: the code's names for its own callers, in words.
ACTOR_NAMES = {
    "system": "Afterword (automatic)",
    "job": "Afterword (scheduled job)",
    "cli": "Command line",
    "demo": "Demo data loader",
    "respondent": "The former customer",
    "web": "Dashboard",
}


def actor_words(actor: str) -> str:
    """Who acted, in words: a caller's name ("Command line" for ``cli``), else as recorded."""
    return ACTOR_NAMES.get(actor, actor)


def key_words(key: str) -> str:
    """A detail key as a label ("Hold-out share" for ``holdout_share``, "Dry run" for ``dry_run``)."""
    return DETAIL_NAMES.get(key) or key.replace("_", " ").replace(".", " ").strip().capitalize()


def is_theme_key(key: str) -> bool:
    """Whether a detail holds a theme's id (``theme_id``, ``new_theme_id``)."""
    return key == "theme_id" or key.endswith("_theme_id")


def theme_ids(details: Iterable[Mapping[str, Any] | None]) -> set[int]:
    """The theme ids the details name, so one query can fetch their names."""
    return {
        int(value)
        for detail in details
        for key, value in (detail or {}).items()
        if is_theme_key(key) and str(value).isdigit()
    }


def source_words(action: str, value: str) -> str:
    """Where an import came from: the counts' source by its name ("CSV upload"), a customer import's
    as the customer pages write it ("CRM"); a merged or split theme is the theme's name, quoted."""
    if action.startswith("theme."):
        return f"\u201c{value}\u201d"
    return SOURCE_LABELS.get(value) or data_words(value)


def special_value(key: str, value: Any, themes: Mapping[int, str], action: str = "") -> str | None:
    """The value in words where the key (and for ``source`` the event's ``action``) says what it
    means (a share, a theme, a code word, nothing recorded); None when the general rules apply."""
    if value is None:
        return "none"  # no file name for data loaded without a file, say
    if key == "source" and isinstance(value, str):
        return source_words(action, value)
    if key.endswith("_share") and isinstance(value, int | float) and not isinstance(value, bool):
        return percent(value)
    if is_theme_key(key) and str(value).isdigit():
        name = themes.get(int(value))
        return f"\u201c{name}\u201d" if name else f"#{value}"
    words = DETAIL_VALUES.get(key, {})
    if words and isinstance(value, list | tuple) and value:  # a list of codes: each in words
        return "; ".join(words.get(str(item), str(item)) for item in value)
    return words.get(value) if isinstance(value, str) else None
