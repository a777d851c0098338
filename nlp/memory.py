"""Theme memory: stable theme ids across runs, human labels, locks and merges.

The app keeps one JSON file (``to_json``/``from_json``). A theme in a new run whose centroid is
close enough to a remembered one keeps that id and any human label; merges stay applied; other
themes get fresh ids and are marked new.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass
class RememberedTheme:
    """One theme as remembered between runs."""

    id: str
    label: str
    centroid: list[float]
    keywords: list[str] = field(default_factory=list)
    category: str = "emerging"
    size: int = 0
    label_locked: bool = False
    first_run: int = 0
    last_run: int = 0


@dataclass
class ThemeMemory:
    """Theme ids, centroids (unit vectors in the embedding space), human labels, locks, merges."""

    themes: dict[str, RememberedTheme] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    next_id: int = 1
    runs: int = 0
    embedding_model: str = ""
    #: number of themes each root cause was cut into last run: a re-run keeps it while it still
    #: fits the data, so a correction or a few new answers do not reshape every cause
    theme_counts: dict[str, int] = field(default_factory=dict)

    # ---------------------------------------------------------------- curation
    def resolve(self, theme_id: str) -> str:
        """Follow merges to the theme that now stands for ``theme_id``."""
        seen = set()
        while theme_id in self.merges and theme_id not in seen:
            seen.add(theme_id)
            theme_id = self.merges[theme_id]
        return theme_id

    def rename(self, theme_id: str, label: str, lock: bool = True) -> None:
        """Give a theme a human label; ``lock`` keeps it across runs. Raises ``KeyError``."""
        theme = self.themes[self.resolve(theme_id)]
        theme.label = label
        theme.label_locked = lock

    def merge(self, source_id: str, into_id: str) -> None:
        """Merge ``source_id`` into ``into_id`` (kept in later runs). Raises ``KeyError``/``ValueError``."""
        src, dst = self.resolve(source_id), self.resolve(into_id)
        if src == dst:
            raise ValueError("a theme cannot be merged into itself")
        # centroids stay as they are: a later cluster near either one resolves to ``dst``
        self.themes[dst].size += self.themes[src].size
        self.merges[src] = dst

    def active_ids(self) -> list[str]:
        """Ids of themes not merged into another."""
        return [t for t in self.themes if t not in self.merges]

    def centroid_matrix(self, ids: list[str] | None = None) -> np.ndarray:
        """Unit centroids of ``ids`` (default: the active themes), one row each."""
        ids = self.active_ids() if ids is None else ids
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray([self.themes[i].centroid for i in ids], dtype=np.float32)

    # ---------------------------------------------------------------- matching
    def new_id(self) -> str:
        """Allocate a fresh theme id (``T0001`` ...)."""
        tid = f"T{self.next_id:04d}"
        self.next_id += 1
        return tid

    def match(
        self, centroids: np.ndarray, min_similarity: float, category: str | None = None
    ) -> list[tuple[str, bool]]:
        """Map new clusters (unit centroids) to ids: ``(id, is_new)`` per row.

        One-to-one Hungarian matching against every remembered theme (merged ones too, so a
        merged theme's cluster resolves to its target), or only those of ``category`` (themes
        within one root cause); matches below ``min_similarity`` get new ids. Merges are
        resolved, so two clusters may map to the same id.
        """
        from scipy.optimize import linear_sum_assignment

        ids = [i for i, t in self.themes.items() if category is None or t.category == category]
        result: list[tuple[str, bool] | None] = [None] * len(centroids)
        if ids and len(centroids):
            old = self.centroid_matrix(ids)
            if old.shape[1] == centroids.shape[1]:
                sims = centroids @ old.T
                rows, cols = linear_sum_assignment(-sims)
                for r, c in zip(rows, cols, strict=True):
                    if sims[r, c] >= min_similarity:
                        result[r] = (self.resolve(ids[c]), False)
        return [r if r is not None else (self.new_id(), True) for r in result]

    def update(
        self, theme_id: str, label: str, centroid: np.ndarray, keywords: list[str], category: str, size: int
    ) -> str:
        """Record a theme seen in this run; returns the label to show (a locked label wins)."""
        theme = self.themes.get(theme_id)
        if theme is None:
            theme = RememberedTheme(theme_id, label, [], first_run=self.runs)
            self.themes[theme_id] = theme
        if not theme.label_locked:
            theme.label = label
        theme.centroid = [round(float(x), 6) for x in centroid]
        theme.keywords, theme.category, theme.size, theme.last_run = keywords, category, size, self.runs
        return theme.label

    # ---------------------------------------------------------------- persistence
    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "version": 1,
            "next_id": self.next_id,
            "runs": self.runs,
            "embedding_model": self.embedding_model,
            "themes": [asdict(t) for t in self.themes.values()],
            "merges": dict(self.merges),
            "theme_counts": dict(self.theme_counts),
        }

    def to_json(self) -> str:
        """Serialise to a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeMemory:
        """Build from :meth:`to_dict` output."""
        themes = {t["id"]: RememberedTheme(**t) for t in data.get("themes", [])}
        return cls(
            themes,
            dict(data.get("merges", {})),
            int(data.get("next_id", len(themes) + 1)),
            int(data.get("runs", 0)),
            str(data.get("embedding_model", "")),
            {str(k): int(v) for k, v in dict(data.get("theme_counts", {})).items()},
        )

    @classmethod
    def from_json(cls, text: str) -> ThemeMemory:
        """Parse :meth:`to_json` output (empty text gives an empty memory)."""
        return cls.from_dict(json.loads(text)) if text and text.strip() else cls()
