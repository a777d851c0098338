"""Benchmark: root causes and themes across languages, three embedding designs, one run.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual.py [--split test|dev|fresh] [--designs ...]

``--split test`` (default) reads ``bench/data/testset.csv`` (English), ``testset_multi.csv``
(es, de, fr, pt) and ``pairs_multi.csv`` (translated pairs); ``--split dev`` reads
``devset.csv``, ``devset_multi.csv``, ``pairs_multi_dev.csv`` and ``pairs_multi_dev2.csv``
(60 more pairs, several sub-reasons per cause, so a split across themes of a cause shows);
``--split fresh`` reads the second held-out set, ``testset_fresh.csv``, ``testset_multi_fresh.csv``
and ``pairs_multi_fresh.csv`` (written without seeing the bank or the rules); ``--file PATH``
scores that CSV alone (columns as ``devset_multi.csv``: ``text``, ``category``, ``language``;
every language in it, no pairs), e.g. a blind list. The test files are never used
for training or tuning. Each design analyses all answers and both sides of every pair in one
``nlp.analyze`` call (no embedding cache; heads trained beforehand, outside the timing):

* **mixed** (shipped): MiniLM for English, multilingual USE for other languages (a second head
  on the bank's USE vectors; proxy MiniLM vectors for themes);
* **use**: multilingual USE for every answer;
* **minilm**: MiniLM for every answer (the pipeline before this change).

Per labelled language it prints root-cause accuracy and macro-F1 over the 12
causes (a non-answer or ``emerging`` counts as wrong), n, non-answers caught, language detected
right; per pair language the share of pairs whose two sides share their main theme (and root
cause); and time per 1,000 answers end to end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from nlp import PipelineConfig, analyze  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.multilingual import USE_MODEL, multilingual_head  # noqa: E402
from nlp.pipeline import current_taxonomy, root_cause_classifier  # noqa: E402
from nlp.sentiment import sentiment  # noqa: E402

DATA = ROOT / "bench" / "data"
SPLITS = {
    "test": ("testset.csv", "testset_multi.csv", ("pairs_multi.csv",)),
    "dev": ("devset.csv", "devset_multi.csv", ("pairs_multi_dev.csv", "pairs_multi_dev2.csv")),
    "fresh": ("testset_fresh.csv", "testset_multi_fresh.csv", ("pairs_multi_fresh.csv",)),
}
DESIGNS = {
    "mixed": {},
    "use": {"embedding_model": USE_MODEL, "multilingual_model": None},
    "minilm": {"multilingual_model": None},
}
LANGS = ("en", "es", "de", "fr", "pt")
NON_ANSWER = "non_answer"


def read(name: str | Path) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def warm(config: PipelineConfig) -> None:
    """Train (or load) the heads the design needs, so the timing is of analysis only."""
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    encoder.encode(["warm up"])  # load the weights
    root_cause_classifier(config, encoder)
    if config.multilingual_model:
        multilingual_head(config, encoder, current_taxonomy(config))
        load_encoder(config.multilingual_model).encode(["warm up"])


def per_language(rows: list[dict[str, str]], result, causes: list[str]) -> dict[str, dict]:
    out = {}
    for lang in LANGS:
        idx = [i for i, r in enumerate(rows) if (r.get("language") or "en") == lang]
        if not idx:
            continue
        gold = [rows[i]["category"] for i in idx]
        pred = [
            NON_ANSWER if result.assignments[i].is_non_answer else result.assignments[i].root_cause or ""
            for i in idx
        ]
        real = [k for k, g in enumerate(gold) if g in causes]
        na = [k for k, g in enumerate(gold) if g == NON_ANSWER]
        out[lang] = {
            "n": len(real),
            "accuracy": round(float(np.mean([pred[k] == gold[k] for k in real])), 4),
            "macro_f1": round(
                float(
                    f1_score(
                        [gold[k] for k in real],
                        [pred[k] for k in real],
                        labels=causes,
                        average="macro",
                        zero_division=0,
                    )
                ),
                4,
            ),
            "non_answers": f"{sum(pred[k] == NON_ANSWER for k in na)}/{len(na)}",
            "language_right": round(float(np.mean([result.assignments[i].language == lang for i in idx])), 4),
        }
    return out


def pair_rates(pairs: list[dict[str, str]], result, offset: int) -> dict[str, dict]:
    out = {}
    for lang in LANGS[1:]:
        idx = [k for k, p in enumerate(pairs) if p["language"] == lang]
        if not idx:
            continue
        a = [result.assignments[offset + 2 * k] for k in idx]
        b = [result.assignments[offset + 2 * k + 1] for k in idx]
        out[lang] = {
            "pairs": len(idx),
            "same_theme": round(
                float(np.mean([x.theme_id == y.theme_id for x, y in zip(a, b, strict=True)])), 4
            ),
            "same_cause": round(
                float(np.mean([x.root_cause == y.root_cause for x, y in zip(a, b, strict=True)])), 4
            ),
            "split": [pairs[k]["id"] for k, x, y in zip(idx, a, b, strict=True) if x.theme_id != y.theme_id],
            "other_side_right": round(
                float(np.mean([y.root_cause == pairs[k]["category"] for k, y in zip(idx, b, strict=True)])), 4
            ),
        }
    return out


def sentiment_agreement(pairs: list[dict[str, str]], result, offset: int) -> dict[str, float]:
    """Translated answer's sentiment against VADER's on its English original."""
    eng = np.array([sentiment(p["english"]) for p in pairs])
    other = np.array([result.assignments[offset + 2 * k + 1].sentiment for k in range(len(pairs))])
    clear = np.abs(eng) >= 0.05
    return {
        "mean_abs_diff": round(float(np.mean(np.abs(eng - other))), 3),
        "sign_agreement_where_vader_clear": round(
            float(np.mean(np.sign(eng[clear]) == np.sign(other[clear]))), 3
        )
        if clear.any()
        else float("nan"),
        "n_clear": int(clear.sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--file", type=Path, help="score this CSV alone (all its languages, no pairs)")
    parser.add_argument("--designs", default="mixed,use,minilm")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.file:
        english, multi, pairs = [], read(args.file), []
    else:
        english_file, multi_file, pair_files = SPLITS[args.split]
        english, multi = read(english_file), read(multi_file)
        pairs = [p for name in pair_files for p in read(name)]
    rows = english + multi
    texts = [r["text"] for r in rows] + [t for p in pairs for t in (p["english"], p["other"])]
    causes = current_taxonomy(PipelineConfig()).keys
    print(
        f"{args.file or 'split ' + args.split}: {len(english)} English + {len(multi)} other answers, {len(pairs)} pairs; "
        f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}"
    )
    results = {}
    for name in args.designs.split(","):
        config = PipelineConfig(**DESIGNS[name])
        warm(config)
        t = time.perf_counter()
        result = analyze(texts, config=config)
        seconds = time.perf_counter() - t
        results[name] = {
            "languages": per_language(rows, result, causes),
            "pairs": pair_rates(pairs, result, len(rows)),
            "sentiment": sentiment_agreement(pairs, result, len(rows)),
            "ms_per_1k": round(1000 * seconds / len(texts) * 1000),
            "seconds": round(seconds, 1),
            "timings": result.run["timings"],
        }
        print(f"{name}: {seconds:.1f} s for {len(texts)} texts", flush=True)
    print(
        "\n| design | language | n | accuracy | macro-F1 | non-answers | language detected | "
        "pairs same theme | pairs same cause | translation's cause right | time per 1k answers |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, res in results.items():
        for lang, f in res["languages"].items():
            pr = res["pairs"].get(lang)
            theme = f"{pr['same_theme']:.0%} of {pr['pairs']}" if pr else ""
            cause = f"{pr['same_cause']:.0%}" if pr else ""
            right = f"{pr['other_side_right']:.0%}" if pr else ""
            print(
                f"| {name} | {lang} | {f['n']} | {f['accuracy']:.1%} | {f['macro_f1']:.3f} | "
                f"{f['non_answers']} | {f['language_right']:.0%} | {theme} | {cause} | {right} | "
                f"{res['ms_per_1k'] / 1000:.1f} s |"
            )
        other = [res["languages"][lang] for lang in LANGS[1:] if lang in res["languages"]]
        n = sum(f["n"] for f in other)
        acc = sum(f["accuracy"] * f["n"] for f in other) / max(1, n)
        same = [res["pairs"][lang]["same_theme"] * res["pairs"][lang]["pairs"] for lang in res["pairs"]]
        total = sum(res["pairs"][lang]["pairs"] for lang in res["pairs"])
        print(
            f"| {name} | **all other** | {n} | {acc:.1%} | | | | {sum(same) / max(1, total):.0%} of {total} | | | |"
        )
    print("\nSentiment of the translated side against VADER on the English side:")
    for name, res in results.items():
        print(f"  {name}: {json.dumps(res['sentiment'])}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "results": results}, indent=2))


if __name__ == "__main__":
    main()
