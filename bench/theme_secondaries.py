"""Tuning bench: second causes that reach ``theme_ids``, against those the classify stage finds.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/theme_secondaries.py [--split dev dev2 mine mine2 mine3 mine4]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/theme_secondaries.py --file blind.csv   # a new list, scored once

Runs ``nlp.analyze`` on each list on its own (as ``bench/root_causes.py`` does) and scores, per
list, main-cause accuracy over the 12 causes and, for the answers with a labelled second cause,
how many count toward it at two levels: **clauses** (``Assignment.root_causes``, what the
classify stage gives) and **themes** (the causes of the themes in ``Assignment.theme_ids``, what
the CLI's ``assignments[].theme_ids`` carries and the held-out target counts). Also one-cause
answers (a cause labelled, no second) given a second cause at each level, and the unlabelled
extra causes at each level (causes beyond the main one that are neither labelled cause). ``--show`` prints each
second cause found by the clauses but lost on the way to ``theme_ids``, and why. Tuning lists
only: the held-out sets are scored by ``bench/root_causes.py``, by the lead.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import PipelineConfig, analyze  # noqa: E402
from nlp.heads import current_taxonomy  # noqa: E402

DATA = ROOT / "bench" / "data"
# list name -> (file, rows kept: id prefix or ``half`` value, None for all)
SPLITS: dict[str, tuple[Path, str | None]] = {
    "dev": (DATA / "devset.csv", None),
    "dev2": (DATA / "devset2.csv", None),
    "mine": (DATA / "secondary_dev.csv", None),
    "mine2": (DATA / "secondary_dev2.csv", "t"),
    "mine3": (DATA / "secondary_dev3.csv", "tune"),
    "mine4": (DATA / "secondary_dev4.csv", None),  # blind in the fifteenth round, both halves tuning now
    "mine6": (DATA / "secondary_dev6.csv", "tune"),
    "mine7": (DATA / "secondary_dev7.csv", "tune"),
    "mine8": (DATA / "secondary_dev8.csv", "tune"),  # written blind for the nineteenth round
    "mine8-check": (DATA / "secondary_dev8.csv", "check"),  # scored once (h-sec40), tuning since
    "mine9": (DATA / "secondary_dev9.csv", None),  # blind in the twentieth round, tuning since
    "mine10": (DATA / "secondary_dev10.csv", None),  # blind in the twenty-first round, tuning since
    "mine11": (DATA / "secondary_dev11.csv", None),  # blind in the twenty-second round, tuning since
}


def load(path: Path, keep: str | None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if keep is None:
        return rows
    return [r for r in rows if r.get("half") == keep or (not r.get("half") and r["id"].startswith(keep))]


def score(name: str, rows: list[dict[str, str]], config: PipelineConfig, show: bool) -> dict[str, int]:
    keys = set(current_taxonomy(config).keys)
    result = analyze([r["text"] for r in rows], config=config)
    category = {t.id: t.category for t in result.themes}
    out = dict.fromkeys(
        (
            "answers",
            "right",
            "sec",
            "clause",
            "theme",
            "single",
            "single_clause",
            "single_theme",
            "clause_extra",
            "theme_extra",
        ),
        0,
    )
    for r, a in zip(rows, result.assignments, strict=True):
        if r["category"] not in keys:
            continue
        clause = [] if a.is_non_answer else list(a.root_causes)
        theme = list(dict.fromkeys(category[t] for t in a.theme_ids))
        out["answers"] += 1
        out["right"] += bool(clause) and clause[0] == r["category"]
        second = r.get("secondary_category") or ""
        labelled = {r["category"], second}
        # causes beyond the main one that the labels do not give: what a CX team reads as wrong
        out["clause_extra"] += sum(1 for c in clause[1:] if c not in labelled)
        out["theme_extra"] += sum(1 for c in theme if c not in labelled and (not clause or c != clause[0]))
        if second:
            out["sec"] += 1
            out["clause"] += second in clause
            out["theme"] += second in theme
            if show and second in clause and second not in theme:
                why = "no theme of that cause" if second not in category.values() else "theme not added"
                print(
                    f"LOST {name} {r['category']}+{second} ({why}) clause {clause} themes {theme}: {r['text'][:120]}"
                )
        else:
            out["single"] += 1
            out["single_clause"] += len(clause) > 1
            out["single_theme"] += len(theme) > 1
    return out


def line(name: str, r: dict[str, int]) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({a / max(1, b):.1%})"

    return (
        f"{name}: accuracy {pct(r['right'], r['answers'])}; second causes: clauses {pct(r['clause'], r['sec'])}, "
        f"theme_ids {pct(r['theme'], r['sec'])}; one-cause answers given a second: clauses "
        f"{pct(r['single_clause'], r['single'])}, theme_ids {pct(r['single_theme'], r['single'])}; "
        f"unlabelled extra causes: clauses {r['clause_extra']}, theme_ids {r['theme_extra']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="*", default=[], choices=sorted(SPLITS))
    parser.add_argument("--file", type=Path, nargs="*", default=[], help="other labelled lists, all rows")
    parser.add_argument(
        "--show", action="store_true", help="print second causes lost on the way to theme_ids"
    )
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: none)")
    args = parser.parse_args()
    config = PipelineConfig(cache_dir=args.cache_dir)
    lists = [(s, *SPLITS[s]) for s in args.split or ["dev", "dev2"]] if not args.file or args.split else []
    lists += [(p.stem, p, None) for p in args.file]
    total: dict[str, int] = {}
    for name, path, keep in lists:
        r = score(name, load(path, keep), config, args.show)
        print(line(name, r), flush=True)
        for k, v in r.items():
            total[k] = total.get(k, 0) + v
    if len(lists) > 1:
        print(line("all", total))


if __name__ == "__main__":
    main()
