"""One theme per sub-reason whatever the language: answers not in English join the theme of the
English answers they say the same as, found in the multilingual space.

Themes are clustered on the main model's vectors, where an answer not in English only has a
proxy (a mean of English neighbours, see :mod:`nlp.multilingual`). A proxy can sit between the
sub-reasons of its neighbours, so a translation could fall into a different theme of the right
cause than its original. Here every such answer takes, within its main cause, the theme its
nearest English answers in USE space (where a translation and its original are neighbours)
vote for, each vote weighted by similarity to the power ``POWER`` so one near-paraphrase
outweighs several loose neighbours. Dev pairs (bench/multilingual.py --split dev, 80 pairs):
within-cause splits 2 with the proxy alone, 3 voting by theme centroid in USE space, 0 with
5 neighbours at power 8 (also 0 with 1-3 neighbours at powers 4-8). An answer with no English
neighbour of its cause keeps its theme, and a theme a move would leave empty keeps its members.
"""

from __future__ import annotations

import numpy as np

from .causes import CauseCall
from .grouping import ThemeGroups, unit

NEIGHBOURS = 5
POWER = 8.0


def vote(
    row: int, candidates: np.ndarray, main: np.ndarray, use_vecs: np.ndarray, k: int = NEIGHBOURS
) -> int:
    """The theme the ``k`` nearest ``candidates`` of answer ``row`` in USE space vote for."""
    sims = use_vecs[candidates] @ use_vecs[row]
    near = np.argsort(-sims)[:k]
    votes: dict[int, float] = {}
    for j in near:
        theme = int(main[candidates[j]])
        votes[theme] = votes.get(theme, 0.0) + float(max(sims[j], 1e-3)) ** POWER
    return max(votes, key=lambda t: votes[t])


def join_themes(
    groups: ThemeGroups,
    calls: list[CauseCall],
    doc_vecs: np.ndarray,
    use_vecs: np.ndarray,
    english: np.ndarray,
    other: np.ndarray,
) -> int:
    """Give each answer not in English (``other``) the theme its nearest English answers
    (``english``) of the same main cause vote for in USE space (``use_vecs``, filled for both),
    in place in ``groups`` (``main``, and ``centroids`` recomputed from ``doc_vecs``); return
    how many answers moved."""
    n = len(groups.theme_ids)
    if not n or not other.any():
        return 0
    pools = np.array(groups.theme_pool, dtype=object)
    cause_of = pools[groups.main]
    new_main = groups.main.copy()
    for row in np.flatnonzero(other):
        candidates = np.flatnonzero(english & (cause_of == calls[row].main))
        if len(candidates):
            new_main[row] = vote(int(row), candidates, groups.main, use_vecs)
    emptied = [j for j in range(n) if not (new_main == j).any()]
    while emptied:  # never leave a theme without answers
        for j in emptied:
            new_main[groups.main == j] = j
        emptied = [j for j in range(n) if not (new_main == j).any()]
    moved = int((new_main != groups.main).sum())
    if moved:
        groups.main = new_main
        groups.centroids = unit(np.stack([doc_vecs[new_main == j].mean(0) for j in range(n)]))
    return moved
