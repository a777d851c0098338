"""Root-cause classification: logistic-regression heads over the embeddings and the words.

Clustering alone groups answers by what they talk about (a product's vocabulary), not by why
the customer left. A supervised head, trained on a labelled example bank shipped with the
package (``nlp/data/examples.csv``), the taxonomy's own phrases and the CX team's corrections,
says *why*; the themes are then found within each root cause. Training takes seconds on two
cores and the heads (a few MB) is cached next to the ONNX export, keyed by everything it was
trained from, so editing the bank or adding a correction retrains it on the next run. It is
stored with :mod:`pickle`, not joblib: joblib reads with Python's pure-Python unpickler, which
took 0.2-0.25 s of CPU per head for the n-gram vocabularies, against 0.03 s for pickle.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .separators import header_delimiter
from .taxonomy import Taxonomy

DEFAULT_BANK = Path(__file__).with_name("data") / "examples.csv"
NON_ANSWER = "non_answer"
SECONDARY_SHARE = 0.4  # a two-cause example's weight on its second cause (the main one gets the rest)
CORRECTION_WEIGHT = 5.0  # one human correction outweighs a handful of bank examples
MODEL_PREFIX = "root-causes-"
CORRECTED_PREFIX = "root-causes-corrected-"  # heads that learnt from an installation's answers
KEEP_MODELS = 10  # newest heads kept per folder; older ones are deleted
MODEL_SUFFIX = ".pkl"
#: Suffixes of heads in a folder, current and earlier (joblib), for pruning and erasure.
MODEL_SUFFIXES = (MODEL_SUFFIX, ".joblib")
#: BLAS threads while a head trains. OpenBLAS adds a matrix product's terms in another order on
#: another thread count, and L-BFGS, stopping at its tolerance, carries that into the weights:
#: the bank's embedding head trained on two threads had weights up to 0.13 away from the one
#: trained on one. One thread everywhere (``nlp.analyze`` already ran on one; the app's
#: incremental assigner and scripts did not) gives every installation the same head.
TRAINING_BLAS_THREADS = 1
_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def word_ngrams(text: str) -> list[str]:
    """The lower-cased words and word pairs of ``text``: the features of
    ``TfidfVectorizer(ngram_range=(1, 2))``, given as its ``analyzer`` so that a saved head holds
    nothing of the process that trained it. The built-in word analyzer stores the memory address
    of its stop-word list in the vectorizer, so two trainings on the same examples wrote heads
    that predicted the same but differed in three bytes, and no checksum could tell a head
    trained on other data from one trained on the same."""
    words = _WORD.findall(text.lower())
    return words + [f"{first} {second}" for first, second in zip(words, words[1:], strict=False)]


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
    """Read an example bank CSV (columns ``text`` and ``category``, optional ``secondary_category``
    for an answer that gives two causes; others are ignored).

    Raises ``ValueError`` naming the file and row for a missing column or an unknown category,
    so a typo in an edited bank is caught before training, not silently learned.
    """
    path = Path(path or DEFAULT_BANK)
    allowed = set(taxonomy.keys) | {NON_ANSWER}
    out: list[Example] = []
    raw = path.read_text(encoding="utf-8-sig")
    # separated as the answers file may be: a spreadsheet in a comma-decimal locale saves ";"
    reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter=header_delimiter(raw))
    fields = reader.fieldnames or []
    missing = {"text", "category"} - set(fields)
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {', '.join(sorted(missing))}; "
            f"the columns are: {', '.join(fields) or '(none)'}"
        )
    for line, row in enumerate(reader, start=2):
        text, category = (row.get("text") or "").strip(), (row.get("category") or "").strip()
        if not text:
            continue
        secondary = (row.get("secondary_category") or "").strip()
        for value in (category, secondary) if secondary else (category,):
            if value not in allowed or (value == NON_ANSWER and secondary):
                raise ValueError(
                    f"{path}, row {line}: unknown category {value!r} "
                    f"(expected one of: {', '.join(sorted(allowed))})"
                )
        if secondary:  # a two-cause answer teaches both causes, the main one more
            out.append(Example(text, category, 1.0 - SECONDARY_SHARE))
            out.append(Example(text, secondary, SECONDARY_SHARE))
        else:
            out.append(Example(text, category))
    return out


def training_examples(
    taxonomy: Taxonomy, bank_path: Path | None = None, corrections: Iterable[tuple[str, str]] = ()
) -> list[Example]:
    """The bank, the taxonomy's descriptions and example phrases, and the corrections
    ``(text, category)`` (weighted up; categories not in the taxonomy are skipped)."""
    examples = load_bank(bank_path, taxonomy)
    for category in taxonomy.categories:
        examples.extend(Example(t, category.key) for t in [category.description, *category.examples] if t)
    allowed = set(taxonomy.keys) | {NON_ANSWER}
    examples.extend(
        Example(t, c, CORRECTION_WEIGHT) for t, c in corrections if t and t.strip() and c in allowed
    )
    return examples


@dataclass
class RootCauseClassifier:
    """Two logistic regressions whose probabilities are averaged: one over the sentence
    embeddings (meaning: "we outgrew it" near "we no longer need it") and one over word and
    character n-grams (the exact cues: "charged twice", "buffering", typos of them). On the
    dev split the blend beats either alone by 3-6 points; see bench/README.md."""

    classes: list[str]
    embedding_head: Any
    text_head: Any
    text_weight: float

    def predict_proba(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Class probabilities, one row per answer, columns in ``classes`` order."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        by_words = self.text_proba(texts) if self.text_weight > 0 else None
        return self.blend(vectors, by_words)

    def text_proba(self, texts: list[str]) -> np.ndarray:
        """The n-gram head's probabilities alone (no embedding needed)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return np.asarray(self.text_head.predict_proba(texts), dtype=np.float32)

    def blend(self, vectors: np.ndarray, by_words: np.ndarray | None) -> np.ndarray:
        """Blended probabilities from the embeddings and the n-gram head's ``by_words``."""
        by_meaning = self.embedding_head.predict_proba(np.asarray(vectors, dtype=np.float32))
        if self.text_weight <= 0 or by_words is None:
            return by_meaning.astype(np.float32)
        return ((1 - self.text_weight) * by_meaning + self.text_weight * by_words).astype(np.float32)

    def words_needed(self, probability: float) -> float:
        """The n-gram head's probability for a class below which the blend cannot reach
        ``probability`` whatever the embeddings say (0 when the n-gram head is off)."""
        if self.text_weight <= 0:
            return 0.0
        return max(0.0, (probability - (1 - self.text_weight)) / self.text_weight)

    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        texts: list[str],
        labels: list[str],
        weights: np.ndarray | None = None,
        c: float = 8.0,
        text_c: float = 32.0,
        text_weight: float = 0.6,
    ) -> RootCauseClassifier:
        """Train both heads on the examples (``vectors`` are their unit embeddings), on one BLAS
        thread (:data:`TRAINING_BLAS_THREADS`)."""
        with threadpool_limits(limits=TRAINING_BLAS_THREADS, user_api="blas"):
            return cls._fit(vectors, texts, labels, weights, c, text_c, text_weight)

    @classmethod
    def _fit(
        cls,
        vectors: np.ndarray,
        texts: list[str],
        labels: list[str],
        weights: np.ndarray | None,
        c: float,
        text_c: float,
        text_weight: float,
    ) -> RootCauseClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        embedding_head = LogisticRegression(C=c, max_iter=3000)
        embedding_head.fit(vectors, labels, sample_weight=weights)
        text_head = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
            ),
            LogisticRegression(C=text_c, max_iter=3000),
        )
        text_head.fit(texts, labels, logisticregression__sample_weight=weights)
        if list(text_head.classes_) != list(embedding_head.classes_):
            raise ValueError("the two heads disagree on the classes")
        return cls([str(k) for k in embedding_head.classes_], embedding_head, text_head, text_weight)

    def save(self, path: Path) -> None:
        """Write the model to ``path`` atomically (see the module docstring for the format)."""
        save_pickle(self, path)

    @classmethod
    def load(cls, path: Path) -> RootCauseClassifier:
        """Read a model written by :meth:`save` (only ever from Afterword's own cache folder)."""
        model = load_pickle(path)
        if not isinstance(model, cls):
            raise ValueError(f"{path} does not hold a root-cause model")
        return model


def save_pickle(model: object, path: Path) -> None:
    """Write ``model`` to ``path`` atomically (a temporary file, then a rename)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def load_pickle(path: Path) -> Any:
    """Read what :func:`save_pickle` wrote (only ever from Afterword's own cache folder: unpickling
    runs code). A truncated or damaged file raises ``ValueError``."""
    try:
        with Path(path).open("rb") as handle:
            return pickle.load(handle)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError) as exc:
        raise ValueError(f"{path} is not a readable model: {exc}") from exc


def source_digest(*files: Path | str | None) -> str:
    """A digest of these files' bytes (modules' ``__file__``, data files they read).

    Part of a head's cache key, as :class:`joblib.Memory` keys on a function's code: a head
    trained by older code or data is retrained after an upgrade, with no version number that
    someone has to remember to bump.
    """
    digest = hashlib.blake2b(digest_size=8)
    for file in files:
        digest.update(Path(file).read_bytes() if file else b"?")
    return digest.hexdigest()


def training_key(examples: list[Example], model_name: str, *settings: float) -> str:
    """A digest of everything the head is trained from (texts, labels, weights, model, settings,
    and this module's code, which defines the features)."""
    import sklearn

    digest = hashlib.blake2b(digest_size=12)
    code = source_digest(__file__)
    digest.update(f"{code}\x00{model_name}\x00{sklearn.__version__}\x00{settings}".encode())
    for ex in examples:
        digest.update(f"\x01{ex.text}\x00{ex.category}\x00{ex.weight}".encode())
    return digest.hexdigest()


def model_path(folder: Path, key: str, corrected: bool) -> Path:
    """Where the head with digest ``key`` lives in ``folder``."""
    return Path(folder) / f"{CORRECTED_PREFIX if corrected else MODEL_PREFIX}{key}{MODEL_SUFFIX}"


def prune_models(folder: Path, keep: int = KEEP_MODELS) -> None:
    """Delete all but the ``keep`` most recently written heads in ``folder`` (each correction
    set trains a new one; old ones are never read again)."""
    found = [p for suffix in MODEL_SUFFIXES for p in Path(folder).glob(f"{MODEL_PREFIX}*{suffix}")]
    heads = sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
    for old in heads[keep:]:
        old.unlink(missing_ok=True)


def remove_corrected_models(folder: Path) -> int:
    """Delete every head trained on an installation's corrections in ``folder`` (their n-gram
    vocabulary holds words of those answers); the next run trains a new one from live rows.
    Returns how many were deleted."""
    removed = 0
    for path in [p for suffix in MODEL_SUFFIXES for p in Path(folder).glob(f"{CORRECTED_PREFIX}*{suffix}")]:
        path.unlink(missing_ok=True)
        removed += 1
    return removed
