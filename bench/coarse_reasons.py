"""Benchmark: Afterword's root causes folded into a SaaS survey's four coarse churn reasons.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/coarse_reasons.py --split dev|test

Many SaaS exit surveys ask a multiple-choice reason with four options next to a free-text box.
This scores how well the free text alone recovers the chosen option, after mapping Afterword's
12 causes onto the four (``bench/data/coarse.md``):

* too_expensive ← price, billing
* switching ← competitor
* not_using ← no_longer_needed
* trouble_or_missing ← every other cause

``--split dev`` reads ``bench/data/coarse_dev.csv`` (email marketing, notes, VPN, online courses;
for tuning); ``--split test`` reads ``bench/data/coarse_fresh.csv`` (six other SaaS products;
held out, never used to train or tune). A non-answer, ``emerging`` or an empty cause counts as
wrong. Methods, on the same texts:

* **Afterword**: ``nlp.analyze`` as shipped, each answer's main root cause;
* **Nearest phrase**: each (redacted, not non-answer) answer gets the category of its nearest
  taxonomy phrases (zero-shot), as in ``bench/root_causes.py``.

Prints accuracy overall and per coarse reason and a confusion table per method, and writes the
same text to ``bench/results/coarse-<split>.txt``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import PipelineConfig, analyze  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.heads import current_taxonomy, taxonomy_vectors  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.taxonomy import category_profile  # noqa: E402

DATA = ROOT / "bench" / "data"
SPLITS = {"dev": DATA / "coarse_dev.csv", "test": DATA / "coarse_fresh.csv"}
COARSE = ("too_expensive", "switching", "not_using", "trouble_or_missing")
NONE = "none"  # non-answer, emerging or no cause: always wrong
TO_COARSE = {
    "price": "too_expensive",
    "billing": "too_expensive",
    "competitor": "switching",
    "no_longer_needed": "not_using",
    "support": "trouble_or_missing",
    "unresolved_complaint": "trouble_or_missing",
    "bugs_reliability": "trouble_or_missing",
    "speed_performance": "trouble_or_missing",
    "missing_features": "trouble_or_missing",
    "ease_of_use": "trouble_or_missing",
    "delivery": "trouble_or_missing",
    "privacy_trust": "trouble_or_missing",
}


def load_rows(path: Path) -> list[dict[str, str]]:
    """The labelled rows (``id``, ``text``, ``coarse``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    unknown = {r["coarse"] for r in rows} - set(COARSE)
    if unknown:
        raise SystemExit(f"{path}: unknown coarse labels {sorted(unknown)}")
    return rows


def to_coarse(cause: str | None) -> str:
    """One of the four reasons for a cause key; ``none`` for a non-answer or no cause."""
    return TO_COARSE.get(cause or "", NONE)


def afterword(texts: list[str], config: PipelineConfig) -> tuple[list[str], list[str], list[bool]]:
    """Main root cause per answer as shipped, plus the redacted texts and non-answer flags."""
    result = analyze(texts, config=config)
    causes, redacted, flagged = [], [], []
    for a in result.assignments:
        causes.append("non_answer" if a.is_non_answer else a.root_cause or "")
        redacted.append(a.redacted_text)
        flagged.append(bool(a.is_non_answer))
    return causes, redacted, flagged


def nearest_phrase(redacted: list[str], flagged: list[bool], config: PipelineConfig) -> list[str]:
    """Zero-shot baseline: the category of the nearest taxonomy phrases (as bench/root_causes.py)."""
    keys = current_taxonomy(config).keys
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    valid = [i for i, f in enumerate(flagged) if not f and redacted[i].strip()]
    out = ["non_answer"] * len(redacted)
    if not valid:
        return out
    vecs, _ = embed_texts([redacted[i] for i in valid], encoder, None, config.batch_size)
    _, phrase_vecs, owners = taxonomy_vectors(config)
    prof = category_profile(vecs, phrase_vecs, owners, len(keys))
    for k, i in enumerate(valid):
        out[i] = keys[int(prof[k].argmax())]
    return out


def report(name: str, gold: list[str], pred: list[str], seconds: float) -> list[str]:
    """Accuracy overall and per coarse reason, then the confusion table, as Markdown lines."""
    right = sum(g == p for g, p in zip(gold, pred, strict=True))
    lines = [
        f"## {name}",
        "",
        f"Accuracy {right}/{len(gold)} = {right / len(gold):.1%} ({seconds:.1f} s)",
        "",
    ]
    lines += ["| coarse reason | n | right | accuracy | precision |", "| --- | --- | --- | --- | --- |"]
    for c in COARSE:
        n = sum(g == c for g in gold)
        hit = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        said = sum(p == c for p in pred)
        prec = f"{hit / said:.1%}" if said else "n/a"
        lines.append(f"| {c} | {n} | {hit} | {hit / max(1, n):.1%} | {prec} |")
    cols = [*COARSE, NONE]
    lines += ["", "Confusion (rows: gold, columns: predicted):", ""]
    lines += ["| gold \\ predicted | " + " | ".join(cols) + " |", "| --- |" + " --- |" * len(cols)]
    for g in COARSE:
        got = Counter(p for gg, p in zip(gold, pred, strict=True) if gg == g)
        lines.append(f"| {g} | " + " | ".join(str(got.get(c, 0)) for c in cols) + " |")
    return [*lines, ""]


def cause_spread(gold: list[str], causes: list[str]) -> list[str]:
    """Which fine causes each coarse reason's answers went to (for tuning the mapping on dev)."""
    lines = ["Afterword's fine causes per gold coarse reason:", ""]
    for g in COARSE:
        got = Counter(c or "(none)" for gg, c in zip(gold, causes, strict=True) if gg == g)
        lines.append(f"- {g}: " + ", ".join(f"{k} {n}" for k, n in got.most_common()))
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--split", choices=sorted(SPLITS), required=True, help="dev (tuning) or test (held out)"
    )
    parser.add_argument(
        "--out", type=Path, help="where to write the report (default bench/results/coarse-<split>.txt)"
    )
    args = parser.parse_args()
    rows = load_rows(SPLITS[args.split])
    texts = [r["text"] for r in rows]
    gold = [r["coarse"] for r in rows]
    config = PipelineConfig(cache_dir=Path(tempfile.mkdtemp(prefix="afterword-coarse-")) / "cache")
    load_encoder(config.embedding_model, config.device, config.backend).encode(["warm-up"])

    t = time.perf_counter()
    causes, redacted, flagged = afterword(texts, config)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    nearest = nearest_phrase(redacted, flagged, config)
    near_s = time.perf_counter() - t

    counts = Counter(gold)
    lines = [
        f"# Coarse churn reasons on the {args.split} split ({SPLITS[args.split].name}): {len(rows)} answers",
        "",
        "Gold: " + ", ".join(f"{c} {counts[c]}" for c in COARSE),
        "Mapping: too_expensive <- price, billing; switching <- competitor; not_using <- no_longer_needed; "
        "trouble_or_missing <- the other 8 causes; a non-answer or no cause counts as wrong.",
        "",
    ]
    lines += report("Afterword (nlp.analyze, main root cause)", gold, [to_coarse(c) for c in causes], ours_s)
    lines += report("Nearest taxonomy phrase (zero-shot)", gold, [to_coarse(c) for c in nearest], near_s)
    lines += cause_spread(gold, causes)
    text = "\n".join(lines)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"coarse-{args.split}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
