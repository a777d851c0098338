"""Answers the rules explain in part: which clauses are left for the root-cause head to judge.

The rules call an answer a non-answer only when every clause is one ("Please cancel. Thanks.").
Customers often write one clause the rules know (praise of one thing, a sign-off, a pointer, a
request to close) beside one they do not ("The courier was always so cheerful, made my morning",
"Parcel lockers were handy, right by the station", "ask my husband, he handles that stuff"). The
head, asked about the whole answer, is misled by the thing praised or pointed at (the courier,
the lockers) and names its cause. Asked about the clause left over, it can tell that clause gives
no reason; ``nlp.partial_answers`` asks it. A clause that holds a negation or a word VADER's lexicon
rates negative is a complaint or a change told as a loss ("shame the showers were always cold",
"doctor told me to stop"), never left to the head: the answer stays an answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..languages import looks_non_english
from ..rules import normalize
from ..sentiment import word_valence
from . import praise_shape
from .detect import _PIECES, _Judge, _praise_text, clean, has_reason_cue

#: A negation: what follows it is denied, so the clause may tell a lack or a failure ("no
#: offline mode", "never came", "didn't need it").
_NEGATION = re.compile(r"(?i)\b(?:not|no|never|nothing|none|nobody|nor|cannot|without)\b|n't\b")
_WORD = re.compile(r"[a-z][a-z']*")
_MIN_PRAISE_WORDS = 2  # "honestly," alone is a filler, not praise of anything


def open_clauses(text: str, parsed: Mapping[str, Any] | None = None) -> list[str]:
    """The clauses of an English answer the rules leave open, when they explain the others.

    At least one clause must be a non-answer by the rules or praise of one thing by its shape
    (:func:`.praise_shape.is_praise_clause`, two words or more), and at least one must be neither;
    those are returned. None (an empty list) when the rules explain none of the answer or all of
    it, when the answer states a reason cue ("because", "personal reasons"), is not in English, or
    when a clause left open holds a negation or a negative word (see the module docstring).
    ``parsed``: parses of clauses made beforehand (:func:`.praise_shape.parse_clauses`)."""
    norm = _praise_text(normalize(text))
    if not norm.strip() or looks_non_english(norm) or has_reason_cue(norm):
        return []
    pieces = _pieces(norm)
    if len(pieces) < 2:  # one clause: the rules have judged it whole
        return []
    judge = _Judge()
    explained = False
    rest: list[str] = []
    for piece, core in pieces:
        if judge.piece(core) or _praises(piece, core, parsed):
            explained = True
        else:
            rest.append(piece.strip())
    if not explained or not rest or any(_negative(clause) for clause in rest):
        return []
    return rest


def praise_candidates(text: str) -> list[str]:
    """The clauses :func:`open_clauses` may parse for ``text``, for one batch of parses."""
    pieces = _pieces(_praise_text(normalize(text)))
    if len(pieces) < 2:
        return []
    return [
        clause
        for piece, core in pieces
        if len(core.split()) >= _MIN_PRAISE_WORDS
        for clause in [praise_shape.PLACEHOLDER.sub("they", piece)]
        if praise_shape.could_be_clause(clause)
    ]


def _pieces(norm: str) -> list[tuple[str, str]]:
    """Each clause of the answer with its cleaned words, as the rules split it (no initials)."""
    out = []
    for piece in _PIECES.split(norm):
        core = clean(piece) if piece else ""
        if core and not (len(core) == 1 and core.isalpha()):
            out.append((piece.strip(), core))
    return out


def _praises(piece: str, core: str, parsed: Mapping[str, Any] | None) -> bool:
    """Is one clause praise of one thing by its shape ("Parcel lockers were handy")?"""
    if len(core.split()) < _MIN_PRAISE_WORDS:
        return False
    return praise_shape.is_praise_clause(praise_shape.PLACEHOLDER.sub("they", piece), parsed)


def _negative(clause: str) -> bool:
    """A negation or a word VADER's lexicon rates below zero ("shame", "stop", "cold")."""
    return bool(_NEGATION.search(clause)) or any(word_valence(w) < 0 for w in _WORD.findall(clause.lower()))
