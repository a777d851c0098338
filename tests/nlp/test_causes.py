"""Secondary root causes from cue words, the bank's two-cause rows, and labels that read as causes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nlp import PipelineConfig
from nlp.causes import classify_answers
from nlp.classifier import SECONDARY_SHARE, load_bank
from nlp.label_checks import label_banned_names, label_check
from nlp.labels import cause_label, restore_case
from nlp.taxonomy import cue_pattern, load_taxonomy
from tests.nlp.cause_probs import CLASSES, TAXONOMY
from tests.nlp.cause_probs import probs as row


def probs(**given: float) -> np.ndarray:
    return row(**given)[None, :]


def call_for(text: str, config: PipelineConfig | None = None, **given: float):
    return classify_answers(
        probs(**given),
        np.zeros((0, len(CLASSES))),
        np.zeros(0, dtype=int),
        CLASSES,
        config or PipelineConfig(),
        "emerging",
        [text],
        TAXONOMY,
    )[0]


def test_a_cue_the_head_also_supports_adds_a_second_cause():
    call = call_for("Moved to Three, half the price for the same network", competitor=0.8, price=0.1)
    assert call.causes == ["competitor", "price"]


def test_a_cue_the_head_does_not_support_adds_nothing():
    text = "Moved to Three, half the price"
    assert call_for(text, competitor=0.9, support=0.05, billing=0.04, delivery=0.03).causes == ["competitor"]
    # as the head's runner-up it counts, however sure the head is of the main one
    assert call_for(text, competitor=0.97, price=0.01).causes == ["competitor", "price"]


def test_a_cue_for_the_heads_third_cause_or_one_it_rules_out_adds_nothing():
    """How often ("twice") is a detail of the complaint, not an unresolved complaint of its own:
    its cue counts only for the head's runner-up, and not when the head gives it next to nothing."""
    text = "Charged me twice for one order"
    assert call_for(text, billing=0.9, support=0.04, unresolved_complaint=0.03).causes == ["billing"]
    assert call_for(text, billing=0.99, unresolved_complaint=0.0015).causes == ["billing"]
    assert call_for(text, billing=0.97, unresolved_complaint=0.01).causes == [
        "billing",
        "unresolved_complaint",
    ]


def test_an_answer_counts_toward_at_most_max_causes():
    text = "crashes all the time, too expensive, and the courier lost my parcel"
    call = call_for(
        text,
        dataclasses.replace(PipelineConfig(), max_causes=2),
        bugs_reliability=0.6,
        price=0.2,
        delivery=0.15,
    )
    assert call.causes == ["bugs_reliability", "price"]


def test_the_head_does_not_call_an_answer_with_a_because_a_non_answer():
    assert call_for("please cancel because of how you treat staff", non_answer=0.95).non_answer is False
    assert call_for("please cancel my account", non_answer=0.95).non_answer is True


def test_cue_patterns_match_whole_words_stems_and_numbers():
    pattern = cue_pattern(["crash*", "# times", "bug"])
    assert pattern.search("it crashes daily") and pattern.search("called three times")
    assert pattern.search("reported 4 times") and not pattern.search("debug mode")


def test_a_label_template_needs_a_place_for_the_theme_words(tmp_path):
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("categories:\n  - key: price\n    label_template: Too expensive\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label_template"):
        load_taxonomy(bad)


def test_two_cause_bank_rows_teach_both_causes(tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "text,category,secondary_category\nswitched to Three for half the price,competitor,price\n"
        "too slow,speed_performance,\n",
        encoding="utf-8",
    )
    examples = load_bank(bank, TAXONOMY)
    assert [(e.category, e.weight) for e in examples] == [
        ("competitor", 1 - SECONDARY_SHARE),
        ("price", SECONDARY_SHARE),
        ("speed_performance", 1.0),
    ]
    bank.write_text("text,category,secondary_category\nhello,price,non_answer\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2"):
        load_bank(bank, TAXONOMY)


def test_the_shipped_bank_has_two_cause_answers():
    examples = load_bank(None, TAXONOMY)
    assert sum(e.weight == SECONDARY_SHARE for e in examples) >= 100


def test_labels_never_name_the_company_and_brands_only_where_customers_went(spacy_nlp):
    config = PipelineConfig(company_names=["Brightloop"], keep_names=["ClickStack"])
    texts = ["We used Brightloop for the event", "ClickStack has forms built in", "Switched to Notion"]
    other = label_banned_names(config, "no_longer_needed", texts)
    went = label_banned_names(config, "competitor", texts)
    assert {"Brightloop", "ClickStack", "Notion"} <= set(other)
    assert "Brightloop" in went and "Notion" not in went and "ClickStack" not in went
    assert not label_check("Used brightloop", "no_longer_needed", TAXONOMY, spacy_nlp, banned_names=other)
    assert label_check("Moved to Notion", "competitor", TAXONOMY, spacy_nlp, banned_names=went)


def test_a_bare_product_noun_becomes_a_cause_with_the_template():
    label = cause_label("api", "Missing {}")
    assert restore_case(label, ["No API at all", "the API is missing", "need an API"]) == "Missing API"
    assert cause_label("Brightloop event", "{} no longer needed", ["Brightloop"]) == "Event no longer needed"
