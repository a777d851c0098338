"""Incremental assignment: one new answer to the existing themes, no refit."""
from __future__ import annotations

import numpy as np

from .config import PipelineConfig
from .memory import ThemeMemory
from .models import load_encoder, load_spacy
from .pipeline import secondary_themes
from .preprocess import prepare_docs
from .results import AnalysisResult, Assignment
from .sentiment import sentiment


class IncrementalAssigner:
    """Assigns new answers to remembered themes by nearest centroid (cosine).

    Uses the same preprocessing (redaction, non-answers, segments) and the same embedding
    model as :func:`nlp.analyze`. Build it once; ``assign`` then takes milliseconds.
    """

    def __init__(self, theme_ids: list[str], centroids: np.ndarray, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self.theme_ids = list(theme_ids)
        self.centroids = np.asarray(centroids, dtype=np.float32)
        self._nlp = load_spacy(self.config.spacy_model)
        self._encoder = load_encoder(self.config.embedding_model, self.config.device, self.config.backend)

    @classmethod
    def from_memory(cls, memory: ThemeMemory, config: PipelineConfig | None = None) -> "IncrementalAssigner":
        """Assigner over the themes of ``memory``; a merged theme's centroid counts for the
        theme it was merged into."""
        ids = list(memory.themes)
        return cls([memory.resolve(i) for i in ids], memory.centroid_matrix(ids), config)

    @classmethod
    def from_result(cls, result: AnalysisResult, config: PipelineConfig | None = None) -> "IncrementalAssigner":
        """Assigner over the themes of an :class:`AnalysisResult` (via its memory)."""
        ids = [t.id for t in result.themes]
        return cls(ids, result.memory.centroid_matrix(ids), config)


    def warm_up(self) -> None:
        """Run one assignment so later calls are fast."""
        self.assign("warm-up: the price went up and the app is slow")

    def assign(self, text: str, id: str = "") -> Assignment:
        """Assign one answer: redacted text, non-answer flag, main theme, every theme it counts
        toward, confidence (cosine to the main theme's centroid) and sentiment."""
        prepared = prepare_docs([text or ""], self._nlp, segment=self.config.segment)[0]
        score = sentiment(prepared.text) if not prepared.is_non_answer else 0.0
        empty = prepared.is_non_answer or not prepared.text.strip()
        if empty or not self.theme_ids:
            return Assignment(id, None, [], 0.0, prepared.text, empty, score)
        segs = prepared.segments if len(prepared.segments) > 1 else []
        vecs = self._encoder.encode([prepared.text, *segs], batch_size=8)
        sims = self.centroids @ vecs[0]
        main = int(sims.argmax())
        extra = secondary_themes(main, vecs[1:], self.centroids, self.config.secondary_min_similarity)
        ids = list(dict.fromkeys([self.theme_ids[main]] + [self.theme_ids[j] for j in extra]))
        return Assignment(id, ids[0], ids, round(float(np.clip(sims[main], 0, 1)), 4), prepared.text, False, score)
