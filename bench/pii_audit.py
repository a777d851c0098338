"""Precision audit: every redaction made on answers with no planted personal data.

Run from the repository root (CPU only, a few minutes)::

    .venv/bin/python bench/pii_audit.py [CSV ...] > audit.tsv

Each CSV needs ``text``; rows whose ``pii_spans`` is not ``[]`` and rows of a ``check`` half are
skipped, so what is left was written blind with no planted data and every redaction is one to
judge by hand (a person, contact or account is right; a brand, place, price, plan, date is not).
Default lists: the example bank and the dev lists without planted data. Prints one
tab-separated line per redaction: list, row, tag, the redacted words, the text around them.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.models import load_spacy  # noqa: E402
from nlp.rules import normalize  # noqa: E402

DEFAULT = [
    "nlp/data/examples.csv",
    "bench/data/coarse_dev.csv",
    "bench/data/secondary_dev.csv",
    "bench/data/secondary_dev2.csv",
    "bench/data/secondary_dev3.csv",
    "bench/data/devset.csv",
    "bench/data/devset2.csv",
]


def unplanted_texts(path: Path) -> list[tuple[str, str]]:
    """(row id, normalised text) of the rows with nothing planted, check halves left out."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    keep = [r for r in rows if (r.get("pii_spans") or "[]").strip() == "[]" and r.get("half") != "check"]
    return [(r.get("id") or str(i), normalize(r["text"])) for i, r in enumerate(keep)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "csv",
        nargs="*",
        default=DEFAULT,
        help="labelled lists, relative to the repository root (default: %(default)s)",
    )
    args = parser.parse_args()
    nlp = load_spacy("en_core_web_sm")
    total = 0
    for name in args.csv:
        items = unplanted_texts(ROOT / name)
        docs = nlp.pipe([t for _, t in items])
        for (row, text), doc in zip(items, docs, strict=True):
            for start, end, tag in doc._.redactions:
                total += 1
                around = text[max(0, start - 60) : end + 40].replace("\n", " ").replace("\t", " ")
                print(f"{Path(name).stem}\t{row}\t{tag}\t{text[start:end]}\t{around}")
        print(f"# {name}: {len(items)} texts", file=sys.stderr)
    print(f"# {total} redactions", file=sys.stderr)


if __name__ == "__main__":
    main()
