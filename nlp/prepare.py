"""Preprocessing with the cache, and the reason segments each answer is classified by."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .cache import Cache, cached_map
from .config import PipelineConfig
from .models import load_spacy
from .praise import is_praise
from .preprocess import PREPROCESS_VERSION, Prepared, keep_names_tag, prepare_docs
from .reply_body import reply_body
from .rules import split_segments

PREPROCESS_CHUNK = 5000
MAX_CLAUSES = 6  # most segments one answer is classified by (the rest stay in the last one)
# Where a second reason usually starts inside a sentence: a contrast or an added point ("but",
# "plus", "on top of that", "+", "&"), "and" before a new subject, a negation or an adverb that
# opens a new point ("and now", "and still", "and doesn't"), a comma, semicolon, dash or bracket.
_AND_NEXT = (
    r"the|it|it's|its|they|i|i'm|i've|i'd|you|you're|your|no|there|there's|we|we're|my|our|he|she|"
    r"now|still|then|frankly|honestly|even|also|never|nobody|nothing|only|every|half|"
    r"doesn't|don't|didn't|can't|couldn't|won't|wouldn't|isn't|wasn't|aren't|weren't|"
    r"keeps|kept|took|takes|charged|constantly|always"
)
_CLAUSE = re.compile(
    r"(?i)\s*(?:,\s*(?:but|so|and|though|although|plus|also|while|which|because|as|since|then)\b|"
    r"\s+(?:but|however|although|though|plus|because|and also|on top of that|as well as|"
    r"not to mention|while|whereas|and then|and(?= (?:" + _AND_NEXT + r")\b))\b|"
    r"\s[+&]\s|[,;:()]|\s[-\u2013\u2014]\s)\s*"
)
_MIN_WORDS = 3
_STRIP = " ,.;:()"


def preprocess_texts(
    texts: list[str],
    config: PipelineConfig,
    cache: Cache | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[Prepared], int]:
    """Normalise, redact, flag non-answers and segment ``texts`` (cached by text).

    Returns the records and how many texts were actually run through spaCy.
    """
    namespace = (
        f"prep:{config.spacy_model}:{PREPROCESS_VERSION}:{int(config.segment)}:"
        f"{keep_names_tag(config.names_to_keep())}"
    )

    def parse(chunk: list[str], progress: Callable[[float], None] | None = None) -> list[list]:
        done = prepare_docs(
            chunk,
            load_spacy(config.spacy_model),
            segment=config.segment,
            progress=progress,
            keep_names=config.names_to_keep(),
        )
        return [p.to_list() for p in done]

    stored, parsed = cached_map(
        cache, namespace, texts, parse, chunk_size=PREPROCESS_CHUNK, progress=progress
    )
    return [Prepared.from_list(r) for r in stored], parsed


def clauses(segment: str) -> list[str]:
    """Split one segment at contrast and coordination markers; a piece under three words is
    glued to its neighbour ("too pricey, and slow" stays whole)."""
    return glue_short((piece or "").strip(_STRIP) for piece in _CLAUSE.split(segment))


def glue_short(pieces: Iterable[str], min_words: int = _MIN_WORDS) -> list[str]:
    """The non-empty pieces, each one under ``min_words`` words joined to its neighbour: a bare
    "and slow" is no clause of its own."""
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if merged and (len(piece.split()) < min_words or len(merged[-1].split()) < min_words):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def answer_segments(
    prepared: Prepared, config: PipelineConfig, clauses: list[str] | None = None
) -> list[str]:
    """The clauses of one answer that are classified on their own, so a second reason inside a
    sentence ("we moved to X, also the app kept crashing") gets its own probabilities; none for an
    answer of one clause (the whole answer is classified anyway). Praise in passing ("the price
    was fair") is left out: it is no reason for leaving (:mod:`nlp.praise`). ``clauses``: its
    :func:`answer_clauses`, when the caller has them."""
    if not config.segment or prepared.is_non_answer:
        return []
    if not config.classify_root_causes:  # the flat pipeline matches whole segments to themes
        return list(prepared.segments) if len(prepared.segments) > 1 else []
    pieces = answer_clauses(prepared, config) if clauses is None else list(clauses)
    if len(pieces) > MAX_CLAUSES:
        pieces = pieces[: MAX_CLAUSES - 1] + [" ".join(pieces[MAX_CLAUSES - 1 :])]
    return pieces if len(pieces) > 1 else []


def answer_clauses(prepared: Prepared, config: PipelineConfig) -> list[str]:
    """The clauses of an answer that are not praise in passing, from the segments preprocessing
    cut (:func:`split_segments` of its body, :func:`reply_body`, as the head reads it; cut here
    when segmentation is off): joined with ". ", the :func:`complaint_text` of its body, which the
    classify stage need not cut again."""
    if config.segment:
        return _clauses_less_praise(prepared.segments)
    return _clauses_less_praise(split_segments(reply_body(prepared.text)))


def complaint_text(text: str) -> str:
    """``text`` without its clauses of praise in passing, where cue words are looked for ("Price
    was fair" names price without complaining about it)."""
    return ". ".join(_clauses_less_praise(split_segments(text)))


def _clauses_less_praise(segments: list[str]) -> list[str]:
    """The clauses of ``segments`` that are not praise in passing (:mod:`nlp.praise`)."""
    return [c for segment in segments for c in clauses(segment) if not is_praise(c)]
