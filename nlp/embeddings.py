"""Sentence embeddings with a cache keyed by model and text."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .cache import Cache, cached_map
from .models import Encoder

CHUNK_SIZE = 4096
#: Cache namespace of the texts a root-cause head is trained on. With the default int8 encoder
#: (``onnx-int8``; not ``onnx-int8-static``, whose vectors are the same in any batch) a text's
#: vector depends slightly on the texts batched with it (the activations' quantization scale is
#: the batch's), so a head trained on vectors shared with a run's answers depended on which
#: answers had been cached first, and a run that trained the head saw other answer vectors
#: than one that loaded it. Kept apart, both are the same on every machine and every run.
EXAMPLES_NAMESPACE = "examples"


def embed_texts(
    texts: list[str],
    encoder: Encoder,
    cache: Cache | None = None,
    batch_size: int = 32,
    progress: Callable[[float], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    namespace: str = "emb",
) -> tuple[np.ndarray, int]:
    """Embed ``texts`` (unit vectors); reuse cached vectors and embed each distinct text once.

    ``namespace``: the cache's (texts cached under another one are embedded again).
    Returns ``(matrix, number_of_texts_actually_embedded)``.
    """

    def encode(chunk: list[str], progress: Callable[[float], None] | None = None) -> np.ndarray:
        return encoder.encode(chunk, batch_size=batch_size, progress=progress)

    # Long inputs are embedded (and cached) in chunks, so a run killed part-way keeps what it
    # has done and a retry picks up from there.
    vectors, embedded = cached_map(
        cache,
        f"{namespace}:{encoder.cache_name}",
        texts,
        encode,
        chunk_size=chunk_size,
        progress=progress,
        vectors=True,
    )
    if not vectors:
        return np.zeros((0, encoder.dim), dtype=np.float32), 0
    return np.stack(vectors).astype(np.float32, copy=False), embedded


def example_vectors(
    texts: list[str], shipped: int, encoder: Encoder, cache: Cache | None = None, batch_size: int = 32
) -> np.ndarray:
    """The vectors a root-cause head is trained on, the same on every installation whatever its
    cache holds: ``texts[:shipped]`` (the bank and the taxonomy's phrases) embedded on their own,
    each distinct text once, in fixed chunks of :data:`CHUNK_SIZE`, then the rest (a CX team's
    corrections, not already among them).

    With the int8 encoder a text's vector depends on the texts batched with it, so the batches
    must not depend on the cache: a chunk's vectors are cached under a namespace that carries
    the chunk's digest (reused only with the batch-mates they were embedded with), and the
    corrections are not cached at all (a few hundred texts; what earlier correction sets left in
    the cache would otherwise shape their batches). Before, a head trained without a cache (the
    app's incremental assigner, ``--no-cache``) embedded the bank in one sorted pass instead of
    chunks, and an edited bank embedded only its new rows, together: both trained a head that
    differed from a fresh installation's under the same key."""
    found: dict[str, np.ndarray] = {}
    for part, store in ((texts[:shipped], cache), (texts[shipped:], None)):
        new = [t for t in dict.fromkeys(part) if t not in found]
        for start in range(0, len(new), CHUNK_SIZE):
            chunk = new[start : start + CHUNK_SIZE]
            digest = hashlib.blake2b("\x00".join(chunk).encode(), digest_size=8).hexdigest()
            namespace = f"{EXAMPLES_NAMESPACE}-{digest}"
            vectors, _ = embed_texts(chunk, encoder, store, batch_size, namespace=namespace)
            found.update(zip(chunk, vectors, strict=True))
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


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
