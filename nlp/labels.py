"""Readable theme labels, keywords and representative quotes."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_STOP = set(ENGLISH_STOP_WORDS) | {"im", "ive", "dont", "didnt", "lot", "thing", "things", "way", "time",
                                   "bit", "day", "today", "yesterday", "kind", "sort", "reason"}
_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")
#: spaCy splits "[PERSON]" into "[", "PERSON", "]": the bare names never belong in a label
_PLACEHOLDER_NAMES = {"PERSON", "EMAIL", "PHONE", "ACCOUNT", "CARD", "ADDRESS", "URL", "IBAN"}
_POS_PHRASE = {"ADJ", "NOUN", "PROPN", "VERB"}
_LENGTH_WEIGHT = {1: 0.45, 2: 1.0, 3: 0.9, 4: 0.7}
MAX_LABEL_CHECKS = 15     # candidates tried against ``accept`` per theme


def pick_quotes(texts: list[str], vectors: np.ndarray, centroid: np.ndarray, n: int = 5) -> list[str]:
    """Up to ``n`` distinct, representative (closest to the centroid), readable answers.

    Prefers answers of 4-60 words; ``texts`` must already be redacted.
    """
    if not texts:
        return []
    sims = vectors @ centroid
    length = np.array([len(t.split()) for t in texts])
    penalty = np.where((length >= 4) & (length <= 60), 0.0, 0.15)
    order = np.argsort(-(sims - penalty))
    out, seen = [], set()
    for i in order:
        key = re.sub(r"\W+", " ", texts[i].lower()).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(texts[i])
        if len(out) >= n:
            break
    return out


def _phrases(doc: Any) -> list[str]:
    """Candidate label phrases from a POS-tagged doc.

    Noun phrases ``(ADJ|NOUN|VERB)* NOUN`` up to 4 words ("monthly fee", "support agent"), and
    noun + verb clauses ("app kept crashing", "price went up") that say what happened.
    """
    toks = list(doc)
    out, run = [], []

    def flush(run: list) -> list:
        while run and run[-1].pos_ not in {"NOUN", "PROPN"}:
            run.pop()
        while run and (run[0].lower_ in _STOP or run[0].pos_ == "VERB" and len(run) > 3):
            run.pop(0)
        return run

    for i, tok in enumerate(toks + [None]):
        ok = (tok is not None and tok.pos_ in _POS_PHRASE and tok.is_alpha and not _PLACEHOLDER.match(tok.text)
              and tok.text not in _PLACEHOLDER_NAMES)
        if ok:
            run.append(tok)
            continue
        run = flush(run)
        if run and any(t.lower_ not in _STOP for t in run):
            words = [t.lower_ for t in run[-4:]]
            out.append(" ".join(words))
            # noun + (aux/adv)* + verb (+ particle): "app kept crashing", "price went up"
            j = i
            verb: list[Any] = []
            while j < len(toks) and len(verb) < 3 and toks[j].pos_ in {"AUX", "ADV", "VERB", "PART"} \
                    and toks[j].lower_ not in {"not", "n't", "never", "also", "just", "really", "very"}:
                verb.append(toks[j])
                j += 1
            if verb and verb[-1].pos_ == "VERB":
                if j < len(toks) and toks[j].lower_ in {"up", "down", "out", "off"}:
                    verb.append(toks[j])
                head = [t.lower_ for t in run[-2:]]
                verb_words = [t.lower_ for t in verb if t.pos_ != "AUX" or t.lower_ in {"kept", "keeps"}]
                if verb_words and len(head) + len(verb_words) <= 4:
                    out.append(" ".join(head + verb_words))
        run = []
    return out


def _stem(word: str) -> str:
    """A crude stem, enough to match "crashes"/"crashing" or "charged"/"charges"."""
    return word[:5] if len(word) > 5 else word


def cause_vocabulary(taxonomy: Any, key: str) -> set[str]:
    """Stems of the content words in a root cause's name, description and example phrases."""
    cat = next((c for c in taxonomy.categories if c.key == key), None)
    if cat is None:
        return set()
    words = re.findall(r"[a-z]+", " ".join([cat.name, cat.description, *cat.examples]).lower())
    return {_stem(w) for w in words if len(w) > 2 and w not in _STOP}


def label_check(label: str, category: str, taxonomy: Any, tagger: Any, keywords: list[str] | None = None) -> bool:
    """Does ``label`` read as a reason? It must not be a lone noun ("Parcel", "Facebook page"
    counts as a product noun phrase only when it has no reason word), and it must contain a
    verb or adjective ("kept crashing", "rude agent") or a word of its root cause's vocabulary
    ("price increase", "delivery driver")."""
    words = re.findall(r"[a-z]+", label.lower())
    if not words:
        return False
    doc = tagger(f"The problem was {label.lower()}.")
    tags = [t.pos_ for t in doc][3:-1]
    has_verb_adj = any(tag in {"VERB", "ADJ"} for tag in tags)
    vocab = cause_vocabulary(taxonomy, category)
    in_vocab = any(_stem(w) in vocab for w in words if w not in _STOP)
    if len(words) == 1 and not has_verb_adj:
        return False
    return has_verb_adj or in_vocab


def make_label(phrase_lists: list[list[str]], keywords: list[tuple[str, float]],
               vocabulary: set[str] | None = None, accept: Callable[[str], bool] | None = None) -> str:
    """Short label for a theme: the phrase from its answers that best covers its keywords,
    preferring phrases that say why (a word of the root cause's ``vocabulary`` stems, or a
    noun + verb clause) over bare product nouns.

    ``phrase_lists`` holds, per representative (redacted) answer, its candidate phrases (see
    :func:`answer_phrases`); ``accept`` (e.g. :func:`label_check`) picks the best-scoring phrase
    it accepts, if any of the top few; falls back to the top c-TF-IDF terms when no phrase is found.
    """
    weights: dict[str, float] = {}
    for rank, (term, _score) in enumerate(keywords):
        for w in term.split():
            weights[w] = max(weights.get(w, 0.0), 1.0 / (1 + rank))
    counts: Counter[str] = Counter()
    for phrases in phrase_lists:
        for phrase in set(phrases):
            counts[phrase] += 1
    scored: list[tuple[float, str]] = []
    for phrase, freq in counts.items():
        words = phrase.split()
        if len(set(words)) < len(words):      # "spam spam spam"
            continue
        says_why = bool(vocabulary and any(_stem(w) in vocabulary for w in words if w not in _STOP))
        cover = sum(weights.get(w, 0.0) for w in words if w not in _STOP) if weights else 0.1
        if cover <= 0 and says_why:
            cover = 0.2                       # names the cause, though not a top keyword
        if cover <= 0:
            continue
        # frequency on a log scale (a phrase in 12 of 30 answers is not 6x one in 2), and two- or
        # three-word phrases ("slow connection") over bare words ("seconds")
        score = cover * np.log1p(freq) * _LENGTH_WEIGHT.get(len(words), 0.5)
        scored.append((score * (2.0 if says_why else 1.0), phrase))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[0][1] if scored else ""
    if accept is not None:
        best = next((phrase for _, phrase in scored[:MAX_LABEL_CHECKS] if accept(phrase)), best)
    if not best:
        terms = [t for t, _ in keywords[:3]]
        bigrams = [t for t in terms if " " in t]
        best = bigrams[0] if bigrams else " / ".join(terms[:2]) or "miscellaneous"
    return best[:1].upper() + best[1:]


def answer_phrases(texts: list[str], nlp: Any) -> list[list[str]]:
    """Candidate label phrases per text (already redacted), POS-tagged with a spaCy pipeline
    that has a tagger. Plain lists, so they can be cached per text."""
    return [_phrases(doc) for doc in nlp.pipe(texts, batch_size=256)]
