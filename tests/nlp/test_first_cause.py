"""An answer that names two causes: the one named first is its main cause (nlp.first_cause)."""

from __future__ import annotations

import numpy as np

from nlp import PipelineConfig
from nlp.causes import classify_answers
from nlp.first_cause import first_segments
from tests.nlp.cause_probs import CLASSES, TAXONOMY, probs


def two_clauses(text: str, whole: dict, first: dict, second: dict, seg_first=None, config=None):
    """The call for one answer of two clauses, given the head's probabilities of each part."""
    return classify_answers(
        probs(**whole)[None, :],
        np.stack([probs(**first), probs(**second)]),
        np.zeros(2, dtype=int),
        CLASSES,
        config or PipelineConfig(),
        "emerging",
        [text],
        TAXONOMY,
        seg_first=seg_first,
    )[0]


def test_the_reason_named_first_is_the_main_cause():
    # "Too clunky. We went with Monday.com.": the head, on the whole, leans to the competitor
    call = two_clauses(
        "Too clunky. We went with Monday.com.",
        whole={"competitor": 0.55, "ease_of_use": 0.35},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
    )
    assert call.main == "ease_of_use"
    assert call.causes[:2] == ["ease_of_use", "competitor"]  # the head's choice stays as the second


def test_a_first_clause_the_whole_answer_barely_supports_changes_nothing():
    call = two_clauses(
        "Too clunky. We went with Monday.com.",
        whole={"competitor": 0.9, "ease_of_use": 0.05},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
    )
    assert call.main == "competitor"
    assert "ease_of_use" in call.causes


def test_an_unresolved_complaint_stays_main_after_the_problem_it_is_about():
    call = two_clauses(
        "The sync is broken. Reported it three times, still broken.",
        whole={"unresolved_complaint": 0.6, "bugs_reliability": 0.3},
        first={"bugs_reliability": 0.9},
        second={"unresolved_complaint": 0.8},
    )
    assert call.main == "unresolved_complaint"


def test_a_later_reason_marked_as_the_one_that_counted_stays_main():
    call = two_clauses(
        "The app crashes, sure, but what really got me was support telling me to reinstall it.",
        whole={"support": 0.6, "bugs_reliability": 0.3},
        first={"bugs_reliability": 0.9},
        second={"support": 0.8},
    )
    assert call.main == "support"


def test_only_the_answers_first_clause_leads():
    # the pipeline embeds only clauses that could add a cause: the one given here is not the first
    call = two_clauses(
        "Fine app. Too clunky though. We went with Monday.com.",
        whole={"competitor": 0.55, "ease_of_use": 0.35},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
        seg_first=np.array([False, False]),
    )
    assert call.main == "competitor"


def test_the_setting_above_one_turns_it_off():
    call = two_clauses(
        "Too clunky. We went with Monday.com.",
        whole={"competitor": 0.55, "ease_of_use": 0.35},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
        config=PipelineConfig(first_cause_min_share=1.01),
    )
    assert call.main == "competitor"


def test_first_segments_marks_each_answers_opening_clause():
    assert first_segments(np.array([0, 0, 1, 3, 3, 3])).tolist() == [True, False, True, True, False, False]


def test_a_stress_on_the_first_reason_backs_it():
    # "Mainly" stresses the reason named first: it stays the main cause, not the head's choice
    call = two_clauses(
        "Mainly too clunky. We went with Monday.com.",
        whole={"competitor": 0.55, "ease_of_use": 0.35},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
    )
    assert call.main == "ease_of_use"


def test_a_promoted_cause_is_as_sure_as_its_clause():
    # the whole answer gives the first reason 0.15, its own clause 0.8: the call is that sure,
    # not below the bar an answer needs for a root cause at all
    call = two_clauses(
        "Too clunky. We went with Monday.com.",
        whole={"competitor": 0.9, "ease_of_use": 0.15},
        first={"ease_of_use": 0.8},
        second={"competitor": 0.9},
    )
    assert call.main == "ease_of_use"
    assert call.probability >= 0.8


def test_a_later_reason_stressed_in_another_language_stays_the_main_cause():
    # "the drop that overflowed the glass": the second reason decided it, as "the last straw" does
    call = two_clauses(
        "La app era lenta. La gota que colmó el vaso fue el cobro doble.",
        whole={"billing": 0.6, "speed_performance": 0.3},
        first={"speed_performance": 0.8},
        second={"billing": 0.9},
    )
    assert call.main == "billing"


def test_biggest_before_a_thing_that_is_no_reason_is_no_stress():
    # "our biggest client" is not "the biggest problem": the reason named first leads
    call = two_clauses(
        "The product is fine but too pricey. Our agency lost its biggest client.",
        whole={"no_longer_needed": 0.6, "price": 0.3},
        first={"price": 0.8},
        second={"no_longer_needed": 0.9},
    )
    assert call.main == "price"
