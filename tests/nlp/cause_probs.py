"""The head's probabilities written by hand, for tests of the rules that read them (nlp.causes)."""

from __future__ import annotations

import numpy as np

from nlp.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
CLASSES = sorted(TAXONOMY.keys + ["non_answer"])


def probs(**given: float) -> np.ndarray:
    """One row over ``CLASSES``: the given causes at their values, every other at 0.001."""
    p = np.full(len(CLASSES), 0.001, dtype=np.float32)
    for key, value in given.items():
        p[CLASSES.index(key)] = value
    return p
