"""Sentence embeddings with a cache keyed by model and text."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .cache import Cache, cached_map
from .models import Encoder

CHUNK_SIZE = 4096


def embed_texts(
    texts: list[str],
    encoder: Encoder,
    cache: Cache | None = None,
    batch_size: int = 32,
    progress: Callable[[float], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> tuple[np.ndarray, int]:
    """Embed ``texts`` (unit vectors); reuse cached vectors and embed each distinct text once.

    Returns ``(matrix, number_of_texts_actually_embedded)``.
    """

    def encode(chunk: list[str], progress: Callable[[float], None] | None = None) -> np.ndarray:
        return encoder.encode(chunk, batch_size=batch_size, progress=progress)

    # Long inputs are embedded (and cached) in chunks, so a run killed part-way keeps what it
    # has done and a retry picks up from there.
    vectors, embedded = cached_map(
        cache,
        f"emb:{encoder.cache_name}",
        texts,
        encode,
        chunk_size=chunk_size,
        progress=progress,
        vectors=True,
    )
    if not vectors:
        return np.zeros((0, encoder.dim), dtype=np.float32), 0
    return np.stack(vectors).astype(np.float32, copy=False), embedded


class ClockedEncoder(Encoder):
    """``encoder`` with the time spent in its ``encode`` added up (wall and CPU seconds), so a
    stage that embeds a few texts of its own (the classify stage: clauses, letters' clauses,
    answers in other languages) can count that time as embedding, not as its own work. The
    first ``encode`` of a lazily loaded model (USE) includes its load."""

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name, self.device, self.backend = encoder.name, encoder.device, encoder.backend
        self.wall_s = 0.0
        self.cpu_s = 0.0

    @property
    def cache_name(self) -> str:
        """The wrapped encoder's cache key (the same vectors)."""
        return self.inner.cache_name

    @property
    def dim(self) -> int:
        """The wrapped encoder's dimension."""
        return self.inner.dim

    def encode(self, texts: list[str], batch_size: int = 32, progress: Any = None) -> np.ndarray:
        """The wrapped encoder's vectors, timed."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self.inner.encode(texts, batch_size=batch_size, progress=progress)
        finally:
            self.wall_s += time.perf_counter() - wall
            self.cpu_s += time.process_time() - cpu
