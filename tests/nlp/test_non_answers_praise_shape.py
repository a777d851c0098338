"""Praise of one aspect is a non-answer whatever noun it praises: told by the clause's shape
(a copula or a verb of liking, words of praise, no sign of a problem), not by a list of the
things customers praise (issue 17, `nlp/non_answers/praise_shape.py`). The same praise with a
problem or a reason beside it stays an answer."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer
from nlp.non_answers.detect import praise_clauses
from nlp.non_answers.praise_shape import is_praise_clause, parse_clauses


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


@pytest.mark.parametrize(
    ("praise", "reason"),
    [
        # a job done well or on time, not a job done late or a verb of leaving
        ("claims guy sorted everything in a day", "claims guy sorted everything eventually after 3 weeks"),
        (
            "Your lad on the phone was a legend, sorted my direct debit in 2 mins",
            "Your lad on the phone was a legend, sorted my direct debit in the end but I'd already moved",
        ),
        (
            "the lecturer explained things really clearly",
            "the lecturer explained things clearly, I just ran out of time",
        ),
        ("the boxes always arrived on time", "the boxes arrived on time but cold"),
        ("the card reader worked first time", "the card reader worked for the first time after a month"),
        ("the engineer fixed it same day", "the engineer fixed it eventually"),
        ("the quote email was well laid out", "the quote email was well laid out, cheaper with Admiral"),
        # litotes: a negation that rules out a trouble, not one that rules out a use or a need
        (
            "uptime was rock solid, never had an outage I noticed",
            "uptime was rock solid, never had time to use it",
        ),
        (
            "payslips always went out on time, not once late",
            "payslips always went out on time, we closed the business",
        ),
        (
            "no complaints about the cleaners, they were grand",
            "no complaints about the cleaners, we moved house",
        ),
        ("HMRC filing was smooth. Zero drama.", "HMRC filing was smooth. Zero drama, but we went in-house."),
        # praise in slang or as a noun, where it is what the thing is
        ("the dashboard graphs are class", "the dashboard graphs were class until the update"),
        ("Breakfast buffet was deadly", "Breakfast buffet was deadly, shame the rooms were cold"),
        (
            "wifi router was dead easy to set up",
            "wifi router was dead easy to set up, the line was dead though",
        ),
        ("delivery slots were a lifesaver", "delivery slots were a lifesaver till they cut them"),
        ("The weekly playlists were spot on", "The weekly playlists were spot on, the price was not"),
        ("streak freeze is a genius idea", "streak freeze is a genius idea, I've just stopped learning"),
        # emoji and stretched letters are how the praise is written, not what it says
        ("Data rollover was handy 👍", "Data rollover was handy 👍 moved to Three for 5G"),
        ("the bed was sooo comfy", "the bed was sooo comfy, the noise from the bar not so much"),
        ("Ur drivers r always polite", "Ur drivers r always polite but u raised the price"),
        # praise of a participle, a superlative measured by the speaker, a gerund that names a thing
        ("HMRC submissions just worked", "HMRC submissions just worked until the API change"),
        ("the hold music was oddly soothing", "the hold music was oddly soothing, the wait was not"),
        (
            "the API docs are honestly some of the best I've read",
            "the API docs are some of the best I've read, the API is not",
        ),
        (
            "best broadband speeds I've had in this flat",
            "best broadband speeds I've had, shame about the price",
        ),
        (
            "roaming in Spain worked straight away",
            "roaming in Spain worked straight away, the signal at home was patchy",
        ),
    ],
)
def test_praise_by_a_job_done_litotes_or_slang_is_a_non_answer_and_its_twin_is_not(praise, reason):
    assert is_non_answer(praise)
    assert not is_non_answer(reason)


def test_clauses_parsed_beforehand_in_one_batch_give_the_same_verdicts():
    texts = [
        "The sommelier was wonderful",
        "The sommelier was wonderful and she left",
        "Loved the tide-table widget!",
        "[PERSON] at the Bristol depot was fantastic, thank you",
        "The allotment plots were spotless and the wardens always polite",
        "The coverage was good at home, awful at work",
        "never had an outage, engineers were always on time",
        "> Why are you cancelling?\n\nThe pothole reporting map is slick.",
        "Too expensive",
    ]
    # what is_non_answer would parse, listed and parsed in one batch (letter_reasons does this)
    parsed = parse_clauses(clause for text in texts for clause in praise_clauses(text))
    assert "The sommelier was wonderful" in parsed
    assert "The pothole reporting map is slick" in parsed  # under mail furniture too
    assert "Too expensive" not in parsed  # no word of praise: never parsed
    assert [is_non_answer(t, parsed) for t in texts] == [is_non_answer(t) for t in texts]


@pytest.mark.parametrize("clause", ["really fast", "Really quickly", "so very fast"])
def test_a_clause_whose_root_is_a_word_of_promptness_is_read_without_looping(clause):
    """The clause "really fast" parses with "fast" as its own head: a check written with `is` never saw that
    (spaCy makes a new Token on each access), so the praise test recursed until Python gave up and
    the whole analysis failed (found at 10,000 answers under h-na45's clause check, since taken out)."""
    assert is_praise_clause(clause) in (True, False)
