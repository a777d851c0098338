"""Small pieces the dashboard's views share: who acts, which page of a list, the themes to pick from."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from feedback_app.services.insights import assignment

#: Rows per page on the reports' lists.
PER_PAGE = 25
#: The highest page number read from a query; a larger one (``?page=999...9``) would overflow the
#: database's integer OFFSET, and any page past the last shows the empty list anyway.
MAX_PAGE = 1_000_000


def actor() -> dict[str, Any]:
    """The signed-in staff member, as services record them in the audit log."""
    return {"actor": current_user.email, "actor_user_id": current_user.id}


def page_number() -> int:
    """The ``page`` query argument (1 when missing or not a number, at most :data:`MAX_PAGE`)."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
    except ValueError:
        return 1


def theme_choices() -> list[tuple[int, str]]:
    """The themes not merged away, as (id, label) choices for a pick list."""
    return [(t.id, t.display_label) for t in assignment.live_themes()]
