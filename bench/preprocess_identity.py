"""Identity check for preprocessing speed work: the same outputs before and after, byte for byte.

    .venv/bin/python bench/preprocess_identity.py dump OUT.json [--repo CHECKOUT] [--answers 10000]
    .venv/bin/python bench/preprocess_identity.py diff BEFORE.json AFTER.json

``dump`` runs ``prepare_docs`` (redacted text, non-answer flag, segments) of the checkout at
``--repo`` (default: this one; give a ``git worktree`` or ``git archive`` of main for the "before")
over the dev files (devset*, nadev*, nonanswer_dev*, pii_dev*, secondary_dev*; never the test or
fresh files), the synthetic answers of ``bench/analysis_scale.py`` and every string literal of
this checkout's ``tests/`` (upper- and lower-cased and joined in pairs too: they are written to hit
the rules), once without and once with an allow-list of names, and prints the CPU seconds of the
synthetic part. ``diff`` compares two dumps and exits non-zero when any output differs.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_FILES = ("devset*.csv", "nadev*.csv", "nonanswer_dev*.csv", "pii_dev*.csv", "secondary_dev*.csv")
KEEP = ["Monzo", "Max", "Sarah Lee", "Notion"]


def dev_texts(repo: Path) -> list[str]:
    """The ``text`` column of the dev files (held-out test and fresh files are never read)."""
    texts: list[str] = []
    for path in sorted({p for pattern in DEV_FILES for p in (repo / "bench" / "data").glob(pattern)}):
        if "test" in path.name or "fresh" in path.name:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row.get("text") or "" for row in csv.DictReader(handle)]
    return texts


def test_strings(repo: Path, seed: int = 3) -> list[str]:
    """String literals of ``tests/`` (3 to 2,000 characters, no lone surrogates), re-cased and paired."""
    found: set[str] = set()
    for path in sorted((repo / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and 3 <= len(node.value) <= 2000
            ):
                if not any(0xD800 <= ord(c) <= 0xDFFF for c in node.value):
                    found.add(node.value)
    strings = sorted(found)
    rng = random.Random(seed)
    joins = [" ", ". ", "\n", ", ", " - "]
    pairs = [rng.choice(strings) + rng.choice(joins) + rng.choice(strings) for _ in range(3000)]
    return strings + [s.upper() for s in strings[::3]] + [s.lower() for s in strings[1::3]] + pairs


def dump(repo: Path, out: Path, answers: int, data: Path) -> None:
    """Write the inputs and ``prepare_docs`` outputs of ``repo``'s code to ``out``."""
    sys.path.insert(0, str(repo))
    sys.path.insert(1, str(ROOT / "bench"))
    from analysis_scale import make_answers

    from nlp.models import load_spacy  # the checkout's own code, put first on the path above
    from nlp.preprocess import prepare_docs

    synthetic, _ = make_answers(data, answers)
    others = dev_texts(ROOT) + test_strings(ROOT)  # the same inputs whichever code runs
    nlp = load_spacy("en_core_web_sm")
    prepare_docs(["Hi, Sarah here. Card 4111 1111 1111 1111 was charged twice."], nlp)  # load the word lists
    start = time.process_time()
    synth_out = [p.to_list() for p in prepare_docs(synthetic, nlp)]
    cpu = time.process_time() - start
    result = {
        "texts": synthetic + others,
        "plain": synth_out + [p.to_list() for p in prepare_docs(others, nlp)],
        "kept": [p.to_list() for p in prepare_docs(others, nlp, keep_names=KEEP)],
    }
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print(f"{len(result['texts']):,} texts; prepare_docs on {answers:,} synthetic answers: {cpu:.2f} s CPU")


def diff(before: Path, after: Path) -> int:
    """Print how many outputs differ (and the first few); non-zero when any does."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    if a["texts"] != b["texts"]:
        print("the inputs differ: dump both with the same --answers and tests/")
        return 2
    bad = 0
    for key in ("plain", "kept"):
        differ = [i for i, (x, y) in enumerate(zip(a[key], b[key], strict=True)) if x != y]
        bad += len(differ)
        print(f"{key}: {len(a[key]):,} compared, {len(differ)} differ")
        for i in differ[:5]:
            print(f"  {a['texts'][i][:100]!r}\n    before {a[key][i]}\n    after  {b[key][i]}")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="dump a checkout's preprocessing outputs")
    d.add_argument("out", type=Path)
    d.add_argument(
        "--repo", type=Path, default=ROOT, help="checkout whose nlp/ code to run (default: this one)"
    )
    d.add_argument("--answers", type=int, default=10_000, help="synthetic answers (default 10,000)")
    shared = next((p for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent)
    d.add_argument("--data", type=Path, default=shared / "shared" / "datasets" / "banking77")
    c = sub.add_parser("diff", help="compare two dumps")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.repo.resolve(), args.out, args.answers, args.data)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
