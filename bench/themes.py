"""Benchmark: Afterword's theming vs plain ``BERTopic()`` on the same embeddings.

Run from the repository root (2 CPU cores, no GPU needed)::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/themes.py [--data ../shared/datasets/banking77] [--skip-train]

Prints, for BANKING77 test (3,080 texts, 77 intents; the number of themes is not given):
NMI/ARI against the labels (every row counted; unthemed rows count as one cluster of their
own), share unthemed, number of themes, embedding time and theming time for both; then
BANKING77 train (10,003 texts) end to end (cold, then cached re-run), incremental-assignment
latency, peak memory, and the labelled exit-survey devset (bench/data/devset.csv) when present.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from nlp import IncrementalAssigner, PipelineConfig, analyze  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.models import load_encoder, load_spacy, load_tagger  # noqa: E402
from nlp.pipeline import peak_memory_mb  # noqa: E402
from nlp.theming import fit_themes  # noqa: E402


def scores(gold: list[str], pred: list[int]) -> tuple[float, float]:
    """NMI and ARI with every row counted (an 'unthemed' label -1 is one cluster)."""
    return normalized_mutual_info_score(gold, pred), adjusted_rand_score(gold, pred)


def row(name: str, gold: list[str], pred: np.ndarray, embed_s: float, theme_s: float) -> str:
    nmi, ari = scores(gold, list(pred))
    unthemed = float(np.mean(pred == -1))
    k = len(set(pred.tolist()) - {-1})
    return f"| {name} | {nmi:.3f} | {ari:.3f} | {unthemed:.1%} | {k} | {embed_s:.1f} s | {theme_s:.2f} s |"


def bench_test(data: Path, config: PipelineConfig, repeats: int) -> list[str]:
    from bertopic import BERTopic

    df = pd.read_csv(data / "test.csv")
    docs, gold = df["text"].tolist(), df["category"].tolist()
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    encoder.encode(docs[:64])  # warm-up
    t = time.perf_counter()
    emb, _ = embed_texts(docs, encoder, None, config.batch_size)
    embed_s = time.perf_counter() - t
    # warm-up both (imports, numba JIT for UMAP/HDBSCAN)
    fit_themes(docs[:300], emb[:300], config)
    BERTopic().fit_transform(docs[:300], embeddings=emb[:300])
    ours_t, plain_t = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        ours = fit_themes(docs, emb, config)
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        plain_topics, _ = BERTopic().fit_transform(docs, embeddings=emb)
        plain_t.append(time.perf_counter() - t)
    o, p = statistics.median(ours_t), statistics.median(plain_t)
    from nlp.heads import taxonomy_vectors
    from nlp.taxonomy import guidance_features

    taxonomy, phrase_vecs, owners = taxonomy_vectors(config)
    t = time.perf_counter()
    guided = fit_themes(
        docs, guidance_features(emb, phrase_vecs, owners, len(taxonomy.categories), 3.0), config
    )
    g = time.perf_counter() - t
    lines = [
        f"BANKING77 test: {len(docs)} texts, {len(set(gold))} labels, same embeddings for both "
        f"({encoder.backend}, {embed_s:.1f} s); theming time = median of {repeats} warm runs.",
        "",
        "| pipeline | NMI | ARI | unthemed | themes | embedding | theming |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        row("plain `BERTopic()`", gold, np.asarray(plain_topics), embed_s, p),
        row(
            "Afterword (taxonomy guidance off: the exit-reason taxonomy is not about bank intents)",
            gold,
            np.asarray(ours.labels),
            embed_s,
            o,
        ),
        row(
            "Afterword with exit-taxonomy guidance 3.0 (the exit-survey default), for reference",
            gold,
            np.asarray(guided.labels),
            embed_s,
            g,
        ),
        "",
        f"Theming speed-up: {p / o:.1f}x (theming = reduction + clustering + c-TF-IDF keywords).",
    ]
    return lines


def bench_train(data: Path, config: PipelineConfig) -> tuple[list[str], object]:
    df = pd.read_csv(data / "train.csv")
    docs, gold = df["text"].tolist(), df["category"].tolist()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = PipelineConfig(**{**config.__dict__, "cache_dir": Path(tmp)})
        t = time.perf_counter()
        cold = analyze(docs, config=cfg)
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        warm = analyze(docs, config=cfg)
        warm_s = time.perf_counter() - t
    main = [a.theme_id for a in cold.assignments]
    ids = {tid: i for i, tid in enumerate(dict.fromkeys(x for x in main if x))}
    pred = [ids.get(x, -1) for x in main]
    nmi, ari = scores(gold, pred)
    tc, tw = cold.run["timings"], warm.run["timings"]
    lines += [
        f"BANKING77 train end to end ({len(docs)} texts, models already loaded, 2 CPU cores):",
        "",
        "| run | total | preprocess | embed | themes | describe | texts embedded | themes | NMI | ARI |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| cold (empty cache) | {cold_s:.1f} s | {tc['preprocess_s']:.1f} s | {tc['embed_s']:.1f} s | "
        f"{tc['themes_s']:.1f} s | {tc['describe_s']:.1f} s | {cold.run['texts_embedded']} | {len(cold.themes)} | "
        f"{nmi:.3f} | {ari:.3f} |",
        f"| cached re-run | {warm_s:.1f} s | {tw['preprocess_s']:.1f} s | {tw['embed_s']:.1f} s | "
        f"{tw['themes_s']:.1f} s | {tw['describe_s']:.1f} s | {warm.run['texts_embedded']} | {len(warm.themes)} | | |",
        "",
        f"Cached re-run speed-up: {cold_s / warm_s:.1f}x.",
    ]
    return lines, cold


def bench_incremental(
    result: object, texts: list[str], batch_texts: list[str], config: PipelineConfig
) -> list[str]:
    assigner = IncrementalAssigner.from_result(result, config)
    assigner.warm_up()
    times = []
    for text in texts:
        t = time.perf_counter()
        assigner.assign(text)
        times.append((time.perf_counter() - t) * 1000)
    agree = [assigner.assign(a.redacted_text).theme_id == a.theme_id for a in batch_texts]
    return [
        f"Incremental assignment ({len(times)} unseen texts, one at a time): p50 {np.percentile(times, 50):.1f} ms, "
        f"p95 {np.percentile(times, 95):.1f} ms; agrees with the batch theme on {np.mean(agree):.1%} of "
        f"{len(agree)} batch texts."
    ]


def bench_devset(path: Path, config: PipelineConfig) -> list[str]:
    df = pd.read_csv(path, keep_default_na=False, dtype=str)
    t = time.perf_counter()
    res = analyze(df["text"].tolist(), df["id"].tolist(), config=config)
    el = time.perf_counter() - t
    themes = {th.id: th for th in res.themes}
    gold_na = df["is_non_answer"].astype(int).astype(bool).to_numpy()
    pred_na = np.array([a.is_non_answer for a in res.assignments])
    answers = ~gold_na
    gold = df["category"].to_numpy()[answers]
    main = [a.theme_id for a, keep in zip(res.assignments, answers, strict=True) if keep]
    ids = {tid: i for i, tid in enumerate(dict.fromkeys(x for x in main if x))}
    pred = [ids.get(x, -1) for x in main]
    nmi, ari = scores(list(gold), pred)
    cat_pred = np.array([themes[x].category if x in themes else "non_answer" for x in main])
    cat_gold = np.where(gold == "other", "emerging", gold)
    cat_acc = float(np.mean(cat_pred == cat_gold))
    # planted PII anywhere in the output
    outputs = [a.redacted_text for a in res.assignments]
    for th in res.themes:
        outputs += th.quotes + [th.label] + th.keywords
    blob = "\n".join(outputs)
    planted = [s for spans in df["pii_spans"] for s in json.loads(spans or "[]")]
    # whole words only: "Mark" the agent, not the "Marketing" in a label
    survived = [s for s in planted if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", blob)]
    two = df["secondary_category"].to_numpy() != ""
    both = []
    for a, sec, keep in zip(res.assignments, df["secondary_category"], two, strict=True):
        if keep:
            cats = [themes[t].category for t in a.theme_ids if t in themes]
            both.append(sec in cats[1:])
    return (
        [
            f"Exit-survey devset ({len(df)} answers, {int(answers.sum())} real answers, {len(res.themes)} themes, "
            f"{el:.1f} s end to end):",
            "",
            "| measure | value |",
            "| --- | --- |",
            f"| NMI vs category (real answers) | {nmi:.3f} |",
            f"| ARI vs category (real answers) | {ari:.3f} |",
            f"| category accuracy (theme's category = label; `other` = `emerging`) | {cat_acc:.1%} |",
            f"| non-answers caught (recall) | {int((pred_na & gold_na).sum())}/{int(gold_na.sum())} |",
            f"| answers wrongly flagged as non-answers | {int((pred_na & ~gold_na).sum())} |",
            f"| two-reason answers whose second theme has the secondary category | {sum(both)}/{len(both)} |",
            f"| planted personal data surviving in any output | {len(survived)}/{len(planted)} |",
        ]
        + ([f"  survived: {survived}"] if survived else [])
        + [
            "",
            "Largest devset themes:",
            "",
            "| theme | category | answers | sentiment | keywords |",
            "| --- | --- | --- | --- | --- |",
        ]
        + [
            f"| {t.label} | {t.category} | {t.size} | {t.sentiment:+.2f} | {', '.join(t.keywords[:5])} |"
            for t in res.themes[:15]
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    parser.add_argument("--devset", type=Path, default=ROOT / "bench" / "data" / "devset.csv")
    parser.add_argument("--skip-train", action="store_true", help="skip the 10,003-text end-to-end runs")
    parser.add_argument("--skip-test", action="store_true", help="skip the BANKING77 test comparison")
    parser.add_argument("--repeats", type=int, default=3, help="warm theming runs per pipeline (median)")
    args = parser.parse_args()
    # BANKING77: bank intents, not exit reasons: no taxonomy guidance, no root-cause classification
    config = PipelineConfig(taxonomy_guidance=0.0, classify_root_causes=False)
    t = time.perf_counter()
    load_spacy(config.spacy_model)
    load_tagger(config.spacy_model)
    enc = load_encoder(config.embedding_model, config.device, config.backend)
    load_s = time.perf_counter() - t

    def emit(lines: list[str]) -> None:
        print("\n".join(lines), flush=True)

    emit(
        [
            f"Models: {enc.name} ({enc.backend}, {config.device}), spaCy {config.spacy_model}; "
            f"loaded in {load_s:.1f} s. CPU cores: {os.cpu_count()}; load average at start "
            f"{os.getloadavg()[0]:.1f} (other work on the machine slows every timing below).",
            "",
        ]
    )
    if not args.skip_test:
        emit(bench_test(args.data, config, args.repeats) + [""])
    if not args.skip_train:
        lines, train_result = bench_train(args.data, config)
        emit(lines + [""])
        test_texts = pd.read_csv(args.data / "test.csv")["text"].tolist()[:300]
        emit(bench_incremental(train_result, test_texts, train_result.assignments[:500], config) + [""])
    if args.devset.exists():
        emit(bench_devset(args.devset, PipelineConfig()) + [""])  # exit-survey defaults
    else:
        emit([f"(devset {args.devset} not found: skipped)", ""])
    emit(
        [
            f"Peak memory (RSS) of the benchmark process: {peak_memory_mb():.0f} MiB. "
            f"Load average at the end: {os.getloadavg()[0]:.1f}."
        ]
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
