"""The editable root-cause taxonomy and theme -> category matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.yaml")
EMERGING = "emerging"


@dataclass
class Category:
    """One root cause: key, display name, description, example phrases, the template that
    turns a theme's bare noun phrase into a cause ("Missing {}"), cue words, the sub-reasons
    CX teams often name for it (``common_themes``: labels a theme may take, "Charged twice"), and
    the cause put plainly (``plain_label``: "Too expensive", for a theme whose answers share no one
    thing)."""

    key: str
    name: str
    description: str
    examples: list[str] = field(default_factory=list)
    label_template: str = ""
    cues: list[str] = field(default_factory=list)
    common_themes: list[str] = field(default_factory=list)
    plain_label: str = ""


@dataclass
class Taxonomy:
    """The categories, plus the key, name and description used for themes that fit none."""

    categories: list[Category]
    emerging_key: str = EMERGING
    emerging_name: str = "Emerging"
    emerging_description: str = ""

    @property
    def keys(self) -> list[str]:
        """Category keys in file order."""
        return [c.key for c in self.categories]

    def category(self, key: str) -> Category | None:
        """The category with ``key`` (None for ``emerging``, ``non_answer`` or an unknown key)."""
        return next((c for c in self.categories if c.key == key), None)

    cue_patterns: dict[str, re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.cue_patterns = {c.key: p for c in self.categories if (p := cue_pattern(c.cues)) is not None}

    def phrases(self) -> tuple[list[str], list[int]]:
        """All phrases to embed (description + examples) and their category index."""
        texts, owners = [], []
        for i, cat in enumerate(self.categories):
            for text in [cat.description, *cat.examples]:
                texts.append(text)
                owners.append(i)
        return texts, owners


_NUMBER = (
    r"(?:[£$€]?\d+(?:[.,]\d+)?[£$€]?|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple)"
)


def cue_pattern(cues: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a category's cue phrases: whole words, ``*`` ends a
    stem ("crash*" finds "crashes"), ``#`` is a number or an amount ("# times" finds "3 times" and
    "three times", "# less" finds "£310 less")."""
    parts = []
    for cue in cues:
        words = []
        for word in cue.lower().split():
            if word == "#":
                words.append(_NUMBER)
            elif word.endswith("*"):
                words.append(re.escape(word[:-1]) + r"[\w'-]*")
            else:
                words.append(re.escape(word))
        if words:
            parts.append(r"\s+".join(words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])") if parts else None


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read a taxonomy YAML file (default: the packaged ``nlp/taxonomy.yaml``).

    Raises ``ValueError`` with the problem when the file is malformed.
    """
    path = Path(path) if path else DEFAULT_TAXONOMY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise ValueError(f"{path}: not valid YAML{line}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with a 'categories' list")
    cats = data.get("categories")
    if not isinstance(cats, list) or not cats:
        raise ValueError(f"{path}: expected a non-empty 'categories' list")
    out = []
    for i, c in enumerate(cats):
        if not isinstance(c, dict) or not c.get("key"):
            raise ValueError(f"{path}: category #{i + 1} needs a 'key'")
        template = str(c.get("label_template") or "")
        if template and "{}" not in template:
            raise ValueError(
                f"{path}: category {c['key']!r}: label_template needs a '{{}}' for the theme's words"
            )
        common = c.get("common_themes") or []
        if not isinstance(common, list):
            raise ValueError(f"{path}: category {c['key']!r}: common_themes must be a list of labels")
        out.append(
            Category(
                str(c["key"]),
                str(c.get("name") or c["key"]),
                str(c.get("description") or ""),
                [str(e) for e in c.get("examples") or []],
                template,
                [str(q) for q in c.get("cues") or []],
                [str(t) for t in common],
                str(c.get("plain_label") or ""),
            )
        )
    emerging = data.get("emerging") or {}
    return Taxonomy(
        out,
        emerging.get("key", EMERGING),
        str(emerging.get("name") or "Emerging"),
        str(emerging.get("description") or ""),
    )


def category_profile(
    vectors: np.ndarray, phrase_vectors: np.ndarray, owners: list[int], n_categories: int, top: int = 3
) -> np.ndarray:
    """Per text, the mean cosine to its ``top`` closest phrases of each category (n x categories)."""
    sims = vectors @ phrase_vectors.T
    owners_arr = np.asarray(owners)
    prof = np.zeros((len(vectors), n_categories), dtype=np.float32)
    for j in range(n_categories):
        block = np.sort(sims[:, owners_arr == j], axis=1)[:, ::-1][:, :top]
        prof[:, j] = block.mean(axis=1)
    return prof


def guidance_features(
    vectors: np.ndarray, phrase_vectors: np.ndarray, owners: list[int], n_categories: int, weight: float
) -> np.ndarray:
    """Embeddings with the (centred, unit) category profile appended, scaled by ``weight``.

    Pulls answers that give the same root cause together even when they talk about different
    products ("the gym raised its fee" / "my phone plan went up").
    """
    prof = category_profile(vectors, phrase_vectors, owners, n_categories)
    prof = prof - prof.mean(axis=1, keepdims=True)
    prof /= np.clip(np.linalg.norm(prof, axis=1, keepdims=True), 1e-12, None)
    return np.hstack([vectors, weight * prof]).astype(np.float32)


def match_categories(
    centroids: np.ndarray,
    taxonomy: Taxonomy,
    phrase_vectors: np.ndarray,
    owners: list[int],
    min_similarity: float,
    top: int = 3,
) -> list[tuple[str, float]]:
    """Best category for each (unit) centroid: mean of its ``top`` closest phrases per category.

    Returns ``(key, score)`` per centroid; ``emerging`` when the best score is below
    ``min_similarity``.
    """
    if len(centroids) == 0:
        return []
    scores = category_profile(centroids, phrase_vectors, owners, len(taxonomy.categories), top)
    best = scores.argmax(axis=1)
    out = []
    for i, j in enumerate(best):
        s = float(scores[i, j])
        out.append((taxonomy.categories[j].key if s >= min_similarity else taxonomy.emerging_key, s))
    return out
