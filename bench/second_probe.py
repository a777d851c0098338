"""Trial bench (h-second62): second causes per list half, from cached probabilities.

    .venv/bin/python bench/second_probe.py dump OUT.pkl LIST.csv ...   # head probabilities, once
    .venv/bin/python bench/second_probe.py score OUT.pkl [--half tune|check]  # shipped rules
    .venv/bin/python bench/second_probe.py oracle OUT.pkl [--half tune]   # where the missed second cause ranks

Tuning lists only (never the held-out sets). A row's half is its ``half`` column, or its id prefix
in ``secondary_dev2.csv`` ("t" tune, "k" check); a list without halves is all "tune".
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from secondary_causes import deciding_probs, load_split  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.causes import classify_answers  # noqa: E402
from nlp.heads import current_taxonomy  # noqa: E402

HELD_OUT = ("testset", "_fresh", "pairs_multi.csv", "fresh")


def half_of(path: str, row: dict[str, str]) -> str:
    if row.get("half"):
        return row["half"]
    if path.endswith("secondary_dev2.csv"):
        return "tune" if row["id"].startswith("t") else "check"
    return "tune"


def dump(out: Path, lists: list[str]) -> None:
    config = PipelineConfig()
    data = {}
    for name in lists:
        assert not any(h in Path(name).name for h in HELD_OUT), name
        rows, valid, docs, doc_p, seg_p, owner, classes = load_split(name, config)
        deciding = deciding_probs(docs, config)
        data[name] = (rows, valid, docs, doc_p, seg_p, owner, classes, deciding)
        print("loaded", name, len(rows), flush=True)
    with out.open("wb") as handle:
        pickle.dump(data, handle)


def calls_of(d, config: PipelineConfig, classify=classify_answers):
    rows, valid, docs, doc_p, seg_p, owner, classes, deciding = d
    taxonomy = current_taxonomy(config)
    calls = classify(
        doc_p, seg_p, owner, classes, config, taxonomy.emerging_key, docs, taxonomy, deciding=deciding
    )
    return {i: c.causes for i, c in zip(valid, calls, strict=True) if not c.non_answer}


def score_list(name: str, d, config: PipelineConfig, half: str | None, classify=classify_answers) -> dict:
    rows = d[0]
    keys = set(current_taxonomy(config).keys)
    causes = calls_of(d, config, classify)
    out = dict.fromkeys(("answers", "right", "sec", "found", "single", "false_single", "unlabelled"), 0)
    for i, r in enumerate(rows):
        if half and half_of(name, r) != half:
            continue
        if r["category"] not in keys:
            continue
        got = causes.get(i, [])
        second = r.get("secondary_category") or ""
        out["answers"] += 1
        out["right"] += bool(got) and got[0] == r["category"]
        out["unlabelled"] += sum(1 for c in got[1:] if c not in (r["category"], second))
        if second:
            out["sec"] += 1
            out["found"] += second in got
        else:
            out["single"] += 1
            out["false_single"] += len(got) > 1
    return out


def line(name: str, r: dict) -> str:
    return (
        f"{name}: main {r['right']}/{r['answers']} ({r['right'] / max(1, r['answers']):.1%}); "
        f"second found {r['found']}/{r['sec']} ({r['found'] / max(1, r['sec']):.1%}); "
        f"one-cause given a second {r['false_single']}/{r['single']}; unlabelled extras {r['unlabelled']}"
    )


def score_all(data, config, half, classify=classify_answers, quiet=False) -> dict:
    total: dict[str, int] = {}
    for name, d in data.items():
        r = score_list(name, d, config, half, classify)
        if not quiet:
            print(line(Path(name).stem, r))
        for k, v in r.items():
            total[k] = total.get(k, 0) + v
    print(line("ALL", total), flush=True)
    return total


def oracle(data, config: PipelineConfig, half: str | None) -> None:
    """For each missed labelled second cause: its rank for the whole answer and its best rank and
    probability over the clauses."""
    keys = set(current_taxonomy(config).keys)
    bins: dict[str, int] = {}
    for name, d in data.items():
        rows, valid, docs, doc_p, seg_p, owner, classes, _ = d
        causes = calls_of(d, config)
        pos = {i: k for k, i in enumerate(valid)}
        for i, r in enumerate(rows):
            second = r.get("secondary_category") or ""
            if (
                not second
                or second not in classes
                or (half and half_of(name, r) != half)
                or r["category"] not in keys
            ):
                continue
            if second in causes.get(i, []):
                bins["found"] = bins.get("found", 0) + 1
                continue
            if i not in pos:
                bins["non-answer"] = bins.get("non-answer", 0) + 1
                continue
            k = pos[i]
            j = classes.index(second)
            p = doc_p[k]
            rank = int((p > p[j]).sum()) + 1
            segs = seg_p[owner == k]
            seg_best = float(segs[:, j].max()) if len(segs) else 0.0
            seg_rank = min((int((s > s[j]).sum()) + 1 for s in segs), default=99)
            key = (
                f"doc rank {min(rank, 4)}, clauses {len(segs)}, "
                f"clause rank {min(seg_rank, 4) if len(segs) else '-'}, clause p "
                f"{'>=.35' if seg_best >= 0.35 else '>=.15' if seg_best >= 0.15 else '<.15'}"
            )
            bins[key] = bins.get(key, 0) + 1
    for key, n in sorted(bins.items(), key=lambda kv: -kv[1]):
        print(f"{n:5d}  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Second causes per list half, from the head's probabilities cached once (tuning lists only).",
    )
    parser.add_argument(
        "what",
        choices=("dump", "score", "oracle"),
        help="dump: cache the head's probabilities for LISTS; score: the shipped rules' figures; "
        "oracle: where each missed second cause ranks",
    )
    parser.add_argument("pickle", type=Path, help="the cache file dump writes and score/oracle read")
    parser.add_argument("lists", nargs="*", help="labelled CSVs to dump (never the held-out sets)")
    parser.add_argument("--half", help="score only rows of this half: tune or check")
    args = parser.parse_args()
    if args.what == "dump":
        dump(args.pickle, args.lists)
        return
    with args.pickle.open("rb") as handle:
        data = pickle.load(handle)
    config = PipelineConfig()
    if args.what == "score":
        score_all(data, config, args.half)
    else:
        oracle(data, config, args.half)


if __name__ == "__main__":
    main()
