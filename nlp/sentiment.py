"""Sentiment per answer and per theme with VADER's lexicon (small, rule-based, no model)."""

from __future__ import annotations

import functools
import re
from typing import Any

#: Sentence ends: ., ! or ? followed by space, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
#: A last sentence that turns away from the complaint ("Otherwise decent."); VADER's lexicon has no
#: score for many mild words such as "decent", so the turn itself counts.
_TURN = re.compile(
    r"^\W*(otherwise|overall|but|still|apart from that|other than that|besides that)\b", re.IGNORECASE
)


@functools.lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _compound(text: str) -> float:
    return float(_analyzer().polarity_scores(text)["compound"])


def sentiment(text: str) -> float:
    """Compound sentiment in [-1, 1] of one (redacted) answer; 0.0 for empty text.

    An answer that complains and then ends on a positive note ("... Otherwise decent.") is not
    "very negative": when the whole text scores negative and its last sentence is positive, or
    turns away from the complaint without being negative, the score is the average of the two.
    """
    if not text or not text.strip():
        return 0.0
    whole = _compound(text)
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if whole < 0 and len(sentences) > 1:
        last = _compound(sentences[-1])
        if last > 0.05 or (last >= 0 and _TURN.search(sentences[-1])):
            whole = (whole + last) / 2
    return round(whole, 4)


def word_valence(word: str) -> float:
    """VADER's lexicon valence of one word (0.0 for a word it does not rate): "fair" 1.3, "annual" 0."""
    return float(_analyzer().lexicon.get(word.lower(), 0.0))


def mean_sentiment(values: list[float]) -> float:
    """Average sentiment of a theme's answers (0.0 when there are none)."""
    return round(sum(values) / len(values), 4) if values else 0.0
