"""On-disk cache of embeddings and preprocessing results, keyed by model and text.

One SQLite file per cache folder; a re-run embeds and parses only texts it has not seen with
the same model (and the same preprocessing version). Keys are hashes, but the records hold
derived text (an answer's redacted form, its segments, label phrases), so :func:`forget_texts`
removes everything derived from given texts when a person is erased; deleted rows are
overwritten with zeros (``secure_delete``) and the WAL is emptied afterwards.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

CACHE_FILE = "afterword-nlp-cache.sqlite"
_CHUNK = 900  # keys per statement, under SQLite's parameter limit
#: Shorter texts are not searched for inside records (too common: "No", "price").
MIN_SCAN_CHARS = 12


def text_key(namespace: str, text: str) -> str:
    """Stable key for ``text`` under ``namespace`` (model name + version)."""
    return hashlib.blake2b(f"{namespace}\x00{text}".encode(), digest_size=16).hexdigest()


class Cache:
    """Key-value store for vectors (float32) and JSON records."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / CACHE_FILE
        self._db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA secure_delete=ON")  # a deleted or replaced record leaves no bytes behind
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS rec (k TEXT PRIMARY KEY, v TEXT)")
        # The namespaces written, so that forget() can find every key of a text.
        self._db.execute("CREATE TABLE IF NOT EXISTS ns (name TEXT PRIMARY KEY)")
        self._db.commit()

    def _get(self, table: str, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for k, v in self._db.execute(f"SELECT k, v FROM {table} WHERE k IN ({marks})", chunk):
                found[k] = v
        return found

    def get_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Vectors found for ``keys`` (missing keys are absent)."""
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in self._get("emb", keys).items()}

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors (float32)."""
        self._db.executemany(
            "INSERT OR REPLACE INTO emb VALUES (?, ?)",
            ((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items),
        )
        self._db.commit()

    def get_records(self, keys: list[str]) -> dict[str, Any]:
        """JSON records found for ``keys``."""
        return {k: json.loads(v) for k, v in self._get("rec", keys).items()}

    def put_records(self, items: Iterable[tuple[str, Any]]) -> None:
        """Store JSON-serialisable records."""
        self._db.executemany(
            "INSERT OR REPLACE INTO rec VALUES (?, ?)", ((k, json.dumps(v)) for k, v in items)
        )
        self._db.commit()

    def note_namespace(self, namespace: str) -> None:
        """Remember that ``namespace`` has entries (committed with the next put)."""
        self._db.execute("INSERT OR IGNORE INTO ns VALUES (?)", (namespace,))

    def forget(self, texts: Iterable[str]) -> int:
        """Delete the entries of ``texts`` in every namespace, and those of any text a deleted
        record holds (an answer's redacted form and segments are cached under their own keys);
        then empty the WAL. A cache written before namespaces were recorded is emptied whole
        (its keys cannot be found). Returns how many entries were deleted."""
        namespaces = [name for (name,) in self._db.execute("SELECT name FROM ns")]
        if not namespaces:
            removed = sum(self._db.execute(f"DELETE FROM {table}").rowcount for table in ("emb", "rec"))
        else:
            given = {t for t in texts if isinstance(t, str)}
            removed, seen, todo = 0, set(), set(given)
            while todo:
                seen |= todo
                keys = [text_key(name, t) for name in namespaces for t in todo]
                # Records that quote one of the given texts, whatever their key (e.g. the
                # preprocessing record of an answer whose raw text is no longer known).
                for t in todo & given:
                    if len(t.strip()) >= MIN_SCAN_CHARS:
                        quoted = json.dumps(t)[1:-1]
                        keys += [
                            k
                            for (k,) in self._db.execute("SELECT k FROM rec WHERE instr(v, ?) > 0", (quoted,))
                        ]
                derived: set[str] = set()
                for value in self._get("rec", keys).values():
                    derived.update(_strings(json.loads(value)))
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    for table in ("emb", "rec"):
                        removed += self._db.execute(
                            f"DELETE FROM {table} WHERE k IN ({marks})", chunk
                        ).rowcount
                todo = derived - seen
        self._db.commit()
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def forget_texts(folder: Path, texts: Iterable[str]) -> int:
    """:meth:`Cache.forget` on the cache in ``folder``, if there is one (none is created)."""
    if not (Path(folder) / CACHE_FILE).is_file():
        return 0
    cache = Cache(folder)
    try:
        return cache.forget(texts)
    finally:
        cache.close()


def cached_map(
    cache: Cache | None,
    namespace: str,
    texts: list[str],
    compute: Callable[..., Any],
    chunk_size: int | None = None,
    progress: Callable[[float], None] | None = None,
    vectors: bool = False,
) -> tuple[list[Any], int]:
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
        chunk = todo[start : start + step]
        if progress is None:
            values = compute(chunk)
        else:
            at, width = start / len(todo), len(chunk) / len(todo)
            values = compute(chunk, progress=lambda f, a=at, w=width: progress(a + w * f))
        found.update(zip(chunk, values, strict=True))
        if cache is not None:
            cache.note_namespace(namespace)
            (cache.put_vectors if vectors else cache.put_records)(
                (text_key(namespace, t), v) for t, v in zip(chunk, values, strict=True)
            )
    if progress:
        progress(1.0)
    return [found[t] for t in texts], len(todo)
