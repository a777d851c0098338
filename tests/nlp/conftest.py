"""Fixtures for the NLP tests: real models loaded once per session, one small real fit."""

from __future__ import annotations

import os

import pytest

from tests.nlp.nlp_corpus import corpus

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def pytest_collection_modifyitems(config, items):
    """Third-party import noise (umap warns that TensorFlow is absent) is not ours to fix."""
    for item in items:
        if "tests/nlp/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings("ignore::ImportWarning"))


@pytest.fixture(scope="session")
def config():
    """Default pipeline settings (no on-disk cache)."""
    from nlp import PipelineConfig

    return PipelineConfig()


@pytest.fixture(scope="session")
def spacy_nlp(config):
    """The spaCy pipeline with Afterword's components (loaded once)."""
    from nlp.models import load_spacy

    return load_spacy(config.spacy_model)


@pytest.fixture(scope="session")
def encoder(config):
    """The packaged sentence encoder (loaded once)."""
    from nlp.models import load_encoder

    return load_encoder(config.embedding_model, config.device, config.backend)


@pytest.fixture(scope="session")
def small_corpus():
    """``(texts, ids, gold)`` of the synthetic corpus."""
    return corpus()


@pytest.fixture(scope="session")
def first_run(config, small_corpus, spacy_nlp, encoder):
    """One real fit of the whole pipeline on the synthetic corpus."""
    from nlp import analyze

    texts, ids, _ = small_corpus
    stages = []
    result = analyze(texts, ids, config=config, progress=lambda stage, frac: stages.append((stage, frac)))
    result.run["_stages_seen"] = stages
    return result
