"""The end-to-end API: texts in, root causes, themes within them, assignments and memory out."""

from __future__ import annotations

import dataclasses
import functools
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .cache import Cache, cached_map
from .causes import CauseCall, apply_corrections, classify_answers
from .classifier import (
    RootCauseClassifier,
    default_cache_dir,
    model_path,
    prune_models,
    training_examples,
    training_key,
)
from .config import PipelineConfig
from .embeddings import embed_texts
from .labels import (
    answer_phrases,
    cause_vocabulary,
    label_banned_names,
    label_check,
    label_for_cause,
    make_label,
    pick_quotes,
    restore_case,
)
from .languages import detect_languages
from .memory import ThemeMemory
from .models import Encoder, load_encoder, load_spacy, load_tagger
from .multilingual import multilingual_head, reroute
from .preprocess import PREPROCESS_VERSION, Prepared, keep_names_tag, prepare_docs
from .results import AnalysisResult, Assignment, RootCauseResult, ThemeResult
from .sentiment import mean_sentiment, sentiment
from .taxonomy import Taxonomy, guidance_features, load_taxonomy, match_categories
from .theming import fit_themes, group_keywords

Progress = Callable[[str, float], None]
STAGES = ("preprocess", "embed", "classify", "themes", "describe")
PREPROCESS_CHUNK = 5000
PHRASES_VERSION = 2  # bump when labels._phrases changes what it extracts


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12, None)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


@functools.lru_cache(maxsize=8)
def _taxonomy_vectors(
    path: str, mtime: float, model: str, device: str, backend: str
) -> tuple[Taxonomy, np.ndarray, list[int]]:
    taxonomy = load_taxonomy(Path(path))
    texts, owners = taxonomy.phrases()
    vectors, _ = embed_texts(texts, load_encoder(model, device, backend))
    return taxonomy, vectors, owners


def current_taxonomy(config: PipelineConfig) -> Taxonomy:
    """The taxonomy named by ``config`` (the packaged one by default)."""
    from .taxonomy import DEFAULT_TAXONOMY

    return load_taxonomy(Path(config.taxonomy_path or DEFAULT_TAXONOMY))


def root_cause_classifier(
    config: PipelineConfig,
    encoder: Encoder,
    cache: Cache | None = None,
    corrections: list[tuple[str, str]] | None = None,
) -> RootCauseClassifier:
    """The root-cause head for this taxonomy, example bank, corrections and encoder.

    Trained on first use (seconds: embedding ~2,600 short texts and two logistic regressions)
    and kept in ``config.model_dir`` under a digest of its training data, so the
    next run loads it and a new correction or an edited bank trains a new one.
    """
    taxonomy = current_taxonomy(config)
    examples = training_examples(taxonomy, config.example_bank, corrections or [])
    settings = (config.classifier_c, config.text_classifier_c, config.text_weight)
    key = training_key(examples, encoder.cache_name, *settings)
    # The base head depends only on shipped data: one per machine. A head that learnt from the
    # installation's corrections stays with that installation's cache, where erasure finds it.
    corrected = bool(corrections)
    if config.model_dir:
        folder = Path(config.model_dir)
    elif corrected and config.cache_dir:
        folder = Path(config.cache_dir)
    else:
        folder = default_cache_dir()
    path = model_path(folder, key, corrected)
    if path.exists():
        try:
            return RootCauseClassifier.load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged file is retrained below
    vectors, _ = embed_texts([e.text for e in examples], encoder, cache, config.batch_size)
    model = RootCauseClassifier.fit(
        vectors,
        [e.text for e in examples],
        [e.category for e in examples],
        np.array([e.weight for e in examples], dtype=np.float32),
        *settings,
    )
    folder.mkdir(parents=True, exist_ok=True)
    model.save(path)
    prune_models(folder)
    return model


def taxonomy_vectors(config: PipelineConfig) -> tuple[Taxonomy, np.ndarray, list[int]]:
    """The taxonomy of ``config`` and its embedded phrases (cached per file version/model)."""
    from .taxonomy import DEFAULT_TAXONOMY

    path = Path(config.taxonomy_path or DEFAULT_TAXONOMY)
    return _taxonomy_vectors(
        str(path), path.stat().st_mtime, config.embedding_model, config.device, config.backend
    )


def preprocess_texts(
    texts: list[str],
    config: PipelineConfig,
    cache: Cache | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[Prepared], int]:
    """Normalise, redact, flag non-answers and segment ``texts`` (cached by text).

    Returns the records and how many texts were actually run through spaCy.
    """
    namespace = (
        f"prep:{config.spacy_model}:{PREPROCESS_VERSION}:{int(config.segment)}:"
        f"{keep_names_tag(config.names_to_keep())}"
    )

    def parse(chunk: list[str], progress: Callable[[float], None] | None = None) -> list[list]:
        done = prepare_docs(
            chunk,
            load_spacy(config.spacy_model),
            segment=config.segment,
            progress=progress,
            keep_names=config.names_to_keep(),
        )
        return [p.to_list() for p in done]

    stored, parsed = cached_map(
        cache, namespace, texts, parse, chunk_size=PREPROCESS_CHUNK, progress=progress
    )
    return [Prepared.from_list(r) for r in stored], parsed


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


def _pool_config(config: PipelineConfig, n: int) -> PipelineConfig:
    """Theme-count bounds for the answers of one root cause: a few specific sub-reasons,
    never more than ``max_themes_per_cause`` nor themes smaller than ``min_theme_size``."""
    upper = max(2, min(config.max_themes_per_cause, n // max(1, config.min_theme_size)))
    return dataclasses.replace(config, min_themes=2, max_themes=upper, taxonomy_guidance=0.0)


def analyze(
    texts: Sequence[str | float | None],
    ids: list[str] | None = None,
    config: PipelineConfig | None = None,
    memory: ThemeMemory | None = None,
    progress: Progress | None = None,
    corrections: list[tuple[str, str]] | None = None,
) -> AnalysisResult:
    """Turn free-text answers into root causes and the themes within each.

    Args:
        texts: the answers (any strings; None/NaN are treated as empty).
        ids: one id per text (default: row numbers ``"0"``, ``"1"`` ...).
        config: :class:`PipelineConfig` (default settings when None).
        memory: a :class:`ThemeMemory` from an earlier run; matched themes keep their ids and
            human labels, merges stay applied. It is updated in place and returned.
        progress: called as ``progress(stage, fraction)`` for the stages ``preprocess``,
            ``embed``, ``classify``, ``themes`` and ``describe``.
        corrections: ``(answer text, root-cause key)`` pairs the CX team decided by hand
            (``non_answer`` allowed); the root-cause head trains on them and answers nearly the
            same as a corrected one follow the correction.

    Returns:
        :class:`AnalysisResult` with one assignment per input text, in input order.
    """
    config = config or PipelineConfig()
    cleaned = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
    ids = [str(i) for i in range(len(cleaned))] if ids is None else [str(i) for i in ids]
    if len(ids) != len(cleaned):
        raise ValueError(f"got {len(cleaned)} texts but {len(ids)} ids")
    memory = memory if memory is not None else ThemeMemory()
    corrections = [(str(t), str(c)) for t, c in (corrections or []) if t and str(t).strip()]

    def report(stage: str) -> Callable[[float], None] | None:
        return (lambda f: progress(stage, float(f))) if progress else None

    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    cache = Cache(config.cache_dir) if config.cache_dir else None
    taxonomy = current_taxonomy(config)
    emerging = taxonomy.emerging_key

    # 1. preprocess (PII redaction happens here, before any other stage sees the text)
    t = time.perf_counter()
    prepared, n_parsed = preprocess_texts(cleaned, config, cache, report("preprocess"))
    languages = detect_languages(cleaned, tuple(config.languages))  # issue 22
    timings["preprocess_s"] = time.perf_counter() - t

    # 2. embed answers and, for multi-reason answers, their segments
    t = time.perf_counter()
    encoder: Encoder = load_encoder(config.embedding_model, config.device, config.backend)
    timings["load_models_s"] = time.perf_counter() - t
    t = time.perf_counter()
    valid = [i for i, p in enumerate(prepared) if not p.is_non_answer and p.text.strip()]
    docs = [prepared[i].text for i in valid]
    seg_owner_list: list[int] = []
    seg_texts: list[str] = []
    for k, i in enumerate(valid):
        if len(prepared[i].segments) > 1:
            seg_texts.extend(prepared[i].segments)
            seg_owner_list.extend([k] * len(prepared[i].segments))
    vectors, n_embedded = embed_texts(docs + seg_texts, encoder, cache, config.batch_size, report("embed"))
    doc_vecs, seg_vecs = vectors[: len(docs)], vectors[len(docs) :]
    seg_owner = np.asarray(seg_owner_list, dtype=int)
    timings["embed_s"] = time.perf_counter() - t

    # 3. classify: each answer's root causes (main first); the head may also find non-answers
    t = time.perf_counter()
    sentiment_of: dict[int, float] = {}  # issue 22: row -> multilingual sentiment
    standin_of: dict[str, str] = {}  # issue 22: answer not in English -> English text for keywords
    if progress:
        progress("classify", 0.0)
    classify = config.classify_root_causes and bool(docs)
    if classify:
        head = root_cause_classifier(config, encoder, cache, corrections)
        calls = classify_answers(
            head.predict_proba(doc_vecs, docs),
            head.predict_proba(seg_vecs, seg_texts),
            seg_owner,
            head.classes,
            config,
            emerging,
            docs,
            taxonomy,
        )
        # >>> issue 22: answers in other languages through the multilingual head (nlp/multilingual.py)
        if config.multilingual_model:
            ml_sentiments, standin_of = reroute(
                functools.partial(multilingual_head, config, encoder, taxonomy, cache, corrections),
                load_encoder(config.multilingual_model),
                docs,
                [languages[i] for i in valid],
                calls,
                doc_vecs,
                config,
                taxonomy,
                cache,
            )
            sentiment_of = {valid[k]: v for k, v in ml_sentiments.items()}
        # <<< issue 22
        if corrections:
            corr_vecs, _ = embed_texts([c[0] for c in corrections], encoder, cache, config.batch_size)
            apply_corrections(
                calls, doc_vecs, corr_vecs, [c[1] for c in corrections], config.correction_similarity
            )
        keep = [k for k, call in enumerate(calls) if not call.non_answer]
        if len(keep) < len(calls):
            renumber = {old: new for new, old in enumerate(keep)}
            valid, docs, doc_vecs = [valid[k] for k in keep], [docs[k] for k in keep], doc_vecs[keep]
            calls = [calls[k] for k in keep]
            seg_owner = np.array([renumber.get(int(o), -1) for o in seg_owner], dtype=int)
    else:
        calls = [CauseCall("", [""], 1.0) for _ in docs]
    timings["classify_s"] = time.perf_counter() - t
    if progress:
        progress("classify", 1.0)

    # 4. themes: within each root cause (or over all answers when classification is off)
    t = time.perf_counter()
    if progress:
        progress("themes", 0.0)
    pools: dict[str, list[int]] = {}
    theme_docs = [standin_of.get(d, d) for d in docs]  # issue 22: keywords from English stand-ins
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
                    [[theme_docs[k] for k in pools[key]] for key in sorted(pools)], config.n_keywords
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
            fitted = fit_themes([theme_docs[k] for k in members], features, pool_config)
            labels, pool_keywords = fitted.labels, fitted.keywords
            sweep.extend(fitted.clusterer.sweep_)
        cluster_of[members] = labels + len(cluster_pool)
        n_here = int(labels.max()) + 1 if len(labels) else 0
        cluster_pool.extend([key] * n_here)
        cluster_keywords.extend(list(pool_keywords) + [[] for _ in range(n_here - len(pool_keywords))])
        if progress:
            progress("themes", sum(len(pools[k]) for k in pools if k <= key) / len(docs))
    n_clusters = len(cluster_pool)
    dim = doc_vecs.shape[1] if doc_vecs.size else encoder.dim
    cluster_centroids = (
        _unit(np.stack([doc_vecs[cluster_of == c].mean(0) for c in range(n_clusters)]))
        if n_clusters
        else np.zeros((0, dim), np.float32)
    )
    memory.runs += 1
    memory.embedding_model = memory.embedding_model or encoder.name
    matched: list[tuple[str, bool]] = [("", False)] * n_clusters
    for key in dict.fromkeys(cluster_pool):
        rows = [c for c in range(n_clusters) if cluster_pool[c] == key]
        found = memory.match(
            cluster_centroids[rows], config.memory_match_similarity, category=key if classify else None
        )
        for c, m in zip(rows, found, strict=True):
            matched[c] = m
    theme_ids = list(dict.fromkeys(tid for tid, _ in matched))  # merged clusters share an id
    is_new = {tid: new for tid, new in matched}
    cluster_to_theme = np.array([theme_ids.index(tid) for tid, _ in matched], dtype=int)
    main = cluster_to_theme[cluster_of] if len(cluster_of) else cluster_of
    n_themes = len(theme_ids)
    # a theme that clusters from several causes resolved to (a human merge across causes) keeps
    # the cause it had: the merge target's
    theme_pool = []
    for j, tid in enumerate(theme_ids):
        pools_here = [cluster_pool[c] for c in np.flatnonzero(cluster_to_theme == j)]
        remembered = memory.themes[tid].category if tid in memory.themes else None
        theme_pool.append(remembered if remembered in pools_here else pools_here[0])
    centroids = (
        _unit(np.stack([doc_vecs[main == j].mean(0) for j in range(n_themes)]))
        if n_themes
        else cluster_centroids
    )
    timings["themes_s"] = time.perf_counter() - t
    if progress:
        progress("themes", 1.0)

    # 5. describe: secondary themes, keywords, quotes, labels, categories, sentiment
    t = time.perf_counter()
    counts_toward: list[list[int]] = [[int(main[k])] for k in range(len(valid))]
    if classify:
        for k, call in enumerate(calls):
            for cause in call.causes[1:]:
                options = [j for j in range(n_themes) if theme_pool[j] == cause]
                if not options:
                    continue
                vec = seg_vecs[call.segment_of[cause]] if cause in call.segment_of else doc_vecs[k]
                best = options[int(np.argmax(centroids[options] @ vec))]
                if best not in counts_toward[k]:
                    counts_toward[k].append(best)
    elif len(seg_owner):
        for k in np.unique(seg_owner[seg_owner >= 0]):
            extra = secondary_themes(
                int(main[k]), seg_vecs[seg_owner == k], centroids, config.secondary_min_similarity
            )
            counts_toward[k].extend(extra)
    scored = [p.text for p in prepared if not p.is_non_answer]
    scores, _ = cached_map(cache, "sentiment:vader:2", scored, lambda todo: [sentiment(t) for t in todo])
    by_text = dict(zip(scored, scores, strict=False))
    answered = set(valid)
    sentiments = [by_text[p.text] if row in answered else 0.0 for row, p in enumerate(prepared)]
    # >>> issue 22: VADER is English-only; other languages get the multilingual head's score, or 0.0
    for row, lang in enumerate(languages):
        if row in answered and lang not in ("en", "und"):
            sentiments[row] = round(sentiment_of[row], 4) if row in sentiment_of else 0.0
    # <<< issue 22
    language_of = {p.text: languages[row] for row, p in enumerate(prepared)}  # issue 22
    themes: list[ThemeResult] = []
    if n_themes:
        if classify:
            categories = [
                (pool, float(np.mean([calls[k].probability for k in np.flatnonzero(main == j)])))
                for j, pool in enumerate(theme_pool)
            ]
        else:
            _, phrase_vecs, owners = taxonomy_vectors(config)
            categories = match_categories(
                centroids, taxonomy, phrase_vecs, owners, config.category_min_similarity
            )
        quotes_by_theme, label_texts = [], []
        for j in range(n_themes):
            members = np.flatnonzero(main == j)
            if classify:  # quotes and label from the answers of the theme's own cause
                own = np.array([k for k in members if calls[k].main == theme_pool[j]], dtype=int)
                members = own if len(own) else members
            quotes_by_theme.append(
                pick_quotes([docs[m] for m in members], doc_vecs[members], centroids[j], config.n_quotes)
            )
            # label phrases come from the answers nearest the centroid, not only the quotes
            nearest = members[np.argsort(-(doc_vecs[members] @ centroids[j]))[: config.label_sample]]
            candidates = list(dict.fromkeys(quotes_by_theme[j] + [docs[m] for m in nearest]))
            english = [c for c in candidates if language_of.get(c, "en") in ("en", "und")]  # issue 22
            label_texts.append(english or candidates)
        flat = [t for texts_j in label_texts for t in texts_j]
        phrases, _ = cached_map(
            cache,
            f"phrases:{config.spacy_model}:{PHRASES_VERSION}",
            flat,
            lambda todo: answer_phrases(todo, load_tagger(config.spacy_model)),
        )
        pos = 0
        for j, tid in enumerate(theme_ids):
            kws: dict[str, float] = {}
            for cluster in np.flatnonzero(cluster_to_theme == j):
                for w, s in cluster_keywords[cluster] if cluster < len(cluster_keywords) else []:
                    kws[w] = max(kws.get(w, 0.0), s)
            keywords = sorted(kws.items(), key=lambda x: -x[1])[: config.n_keywords]
            vocabulary, accept = None, None
            if classify:
                vocabulary = cause_vocabulary(taxonomy, theme_pool[j])
                banned = label_banned_names(config, theme_pool[j], label_texts[j])
                accept = functools.partial(
                    label_check,
                    category=theme_pool[j],
                    taxonomy=taxonomy,
                    tagger=load_tagger(config.spacy_model),
                    banned_names=banned,
                )
            label = make_label(phrases[pos : pos + len(label_texts[j])], keywords, vocabulary, accept)
            if accept is not None:
                label = label_for_cause(
                    label, keywords, taxonomy, theme_pool[j], accept, banned, load_tagger(config.spacy_model)
                )
            label = restore_case(label, label_texts[j])
            pos += len(label_texts[j])
            member_rows = [valid[k] for k in range(len(valid)) if j in counts_toward[k]]
            shown = memory.update(
                tid, label, centroids[j], [w for w, _ in keywords], categories[j][0], len(member_rows)
            )
            themes.append(
                ThemeResult(
                    id=tid,
                    label=shown,
                    keywords=[w for w, _ in keywords],
                    category=categories[j][0],
                    size=len(member_rows),
                    quotes=quotes_by_theme[j],
                    sentiment=mean_sentiment([sentiments[r] for r in member_rows]),
                    is_new=bool(is_new[tid]),
                    main_size=int((main == j).sum()),
                    category_score=round(categories[j][1], 4),
                    parent=categories[j][0],
                    quote_languages=[language_of.get(q, "en") for q in quotes_by_theme[j]],
                )
            )
    category_of = {th.id: th.category for th in themes}
    assignments: list[Assignment] = []
    pos_of = {row: k for k, row in enumerate(valid)}
    for row, (rid, p) in enumerate(zip(ids, prepared, strict=True)):
        if row not in pos_of:
            assignments.append(
                Assignment(rid, None, [], 0.0, p.text, True, sentiments[row], language=languages[row])
            )
            continue
        k = pos_of[row]
        tids = [theme_ids[j] for j in counts_toward[k]]
        if classify:
            conf = calls[k].probability
            causes = list(calls[k].causes)
        else:
            conf = float(np.clip(doc_vecs[k] @ centroids[main[k]], 0.0, 1.0))
            causes = list(dict.fromkeys(category_of[tid] for tid in tids))
        assignments.append(
            Assignment(
                rid,
                tids[0],
                tids,
                round(conf, 4),
                p.text,
                False,
                sentiments[row],
                root_cause=causes[0],
                root_causes=causes,
                language=languages[row],
            )
        )
    themes.sort(key=lambda th: (-th.size, th.id))
    root_causes = summarise_root_causes(taxonomy, themes, assignments)
    timings["describe_s"] = time.perf_counter() - t
    if progress:
        progress("describe", 1.0)
    timings["total_s"] = time.perf_counter() - t_all
    if cache is not None:
        cache.close()
    run = {
        "n_texts": len(cleaned),
        "n_non_answers": len(cleaned) - len(valid),
        "n_themes": len(themes),
        "n_root_causes": len(root_causes),
        "n_clusters": n_clusters,
        "n_segments": len(seg_texts),
        "texts_parsed": n_parsed,
        "texts_embedded": n_embedded,
        "embedding_backend": encoder.backend,
        "n_corrections": len(corrections),
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "silhouette_sweep": [[int(k), round(s, 4)] for k, s in sweep],
        "peak_memory_mb": peak_memory_mb(),
        "settings": config.to_dict(),
    }
    return AnalysisResult(themes, assignments, memory, run, root_causes)


def summarise_root_causes(
    taxonomy: Taxonomy, themes: list[ThemeResult], assignments: list[Assignment]
) -> list[RootCauseResult]:
    """One entry per root cause that some answer counts toward, largest first: answers that
    count toward it (main or secondary), answers whose main cause it is, share of answered
    answers, and its themes (largest first)."""
    names = {c.key: c.name for c in taxonomy.categories}
    names[taxonomy.emerging_key] = "Emerging"
    answered = [a for a in assignments if not a.is_non_answer]
    out: list[RootCauseResult] = []
    order = [c.key for c in taxonomy.categories] + [taxonomy.emerging_key]
    for key in order:
        size = sum(1 for a in answered if key in a.root_causes)
        if not size:
            continue
        main_size = sum(1 for a in answered if a.root_cause == key)
        out.append(
            RootCauseResult(
                key=key,
                name=names.get(key, key),
                size=size,
                main_size=main_size,
                share=round(size / len(answered), 4),
                theme_ids=[t.id for t in themes if t.category == key],
            )
        )
    out.sort(key=lambda r: (-r.size, order.index(r.key)))
    return out
