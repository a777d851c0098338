"""Preprocessing with the cache, and the reason segments each answer is classified by."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .cache import Cache, cached_map
from .config import PipelineConfig
from .models import load_spacy
from .praise import is_praise
from .preprocess import PREPROCESS_VERSION, Prepared, keep_names_tag, prepare_docs
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
# "paying $40 a month for an app that logs me out hourly": a relative clause whose verb tells of a
# failure is a reason of its own; "too pricey with all the outages" likewise after "with"
_THAT_NEXT = (
    r"kept|keeps|keep|never|always|constantly|still|barely|rarely|showed|shows|turned|turns|arrived|"
    r"arrives|crashed|crashes|crash|logs|logged|breaks|broke|took|takes|lags|lagged|freezes|froze|"
    r"charged|charges|billed|bills|ignored|ignores|can't|couldn't|doesn't|didn't|won't|wouldn't|"
    r"isn't|wasn't|hardly|fails|failed|loses|lost|goes|went|drops|dropped"
)
_MARKERS = (
    r"but|however|although|though|plus|because|and also|on top of that|as well as|"
    r"not to mention|while|whereas|and then|and(?= (?:" + _AND_NEXT + r")\b)"
)
_CLAUSE = re.compile(
    r"(?i)\s*(?:,\s*(?:but|so|and|though|although|plus|also|while|which|because|as|since|then)\b|"
    r"\s+(?:" + _MARKERS + r")\b|\s[+&]\s|[,;:()]|\s[-\u2013\u2014]\s)\s*"
)
# Looking for second causes, also "so I ...", a relative clause of failure and "with all the ...";
# kept out of :func:`clauses`, which the non-answer rules split letters with
_CAUSE_CLAUSE = re.compile(
    r"(?i)\s*(?:,\s*(?:but|so|and|though|although|plus|also|while|which|because|as|since|then)\b|"
    r"\s+(?:" + _MARKERS + r"|so(?= (?:i|we)\b)|(?:that|which|who)(?= (?:" + _THAT_NEXT + r")\b)|"
    r"with(?= (?:all|constant|no|zero|endless)\b))\b|\s[+&]\s|[,;:()]|\s[-\u2013\u2014]\s)\s*"
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
    return _glued(_CLAUSE.split(segment))


def complaint_clauses(segment: str) -> list[str]:
    """The clauses of one segment where second causes are looked for: :func:`clauses`, also cut
    before "so I", "with all the" and a relative clause that tells of a failure ("paying $40 a
    month for an app | that logs me out hourly"), less praise in passing (:mod:`nlp.praise`),
    dropped before short pieces are glued, so a terse "No complaints." or "Loved it!" is not
    glued onto the reason beside it."""
    return [
        c
        for c in _glued(p for p in _CAUSE_CLAUSE.split(segment) if not is_praise((p or "").strip(_STRIP)))
        if not is_praise(c)
    ]


def _glued(pieces: Iterable[str | None]) -> list[str]:
    """Pieces stripped of punctuation, one under three words glued to its neighbour."""
    merged: list[str] = []
    for piece in pieces:
        piece = (piece or "").strip(_STRIP)
        if not piece:
            continue
        if merged and (len(piece.split()) < _MIN_WORDS or len(merged[-1].split()) < _MIN_WORDS):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def answer_segments(prepared: Prepared, config: PipelineConfig) -> list[str]:
    """The clauses of one answer that are classified on their own, so a second reason inside a
    sentence ("we moved to X, also the app kept crashing") gets its own probabilities; none for an
    answer of one clause (the whole answer is classified anyway). Praise in passing ("the price
    was fair") is left out: it is no reason for leaving (:mod:`nlp.praise`)."""
    if not config.segment or prepared.is_non_answer:
        return []
    if not config.classify_root_causes:  # the flat pipeline matches whole segments to themes
        return list(prepared.segments) if len(prepared.segments) > 1 else []
    pieces = [c for segment in prepared.segments for c in complaint_clauses(segment)]
    if len(pieces) > MAX_CLAUSES:
        pieces = pieces[: MAX_CLAUSES - 1] + [" ".join(pieces[MAX_CLAUSES - 1 :])]
    return pieces if len(pieces) > 1 else []


def complaint_text(text: str) -> str:
    """``text`` without its clauses of praise in passing, where cue words are looked for ("Price
    was fair" names price without complaining about it)."""
    return ". ".join(c for segment in split_segments(text) for c in complaint_clauses(segment))
