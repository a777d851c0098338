"""Benchmark: the whole CLI process on a cached re-run of 3,000 answers against plain BERTopic's
fit alone on the same embeddings.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/cli_rerun.py [--data ../shared/datasets/banking77]

Writes 3,000 BANKING77 test texts to a CSV, runs ``python -m nlp themes`` on it twice with one
cache folder (the second run is the cached re-run: a fresh process, imports, model loads,
nothing left to embed or parse), then embeds the same texts in this process and times
``BERTopic().fit_transform`` on those embeddings: the first fit in the process (as a one-off job
pays it, numba compiling UMAP) and a second one (warm).
"""

from __future__ import annotations

import argparse
import os
import subprocess
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    parser.add_argument("--answers", type=int, default=3000)
    args = parser.parse_args()
    import pandas as pd

    texts = pd.read_csv(args.data / "test.csv")["text"].tolist()[: args.answers]
    with tempfile.TemporaryDirectory(prefix="afterword-cli-") as tmp:
        work = Path(tmp)
        source = work / "answers.csv"
        pd.DataFrame({"text": texts}).to_csv(source, index=False)
        cmd = [
            sys.executable,
            "-m",
            "nlp",
            "themes",
            str(source),
            "--text-column",
            "text",
            "--cache-dir",
            str(work / "cache"),
            "--no-progress",
            "--out",
            str(work / "out.json"),
        ]
        walls = []
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
            walls.append(time.perf_counter() - start)

    from bertopic import BERTopic

    from nlp import PipelineConfig
    from nlp.embeddings import embed_texts
    from nlp.models import load_encoder

    config = PipelineConfig()
    vectors, _ = embed_texts(texts, load_encoder(config.embedding_model, config.device, config.backend))
    fits = []
    for _ in range(2):
        start = time.perf_counter()
        BERTopic().fit_transform(texts, embeddings=vectors)
        fits.append(time.perf_counter() - start)
    print(f"{len(texts):,} answers, {os.cpu_count()} CPU cores\n")
    print("| what | wall |")
    print("| --- | --- |")
    print(
        f"| `python -m nlp themes`, cold (embeds, parses, trains nothing if the head is cached) | {walls[0]:.1f} s |"
    )
    print(f"| `python -m nlp themes`, cached re-run (whole process) | {walls[1]:.1f} s |")
    print(f"| `BERTopic().fit_transform` on the same embeddings, first fit in a process | {fits[0]:.1f} s |")
    print(f"| `BERTopic().fit_transform` on the same embeddings, warm | {fits[1]:.1f} s |")


if __name__ == "__main__":
    main()
