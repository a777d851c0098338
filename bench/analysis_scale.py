"""Benchmark: the analysis pipeline over 100,000 answers on this machine, killed part-way and resumed.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/analysis_scale.py [--answers 100000] [--kill-after 90] [--flat]

``--flat`` runs the pipeline as it was before root-cause classification (one clustering of all
answers, taxonomy guidance off) for comparison. The embed stage is the floor: the time to embed
the same texts and nothing else; the classify column is what the root-cause heads add to it.

The answers are BANKING77 train+test (13,083 texts, 77 labels) repeated with variation (greetings,
sign-offs, typos, case), every one distinct, so nothing is served from duplicates. The analysis runs
in a child process with an on-disk cache (as the app's analysis job does); with ``--kill-after S``
the first child is SIGKILLed after S seconds and a second one started on the same cache, which
only embeds what the first had not finished. Prints a Markdown table (time per stage, texts
embedded, themes, peak memory, NMI/ARI of the main theme against the BANKING77 labels) and writes
``bench/results/analysis-scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = [
    "",
    "",
    "",
    "Hi, ",
    "Hello. ",
    "Honestly ",
    "Well, ",
    "Quick question: ",
    "Sorry to bother you, ",
    "Urgent: ",
    "Hey there! ",
    "Good morning. ",
]
SUFFIXES = [
    "",
    "",
    "",
    " Thanks.",
    " Thank you!",
    " Please advise.",
    " Any ideas?",
    " Cheers",
    " asap",
    " Kind regards.",
    " This is frustrating.",
    " Help me out please.",
]


def vary(text: str, rng: random.Random) -> str:
    """One variation of ``text``: a greeting, a sign-off, maybe a typo or lower case."""
    words = text.split()
    if words and rng.random() < 0.35:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    out = rng.choice(PREFIXES) + " ".join(words) + rng.choice(SUFFIXES)
    return out.lower() if rng.random() < 0.2 else out


def make_answers(data: Path, n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` distinct varied answers and their BANKING77 labels."""
    import pandas as pd

    base = pd.concat([pd.read_csv(data / "train.csv"), pd.read_csv(data / "test.csv")], ignore_index=True)
    rng = random.Random(seed)
    seen: set[str] = set()
    texts, labels = [], []
    rows = list(zip(base["text"], base["category"], strict=True))
    while len(texts) < n:
        text, label = rows[len(texts) % len(rows)] if len(texts) < len(rows) else rng.choice(rows)
        candidate = text if len(texts) < len(rows) else vary(text, rng)
        if candidate in seen:
            continue
        seen.add(candidate)
        texts.append(candidate)
        labels.append(label)
    return texts, labels


def worker(answers: Path, cache: Path, out: Path, flat: bool = False) -> None:
    """Child process: analyse the answers with the cache; write the run summary to ``out``."""
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from nlp import PipelineConfig, analyze

    df = pd.read_csv(answers, keep_default_na=False, dtype=str)
    last = {"stage": "", "t": 0.0}
    cpu_from: dict[str, float] = {}  # CPU time (all threads) when each stage began

    def progress(stage: str, fraction: float) -> None:
        cpu_from.setdefault(stage, time.process_time())
        now = time.perf_counter()
        if stage != last["stage"] or now - last["t"] > 10 or fraction >= 1.0:
            print(f"  {stage:<10} {fraction:6.1%}", file=sys.stderr, flush=True)
            last.update(stage=stage, t=now)

    t = time.perf_counter()
    result = analyze(
        df["text"].tolist(),
        df["id"].tolist(),
        config=PipelineConfig(cache_dir=cache, taxonomy_guidance=0, classify_root_causes=not flat),
        progress=progress,
    )
    wall = time.perf_counter() - t
    marks = [*cpu_from.values(), time.process_time()]
    cpu = {f"{stage}_s": round(marks[i + 1] - marks[i], 2) for i, stage in enumerate(cpu_from)}
    main = [a.theme_id or "-" for a in result.assignments]
    out.write_text(json.dumps({"wall_s": wall, "run": result.run, "main": main, "cpu": cpu}))


def run_child(
    answers: Path, cache: Path, out: Path, kill_after: float | None, flat: bool = False
) -> tuple[float, bool, float]:
    """Run the worker; SIGKILL it after ``kill_after`` seconds. Returns (wall seconds, killed,
    CPU seconds of the child: on a shared machine the fair measure of the work itself)."""
    cmd = [sys.executable, __file__, "--worker", str(answers), str(cache), str(out)] + (
        ["--flat"] if flat else []
    )
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(
        cmd, env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    )
    try:
        child.wait(timeout=kill_after)
        killed = False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed = True
    if not killed and child.returncode != 0:
        raise SystemExit(f"analysis child failed with exit code {child.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t, killed, cpu


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), flat="--flat" in sys.argv[5:])
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    parser.add_argument(
        "--answers", type=int, default=100_000, help="how many distinct answers (default 100,000)"
    )
    parser.add_argument(
        "--kill-after",
        type=float,
        default=0,
        help="SIGKILL the first run after this many seconds and resume (0 = one uninterrupted run)",
    )
    parser.add_argument(
        "--flat",
        action="store_true",
        help="the pipeline before root-cause classification (one clustering of everything)",
    )
    args = parser.parse_args()
    if args.answers < 100:
        parser.error("--answers must be at least 100")
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    texts, labels = make_answers(args.data, args.answers)
    with tempfile.TemporaryDirectory(prefix="afterword-scale-") as tmp:
        work = Path(tmp)
        answers = work / "answers.csv"
        pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts}).to_csv(answers, index=False)
        out = work / "result.json"
        runs = []
        if args.kill_after > 0:
            print(f"run 1: {len(texts):,} answers, killed after {args.kill_after:.0f} s", file=sys.stderr)
            wall, killed, cpu = run_child(answers, work / "cache", out, args.kill_after, args.flat)
            runs.append({"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "killed": killed})
        print(
            f"run {len(runs) + 1}: {len(texts):,} answers{' (resumed on the same cache)' if runs else ''}",
            file=sys.stderr,
        )
        wall, _, cpu = run_child(answers, work / "cache", out, None, args.flat)
        result = json.loads(out.read_text())
        run = result["run"]
        nmi = normalized_mutual_info_score(labels, result["main"])
        ari = adjusted_rand_score(labels, result["main"])
        runs.append(
            {
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "killed": False,
                "analyze_s": round(result["wall_s"], 1),
                "timings": run["timings"],
                # the pipeline's own CPU per stage (same boundaries as its wall timings: the
                # texts the classify stage embeds count as embed); older runs: between progress calls
                "cpu_timings": run.get("cpu_timings", result["cpu"]),
                "texts_parsed": run["texts_parsed"],
                "texts_embedded": run["texts_embedded"],
                "n_segments": run["n_segments"],
                "n_themes": run["n_themes"],
                "peak_memory_mb": run["peak_memory_mb"],
                "nmi": round(nmi, 3),
                "ari": round(ari, 3),
            }
        )
    summary = {
        "answers": len(texts),
        "pipeline": "flat (before)" if args.flat else "root causes",
        "cpu_cores": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "embedding_backend": run["embedding_backend"],
        "runs": runs,
    }
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    name = f"analysis-scale-{len(texts)}{'-flat' if args.flat else ''}.json"
    (ROOT / "bench" / "results" / name).write_text(json.dumps(summary, indent=2))
    print(f"\n{len(texts):,} answers, {os.cpu_count()} CPU cores, embeddings: {run['embedding_backend']}\n")
    print(
        "| run | wall | CPU | preprocess | embed (floor) | classify | themes | describe | parsed | embedded | themes "
        "| peak RSS | NMI | ARI |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for i, r in enumerate(runs, 1):
        if r["killed"]:
            print(f"| {i} (SIGKILL) | {r['wall_s']:.0f} s | {r['cpu_s']:.0f} s | | | | | | | | | | | |")
            continue
        t = r["timings"]
        print(
            f"| {i} | {r['wall_s']:.0f} s | {r['cpu_s']:.0f} s | {t['preprocess_s']:.0f} s | {t['embed_s']:.0f} s "
            f"| {t.get('classify_s', 0):.1f} s | {t['themes_s']:.0f} s "
            f"| {t['describe_s']:.0f} s | {r['texts_parsed']:,} | {r['texts_embedded']:,} | {r['n_themes']} "
            f"| {r['peak_memory_mb']:.0f} MiB | {r['nmi']:.3f} | {r['ari']:.3f} |"
        )
        print(f"CPU seconds per stage (all threads): {json.dumps(r['cpu_timings'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
