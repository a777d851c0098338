"""The n-gram head's word-by-word character n-gram counts give scikit-learn's probabilities exactly."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union

from nlp.ngrams import char_wb_counts, text_head_proba

TRAIN = [
    ("too expensive for what it does", "price"),
    ("the price went up again", "price"),
    ("prices keep rising, can't afford it", "price"),
    ("the app crashes every day", "bugs"),
    ("crashing constantly after the update", "bugs"),
    ("buggy and slow, it crashed twice", "bugs"),
    ("charged twice this month", "billing"),
    ("billed after I cancelled", "billing"),
    ("they charged me twice and never refunded", "billing"),
]
ODD = [
    "İstanbul ẞTRASSE ǅemal ΣΑΣ ﬁne",
    "tab\there\nnew  line   spaces",
    "",
    "   ",
    "a",
    "emoji 😀 ok, CHARGED twice!!",
    "the app crashes the app crashes the app crashes",
    "unseen words only: zzqx vlorp",
]


def _head():
    texts, labels = zip(*TRAIN, strict=True)
    head = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(C=32.0, max_iter=3000),
    )
    return head.fit(list(texts), list(labels))


def test_word_by_word_counts_equal_scikit_learns_counts():
    head = _head()
    char = head.steps[0][1].transformer_list[1][1]
    texts = [t for t, _ in TRAIN] + ODD
    ours = char_wb_counts(char, texts)
    counter = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), vocabulary=char.vocabulary_)
    theirs = counter.transform(texts)
    assert ours.shape == theirs.shape and ours.dtype == np.float64
    assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)


def test_probabilities_are_the_same_to_the_last_bit():
    head = _head()
    texts = [t for t, _ in TRAIN] + ODD
    assert np.array_equal(text_head_proba(head, texts), head.predict_proba(texts))


def test_a_head_of_another_shape_takes_scikit_learns_path():
    texts, labels = zip(*TRAIN, strict=True)
    words_only = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(list(texts), list(labels))
    assert np.array_equal(text_head_proba(words_only, ODD), words_only.predict_proba(ODD))
