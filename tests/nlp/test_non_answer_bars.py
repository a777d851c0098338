"""The head's non-answer bar by the answer's length: strict for a terse answer (a word or two may
be the whole reason), lenient for a short sentence, in between for a letter."""

from __future__ import annotations

import pytest

from nlp import PipelineConfig, analyze
from nlp.causes import non_answer_bar

from .test_non_answers_unsure import call_for

LETTER = "Dear team, please close the joint account and send the balance to my other bank, thank you"


def test_a_short_sentence_needs_less_of_the_head_than_a_terse_answer_or_a_letter():
    config = PipelineConfig()
    assert non_answer_bar("moral objections", config) == config.non_answer_min_probability
    assert (
        non_answer_bar("our bookkeeper sorted the cancellation", config)
        == config.non_answer_short_probability
    )
    assert non_answer_bar(LETTER, config) == config.non_answer_letter_probability
    assert config.non_answer_short_probability < config.non_answer_letter_probability
    assert config.non_answer_letter_probability < config.non_answer_min_probability


def test_a_short_sentence_the_head_leans_to_non_answer_is_one_but_a_terse_reason_is_not():
    # the same lean of the head: a sentence of five words is a non-answer, two words stay a reason
    assert call_for("our bookkeeper sorted the cancellation", non_answer=0.6, billing=0.3).non_answer
    assert not call_for("moral objections", non_answer=0.7, privacy_trust=0.2).non_answer
    # a short sentence that states its reason keeps it, however the head leans
    assert not call_for("cancelled because of the new fees", non_answer=0.7, price=0.2).non_answer
    # and the head's non-answer class must still come first
    assert not call_for("our bookkeeper sorted the cancellation", non_answer=0.45, billing=0.5).non_answer


def test_the_lower_bar_never_rises_above_the_terse_one():
    config = PipelineConfig(non_answer_min_probability=0.5)
    assert non_answer_bar("our bookkeeper sorted the cancellation", config) == 0.5


@pytest.mark.slow
def test_with_the_real_head_short_non_answers_are_caught_and_terse_reasons_kept():
    non_answers = [
        "can my daughter keep the login",  # the head gives non_answer about 0.6: missed at 0.80
        "our bookkeeper sorted the cancellation",  # about 0.7
    ]
    reasons = [
        "moral objections",  # non_answer about 0.7: a terse reason keeps the 0.80 bar
        "no time",
        "the CEO",
        "coach kept cancelling my sessions",
    ]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)
