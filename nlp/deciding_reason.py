"""The reason a long answer says made the customer leave.

A long answer, an e-mail reply most of all, tells a story: background, a gripe or two they put up
with, then the one that did it ("What finally did it was the new price", "The missing items are
the reason I've stopped ordering", "... That's why I left"). The head, reading the whole story,
often takes the background's cause, and the first clause (:mod:`nlp.first_cause`) is background
too. So the sentence that marks its reason as the deciding one is classified on its own, and its
cause, when the head is sure enough of it (``deciding_min_probability``), is the answer's main
cause; the whole answer's cause follows it as a second one.

Only answers of ``deciding_min_words`` words or more, in English: a short answer names its reason
first (:mod:`nlp.first_cause`), and answers in other languages go through the multilingual head.
A sentence that says a reason was *not* why ("but that's not why we're going", "that had nothing
to do with it") marks nothing. A sentence that points back ("That's why I cancelled.", "That was
really the whole reason.") stands for the sentence before it, or for what follows its colon
("That's why I left: the complaint never got sorted").
"""

from __future__ import annotations

import re

import numpy as np

from .config import PipelineConfig

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# Words that stress a reason as the one that counted, in the five shipped languages: "the main
# reason", "mainly", "above all", "the last straw", "what really got me". Not words that only mean
# "especially" ("surtout le soir", "sobre todo", "vor allem"), nor "biggest" before anything but a
# reason ("our biggest client", "our biggest sale").
STRESS_WORDS = (
    r"main reason|the real reason|biggest (?:issue|problem|reason|gripe|thing|factor|complaint|frustration|deal ?breaker)|"
    r"what (?:finally |really |actually |eventually )?(?:did it|made (?:me|us)|pushed (?:me|us)|tipped|got (?:me|us))|"
    r"what really|mainly|primarily|above all|most of all|last straw|final straw|"
    r"principalmente|el motivo principal|la razón principal|la gota que colmó|"
    r"hauptsächlich|der hauptgrund|das fass zum überlaufen|der tropfen, der|"
    r"principalement|la raison principale|la goutte d'eau|"
    r"o principal motivo|a principal razão|o motivo principal|a gota d'água"
)
# A sentence of a story that marks its reason (or the one before it) as the deciding one: the
# stress words; a reason named as the main, only or whole one, often pointing back ("which was
# the dealbreaker", "that's why", "the reason I left"); the story's end ("in the end").
DECIDING = re.compile(
    rf"(?i)\b(?:{STRESS_WORDS}|"
    r"(?:the|my|our) (?:main|real|only|whole|actual|deciding|biggest|bigger) (?:reason|thing|issue|problem|factor)|"
    r"the (?:big|bigger|biggest) one|deal ?breaker|tipping point|"
    r"(?:is|are|was|were) (?:what|the thing that|the one that) (?:finally |really |actually )?(?:made|pushed|drove|did it|tipped)|"
    r"(?:that|this|which)(?:'s| is| was) (?:really |exactly |mainly |simply |basically )*(?:why|the reason|what made|what did it|what pushed)|"
    r"(?:is|are|was|were) (?:really |actually |mainly )?(?:the|my|our) (?:main |real |only )?(?:reason|problem)\b|"
    r"the reason (?:i|we)(?:'m| am|'ve| have| had)? (?:left|leaving|cancel\w*|switch\w*|stopp\w*|mov\w*|quit\w*|closed|going)|"
    r"in the end|ultimately|at the end of the day)\b"
)
# ... unless it says a reason was not the one: "but that's not why", "nothing to do with it".
_NOT_IT = re.compile(
    r"(?i)\b(?:not|n't|never)\b(?:\s+\w+){0,3}\s+(?:why|the (?:main |real )?reason|what made)\b|"
    r"nothing to do with|not (?:really )?(?:the|a) (?:main |big )?(?:reason|problem|issue)|"
    r"had no part|didn't matter"
)
# A sentence that points back at the reason just given.
_POINTS_BACK = re.compile(r"(?i)^(?:but |and |so |yes,? )?(?:that|this|which)(?:'s| is| was| were)\b")
# ... or inside its sentence, after the reason: "the renewal is sneaky, and that's why I left".
_POINTS_BACK_INSIDE = re.compile(
    r"(?i),?\s+(?:and |so )?(?:that|this|which)(?:'s| is| was)\s+(?:really |exactly |simply )*(?:why|the reason)\b"
)
_COLON = re.compile(r":\s+")
# Where a sentence turns from a gripe put up with to the one that counted.
_CONTRAST = re.compile(r"(?i),?\s+\b(?:but|however|though|although|whereas|while)\b,?\s+|;\s+")


def deciding_text(text: str, config: PipelineConfig) -> str | None:
    """The text of the sentence that marks ``text``'s deciding reason (for a pointer back, the
    sentence it points at), or None: a short answer, or no such sentence. The last such sentence
    counts: a story ends with what did it."""
    if len(text.split()) < config.deciding_min_words:
        return None
    sentences = [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]
    if len(sentences) < 2:
        return None
    for i in range(len(sentences) - 1, -1, -1):
        sentence = sentences[i]
        if not DECIDING.search(sentence) or _NOT_IT.search(sentence):
            continue
        if _POINTS_BACK.match(sentence):
            after = _COLON.split(sentence, maxsplit=1)
            if len(after) == 2 and len(after[1].split()) >= 3:
                return after[1]
            return f"{sentences[i - 1]} {sentence}" if i else None
        inside = _POINTS_BACK_INSIDE.search(sentence)
        if inside and len(sentence[: inside.start()].split()) >= 3:
            return sentence[: inside.start()]
        return _marked_clause(sentence)
    return None


def _marked_clause(sentence: str) -> str:
    """Of a sentence that turns at "but" ("The price went up, but the real reason is that I don't
    need it"), the clause with the mark; the whole sentence when no clause of three words or more
    holds it alone."""
    clauses = [c for c in _CONTRAST.split(sentence) if c]
    marked = [c for c in clauses if DECIDING.search(c) and len(c.split()) >= 3]
    return marked[-1] if len(clauses) > 1 and marked else sentence


def deciding_cause(probs: np.ndarray, classes: list[str], skip: str, config: PipelineConfig) -> str | None:
    """The deciding sentence's cause: its best class other than ``skip`` (the non-answer class)
    when the head gives it ``deciding_min_probability`` or more."""
    order = [j for j in np.argsort(-probs) if classes[j] != skip]
    if not order or probs[order[0]] < config.deciding_min_probability:
        return None
    return classes[order[0]]
