"""The main cause of an answer that names two: the one named first.

Customers who give two reasons tend to lead with the one that made them leave ("Too clunky. We
went with Monday.com."; "Streams buffer constantly. Not paying £12 for that"), and the CX team's
labels follow them. The head, reading the whole answer, often ranks the second reason higher
because its words are stronger or more common in the bank; on the tuning lists most main-cause
errors on two-cause answers were such swaps (bench/README.md, "The cause named first").

So when the answer's first clause has a cause of its own (its best cause at
``secondary_min_probability`` or more) that the whole answer also gives at least
``first_cause_min_share`` of the main cause's probability, that cause becomes the main one and
the head's choice becomes a second cause. Not when the main cause is one that is about another
problem by nature (``first_cause_keeps``: "reported it three times, still broken" is an
unresolved complaint about a bug, named after the bug), nor when the answer marks a later reason
as the one that counted ("... but what really got me was support").
"""

from __future__ import annotations

import re

import numpy as np

from .config import PipelineConfig
from .deciding_reason import STRESS_WORDS
from .prepare import clauses
from .rules import split_segments

# A clause after the first that stresses its reason as the deciding one: the stress words of
# :mod:`nlp.deciding_reason`, and "mostly" ("Too clunky, but mostly the support"). Not a reason
# named as the only or whole one, which mostly points back at the first ("No Zapier, which was a
# dealbreaker", "that was the whole reason I joined"), nor a story's end ("In the end we went
# with Monday.com" names where they went).
EMPHASIS = re.compile(rf"\b(?:{STRESS_WORDS}|mostly)\b", re.IGNORECASE)


def first_segments(seg_owner: np.ndarray) -> np.ndarray:
    """A mask of the segments that are their answer's first (``seg_owner`` lists every clause
    of each answer, in order)."""
    owner = np.asarray(seg_owner, dtype=int)
    first = np.ones(len(owner), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    return first


def leads_with(
    main: str,
    first_cause: str,
    doc_probs: np.ndarray,
    column: dict[str, int],
    config: PipelineConfig,
    text: str | None,
) -> bool:
    """Whether ``first_cause``, the best cause of the answer's first clause (already at
    ``secondary_min_probability``), should replace ``main`` as the answer's main cause."""
    if first_cause == main or main not in column or first_cause not in column:
        return False
    if main in config.first_cause_keeps:
        return False
    if doc_probs[column[first_cause]] < config.first_cause_min_share * doc_probs[column[main]]:
        return False
    return not (text and stresses_a_later_reason(text))


def stresses_a_later_reason(text: str) -> bool:
    """Whether a clause after the first marks its reason as the deciding one ("Too clunky, but
    what really got me was support"); a stress on the first clause ("Mainly too clunky. We went
    with Monday.com.") backs the reason named first instead."""
    pieces = [piece for segment in split_segments(text) for piece in clauses(segment)]
    return any(EMPHASIS.search(piece) for piece in pieces[1:])
