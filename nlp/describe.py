"""The describe stage: each theme's keywords, quotes, label, cause and sentiment, each answer's
assignment, and the root-cause summary."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from . import labels as labels_module
from .cache import Cache, cached_map
from .causes import CauseCall
from .config import PipelineConfig
from .embeddings import embed_texts
from .grouping import ThemeGroups
from .heads import taxonomy_vectors
from .keywords import readable_keywords
from .label_checks import COMPETITOR, label_banned_names, label_check
from .label_negation import negation_check
from .label_stock import names_a_detail, said_words, stock_label, stock_options
from .labels import (
    cause_vocabulary,
    label_for_cause,
    label_key,
    label_options,
    make_label,
    option_prior,
    pick_by_meaning,
    rank_phrases,
    restore_case,
    written,
)
from .memory import ThemeMemory
from .models import Encoder, load_parser, load_tagger
from .phrases import answer_phrases
from .preprocess import Prepared
from .quotes import pick_quotes
from .reason_tone import reason_sentiment
from .reply_body import reply_body
from .results import Assignment, RootCauseResult, ThemeResult
from .sentiment import mean_sentiment
from .taxonomy import Taxonomy, match_categories
from .word_use import WordUse, word_use

PHRASES_VERSION = 2  # bump when phrases._phrases changes what it extracts


def answer_sentiments(prepared: list[Prepared], valid: list[int], cache: Cache | None) -> list[float]:
    """Sentiment of each input row's reason, politeness left out (:mod:`nlp.reason_tone`; 0 for
    non-answers), cached by text. It reads the body the root-cause head reads
    (:func:`nlp.reply_body.reply_body`): not the survey's question quoted above the answer, nor the
    e-mail around a reply."""
    bodies = [reply_body(p.text) for p in prepared]
    scored = [body for body, p in zip(bodies, prepared, strict=True) if not p.is_non_answer]
    scores, _ = cached_map(
        cache, "sentiment:reason:1", scored, lambda todo: [reason_sentiment(t) for t in todo]
    )
    by_text = dict(zip(scored, scores, strict=False))
    answered = set(valid)
    return [by_text[body] if row in answered else 0.0 for row, body in enumerate(bodies)]


def _theme_label(
    j: int,
    phrases: list,
    texts: list[str],
    keywords: list[tuple[str, float]],
    groups: ThemeGroups,
    config: PipelineConfig,
    taxonomy: Taxonomy,
    classify: bool,
    taken: set[str] | None = None,
    chosen: str | None = None,
    use: WordUse | None = None,
) -> str:
    """A label that reads as a cause: ``chosen`` (see :func:`_label_options`) or else from the
    theme's answer phrases, checked against its cause, and none of the labels in ``taken`` (other
    themes' of this run, as :func:`nlp.labels.label_key` puts them)."""
    taken = taken or set()
    if chosen is not None:
        cat = taxonomy.category(groups.theme_pool[j])
        if cat is not None and chosen in [*cat.common_themes, cat.plain_label]:  # the taxonomy's casing
            return distinct_label(chosen, keywords, taken)
        names = [w for w, _ in keywords] if groups.theme_pool[j] == COMPETITOR else []
        return distinct_label(restore_case(chosen, texts, names), keywords, taken)
    vocabulary, accept, banned = None, None, None
    if classify:
        cause = groups.theme_pool[j]
        vocabulary = cause_vocabulary(taxonomy, cause)
        banned = label_banned_names(config, cause, texts)
        accept = _accept(config, taxonomy, cause, banned, texts)
    label = make_label(phrases, keywords, vocabulary, accept, exclude=taken)
    if accept is not None and banned is not None:
        label = label_for_cause(
            label,
            keywords,
            taxonomy,
            groups.theme_pool[j],
            accept,
            banned,
            load_tagger(config.spacy_model),
            exclude=taken,
            phrases=rank_phrases(phrases, keywords, vocabulary),
            texts=texts,
            use=use,
            parser=load_parser(config.spacy_model),
        )
    names = [w for w, _ in keywords] if classify and groups.theme_pool[j] == COMPETITOR else []
    return distinct_label(restore_case(label, texts, names), keywords, taken)


def _accept(
    config: PipelineConfig, taxonomy: Taxonomy, cause: str, banned: list[str], texts: list[str]
) -> Callable[[str], bool]:
    """The label check for a theme of ``cause`` whose answers are ``texts``; a phrase they write
    under a negation is no label either (:func:`nlp.label_negation.negation_check`: it would say
    the opposite of the answers)."""
    check = functools.partial(
        label_check,
        category=cause,
        taxonomy=taxonomy,
        tagger=load_tagger(config.spacy_model),
        banned_names=banned,
    )
    negated = negation_check(texts, load_parser(config.spacy_model))
    return lambda label: check(label) and not negated(label)


def _label_options(
    j: int,
    phrases: list,
    texts: list[str],
    keywords: list[tuple[str, float]],
    groups: ThemeGroups,
    config: PipelineConfig,
    taxonomy: Taxonomy,
    use: WordUse | None = None,
) -> list[str]:
    """Labels that pass the check for theme ``j`` of a classified run (see
    :func:`nlp.labels.label_options`), for :func:`nlp.labels.pick_by_meaning` to choose from."""
    cause = groups.theme_pool[j]
    vocabulary = cause_vocabulary(taxonomy, cause)
    banned = label_banned_names(config, cause, texts)
    ranked = rank_phrases(phrases, keywords, vocabulary)
    return label_options(
        ranked,
        make_label(phrases, keywords, vocabulary),
        keywords,
        taxonomy,
        cause,
        _accept(config, taxonomy, cause, banned, texts),
        banned,
        load_tagger(config.spacy_model),
        texts,
        use=use,
        parser=load_parser(config.spacy_model),
    )


def _option_priors(
    j: int,
    options: list[str],
    phrases: list,
    keywords: list[tuple[str, float]],
    texts: list[str],
    groups: ThemeGroups,
    taxonomy: Taxonomy,
) -> list[float]:
    """Each label option's prior (see :func:`nlp.labels.option_prior`), less the fill penalty for
    one the answers did not write."""
    if not options:
        return []
    cause = groups.theme_pool[j]
    cat = taxonomy.category(cause)
    fixed = f"{cat.name} {cat.label_template or ''}".replace("{}", " ").split() if cat else []
    ranked = rank_phrases(phrases, keywords, cause_vocabulary(taxonomy, cause))
    return [
        option_prior(o, texts, fixed) - (0.0 if written(o, ranked) else labels_module.FILL_PENALTY)
        for o in options
    ]


def _stock_options(
    j: int, texts: list[str], groups: ThemeGroups, config: PipelineConfig, taxonomy: Taxonomy
) -> list[str]:
    """The cause's sub-reasons that pass the check for theme ``j`` (see
    :func:`nlp.labels.stock_options`), for a theme whose answers share no one thing."""
    cause = groups.theme_pool[j]
    accept = _accept(config, taxonomy, cause, label_banned_names(config, cause, texts), texts)
    return stock_options(taxonomy, cause, accept, texts)


def _unless_a_detail(
    j: int,
    chosen: str,
    stock: list[str],
    vectors: np.ndarray,
    texts: list[str],
    centroids: np.ndarray,
    groups: ThemeGroups,
    taxonomy: Taxonomy,
    taken: set[str],
) -> str:
    """``chosen``, or where it names a thing few of the theme's answers name (one answer's detail:
    :func:`nlp.label_stock.names_a_detail`), the stock option (``stock``, ``vectors``) nearest the
    theme by meaning, as :func:`nlp.labels.pick_by_meaning` scores it, that no other theme has or
    would pick first (``taken``): a theme whose answers are spread over several details is named
    by what they share. (Falling back on the theme's own options that name no detail was tried:
    it gives vague fills, "Missing support", "Slow tasks".)"""
    cause = groups.theme_pool[j]
    fixed = said_words(taxonomy, cause)
    prior = [option_prior(o, texts, fixed) for o in stock]
    return stock_label(
        chosen,
        texts,
        taxonomy,
        cause,
        lambda: pick_by_meaning(stock, vectors, j, centroids, exclude=taken, prior=prior),
    )


def distinct_label(label: str, keywords: list[tuple[str, float]], taken: set[str]) -> str:
    """``label``, or where another theme of the run has it already (any case, singular or plural:
    ``taken`` holds :func:`nlp.labels.label_key` of each), with the theme's first keyword not in it
    in brackets ("Shared tool (boards)"), or a number as a last resort."""
    if label_key(label) not in taken:
        return label
    words = set(label_key(label).split())
    for word, _ in keywords:
        candidate = f"{label} ({word})"
        if not set(label_key(word).split()) & words and label_key(candidate) not in taken:
            return candidate
    n = 2
    while label_key(f"{label} ({n})") in taken:
        n += 1
    return f"{label} ({n})"


def describe_themes(
    groups: ThemeGroups,
    calls: list[CauseCall],
    docs: list[str],
    doc_vecs: np.ndarray,
    valid: list[int],
    counts_toward: list[list[int]],
    sentiments: list[float],
    config: PipelineConfig,
    taxonomy: Taxonomy,
    memory: ThemeMemory,
    classify: bool,
    cache: Cache | None,
    language_of: dict[str, str] | None = None,
    encoder: Encoder | None = None,
) -> list[ThemeResult]:
    """One :class:`ThemeResult` per theme; ``memory`` keeps the labels and centroids.
    ``language_of`` (text -> language) keeps labels to English answers where a theme has any.
    With ``encoder`` (the one that embedded ``doc_vecs``) and root causes, each theme's label is
    the passing option nearest in meaning to its centroid and least near the others'."""
    language_of = language_of or {}
    n_themes, main, centroids = len(groups.theme_ids), groups.main, groups.centroids
    if not n_themes:
        return []
    if classify:
        categories = [
            (pool, float(np.mean([calls[k].probability for k in np.flatnonzero(main == j)])))
            for j, pool in enumerate(groups.theme_pool)
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
            own = np.array([k for k in members if calls[k].main == groups.theme_pool[j]], dtype=int)
            members = own if len(own) else members
        quotes_by_theme.append(
            pick_quotes([docs[m] for m in members], doc_vecs[members], centroids[j], config.n_quotes)
        )
        # label phrases come from the answers nearest the centroid, not only the quotes
        nearest = members[np.argsort(-(doc_vecs[members] @ centroids[j]))[: config.label_sample]]
        candidates = list(dict.fromkeys(quotes_by_theme[j] + [docs[m] for m in nearest]))
        english = [c for c in candidates if language_of.get(c, "en") in ("en", "und")]
        label_texts.append(english or candidates)
    flat = [t for texts_j in label_texts for t in texts_j]
    phrases, _ = cached_map(
        cache,
        f"phrases:{config.spacy_model}:{PHRASES_VERSION}",
        flat,
        lambda todo: answer_phrases(todo, load_tagger(config.spacy_model)),
    )
    keywords_by_theme, shown_keywords, uses = [], [], []
    tagger = load_tagger(config.spacy_model)
    for j in range(n_themes):
        kws: dict[str, float] = {}
        pool: dict[str, float] = {}
        for cluster in np.flatnonzero(groups.cluster_to_theme == j):
            terms = groups.cluster_keywords[cluster] if cluster < len(groups.cluster_keywords) else []
            for rank, (w, s) in enumerate(terms):
                pool[w] = max(pool.get(w, 0.0), s)
                if rank < config.n_keywords:  # c-TF-IDF's own top terms, for the label
                    kws[w] = max(kws.get(w, 0.0), s)
        keywords_by_theme.append(sorted(kws.items(), key=lambda x: -x[1])[: config.n_keywords])
        pooled = sorted(pool.items(), key=lambda x: -x[1])
        uses.append(word_use(label_texts[j], tagger))
        readable = readable_keywords(pooled, uses[j], config.n_keywords)
        # none reads as a thing (or the answers sampled write none): c-TF-IDF's own, not nothing
        shown_keywords.append([w for w, _ in readable or keywords_by_theme[-1]])
    starts = np.concatenate([[0], np.cumsum([len(t) for t in label_texts])]).astype(int)
    phrases_by_theme = [phrases[starts[j] : starts[j + 1]] for j in range(n_themes)]
    # the options that pass the check, all themes' embedded at once; chosen by meaning below
    options: list[list[str]] = [[] for _ in range(n_themes)]
    option_vecs: list[np.ndarray] = []
    stock: list[list[str]] = [[] for _ in range(n_themes)]
    stock_vecs: list[np.ndarray] = []
    if classify and encoder is not None:
        options = [
            _label_options(
                j,
                phrases_by_theme[j],
                label_texts[j],
                keywords_by_theme[j],
                groups,
                config,
                taxonomy,
                uses[j],
            )
            for j in range(n_themes)
        ]
        stock = [_stock_options(j, label_texts[j], groups, config, taxonomy) for j in range(n_themes)]
        flat_options = [o for opts in options + stock for o in opts]
        vecs, _ = embed_texts(flat_options, encoder, cache, config.batch_size)
        bounds = np.concatenate([[0], np.cumsum([len(o) for o in options + stock])]).astype(int)
        option_vecs = [vecs[bounds[j] : bounds[j + 1]] for j in range(n_themes)]
        stock_vecs = [vecs[bounds[n_themes + j] : bounds[n_themes + j + 1]] for j in range(n_themes)]
    themes: list[ThemeResult] = []
    # a label no two themes share: the locked (curated) ones first, then each theme's in turn
    locked = [memory.themes[t] for t in groups.theme_ids if t in memory.themes]
    taken = {label_key(theme.label) for theme in locked if theme.label_locked}
    priors = [
        _option_priors(
            j, options[j], phrases_by_theme[j], keywords_by_theme[j], label_texts[j], groups, taxonomy
        )
        for j in range(n_themes)
    ]
    contested = labels_module.contested(options, option_vecs, centroids, priors, taken)
    # what each theme would pick first: a theme named by its cause never takes another's
    firsts = [
        pick_by_meaning(options[j], option_vecs[j], j, centroids, exclude=taken, prior=priors[j])
        if options[j]
        else None
        for j in range(n_themes)
    ]
    # a first pick that names one answer's detail of its own theme is no other theme's label either
    details = {
        label_key(f)
        for j, f in enumerate(firsts)
        if f is not None and stock[j] and names_a_detail(f, label_texts[j], taxonomy, groups.theme_pool[j])
    }
    for j, tid in enumerate(groups.theme_ids):
        keywords, texts = keywords_by_theme[j], label_texts[j]
        chosen = None
        if options[j]:
            avoid = taken | (details - {label_key(firsts[j] or "")})
            chosen = pick_by_meaning(
                options[j], option_vecs[j], j, centroids, exclude=avoid | contested, prior=priors[j]
            ) or pick_by_meaning(options[j], option_vecs[j], j, centroids, exclude=avoid, prior=priors[j])
            chosen = chosen or pick_by_meaning(
                options[j], option_vecs[j], j, centroids, exclude=taken, prior=priors[j]
            )
        if chosen is not None and stock[j]:
            others = {label_key(f) for k, f in enumerate(firsts) if k != j and f is not None}
            chosen = _unless_a_detail(
                j, chosen, stock[j], stock_vecs[j], texts, centroids, groups, taxonomy, taken | others
            )
        label = _theme_label(
            j,
            phrases_by_theme[j],
            texts,
            keywords,
            groups,
            config,
            taxonomy,
            classify,
            taken,
            chosen,
            uses[j],
        )
        member_rows = [valid[k] for k in range(len(valid)) if j in counts_toward[k]]
        shown = memory.update(tid, label, centroids[j], shown_keywords[j], categories[j][0], len(member_rows))
        taken.add(label_key(shown))
        themes.append(
            ThemeResult(
                id=tid,
                label=shown,
                keywords=shown_keywords[j],
                category=categories[j][0],
                size=len(member_rows),
                quotes=quotes_by_theme[j],
                sentiment=mean_sentiment([sentiments[r] for r in member_rows]),
                is_new=bool(groups.is_new[tid]),
                main_size=int((main == j).sum()),
                category_score=round(categories[j][1], 4),
                parent=categories[j][0],
                quote_languages=[language_of.get(q, "en") for q in quotes_by_theme[j]],
            )
        )
    return themes


def build_assignments(
    ids: list[str],
    prepared: list[Prepared],
    valid: list[int],
    groups: ThemeGroups,
    calls: list[CauseCall],
    counts_toward: list[list[int]],
    sentiments: list[float],
    themes: list[ThemeResult],
    doc_vecs: np.ndarray,
    classify: bool,
    languages: list[str] | None = None,
) -> list[Assignment]:
    """One :class:`Assignment` per input row, in input order; ``languages`` one per row."""
    languages = languages or ["en"] * len(ids)
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
        tids = [groups.theme_ids[j] for j in counts_toward[k]]
        if classify:
            conf = calls[k].probability
            causes = list(calls[k].causes)
        else:
            conf = float(np.clip(doc_vecs[k] @ groups.centroids[groups.main[k]], 0.0, 1.0))
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
    return assignments


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
