"""A warm embedding cache for the tests whose run trains a root-cause head from corrections.

Such a head learns from the whole example bank (about 6,000 texts) plus the corrections, so each
of those tests used to embed the bank again into its own empty cache folder: most of a minute
apiece. The bank's vectors do not depend on the test, so they are embedded once per session and
copied into the test's cache folder, as on an installation whose cache is already warm; the
head itself is still trained in the test, on that test's corrections.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from nlp.cache import CACHE_FILE, Cache
from nlp.classifier import training_examples
from nlp.config import PipelineConfig
from nlp.embeddings import example_vectors
from nlp.heads import current_taxonomy
from nlp.models import load_encoder


class BankVectors:
    """Makes, once per encoder and example bank, a cache file holding the bank's vectors.

    With ``shared`` (a folder ``make test`` empties at its start and hands to each of its pytest
    runs), a run that finds the file another run of the same ``make test`` made there copies it
    instead of embedding the bank again; the file's name is a digest of the encoder's cache name,
    the batch size and the bank's texts, as the embedding cache's own keys are.
    """

    def __init__(self, folder: Path, shared: Path | None = None) -> None:
        self.folder = folder
        self.shared = shared
        self._files: dict[tuple[str, str, str, int], Path] = {}

    def _seed_file(self, config: PipelineConfig) -> Path:
        encoder = load_encoder(config.embedding_model, config.device, config.backend)
        key = (encoder.cache_name, str(config.example_bank), str(config.taxonomy_path), config.batch_size)
        if key not in self._files:
            # The same texts in the same order and batches as the head's own training, so the
            # vectors are the ones the run would have computed.
            texts = [e.text for e in training_examples(current_taxonomy(config), config.example_bank, [])]
            digest = hashlib.sha256(repr((key[0], key[3], texts)).encode()).hexdigest()[:24]
            shared = self.shared / f"bank-vectors-{digest}.sqlite" if self.shared else None
            if shared is not None and shared.exists():
                self._files[key] = shared
                return shared
            folder = self.folder / f"seed-{len(self._files)}"
            cache = Cache(folder)
            example_vectors(texts, len(texts), encoder, cache, config.batch_size)
            cache.close()
            self._files[key] = folder / CACHE_FILE
            if shared is not None:  # whole or not at all: a run beside this one may look at any time
                shared.parent.mkdir(parents=True, exist_ok=True)
                partial = shared.with_name(f"{shared.name}.{os.getpid()}.partial")
                shutil.copyfile(self._files[key], partial)
                os.replace(partial, shared)
        return self._files[key]

    def copy_into(self, cache_dir: Path, config: PipelineConfig) -> None:
        """Give the empty cache folder ``cache_dir`` the bank's vectors for ``config``'s encoder."""
        target = Path(cache_dir) / CACHE_FILE
        assert not target.exists(), f"{target} is not a fresh cache"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._seed_file(config), target)
