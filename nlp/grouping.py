"""Themes within each root cause: cluster each cause's answers, match them to remembered themes,
and find every theme an answer counts toward."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .causes import CauseCall
from .config import PipelineConfig
from .heads import taxonomy_vectors
from .memory import ThemeMemory
from .taxonomy import Taxonomy, guidance_features
from .theming import KEYWORD_POOL, fit_themes, group_keywords


def unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    return x / np.clip(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12, None)


@dataclass
class ThemeGroups:
    """The themes of a run: per answer its main theme (``main``, an index into ``theme_ids``),
    per theme its root cause (``theme_pool``) and centroid, and the clusters behind each theme
    (two clusters share a theme when a person merged them)."""

    theme_ids: list[str]
    is_new: dict[str, bool]
    main: np.ndarray
    theme_pool: list[str]
    centroids: np.ndarray
    cluster_to_theme: np.ndarray
    cluster_keywords: list[list[tuple[str, float]]]
    n_clusters: int
    sweep: list[tuple[int, float]]


def _pool_config(config: PipelineConfig, n: int) -> PipelineConfig:
    """Theme-count bounds for the answers of one root cause: a few specific sub-reasons,
    never more than ``max_themes_per_cause`` nor themes smaller than ``min_theme_size``."""
    upper = max(2, min(config.max_themes_per_cause, n // max(1, config.min_theme_size)))
    return dataclasses.replace(config, min_themes=2, max_themes=upper, taxonomy_guidance=0.0)


def find_themes(
    docs: list[str],
    doc_vecs: np.ndarray,
    calls: list[CauseCall],
    config: PipelineConfig,
    taxonomy: Taxonomy,
    memory: ThemeMemory,
    classify: bool,
    dim: int,
    progress: Callable[[float], None] | None = None,
) -> ThemeGroups:
    """Cluster the answers of each main cause (all answers in one pool when ``classify`` is off,
    taxonomy-guided), then match the clusters to ``memory`` (updated in place)."""
    pools: dict[str, list[int]] = {}
    for k, call in enumerate(calls):
        pools.setdefault(call.main, []).append(k)
    cluster_of = np.zeros(len(docs), dtype=int)
    cluster_pool: list[str] = []
    cluster_keywords: list[list[tuple[str, float]]] = []
    sweep: list[tuple[int, float]] = []
    # a small root cause stays one theme; its keywords weigh its words against the other causes'
    single = {
        key
        for key in pools
        if classify and len(pools[key]) < max(2 * config.min_theme_size, config.min_answers_to_split)
    }
    by_pool = (
        dict(
            zip(
                sorted(pools),
                group_keywords(
                    [[docs[k] for k in pools[key]] for key in sorted(pools)], config.n_keywords * KEYWORD_POOL
                ),
                strict=True,
            )
        )
        if single
        else {}
    )
    single_keywords = {key: by_pool[key] for key in single}
    for key in sorted(pools):
        members = np.asarray(pools[key], dtype=int)
        features = doc_vecs[members]
        pool_config = _pool_config(config, len(members)) if classify else config
        if not classify and config.taxonomy_guidance > 0:
            _, phrase_vecs, owners = taxonomy_vectors(config)
            features = guidance_features(
                features, phrase_vecs, owners, len(taxonomy.categories), config.taxonomy_guidance
            )
        if key in single_keywords:
            labels, pool_keywords = np.zeros(len(members), dtype=int), [single_keywords[key]]
        else:
            fitted = fit_themes(
                [docs[k] for k in members], features, pool_config, memory.theme_counts.get(key, 0)
            )
            memory.theme_counts[key] = fitted.clusterer.chosen_clusters_
            labels, pool_keywords = fitted.labels, fitted.keywords
            sweep.extend(fitted.clusterer.sweep_)
        cluster_of[members] = labels + len(cluster_pool)
        n_here = int(labels.max()) + 1 if len(labels) else 0
        cluster_pool.extend([key] * n_here)
        cluster_keywords.extend(list(pool_keywords) + [[] for _ in range(n_here - len(pool_keywords))])
        if progress:
            progress(sum(len(pools[k]) for k in pools if k <= key) / len(docs))
    n_clusters = len(cluster_pool)
    cluster_centroids = (
        unit(np.stack([doc_vecs[cluster_of == c].mean(0) for c in range(n_clusters)]))
        if n_clusters
        else np.zeros((0, dim), np.float32)
    )
    matched: list[tuple[str, bool]] = [("", False)] * n_clusters
    for key in dict.fromkeys(cluster_pool):
        rows = [c for c in range(n_clusters) if cluster_pool[c] == key]
        found = memory.match(
            cluster_centroids[rows], config.memory_match_similarity, category=key if classify else None
        )
        for c, m in zip(rows, found, strict=True):
            matched[c] = m
    theme_ids = list(dict.fromkeys(tid for tid, _ in matched))  # merged clusters share an id
    cluster_to_theme = np.array([theme_ids.index(tid) for tid, _ in matched], dtype=int)
    main = cluster_to_theme[cluster_of] if len(cluster_of) else cluster_of
    # a theme that clusters from several causes resolved to (a human merge across causes) keeps
    # the cause it had: the merge target's
    theme_pool = []
    for j, tid in enumerate(theme_ids):
        pools_here = [cluster_pool[c] for c in np.flatnonzero(cluster_to_theme == j)]
        remembered = memory.themes[tid].category if tid in memory.themes else None
        theme_pool.append(remembered if remembered in pools_here else pools_here[0])
    centroids = (
        unit(np.stack([doc_vecs[main == j].mean(0) for j in range(len(theme_ids))]))
        if theme_ids
        else cluster_centroids
    )
    return ThemeGroups(
        theme_ids,
        {tid: new for tid, new in matched},
        main,
        theme_pool,
        centroids,
        cluster_to_theme,
        cluster_keywords,
        n_clusters,
        sweep,
    )


def secondary_themes(
    main: int, segment_vectors: np.ndarray, centroids: np.ndarray, min_similarity: float
) -> list[int]:
    """Themes (indices) other than ``main`` that some segment of a multi-reason answer is
    clearly about: its nearest centroid, at least ``min_similarity`` close, and closer to
    that theme than to the main one by a margin."""
    extra: list[int] = []
    if len(segment_vectors) < 2 or len(centroids) < 2:
        return extra
    sims = segment_vectors @ centroids.T
    for row in sims:
        best = int(row.argmax())
        if (
            best != main
            and best not in extra
            and row[best] >= min_similarity
            and row[best] - row[main] >= 0.05
        ):
            extra.append(best)
    return extra


def themes_counted(
    groups: ThemeGroups,
    calls: list[CauseCall],
    doc_vecs: np.ndarray,
    seg_vecs: np.ndarray,
    seg_owner: np.ndarray,
    config: PipelineConfig,
    classify: bool,
) -> list[list[int]]:
    """Per answer, every theme (index) it counts toward, main first: for each extra root cause
    the nearest of that cause's themes to the segment that gave it (or to the whole answer);
    without classification, the themes its segments are clearly about."""
    counts_toward: list[list[int]] = [[int(m)] for m in groups.main]
    if classify:
        for k, call in enumerate(calls):
            for cause in call.causes[1:]:
                options = [j for j, pool in enumerate(groups.theme_pool) if pool == cause]
                if not options:
                    continue
                vec = seg_vecs[call.segment_of[cause]] if cause in call.segment_of else doc_vecs[k]
                best = options[int(np.argmax(groups.centroids[options] @ vec))]
                if best not in counts_toward[k]:
                    counts_toward[k].append(best)
    elif len(seg_owner):
        for k in np.unique(seg_owner[seg_owner >= 0]):
            extra = secondary_themes(
                int(groups.main[k]),
                seg_vecs[seg_owner == k],
                groups.centroids,
                config.secondary_min_similarity,
            )
            counts_toward[k].extend(extra)
    return counts_toward
