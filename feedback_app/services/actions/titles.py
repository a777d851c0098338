"""An action item's proposed title, and keeping it in step with its theme's label and cause."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import ActionItem, Theme
from feedback_app.services.insights import root_causes


def proposed_title(theme: Theme) -> str:
    """A proposed item's title in people's words: the root cause's name and the theme's label
    ("Price: Price went up twice"), or just the name when the label repeats it."""
    cause = root_causes.cause_name(theme.category or root_causes.EMERGING)
    label = " ".join(theme.display_label.split())
    return (cause if label.lower() == cause.lower() else f"{cause}: {label}")[:200]


def follow_theme(theme: Theme, before: str) -> int:
    """Retitle the theme's items whose title is still the one proposed from ``before`` (the
    theme's proposed title before a run relabelled it, a rename or a cause change), so a list
    never names a label the theme no longer has; a title a person typed differs and is kept.
    Returns how many were retitled; the caller commits."""
    now = proposed_title(theme)
    if now == before or theme.id is None:
        return 0
    items = list(
        db.session.scalars(
            select(ActionItem).where(ActionItem.theme_id == theme.id, ActionItem.title == before)
        )
    )
    for item in items:
        item.title = now
    return len(items)
