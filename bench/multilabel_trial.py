"""Trial: a one-vs-rest multi-label head for second causes, trained on the bank's two-cause rows
and synthetic two-cause answers (two bank answers of different causes joined by a connective).

    nice -n 10 .venv/bin/python bench/multilabel_trial.py [--split dev dev2 mine mine2 mine3] [--pairs 2000]

The main cause and the shipped second causes stay as they are (``nlp.causes.classify_answers``);
a cause the multi-label head gives the whole answer at ``t`` or more is added on top, and the
bench prints, per ``t``, second causes found and extra causes per split, beside the shipped
settings' own curve (``secondary_min_probability``), so the two can be compared at equal extras.
Dev splits only.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from secondary_causes import CACHE, SPLITS, load_split  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.cache import Cache  # noqa: E402
from nlp.causes import classify_answers  # noqa: E402
from nlp.classifier import DEFAULT_BANK, NON_ANSWER  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.heads import current_taxonomy  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.prepare import clauses  # noqa: E402

CONNECTIVES = [
    ". ",
    ", also ",
    ". Also ",
    " and ",
    ", plus ",
    ". Plus ",
    ". On top of that ",
    ", not to mention ",
    " - ",
    ". And ",
    ", and on top of that ",
    ". Oh and ",
    " + ",
    ", which didn't help. ",
]


def bank_rows() -> list[tuple[str, list[str]]]:
    with Path(DEFAULT_BANK).open(encoding="utf-8-sig", newline="") as handle:
        out = []
        for r in csv.DictReader(handle):
            labels = [r["category"]] + ([r["secondary_category"]] if r.get("secondary_category") else [])
            out.append((r["text"].strip(), labels))
        return out


def synthetic_pairs(rows: list[tuple[str, list[str]]], n: int, seed: int) -> list[tuple[str, list[str]]]:
    """``n`` answers made of a bank answer and (a clause of) another of a different cause."""
    rng = random.Random(seed)
    single = [(t, ls[0]) for t, ls in rows if len(ls) == 1 and ls[0] != NON_ANSWER]
    out = []
    while len(out) < n:
        (a, ca), (b, cb) = rng.sample(single, 2)
        if ca == cb:
            continue
        if rng.random() < 0.5:  # the second reason in passing: one clause of it
            b = rng.choice(clauses(b) or [b])
        b = b.rstrip(". ")
        b = b[0].lower() + b[1:] if rng.random() < 0.5 else b
        out.append((a.rstrip(". ") + rng.choice(CONNECTIVES) + b, [ca, cb]))
    return out


def fit_ovr(vectors, texts, label_sets, classes, text_weight=0.6):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline, make_union

    y = np.array([[c in ls for c in classes] for ls in label_sets], dtype=int)
    emb = OneVsRestClassifier(LogisticRegression(C=8.0, max_iter=3000), n_jobs=1).fit(vectors, y)
    txt = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        ),
        OneVsRestClassifier(LogisticRegression(C=32.0, max_iter=3000), n_jobs=1),
    ).fit(texts, y)

    def proba(v, t):
        return (1 - text_weight) * emb.predict_proba(v) + text_weight * txt.predict_proba(t)

    return proba


def score(rows, valid, causes_of_valid, keys):
    causes = dict(zip(valid, causes_of_valid, strict=True))
    sec = [i for i, r in enumerate(rows) if r.get("secondary_category")]
    found = sum(1 for i in sec if rows[i]["secondary_category"] in causes.get(i, []))
    extra = sum(max(0, len(c) - 1) for c in causes.values())
    real = [i for i, r in enumerate(rows) if r["category"] in keys]
    right = sum(1 for i in real if causes.get(i, [""])[:1] == [rows[i]["category"]])
    return found, len(sec), extra, right / max(1, len(real))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split", nargs="+", default=["dev", "dev2", "mine", "mine2", "mine3"], choices=sorted(SPLITS)
    )
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    config = PipelineConfig()
    taxonomy = current_taxonomy(config)
    keys = set(taxonomy.keys)
    classes = list(taxonomy.keys)
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    cache = Cache(CACHE)
    rows = bank_rows()
    train = [(t, ls) for t, ls in rows if ls[0] != NON_ANSWER]
    for c in taxonomy.categories:
        train += [(t, [c.key]) for t in [c.description, *c.examples] if t]
    train += synthetic_pairs(rows, args.pairs, args.seed)
    vecs, _ = embed_texts([t for t, _ in train], encoder, cache, config.batch_size)
    proba = fit_ovr(vecs, [t for t, _ in train], [ls for _, ls in train], classes)
    data = {}
    for s in args.split:
        split = load_split(s, config)
        rws, valid, docs, *_ = split
        dv, _ = embed_texts(docs, encoder, cache, config.batch_size)
        data[s] = (split, proba(dv, docs))
    cache.close()
    print("setting | " + " | ".join(f"{s} found/sec extras acc" for s in data))
    for smp in (0.5, 0.55, 0.6, 0.65):
        cfg = dataclasses.replace(config, secondary_min_probability=smp)
        for t in (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
            out = []
            for split, ml in data.values():
                rws, valid, docs, doc_p, seg_p, owner, hclasses = split
                calls = classify_answers(
                    doc_p, seg_p, owner, hclasses, cfg, taxonomy.emerging_key, docs, taxonomy
                )
                got = []
                for k, call in enumerate(calls):
                    cs = [] if call.non_answer else list(call.causes)
                    if cs and len(cs) < cfg.max_causes:
                        add = [
                            classes[j] for j in np.argsort(-ml[k]) if ml[k, j] >= t and classes[j] not in cs
                        ]
                        cs += add[: cfg.max_causes - len(cs)]
                    got.append(cs)
                f, n, e, acc = score(rws, valid, got, keys)
                out.append(f"{f}/{n} {e} {acc:.1%}")
            print(f"smp {smp} ml {t}", " | ".join(out))


if __name__ == "__main__":
    main()
