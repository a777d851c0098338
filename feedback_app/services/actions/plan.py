"""The action plan: the top root causes by lost revenue, turned into owned, dated work.

Items are proposed from the themes that cost the most monthly revenue; the owner team and the
recommended actions come from the editable playbook (``feedback_app/playbook.yaml``), keyed by
the theme's root-cause category. An item is about a theme, a whole root cause (``cause_key``,
a taxonomy key), or both. Product users may edit the items their teams own (owner team
``product`` or ``engineering``); CX and admin users may edit any item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import (
    ACTION_STATUS_NAMES,
    ACTION_STATUSES,
    OWNER_TEAMS,
    ActionItem,
    StaffUser,
    Theme,
    utcnow,
)
from feedback_app.services.accounts import audit
from feedback_app.services.actions.titles import proposed_title
from feedback_app.services.insights import assignment, root_causes, theme_detail
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import (
    RootCauseFigures,
    ThemeFigures,
    root_cause_figures,
    theme_figures,
)
from feedback_app.services.insights.statistics import percent
from feedback_app.services.integrations import webhooks

PRODUCT_TEAMS = ("product", "engineering")
STATUS_LABELS = ACTION_STATUS_NAMES
#: The owning teams of ``models.OWNER_TEAMS`` by name.
TEAM_NAMES = {
    "product": N_("Product"),
    "engineering": N_("Engineering"),
    "support": N_("Support"),
    "billing": N_("Billing"),
    "marketing": N_("Marketing"),
    "operations": N_("Operations"),
    "legal": N_("Legal"),
}


class PlaybookError(ValueError):
    """The playbook file is unreadable or has an entry that is not valid; says which."""


class ActionPlanError(ValueError):
    """An edit that cannot be saved; the message names the field."""


class NothingToPlan(ActionPlanError):
    """A root cause no former customer has given: an item about it would have no evidence."""


@dataclass(frozen=True)
class Attachment:
    """What an item is about: a theme, a root cause (taxonomy key), or both."""

    theme_id: int | None
    cause_key: str | None


def subject(item: ActionItem) -> str:
    """What the item is about, as people read it: the theme's label, else the root cause's name."""
    if item.theme is not None:
        return item.theme.display_label
    if item.cause_key:
        return root_causes.cause_name(item.cause_key)
    return item.title


@dataclass(frozen=True)
class AboutPart:
    """One thing an item is attached to that its title does not already say: a theme (``ref`` its
    id) or a root cause (``ref`` its key), for the plan's "About" column to name and link."""

    kind: str
    ref: str
    name: str


def about(item: ActionItem) -> list[AboutPart]:
    """The theme and root cause the item is attached to, less those its title already names: a
    proposed title ("Price: Price went up") says both, so the plan's "About" column stays empty
    rather than repeat it; a typed title ("Warn customers before a price change") gets both, linked,
    even where a name is a word of it: only the proposed title's parts, whole, count as naming."""
    title = " ".join(item.title.split()).casefold()
    named = {title, *(part.strip() for part in title.split(":"))}
    parts = []
    if item.theme is not None:
        parts.append(AboutPart("theme", str(item.theme.id), item.theme.display_label))
    cause = cause_of(item)
    if cause:
        parts.append(AboutPart("cause", cause, root_causes.cause_name(cause)))
    return [part for part in parts if " ".join(part.name.split()).casefold() not in named]


def counted_theme(item: ActionItem) -> Theme | None:
    """The theme the answers of the item's theme count toward now: the theme itself, or the one it
    was merged into (a merge says the two are one reason; its close-the-loop recipients follow it),
    or, for a theme a re-run no longer finds, the one theme its answers moved to
    (:func:`assignment.theme_fate`)."""
    return assignment.theme_fate(item.theme).followed if item.theme is not None else None


def theme_fate(item: ActionItem) -> assignment.ThemeFate | None:
    """What became of the item's theme (None for an item about a whole root cause)."""
    return assignment.theme_fate(item.theme) if item.theme is not None else None


def cause_of(item: ActionItem) -> str | None:
    """The item's root cause: its own, else that of the theme its theme's answers count toward."""
    theme = counted_theme(item)
    return item.cause_key or (theme.category if theme is not None else None)


@dataclass(frozen=True)
class Play:
    owner_team: str
    due_days: int
    actions: tuple[str, ...]


def load_playbook(path: Path | None = None) -> dict[str, Play]:
    """Read and check the playbook: category -> owner team, due days and actions."""
    path = Path(path or current_app.config["PLAYBOOK_PATH"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError(f"{path}: cannot read the playbook ({exc}).") from exc
    if not isinstance(data, dict) or "default" not in data:
        raise PlaybookError(f"{path}: the playbook must map categories to entries and include 'default'.")
    plays = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise PlaybookError(f"{path}: entry {key!r} must be a mapping with owner_team and actions.")
        team = entry.get("owner_team")
        if team not in OWNER_TEAMS:
            raise PlaybookError(
                f"{path}: {key}.owner_team must be one of {', '.join(OWNER_TEAMS)}, got {team!r}."
            )
        actions = entry.get("actions")
        if (
            not isinstance(actions, list)
            or not actions
            or not all(isinstance(a, str) and a.strip() for a in actions)
        ):
            raise PlaybookError(f"{path}: {key}.actions must be a non-empty list of sentences.")
        due = entry.get("due_days", 30)
        if not isinstance(due, int) or due < 1:
            raise PlaybookError(f"{path}: {key}.due_days must be a whole number of days, at least 1.")
        plays[str(key)] = Play(team, due, tuple(a.strip() for a in actions))
    return plays


def play_for(category: str, playbook: dict[str, Play]) -> Play:
    return playbook.get(category) or playbook["default"]


def evidence_for(figures: ThemeFigures, held: dict[int, Theme] | None = None) -> dict[str, Any]:
    """The numbers and quotes that justify an item, frozen when it is proposed; the quotes come from
    the answers the theme holds now (:func:`theme_detail.current_quotes`, as its page shows them).
    Pass ``held`` (:func:`assignment.current_assignments`) to reuse it across themes."""
    return {
        "customers": figures.customers,
        "share": round(figures.share, 4),
        "mrr_lost_cents": figures.mrr_lost_cents,
        "ltv_lost_cents": figures.ltv_lost_cents,
        "avg_score": None if figures.avg_score is None else round(figures.avg_score, 1),
        "since": figures.first_seen.isoformat() if figures.first_seen else None,
        "quotes": theme_detail.current_quotes(figures.theme, held)[:3],
    }


def propose(
    *, top: int = 5, actor: str = "system", actor_user_id: int | None = None, today: date | None = None
) -> list[ActionItem]:
    """Add a proposed item for each of the ``top`` themes by lost revenue that has none yet."""
    playbook = load_playbook()
    today = today or date.today()
    planned = set(db.session.scalars(select(ActionItem.theme_id).where(ActionItem.theme_id.is_not(None))))
    created = []
    held = assignment.current_assignments()
    # a theme only heard from customers who count under another (figures.elsewhere) counts no one
    counted = [figures for figures in theme_figures(Filters(), with_trend=False) if figures.customers]
    for figures in counted[:top]:
        if figures.theme.id in planned:
            continue
        item = _proposed_item(
            Attachment(figures.theme.id, None),
            title=proposed_title(figures.theme),
            reason=_theme_reason(figures),
            evidence=evidence_for(figures, held),
            play=play_for(figures.theme.category, playbook),
            today=today,
        )
        audit.record(
            "action.propose",
            actor=actor,
            actor_user_id=actor_user_id,
            target_type="action_item",
            target_id=item.id,
            theme_id=figures.theme.id,
        )
        created.append(item)
    db.session.commit()
    return created


def _theme_reason(figures: ThemeFigures) -> str:
    """The item's opening root-cause note, in numbers, for an item about one theme."""
    theme = figures.theme
    return (
        f"{figures.customers} former customers ({percent(figures.share)} of themed answers) "
        f"left mainly because of \u201c{theme.display_label}\u201d "
        f"(root cause: {root_causes.cause_name(theme.category or root_causes.EMERGING)})."
    )


def _proposed_item(
    attachment: Attachment, *, title: str, reason: str, evidence: dict[str, Any], play: Play, today: date
) -> ActionItem:
    """A new ``proposed`` item with the playbook's owner team, actions and due date (flushed)."""
    item = ActionItem(
        theme_id=attachment.theme_id,
        cause_key=attachment.cause_key,
        title=title[:200],
        root_cause=reason,
        evidence=evidence,
        owner_team=play.owner_team,
        actions=list(play.actions),
        due_date=today + timedelta(days=play.due_days),
        status="proposed",
    )
    db.session.add(item)
    db.session.flush()
    return item


def existing_item(attachment: Attachment) -> ActionItem | None:
    """The open item already about exactly this theme (or this whole root cause), if any; a dropped
    item does not count, so a cause that came back can be planned again."""
    query = select(ActionItem).where(ActionItem.status != "dropped").order_by(ActionItem.id)
    if attachment.theme_id is not None:
        query = query.where(ActionItem.theme_id == attachment.theme_id)
    else:
        query = query.where(ActionItem.theme_id.is_(None), ActionItem.cause_key == attachment.cause_key)
    return db.session.scalars(query).first()


def plan(
    attachment: Attachment,
    *,
    actor: str = "system",
    actor_user_id: int | None = None,
    today: date | None = None,
    as_of: date | None = None,
) -> tuple[ActionItem, bool]:
    """Start an item about one theme or one whole root cause, from its page: the playbook's owner
    team, actions and due date, and today's evidence (all time, as :func:`propose` counts). A
    second click opens the item already there instead of adding a duplicate; returns
    ``(item, created)``. ``as_of`` proposes it on that earlier day instead: the evidence counts the
    customers who had left by then (as the item's page words it), and the proposal and due dates
    count from that day (the demo's shipped item was proposed before it shipped)."""
    if attachment.theme_id is None and not attachment.cause_key:
        raise ActionPlanError("Attach the item to a theme or a root cause.")
    if attachment.theme_id is None and not root_causes.is_cause(attachment.cause_key or ""):
        raise ActionPlanError(f"Root cause: {attachment.cause_key!r} is not a known root cause.")
    theme = db.session.get(Theme, attachment.theme_id) if attachment.theme_id is not None else None
    if attachment.theme_id is not None and theme is None:
        raise ActionPlanError(f"Theme: there is no theme {attachment.theme_id}.")
    if (found := existing_item(attachment)) is not None:
        return found, False
    playbook = load_playbook()
    evidence_filters = Filters(end=as_of)
    themes = theme_figures(evidence_filters, with_trend=False)
    if theme is not None:
        figures = next((f for f in themes if f.theme.id == theme.id), None) or ThemeFigures(theme=theme)
        category = theme.category or root_causes.EMERGING
        title, reason, evidence = proposed_title(theme), _theme_reason(figures), evidence_for(figures)
        attachment = Attachment(theme.id, None)
    else:
        category = attachment.cause_key or root_causes.EMERGING
        causes = root_cause_figures(evidence_filters, with_trend=False, themes=themes)
        cause = next((c for c in causes if c.key == category and c.customers), None)
        if cause is None:
            raise NothingToPlan(
                f"Nothing to plan yet: no former customer has given {root_causes.cause_name(category)} "
                "as their reason for leaving."
            )
        title = root_causes.cause_name(category)
        reason = (
            f"{cause.customers} former customers "
            f"({percent(cause.share)} of themed answers) left mainly because of "
            f"{title} (all its themes)."
        )
        evidence = cause_evidence(cause)
    item = _proposed_item(
        attachment,
        title=title,
        reason=reason,
        evidence=evidence,
        play=play_for(category, playbook),
        today=as_of or today or date.today(),
    )
    if as_of is not None:
        item.created_at = datetime.combine(as_of, time(12), tzinfo=UTC)
    audit.record(
        "action.create",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
        theme_id=attachment.theme_id,
        cause_key=attachment.cause_key,
    )
    db.session.commit()
    return item, True


def cause_customers(key: str) -> int:
    """How many former customers ever gave the root cause ``key`` (all time, as :func:`plan` counts)."""
    causes = root_cause_figures(
        Filters(), with_trend=False, themes=theme_figures(Filters(), with_trend=False)
    )
    return next((c.customers for c in causes if c.key == key), 0)


def cause_evidence(figures: RootCauseFigures | None) -> dict[str, Any]:
    """:func:`evidence_for` for a whole root cause: its numbers and the first quote of each of its top
    themes (from the answers each holds now)."""
    if figures is None:
        return {"customers": 0, "share": 0.0, "mrr_lost_cents": 0, "ltv_lost_cents": 0, "quotes": []}
    held = assignment.current_assignments()
    quotes: list[str] = []
    for item in figures.themes:
        if len(quotes) == 3:
            break
        quotes += theme_detail.current_quotes(item.theme, held)[:1]
    seen = [t.first_seen for t in figures.themes if t.first_seen]
    return {
        "customers": figures.customers,
        "share": round(figures.share, 4),
        "mrr_lost_cents": figures.mrr_lost_cents,
        "ltv_lost_cents": figures.ltv_lost_cents,
        "avg_score": None,
        "since": min(seen).isoformat() if seen else None,
        "quotes": quotes,
    }


def items(status: str | None = None) -> list[ActionItem]:
    """The action plan, largest monthly revenue lost (the evidence the page shows) first, whatever
    the status: the page is one table, and a shipped $14,204 item listed below $300 proposals read
    as unsorted. Dropped items, no longer work, come last."""
    query = select(ActionItem)
    if status:
        query = query.where(ActionItem.status == status)
    return sorted(
        db.session.scalars(query),
        key=lambda i: (i.status == "dropped", -(i.evidence or {}).get("mrr_lost_cents", 0), i.id),
    )


def item_count() -> int:
    """How many items the whole plan has, whatever their status: a status filter that matches none
    of them says the others are hidden, and an empty plan says how to start one."""
    return db.session.scalar(select(func.count()).select_from(ActionItem)) or 0


#: Statuses of work still to do: an item in one of them past its due date is late.
OPEN_STATUSES = ("proposed", "accepted", "in_progress")


def is_overdue(item: ActionItem, *, today: date | None = None) -> bool:
    """Whether the item is past its due date and neither shipped nor dropped: the action plan
    marks it, so a lead sees slipped work without reading every date against the calendar."""
    return (
        item.status in OPEN_STATUSES and item.due_date is not None and item.due_date < (today or date.today())
    )


def items_about_theme(theme: Theme) -> list[ActionItem]:
    """The items a theme's page lists: its own, those about a theme merged into it, and those about
    its whole root cause."""
    run = assignment.latest_run()
    return [
        i
        for i in items()
        if i.theme_id == theme.id
        or (i.theme is not None and assignment.theme_fate(i.theme, run).followed.id == theme.id)
        or (i.theme_id is None and i.cause_key == theme.category)
    ]


def can_edit(user: StaffUser, item: ActionItem) -> bool:
    """CX and admin edit any item; product users edit the items their teams own."""
    return user.role in ("admin", "cx") or (user.role == "product" and item.owner_team in PRODUCT_TEAMS)


def update(
    item: ActionItem,
    *,
    user: StaffUser,
    title: str,
    owner_team: str,
    status: str,
    actions: list[str],
    due_date: date | None,
    root_cause: str | None,
    attachment: Attachment | None = None,
) -> ActionItem:
    """Save an edit after checking each field; shipping stamps the date the loop may be closed from.
    ``attachment`` (None: unchanged) re-attaches the item to a theme and/or a root cause."""
    if not can_edit(user, item):
        raise PermissionError("Only CX, admin, or the owning product team may edit this item.")
    title = " ".join((title or "").split())
    if not title:
        raise ActionPlanError("Title: must not be empty.")
    if len(title) > 200:
        raise ActionPlanError("Title: must be at most 200 characters.")
    if owner_team not in OWNER_TEAMS:
        raise ActionPlanError(f"Owner team: must be one of {', '.join(OWNER_TEAMS)}.")
    if status not in ACTION_STATUSES:
        raise ActionPlanError(f"Status: must be one of {', '.join(ACTION_STATUSES)}.")
    if user.role == "product" and owner_team not in PRODUCT_TEAMS:
        raise ActionPlanError("Owner team: product users can hand items only to product or engineering.")
    actions = [a.strip() for a in actions if a.strip()]
    if not actions:
        raise ActionPlanError("Actions: list at least one action, one per line.")
    fields: list[tuple[str, Any]] = [
        ("title", title),
        ("owner_team", owner_team),
        ("status", status),
        ("actions", actions),
        ("due_date", due_date),
        ("root_cause", (root_cause or "").strip() or None),
    ]
    if attachment is not None:
        cause = attachment.cause_key or None
        if cause is not None and not root_causes.is_cause(cause):
            raise ActionPlanError(f"Root cause: {cause!r} is not a known root cause; pick one from the list.")
        if attachment.theme_id is not None and db.session.get(Theme, attachment.theme_id) is None:
            raise ActionPlanError(f"Theme: there is no theme {attachment.theme_id}.")
        if attachment.theme_id is None and cause is None:
            raise ActionPlanError("Attach the item to a theme or a root cause (or both).")
        fields += [("theme_id", attachment.theme_id), ("cause_key", cause)]
    changes = {}
    for name, value in fields:
        if getattr(item, name) != value:
            changes[name] = value.isoformat() if isinstance(value, date) else value
            setattr(item, name, value)
    if status == "shipped" and item.shipped_at is None:
        item.shipped_at = utcnow()
        _emit_shipped(item)
    if status != "shipped":
        item.shipped_at = None
    if changes:
        audit.record(
            "action.update",
            actor=user.email,
            actor_user_id=user.id,
            target_type="action_item",
            target_id=item.id,
            **changes,
        )
    db.session.commit()
    webhooks.kick()
    return item


def _emit_shipped(item: ActionItem) -> None:
    """``action.shipped``, in the transaction that ships the item (once per shipping)."""
    shipped_at = item.shipped_at
    if shipped_at is None:
        raise ValueError(f"action item {item.id} has no shipping time")
    webhooks.emit(
        "action.shipped",
        f"action:{item.id}:{shipped_at.isoformat()}",
        {
            "action_item_id": item.id,
            "title": item.title,
            "root_cause": cause_of(item),
            "theme_id": item.theme_id,
            "owner_team": item.owner_team,
            "shipped_at": shipped_at.isoformat().replace("+00:00", "Z"),
        },
    )


@dataclass
class Impact:
    """The theme's share of themed answers before and since the item shipped (same-length windows)."""

    before: float | None
    since: float | None
    days: int


def impact(item: ActionItem, *, today: date | None = None, max_days: int = 90) -> Impact | None:
    """Did shipping help? Compare the theme's share (or, for an item about a whole root cause,
    the cause's share) in the days since shipping with as many days before."""
    if item.status != "shipped" or item.shipped_at is None or (item.theme_id is None and not item.cause_key):
        return None
    theme = counted_theme(item)
    shipped = item.shipped_at.date()
    today = today or date.today()
    days = max(1, min(max_days, (today - shipped).days + 1))

    def share(start: date, end: date) -> float | None:
        figures = theme_figures(Filters(start=start, end=end), with_trend=False)
        if not figures:
            return None
        if theme is None:
            causes = root_cause_figures(Filters(start=start, end=end), with_trend=False, themes=figures)
            return next((c.share for c in causes if c.key == item.cause_key), 0.0)
        return next((f.share for f in figures if f.theme.id == theme.id), 0.0)

    return Impact(
        before=share(shipped - timedelta(days=days), shipped - timedelta(days=1)),
        since=share(shipped, shipped + timedelta(days=days - 1)),
        days=days,
    )


def current_figures(item: ActionItem, filters: Filters) -> ThemeFigures | RootCauseFigures | None:
    """The item's theme (or root cause) figures now, from the same query as the themes page."""
    themes = theme_figures(filters, with_trend=False)
    if (theme := counted_theme(item)) is not None:
        return next((f for f in themes if f.theme.id == theme.id), None)
    if item.cause_key:
        causes = root_cause_figures(filters, with_trend=False, themes=themes)
        return next((c for c in causes if c.key == item.cause_key), None)
    return None


def mark_shipped(item: ActionItem, *, actor: str = "system") -> ActionItem:
    """Mark an item shipped (used by the demo and the CLI)."""
    if item.shipped_at is None:
        item.shipped_at = utcnow()
        _emit_shipped(item)
    item.status = "shipped"
    audit.record("action.update", actor=actor, target_type="action_item", target_id=item.id, status="shipped")
    db.session.commit()
    webhooks.kick()
    return item
