"""Answers the rules explain in part, and whose other clauses the head reads as no reason.

"The courier was always so cheerful, made my morning": the rules know the first clause (praise of
one thing), not the second; the head, asked about the whole answer, names the courier's cause.
Asked about "made my morning" alone, it finds no reason there. So for each English answer whose
clauses the rules explain in part (:func:`nlp.non_answers.partial.open_clauses`), each clause
left open is classified alone, and when none reads as a reason the answer is a non-answer. A
clause reads as a reason when the letters' test says so (:func:`nlp.letter_reasons.gives_reason`:
``non_answer`` below ``letter_clause_max_non_answer`` and a cause at ``letter_clause_min_cause``)
or when some cause is likelier than ``non_answer``: "great wines, we've stopped drinking" and
"the rep was super helpful, just don't need it" stay answers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .classifier import NON_ANSWER
from .config import PipelineConfig
from .letter_reasons import gives_reason
from .non_answers.partial import open_clauses, praise_candidates
from .non_answers.praise_shape import parse_clauses
from .parallel import in_halves


def explained_answers(
    texts: list[str],
    english: list[bool],
    classes: list[str],
    config: PipelineConfig,
    predict: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Per answer, True when the rules explain some of its clauses and the head reads none of
    the others as a reason (see the module docstring). ``english``: which answers are in English
    (the clause tests read English only). ``predict`` gives the head's probabilities for a list of
    clauses (:func:`nlp.letter_reasons.head_predictor`)."""
    found = np.zeros(len(texts), dtype=bool)
    if not config.partial_clause_check or NON_ANSWER not in classes or not len(texts):
        return found
    rows = [k for k, ok in enumerate(english) if ok]
    left = in_halves(_open_clauses, [texts[k] for k in rows])
    owned = [(k, clause) for k, clauses in zip(rows, left, strict=True) for clause in clauses]
    if not owned:
        return found
    distinct = list(dict.fromkeys(clause for _, clause in owned))
    na = classes.index(NON_ANSWER)
    reason = {
        clause: gives_reason(probs, classes, config) or float(np.delete(probs, na).max()) > float(probs[na])
        for clause, probs in zip(distinct, predict(distinct), strict=True)
    }
    candidates = {k for k, _ in owned}
    for k, clause in owned:
        if reason[clause]:
            candidates.discard(k)
    found[sorted(candidates)] = True
    return found


def _open_clauses(texts: list[str]) -> list[list[str]]:
    """:func:`open_clauses` of each text, with the parses of praise made in one batch first."""
    parsed = parse_clauses(c for text in texts for c in praise_candidates(text))
    return [open_clauses(text, parsed) for text in texts]
