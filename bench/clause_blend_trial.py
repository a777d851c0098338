"""Trial: the n-gram head's share when a *clause* is classified for a second cause.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/clause_blend_trial.py [--split dev dev2 mine mine2 mine3]

Why: the root-cause head blends an embedding head with a word/character n-gram head
(``text_weight`` 0.6). A clause of a few words that implies its cause ("you did nothing for a
week") has few n-grams to go on, so the n-gram head may drown what the embedding head reads.
This scores :mod:`secondary_causes` with the clauses' probabilities re-blended at other shares
(the whole answer keeps the shipped blend, so the main cause does not move), over a sweep of
``secondary_min_probability``. Tuning lists only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import secondary_causes as sc


class ClauseBlend:
    """The shipped head, with its n-gram share replaced for every call after the first (the clauses)."""

    def __init__(self, head, clause_weight: float) -> None:
        self.head = head
        self.classes = head.classes
        self.clause_weight = clause_weight
        self.calls = 0

    def predict_proba(self, vectors, texts):
        self.calls += 1
        if self.calls == 1:
            return self.head.predict_proba(vectors, texts)
        shipped = self.head.text_weight
        try:
            self.head.text_weight = self.clause_weight
            return self.head.predict_proba(vectors, texts)
        finally:
            self.head.text_weight = shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["dev", "dev2", "mine", "mine2", "mine3"])
    parser.add_argument("--weights", nargs="+", type=float, default=[0.6, 0.45, 0.3, 0.15])
    parser.add_argument("--bars", nargs="+", type=float, default=[0.45, 0.5, 0.55, 0.6, 0.65])
    args = parser.parse_args()
    config = sc.PipelineConfig()
    sc.reuse_preprocessing()
    real_head = sc.root_cause_classifier
    print("clause n-gram share | bar | found | extra | not labelled | per split found/not labelled")
    for w in args.weights:
        sc.root_cause_classifier = lambda *a, w=w, **k: ClauseBlend(real_head(*a, **k), w)
        data = {s: sc.load_split(s, config) for s in args.split}
        sc.sweep_bars(w, data, config, args.bars)


if __name__ == "__main__":
    main()
