"""Themes stable across runs: the root-cause head does not depend on what a run cached first."""

from __future__ import annotations

import csv
import dataclasses

import numpy as np

from nlp.cache import Cache
from nlp.classifier import DEFAULT_BANK
from nlp.embeddings import embed_texts
from nlp.heads import root_cause_classifier

PER_CAUSE = 6  # a small slice of the shipped bank keeps training to a few seconds


def test_a_head_trained_after_a_run_cached_its_answers_is_the_one_a_fresh_install_trains(
    tmp_path, config, encoder
):
    with DEFAULT_BANK.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    picked: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if not row.get("secondary_category") and len(picked.setdefault(row["category"], [])) < PER_CAUSE:
            picked[row["category"]].append(row)
    bank = tmp_path / "bank.csv"
    with bank.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "category"])
        writer.writeheader()
        writer.writerows({"text": r["text"], "category": r["category"]} for g in picked.values() for r in g)
    settings = dataclasses.replace(config, example_bank=bank)
    # A run embeds its answers before it trains the head; some answers read like bank examples.
    answers = [r["text"] for g in picked.values() for r in g[:2]] + [
        "We moved the whole team to a competitor after the renewal quote doubled and support went quiet",
        "ok",
    ]
    used = Cache(tmp_path / "used-cache")
    embed_texts(answers, encoder, used)

    fresh = root_cause_classifier(
        dataclasses.replace(settings, model_dir=tmp_path / "fresh"), encoder, Cache(tmp_path / "fresh-cache")
    )
    after_a_run = root_cause_classifier(
        dataclasses.replace(settings, model_dir=tmp_path / "used"), encoder, used
    )

    probe = ["the price went up again", "the app kept crashing", "nobody answered my emails", "thanks"]
    vectors, _ = embed_texts(probe, encoder)
    np.testing.assert_allclose(
        after_a_run.predict_proba(vectors, probe), fresh.predict_proba(vectors, probe), atol=1e-6
    )
