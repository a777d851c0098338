"""The tone of an answer's reason: a complaint wrapped in politeness is not scored positive."""

from __future__ import annotations

import pytest

from nlp.reason_tone import reason_sentiment
from nlp.sentiment import sentiment


@pytest.mark.parametrize(
    "text",
    [
        "Love the team, but the price increase was too much",
        "Hello and thank you for the many years of service. After the data breach our board asked us to move.",
        "I used your app for five years and it was great. But the last year has been rough, it crashes daily.",
        "Export my data please, we need an API and you don't offer one.",
    ],
)
def test_a_polite_complaints_reason_is_not_scored_positive(text):
    assert sentiment(text) > 0.05  # the whole answer reads as praise
    assert reason_sentiment(text) <= 0.0


def test_praise_alone_and_plain_complaints_keep_their_score():
    assert reason_sentiment("Great product, lovely team.") > 0.5
    assert reason_sentiment("Terrible, useless support and awful billing. I hated it.") <= -0.5
    assert reason_sentiment("   ") == 0.0


def test_the_describe_stage_scores_each_answers_reason():
    """What a run stores as an answer's sentiment (and a theme's mean) is the reason's tone."""
    from nlp.describe import answer_sentiments
    from nlp.preprocess import Prepared

    prepared = [Prepared("Love the team, but the price increase was too much", False), Prepared("", True)]
    scores = answer_sentiments(prepared, [0], None)
    assert scores[0] <= 0.0 and scores[1] == 0.0


def test_the_survey_question_quoted_above_the_answer_is_not_scored():
    """The tone is the customer's words', as the head reads them (:func:`nlp.reply_body.reply_body`):
    "Why did you cancel?" quoted above "too expensive" does not make it negative."""
    from nlp.describe import answer_sentiments
    from nlp.preprocess import Prepared

    prepared = [
        Prepared("Why did you cancel? too expensive", False),
        Prepared("too expensive", False),
        Prepared("> Why did you leave?\nTerrible support, awful billing", False),
    ]
    scores = answer_sentiments(prepared, [0, 1, 2], None)
    assert reason_sentiment("Why did you cancel? too expensive") < 0.0  # the question's own tone
    assert scores[0] == scores[1] == 0.0
    assert scores[2] == reason_sentiment("Terrible support, awful billing") < 0.0
