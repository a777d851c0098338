"""The themes a pick list offers ("Move answer to", "Merge this theme", an action item's theme),
each named so that two themes with the same label can be told apart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import ngettext

from feedback_app.models import Theme
from feedback_app.services.insights import assignment, root_causes


@dataclass(frozen=True)
class ThemePick:
    theme: Theme
    #: The label shown: the theme's own, with its root cause and answer count when another
    #: offered theme has the same label ("Small bugs (Bugs and reliability, 4 answers)").
    label: str
    cause: str


def theme_picks() -> list[ThemePick]:
    """The themes a person can act on now (:func:`assignment.current_themes`), labels told apart."""
    counts = assignment.answer_counts()
    themes = assignment.current_themes(counts)
    same: dict[str, list[Theme]] = defaultdict(list)
    for theme in themes:
        same[theme.display_label.casefold()].append(theme)
    picks = []
    for theme in themes:
        cause = root_causes.cause_name(theme.category or root_causes.EMERGING)
        label = theme.display_label
        if len(same[label.casefold()]) > 1:
            answers = ngettext("%(num)d answer", "%(num)d answers", counts[theme.id])
            label = f"{label} ({cause}, {answers})"
        picks.append(ThemePick(theme, label, cause))
    seen: dict[str, int] = defaultdict(int)
    for pick in picks:
        seen[pick.label.casefold()] += 1
    # same label, cause and count: the theme's number is all that is left to tell them apart
    return [
        ThemePick(p.theme, f"{p.label} #{p.theme.id}", p.cause) if seen[p.label.casefold()] > 1 else p
        for p in picks
    ]


def label_taken(label: str, *, by_other_than: Theme | None = None) -> Theme | None:
    """A current theme (other than ``by_other_than``) already labelled ``label`` (case ignored)."""
    wanted = " ".join(label.split()).casefold()
    return next(
        (
            t
            for t in assignment.current_themes()
            if (by_other_than is None or t.id != by_other_than.id) and t.display_label.casefold() == wanted
        ),
        None,
    )
