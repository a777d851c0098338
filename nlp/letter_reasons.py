"""Does a letter the head takes for a non-answer hold one clause that gives a real reason?

A polite letter ("Dear team, please cancel my membership, account 55109. Thanks again.") and
the same letter with a reason tucked inside ("... I'm moving abroad for work in the spring ...")
look alike to the head as a whole: greetings, account numbers and thanks outweigh the one
clause of reason, so both come out ``non_answer``. Judged on its own, though, that clause reads
as a reason (``non_answer`` unlikely, a cause likely), while the clauses of a letter that gives
none read as requests, details or pleasantries. So before an answer is called a non-answer by the
head, each of its clauses that holds a word of content is classified alone; one that the head
judges to be a reason keeps the answer. Only answers the head would flag are split, so this costs
a few embeddings per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .cache import Cache
from .causes import non_answer_bar
from .classifier import NON_ANSWER, RootCauseClassifier
from .config import PipelineConfig
from .embeddings import embed_texts
from .heads import head_probabilities
from .models import Encoder
from .non_answers import says_nothing
from .non_answers.detect import is_non_answer, praise_clauses
from .non_answers.praise_shape import parse_clauses
from .parallel import in_halves
from .prepare import clauses

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\s*[;\n•]+\s*|\s+[-–—]\s+")
_FIELD = re.compile(r"^\s*([^:\n]{1,30}):\s*\S")
_WHY = re.compile(r"(?i)\b(?:reasons?|why|motivos?|raisons?|gründe|grund|razón|razones|razão)\b")


def _is_field(sentence: str) -> bool:
    """A form field filled in ("Policy: life cover basic", "Member ID: 4410"): its label is
    account admin, and a field is a detail, not a reason ("Reason: too expensive" is one)."""
    found = _FIELD.match(sentence)
    return found is not None and says_nothing(found.group(1)) and not _WHY.search(found.group(1))


def letter_clauses(text: str, min_words: int) -> list[str]:
    """The clauses of ``text`` (its sentences, split again at "but", "so", "because" ...) that
    could give a reason: ``min_words`` words or more ("Policy: life cover basic" and a
    signature's job title are fragments, not reasons), not a non-answer by the rules ("Thanks
    again", "Please cancel my account") and holding a word of content."""
    return [c for c in _clauses_of(text) if _could_give_reason(c, min_words)]


def _clauses_of(text: str) -> list[str]:
    """Every clause of ``text`` outside form fields, before the tests of :func:`letter_clauses`."""
    out: list[str] = []
    for sentence in _SENTENCES.split(text):
        if not sentence or not sentence.strip() or _is_field(sentence):
            continue
        out.extend(clauses(sentence.strip()))
    return out


def _could_give_reason(clause: str, min_words: int) -> bool:
    """The tests of :func:`letter_clauses` on one clause."""
    # says_nothing first: the same answer, and 20 times cheaper than is_non_answer
    return len(clause.split()) >= min_words and not says_nothing(clause) and not is_non_answer(clause)


def head_calls_non_answer(probs: np.ndarray, text: str, classes: list[str], config: PipelineConfig) -> bool:
    """Would the head, on the whole answer, make it a non-answer (``non_answer`` first, at the
    bar for its length)? Only those answers are split into clauses."""
    if NON_ANSWER not in classes:
        return False
    na = classes.index(NON_ANSWER)
    return int(probs.argmax()) == na and float(probs[na]) >= non_answer_bar(text, config)


def gives_reason(probs: np.ndarray, classes: list[str], config: PipelineConfig) -> bool:
    """One clause's probabilities read as a reason: ``non_answer`` below
    ``letter_clause_max_non_answer`` and some cause at ``letter_clause_min_cause`` or more."""
    na = classes.index(NON_ANSWER)
    causes = np.delete(probs, na)
    return (
        float(probs[na]) < config.letter_clause_max_non_answer
        and float(causes.max()) >= config.letter_clause_min_cause
    )


def reasons_in_letters(
    doc_probs: np.ndarray,
    texts: list[str],
    classes: list[str],
    config: PipelineConfig,
    predict: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Per answer, True when the head would call it a non-answer but one of its clauses
    (:func:`letter_clauses`) gives a reason on its own (:func:`gives_reason`). ``predict`` gives the
    head's probabilities for a list of clauses (embedding them with the head's encoder)."""
    found = np.zeros(len(texts), dtype=bool)
    if not config.letter_clause_check or NON_ANSWER not in classes or not len(texts):
        return found
    na = classes.index(NON_ANSWER)
    min_words = config.letter_clause_min_words
    # Letters repeat their clauses ("Sorry to bother you", "Help me out please", a shop's own
    # sign-off), so each distinct clause is judged by the rules and by the head once: the rules
    # are pure functions of the clause, and the head's probabilities for a row do not depend on
    # the other rows (embed_texts embeds each distinct text once, in first-seen order, either way).
    owned: list[tuple[int, str]] = []
    # one argmax over all rows picks the answers head_calls_non_answer can be true of
    for row in np.flatnonzero(np.asarray(doc_probs).argmax(axis=1) == na).tolist():
        if head_calls_non_answer(doc_probs[row], texts[row], classes, config):
            owned.extend((row, clause) for clause in _clauses_of(texts[row]))
    # letter_clauses' tests, the rules over two processes (in_halves: each clause is judged alone)
    open_clauses = [
        c for c in dict.fromkeys(c for _, c in owned) if len(c.split()) >= min_words and not says_nothing(c)
    ]
    passes = {c for c, ok in zip(open_clauses, in_halves(_not_non_answers, open_clauses), strict=True) if ok}
    owned = [(k, c) for k, c in owned if c in passes]
    if not owned:
        return found
    distinct = list(dict.fromkeys(c for _, c in owned))  # the clauses to classify, first seen first
    is_reason = {
        clause: gives_reason(probs, classes, config)
        for clause, probs in zip(distinct, predict(distinct), strict=True)
    }
    for row, clause in owned:
        if is_reason[clause]:
            found[row] = True
    return found


def _not_non_answers(clauses: list[str]) -> list[bool]:
    """Per clause, not a non-answer by the rules (:func:`is_non_answer`), with the parses of
    praise it may need (its dearest part) made in one batch first."""
    parsed = parse_clauses(c for clause in clauses for c in praise_clauses(clause))
    return [not is_non_answer(c, parsed) for c in clauses]


def head_predictor(
    classifier: RootCauseClassifier, encoder: Encoder, cache: Cache | None, batch_size: int
) -> Callable[[list[str]], np.ndarray]:
    """``predict`` for :func:`reasons_in_letters`: embed the clauses with ``encoder`` (the one
    ``classifier`` was trained on) and take the classifier's probabilities."""

    def predict(texts: list[str]) -> np.ndarray:
        vectors, _ = embed_texts(texts, encoder, cache, batch_size)
        return head_probabilities(classifier, vectors, texts)

    return predict
