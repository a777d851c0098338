"""Personal-data redaction and non-answer flags, measured on a labelled CSV.

Run from the repository root (CPU only, seconds)::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/pii_eval.py [bench/data/devset.csv] [--keep-names A,B] [--half tune] [-v]

The CSV needs ``text`` and ``pii_spans`` (a JSON list of the exact substrings of ``text`` that are
planted personal data); an ``is_non_answer`` column (1/0) adds the non-answer figures. A ``half``
column (``tune``/``check``, as in ``pii_dev2.csv`` ... ``pii_dev5.csv``) lets ``--half`` score one
half: tune on one, look at the other once. A CSV with no ``pii_spans`` column (BANKING77's
``train.csv``/``test.csv``) is a precision probe: every redaction there counts as a false one.

- **PII recall**: planted spans of which no letter or digit survives redaction (target 100%).
- **PII precision**: redactions (placeholders written) that cover planted personal data
  (target >= 95%); a redaction in a row with nothing planted counts against it.
- **Non-answers caught**: flagged among rows with ``is_non_answer = 1`` (target >= 95%);
  **false**: flagged among the real answers (target <= 1%).

``-v`` lists every miss and every false redaction / flag, to see what to fix.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.models import load_spacy  # noqa: E402
from nlp.rules import normalize  # noqa: E402


def planted_ranges(text: str, spans: list[str]) -> list[tuple[int, int, str]]:
    """Character ranges of the planted spans in ``text`` (every occurrence)."""
    out = []
    for span in spans:
        start = text.find(span)
        if start < 0:
            raise ValueError(f"planted span {span!r} is not in its text {text[:60]!r}")
        while start >= 0:
            out.append((start, start + len(span), span))
            start = text.find(span, start + 1)
    return out


def evaluate(rows: list[dict[str, str]], keep_names: tuple[str, ...] = (), verbose: bool = False) -> dict:
    """Run the spaCy preprocessing over ``rows`` and count hits, misses and false alarms."""
    nlp = load_spacy("en_core_web_sm")
    texts = [normalize(r["text"]) for r in rows]
    cfg = {"afterword_redact": {"keep_names": keep_names}}
    planted = hit = redactions = true_redactions = 0
    na_total = na_caught = real_total = real_flagged = 0
    has_na = "is_non_answer" in rows[0] if rows else False
    for row, text, doc in zip(rows, texts, nlp.pipe(texts, component_cfg=cfg), strict=True):
        listed = json.loads(row.get("pii_spans") or "[]")
        # a span the normalisation removed whole (an address in <...> in a quoted e-mail header) is
        # planted and gone: nothing of it survives; a span missing from the raw text still stops the run
        dropped = [s for s in listed if normalize(s) not in text and s in row["text"]]
        planted += sum(row["text"].count(s) for s in dropped)
        hit += sum(row["text"].count(s) for s in dropped)
        spans = planted_ranges(text, [normalize(s) for s in listed if s not in dropped])
        covered = [False] * len(text)
        for start, end, _ in doc._.redactions:
            for i in range(start, end):
                covered[i] = True
        for start, end, span in spans:
            planted += 1
            if all(covered[i] for i in range(start, end) if text[i].isalnum()):
                hit += 1
            elif verbose:
                print(f"PII MISSED   {span!r:32} in {doc._.redacted[:150]!r}")
        for start, end, tag in doc._.redactions:
            redactions += 1
            if any(s < end and start < e for s, e, _ in spans):
                true_redactions += 1
            elif verbose:
                print(f"PII FALSE    {text[start:end]!r:32} [{tag}] in {text[:150]!r}")
        if has_na:
            gold = str(row["is_non_answer"]).strip().lower() in ("1", "true", "yes")
            flagged = bool(doc._.is_non_answer)
            if gold:
                na_total += 1
                na_caught += flagged
                if verbose and not flagged:
                    print(f"NA MISSED    {row['text'][:150]!r}")
            else:
                real_total += 1
                real_flagged += flagged
                if verbose and flagged:
                    print(f"NA FALSE     {row['text'][:150]!r}")
    return {
        "rows": len(rows),
        "planted": planted,
        "planted_redacted": hit,
        "pii_recall": hit / planted if planted else 1.0,
        "redactions": redactions,
        "redactions_of_planted": true_redactions,
        "pii_precision": true_redactions / redactions if redactions else 1.0,
        "non_answers": na_total,
        "non_answers_caught": na_caught,
        "real_answers": real_total,
        "real_answers_flagged": real_flagged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "csv",
        nargs="?",
        default=str(ROOT / "bench" / "data" / "devset.csv"),
        help="labelled list with `text` and `pii_spans` (a JSON list of the exact personal-data "
        "substrings); default bench/data/devset.csv",
    )
    parser.add_argument(
        "--keep-names", default="", help="comma-separated names never redacted (config keep_names)"
    )
    parser.add_argument(
        "--half", default="", help="only rows whose `half` column has this value (tune/check)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    with open(args.csv, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.half:
        rows = [r for r in rows if r.get("half") == args.half]
    keep = tuple(n.strip() for n in args.keep_names.split(",") if n.strip())
    r = evaluate(rows, keep, args.verbose)
    print(f"{args.csv}{' (' + args.half + ' half)' if args.half else ''}: {r['rows']} rows")
    print(
        f"PII recall     {r['pii_recall']:7.1%}  ({r['planted_redacted']} of {r['planted']} planted spans redacted)"
    )
    print(
        f"PII precision  {r['pii_precision']:7.1%}  ({r['redactions_of_planted']} of {r['redactions']} "
        "redactions are planted personal data)"
    )
    if r["non_answers"] or r["real_answers"]:
        caught = r["non_answers_caught"] / r["non_answers"] if r["non_answers"] else 1.0
        false = r["real_answers_flagged"] / r["real_answers"] if r["real_answers"] else 0.0
        print(
            f"Non-answers    {caught:7.1%} caught ({r['non_answers_caught']} of {r['non_answers']}), "
            f"{false:.1%} of real answers flagged ({r['real_answers_flagged']} of {r['real_answers']})"
        )


if __name__ == "__main__":
    main()
