"""Answers not in English join their cause's theme in the multilingual space (no models: the
vectors are made by hand, as the pipeline would hand them over)."""

from __future__ import annotations

import numpy as np

from nlp.causes import CauseCall
from nlp.grouping import ThemeGroups
from nlp.shared_themes import join_themes


def groups(main: list[int], pools: list[str], dim: int = 3) -> ThemeGroups:
    n = len(pools)
    return ThemeGroups(
        [f"t{j}" for j in range(n)],
        {f"t{j}": True for j in range(n)},
        np.array(main),
        pools,
        np.eye(n, dim, dtype=np.float32),
        np.arange(n),
        [[] for _ in range(n)],
        n,
        [],
    )


def vec(*xs: float) -> list[float]:
    v = np.array(xs, dtype=np.float32)
    return list(v / np.linalg.norm(v))


def test_a_translation_moves_to_the_theme_its_original_is_in():
    # rows 0-1 English "renewal" answers (theme 0), rows 2-3 English "can't afford" (theme 1);
    # row 4 Spanish "renewal" that the proxy clustering put in theme 1
    g = groups([0, 0, 1, 1, 1], ["price", "price"])
    use = np.array([vec(1, 0.1, 0), vec(1, 0, 0.1), vec(0, 1, 0), vec(0.1, 1, 0), vec(1, 0.05, 0)])
    calls = [CauseCall("price", ["price"], 0.9) for _ in range(5)]
    english = np.array([True, True, True, True, False])
    doc_vecs = np.eye(5, 3, dtype=np.float32) + 0.1
    moved = join_themes(g, calls, doc_vecs, use, english, ~english)
    assert moved == 1 and g.main.tolist() == [0, 0, 1, 1, 0]
    assert np.allclose(np.linalg.norm(g.centroids, axis=1), 1.0)


def test_it_stays_within_its_main_cause():
    # the Spanish answer (row 2) is nearest the support theme in USE space, but its cause is
    # price: it goes to the nearer of the two price themes
    g = groups([0, 2, 1, 1], ["price", "price", "support"])
    use = np.array([vec(1, 0, 0), vec(0, 0, 1), vec(0.2, 0, 1), vec(0, 1, 0)])
    causes = ["price", "support", "price", "price"]
    calls = [CauseCall(c, [c], 0.9) for c in causes]
    english = np.array([True, True, False, True])
    assert join_themes(g, calls, np.eye(4, 3, dtype=np.float32) + 0.1, use, english, ~english) == 1
    assert g.main.tolist() == [0, 2, 0, 1]
