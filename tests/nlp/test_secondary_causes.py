"""Second root causes with the real models: an answer that gives two reasons counts toward both,
one that gives one reason counts toward that one only (themes of the session's first run)."""

from __future__ import annotations

import pytest

from nlp.assign import IncrementalAssigner
from nlp.prepare import clauses

TWO_CAUSES = {
    "too pricey and support never answered": ["price", "support"],
    "the courier lost my parcel, plus the app kept crashing": ["delivery", "bugs_reliability"],
    "Way too expensive for a team of three, on top of that the app crashed every time we exported": [
        "price",
        "bugs_reliability",
    ],
}
ONE_CAUSE = {
    "The price went up again at renewal and we couldn't justify it for a small team": "price",
    "My parcel turned up two weeks late and the box was crushed": "delivery",
    "The app crashes every time I open the camera, completely unusable": "bugs_reliability",
    "The support agent was rude to me and hung up halfway through the call": "support",
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
