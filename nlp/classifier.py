"""Root-cause classification: a logistic-regression head over the sentence embeddings.

Clustering alone groups answers by what they talk about (a product's vocabulary), not by why
the customer left. A supervised head, trained on a labelled example bank shipped with the
package (``nlp/data/examples.csv``), the taxonomy's own phrases and the CX team's corrections,
says *why*; the themes are then found within each root cause. Training takes seconds on two
cores and the head (a few KB) is cached next to the ONNX export, keyed by everything it was
trained from, so editing the bank or adding a correction retrains it on the next run.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from .taxonomy import Taxonomy

DEFAULT_BANK = Path(__file__).with_name("data") / "examples.csv"
NON_ANSWER = "non_answer"
CLASSIFIER_VERSION = 1
CORRECTION_WEIGHT = 5.0   # one human correction outweighs a handful of bank examples


@dataclass(frozen=True)
class Example:
    """One labelled training text: ``category`` is a taxonomy key or ``non_answer``."""

    text: str
    category: str
    weight: float = 1.0


def default_cache_dir() -> Path:
    """The user's cache folder for Afterword's models and caches (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "afterword-nlp"


def load_bank(path: Path | None, taxonomy: Taxonomy) -> list[Example]:
    """Read an example bank CSV (columns ``text`` and ``category``; others are ignored).

    Raises ``ValueError`` naming the file and row for a missing column or an unknown category,
    so a typo in an edited bank is caught before training, not silently learned.
    """
    path = Path(path or DEFAULT_BANK)
    allowed = set(taxonomy.keys) | {NON_ANSWER}
    out: list[Example] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "category"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            text, category = (row.get("text") or "").strip(), (row.get("category") or "").strip()
            if not text:
                continue
            if category not in allowed:
                raise ValueError(f"{path}, row {line}: unknown category {category!r} "
                                 f"(expected one of: {', '.join(sorted(allowed))})")
            out.append(Example(text, category))
    return out


def training_examples(taxonomy: Taxonomy, bank_path: Path | None = None,
                      corrections: Iterable[tuple[str, str]] = ()) -> list[Example]:
    """The bank, the taxonomy's descriptions and example phrases, and the corrections
    ``(text, category)`` (weighted up; categories not in the taxonomy are skipped)."""
    examples = load_bank(bank_path, taxonomy)
    for category in taxonomy.categories:
        examples.extend(Example(t, category.key) for t in [category.description, *category.examples] if t)
    allowed = set(taxonomy.keys) | {NON_ANSWER}
    examples.extend(Example(t, c, CORRECTION_WEIGHT) for t, c in corrections if t and t.strip() and c in allowed)
    return examples


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class RootCauseClassifier:
    """A multinomial logistic regression over unit embeddings (weights kept as plain arrays)."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray

    def predict_proba(self, vectors: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per vector, columns in ``classes`` order."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return _softmax(np.asarray(vectors, dtype=np.float32) @ self.coef.T + self.intercept).astype(np.float32)

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: list[str], weights: np.ndarray | None = None,
            c: float = 8.0) -> "RootCauseClassifier":
        """Train on ``vectors`` (unit embeddings) and their ``labels``."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=3000)
        model.fit(vectors, labels, sample_weight=weights)
        return cls([str(k) for k in model.classes_], model.coef_.astype(np.float32),
                   model.intercept_.astype(np.float32))

    def save(self, path: Path) -> None:
        """Write the weights to ``path`` (``.npz``) atomically."""
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, coef=self.coef, intercept=self.intercept, classes=np.array(json.dumps(self.classes)))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "RootCauseClassifier":
        """Read weights written by :meth:`save`."""
        with np.load(path) as data:
            return cls(json.loads(str(data["classes"])), data["coef"], data["intercept"])


def training_key(examples: list[Example], model_name: str, c: float) -> str:
    """A digest of everything the head is trained from (texts, labels, weights, model, settings)."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{CLASSIFIER_VERSION}\x00{model_name}\x00{c}".encode())
    for ex in examples:
        digest.update(f"\x01{ex.text}\x00{ex.category}\x00{ex.weight}".encode("utf-8"))
    return digest.hexdigest()
