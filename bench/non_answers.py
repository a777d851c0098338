"""Non-answers caught and real answers falsely flagged, by the rules alone and by the pipeline.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/non_answers.py [bench/data/nonanswer_dev.csv] [-v]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/non_answers.py bench/data/nonanswer_dev2.csv --part tune
    HF_HUB_OFFLINE=1 .venv/bin/python bench/non_answers.py bench/data/nadev6.csv --part check
    HF_HUB_OFFLINE=1 .venv/bin/python bench/non_answers.py bench/data/channel_non_answers_dev.csv -v

The CSV needs ``text`` and ``is_non_answer`` (1/0); a ``kind`` column (what sort of non-answer or
which cause) groups the misses. "Rules" is :func:`nlp.rules.is_non_answer` on the redacted
text; "pipeline" is :func:`nlp.analyze` as shipped (the rules, then the root-cause head).
Targets (issue 17): at least 95% of non-answers caught, at most 1% of real answers flagged.
``-v`` lists every miss and every false flag. ``--part tune|check`` keeps the rows of a list whose
``split`` column says so (``nonanswer_dev2.csv``, ``nonanswer_dev3.csv``, ``nadev4.csv``, ``nadev5.csv``,
``nadev6.csv``, ``nadev7.csv``: a tuning half and a check half looked at once), or, for a list without
``split``, whose ``half`` column does (``nonanswer_blind_dev.csv``); a list with neither is refused.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import PipelineConfig, analyze  # noqa: E402


def _gold(row: dict[str, str]) -> bool:
    return str(row["is_non_answer"]).strip().lower() in ("1", "true", "yes")


def report(name: str, rows: list[dict[str, str]], flagged: list[bool], verbose: bool) -> None:
    """Print caught/false for one method (and, with ``verbose``, each error)."""
    gold = [_gold(r) for r in rows]
    na = [i for i, g in enumerate(gold) if g]
    real = [i for i, g in enumerate(gold) if not g]
    caught = sum(flagged[i] for i in na)
    false = sum(flagged[i] for i in real)
    print(
        f"{name:9} {caught / max(1, len(na)):7.1%} caught ({caught} of {len(na)}), "
        f"{false / max(1, len(real)):.1%} of real answers flagged ({false} of {len(real)})"
    )
    missed = Counter(rows[i].get("kind", "") for i in na if not flagged[i])
    if missed:
        print(f"          missed by kind: {dict(missed.most_common())}")
    if verbose:
        for i in na:
            if not flagged[i]:
                print(f"  MISSED  {rows[i]['text'][:120]!r}")
        for i in real:
            if flagged[i]:
                print(f"  FALSE   {rows[i]['text'][:120]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "csv",
        nargs="?",
        default=str(ROOT / "bench" / "data" / "nonanswer_dev.csv"),
        help="labelled list with `text` and `is_non_answer` (optional `kind`, `split` or `half`); "
        "default bench/data/nonanswer_dev.csv",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false flags")
    parser.add_argument(
        "--part",
        choices=("tune", "check"),
        help="only rows whose `split` column (or, without one, `half` column) has this value",
    )
    args = parser.parse_args()
    with open(args.csv, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        column = "split" if "split" in fields else "half"
        if args.part and column not in fields:
            parser.error(f"{args.csv} has no `split` or `half` column, so no --part")
        rows = [r for r in reader if not args.part or r.get(column) == args.part]
    work = Path(tempfile.mkdtemp(prefix="afterword-na-"))
    result = analyze([r["text"] for r in rows], config=PipelineConfig(cache_dir=work / "cache"))
    from nlp.non_answers import is_non_answer

    print(f"{args.csv}{f' ({args.part} rows)' if args.part else ''}: {len(rows)} rows")
    report("rules", rows, [is_non_answer(a.redacted_text) for a in result.assignments], args.verbose)
    report("pipeline", rows, [a.is_non_answer for a in result.assignments], args.verbose)


if __name__ == "__main__":
    main()
