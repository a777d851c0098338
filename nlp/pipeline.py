"""The end-to-end API: texts in, themes/assignments/memory out."""
from __future__ import annotations

import functools
import resource
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

from .cache import Cache, cached_map
from .config import PipelineConfig
from .embeddings import embed_texts
from .labels import answer_phrases, make_label, pick_quotes
from .memory import ThemeMemory
from .models import Encoder, load_encoder, load_spacy, load_tagger
from .preprocess import PREPROCESS_VERSION, Prepared, prepare_docs
from .results import AnalysisResult, Assignment, ThemeResult
from .sentiment import mean_sentiment, sentiment
from .taxonomy import Taxonomy, guidance_features, load_taxonomy, match_categories
from .theming import fit_themes

Progress = Callable[[str, float], None]
STAGES = ("preprocess", "embed", "themes", "describe")
PREPROCESS_CHUNK = 5000
PHRASES_VERSION = 1     # bump when labels._phrases changes what it extracts


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12, None)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


@functools.lru_cache(maxsize=8)
def _taxonomy_vectors(path: str, mtime: float, model: str, device: str, backend: str
                      ) -> tuple[Taxonomy, np.ndarray, list[int]]:
    taxonomy = load_taxonomy(Path(path))
    texts, owners = taxonomy.phrases()
    vectors, _ = embed_texts(texts, load_encoder(model, device, backend))
    return taxonomy, vectors, owners


def taxonomy_vectors(config: PipelineConfig) -> tuple[Taxonomy, np.ndarray, list[int]]:
    """The taxonomy of ``config`` and its embedded phrases (cached per file version/model)."""
    from .taxonomy import DEFAULT_TAXONOMY

    path = Path(config.taxonomy_path or DEFAULT_TAXONOMY)
    return _taxonomy_vectors(str(path), path.stat().st_mtime, config.embedding_model, config.device,
                             config.backend)


def preprocess_texts(texts: list[str], config: PipelineConfig, cache: Cache | None = None,
                     progress: Callable[[float], None] | None = None) -> tuple[list[Prepared], int]:
    """Normalise, redact, flag non-answers and segment ``texts`` (cached by text).

    Returns the records and how many texts were actually run through spaCy.
    """
    namespace = f"prep:{config.spacy_model}:{PREPROCESS_VERSION}:{int(config.segment)}"

    def parse(chunk: list[str], progress: Callable[[float], None] | None = None) -> list[list]:
        done = prepare_docs(chunk, load_spacy(config.spacy_model), segment=config.segment, progress=progress)
        return [p.to_list() for p in done]

    stored, parsed = cached_map(cache, namespace, texts, parse, chunk_size=PREPROCESS_CHUNK, progress=progress)
    return [Prepared.from_list(r) for r in stored], parsed


def secondary_themes(main: int, segment_vectors: np.ndarray, centroids: np.ndarray,
                     min_similarity: float) -> list[int]:
    """Themes (indices) other than ``main`` that some segment of a multi-reason answer is
    clearly about: its nearest centroid, at least ``min_similarity`` close, and closer to
    that theme than to the main one by a margin."""
    extra: list[int] = []
    if len(segment_vectors) < 2 or len(centroids) < 2:
        return extra
    sims = segment_vectors @ centroids.T
    for row in sims:
        best = int(row.argmax())
        if best != main and best not in extra and row[best] >= min_similarity and row[best] - row[main] >= 0.05:
            extra.append(best)
    return extra


def analyze(texts: list[str], ids: list[str] | None = None, config: PipelineConfig | None = None,
            memory: ThemeMemory | None = None, progress: Progress | None = None) -> AnalysisResult:
    """Turn free-text answers into root-cause themes.

    Args:
        texts: the answers (any strings; None/NaN are treated as empty).
        ids: one id per text (default: row numbers ``"0"``, ``"1"`` ...).
        config: :class:`PipelineConfig` (default settings when None).
        memory: a :class:`ThemeMemory` from an earlier run; matched themes keep their ids and
            human labels, merges stay applied. It is updated in place and returned.
        progress: called as ``progress(stage, fraction)`` for the stages ``preprocess``,
            ``embed``, ``themes`` and ``describe``.

    Returns:
        :class:`AnalysisResult` with one assignment per input text, in input order.
    """
    config = config or PipelineConfig()
    texts = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
    ids = [str(i) for i in range(len(texts))] if ids is None else [str(i) for i in ids]
    if len(ids) != len(texts):
        raise ValueError(f"got {len(texts)} texts but {len(ids)} ids")
    memory = memory if memory is not None else ThemeMemory()

    def report(stage: str) -> Callable[[float], None] | None:
        return (lambda f: progress(stage, float(f))) if progress else None

    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    cache = Cache(config.cache_dir) if config.cache_dir else None

    # 1. preprocess (PII redaction happens here, before any other stage sees the text)
    t = time.perf_counter()
    prepared, n_parsed = preprocess_texts(texts, config, cache, report("preprocess"))
    timings["preprocess_s"] = time.perf_counter() - t

    # 2. embed answers and, for multi-reason answers, their segments
    t = time.perf_counter()
    encoder: Encoder = load_encoder(config.embedding_model, config.device, config.backend)
    timings["load_models_s"] = time.perf_counter() - t
    t = time.perf_counter()
    valid = [i for i, p in enumerate(prepared) if not p.is_non_answer and p.text.strip()]
    docs = [prepared[i].text for i in valid]
    seg_owner: list[int] = []
    seg_texts: list[str] = []
    for k, i in enumerate(valid):
        if len(prepared[i].segments) > 1:
            seg_texts.extend(prepared[i].segments)
            seg_owner.extend([k] * len(prepared[i].segments))
    vectors, n_embedded = embed_texts(docs + seg_texts, encoder, cache, config.batch_size, report("embed"))
    doc_vecs, seg_vecs = vectors[:len(docs)], vectors[len(docs):]
    timings["embed_s"] = time.perf_counter() - t

    # 3. themes
    t = time.perf_counter()
    if progress:
        progress("themes", 0.0)
    if docs:
        features = doc_vecs
        if config.taxonomy_guidance > 0:
            taxonomy, phrase_vecs, owners = taxonomy_vectors(config)
            features = guidance_features(doc_vecs, phrase_vecs, owners, len(taxonomy.categories),
                                         config.taxonomy_guidance)
        fitted = fit_themes(docs, features, config)
        labels, cluster_keywords = fitted.labels, fitted.keywords
        n_clusters = int(labels.max()) + 1
        sweep = fitted.clusterer.sweep_
    else:
        labels, cluster_keywords, n_clusters, sweep = np.zeros(0, int), [], 0, []
    cluster_centroids = _unit(np.stack([doc_vecs[labels == c].mean(0) for c in range(n_clusters)])) \
        if n_clusters else np.zeros((0, doc_vecs.shape[1] if doc_vecs.size else 0), np.float32)
    memory.runs += 1
    memory.embedding_model = memory.embedding_model or encoder.name
    matched = memory.match(cluster_centroids, config.memory_match_similarity)
    theme_ids = list(dict.fromkeys(tid for tid, _ in matched))     # merged clusters share an id
    is_new = {tid: new for tid, new in matched}
    cluster_to_theme = np.array([theme_ids.index(tid) for tid, _ in matched], dtype=int)
    main = cluster_to_theme[labels] if len(labels) else labels
    n_themes = len(theme_ids)
    centroids = _unit(np.stack([doc_vecs[main == j].mean(0) for j in range(n_themes)])) if n_themes \
        else cluster_centroids
    timings["themes_s"] = time.perf_counter() - t
    if progress:
        progress("themes", 1.0)

    # 4. describe: secondary themes, keywords, quotes, labels, categories, sentiment
    t = time.perf_counter()
    counts_toward: list[list[int]] = [[int(main[k])] for k in range(len(valid))]
    if seg_owner:
        owner = np.asarray(seg_owner)
        for k in np.unique(owner):
            extra = secondary_themes(int(main[k]), seg_vecs[owner == k], centroids, config.secondary_min_similarity)
            counts_toward[k].extend(extra)
    scored = [p.text for p in prepared if not p.is_non_answer]
    scores, _ = cached_map(cache, "sentiment:vader:1", scored, lambda todo: [sentiment(t) for t in todo])
    by_text = dict(zip(scored, scores))
    sentiments = [by_text[p.text] if not p.is_non_answer else 0.0 for p in prepared]
    themes: list[ThemeResult] = []
    if n_themes:
        taxonomy, phrase_vecs, owners = taxonomy_vectors(config)
        categories = match_categories(centroids, taxonomy, phrase_vecs, owners, config.category_min_similarity)
        quotes_by_theme, label_texts = [], []
        for j in range(n_themes):
            members = np.flatnonzero(main == j)
            quotes_by_theme.append(pick_quotes([docs[m] for m in members], doc_vecs[members], centroids[j],
                                               config.n_quotes))
            # label phrases come from the answers nearest the centroid, not only the quotes
            nearest = members[np.argsort(-(doc_vecs[members] @ centroids[j]))[:config.label_sample]]
            label_texts.append(list(dict.fromkeys(quotes_by_theme[j] + [docs[m] for m in nearest])))
        flat = [t for texts_j in label_texts for t in texts_j]
        phrases, _ = cached_map(cache, f"phrases:{config.spacy_model}:{PHRASES_VERSION}", flat,
                                lambda todo: answer_phrases(todo, load_tagger(config.spacy_model)))
        pos = 0
        for j, tid in enumerate(theme_ids):
            kws: dict[str, float] = {}
            for c in np.flatnonzero(cluster_to_theme == j):
                for w, s in cluster_keywords[c] if c < len(cluster_keywords) else []:
                    kws[w] = max(kws.get(w, 0.0), s)
            keywords = sorted(kws.items(), key=lambda x: -x[1])[:config.n_keywords]
            label = make_label(phrases[pos:pos + len(label_texts[j])], keywords)
            pos += len(label_texts[j])
            member_rows = [valid[k] for k in range(len(valid)) if j in counts_toward[k]]
            shown = memory.update(tid, label, centroids[j], [w for w, _ in keywords], categories[j][0],
                                  len(member_rows))
            themes.append(ThemeResult(
                id=tid, label=shown, keywords=[w for w, _ in keywords], category=categories[j][0],
                size=len(member_rows), quotes=quotes_by_theme[j],
                sentiment=mean_sentiment([sentiments[r] for r in member_rows]),
                is_new=bool(is_new[tid]), main_size=int((main == j).sum()),
                category_score=round(categories[j][1], 4)))
    assignments: list[Assignment] = []
    pos_of = {row: k for k, row in enumerate(valid)}
    for row, (rid, p) in enumerate(zip(ids, prepared)):
        k = pos_of.get(row)
        if k is None:
            assignments.append(Assignment(rid, None, [], 0.0, p.text, True, sentiments[row]))
            continue
        tids = [theme_ids[j] for j in counts_toward[k]]
        conf = float(np.clip(doc_vecs[k] @ centroids[main[k]], 0.0, 1.0))
        assignments.append(Assignment(rid, tids[0], tids, round(conf, 4), p.text, False, sentiments[row]))
    themes.sort(key=lambda th: (-th.size, th.id))
    timings["describe_s"] = time.perf_counter() - t
    if progress:
        progress("describe", 1.0)
    timings["total_s"] = time.perf_counter() - t_all
    if cache is not None:
        cache.close()
    run = {
        "n_texts": len(texts), "n_non_answers": len(texts) - len(valid), "n_themes": len(themes),
        "n_clusters": n_clusters, "n_segments": len(seg_texts), "texts_parsed": n_parsed,
        "texts_embedded": n_embedded, "embedding_backend": encoder.backend,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "silhouette_sweep": [[int(k), round(s, 4)] for k, s in sweep],
        "peak_memory_mb": peak_memory_mb(), "settings": config.to_dict(),
    }
    return AnalysisResult(themes, assignments, memory, run)
