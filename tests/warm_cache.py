"""A warm embedding cache for the tests whose run trains a root-cause head from corrections.

Such a head learns from the whole example bank (about 6,000 texts) plus the corrections, so each
of those tests used to embed the bank again into its own empty cache folder: most of a minute
apiece. The bank's vectors do not depend on the test, so they are embedded once per session and
copied into the test's cache folder, as on an installation whose cache is already warm; the
head itself is still trained in the test, on that test's corrections.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nlp.cache import CACHE_FILE, Cache
from nlp.classifier import training_examples
from nlp.config import PipelineConfig
from nlp.embeddings import example_vectors
from nlp.heads import current_taxonomy
from nlp.models import load_encoder


class BankVectors:
    """Makes, once per encoder and example bank, a cache file holding the bank's vectors."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[tuple[str, str, str, int], Path] = {}

    def _seed_file(self, config: PipelineConfig) -> Path:
        encoder = load_encoder(config.embedding_model, config.device, config.backend)
        key = (encoder.cache_name, str(config.example_bank), str(config.taxonomy_path), config.batch_size)
        if key not in self._files:
            folder = self.folder / f"seed-{len(self._files)}"
            cache = Cache(folder)
            # The same texts in the same order and batches as the head's own training, so the
            # vectors are the ones the run would have computed.
            texts = [e.text for e in training_examples(current_taxonomy(config), config.example_bank, [])]
            example_vectors(texts, len(texts), encoder, cache, config.batch_size)
            cache.close()
            self._files[key] = folder / CACHE_FILE
        return self._files[key]

    def copy_into(self, cache_dir: Path, config: PipelineConfig) -> None:
        """Give the empty cache folder ``cache_dir`` the bank's vectors for ``config``'s encoder."""
        target = Path(cache_dir) / CACHE_FILE
        assert not target.exists(), f"{target} is not a fresh cache"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._seed_file(config), target)
