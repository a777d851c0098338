"""Second root causes with the real models: an answer that gives two reasons counts toward both,
one that gives one reason counts toward that one only (themes of the session's first run)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp import PipelineConfig
from nlp.assign import IncrementalAssigner
from nlp.praise import is_praise
from nlp.prepare import answer_clauses, clauses, complaint_text
from nlp.preprocess import prepare_docs
from nlp.reply_body import reply_body
from nlp.rules import split_segments

TWO_CAUSES = {
    "too pricey and support never answered": ["price", "support"],
    "the courier lost my parcel, plus the app kept crashing": ["delivery", "bugs_reliability"],
    "Way too expensive for a team of three, on top of that the app crashed every time we exported": [
        "price",
        "bugs_reliability",
    ],
    "Why we left:\n- the courier never turned up on the booked day\n- the monthly fee doubled in April": [
        "delivery",
        "price",
    ],
    "The plan costs a fortune for three users & nobody in support ever replied to our ticket": [
        "price",
        "support",
    ],
    # the second reason a short clause tacked on at the end
    "The monthly fee went up again and nobody ever rang back": ["price", "support"],
    "Parcels always late, plus the app kept logging me out": ["delivery", "bugs_reliability"],
    "The courier left my box in the rain again, and the price went up too": ["delivery", "price"],
    # a sentence that opens with a price is a clause of its own
    "The app logged me out every single day. £12 a month for that.": ["bugs_reliability", "price"],
}
ONE_CAUSE = {
    "The price went up again at renewal and we couldn't justify it for a small team": "price",
    "My parcel turned up two weeks late and the box was crushed": "delivery",
    "The app crashes every time I open the camera, completely unusable": "bugs_reliability",
    "The support agent was rude to me and hung up halfway through the call": "support",
    # praise in passing names other causes without complaining about them
    "The tracker stopped syncing after the update. Price was fair and delivery was quick, I just need it to work.": "bugs_reliability",
    # how often it happened is a detail of the complaint, not an unresolved complaint of its own
    "My phone line drops out many times a day": "bugs_reliability",
    "The internet cuts out several times a day. Every single day.": "bugs_reliability",
}


@pytest.fixture(scope="module")
def assigner(first_run, config):
    return IncrementalAssigner.from_result(first_run, config)


def test_clauses_split_at_contrast_and_added_points_but_keep_short_pieces_whole():
    assert clauses("we moved to Asana, also the app kept crashing") == [
        "we moved to Asana",
        "the app kept crashing",
    ]
    assert clauses("I liked the team but the price doubled") == ["I liked the team", "the price doubled"]
    assert len(clauses("too pricey, and slow")) == 1


def test_clauses_split_at_symbols_and_at_and_before_a_new_point():
    assert clauses("the plan costs a fortune + the app crashes every day") == [
        "the plan costs a fortune",
        "the app crashes every day",
    ]
    assert clauses("deliveries are always late & the driver was rude to my wife") == [
        "deliveries are always late",
        "the driver was rude to my wife",
    ]
    assert clauses("£79 a month and still no bank feeds for my account") == [
        "£79 a month",
        "still no bank feeds for my account",
    ]
    assert clauses("Ocado delivers on time and doesn't substitute half my shop") == [
        "Ocado delivers on time",
        "doesn't substitute half my shop",
    ]
    assert clauses("fast and reliable service") == ["fast and reliable service"]


def test_a_list_gives_one_segment_per_item():
    text = "Two things:\n1) you charged me for a paused month\n2) the app is painfully slow"
    *_, first, second = split_segments(text)
    assert first.endswith("you charged me for a paused month")
    assert second == "the app is painfully slow"


def test_praise_in_passing_is_not_a_complaint():
    for clause in (
        "Price was fair",
        "support were lovely",
        "the rooms are good value",
        "No complaints about delivery",
    ):
        assert is_praise(clause), clause
    for clause in ("the price was fine until March", "support wasn't great", "delivery was quick but wrong"):
        assert not is_praise(clause), clause
    assert "Price" not in complaint_text(
        "The tracker stopped syncing. Price was fair, I just need it to work."
    )


@pytest.mark.parametrize("segment", [True, False])
def test_the_clauses_kept_from_preprocessing_are_the_complaint_text(spacy_nlp, segment):
    """The classify stage reads each answer's body (an e-mail reply's, less its signature and the
    quoted survey) less praise from the segments preprocessing cut (``answer_clauses``), not cutting
    it again: the same text ``complaint_text`` gives for that body, as the head reads it."""
    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    texts = [*TWO_CAUSES, *ONE_CAUSE]
    for name in ("devset.csv", "devset2.csv", "coarse_dev.csv"):
        with (data / name).open(encoding="utf-8", newline="") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    config = PipelineConfig(segment=segment)
    answers = [
        p for p in prepare_docs(texts, spacy_nlp, segment=segment) if p.text.strip() and not p.is_non_answer
    ]
    assert len(answers) > 1000
    for prepared in answers:
        body = reply_body(prepared.text)
        assert ". ".join(answer_clauses(prepared, config)) == complaint_text(body), prepared.text


@pytest.mark.slow
@pytest.mark.parametrize("text", sorted(TWO_CAUSES))
def test_a_two_cause_answer_counts_toward_both(assigner, first_run, text):
    got = assigner.assign(text)
    assert set(got.root_causes) >= set(TWO_CAUSES[text]), got.root_causes
    theme_causes = [first_run.theme(t).category for t in got.theme_ids]
    assert set(theme_causes) >= set(TWO_CAUSES[text]), theme_causes


@pytest.mark.slow
@pytest.mark.parametrize("text", sorted(ONE_CAUSE))
def test_a_one_cause_answer_gets_no_second_cause(assigner, first_run, text):
    got = assigner.assign(text)
    assert got.root_causes == [ONE_CAUSE[text]], got.root_causes
    assert [first_run.theme(t).category for t in got.theme_ids] == [ONE_CAUSE[text]]
