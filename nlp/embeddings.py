"""Sentence embeddings with a cache keyed by model and text."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .cache import Cache, text_key
from .models import Encoder


CHUNK_SIZE = 4096


def embed_texts(texts: list[str], encoder: Encoder, cache: Cache | None = None,
                batch_size: int = 32, progress: Callable[[float], None] | None = None,
                chunk_size: int = CHUNK_SIZE) -> tuple[np.ndarray, int]:
    """Embed ``texts`` (unit vectors); reuse cached vectors and embed each distinct text once.

    Returns ``(matrix, number_of_texts_actually_embedded)``.
    """
    unique = list(dict.fromkeys(texts))
    namespace = f"emb:{encoder.cache_name}"
    vectors: dict[str, np.ndarray] = {}
    if cache is not None and unique:
        keys = {t: text_key(namespace, t) for t in unique}
        hits = cache.get_vectors(list(keys.values()))
        vectors = {t: hits[k] for t, k in keys.items() if k in hits}
    todo = [t for t in unique if t not in vectors]
    # Long inputs are embedded (and cached) in chunks, so a run killed part-way keeps what it
    # has done and a retry picks up from there.
    step = chunk_size if cache is not None else max(1, len(todo))
    for start in range(0, len(todo), step):
        chunk = todo[start:start + step]
        done = start / len(todo)
        inner = (lambda f, d=done, w=len(chunk) / len(todo): progress(d + w * f)) if progress else None
        new = encoder.encode(chunk, batch_size=batch_size, progress=inner)
        vectors.update(zip(chunk, new))
        if cache is not None:
            cache.put_vectors((text_key(namespace, t), v) for t, v in zip(chunk, new))
    if progress:
        progress(1.0)
    dim = next(iter(vectors.values())).shape[0] if vectors else encoder.dim
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = vectors[t]
    return out, len(todo)
