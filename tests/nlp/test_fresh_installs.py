"""Two installations prepared from empty cache folders train the same heads, byte for byte.

Each ``prepare`` runs in its own process, as two installations do: a value tied to one process
(a memory address, a hash seed) that slipped into a head would make the files differ even where
one process training twice would not notice. The module's tests share the two installations
(``installs``): each ``prepare`` is some 14 s of CPU.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nlp import embeddings
from nlp.cache import Cache
from nlp.classifier import load_pickle
from nlp.embeddings import embed_texts, example_vectors
from nlp.heads import root_cause_classifier
from tests.nlp.test_warm_up import small_bank

ROOT = Path(__file__).resolve().parents[2]
PROBE = [
    "the price went up again at renewal",
    "the app kept crashing and nobody answered my emails",
    "we moved to a competitor that was cheaper",
    "demasiado caro para lo que ofrece",
    "thanks",
]


def prepare_fresh(folder: Path, bank: Path) -> dict[str, bytes]:
    """``python -m nlp prepare`` in a new process with empty cache folders; the heads it wrote."""
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "xdg"), "NLP_CACHE_DIR": str(folder / "nlp")}
    env["HF_HUB_OFFLINE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "nlp", "prepare", "--examples", str(bank)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    heads = (folder / "xdg" / "afterword-nlp").glob("root-causes-*.pkl")
    return {path.name: path.read_bytes() for path in heads}


class FreshInstalls:
    """Installations prepared from empty cache folders on one small bank, each made when first
    asked for: the tests below compare the same two, so no test prepares one the other made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bank = small_bank(folder / "bank.csv")
        self._heads: dict[str, dict[str, bytes]] = {}

    def heads(self, name: str) -> dict[str, bytes]:
        """The heads installation ``name`` trained (file name to bytes)."""
        if name not in self._heads:
            self._heads[name] = prepare_fresh(self.folder / name, self.bank)
        return self._heads[name]

    def head_path(self, name: str, head: str) -> Path:
        return self.folder / name / "xdg" / "afterword-nlp" / head


@pytest.fixture(scope="module")
def installs(tmp_path_factory: pytest.TempPathFactory) -> FreshInstalls:
    return FreshInstalls(tmp_path_factory.mktemp("installs"))


@pytest.mark.slow
def test_two_fresh_installations_train_byte_identical_heads(installs):
    first = installs.heads("first")
    second = installs.heads("second")

    assert sorted(first) == sorted(second)
    assert any("multilingual" in name for name in first)  # both heads trained, not only the main one
    assert any("multilingual" not in name for name in first)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two fresh installations"

    for name in first:  # and so every answer gets the same root cause from both
        heads = [load_pickle(installs.head_path(run, name)) for run in ("first", "second")]
        classifiers = [getattr(head, "classifier", head) for head in heads]
        dim = classifiers[0].embedding_head.coef_.shape[1]
        vectors = np.random.default_rng(0).standard_normal((len(PROBE), dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        np.testing.assert_array_equal(
            classifiers[0].predict_proba(vectors, PROBE), classifiers[1].predict_proba(vectors, PROBE)
        )


@pytest.mark.slow
def test_the_head_the_app_trains_without_a_cache_is_the_one_prepare_trains(
    tmp_path, config, encoder, installs
):
    """The web app's one-answer assigner trains the head with no cache and outside ``analyze``
    (all BLAS threads): it must give every answer the same probabilities as the head ``prepare``
    trains, under the same name. (Not the same bytes: pickle writes a string once or twice
    depending on whether the process holds it as one object or two, which is the process's
    history, not the head.)"""
    prepared = installs.heads("first")

    in_app = dataclasses.replace(config, example_bank=installs.bank, model_dir=tmp_path / "app")
    head = root_cause_classifier(in_app, encoder, None)
    (path,) = (tmp_path / "app").glob("root-causes-*.pkl")

    assert path.name in prepared
    from_prepare = load_pickle(installs.head_path("first", path.name))
    vectors, _ = embed_texts(PROBE, encoder)
    np.testing.assert_array_equal(
        head.predict_proba(vectors, PROBE), from_prepare.predict_proba(vectors, PROBE)
    )
    np.testing.assert_array_equal(head.embedding_head.coef_, from_prepare.embedding_head.coef_)


@pytest.mark.slow
def test_the_bank_gets_the_same_vectors_with_a_cache_without_one_and_after_an_edit(
    tmp_path, monkeypatch, encoder
):
    """With the int8 encoder a text's vector depends on its batch-mates, so the bank must be
    batched the same whatever the cache holds. The chunk is made small so that 120 texts span
    several chunks, as the real bank (about 9,000 texts) spans several of 4,096."""
    monkeypatch.setattr(embeddings, "CHUNK_SIZE", 40)
    with small_bank(tmp_path / "bank.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)][:120]
    assert len(texts) == 120
    corrections = ["the invoice was wrong three months running", texts[3]]  # one repeats a bank row

    no_cache = example_vectors(texts + corrections, len(texts), encoder, None)
    fresh = example_vectors(texts + corrections, len(texts), encoder, Cache(tmp_path / "fresh"))
    edited = Cache(tmp_path / "edited")  # an installation whose bank lacked a few rows before
    example_vectors(texts[:50] + texts[60:], 110, encoder, edited)
    after_edit = example_vectors(texts + corrections, len(texts), encoder, edited)

    np.testing.assert_array_equal(no_cache, fresh)
    np.testing.assert_array_equal(after_edit, fresh)
