"""Human curation of themes (rename, merge, move, split, confirm a cause) and what it teaches the
pipeline: every decision is replayed onto the theme memory before a run and handed to the
root-cause classifier as corrections."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Theme, ThemeAssignment
from feedback_app.services.accounts import audit
from feedback_app.services.actions import titles
from feedback_app.services.insights import root_causes, theme_picks
from feedback_app.services.insights.assignment import current_assignments, latest_run, resolve_theme

if TYPE_CHECKING:
    from nlp import ThemeMemory

log = logging.getLogger(__name__)


class CurationError(ValueError):
    """A curation request that cannot be applied (unknown theme, merge into itself, ...)."""


def apply_curation(memory: ThemeMemory | None) -> ThemeMemory | None:
    """Replay every human rename, lock, merge and root cause kept on Theme rows onto the
    pipeline's memory (a theme whose cause a person changed is matched within its new cause)."""
    if memory is None:
        return None
    for theme in db.session.scalars(select(Theme).where(Theme.category_source == "human")):
        remembered = memory.themes.get(theme.stable_key)
        if remembered is not None:
            remembered.category = theme.category
    for theme in db.session.scalars(select(Theme).where(Theme.human_label.is_not(None))):
        if theme.human_label is None:  # excluded by the query; narrows the type
            continue
        try:
            memory.rename(theme.stable_key, theme.human_label, lock=theme.label_locked)
        except KeyError:
            log.info("theme %s is no longer in the memory; rename not replayed", theme.stable_key)
    for theme in db.session.scalars(select(Theme).where(Theme.merged_into_id.is_not(None))):
        target = resolve_theme(theme)
        try:
            memory.merge(theme.stable_key, target.stable_key)
        except (KeyError, ValueError):
            log.info("merge %s -> %s already applied or unknown", theme.stable_key, target.stable_key)
    return memory


#: At most this many answers (most confident first) of a theme whose root cause a person
#: confirmed or changed become labelled examples: enough to teach the cause, few enough that
#: one big theme does not outweigh the example bank.
CONFIRMED_PER_THEME = 25


def corrections() -> list[tuple[str, str]]:
    """The CX team's decisions as ``(redacted answer text, root-cause key)`` for the pipeline.

    Every answer a person moved to another theme (with that theme's cause) and, for each theme
    whose cause a person confirmed or changed, up to :data:`CONFIRMED_PER_THEME` of its answers
    (most confident first) with that cause. Read from live rows at run time, so an erased
    customer's answers (their text is gone) are never among them.
    """
    run = latest_run()
    query = (
        select(
            ThemeAssignment.response_id,
            ThemeAssignment.source,
            ThemeAssignment.confidence,
            Response.redacted_text,
        )
        .join(Response, ThemeAssignment.response_id == Response.id)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
        .where(
            ThemeAssignment.is_primary.is_(True),
            DepartedCustomer.erased_at.is_(None),
            Response.redacted_text.is_not(None),
            Response.redacted_text != "",
        )
        .order_by(ThemeAssignment.response_id)
    )
    if run is not None:
        query = query.where((ThemeAssignment.run_id == run.id) | ThemeAssignment.run_id.is_(None))
    else:
        query = query.where(ThemeAssignment.run_id.is_(None))
    rows = db.session.execute(query).all()
    if not rows:
        return []
    current = current_assignments({r.response_id for r in rows})
    moved: dict[int, tuple[str, str]] = {}
    confirmed: dict[int, dict[int, tuple[float, str]]] = {}
    for response_id, source, confidence, text in rows:
        theme = current.get(response_id)
        if theme is None or text is None:  # the query leaves out answers without text
            continue
        if source == "manual":
            moved[response_id] = (text, theme.category)
        elif theme.category_source == "human":
            best = confirmed.setdefault(theme.id, {})
            if response_id not in best or confidence > best[response_id][0]:
                best[response_id] = (confidence, text)
    out = list(moved.values())
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(list(confirmed))))}
    for theme_id in sorted(confirmed):
        ranked = sorted(((-c, rid, t) for rid, (c, t) in confirmed[theme_id].items() if rid not in moved))
        out.extend((text, themes[theme_id].category) for _, _, text in ranked[:CONFIRMED_PER_THEME])
    return out


# ---------------------------------------------------------------- human curation


def _refuse_taken(label: str, theme: Theme | None) -> None:
    """Two current themes with one label cannot be told apart in lists and reports."""
    other = theme_picks.label_taken(label, by_other_than=theme)
    if other is not None:
        raise CurationError(
            f"Another theme is already called \u201c{other.display_label}\u201d. "
            "Pick another label, or merge the two themes."
        )


def rename_theme(
    theme: Theme, label: str, *, lock: bool, actor: str, actor_user_id: int | None = None
) -> Theme:
    """Give a theme a human label; locked labels are never replaced by later runs."""
    label = " ".join((label or "").split())
    if not label:
        raise CurationError("The new label must not be empty.")
    if len(label) > 200:
        raise CurationError("The new label must be at most 200 characters.")
    _refuse_taken(label, theme)
    old, before = theme.display_label, titles.proposed_title(theme)
    theme.human_label, theme.label_locked = label, lock
    titles.follow_theme(theme, before)
    audit.record(
        "theme.rename",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="theme",
        target_id=theme.id,
        old=old,
        new=label,
        locked=lock,
    )
    db.session.commit()
    return theme


def merge_themes(source: Theme, target: Theme, *, actor: str, actor_user_id: int | None = None) -> Theme:
    """Fold ``source`` into ``target``: its answers count toward ``target`` now and in later runs."""
    target = resolve_theme(target)
    if resolve_theme(source).id == target.id:
        raise CurationError("A theme cannot be merged into itself.")
    source.merged_into_id = target.id
    audit.record(
        "theme.merge",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="theme",
        target_id=source.id,
        source=source.display_label,
        into=target.display_label,
        into_id=target.id,
    )
    db.session.commit()
    return target


def _place(response_id: int, theme: Theme) -> None:
    """Make ``theme`` the answer's human-chosen theme (one manual row per answer)."""
    db.session.execute(
        delete(ThemeAssignment).where(
            ThemeAssignment.response_id == response_id, ThemeAssignment.source == "manual"
        )
    )
    db.session.add(
        ThemeAssignment(
            run_id=None,
            response_id=response_id,
            theme_id=theme.id,
            is_primary=True,
            confidence=1.0,
            source="manual",
        )
    )


def move_answer(response: Response, theme: Theme, *, actor: str, actor_user_id: int | None = None) -> None:
    """Put one answer in another theme; the move outranks every later run and teaches the
    root-cause classifier the theme's cause (see :func:`corrections`)."""
    theme = resolve_theme(theme)
    current = current_assignments([response.id]).get(response.id)
    _place(response.id, theme)
    audit.record(
        "theme.move_answer",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="response",
        target_id=response.id,
        from_theme=current.id if current else None,
        to_theme=theme.id,
    )
    db.session.commit()


def set_theme_cause(theme: Theme, cause: str, *, actor: str, actor_user_id: int | None = None) -> Theme:
    """Confirm (same key) or change a theme's root cause. Later runs keep it, and the theme's
    answers become labelled examples of that cause for the classifier."""
    if not root_causes.is_cause(cause):
        raise CurationError(f"{cause!r} is not a known root cause; pick one from the list.")
    theme = resolve_theme(theme)
    old, before = theme.category, titles.proposed_title(theme)
    theme.category, theme.category_source = cause, "human"
    titles.follow_theme(theme, before)
    audit.record(
        "theme.confirm_cause" if cause == old else "theme.change_cause",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="theme",
        target_id=theme.id,
        old=old,
        new=cause,
    )
    db.session.commit()
    return theme


def split_theme(
    theme: Theme, response_ids: Iterable[int], label: str, *, actor: str, actor_user_id: int | None = None
) -> Theme:
    """Move the picked answers of ``theme`` to a new theme labelled ``label``.

    The new theme has the same root cause and a locked human label; its answers are human
    moves, so they stay in it across later runs (and teach the classifier its cause).
    """
    label = " ".join((label or "").split())
    if not label:
        raise CurationError("The new theme's label must not be empty.")
    if len(label) > 200:
        raise CurationError("The new theme's label must be at most 200 characters.")
    theme = resolve_theme(theme)
    _refuse_taken(label, None)
    ids = list(dict.fromkeys(int(i) for i in response_ids))
    if not ids:
        raise CurationError("Pick at least one answer to move to the new theme.")
    current = current_assignments(ids)
    outside = [i for i in ids if current.get(i) is None or current[i].id != theme.id]
    if outside:
        raise CurationError(
            f"Answer(s) {', '.join(map(str, outside))} are not in \u201c{theme.display_label}\u201d."
        )
    run = latest_run()
    texts = db.session.scalars(
        select(Response.redacted_text)
        .where(Response.id.in_(ids), Response.redacted_text != "")
        .order_by(Response.id)
        .limit(5)
    )
    new = Theme(
        stable_key=f"split-{secrets.token_hex(8)}",
        label=label,
        human_label=label,
        label_locked=True,
        keywords=[],
        category=theme.category,
        category_source=theme.category_source,
        quotes=[t for t in texts if t],
        size=len(ids),
        first_seen_run_id=run.id if run else None,
        last_seen_run_id=run.id if run else None,
    )
    db.session.add(new)
    db.session.flush()
    for response_id in ids:
        _place(response_id, new)
    audit.record(
        "theme.split",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="theme",
        target_id=theme.id,
        source=theme.display_label,
        new_theme_id=new.id,
        label=label,
        answers=len(ids),
    )
    db.session.commit()
    return new
