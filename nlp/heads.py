"""The taxonomy and the trained root-cause head a run uses, each loaded or trained once."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .cache import Cache
from .classifier import (
    RootCauseClassifier,
    default_cache_dir,
    model_path,
    prune_models,
    training_examples,
    training_key,
)
from .config import PipelineConfig
from .embeddings import EXAMPLES_NAMESPACE, embed_texts, example_vectors
from .models import Encoder, load_encoder
from .parallel import in_halves
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy


@functools.lru_cache(maxsize=8)
def _taxonomy_vectors(
    path: str, mtime: float, model: str, device: str, backend: str
) -> tuple[Taxonomy, np.ndarray, list[int]]:
    taxonomy = load_taxonomy(Path(path))
    texts, owners = taxonomy.phrases()
    vectors, _ = embed_texts(texts, load_encoder(model, device, backend))
    return taxonomy, vectors, owners


def current_taxonomy(config: PipelineConfig) -> Taxonomy:
    """The taxonomy named by ``config`` (the packaged one by default)."""
    return load_taxonomy(Path(config.taxonomy_path or DEFAULT_TAXONOMY))


def taxonomy_vectors(config: PipelineConfig) -> tuple[Taxonomy, np.ndarray, list[int]]:
    """The taxonomy of ``config`` and its embedded phrases (cached per file version/model)."""
    path = Path(config.taxonomy_path or DEFAULT_TAXONOMY)
    return _taxonomy_vectors(
        str(path), path.stat().st_mtime, config.embedding_model, config.device, config.backend
    )


def root_cause_classifier(
    config: PipelineConfig,
    encoder: Encoder,
    cache: Cache | None = None,
    corrections: list[tuple[str, str]] | None = None,
    taxonomy: Taxonomy | None = None,
) -> RootCauseClassifier:
    """The root-cause head for this taxonomy, example bank, corrections and encoder.

    Trained on first use (seconds: embedding ~3,000 short texts and two logistic regressions)
    and kept in ``config.model_dir`` under a digest of its training data, so the
    next run loads it and a new correction or an edited bank trains a new one. ``taxonomy``:
    the one of ``config`` when the caller has already loaded it (not read again).
    """
    taxonomy = current_taxonomy(config) if taxonomy is None else taxonomy
    examples = training_examples(taxonomy, config.example_bank, corrections or [])
    settings = (config.classifier_c, config.text_classifier_c, config.text_weight)
    # the namespace in the key: a head trained on vectors shared with a run's answers is retrained
    key = training_key(examples, f"{encoder.cache_name}:{EXAMPLES_NAMESPACE}", *settings)
    # The base head depends only on shipped data: one per machine. A head that learnt from the
    # installation's corrections stays with that installation's cache, where erasure finds it.
    corrected = bool(corrections)
    if config.model_dir:
        folder = Path(config.model_dir)
    elif corrected and config.cache_dir:
        folder = Path(config.cache_dir)
    else:
        folder = default_cache_dir()
    path = model_path(folder, key, corrected)
    if path.exists():
        try:
            return RootCauseClassifier.load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged file is retrained below
    shipped = len(training_examples(taxonomy, config.example_bank))
    vectors = example_vectors([e.text for e in examples], shipped, encoder, cache, config.batch_size)
    model = RootCauseClassifier.fit(
        vectors,
        [e.text for e in examples],
        [e.category for e in examples],
        np.array([e.weight for e in examples], dtype=np.float32),
        *settings,
    )
    folder.mkdir(parents=True, exist_ok=True)
    model.save(path)
    prune_models(folder)
    return model


def head_probabilities(head: RootCauseClassifier, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
    """``head.predict_proba(vectors, texts)`` with the n-gram head's half, the dearest part (its
    analyzers are Python), computed over two processes (:func:`nlp.parallel.in_halves`: each row
    depends on its own text alone, so the probabilities are the same)."""
    if not len(texts) or head.text_weight <= 0:
        return head.predict_proba(vectors, texts)
    return head.blend(vectors, in_halves(head.text_proba, texts))
