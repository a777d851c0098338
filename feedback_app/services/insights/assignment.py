"""Which theme each answer belongs to now: a human move beats the latest full run, which beats
an incremental assignment made when the answer was submitted (unless it is of an edit made after
that run read the answer); merged themes resolve to the theme that absorbed them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import null, select

from feedback_app.extensions import db
from feedback_app.models import AnalysisRun, ConversationAssignment, Response, Theme, ThemeAssignment

if TYPE_CHECKING:
    from nlp import Assignment

#: Which assignment of an answer or conversation counts when it has several (higher wins).
SOURCE_PRIORITY = {"manual": 3, "batch": 2, "incremental": 1}


def latest_run(status: str = "succeeded") -> AnalysisRun | None:
    """The newest run with ``status`` (by default the one whose themes are shown)."""
    return db.session.scalar(
        select(AnalysisRun).where(AnalysisRun.status == status).order_by(AnalysisRun.id.desc()).limit(1)
    )


def resolve_theme(theme: Theme) -> Theme:
    """Follow merges to the theme that now stands for this one."""
    seen = {theme.id}
    while theme.merged_into is not None and theme.merged_into.id not in seen:
        theme = theme.merged_into
        seen.add(theme.id)
    return theme


@dataclass(frozen=True)
class ThemeFate:
    """What became of a theme an action item names, in the latest run (:func:`theme_fate`)."""

    #: The theme as merges resolve it.
    theme: Theme
    #: The latest run no longer finds it and none of its answers is in it now.
    gone: bool = False
    #: How many answers had it as their main theme (any run); 0 unless ``gone``.
    answers: int = 0
    #: How many of those are in some theme now, and in how many themes.
    themed: int = 0
    themes: int = 0
    #: The one theme all of them that are in a theme now sit in: its answers moved there.
    moved_to: Theme | None = None

    @property
    def followed(self) -> Theme:
        """The theme the item's answers count toward now: where they moved, else the theme."""
        return self.moved_to or self.theme


def theme_fate(theme: Theme, run: AnalysisRun | None = None) -> ThemeFate:
    """Whether ``theme`` (merges followed) is still found, and where its answers went if not.

    A re-run can stop finding a theme without a merge: its answers then sit in other themes or in
    none. When all of them that are in a theme sit in one, that theme stands for it, as a merge's
    does; otherwise nothing does. One query when the latest run found the theme (the usual case).
    """
    resolved = resolve_theme(theme)
    run = run or latest_run()
    if run is None or resolved.last_seen_run_id == run.id:
        return ThemeFate(resolved)
    merged = [t for t in db.session.scalars(select(Theme).where(Theme.merged_into_id.is_not(None)))]
    group = {resolved.id} | {t.id for t in merged if resolve_theme(t).id == resolved.id}
    answers = list(
        db.session.scalars(
            select(ThemeAssignment.response_id)
            .where(ThemeAssignment.theme_id.in_(group), ThemeAssignment.is_primary.is_(True))
            .distinct()
        )
    )
    now = current_assignments(answers)
    if any(t.id == resolved.id for t in now.values()):
        return ThemeFate(resolved)  # a split or a locked theme: it still holds answers
    where = {t.id: t for t in now.values()}
    return ThemeFate(
        resolved,
        gone=True,
        answers=len(answers),
        themed=len(now),
        themes=len(where),
        moved_to=next(iter(where.values())) if len(where) == 1 else None,
    )


def current_assignments(response_ids: Iterable[int] | None = None) -> dict[int, Theme]:
    """Each answer's main theme now (:func:`main_themes` of :class:`ThemeAssignment`)."""
    return main_themes(ThemeAssignment, response_ids)


def main_themes(
    row: type[ThemeAssignment] | type[ConversationAssignment], ids: Iterable[int] | None = None
) -> dict[int, Theme]:
    """Each answer's (``row=ThemeAssignment``) or conversation's (``row=ConversationAssignment``)
    main theme now, by its id: a human move, else the latest full run, else incremental
    (:data:`SOURCE_PRIORITY`; the newest row of the same source wins), merges followed. An
    answer the customer edited after the latest run started (it reads the answers as it starts)
    counts under the edit's incremental guess: the newer words decide.

    Reads plain columns and the (few) themes once, so it stays fast with many answers.
    """
    owner = row.response_id if issubclass(row, ThemeAssignment) else row.conversation_id
    answers = issubclass(row, ThemeAssignment)
    run = latest_run()
    # An answer edited after the run read it (as it started): the edit's guess is newer.
    read_at = run.started_at if run is not None and answers else None
    edited = Response.edited_at if answers else null()
    query = select(row.id, owner, row.theme_id, row.source, row.created_at, edited).where(
        row.is_primary.is_(True)
    )
    if answers:
        query = query.join(Response, Response.id == owner)
    if run is not None:
        query = query.where((row.run_id == run.id) | row.run_id.is_(None))
    else:
        query = query.where(row.run_id.is_(None))
    if ids is not None:
        wanted = list(ids)
        if not wanted:
            return {}
        query = query.where(owner.in_(wanted))
    best: dict[int, tuple[tuple[int, int, int], int]] = {}
    for row_id, owner_id, theme_id, source, created_at, edited_at in db.session.execute(query):
        if (
            source == "incremental"
            and read_at is not None
            and edited_at is not None
            and edited_at > read_at
            and created_at >= edited_at
        ):
            rank = (SOURCE_PRIORITY["batch"], 1, row_id)
        else:
            rank = (SOURCE_PRIORITY.get(source, 0), 0, row_id)
        if owner_id not in best or rank > best[owner_id][0]:
            best[owner_id] = (rank, theme_id)
    if not best:
        return {}
    themes = {t.id: t for t in db.session.scalars(select(Theme))}
    resolved: dict[int, Theme] = {}

    def final(theme_id: int) -> Theme:
        if theme_id not in resolved:
            theme, seen = themes[theme_id], {theme_id}
            while theme.merged_into_id is not None and theme.merged_into_id not in seen:
                seen.add(theme.merged_into_id)
                theme = themes[theme.merged_into_id]
            resolved[theme_id] = theme
        return resolved[theme_id]

    return {owner_id: final(theme_id) for owner_id, (_, theme_id) in best.items()}


def add_run_rows(
    row: type[ThemeAssignment] | type[ConversationAssignment],
    run: AnalysisRun,
    item: Assignment,
    themes_by_key: dict[str, Theme],
    **owner: int,
) -> bool:
    """Add a run's theme rows for one answer (``row=ThemeAssignment, response_id=...``) or one
    conversation (``row=ConversationAssignment, conversation_id=...``): one row per theme it counts
    toward, its main theme first and primary; a theme key the run did not store is passed over.
    False for a non-answer (no theme at all). The caller flushes."""
    theme_ids = list(item.theme_ids)
    if item.theme_id is not None and item.theme_id not in theme_ids:
        theme_ids.insert(0, item.theme_id)
    if not theme_ids:
        return False
    confidence = max(0.0, min(1.0, float(item.confidence)))
    for index, key in enumerate(dict.fromkeys(theme_ids)):
        theme = themes_by_key.get(key)
        if theme is None:
            continue
        db.session.add(
            row(
                run_id=run.id,
                theme_id=theme.id,
                segment_index=index,
                is_primary=index == 0,
                confidence=confidence,
                source="batch",
                **owner,
            )
        )
    return True


def is_new(theme: Theme, run: AnalysisRun | None = None) -> bool:
    """A theme the latest run found for the first time (an emerging reason)."""
    run = run or latest_run()
    return bool(run and theme.stable_key in (run.counts or {}).get("new_theme_keys", []))


def live_themes() -> list[Theme]:
    """Themes that are not merged away, old runs' included (to look up what an item names)."""
    return list(db.session.scalars(select(Theme).where(Theme.merged_into_id.is_(None)).order_by(Theme.label)))


def answer_counts() -> Counter[int]:
    """How many answers each theme holds now (by :func:`current_assignments`, as the themes page
    counts them), keyed by theme id."""
    return Counter(theme.id for theme in current_assignments().values())


def current_themes(counts: Counter[int] | None = None) -> list[Theme]:
    """The themes a person can act on now: those the latest run found and those that hold answers
    now (a split or a locked theme a run no longer finds), never one merged away. An earlier run's
    theme that holds nothing is left out: after a re-run it would repeat a current theme's label."""
    counts = answer_counts() if counts is None else counts
    run = latest_run()
    return [
        theme
        for theme in live_themes()
        if counts[theme.id] or (run is not None and theme.last_seen_run_id == run.id)
    ]
