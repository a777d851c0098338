"""Sentiment per root cause on the tuning lists: the whole answer's VADER score against the
reason's (praise and politeness left out), and a fixed sample to read by hand.

    .venv/bin/python bench/reason_sentiment.py            # table per root cause
    .venv/bin/python bench/reason_sentiment.py --sample 60 [--seed 52]  # a sample, both scores

Tuning lists only (devset, devset2, nlp/data/examples.csv); never a held-out file.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from pathlib import Path

from nlp.reason_tone import reason_sentiment
from nlp.sentiment import sentiment

ROOT = Path(__file__).resolve().parents[1]
FILES = (ROOT / "bench/data/devset.csv", ROOT / "bench/data/devset2.csv", ROOT / "nlp/data/examples.csv")
POSITIVE = 0.05  # VADER's usual threshold for "positive"


def rows() -> list[tuple[str, str]]:
    """(text, category) of the English answers with a cause (non-answers left out)."""
    out = []
    for path in FILES:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("is_non_answer") == "1" or row.get("language", "en") != "en":
                    continue
                if row["category"] and row["category"] != "non_answer":
                    out.append((row["text"], row["category"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=51, help="51: the sample read first; 52: the check")
    args = parser.parse_args()
    data = rows()
    if args.sample:
        picked = random.Random(args.seed).sample(data, args.sample)
        for i, (text, cause) in enumerate(picked, 1):
            print(f"{i}\t{cause}\t{sentiment(text):+.2f}\t{reason_sentiment(text):+.2f}\t{text}")
        return
    started = time.process_time()
    whole = [sentiment(t) for t, _ in data]
    middle = time.process_time()
    reason = [reason_sentiment(t) for t, _ in data]
    ended = time.process_time()
    by_cause: dict[str, list[int]] = defaultdict(list)
    for i, (_, cause) in enumerate(data):
        by_cause[cause].append(i)
    print(
        "| root cause | answers | whole: mean | whole: share > +0.05 | reason: mean | reason: share > +0.05 "
        "| reason: share within ±0.05 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for cause, idx in sorted(by_cause.items(), key=lambda kv: -len(kv[1])) + [
        ("all", list(range(len(data))))
    ]:
        w, r = [whole[i] for i in idx], [reason[i] for i in idx]
        print(
            f"| {cause} | {len(idx)} | {sum(w) / len(w):+.2f} | {sum(v > POSITIVE for v in w) / len(w):.0%} | "
            f"{sum(r) / len(r):+.2f} | {sum(v > POSITIVE for v in r) / len(r):.0%} | "
            f"{sum(abs(v) <= POSITIVE for v in r) / len(r):.0%} |"
        )
    n = len(data)
    print(
        f"\nCPU per answer: whole {1e6 * (middle - started) / n:.0f} µs, reason {1e6 * (ended - middle) / n:.0f} µs"
    )


if __name__ == "__main__":
    main()
