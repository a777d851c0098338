"""Trial: the main head trained on the bank plus synthetic two-cause answers (two bank answers of
different causes joined by a connective, labelled main 0.6 / second 0.4 as the bank's own
two-cause rows), so that a second reason in passing is learnt as a reason.

    nice -n 10 .venv/bin/python bench/synthetic_bank_trial.py [--pairs 1500] [--seed 0] [--split ...]

Prints the shipped settings' figures and the ``secondary_min_probability`` curve. Dev splits only.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from multilabel_trial import bank_rows, synthetic_pairs  # noqa: E402
from secondary_causes import SPLITS, evaluate, line, load_split  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.classifier import DEFAULT_BANK  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split", nargs="+", default=["dev", "dev2", "mine", "mine2", "mine3"], choices=sorted(SPLITS)
    )
    parser.add_argument("--pairs", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    bank = Path(tempfile.mkdtemp()) / "bank.csv"
    with Path(DEFAULT_BANK).open(encoding="utf-8-sig", newline="") as src, bank.open("w", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=["text", "category", "secondary_category"])
        writer.writeheader()
        for r in reader:
            writer.writerow({k: r.get(k, "") for k in ("text", "category", "secondary_category")})
        for text, (a, b) in synthetic_pairs(bank_rows(), args.pairs, args.seed):
            writer.writerow({"text": text, "category": a, "secondary_category": b})
    config = dataclasses.replace(PipelineConfig(), example_bank=bank)
    data = {s: load_split(s, config) for s in args.split}
    for s, d in data.items():
        print(line(s, evaluate(d, config)))
    for smp in (0.5, 0.55, 0.6, 0.65, 0.7):
        cfg = dataclasses.replace(config, secondary_min_probability=smp)
        rs = [evaluate(d, cfg) for d in data.values()]
        print(smp, " | ".join(f"{r['found']}/{r['sec']} {r['extra']} {r['accuracy']:.1%}" for r in rs))


if __name__ == "__main__":
    main()
