"""An answer that repeats the survey's question and then gives a reason (review h-quote64): customers
replying by e-mail or SMS quote or retype the question ("Why did you cancel? too expensive"). Once
the company's question is taken out, the customer's own words are judged as a standalone answer
would be: a short reason is an answer, "n/a" or "thanks" after the question is still none. Rules
only, and one check on the spaCy pipeline that the answer's segments are kept."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer
from nlp.reply_body import reply_body

_REASONS = ["too expensive", "moved", "bugs", "price went up", "switched providers"]


@pytest.mark.parametrize("reason", _REASONS)
def test_a_short_reason_alone_is_an_answer(reason: str) -> None:
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    "text",
    [
        "Why did you cancel? too pricey",
        "why did you leave? relocated overseas",
        "Why did you cancel? crashes",
        "why are you leaving? got married",
        "Why did you decide to leave us? Too dear",
        "What made you cancel? billing errors",
        "Could you tell us why you left? Wrong sizes",
        "why did you cancel?? lag",
        "WHY DID YOU CANCEL? TOO DEAR",
        '"Why did you cancel?" cost',
        "Why did you cancel?\ntoo pricey",
        "> Why did you cancel?\nrelocated",
        "> why did you leave us?\n\nwebsite kept timing out",
        "Why did you cancel? - no vegan options",
    ],
)
def test_a_short_reason_after_the_quoted_question_is_an_answer(text: str) -> None:
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why did you cancel? n/a",
        "why did you leave? no comment",
        "Why are you leaving? thanks",
        "> Why did you cancel?\nnothing to add",
        "What made you leave? asdfgh",
        "Why did you cancel? see previous email",
        "why did you cancel?",
        "> Why did you cancel?",
        "Why did you cancel? -- Select one --",
        "why are you leaving?\nnull",
    ],
)
def test_a_non_answer_after_the_quoted_question_stays_a_non_answer(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Why did you cancel? too pricey", "too pricey"),
        ("> why did you leave?\nrelocated overseas", "relocated overseas"),
        ("Why did you cancel?", "Why did you cancel?"),  # nothing after it: left whole
        ("Why did you raise the price? I left", "Why did you raise the price? I left"),  # not the survey's
    ],
)
def test_the_root_cause_head_reads_the_customers_words_without_the_question(text: str, body: str) -> None:
    assert reply_body(text) == body


def test_the_answer_after_the_question_keeps_its_segments(spacy_nlp) -> None:
    doc = spacy_nlp("Why did you cancel? too pricey")
    assert not doc._.is_non_answer
    assert doc._.segments == ["too pricey"]
