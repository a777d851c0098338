"""A long answer's main cause is the one it says made the customer leave (nlp.deciding_reason)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import IncrementalAssigner, PipelineConfig, analyze
from nlp.causes import classify_answers
from nlp.deciding_reason import deciding_text
from tests.nlp.cause_probs import CLASSES, TAXONOMY, probs

BACKGROUND = (
    "I have been a member for almost four years and mostly enjoyed it. The changing rooms were never "
    "the cleanest and the showers ran cold now and then, but I put up with that for a long time. "
)
CONFIG = PipelineConfig()


@pytest.mark.parametrize(
    ("story", "deciding"),
    [
        (BACKGROUND + "What finally did it was the new price, from 34 to 49 a month.", "What finally did it"),
        (BACKGROUND + "The price went up to 49 a month. That's why I left.", "The price went up to 49"),
        (BACKGROUND + "That's why I left: the price went up to 49 a month.", "the price went up to 49"),
        (BACKGROUND + "The new price is the reason I cancelled, 49 a month is too much.", "The new price"),
    ],
)
def test_the_sentence_that_marks_the_deciding_reason_is_found(story, deciding):
    assert (deciding_text(story, CONFIG) or "").startswith(deciding)


@pytest.mark.parametrize(
    "text",
    [
        "Mainly the price. Also the app was slow.",  # short: the reason named first (nlp.first_cause)
        BACKGROUND + "The last delivery was late too, but that's not why I'm going. We moved abroad.",
        BACKGROUND + "We moved abroad for work and there is no gym like yours near the new flat at all.",
    ],
)
def test_a_short_answer_or_a_dismissed_reason_marks_nothing(text):
    assert deciding_text(text, CONFIG) is None


def test_the_deciding_sentence_cause_becomes_main_and_the_whole_answer_cause_second():
    call = classify_answers(
        probs(support=0.6, price=0.3)[None, :],
        np.zeros((0, len(CLASSES))),
        np.zeros(0, dtype=int),
        CLASSES,
        CONFIG,
        "emerging",
        [BACKGROUND + "What finally did it was the new price."],
        TAXONOMY,
        deciding=[probs(price=0.8)],
    )[0]
    assert call.main == "price"
    assert call.causes[:2] == ["price", "support"]


def test_a_deciding_sentence_the_head_is_unsure_of_changes_nothing():
    call = classify_answers(
        probs(support=0.6, price=0.3)[None, :],
        np.zeros((0, len(CLASSES))),
        np.zeros(0, dtype=int),
        CLASSES,
        CONFIG,
        "emerging",
        deciding=[probs(price=0.3, delivery=0.3)],
    )[0]
    assert call.main == "support"


@pytest.mark.slow
def test_with_the_real_head_a_long_email_reply_gets_the_reason_that_made_them_leave():
    survey = (
        "On Tue, 3 Nov 2026 at 09:14, Brightside Fitness <members@brightside.example> wrote:\n"
        "> We're sorry to see you go. Was it the price, the app, the classes or support?\n> The team"
    )
    emails = [
        # background and a minor gripe first; the deciding reason second
        f"Hi,\n\n{BACKGROUND}What finally did it was the new price: going from 34 to 49 a month with "
        f"two weeks' notice is not something I can justify, so I cancelled.\n\nThanks,\nMaria Keller\n\n{survey}",
        # the quoted survey e-mail names price and support; the customer names only a move
        "Hello,\n\nWe have moved to Singapore for my husband's job, so we won't be using the gym any "
        f"more. Thank you for everything.\n\nKind regards,\nTom Whitfield\n+44 7700 900123\n\n{survey}",
    ]
    result = analyze(emails, config=PipelineConfig())
    assert [a.root_cause for a in result.assignments] == ["price", "no_longer_needed"]
    assert "[PHONE]" in result.assignments[1].redacted_text  # the answer shown stays whole, redacted
    # one answer assigned later, without a refit, gets the same cause
    assert IncrementalAssigner.from_result(result).assign(emails[0]).root_cause == "price"
