"""Each answer's root causes from the head's probabilities: main cause, extra causes, non-answers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .classifier import NON_ANSWER
from .config import PipelineConfig
from .deciding_reason import deciding_cause
from .first_cause import first_segments, leads_with
from .non_answers import has_reason_cue, names_a_reason, says_nothing
from .parallel import in_halves
from .prepare import complaint_text
from .taxonomy import Taxonomy


@dataclass
class CauseCall:
    """What the classifier says about one answer: main cause (or ``emerging``), every cause
    it counts toward (main first), the main cause's probability, and, per extra cause, the
    segment that gave it."""

    main: str
    causes: list[str]
    probability: float
    non_answer: bool = False
    segment_of: dict[str, int] = field(default_factory=dict)


def classify_answers(
    doc_probs: np.ndarray,
    seg_probs: np.ndarray,
    seg_owner: np.ndarray,
    classes: list[str],
    config: PipelineConfig,
    emerging: str,
    texts: list[str] | None = None,
    taxonomy: Taxonomy | None = None,
    letter_reasons: np.ndarray | None = None,
    complaints: list[str] | None = None,
    seg_first: np.ndarray | None = None,
    deciding: list[np.ndarray | None] | None = None,
) -> list[CauseCall]:
    """Root causes per answer from the head's probabilities for the whole answer and for each
    segment of a multi-reason answer.

    The main cause is the whole answer's best cause; below ``root_cause_min_probability`` it
    is ``emerging``. A segment whose best cause differs and reaches
    ``secondary_min_probability`` adds that cause; so does a cause whose cue words (the
    taxonomy's ``cues``) are in the answer's ``texts`` and that the head gives at least
    ``secondary_cue_min_probability`` or ranks second (``secondary_cue_top_causes``) and gives
    at least ``secondary_cue_floor_probability`` ("moved to X for half the price" adds price;
    cue words in praise, "the price was fair", do not count; a cue word in another sense, "the
    breach notification arrived", adds no delivery: the head gives it next to nothing), up to
    ``max_causes`` in all. The answer is a non-answer when the head puts ``non_answer`` first
    with at least the bar for its length (:func:`non_answer_bar`: ``non_answer_min_probability``
    for a terse answer, ``non_answer_short_probability`` for a short sentence,
    ``non_answer_letter_probability`` for a letter) and the answer gives no "because ..." reason and no
    clause of it reads as a reason on its own (``letter_reasons``, per answer, from
    :func:`nlp.letter_reasons.reasons_in_letters`), or when no cause reaches ``non_answer_unsure_probability`` and no word of the answer could name
    a reason (``nlp.non_answers.says_nothing``: "Is this mandatory?", "Hope you all have a lovely
    Christmas!"). ``complaints``: each answer's :func:`nlp.prepare.complaint_text`, when the
    caller has it (:func:`nlp.prepare.answer_clauses`).

    An answer whose first clause adds a cause takes that cause as its main one when
    :func:`nlp.first_cause.leads_with` says so (customers lead with the reason that made them
    leave); the head's choice becomes its second cause. ``seg_first``: which segments are their
    answer's first clause, when ``seg_probs`` holds only some of the clauses (by default, every
    answer's first segment in ``seg_owner``).

    ``deciding``: per answer, the head's probabilities for the sentence of a long answer that
    marks its reason as the deciding one (:func:`nlp.deciding_reason.deciding_text`), or None;
    that sentence's cause (:func:`nlp.deciding_reason.deciding_cause`) becomes the main cause,
    the earlier main cause its second.
    """
    na = classes.index(NON_ANSWER) if NON_ANSWER in classes else -1
    cause_cols = np.array([j for j in range(len(classes)) if j != na], dtype=int)
    column = {c: j for j, c in enumerate(classes)}
    calls: list[CauseCall] = []
    unsure: list[int] = []  # answers the head is unsure of: non-answers if no word names a reason
    for k, p in enumerate(doc_probs):
        if (
            na >= 0
            and int(p.argmax()) == na
            and p[na] >= non_answer_bar(texts[k] if texts is not None else "", config)
            and not (texts is not None and has_reason_cue(texts[k]))
            and not (letter_reasons is not None and letter_reasons[k])
        ):
            calls.append(CauseCall(emerging, [], float(p[na]), non_answer=True))
            continue
        best = int(cause_cols[p[cause_cols].argmax()])
        prob = float(p[best])
        if texts is not None and prob < config.non_answer_unsure_probability:
            unsure.append(k)
        main = classes[best] if prob >= config.root_cause_min_probability else emerging
        calls.append(CauseCall(main, [main], prob))
    if texts is not None:  # the rules over two processes (in_halves: each answer alone)
        empty = in_halves(lambda rows: [_gives_no_reason(texts[k]) for k in rows], unsure)
        for k, no_reason in zip(unsure, empty, strict=True):
            if no_reason:  # unsure, and no word of a reason
                calls[k] = CauseCall(emerging, [], calls[k].probability, non_answer=True)
    if len(seg_owner):
        first = first_segments(seg_owner) if seg_first is None else np.asarray(seg_first, dtype=bool)
        for s, (k, p) in enumerate(zip(seg_owner, seg_probs, strict=False)):
            call = calls[int(k)]
            if call.non_answer:
                continue
            best = int(cause_cols[p[cause_cols].argmax()])
            cause = classes[best]
            if p[best] >= config.secondary_min_probability and cause not in call.causes:
                call.causes.append(cause)
                call.segment_of[cause] = s
                if first[s] and leads_with(
                    call.main,
                    cause,
                    doc_probs[int(k)],
                    column,
                    config,
                    None if texts is None else texts[int(k)],
                ):
                    # its confidence: what the whole answer or its own clause gives it, whichever is more
                    _lead_with(call, cause, max(float(doc_probs[int(k)][column[cause]]), float(p[best])))
    for k, sentence_probs in enumerate(deciding or []):
        if sentence_probs is None or calls[k].non_answer:
            continue
        decided = deciding_cause(sentence_probs, classes, NON_ANSWER, config)
        if decided is not None and decided != calls[k].main:
            call = calls[k]
            if call.main == emerging:
                call.causes = [c for c in call.causes if c != emerging]
            probability = max(float(doc_probs[k][column[decided]]), float(sentence_probs[column[decided]]))
            _lead_with(call, decided, probability)
            del call.causes[config.max_causes :]
    if texts is not None and taxonomy is not None:

        def cued_causes(rows: list[int]) -> list[list[str]]:
            """The causes each answer's cue words add (the answers' calls do not change here)."""
            out = []
            for k in rows:
                p = doc_probs[k]
                top = cause_cols[np.argsort(-p[cause_cols])][: config.secondary_cue_top_causes]
                ranked = [classes[j] for j in top]
                complaint = complaint_text(texts[k]) if complaints is None else complaints[k]
                out.append(_cued_causes(complaint, p, calls[k].causes, ranked, column, taxonomy, config))
            return out

        open_rows = [
            k for k, call in enumerate(calls) if not call.non_answer and len(call.causes) < config.max_causes
        ]
        for k, cued in zip(open_rows, in_halves(cued_causes, open_rows), strict=True):
            calls[k].causes.extend(cued[: config.max_causes - len(calls[k].causes)])
    return calls


def _lead_with(call: CauseCall, cause: str, probability: float) -> None:
    """Make ``cause`` (a clause's, in ``call.causes``) the main cause; the old main one follows it."""
    call.causes = [cause] + [c for c in call.causes if c != cause]
    call.segment_of.pop(cause, None)  # the main cause's theme is chosen by the whole answer
    call.main, call.probability = cause, probability


def _gives_no_reason(text: str) -> bool:
    """No word of ``text`` could name a reason, and it names none in a word or two ("wasn't for
    me", "personal reasons")."""
    return says_nothing(text) and not names_a_reason(text)


def _cued_causes(
    complaint: str,
    probs: np.ndarray,
    causes: list[str],
    ranked: list[str],
    column: dict[str, int],
    taxonomy: Taxonomy,
    config: PipelineConfig,
) -> list[str]:
    """The causes the cue words of an answer's ``complaint`` text (less praise in passing) add
    (see :func:`classify_answers`), most likely first."""

    def could_add(c: str) -> bool:
        return (
            c in column
            and c not in causes
            and (probs[column[c]] >= config.secondary_cue_min_probability or c in ranked)
            and probs[column[c]] >= config.secondary_cue_floor_probability
        )

    low = complaint.lower()
    # only the causes that could be added are searched for
    cued = [c for c, pattern in taxonomy.cue_patterns.items() if could_add(c) and pattern.search(low)]
    cued.sort(key=lambda c: -probs[column[c]])
    return cued


def non_answer_bar(text: str, config: PipelineConfig) -> float:
    """The head's ``non_answer`` probability that makes an answer a non-answer, by its length.

    Highest for a terse answer (``non_answer_terse_words`` or fewer), where a word or two may be
    the whole reason in words the head barely knows ("ethics", "moral objections"); lowest for a
    short sentence ("talk to my accountant", "take me off your mailing list"), whose words the head
    sees whole, so ``non_answer`` first is seldom a missed reason; in between for a letter of
    ``non_answer_letter_words`` or more ("Dear team, kindly process the closure of my savings
    account and transfer the balance"), whose words pull the head toward causes without giving
    one but may tuck a reason among pleasantries. ``non_answer_min_probability`` caps all three.
    """
    words = len(text.split())
    if words >= config.non_answer_letter_words:
        return min(config.non_answer_letter_probability, config.non_answer_min_probability)
    if words > config.non_answer_terse_words:
        return min(config.non_answer_short_probability, config.non_answer_min_probability)
    return config.non_answer_min_probability


def clauses_that_can_add(
    doc_probs: np.ndarray,
    clause_word_probs: np.ndarray,
    owner: np.ndarray,
    classes: list[str],
    config: PipelineConfig,
    words_needed: float,
) -> np.ndarray:
    """Which clauses could add a cause (a mask), judged from the n-gram head alone, so only those
    are embedded. A clause adds a cause other than its answer's main one when the blend gives it
    ``secondary_min_probability``; the blend cannot when the n-gram head gives every such cause
    less than ``words_needed``. About a third of clauses pass on dev, so finding second causes
    clause by clause costs a fraction of embedding every clause, with the same result."""
    if not len(owner):
        return np.zeros(0, dtype=bool)
    na = classes.index(NON_ANSWER) if NON_ANSWER in classes else -1
    cause_cols = np.array([j for j in range(len(classes)) if j != na], dtype=int)
    words = clause_word_probs[:, cause_cols]
    doc = doc_probs[owner][:, cause_cols]
    best = doc.argmax(axis=1)
    confident = doc[np.arange(len(owner)), best] >= config.root_cause_min_probability
    others = words.copy()
    others[np.arange(len(owner)), best] = np.where(confident, -1.0, others[np.arange(len(owner)), best])
    return others.max(axis=1) >= words_needed


def apply_corrections(
    calls: list[CauseCall],
    doc_vecs: np.ndarray,
    correction_vecs: np.ndarray,
    correction_causes: list[str],
    min_similarity: float,
) -> None:
    """An answer (nearly) the same as one the CX team moved takes the corrected cause."""
    if not len(correction_vecs) or not len(doc_vecs):
        return
    sims = doc_vecs @ correction_vecs.T
    best = sims.argmax(axis=1)
    for k, call in enumerate(calls):
        j = int(best[k])
        if sims[k, j] < min_similarity or call.non_answer:
            continue
        cause = correction_causes[j]
        if cause == NON_ANSWER:
            call.non_answer, call.causes = True, []
            continue
        call.causes = [cause] + [c for c in call.causes if c not in (cause, call.main)]
        call.main, call.probability = cause, max(call.probability, float(sims[k, j]))
