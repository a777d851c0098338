"""Trial (not shipped): two causes inside one clause, coordinated predicates split into
pseudo-clauses (English only; issue 17, branch ``h-sec25``; ``bench/secondary_causes.py --coord``).

A clause classifier sees "Chewy is cheaper and faster" or "it was pricey and slow" as one clause,
so the head gives it one cause. spaCy's dependency parse marks the second predicate as a ``conj``
of the first (an adjective or comparative under the copula, or a verb phrase at the root); each
conjunct, with the subject and copula it shares, reads as a sentence of its own: "Chewy is
cheaper", "Chewy is faster". These pseudo-clauses are classified like the answer's real clauses
(``nlp.causes.classify_answers``, same thresholds); the main cause, from the whole answer, is
unchanged. Measured and not kept: bench/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# the first conjunct's place in the clause: the sentence's root ("crashes and loses my data",
# "cheaper and has better support") or an adjective under the copula ("is cheaper and faster")
HEAD_DEPS = frozenset({"ROOT", "acomp"})
# a conjunct that can carry a reason of its own: an adjective or comparative, or a verb phrase
CONJ_POS = frozenset({"ADJ", "VERB", "AUX"})
CONJ_TAGS = frozenset({"JJ", "JJR", "JJS", "RBR"})
# what a verb conjunct without a subject of its own borrows from the first ("the app crashes")
_SHARED_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "aux", "auxpass", "neg"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_COORDINATOR = re.compile(r"(?i)\b(?:and|or|nor)\b")
MIN_WORDS = 2  # a pseudo-clause of one word ("faster") says too little to classify
MAX_PIECES = 4  # most pseudo-clauses per answer


def may_coordinate(clause: str) -> bool:
    """Cheap test before parsing: only a clause with "and", "or" or "nor" can hold two predicates."""
    return bool(_COORDINATOR.search(clause))


def _conjuncts(head: Any) -> list[Any]:
    """``head`` and every conjunct chained to it ("A, B and C": B hangs on A, C on B)."""
    out, todo = [head], [head]
    while todo:
        for child in todo.pop().children:
            if child.dep_ == "conj":
                out.append(child)
                todo.append(child)
    return out


def _can_split(tok: Any) -> bool:
    return tok.dep_ == "conj" and (tok.pos_ in CONJ_POS or tok.tag_ in CONJ_TAGS)


def _own(member: Any, group: set[int]) -> list[Any]:
    """The words that belong to one conjunct alone: its subtree less the later conjuncts and the
    "and" / comma that joins them."""
    drop: set[int] = set()
    for child in member.children:
        if child.i in group and child.i != member.i:
            drop.update(t.i for t in child.subtree)
        elif child.dep_ in {"cc", "preconj"} or (child.is_punct and child.i > member.i):
            drop.add(child.i)
    return [t for t in member.subtree if t.i not in drop]


def _text(tokens: Iterable[Any]) -> str:
    text = "".join(t.text_with_ws for t in tokens).strip()
    return text.strip(" ,;:-")


def split_coordination(doc: Any) -> list[str]:
    """The pseudo-clauses of one parsed clause: for each predicate with conjuncts that may each
    carry a reason, every conjunct with the words it shares (the subject and copula outside the
    coordination; a verb's subject, auxiliaries and negation for a conjunct verb without a
    subject of its own); none when the clause has no such coordination."""
    pieces: list[str] = []
    for head in doc:
        if head.dep_ not in HEAD_DEPS or not (head.pos_ in CONJ_POS or head.tag_ in CONJ_TAGS):
            continue
        members = [head] + [m for m in _conjuncts(head)[1:] if _can_split(m)]
        if len(members) < 2:
            continue
        group = {m.i for m in _conjuncts(head)}
        span = {t.i for t in head.subtree}
        # the words around the coordination, less any other coordination it sits in ("It was
        # too expensive and the delivery was slow and unreliable": not "It was too expensive")
        within = next((a for a in head.ancestors if a.dep_ == "conj"), None)
        around = list(within.subtree) if within is not None else list(head.sent)
        outside = [t for t in around if t.i not in span and t.dep_ not in {"cc", "preconj"}]
        shared = [t for child in head.lefts if child.dep_ in _SHARED_DEPS for t in child.subtree]
        for m in members:
            own = _own(m, group)
            extra: list[Any] = []
            if m is not head and not any(c.dep_ in _SUBJECT_DEPS for c in m.children):
                extra = shared
            words = sorted({t.i: t for t in outside + extra + own}.values(), key=lambda t: t.i)
            text = _text(words)
            if len(text.split()) >= MIN_WORDS:
                pieces.append(text)
    return pieces


def coordinated_pieces(clauses: list[list[str]], parser: Any) -> list[list[str]]:
    """Per answer (its English clauses): the pseudo-clauses of its coordinated predicates that
    are not already one of its clauses, at most ``MAX_PIECES``. Only clauses with a coordinator
    are parsed, in one batch."""
    todo = [(k, c) for k, cs in enumerate(clauses) for c in cs if may_coordinate(c)]
    out: list[list[str]] = [[] for _ in clauses]
    for (k, _clause), doc in zip(todo, parser.pipe([c for _, c in todo], batch_size=256), strict=True):
        known = {c.lower() for c in clauses[k]} | {p.lower() for p in out[k]}
        for piece in split_coordination(doc):
            if piece.lower() not in known and len(out[k]) < MAX_PIECES:
                out[k].append(piece)
                known.add(piece.lower())
    return out


def coordinated_segments(prepared: list[Any], config: Any) -> list[list[str]]:
    """Per English answer (``nlp.preprocess.Prepared``): the pseudo-clauses of its coordinated
    predicates, to classify alongside its clauses (``nlp.prepare.answer_segments``); praise in
    passing is left out, as it is from the clauses. Each answer's clauses, one or many, are
    parsed (an answer of one clause has no segments of its own, only the whole answer)."""
    from nlp.models import load_parser
    from nlp.praise import is_praise
    from nlp.prepare import clauses as clauses_of

    def complaint_clauses(p: Any) -> list[str]:
        if not config.segment or p.is_non_answer:
            return []
        return [c for segment in p.segments for c in clauses_of(segment) if not is_praise(c)]

    pieces = coordinated_pieces([complaint_clauses(p) for p in prepared], load_parser(config.spacy_model))
    return [[p for p in ps if not is_praise(p)] for ps in pieces]
