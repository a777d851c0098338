"""An answer the rules explain in part (praise of one thing, a pointer, a sign-off) is a
non-answer when the head reads none of its other clauses as a reason; a clause that the head
reads as a reason, or that complains or tells a loss, keeps the answer."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nlp import PipelineConfig, analyze
from nlp.causes import classify_answers
from nlp.non_answers.partial import open_clauses
from nlp.partial_answers import explained_answers

from .test_causes import CLASSES, TAXONOMY, probs

PRAISE_AND_ASIDE = "The courier was always so cheerful, made my morning"
PRAISE_AND_REASON = "The courier was always so cheerful, we moved to the countryside"


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (PRAISE_AND_ASIDE, ["made my morning"]),
        ("Parcel lockers were handy, right by the station", ["right by the station"]),
        ("ask my husband, he handles that stuff", ["he handles that stuff"]),
        (PRAISE_AND_REASON, ["we moved to the countryside"]),
    ],
)
def test_the_clauses_the_rules_leave_open_are_handed_to_the_head(text, left):
    assert open_clauses(text) == left


@pytest.mark.parametrize(
    "text",
    [
        "lovely trainers, shame the showers were always cold",  # a complaint: a negative word
        "great wines, we've stopped drinking",  # a loss told by a negative word
        "the rep was super helpful, just don't need it",  # a negation
        "Great staff, but I left because of the price",  # a reason cue
        "too expensive",  # one clause: the rules judged it whole
        "great food, no time to cook",
        "Tolles Team, die App stürzt ständig ab",  # not English: the clause tests read English only
    ],
)
def test_a_complaint_a_loss_or_a_stated_reason_is_never_left_to_the_head(text):
    assert open_clauses(text) == []


def _head(clause: str) -> np.ndarray:
    """A stand-in for the head on clauses: moving house reads as a reason, an aside does not."""
    moved = "moved" in clause
    return probs(no_longer_needed=0.8 if moved else 0.1, non_answer=0.05 if moved else 0.5)[0]


def test_an_answer_is_explained_when_no_clause_left_open_gives_a_reason():
    config = PipelineConfig()
    texts = [PRAISE_AND_ASIDE, PRAISE_AND_REASON, PRAISE_AND_ASIDE]
    found = explained_answers(
        texts, [True, True, False], CLASSES, config, lambda cs: np.vstack([_head(c) for c in cs])
    )
    assert found.tolist() == [True, False, False]  # the third is not in English
    doc = np.vstack([probs(delivery=0.7)] * 3)
    calls = classify_answers(
        doc, np.zeros((0, len(CLASSES))), np.zeros(0, dtype=int), CLASSES, config, "emerging",
        texts, TAXONOMY, None, None, None, found,
    )  # fmt: skip
    assert [c.non_answer for c in calls] == [True, False, False]
    off = dataclasses.replace(config, partial_clause_check=False)
    assert not explained_answers(
        texts, [True] * 3, CLASSES, off, lambda cs: np.vstack([_head(c) for c in cs])
    ).any()


def test_a_clause_where_a_cause_outweighs_non_answer_is_a_reason():
    config = PipelineConfig()
    # non_answer at 0.3 fails the letters' test; the cause at 0.6 still makes it a reason
    head = lambda cs: np.vstack([probs(no_longer_needed=0.6, non_answer=0.3)[0] for _ in cs])  # noqa: E731
    assert not explained_answers([PRAISE_AND_ASIDE], [True], CLASSES, config, head).any()


@pytest.mark.slow
def test_with_the_real_head_praise_beside_an_aside_is_a_non_answer_and_beside_a_reason_is_not():
    non_answers = [
        PRAISE_AND_ASIDE,
        "Parcel lockers were handy, right by the station",
        "Staff were legends mate, always had a laugh",
    ]
    reasons = [
        "Parcel lockers were handy, but we moved to a village without one",
        "Meeting rooms were great, team grew too big for the space",
        "Instructors were amazing, class times changed to when I'm at work",
        "Docs were great, the API got deprecated",
    ]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)
