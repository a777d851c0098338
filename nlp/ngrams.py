"""The n-gram head's probabilities with the character n-grams counted word by word.

scikit-learn's ``char_wb`` analyzer cuts every word of every answer into its 3-5 character
n-grams and looks each up in the vocabulary, one Python call per n-gram: for 10,000 answers that
took 0.7 s of the n-gram head's 1.0 s. A ``char_wb`` n-gram never crosses a word, so an answer's
counts are the sum of its words' counts; words repeat across answers, so each distinct word is cut
once and the sum is a sparse product (answers x words) @ (words x n-grams). The counts, and so the
probabilities, are the same to the last bit (``tests/nlp/test_ngrams.py`` compares them); a head
of any other shape takes scikit-learn's own path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp


def text_head_proba(head: Any, texts: list[str]) -> np.ndarray:
    """``head.predict_proba(texts)`` for the head :meth:`RootCauseClassifier.fit` builds (a
    pipeline of a union of TF-IDF vectorizers and a classifier), the ``char_wb`` ones counted by
    :func:`char_wb_counts`; any other head goes through its own ``predict_proba``."""
    parts = _parts(head)
    if parts is None:
        return np.asarray(head.predict_proba(texts))
    vectorizers, classifier = parts
    blocks = [
        _tfidf(v, char_wb_counts(v, texts)) if v.analyzer == "char_wb" else v.transform(texts)
        for v in vectorizers
    ]
    features = sp.hstack(blocks).tocsr()  # what FeatureUnion does with sparse blocks
    return np.asarray(classifier.predict_proba(features))


def _parts(head: Any) -> tuple[list[Any], Any] | None:
    """The union's vectorizers and the final classifier, when ``head`` has the expected shape."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline

    if not isinstance(head, Pipeline) or len(head.steps) != 2:
        return None
    union, classifier = head.steps[0][1], head.steps[1][1]
    if not isinstance(union, FeatureUnion) or union.transformer_weights is not None:
        return None
    vectorizers = [t for _, t in union.transformer_list]
    if not vectorizers or not all(type(v) is TfidfVectorizer and v.use_idf for v in vectorizers):
        return None
    if not any(v.analyzer == "char_wb" for v in vectorizers):
        return None
    return vectorizers, classifier


def char_wb_counts(vectorizer: Any, texts: list[str]) -> sp.csr_matrix:
    """The n-gram counts ``vectorizer`` (a fitted ``char_wb`` vectorizer) would count for
    ``texts``: its preprocessing (lower case), then each distinct word cut once by its own
    analyzer; rows have sorted column indices, as scikit-learn's have."""
    preprocess = vectorizer.build_preprocessor()
    analyze = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    word_ids: dict[str, int] = {}
    words: list[int] = []
    ends = np.zeros(len(texts) + 1, dtype=np.int64)
    for row, text in enumerate(texts):
        for word in preprocess(text).split():
            words.append(word_ids.setdefault(word, len(word_ids)))
        ends[row + 1] = len(words)
    per_text = sp.csr_matrix(
        (np.ones(len(words)), np.asarray(words, dtype=np.int64), ends), shape=(len(texts), len(word_ids))
    )
    grams: list[int] = []
    starts = [0]
    for word in word_ids:  # in id order
        grams.extend(vocabulary[g] for g in analyze(word) if g in vocabulary)
        starts.append(len(grams))
    per_word = sp.csr_matrix(
        (np.ones(len(grams)), np.asarray(grams, dtype=np.int64), np.asarray(starts, dtype=np.int64)),
        shape=(len(word_ids), len(vocabulary)),
    )
    counts = sp.csr_matrix(per_text @ per_word, dtype=vectorizer.dtype)
    counts.sort_indices()
    return counts


def _tfidf(vectorizer: Any, counts: sp.csr_matrix) -> Any:
    """The fitted vectorizer's TF-IDF weighting of ``counts`` (its own settings and idf)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    weighting = TfidfTransformer(
        norm=vectorizer.norm,
        use_idf=vectorizer.use_idf,
        smooth_idf=vectorizer.smooth_idf,
        sublinear_tf=vectorizer.sublinear_tf,
    )
    weighting.idf_ = vectorizer.idf_
    return weighting.transform(counts, copy=False)
