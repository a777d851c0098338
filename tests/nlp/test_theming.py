"""Theming stages on synthetic vectors (no models): reducer, clusterer, keywords."""

from __future__ import annotations

import numpy as np

from nlp import PipelineConfig
from nlp.theming import AutoThemeClusterer, NormalizedPCA, fit_themes, group_keywords, knn_smooth


def blobs(k: int = 6, per: int = 40, dim: int = 64, noise: float = 0.25, seed: int = 0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(k, dim))
    X = np.vstack(
        [c + noise * rng.normal(size=(per, dim)) * np.linalg.norm(c) / np.sqrt(dim) for c in centers]
    )
    y = np.repeat(np.arange(k), per)
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), y


def test_clusterer_finds_the_number_of_groups_and_themes_every_point():
    X, y = blobs()
    c = AutoThemeClusterer().fit(NormalizedPCA(20).fit_transform(X))
    assert c.n_clusters_ == 6
    assert (c.labels_ >= 0).all() and len(c.labels_) == len(X)
    # each true group maps to exactly one cluster
    assert all(len(set(c.labels_[y == g])) == 1 for g in range(6))


def test_clusterer_predict_agrees_with_fit_labels():
    X, _ = blobs(seed=1)
    R = NormalizedPCA(20).fit(X)
    c = AutoThemeClusterer().fit(R.transform(X))
    assert (c.predict(R.transform(X)) == c.labels_).mean() > 0.95


def test_large_inputs_use_a_sampled_tree_and_still_theme_everything():
    X, y = blobs(k=5, per=120, seed=2)
    c = AutoThemeClusterer(max_tree_size=200).fit(X)
    assert c.n_clusters_ == 5 and len(c.labels_) == len(X)


def test_tiny_clusters_are_folded_into_neighbours():
    X, _ = blobs(k=3, per=30, seed=3)
    odd = X[:2] * -1  # two points far from everything
    c = AutoThemeClusterer(min_cluster_size=3, max_clusters=4).fit(np.vstack([X, odd]))
    assert np.bincount(c.labels_).min() >= 3


def test_reducer_returns_unit_vectors_and_handles_few_rows():
    X, _ = blobs(k=2, per=5)
    Z = NormalizedPCA(50).fit_transform(X)
    assert np.allclose(np.linalg.norm(Z, axis=1), 1.0, atol=1e-5)
    assert knn_smooth(Z, 3, 0.5, 1).shape == Z.shape


def test_smoothing_of_many_texts_uses_a_reference_sample_and_still_tightens_themes():
    X, y = blobs(k=4, per=100, dim=32, seed=5)

    def spread(Z: np.ndarray) -> float:  # mean cosine of each point to its own blob's mean
        return float(np.mean([(Z[y == g] @ Z[y == g].mean(0)).mean() for g in range(4)]))

    exact = knn_smooth(X, 5, 0.5, 2)
    sampled = knn_smooth(X, 5, 0.5, 2, max_exact=100, reference_size=80)
    assert sampled.shape == X.shape and np.allclose(np.linalg.norm(sampled, axis=1), 1.0, atol=1e-5)
    assert spread(sampled) > spread(X) and spread(exact) > spread(X)


def test_fit_themes_runs_bertopic_with_our_stages_and_gives_keywords():
    X, y = blobs(k=3, per=20, dim=32, seed=4)
    words = ["price expensive cost fee", "crash bug error freeze", "rude support agent hold"]
    docs = [f"{words[g]} {i}" for i, g in enumerate(y)]
    out = fit_themes(docs, X, PipelineConfig(n_keywords=12))
    assert len(set(out.labels)) == 3 and (np.asarray(out.labels) >= 0).all()
    found = [{w for w, _ in kws} for kws in out.keywords]
    for group in words:
        assert any(set(group.split()) <= kws for kws in found), (group, found)


def test_keywords_of_groups_whose_words_are_one_word_in_all():
    """ "too pricey" alone (a one-row file) leaves one word after the stop words; c-TF-IDF cannot
    weigh it against others, so the group keeps it as its keyword instead of failing."""
    assert group_keywords([["too pricey"]], 5) == [[("pricey", 1.0)]]
    assert group_keywords([["pricey"], ["so pricey"]], 5) == [[("pricey", 1.0)], [("pricey", 1.0)]]
    assert group_keywords([["the"]], 5) == [[]]


OUTAGE_ANSWERS = [
    "Two outages in one day and the status page stayed green.",
    "The outage lasted all day; we asked the team for credits and they added nothing.",
    "Outages every week. I looked at the old pricing page and left.",
    "Another outage, and the status page said nothing for hours.",
]


def test_keywords_read_as_things_one_form_each_topped_up_from_the_ranking():
    from nlp.keywords import readable_keywords
    from nlp.label_checks import GENERIC_NOUNS
    from nlp.models import load_tagger
    from nlp.word_use import singular, word_use

    use = word_use(OUTAGE_ANSWERS, load_tagger("en_core_web_sm"))
    ranked = [
        (w, 1.0 - i / 20)
        for i, w in enumerate(
            ["outages", "outage", "day", "status page", "status", "asked", "thing", "team",
             "add occasional", "added", "old", "looked", "pricing page", "credits", "week", "hours"]
        )
    ]  # fmt: skip
    shown = [w for w, _ in readable_keywords(ranked, use, 5)]
    assert shown == ["outages", "status page", "status", "team", "pricing page"]
    singulars = [singular(w) for w in shown]
    assert len(set(singulars)) == len(singulars)  # no "outages, outage"
    assert not any(w in GENERIC_NOUNS for k in shown for w in k.split())  # no "day", "thing"
    assert not {"asked", "added", "looked", "old", "add occasional"} & set(shown)
    # the form the answers use most wins, whichever c-TF-IDF ranked first
    assert [w for w, _ in readable_keywords([("outage", 1.0), ("outages", 0.9)], use, 5)] == ["outages"]
    # a list of things is left as it is, and never longer than asked
    things = [("status page", 1.0), ("credits", 0.5), ("team", 0.4)]
    assert readable_keywords(things, use, 5) == things
    assert len(readable_keywords(ranked, use, 2)) == 2
    # a bigram across a sentence or a filler noun ("hours status"), a form no answer writes ("id")
    stray = [("seconds outages", 1.0), ("hours status", 0.9), ("id", 0.8), ("status page", 0.5)]
    assert readable_keywords(stray, use, 5) == [("status page", 0.5)]
    # a plural noun the answers write as a verb too stays: what they talk about
    crashes = word_use(
        ["The app crashes daily.", "It crashes when I upload.", "Crashes every week"],
        load_tagger("en_core_web_sm"),
    )
    assert [w for w, _ in readable_keywords([("crashes", 1.0), ("upload", 0.5)], crashes, 5)][0] == "crashes"


def test_last_runs_theme_count_is_kept_while_it_scores_near_the_best_and_dropped_when_it_does_not():
    # diffuse groups, as exit answers are: silhouettes low and flat across theme counts
    X, _ = blobs(k=6, per=12, noise=1.2, seed=5)
    free = AutoThemeClusterer(max_clusters=8).fit(X)
    top = max(s for _, s in free.sweep_)
    near = [k for k, s in free.sweep_ if s >= 0.9 * top and k != free.chosen_clusters_]
    far = [k for k, s in free.sweep_ if s < 0.9 * top]
    assert near and far  # the data has both kinds of count
    kept = AutoThemeClusterer(max_clusters=8, preferred_clusters=near[0]).fit(X)
    assert kept.chosen_clusters_ == near[0]
    dropped = AutoThemeClusterer(max_clusters=8, preferred_clusters=far[0]).fit(X)
    assert dropped.chosen_clusters_ == free.chosen_clusters_


def test_how_near_the_best_last_runs_theme_count_must_score_is_a_pipeline_setting():
    X, _ = blobs(k=6, per=12, noise=1.2, seed=5)
    free = AutoThemeClusterer(max_clusters=8).fit(X)
    top = max(s for _, s in free.sweep_)
    far = [k for k, s in free.sweep_ if 0 <= s < 0.9 * top]
    assert far  # a count the default tolerance drops ...
    loose = AutoThemeClusterer(max_clusters=8, preferred_clusters=far[0], keep_tolerance=0.0).fit(X)
    assert loose.chosen_clusters_ == far[0]  # ... and a looser one keeps
    assert PipelineConfig().keep_tolerance == 0.9
    fitted = fit_themes(["a", "b", "c"], X[:3], PipelineConfig(keep_tolerance=0.5))
    assert fitted.clusterer.keep_tolerance == 0.5


def test_theme_counts_per_cause_survive_the_memory_file():
    from nlp import ThemeMemory

    memory = ThemeMemory(theme_counts={"price": 8, "support": 3})
    assert ThemeMemory.from_json(memory.to_json()).theme_counts == {"price": 8, "support": 3}
    assert ThemeMemory.from_dict({"themes": []}).theme_counts == {}  # files written before
