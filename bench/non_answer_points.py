"""The operating point of the head's non-answer decision, replayed from one run of the pipeline.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/non_answer_points.py dump OUT.pkl LIST[:tune|:check] ...
    .venv/bin/python bench/non_answer_points.py curve OUT.pkl

``dump`` runs :func:`nlp.analyze` once over the rows of every ``LIST`` (``:tune``/``:check`` keeps
one half by its ``split``/``half`` column; a list without ``is_non_answer`` is all real answers)
and records per row what the decision of :func:`nlp.causes.classify_answers` reads: the rules'
flag, the head's probabilities (the multilingual head's for answers not in English), whether a
clause gives a reason on its own (``nlp.letter_reasons``, asked here of every answer whose best
class is ``non_answer`` at ``WIDE_BAR`` or more, not only of those the shipped bars flag), the
reason cues, whether the answer says nothing (the unsure rule), and the shipped flag. The wider
letter check leaves the shipped flags as they are: ``classify_answers`` reads a letter's clauses
only where the head's bar is met.

``curve`` replays the decision with :func:`nlp.causes.non_answer_bar` (so the same code as the
pipeline), checks that the shipped settings give the dump's flags row for row, and prints, per
length of answer (terse, short sentence, letter), the non-answers and real answers each bar
would add to or take from the shipped settings' flags.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import pickle
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import nlp.letter_reasons as letter_reasons  # noqa: E402
import nlp.multilingual as multilingual  # noqa: E402
import nlp.pipeline as pipeline  # noqa: E402
from nlp import PipelineConfig, analyze  # noqa: E402
from nlp.causes import non_answer_bar  # noqa: E402
from nlp.classifier import NON_ANSWER  # noqa: E402
from nlp.non_answers import has_reason_cue, is_non_answer, names_a_reason, says_nothing  # noqa: E402

WIDE_BAR = 0.25  # letters' clauses are judged for every answer the head leans this far to non_answer
BARS = (0.80, 0.75, 0.70, 0.65, 0.60, 0.55, 0.50, 0.45, 0.40)


def load(spec: str) -> list[dict[str, Any]]:
    """The rows of ``path[:part]``, each with its list name, half and gold flag."""
    path, _, part = spec.partition(":")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        half = r.get("split") or r.get("half") or ""
        if not part or half == part:
            gold = str(r.get("is_non_answer", "0")).strip().lower() in ("1", "true", "yes")
            out.append({"list": Path(path).stem, "half": half, "text": r["text"], "gold": gold})
    return out


class _Recorder:
    """Keeps, for the English head ("en") and the multilingual one ("ml"), what
    ``classify_answers`` was given: probabilities, texts and the letters' clause check."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[np.ndarray, list[str], list[str], np.ndarray]]] = {
            "en": [],
            "ml": [],
        }

    def wrap(self, where: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def record(doc_probs: np.ndarray, *args: Any) -> Any:
            classes, texts = args[2], (args[5] if len(args) > 5 else None) or []
            letter = args[7] if len(args) > 7 and args[7] is not None else np.zeros(len(doc_probs), bool)
            self.calls[where].append((np.array(doc_probs), list(classes), list(texts), np.array(letter)))
            return real(doc_probs, *args)

        return record


def _wide(probs: np.ndarray, text: str, classes: list[str], config: PipelineConfig) -> bool:
    """``head_calls_non_answer`` at ``WIDE_BAR``: every candidate's clauses are judged."""
    na = classes.index(NON_ANSWER)
    return int(probs.argmax()) == na and float(probs[na]) >= WIDE_BAR


def dump(out_path: str, specs: list[str]) -> None:
    """Run the pipeline once over the lists and pickle what the decision read, per row."""
    rows = [r for spec in specs for r in load(spec)]
    recorder = _Recorder()
    saved = (letter_reasons.head_calls_non_answer, pipeline.classify_answers, multilingual.classify_answers)
    letter_reasons.head_calls_non_answer = _wide
    pipeline.classify_answers = recorder.wrap("en", saved[1])
    multilingual.classify_answers = recorder.wrap("ml", saved[2])
    try:
        work = Path(tempfile.mkdtemp(prefix="afterword-nap-"))
        result = analyze([r["text"] for r in rows], config=PipelineConfig(cache_dir=work / "cache"))
    finally:
        letter_reasons.head_calls_non_answer, pipeline.classify_answers, multilingual.classify_answers = saved
    (probs, classes, docs, letter), ml = recorder.calls["en"][0], recorder.calls["ml"]
    rules = [is_non_answer(a.redacted_text) for a in result.assignments]
    head_rows = [i for i, a in enumerate(result.assignments) if not rules[i] and a.redacted_text.strip()]
    if len(head_rows) != len(docs):  # the rules' flags and the head's texts must line up
        raise SystemExit(f"{len(head_rows)} rows for the head, {len(docs)} texts")
    for r in rows:
        r.update(probs=None, letter=False, ml=False, doc=r["text"])
    for k, i in enumerate(head_rows):
        rows[i].update(probs=probs[k], letter=bool(letter[k]), doc=docs[k])
    if ml:  # the multilingual head's texts are a subsequence of the English head's, in order
        mprobs, _, mtexts, mletter = ml[0]
        j = 0
        for i in head_rows:
            if j < len(mtexts) and rows[i]["doc"] == mtexts[j]:
                rows[i].update(probs=mprobs[j], letter=bool(mletter[j]), ml=True)
                j += 1
        if j != len(mtexts):
            raise SystemExit(f"{j} of {len(mtexts)} multilingual texts placed")
    for r, a, ruled in zip(rows, result.assignments, rules, strict=True):
        r.update(
            rules=ruled,
            shipped=bool(a.is_non_answer),
            cue=has_reason_cue(r["doc"]),
            says_nothing=says_nothing(r["doc"]) and not names_a_reason(r["doc"]),
        )
    with open(out_path, "wb") as fh:
        pickle.dump({"classes": classes, "rows": rows}, fh)
    print(f"{len(rows)} rows, {sum(r['gold'] for r in rows)} non-answers -> {out_path}")


def flags(rows: list[dict[str, Any]], classes: list[str], config: PipelineConfig) -> list[bool]:
    """The pipeline's non-answer flag per dumped row under ``config``'s bars (as
    :func:`nlp.causes.classify_answers` decides it)."""
    na = classes.index(NON_ANSWER)
    causes = [j for j in range(len(classes)) if j != na]
    out = []
    for r in rows:
        p = r["probs"]
        if r["rules"] or p is None:
            out.append(bool(r["rules"] or r["shipped"]))
            continue
        head = int(p.argmax()) == na and p[na] >= non_answer_bar(r["doc"], config) and not r["cue"]
        if head and not r["letter"] and p[na] >= WIDE_BAR:
            out.append(True)
            continue
        out.append(bool(p[causes].max() < config.non_answer_unsure_probability and r["says_nothing"]))
    return out


def curve(path: str) -> None:
    """Print the shipped settings' totals and, per length tier, what each bar adds."""
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    rows, classes = data["rows"], data["classes"]
    config = PipelineConfig()
    base = flags(rows, classes, config)
    differ = sum(b != r["shipped"] for b, r in zip(base, rows, strict=True))
    gold = [r["gold"] for r in rows]
    caught = sum(b and g for b, g in zip(base, gold, strict=True))
    false = sum(b and not g for b, g in zip(base, gold, strict=True))
    print(
        f"{len(rows)} rows: shipped settings catch {caught} of {sum(gold)} non-answers and flag "
        f"{false} of {len(rows) - sum(gold)} real answers ({differ} rows differ from the run's flags)"
    )
    print("per tier of answer length, non-answers caught / real answers flagged beside shipped:")
    short = config.non_answer_terse_words + 1
    tiers = {
        f"1-{short - 1} words (non_answer_min_probability)": ("non_answer_min_probability", 1, short - 1),
        f"{short}-{config.non_answer_letter_words - 1} words (non_answer_short_probability)": (
            "non_answer_short_probability",
            short,
            config.non_answer_letter_words - 1,
        ),
        f"{config.non_answer_letter_words}+ words (non_answer_letter_probability)": (
            "non_answer_letter_probability",
            config.non_answer_letter_words,
            10**6,
        ),
    }
    for name, (field, low, high) in tiers.items():
        cells = []
        for bar in BARS:
            trial = flags(rows, classes, dataclasses.replace(config, **{field: bar}))
            # only the tier's rows: non_answer_min_probability also caps the other bars
            both = [
                (t, b, g)
                for t, b, g, r in zip(trial, base, gold, rows, strict=True)
                if low <= len(r["doc"].split()) <= high
            ]
            plus = sum(t and g and not b for t, b, g in both) - sum(b and g and not t for t, b, g in both)
            fplus = sum(t and not g and not b for t, b, g in both) - sum(
                b and not g and not t for t, b, g in both
            )
            cells.append(f"{bar:.2f}: {plus:+d}/{fplus:+d}")
        print(f"{name}:\n  " + "  ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("dump", help="run the pipeline once and pickle what the decision read")
    run.add_argument("out")
    run.add_argument("lists", nargs="+", help="CSV paths, each optionally :tune or :check")
    replay = sub.add_parser("curve", help="replay the decision at other bars")
    replay.add_argument("dump")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.lists)
    else:
        curve(args.dump)


if __name__ == "__main__":
    main()
