"""A rough language vote by function words, shared by segmentation-time NER gating and redaction.

The small English NER model takes many German nouns and Romance sentence openers for names, so
both the NER gate (:mod:`nlp.preprocess`) and the check on its PERSON entities (:mod:`nlp.pii`)
ask this one vote; the word lists live in ``nlp/data/stop_words.json``.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

_WORDS = re.compile(r"[^\W\d_]+")


@functools.cache
def stop_words() -> dict[str, frozenset[str]]:
    """Function words by language code (``en``, ``de``, ``fr``, ``es``, ``it``, ``nl``, ``pt``)."""
    path = Path(__file__).with_name("data") / "stop_words.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}


def guess_language(text: str) -> str:
    """The language whose function words occur most often; English unless another beats it."""
    words = _WORDS.findall(text.lower())
    if not words:
        return "en"
    lists = stop_words()
    best, score = "en", sum(w in lists["en"] for w in words)
    for lang, stop in lists.items():
        s = sum(w in stop for w in words)
        if lang != "en" and s > score:
            best, score = lang, s
    return best


def looks_non_english(text: str) -> bool:
    """Does another language out-vote English ("Kein Rechenzentrum in der EU")?"""
    return guess_language(text) != "en"
