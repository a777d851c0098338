"""Small pieces the dashboard's views share: who acts, which page of a list, the themes to pick from."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm

# The reports' lists page as every other list does (re-exported for the views).
from feedback_app.pagination import PER_PAGE as PER_PAGE
from feedback_app.services.insights import theme_picks

#: The highest page number read from a query; a larger one (``?page=999...9``) would overflow the
#: database's integer OFFSET, and any page past the last shows the empty list anyway.
MAX_PAGE = 1_000_000


def actor() -> dict[str, Any]:
    """The signed-in staff member, as services record them in the audit log."""
    return {"actor": current_user.email, "actor_user_id": current_user.id}


def form_errors(form: FlaskForm) -> str:
    """A form's error messages in one line, for the flash message of a form that posts and redirects."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def page_number(name: str = "page") -> int:
    """The ``page`` query argument, or ``name`` on a page with two lists (1 when missing or not a
    number, at most :data:`MAX_PAGE`)."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get(name, 1))))
    except ValueError:
        return 1


def theme_choices() -> list[tuple[int, str]]:
    """The themes a person can act on now, as (id, label) choices (see :mod:`.theme_picks`)."""
    return [(p.theme.id, p.label) for p in theme_picks.theme_picks()]


def grouped_theme_choices(*, exclude: int | None = None) -> dict[str, list[tuple[int, str]]]:
    """The themes a person can act on now, grouped by root cause (one ``<optgroup>`` each, causes
    and themes alphabetical): with fifty-odd themes a flat list hides which "Unhelpful support" is
    meant, and moving an answer to another cause means finding that cause's themes."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for pick in theme_picks.theme_picks():
        if pick.theme.id != exclude:
            groups.setdefault(pick.cause, []).append((pick.theme.id, pick.label))
    return {
        cause: sorted(groups[cause], key=lambda c: c[1].lower()) for cause in sorted(groups, key=str.lower)
    }


def first_two_ids(groups: dict[str, list[tuple[int, str]]]) -> tuple[int | None, int | None]:
    """The first two themes of grouped choices, so a merge form's two boxes start on different
    themes (both on the first one read as "merge this theme into itself")."""
    ids = [value for choices in groups.values() for value, _label in choices]
    return (ids[0] if ids else None, ids[1] if len(ids) > 1 else None)
