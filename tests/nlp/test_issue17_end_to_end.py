"""Issue 17 behaviour with the real models: implied second causes, non-answers, labels without the company."""

from __future__ import annotations

import pytest

from nlp import PipelineConfig, analyze
from tests.nlp.nlp_corpus import corpus

pytestmark = pytest.mark.slow

IMPLIED = "Moved to Giffgaff, half the price on the same network"
REPEATED = "The app crashes whenever I upload a receipt, reported it four times and it is still broken"
NON_ANSWERS = [
    "Thanks for the years of service!",
    "Cancel subscription effective immediately.",
    "told you guys last week",
    "bunch of clowns",
    "<p><br/></p>",
    "ditto",
]
SHORT_REASONS = ["too expensive", "bugs", "moved abroad", "rude staff"]
COMPANY = [
    "We used Brightloop for the wedding and it's over now",
    "Brightloop was only for our event, done now",
    "Used Brightloop for a one-off project that has finished",
    "Our Brightloop project ended last month",
    "The event we used Brightloop for is finished",
]


@pytest.fixture(scope="module")
def result():
    texts, _, _ = corpus()
    texts = texts + [IMPLIED, REPEATED, *NON_ANSWERS, *SHORT_REASONS, *COMPANY * 2]
    config = PipelineConfig(company_names=["Brightloop"], min_answers_to_split=5)
    return texts, analyze(texts, config=config)


def assignment(result, text):
    texts, res = result
    return res.assignments[texts.index(text)]


def test_a_second_cause_said_in_passing_counts_too(result):
    assert assignment(result, IMPLIED).root_causes[:2] == ["competitor", "price"]
    assert set(assignment(result, REPEATED).root_causes) >= {"bugs_reliability", "unresolved_complaint"}


def test_non_answers_of_the_missed_kinds_are_flagged_and_short_reasons_are_not(result):
    for text in NON_ANSWERS:
        assert assignment(result, text).is_non_answer, text
    for text in SHORT_REASONS:
        assert not assignment(result, text).is_non_answer, text


def test_no_theme_label_names_the_company(result):
    _, res = result
    labels = [t.label for t in res.themes]
    assert labels and not any("brightloop" in label.lower() for label in labels), labels
    assert all(len(label.split()) > 1 for label in labels), labels


def test_every_label_reads_as_a_cause_and_no_two_themes_share_one(result):
    from nlp.heads import current_taxonomy
    from nlp.label_checks import label_check
    from nlp.models import load_tagger

    _, res = result
    taxonomy, tagger = current_taxonomy(PipelineConfig()), load_tagger("en_core_web_sm")
    labels = [t.label.lower() for t in res.themes]
    assert len(labels) == len(set(labels)), labels
    failing = [t.label for t in res.themes if not label_check(t.label, t.category, taxonomy, tagger)]
    assert failing == [], failing


def test_a_curated_label_wins_and_no_other_theme_takes_it(result):
    texts, res = result
    first, second = res.themes[0], res.themes[1]
    memory = res.memory
    memory.rename(second.id, first.label, lock=True)  # a person gives one theme another's label
    again = analyze(
        texts, config=PipelineConfig(company_names=["Brightloop"], min_answers_to_split=5), memory=memory
    )
    labels = {t.id: t.label for t in again.themes}
    assert labels[second.id] == first.label  # the curated rename is kept
    others = [label for tid, label in labels.items() if tid != second.id]
    assert first.label.lower() not in {label.lower() for label in others}, others
