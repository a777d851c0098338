"""Trial: nearest bank examples as a second opinion on each clause's cause.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/clause_knn_trial.py [--split dev dev2 mine mine2 mine3]

Why: most missed second causes are implied ("you did nothing for a week"); the logistic heads
smooth such a clause toward the answer's main cause, while the bank may hold a near paraphrase
whose label says the cause. Each clause's probabilities are mixed with a vote of its ``k``
nearest bank examples (cosine on the same embeddings, weighted by similarity and the example's
weight) at share ``a``; the whole answer keeps the shipped head, so the main cause does not move.
Scored as :mod:`secondary_causes` over a sweep of ``secondary_min_probability``. Tuning lists only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import secondary_causes as sc

from nlp.cache import Cache
from nlp.classifier import training_examples


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


class ClauseVote:
    """The shipped head; every call after the first (the clauses) mixed with a k-NN vote."""

    def __init__(
        self, head, bank_vecs, bank_labels, bank_weights, k: int, share: float, floor: float
    ) -> None:
        self.head, self.classes = head, head.classes
        self.bank_vecs, self.bank_labels, self.bank_weights = bank_vecs, bank_labels, bank_weights
        self.k, self.share, self.floor = k, share, floor
        self.calls = 0

    def predict_proba(self, vectors, texts):
        self.calls += 1
        p = self.head.predict_proba(vectors, texts)
        if self.calls == 1 or self.share <= 0 or len(texts) == 0:
            return p
        sims = unit(np.asarray(vectors, dtype=np.float32)) @ self.bank_vecs.T
        top = np.argpartition(-sims, self.k, axis=1)[:, : self.k]
        vote = np.zeros_like(p)
        for r in range(len(texts)):
            for j in top[r]:
                s = sims[r, j]
                if s >= self.floor:
                    vote[r, self.bank_labels[j]] += s * self.bank_weights[j]
        total = vote.sum(axis=1, keepdims=True)
        has = total[:, 0] > 0
        vote[has] /= total[has]
        out = p.copy()
        out[has] = (1 - self.share) * p[has] + self.share * vote[has]
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["dev", "dev2", "mine", "mine2", "mine3"])
    parser.add_argument("--shares", nargs="+", type=float, default=[0.0, 0.25, 0.4, 0.55])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--floor", type=float, default=0.5)
    parser.add_argument("--bars", nargs="+", type=float, default=[0.5, 0.55, 0.6, 0.65])
    args = parser.parse_args()
    config = sc.PipelineConfig()
    taxonomy = sc.current_taxonomy(config)
    examples = training_examples(taxonomy, config.example_bank)
    encoder = sc.load_encoder(config.embedding_model, config.device, config.backend)
    cache = Cache(sc.CACHE)
    vecs, _ = sc.embed_texts([e.text for e in examples], encoder, cache, config.batch_size)
    cache.close()
    sc.reuse_preprocessing()
    real_head = sc.root_cause_classifier
    probe = real_head(config, encoder, None)
    index = {c: j for j, c in enumerate(probe.classes)}
    labels = np.array([index[e.category] for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float32)
    bank = unit(np.asarray(vecs, dtype=np.float32))
    print(f"k {args.k}, floor {args.floor}")
    print("share | bar | found | extra | not labelled | per split found/not labelled")
    for share in args.shares:
        sc.root_cause_classifier = lambda *a, share=share, **kw: ClauseVote(
            real_head(*a, **kw), bank, labels, weights, args.k, share, args.floor
        )
        data = {s: sc.load_split(s, config) for s in args.split}
        sc.sweep_bars(share, data, config, args.bars)


if __name__ == "__main__":
    main()
