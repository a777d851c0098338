"""A blind panel for theme labels: two code versions' labels side by side, in random order.

Labels are judged by a reader, not a metric (retrieval rewards a label that repeats the theme's
words, not one a CX lead would write), so the reader must not know which version wrote which.
``sheet`` takes the ``--json`` outputs of ``bench/demo_labels.py`` or ``bench/label_retrieval.py``
for version A and B (same data), pairs the themes (cause, size and keywords: root causes and
keywords do not change with labels), and writes, for each theme whose labels differ, its cause,
up to 4 of its quotes and the two labels as X and Y in a seeded random order; which is which goes
to a key file the reader does not open. The reader writes one line per item::

    ID PREF XQ YQ      e.g. "7 Y bad ok", "9 = ok ok" (both fine), "4 = bad bad" (both bad)

PREF is X, Y or = (no preference); XQ/YQ say whether each label is one a CX lead would write
for these answers, saying what went wrong, in grammatical English (ok/bad). ``score`` unblinds:
themes where A / B is preferred, both fine, both bad, and each version's bad labels.

    .venv/bin/python bench/label_panel.py sheet A.json B.json --sheet S.md --key K.json [--all] [--limit N]
        [--runs demo devset2.csv]
    .venv/bin/python bench/label_panel.py score K.json VERDICTS.txt
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

Theme = dict[str, object]


def themes(path: Path) -> list[Theme]:
    """The themes of one ``--json`` output, as dicts with key, cause, label and answers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Theme] = []
    if isinstance(data, list):  # bench/demo_labels.py
        for r in data:
            key = ("demo", r["category"], r["size"], tuple(r["keywords"][:5]))
            out.append(
                {"key": key, "cause": r["category"], "label": r["label"], "answers": r.get("answers", [])}
            )
        return out
    for name, run in data.items():  # bench/label_retrieval.py
        for (cause, size, label, keywords), answers in zip(
            run["labels"], run.get("answers", []), strict=False
        ):
            out.append(
                {
                    "key": (name, cause, size, tuple(keywords)),
                    "cause": cause,
                    "label": label,
                    "answers": answers,
                }
            )
    return out


def pair(a: list[Theme], b: list[Theme]) -> list[tuple[Theme, Theme]]:
    """Themes of A and B with the same key, in A's order (a key once per run: the n-th with it)."""
    seen: dict[tuple, int] = {}
    keyed_b: dict[tuple, Theme] = {}
    for t in b:
        k = tuple(t["key"])  # type: ignore[arg-type]
        seen[k] = seen.get(k, 0) + 1
        keyed_b[(*k, seen[k])] = t
    seen.clear()
    out = []
    for t in a:
        k = tuple(t["key"])  # type: ignore[arg-type]
        seen[k] = seen.get(k, 0) + 1
        other = keyed_b.get((*k, seen[k]))
        if other is not None:
            out.append((t, other))
    return out


def sheet(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    pairs = pair(themes(args.a), themes(args.b))
    if args.runs:  # "demo", a dev file's name
        pairs = [(x, y) for x, y in pairs if x["key"][0] in args.runs]  # type: ignore[index]
    same = sum(x["label"] == y["label"] for x, y in pairs)
    shown = [(x, y) for x, y in pairs if args.all or x["label"] != y["label"]]
    rng.shuffle(shown)
    shown = shown[: args.limit] if args.limit else shown
    lines, key = [f"{len(pairs)} themes paired; {same} with the same label (not shown unless --all)", ""], {}
    for i, (x, y) in enumerate(shown, 1):
        flip = rng.random() < 0.5
        first, second = (y, x) if flip else (x, y)
        key[str(i)] = "BA" if flip else "AB"
        lines.append(f"## {i} ({first['cause']})")
        lines += [f"- {str(q)[:220]}" for q in list(first["answers"])[:4]]  # type: ignore[call-overload]
        lines += [f"X: {first['label']}", f"Y: {second['label']}", ""]
    args.sheet.write_text("\n".join(lines), encoding="utf-8")
    args.key.write_text(json.dumps({"paired": len(pairs), "same": same, "order": key}), encoding="utf-8")
    print(f"{len(shown)} items -> {args.sheet}")


def score(args: argparse.Namespace) -> None:
    key = json.loads(args.key.read_text(encoding="utf-8"))
    tally = {
        "A preferred": 0,
        "B preferred": 0,
        "no preference": 0,
        "both fine": 0,
        "both bad": 0,
        "A bad": 0,
        "B bad": 0,
    }
    for line in args.verdicts.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[0] not in key["order"]:
            continue
        item, pref, xq, yq = parts
        order = key["order"][item]  # "AB": X is A's label
        quality = dict(zip(order, (xq, yq), strict=True))
        if pref in {"X", "Y"}:
            tally[f"{order['XY'.index(pref)]} preferred"] += 1
        else:
            tally["no preference"] += 1
        tally["both fine"] += quality["A"] == quality["B"] == "ok"
        tally["both bad"] += quality["A"] == quality["B"] == "bad"
        tally["A bad"] += quality["A"] == "bad"
        tally["B bad"] += quality["B"] == "bad"
    print(f"themes paired {key['paired']}, same label {key['same']}, judged {len(key['order'])}")
    for name, n in tally.items():
        print(f"  {name}: {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(required=True)
    s = sub.add_parser("sheet")
    s.add_argument("a", type=Path)
    s.add_argument("b", type=Path)
    s.add_argument("--sheet", type=Path, required=True)
    s.add_argument("--key", type=Path, required=True)
    s.add_argument("--seed", type=int, default=17)
    s.add_argument("--all", action="store_true", help="also themes whose labels are the same")
    s.add_argument("--limit", type=int, default=0)
    s.add_argument("--runs", nargs="*", help="only these runs: demo, devset2.csv, ...")
    s.set_defaults(run=sheet)
    c = sub.add_parser("score")
    c.add_argument("key", type=Path)
    c.add_argument("verdicts", type=Path)
    c.set_defaults(run=score)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
