"""Representative quotes of a theme: the readable answers closest to its centroid."""

from __future__ import annotations

import re

import numpy as np


def pick_quotes(texts: list[str], vectors: np.ndarray, centroid: np.ndarray, n: int = 5) -> list[str]:
    """Up to ``n`` distinct, representative (closest to the centroid), readable answers.

    Prefers answers of 4-60 words; ``texts`` must already be redacted.
    """
    if not texts:
        return []
    sims = vectors @ centroid
    length = np.array([len(t.split()) for t in texts])
    penalty = np.where((length >= 4) & (length <= 60), 0.0, 0.15)
    order = np.argsort(-(sims - penalty))
    out, seen = [], set()
    for i in order:
        key = re.sub(r"\W+", " ", texts[i].lower()).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(texts[i])
        if len(out) >= n:
            break
    return out
