"""Theme memory (ids, renames, merges, JSON) and the taxonomy file."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import ThemeMemory
from nlp.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

KEYS = [
    "price",
    "billing",
    "competitor",
    "support",
    "unresolved_complaint",
    "bugs_reliability",
    "speed_performance",
    "missing_features",
    "ease_of_use",
    "no_longer_needed",
    "delivery",
    "privacy_trust",
]


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_memory_keeps_ids_renames_and_merges_across_runs():
    mem = ThemeMemory()
    a, b, c = unit([1, 0, 0, 0.1]), unit([0, 1, 0, 0.1]), unit([0, 0, 1, 0.1])
    first = mem.match(np.stack([a, b, c]), 0.8)
    assert all(new for _, new in first)
    ids = [tid for tid, _ in first]
    for tid, cen in zip(ids, (a, b, c), strict=True):
        mem.update(tid, "auto", cen, [], "emerging", 10)
    mem.rename(ids[0], "Price rise", lock=True)
    mem.merge(ids[2], ids[1])
    mem = ThemeMemory.from_json(mem.to_json())
    second = mem.match(
        np.stack([unit([0.05, 1, 0, 0.1]), unit([1, 0.05, 0, 0.1]), unit([0, 0.02, 1, 0.1])]), 0.8
    )
    assert second[0] == (ids[1], False)
    assert second[1] == (ids[0], False)
    assert second[2] == (ids[1], False)  # merged theme resolves to its target
    assert mem.update(ids[0], "new auto label", a, [], "price", 5) == "Price rise"
    new = mem.match(np.stack([unit([0, 0, 0, 1])]), 0.8)
    assert new[0][1] is True and new[0][0] not in ids


def test_memory_rejects_self_merge_and_unknown_ids():
    mem = ThemeMemory()
    tid = mem.match(np.stack([unit([1, 0])]), 0.8)[0][0]
    mem.update(tid, "x", unit([1, 0]), [], "emerging", 1)
    with pytest.raises(ValueError):
        mem.merge(tid, tid)
    with pytest.raises(KeyError):
        mem.rename("T9999", "nope")
    assert ThemeMemory.from_json("").themes == {}


def test_packaged_taxonomy_has_exactly_the_agreed_keys():
    tax = load_taxonomy(DEFAULT_TAXONOMY)
    assert tax.keys == KEYS
    assert tax.emerging_key == "emerging"
    assert all(c.name and c.description and len(c.examples) >= 5 for c in tax.categories)


def test_malformed_taxonomy_fails_clearly(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("categories: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="categories"):
        load_taxonomy(bad)


def test_common_themes_must_be_a_list(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text(
        "categories:\n  - key: price\n    name: Price\n    common_themes: Price increase\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="price.*common_themes must be a list"):
        load_taxonomy(bad)
    good = tmp_path / "g.yaml"
    good.write_text(
        "categories:\n  - key: price\n    name: Price\n    common_themes: [Price increase]\n",
        encoding="utf-8",
    )
    assert load_taxonomy(good).categories[0].common_themes == ["Price increase"]
