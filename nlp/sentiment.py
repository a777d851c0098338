"""Sentiment per answer and per theme with VADER's lexicon (small, rule-based, no model)."""
from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """Compound sentiment in [-1, 1] of one (redacted) answer; 0.0 for empty text."""
    if not text or not text.strip():
        return 0.0
    return round(float(_analyzer().polarity_scores(text)["compound"]), 4)


def mean_sentiment(values: list[float]) -> float:
    """Average sentiment of a theme's answers (0.0 when there are none)."""
    return round(sum(values) / len(values), 4) if values else 0.0
