"""The root-cause head's training data, storage and housekeeping (no models needed)."""

from __future__ import annotations

import csv
import os

import pytest

from nlp.classifier import (
    CORRECTION_WEIGHT,
    DEFAULT_BANK,
    load_bank,
    load_pickle,
    model_path,
    prune_models,
    remove_corrected_models,
    save_pickle,
    source_digest,
    training_examples,
    training_key,
)
from nlp.taxonomy import load_taxonomy


def test_the_shipped_bank_covers_every_cause_and_non_answers_richly():
    taxonomy = load_taxonomy()
    bank = load_bank(None, taxonomy)
    counts = {key: sum(e.category == key for e in bank) for key in [*taxonomy.keys, "non_answer"]}
    assert min(counts.values()) >= 150, counts


def test_the_shipped_bank_speaks_for_many_kinds_of_business_in_english():
    """Real answers come from any business: each cause needs English examples from many of them."""
    with DEFAULT_BANK.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["language"] == "en" and r["category"] != "non_answer"]
    kinds = {r["business"] for r in rows if r["business"] not in ("", "any")}
    per_cause = {key: sum(r["category"] == key for r in rows) for key in load_taxonomy().keys}
    assert len(kinds) >= 40, sorted(kinds)
    assert min(per_cause.values()) >= 280, per_cause


def test_corrections_join_the_training_data_weighted_and_unknown_causes_are_skipped():
    taxonomy = load_taxonomy()
    plain = training_examples(taxonomy)
    corrected = training_examples(
        taxonomy,
        corrections=[("moved to Basecamp", "missing_features"), ("whatever", "not_a_cause"), ("  ", "price")],
    )
    extra = corrected[len(plain) :]
    assert [(e.text, e.category, e.weight) for e in extra] == [
        ("moved to Basecamp", "missing_features", CORRECTION_WEIGHT)
    ]
    assert training_key(plain, "m", 8.0) != training_key(corrected, "m", 8.0)
    assert training_key(plain, "m", 8.0) != training_key(plain, "other-model", 8.0)


def test_a_head_trained_by_other_code_or_data_is_not_reused(tmp_path):
    """An upgrade that changes the features or the language routing retrains cached heads, with
    no version number to remember: the key covers the code and data files themselves."""
    from nlp.multilingual import training_code

    code = tmp_path / "features.py"
    code.write_text("WEIGHT = 1\n", encoding="utf-8")
    before = source_digest(code)
    assert source_digest(code) == before
    code.write_text("WEIGHT = 2\n", encoding="utf-8")
    assert source_digest(code) != before
    assert training_code() == training_code()


def test_a_bank_with_a_missing_column_says_which(tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("text,label\ntoo expensive,price\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column.*category"):
        load_bank(bank, load_taxonomy())


def test_old_heads_are_pruned_and_corrected_ones_removed_on_request(tmp_path):
    for i in range(14):
        path = model_path(tmp_path, f"k{i:02d}", corrected=i % 2 == 0)
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    prune_models(tmp_path, keep=10)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 10 and "root-causes-corrected-k00.pkl" not in left and "root-causes-k13.pkl" in left
    assert remove_corrected_models(tmp_path) == 5
    assert all(not p.name.startswith("root-causes-corrected-") for p in tmp_path.iterdir())


def test_heads_from_before_pickle_are_pruned_and_erased_too(tmp_path):
    old = tmp_path / "root-causes-corrected-old.joblib"
    old.write_bytes(b"x")
    assert model_path(tmp_path, "new", corrected=True).suffix == ".pkl"
    assert remove_corrected_models(tmp_path) == 1 and not old.exists()


def test_a_stored_head_reads_back_and_a_damaged_one_is_refused(tmp_path):
    path = tmp_path / "head.pkl"
    save_pickle({"weights": [1.0, 2.0]}, path)
    assert load_pickle(path) == {"weights": [1.0, 2.0]}
    path.write_bytes(path.read_bytes()[:10])
    with pytest.raises(ValueError, match="not a readable model"):
        load_pickle(path)
