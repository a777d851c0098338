"""Sentence embeddings with a cache keyed by model and text."""

from __future__ import annotations

from collections.abc import Callable

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
