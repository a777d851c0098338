"""On-disk cache of embeddings and preprocessing results, keyed by model and text.

One SQLite file per cache folder; a re-run embeds and parses only texts it has not seen with
the same model (and the same preprocessing version).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np


def text_key(namespace: str, text: str) -> str:
    """Stable key for ``text`` under ``namespace`` (model name + version)."""
    return hashlib.blake2b(f"{namespace}\x00{text}".encode("utf-8"), digest_size=16).hexdigest()


class Cache:
    """Key-value store for vectors (float32) and JSON records."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "afterword-nlp-cache.sqlite"
        self._db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS rec (k TEXT PRIMARY KEY, v TEXT)")
        self._db.commit()

    def _get(self, table: str, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            marks = ",".join("?" * len(chunk))
            for k, v in self._db.execute(f"SELECT k, v FROM {table} WHERE k IN ({marks})", chunk):
                found[k] = v
        return found

    def get_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Vectors found for ``keys`` (missing keys are absent)."""
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in self._get("emb", keys).items()}

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors (float32)."""
        self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)",
                             ((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items))
        self._db.commit()

    def get_records(self, keys: list[str]) -> dict[str, Any]:
        """JSON records found for ``keys``."""
        return {k: json.loads(v) for k, v in self._get("rec", keys).items()}

    def put_records(self, items: Iterable[tuple[str, Any]]) -> None:
        """Store JSON-serialisable records."""
        self._db.executemany("INSERT OR REPLACE INTO rec VALUES (?, ?)",
                             ((k, json.dumps(v)) for k, v in items))
        self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def cached_map(cache: Cache | None, namespace: str, texts: list[str],
               compute: Callable[..., Any], chunk_size: int | None = None,
               progress: Callable[[float], None] | None = None, vectors: bool = False) -> tuple[list[Any], int]:
    """``compute(texts)`` (one JSON-serialisable value per text, or with ``vectors`` one float32
    vector per text), reusing cached values.

    ``namespace`` names the function and its version; only texts not seen before are computed,
    each distinct text once. With ``chunk_size`` the new texts are computed and saved chunk by
    chunk, so a run killed part-way keeps what it finished; ``compute`` is then also given a
    ``progress`` callback for its chunk. Returns the values in input order and how many texts
    were computed.
    """
    unique = list(dict.fromkeys(texts))
    found: dict[str, Any] = {}
    if cache is not None and unique:
        keys = {t: text_key(namespace, t) for t in unique}
        hits = (cache.get_vectors if vectors else cache.get_records)(list(keys.values()))
        found = {t: hits[k] for t, k in keys.items() if k in hits}
    todo = [t for t in unique if t not in found]
    step = chunk_size if chunk_size and cache is not None else max(1, len(todo))
    for start in range(0, len(todo), step):
        chunk = todo[start:start + step]
        if progress is None:
            values = compute(chunk)
        else:
            at, width = start / len(todo), len(chunk) / len(todo)
            values = compute(chunk, progress=lambda f, a=at, w=width: progress(a + w * f))
        found.update(zip(chunk, values))
        if cache is not None:
            (cache.put_vectors if vectors else cache.put_records)(
                (text_key(namespace, t), v) for t, v in zip(chunk, values))
    if progress:
        progress(1.0)
    return [found[t] for t in texts], len(todo)
