"""Trial (not shipped): finer pieces of an English answer from spaCy's dependency parse.

Why: most second causes are said in passing inside one clause ("paying 40 a month for an app
that crashes daily", "the app lags so badly the lessons stop"), where the punctuation and
connective cuts of ``nlp.prepare.clauses`` find no boundary. A relative clause, a
participial or adverbial clause, a verb conjoined with its own predicate, or a clause after
"for"/"with" carries a predicate of its own, so it can name a reason of its own; the rest of the
sentence, once that piece is taken out, can name another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# dependency labels whose subtree carries its own predicate
SPLIT_DEPS = frozenset({"relcl", "acl", "advcl", "conj", "pcomp", "ccomp"})
PREDICATE_POS = frozenset({"VERB", "AUX", "ADJ"})
MIN_WORDS = 3
MAX_PIECES = 4  # most extra pieces per answer
_EDGE_DEPS = frozenset({"cc", "mark", "punct", "prep"})


def _trim(tokens: list[Any]) -> list[Any]:
    """Drop the connectives and punctuation at a piece's edges ("and", "that", ",")."""
    while tokens and (tokens[0].dep_ in _EDGE_DEPS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].dep_ in {"cc", "punct"} or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: Iterable[Any]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def doc_pieces(doc: Any) -> list[str]:
    """Per parsed answer: each piece with a predicate of its own, and what its sentence says
    without it, when both run to ``MIN_WORDS`` words or more (at most ``MAX_PIECES``)."""
    pieces: list[str] = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct]
        for tok in sent:
            if tok.dep_ not in SPLIT_DEPS or tok.pos_ not in PREDICATE_POS:
                continue
            start = tok.left_edge.i
            if tok.dep_ in {"relcl", "acl"}:
                start = min(start, tok.head.left_edge.i)  # "an app that crashes daily"
            inside = _trim([t for t in doc[start : tok.right_edge.i + 1]])
            rest = _trim([t for t in sent if t.i < start or t.i > tok.right_edge.i])
            n_in = sum(not t.is_punct for t in inside)
            n_rest = sum(not t.is_punct for t in rest)
            if n_in < MIN_WORDS or n_in >= len(words):
                continue
            pieces.append(_text(inside))
            if n_rest >= MIN_WORDS:
                pieces.append(_text(rest))
    seen: list[str] = []
    for p in pieces:
        if p.lower() not in {s.lower() for s in seen}:
            seen.append(p)
    return seen[:MAX_PIECES]


def parse_pieces(texts: list[str], parser: Any) -> list[list[str]]:
    """:func:`doc_pieces` of each text, parsed in one batch."""
    return [doc_pieces(doc) for doc in parser.pipe(texts, batch_size=256)]
