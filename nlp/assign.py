"""Incremental assignment: one new answer to the existing themes, no refit."""

from __future__ import annotations

import numpy as np

from .causes import CauseCall, classify_answers
from .config import PipelineConfig
from .deciding_reason import deciding_text
from .grouping import secondary_themes
from .heads import current_taxonomy, root_cause_classifier
from .languages import DEFAULT, UNDETERMINED, detect_language
from .letter_reasons import head_predictor, reasons_in_letters
from .memory import ThemeMemory
from .models import load_encoder, load_spacy
from .multilingual import MultilingualHead, assign_one, multilingual_head
from .prepare import answer_segments
from .preprocess import prepare_docs
from .reason_tone import reason_sentiment
from .reply_body import reply_body
from .results import AnalysisResult, Assignment


class IncrementalAssigner:
    """Assigns new answers to remembered themes without a refit.

    Uses the same preprocessing (redaction, non-answers, segments), embedding model and
    root-cause head as :func:`nlp.analyze`: the answer's root causes come from the head, and
    within each cause the nearest theme centroid (cosine) is taken. Build it once; ``assign``
    then takes milliseconds.
    """

    def __init__(
        self,
        theme_ids: list[str],
        centroids: np.ndarray,
        config: PipelineConfig | None = None,
        categories: list[str] | None = None,
        corrections: list[tuple[str, str]] | None = None,
    ) -> None:
        self.config = config or PipelineConfig()
        self.theme_ids = list(theme_ids)
        self.centroids = np.asarray(centroids, dtype=np.float32)
        self.categories = list(categories) if categories is not None else []
        self._nlp = load_spacy(self.config.spacy_model)
        self._encoder = load_encoder(self.config.embedding_model, self.config.device, self.config.backend)
        self._head = None
        self._corrections = corrections
        self._multilingual: MultilingualHead | None = None
        self._taxonomy = current_taxonomy(self.config)
        self._emerging = self._taxonomy.emerging_key
        if self.config.classify_root_causes and len(self.categories) == len(self.theme_ids):
            self._head = root_cause_classifier(self.config, self._encoder, None, corrections)

    @classmethod
    def from_memory(cls, memory: ThemeMemory, config: PipelineConfig | None = None) -> IncrementalAssigner:
        """Assigner over the themes of ``memory``; a merged theme's centroid counts for the
        theme it was merged into."""
        ids = list(memory.themes)
        return cls(
            [memory.resolve(i) for i in ids],
            memory.centroid_matrix(ids),
            config,
            [memory.themes[memory.resolve(i)].category for i in ids],
        )

    @classmethod
    def from_result(cls, result: AnalysisResult, config: PipelineConfig | None = None) -> IncrementalAssigner:
        """Assigner over the themes of an :class:`AnalysisResult` (via its memory)."""
        ids = [t.id for t in result.themes]
        return cls(ids, result.memory.centroid_matrix(ids), config, [t.category for t in result.themes])

    def warm_up(self) -> None:
        """Run one assignment so later calls are fast."""
        self.assign("warm-up: the price went up and the app is slow")

    def assign(self, text: str, id: str = "") -> Assignment:
        """Assign one answer: redacted text, non-answer flag, main theme, every theme it counts
        toward, confidence (cosine to the main theme's centroid) and sentiment."""
        prepared = prepare_docs(
            [text or ""], self._nlp, segment=self.config.segment, keep_names=self.config.names_to_keep()
        )[0]
        language = detect_language(text or "", tuple(self.config.languages))
        english = language in (DEFAULT, UNDETERMINED)
        body = reply_body(prepared.text)  # an e-mail reply: its body only, as in analyze
        score = reason_sentiment(body) if not prepared.is_non_answer and english else 0.0
        empty = prepared.is_non_answer or not prepared.text.strip()
        if empty or not self.theme_ids:
            return Assignment(id, None, [], 0.0, prepared.text, empty, score, language=language)
        if self._head is not None and self.config.multilingual_model and not english:
            # the multilingual head's cause, then the nearest theme to the answer's proxy vector
            if self._multilingual is None:
                self._multilingual = multilingual_head(
                    self.config, self._encoder, self._taxonomy, None, self._corrections
                )
            use = load_encoder(self.config.multilingual_model)
            call, proxy, score = assign_one(
                self._multilingual, use, body, self.config, self._taxonomy, language
            )
            return self._assign_by_cause(
                id, body, proxy, [], round(score, 4), language, call, shown=prepared.text
            )
        segs = answer_segments(prepared, self.config)
        vecs = self._encoder.encode([body, *segs], batch_size=8)
        if self._head is not None:
            return self._assign_by_cause(id, body, vecs, segs, score, language, shown=prepared.text)
        sims = self.centroids @ vecs[0]
        main = int(sims.argmax())
        extra = secondary_themes(main, vecs[1:], self.centroids, self.config.secondary_min_similarity)
        ids = list(dict.fromkeys([self.theme_ids[main]] + [self.theme_ids[j] for j in extra]))
        return Assignment(
            id,
            ids[0],
            ids,
            round(float(np.clip(sims[main], 0, 1)), 4),
            prepared.text,
            False,
            score,
            language=language,
        )

    def _assign_by_cause(
        self,
        id: str,
        text: str,
        vecs: np.ndarray,
        segments: list[str],
        score: float,
        language: str = DEFAULT,
        call: CauseCall | None = None,
        shown: str | None = None,
    ) -> Assignment:
        """Root causes from the head (or ``call``, already made), then the nearest theme within
        each cause. ``text`` is what was classified; ``shown`` (default ``text``) the redacted
        answer the assignment carries."""
        shown = text if shown is None else shown
        assert self._head is not None
        if call is None:
            probs = self._head.predict_proba(vecs, [text, *segments])
            owner = np.zeros(len(segments), dtype=int)
            predict = head_predictor(self._head, self._encoder, None, self.config.batch_size)
            # as analyze: a long English answer's sentence that marks its deciding reason
            sentence = deciding_text(text, self.config) if language in (DEFAULT, UNDETERMINED) else None
            deciding = (
                None
                if sentence is None
                else [self._head.predict_proba(self._encoder.encode([sentence], batch_size=8), [sentence])[0]]
            )
            call = classify_answers(
                probs[:1],
                probs[1:],
                owner,
                self._head.classes,
                self.config,
                self._emerging,
                [text],
                self._taxonomy,
                reasons_in_letters(probs[:1], [text], self._head.classes, self.config, predict),
                deciding=deciding,
            )[0]
        if call.non_answer:
            return Assignment(id, None, [], 0.0, shown, True, 0.0, language=language)
        theme_ids: list[str] = []
        for cause in call.causes:
            options = [j for j, c in enumerate(self.categories) if c == cause]
            if not options:
                continue
            vec = vecs[1 + call.segment_of[cause]] if cause in call.segment_of else vecs[0]
            best = options[int(np.argmax(self.centroids[options] @ vec))]
            theme_ids.append(self.theme_ids[best])
        if not theme_ids:  # a cause no theme stands for yet: the nearest theme overall
            theme_ids.append(self.theme_ids[int(np.argmax(self.centroids @ vecs[0]))])
        ids = list(dict.fromkeys(theme_ids))
        return Assignment(
            id,
            ids[0],
            ids,
            round(call.probability, 4),
            shown,
            False,
            score,
            root_cause=call.main,
            root_causes=list(call.causes),
            language=language,
        )
