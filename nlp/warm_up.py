"""Prepare ahead of time what the first analysis on a machine would otherwise prepare.

On first use an analysis exports the sentence encoder to int8 ONNX, trains the root-cause head
on the example bank and the multilingual head for answers not in English, and loads spaCy:
under a minute on two cores before any answer is read. ``python -m nlp prepare`` (run by
``make setup``) does it once, by analysing a few of the bank's own answers in each language
with the settings a plain ``python -m nlp themes`` run uses, so every model lands where that run
looks for it (the user's cache folder, keyed by what it was trained on).
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

from .config import PipelineConfig

DEFAULT_BANK = Path(__file__).parent / "data" / "examples.csv"
PER_LANGUAGE = 3


@dataclass(frozen=True)
class WarmUp:
    """What :func:`prepare_models` did: answers analysed, languages seen, seconds taken."""

    answers: int
    languages: tuple[str, ...]
    seconds: float


def warm_up_answers(bank: Path = DEFAULT_BANK, per_language: int = PER_LANGUAGE) -> list[str]:
    """The first ``per_language`` answers of each language in the example bank.

    Answers in other languages make the multilingual head train too; the bank's own rows are
    real exit reasons, so every stage (clauses, themes, labels) runs as it will on real data.
    """
    taken: dict[str, list[str]] = {}
    with bank.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts = taken.setdefault(row.get("language") or "en", [])
            if len(texts) < per_language and row["category"] != "non_answer":
                texts.append(row["text"])
    return [text for texts in taken.values() for text in texts]


def prepare_models(config: PipelineConfig) -> WarmUp:
    """Export the encoder, train the heads and load spaCy for ``config`` (seconds when done before)."""
    from .pipeline import analyze

    texts = warm_up_answers(Path(config.example_bank or DEFAULT_BANK))
    start = time.perf_counter()
    result = analyze(texts, config=config)
    languages = tuple(sorted({a.language for a in result.assignments}))
    return WarmUp(answers=len(texts), languages=languages, seconds=time.perf_counter() - start)
