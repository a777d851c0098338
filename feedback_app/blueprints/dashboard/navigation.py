"""The dashboard's top menu: which sections a role sees and which one the current page is in."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request, url_for
from flask_babel import gettext
from flask_login import current_user

from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.i18n import N_


@dataclass(frozen=True)
class Section:
    label: str
    endpoint: str
    roles: tuple[str, ...]
    #: Endpoint names (after ``dashboard.``) that belong to this section, prefixes allowed with ``*``.
    pages: tuple[str, ...]


ALL = ("admin", "cx", "product")
CX = ("admin", "cx")
SECTIONS = (
    Section(N_("Overview"), "dashboard.overview", ALL, ("index", "overview", "churn*", "fix_ledger")),
    Section(
        N_("Customers"),
        "dashboard.customers",
        CX,
        ("customer", "customers", "customer_*", "import_customers"),
    ),
    Section(N_("Email"), "dashboard.outbox", CX, ("outbox*", "invitation*")),
    Section(
        N_("Conversations"),
        "dashboard.conversations",
        CX,
        (
            "conversations",
            "conversation",
            "import_tickets_page",
            "interview*",
            "schedule_interview",
            "record_interview",
        ),
    ),
    Section(
        N_("Themes"),
        "dashboard.themes",
        ALL,
        (
            "themes",
            "theme",
            "theme_*",
            "cause",
            "analysis*",
            "merge_themes",
            "split_theme",
            "rename_theme",
            "move_answer",
        ),
    ),
    Section(N_("Summary"), "dashboard.summary", ALL, ("summary*",)),
    Section(
        N_("Action plan"), "dashboard.actions", ALL, ("action", "actions", "propose_actions", "close_loop*")
    ),
    Section(N_("Follow-ups"), "dashboard.follow_up_queue", CX, ("follow_up*", "complaint*")),
    Section(N_("Win-back"), "dashboard.win_back", CX, ("win_back", "campaign_*", "cpr_*")),
    Section(N_("Admin"), "dashboard.admin_users", ("admin",), ("admin_*",)),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _matches(endpoint: str, patterns: tuple[str, ...]) -> bool:
    name = endpoint.removeprefix("dashboard.")
    return endpoint.startswith("dashboard.") and any(
        name.startswith(p[:-1]) if p.endswith("*") else name == p for p in patterns
    )


def nav_items(role: str, endpoint: str | None) -> list[NavItem]:
    """The sections ``role`` may open, the one holding ``endpoint`` marked current."""
    return [
        NavItem(gettext(s.label), url_for(s.endpoint), endpoint is not None and _matches(endpoint, s.pages))
        for s in SECTIONS
        if role in s.roles
    ]


@bp.app_context_processor
def _navigation() -> dict[str, object]:
    """``staff_nav`` for the layout (empty for visitors and former customers)."""
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return {"staff_nav": []}
    return {"staff_nav": nav_items(current_user.role, request.endpoint)}
