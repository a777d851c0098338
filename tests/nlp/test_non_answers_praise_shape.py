"""Praise of one aspect is a non-answer whatever noun it praises: told by the clause's shape
(a copula or a verb of liking, words of praise, no sign of a problem), not by a list of the
things customers praise (issue 17, `nlp/non_answers/praise_shape.py`). The same praise with a
problem or a reason beside it stays an answer."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer
from nlp.non_answers.praise_shape import is_praise_clause


@pytest.mark.parametrize(
    ("praise", "reason"),
    [
        ("The sommelier was wonderful", "The sommelier was wonderful and she left"),
        ("Loved the tide-table widget!", "Loved the tide-table widget, moved inland"),
        ("the pothole reporting map is slick", "the pothole reporting map was slick until the update"),
        ("Very easy to use invoicing screen.", "Very easy to use invoicing screen, too pricey though."),
        (
            "The loyalty stamps were incredibly handy",
            "The loyalty stamps were handy, the coffee was always cold",
        ),
        ("Really enjoyed the pottery workshops", "Really enjoyed the old pottery workshops"),
        (
            "The grooming team was very understanding throughout.",
            "The grooming team was understanding but dearer than PetCo.",
        ),
        (
            "[PERSON] at the Bristol depot was fantastic, thank you",
            "[PERSON] at the Bristol depot was fantastic, the van never came",
        ),
        (
            "The allotment plots were spotless and the wardens always polite",
            "The plots were spotless and the wardens were a nightmare",
        ),
        ("Great choice of audiobooks", "Great choice of audiobooks and a clunky crowded player"),
    ],
)
def test_praise_of_any_one_aspect_is_a_non_answer_and_its_twin_with_a_reason_is_not(praise, reason):
    assert is_non_answer(praise)
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    "reason",
    [
        "Great app for small teams",
        "dearer than tesco",
        "council app is free",
        '"user friendly" my foot',
        "my data's clearly gone walkabout",
        "Lieferung fast immer unvollständig",
        "Would have loved a Linux version",
        "ethical reasons",
        "strong moral grounds",
        "good deal from a rival",
        "ethical concerns",
        "The coverage was good at home, awful at work",
    ],
)
def test_reasons_that_sound_pleased_stay_answers(reason):
    assert not is_non_answer(reason)


def test_a_clause_needs_a_word_of_praise_not_a_noun_vader_likes():
    assert is_praise_clause("The cabin crew were a delight")
    assert not is_praise_clause("DELIVERY TIMES ARE A JOKE")  # VADER rates "joke" as pleasant
    assert not is_praise_clause("Seller support is a bot")
