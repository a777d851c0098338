"""The on-disk cache forgets a text and everything derived from it (erasure), and nothing else."""

from __future__ import annotations

import sqlite3

import numpy as np

from nlp.cache import CACHE_FILE, Cache, cached_map, forget_texts


def _rows(folder) -> list[str]:
    connection = sqlite3.connect(folder / CACHE_FILE)
    try:
        return [v for (v,) in connection.execute("SELECT v FROM rec")] + [
            k for (k,) in connection.execute("SELECT k FROM emb")
        ]
    finally:
        connection.close()


def _fill(folder) -> None:
    cache = Cache(folder)
    try:
        cached_map(
            cache,
            "prep:v1",
            ["Ann Lee hated the new pricing", "Slow app"],
            lambda todo: [
                ["[PERSON] hated the new pricing", False, ["hated the new pricing"]]
                if t.startswith("Ann")
                else [t, False, [t]]
                for t in todo
            ],
        )
        cached_map(
            cache,
            "emb:m",
            ["[PERSON] hated the new pricing", "hated the new pricing", "Slow app"],
            lambda todo: np.ones((len(todo), 2), dtype=np.float32),
            vectors=True,
        )
        cached_map(cache, "phrases:v1", ["[PERSON] hated the new pricing"], lambda todo: [["new pricing"]])
    finally:
        cache.close()


def test_forget_removes_the_text_and_what_was_derived_from_it_in_every_namespace(tmp_path):
    _fill(tmp_path)
    assert len(_rows(tmp_path)) == 6
    assert forget_texts(tmp_path, ["Ann Lee hated the new pricing"]) == 4
    remaining = _rows(tmp_path)
    assert len(remaining) == 2 and not any("pricing" in str(v) for v in remaining)
    assert (
        not (tmp_path / (CACHE_FILE + "-wal")).exists()
        or (tmp_path / (CACHE_FILE + "-wal")).stat().st_size == 0
    )
    assert b"hated" not in (tmp_path / CACHE_FILE).read_bytes()  # deleted rows leave no bytes


def test_a_record_quoting_the_text_is_found_without_its_key(tmp_path):
    """Erasure after retention: the raw answer (the key) is gone, its redacted form is known."""
    _fill(tmp_path)
    forget_texts(tmp_path, ["[PERSON] hated the new pricing"])
    assert not any("pricing" in str(v) for v in _rows(tmp_path))


def test_a_cache_without_recorded_namespaces_is_emptied_and_none_is_created(tmp_path):
    legacy = sqlite3.connect(tmp_path / CACHE_FILE)
    legacy.execute("CREATE TABLE rec (k TEXT PRIMARY KEY, v TEXT)")
    legacy.execute("CREATE TABLE emb (k TEXT PRIMARY KEY, v BLOB)")
    legacy.execute("INSERT INTO rec VALUES ('abc', '[\"Ann hated it\"]')")
    legacy.commit()
    legacy.close()
    assert forget_texts(tmp_path, ["Ann hated it"]) == 1 and _rows(tmp_path) == []
    assert forget_texts(tmp_path / "none", ["x"]) == 0 and not (tmp_path / "none").exists()
