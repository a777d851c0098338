"""The end-to-end API: texts in, root causes, themes within them, assignments and memory out.

The stages live in their own modules: :mod:`nlp.prepare` (preprocessing, segments),
:mod:`nlp.heads` (taxonomy and root-cause head), :mod:`nlp.causes` (each answer's causes),
:mod:`nlp.grouping` (themes within causes) and :mod:`nlp.describe` (labels, assignments).
"""

from __future__ import annotations

import functools
import resource
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from .cache import Cache
from .causes import CauseCall, apply_corrections, classify_answers, clauses_that_can_add
from .config import PipelineConfig
from .deciding_reason import deciding_text
from .describe import answer_sentiments, build_assignments, describe_themes, summarise_root_causes
from .embeddings import ClockedEncoder, embed_texts
from .first_cause import first_segments
from .grouping import find_themes, secondary_themes, themes_counted
from .heads import current_taxonomy, head_probabilities, root_cause_classifier, taxonomy_vectors
from .languages import detect_languages
from .letter_reasons import head_predictor, reasons_in_letters
from .memory import ThemeMemory
from .models import Encoder, load_encoder
from .multilingual import Rerouted, multilingual_head, other_language_rows, reroute
from .parallel import cpu_seconds, in_halves
from .prepare import answer_clauses, answer_segments, preprocess_texts
from .reply_body import reply_body
from .results import AnalysisResult
from .shared_themes import join_themes

__all__ = [
    "analyze",
    "current_taxonomy",
    "peak_memory_mb",
    "preprocess_texts",
    "root_cause_classifier",
    "secondary_themes",
    "summarise_root_causes",
    "taxonomy_vectors",
]

#: ``progress(stage, fraction done)``; the stages, in order: preprocess, embed, classify, themes, describe.
Progress = Callable[[str, float], None]
#: BLAS threads while a run lasts (ONNX Runtime and torch keep their own pools for embedding).
#: The matrices after embedding are small (384 or 50 columns), where a second thread saves
#: little on idle cores and, on a busy machine, OpenBLAS threads waiting for a descheduled
#: partner burn CPU: the PCA fits of a 10,000-answer run took 6.8 s CPU and 19 s wall with
#: two threads at load 8.5, 0.3 s and 0.9 s with one (bench/README.md).
BLAS_THREADS = 1


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


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
    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        return _analyze(texts, ids, config, memory, progress, corrections)


def _analyze(
    texts: Sequence[str | float | None],
    ids: list[str] | None,
    config: PipelineConfig | None,
    memory: ThemeMemory | None,
    progress: Progress | None,
    corrections: list[tuple[str, str]] | None,
) -> AnalysisResult:
    """:func:`analyze` under the thread limit."""
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
    cpu: dict[str, float] = {}  # CPU seconds per stage (all threads, forked halves too), same boundaries
    t_all, c_all = time.perf_counter(), cpu_seconds()
    cache = Cache(config.cache_dir) if config.cache_dir else None
    taxonomy = current_taxonomy(config)

    # 1. preprocess (PII redaction happens here, before any other stage sees the text)
    t, c = time.perf_counter(), cpu_seconds()
    prepared, n_parsed = preprocess_texts(cleaned, config, cache, report("preprocess"))
    languages = detect_languages(cleaned, tuple(config.languages))
    timings["preprocess_s"], cpu["preprocess_s"] = time.perf_counter() - t, cpu_seconds() - c

    # 2. embed answers (and, for the flat pipeline, the segments of multi-reason answers)
    t, c = time.perf_counter(), cpu_seconds()
    encoder: Encoder = load_encoder(config.embedding_model, config.device, config.backend)
    timings["load_models_s"], cpu["load_models_s"] = time.perf_counter() - t, cpu_seconds() - c
    t, c = time.perf_counter(), cpu_seconds()
    valid = [i for i, p in enumerate(prepared) if not p.is_non_answer and p.text.strip()]
    docs = [reply_body(prepared[i].text) for i in valid]  # an e-mail reply: its body only
    classify = config.classify_root_causes and bool(docs)
    seg_owner_list: list[int] = []
    seg_texts: list[str] = []
    complaints: list[str] = []  # per answer, its text less praise in passing (for cue words)
    for k, i in enumerate(valid):
        clauses = answer_clauses(prepared[i], config) if classify else None
        segments = answer_segments(prepared[i], config, clauses)
        complaints.append(". ".join(clauses or []))
        seg_texts.extend(segments)
        seg_owner_list.extend([k] * len(segments))
    seg_owner = np.asarray(seg_owner_list, dtype=int)
    to_embed = docs if classify else docs + seg_texts
    vectors, n_embedded = embed_texts(to_embed, encoder, cache, config.batch_size, report("embed"))
    doc_vecs, seg_vecs = vectors[: len(docs)], vectors[len(docs) :]
    timings["embed_s"], cpu["embed_s"] = time.perf_counter() - t, cpu_seconds() - c

    # 3. classify: each answer's root causes (main first); the head may also find non-answers.
    # The texts this stage embeds (clauses, letters' clauses, answers in other languages with
    # USE, whose model loads on its first use) go through clocked encoders: that time is
    # embedding and is counted in embed_s, the rest in classify_s.
    t, c = time.perf_counter(), cpu_seconds()
    if progress:
        progress("classify", 0.0)
    clocked = [ClockedEncoder(encoder)]
    sentiment_of: dict[int, float] = {}  # row -> sentiment of an answer not in English
    rerouted = Rerouted.empty(len(docs))  # answers not in English: stand-ins, USE vectors
    if classify:
        head = root_cause_classifier(config, clocked[0], cache, corrections, taxonomy)
        doc_probs = head_probabilities(head, doc_vecs, docs)
        # only the clauses that could add a cause are embedded (see clauses_that_can_add)
        # clauses repeat across answers ("Thank you for your help"): the n-gram head scores each
        # distinct one once (a row does not depend on the others)
        distinct = list(dict.fromkeys(seg_texts))
        row_of = {text: i for i, text in enumerate(distinct)}
        words = in_halves(head.text_proba, distinct)[[row_of[text] for text in seg_texts]]
        needed = head.words_needed(config.secondary_min_probability)
        kept = np.flatnonzero(clauses_that_can_add(doc_probs, words, seg_owner, head.classes, config, needed))
        seg_first = first_segments(seg_owner)[kept]  # which kept clause opens its answer
        seg_texts, seg_owner, words = [seg_texts[i] for i in kept], seg_owner[kept], words[kept]
        seg_vecs, n_clauses = embed_texts(seg_texts, clocked[0], cache, config.batch_size)
        n_embedded += n_clauses
        # a letter the head would call a non-answer keeps a clause that gives a reason
        reasons = reasons_in_letters(
            doc_probs, docs, head.classes, config, head_predictor(head, clocked[0], cache, config.batch_size)
        )
        # a long answer's sentence that marks its reason as the deciding one, classified alone
        decide_rows, decide_texts = [], []
        for k, doc in enumerate(docs):
            sentence = deciding_text(doc, config) if languages[valid[k]] in ("en", "und") else None
            if sentence is not None:
                decide_rows.append(k)
                decide_texts.append(sentence)
        deciding: list[np.ndarray | None] = [None] * len(docs)
        if decide_texts:
            decide_vecs, n_decide = embed_texts(decide_texts, clocked[0], cache, config.batch_size)
            n_embedded += n_decide
            for k, p in zip(decide_rows, head_probabilities(head, decide_vecs, decide_texts), strict=True):
                deciding[k] = p
        calls = classify_answers(
            doc_probs,
            head.blend(seg_vecs, words) if len(seg_texts) else np.zeros((0, len(head.classes))),
            seg_owner,
            head.classes,
            config,
            taxonomy.emerging_key,
            docs,
            taxonomy,
            reasons,
            complaints,
            seg_first,
            deciding,
        )
        # answers in other languages: the multilingual head (its encoder loads only for them)
        if config.multilingual_model and other_language_rows([languages[i] for i in valid]):
            clocked.append(ClockedEncoder(load_encoder(config.multilingual_model)))
            rerouted = reroute(
                functools.partial(multilingual_head, config, clocked[0], taxonomy, cache, corrections),
                clocked[1],
                docs,
                [languages[i] for i in valid],
                calls,
                doc_vecs,
                config,
                taxonomy,
                cache,
            )
            sentiment_of = {valid[k]: v for k, v in rerouted.sentiments.items()}
        if corrections:
            corr_vecs, _ = embed_texts([c[0] for c in corrections], clocked[0], cache, config.batch_size)
            apply_corrections(
                calls, doc_vecs, corr_vecs, [c[1] for c in corrections], config.correction_similarity
            )
        keep = [k for k, call in enumerate(calls) if not call.non_answer]
        if len(keep) < len(calls):
            renumber = {old: new for new, old in enumerate(keep)}
            valid, docs, doc_vecs = [valid[k] for k in keep], [docs[k] for k in keep], doc_vecs[keep]
            calls = [calls[k] for k in keep]
            rerouted = rerouted.subset(keep)
            seg_owner = np.array([renumber.get(int(o), -1) for o in seg_owner], dtype=int)
    else:
        calls = [CauseCall("", [""], 1.0) for _ in docs]
    # of embed_s, what the classify stage embedded (also part of embed_s)
    timings["classify_embed_s"], cpu["classify_embed_s"] = (
        sum(e.wall_s for e in clocked),
        sum(e.cpu_s for e in clocked),
    )
    timings["embed_s"] += timings["classify_embed_s"]
    cpu["embed_s"] += cpu["classify_embed_s"]
    timings["classify_s"] = time.perf_counter() - t - timings["classify_embed_s"]
    cpu["classify_s"] = cpu_seconds() - c - cpu["classify_embed_s"]
    if progress:
        progress("classify", 1.0)

    # 4. themes: within each root cause (or over all answers when classification is off)
    t, c = time.perf_counter(), cpu_seconds()
    if progress:
        progress("themes", 0.0)
    memory.runs += 1
    memory.embedding_model = memory.embedding_model or encoder.name
    dim = doc_vecs.shape[1] if doc_vecs.size else encoder.dim
    theme_docs = [rerouted.standins.get(d, d) for d in docs]  # keywords from English stand-ins
    groups = find_themes(
        theme_docs, doc_vecs, calls, config, taxonomy, memory, classify, dim, report("themes")
    )
    if classify and rerouted.other.any():  # a translation joins its original's theme
        join_themes(groups, calls, doc_vecs, rerouted.use_vecs, rerouted.english, rerouted.other)
    timings["themes_s"], cpu["themes_s"] = time.perf_counter() - t, cpu_seconds() - c
    if progress:
        progress("themes", 1.0)

    # 5. describe: secondary themes, keywords, quotes, labels, categories, sentiment
    t, c = time.perf_counter(), cpu_seconds()
    if progress:
        progress("describe", 0.0)
    counts_toward = themes_counted(groups, calls, doc_vecs, seg_vecs, seg_owner, config, classify)
    sentiments = answer_sentiments(prepared, valid, cache)
    answered = set(valid)
    for row, lang in enumerate(languages):  # VADER is English-only
        if row in answered and lang not in ("en", "und"):
            sentiments[row] = round(sentiment_of[row], 4) if row in sentiment_of else 0.0
    language_of = {reply_body(p.text): languages[row] for row, p in enumerate(prepared)}
    themes = describe_themes(
        groups,
        calls,
        docs,
        doc_vecs,
        valid,
        counts_toward,
        sentiments,
        config,
        taxonomy,
        memory,
        classify,
        cache,
        language_of,
        encoder,
    )
    assignments = build_assignments(
        ids, prepared, valid, groups, calls, counts_toward, sentiments, themes, doc_vecs, classify, languages
    )
    themes.sort(key=lambda th: (-th.size, th.id))
    root_causes = summarise_root_causes(taxonomy, themes, assignments)
    timings["describe_s"], cpu["describe_s"] = time.perf_counter() - t, cpu_seconds() - c
    if progress:
        progress("describe", 1.0)
    timings["total_s"], cpu["total_s"] = time.perf_counter() - t_all, cpu_seconds() - c_all
    if cache is not None:
        cache.close()
    run = {
        "n_texts": len(cleaned),
        "n_non_answers": len(cleaned) - len(valid),
        "n_themes": len(themes),
        "n_root_causes": len(root_causes),
        "n_clusters": groups.n_clusters,
        "n_segments": len(seg_texts),
        "texts_parsed": n_parsed,
        "texts_embedded": n_embedded,
        "embedding_backend": encoder.backend,
        "n_corrections": len(corrections),
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "cpu_timings": {k: round(v, 3) for k, v in cpu.items()},
        "silhouette_sweep": [[int(k), round(s, 4)] for k, s in groups.sweep],
        "peak_memory_mb": peak_memory_mb(),
        "settings": config.to_dict(),
    }
    return AnalysisResult(themes, assignments, memory, run, root_causes)
