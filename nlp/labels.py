"""Readable theme labels, keywords and representative quotes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .pii import is_brand

_STOP = set(ENGLISH_STOP_WORDS) | {
    "im",
    "ive",
    "dont",
    "didnt",
    "lot",
    "thing",
    "things",
    "way",
    "time",
    "bit",
    "day",
    "today",
    "yesterday",
    "kind",
    "sort",
    "reason",
}
_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")
#: spaCy splits "[PERSON]" into "[", "PERSON", "]": the bare names never belong in a label
_PLACEHOLDER_NAMES = {"PERSON", "EMAIL", "PHONE", "ACCOUNT", "CARD", "ADDRESS", "URL", "IBAN"}
_POS_PHRASE = {"ADJ", "NOUN", "PROPN", "VERB"}
_LENGTH_WEIGHT = {1: 0.45, 2: 1.0, 3: 0.9, 4: 0.7}
# Words that say what went wrong, whatever the cause: a label needs one (or a cue of its cause).
PROBLEM_WORDS = {
    "slow",
    "slower",
    "broken",
    "broke",
    "missing",
    "confusing",
    "rude",
    "late",
    "lost",
    "wrong",
    "hidden",
    "unresolved",
    "no",
    "never",
    "too",
    "poor",
    "bad",
    "hard",
    "unhelpful",
    "expensive",
    "failed",
    "failing",
    "fails",
    "crashed",
    "crashing",
    "crashes",
    "buggy",
    "unreliable",
    "useless",
    "clunky",
    "difficult",
    "awkward",
    "lacking",
    "lack",
    "limited",
    "worse",
    "worst",
    "higher",
    "extra",
    "double",
    "unexpected",
    "surprise",
    "unclear",
    "complicated",
    "cheaper",
    "better",
    "faster",
    "easier",
    "stopped",
    "ended",
    "closed",
    "finished",
    "dissolved",
    "cut",
    "cuts",
    "moved",
    "switched",
    "leaked",
    "shared",
    "sold",
    "hacked",
    "spam",
    "delayed",
    "damaged",
    "unusable",
    "outdated",
    "dropped",
    "rising",
    "increase",
    "hike",
    "rise",
    "outage",
    "outages",
    "errors",
    "bugs",
    "complaint",
    "ignored",
    "waiting",
    "needed",
    "overpriced",
    "pricey",
    "unaffordable",
    "charged",
    "overcharged",
    "refund",
    "delays",
    "lag",
    "laggy",
    "freezes",
    "down",
    "gone",
    "unfixed",
    "concerns",
    "worries",
    "risk",
    "breach",
    "unanswered",
    "unfriendly",
    "dismissive",
    "steep",
    "inflexible",
    "insecure",
    "unstable",
    "flaky",
    "incomplete",
    "unavailable",
    "removed",
    "problem",
    "problems",
    "issue",
    "issues",
}
MAX_LABEL_CHECKS = 15  # candidates tried against ``accept`` per theme
COMPETITOR = "competitor"  # the taxonomy key whose labels may name a brand (where customers went)


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
        ok = (
            tok is not None
            and tok.pos_ in _POS_PHRASE
            and tok.is_alpha
            and not _PLACEHOLDER.match(tok.text)
            and tok.text not in _PLACEHOLDER_NAMES
        )
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
            while (
                j < len(toks)
                and len(verb) < 3
                and toks[j].pos_ in {"AUX", "ADV", "VERB", "PART"}
                and toks[j].lower_ not in {"not", "n't", "never", "also", "just", "really", "very"}
            ):
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


def names_a_company(label: str, names: Iterable[str]) -> bool:
    """Does ``label`` contain one of ``names`` (the company's own name, brands), as whole words?"""
    words = set(re.findall(r"[^\W\d_]+", label.lower()))
    return any(name and set(re.findall(r"[^\W\d_]+", name.lower())) <= words for name in names)


def label_check(
    label: str,
    category: str,
    taxonomy: Any,
    tagger: Any,
    keywords: list[str] | None = None,
    banned_names: Iterable[str] = (),
) -> bool:
    """Does ``label`` read as a cause a person would write? Two words at least (never a lone
    noun), and a word that says what went wrong: a cue of its root cause (the taxonomy's
    ``cues``: "Price increase", "App kept crashing") or a problem word ("Slow sync", "Missing
    API", "Rude support agent"); a product noun phrase ("Mobile app", "Status page") is not one.
    It must not name the company or a brand in ``banned_names`` ("Used brightloop").
    ``tagger`` and ``keywords`` are accepted for callers that pass them and no longer needed."""
    words = re.findall(r"[a-z]+", label.lower())
    if len(words) < 2 or names_a_company(label, banned_names):
        return False
    cues = getattr(taxonomy, "cue_patterns", {}).get(category)
    return bool(cues is not None and cues.search(label.lower())) or any(w in PROBLEM_WORDS for w in words)


def make_label(
    phrase_lists: list[list[str]],
    keywords: list[tuple[str, float]],
    vocabulary: set[str] | None = None,
    accept: Callable[[str], bool] | None = None,
) -> str:
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
        if len(set(words)) < len(words):  # "spam spam spam"
            continue
        says_why = bool(vocabulary and any(_stem(w) in vocabulary for w in words if w not in _STOP))
        cover = sum(weights.get(w, 0.0) for w in words if w not in _STOP) if weights else 0.1
        if cover <= 0 and says_why:
            cover = 0.2  # names the cause, though not a top keyword
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


def cause_label(phrase: str, template: str | None, banned_names: Iterable[str] = ()) -> str:
    """Turn a bare noun phrase into a cause with its root cause's ``label_template``
    ("Missing {}" + "api" -> "Missing api"); words of ``banned_names`` are dropped first."""
    banned = {w for name in banned_names for w in re.findall(r"[^\W\d_]+", name.lower())}
    kept = [w for w in phrase.split() if w.lower() not in banned]
    core = " ".join(kept).strip().lower()
    if not template or "{}" not in template:
        text = core
    else:
        text = template.replace("{}", core).strip() if core else ""
    return text[:1].upper() + text[1:]


def restore_case(label: str, texts: list[str]) -> str:
    """Give each word of ``label`` the casing most answers use ("missing api" -> "Missing API")."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for word in re.findall(r"[^\W\d_][\w'-]*", text):
            if not word.islower():
                seen.setdefault(word.lower(), Counter())[word] += 1
    out = []
    for _i, word in enumerate(label.split()):
        forms = seen.get(word.lower())
        lower_count = (
            sum(len(re.findall(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", t)) for t in texts)
            if forms
            else 0
        )
        best = forms.most_common(1)[0] if forms else None
        if best and best[0].isupper() and len(best[0]) > 1 and best[1] > lower_count:
            out.append(best[0])  # an acronym: "API", "SSO"
        else:
            out.append(word)
    return " ".join(out)


def label_banned_names(config: Any, cause: str, texts: list[str]) -> list[str]:
    """Names a theme label must not contain: the company's own (``company_names``) always, and,
    outside the competitor cause (where "Moved to Notion" says where customers went), the
    allow-listed and shipped brand names found in the theme's answers."""
    banned = list(config.company_names)
    if cause != COMPETITOR:
        keep = tuple(config.names_to_keep())
        banned += list(keep)
        words = {w for t in texts for w in re.findall(r"[^\W\d_][\w'+-]*", t) if w[:1].isupper()}
        banned += [w for w in words if is_brand(w, keep)]
    return banned


def label_for_cause(
    label: str,
    keywords: list[tuple[str, float]],
    taxonomy: Any,
    cause: str,
    accept: Callable[[str], bool],
    banned: list[str],
    tagger: Any,
) -> str:
    """``label`` if it reads as a cause; else the cause's ``label_template`` around a top keyword
    that is a noun and not already a cause word, or around the label's own words ("Api" ->
    "Missing api"): the first such that passes ``accept``."""
    if accept(label):
        return label
    cat = next((c for c in taxonomy.categories if c.key == cause), None)
    template = (cat.label_template if cat else "") or "Problems with {}"
    cues = getattr(taxonomy, "cue_patterns", {}).get(cause)
    nouns = []
    for word, _ in keywords[:5]:
        alone = [t for t in tagger(word)]
        in_context = [t.pos_ for t in tagger(f"Problems with {word}")][2:]
        inflected_verb = (
            alone[-1].pos_ == "VERB" and alone[-1].tag_ in {"VBZ", "VBD", "VBN"} if alone else True
        )
        if (
            in_context
            and in_context[-1] in {"NOUN", "PROPN"}
            and alone[-1].pos_ not in {"ADJ", "ADV", "INTJ", "ADP"}
            and not inflected_verb
            and not (cues is not None and cues.search(word))
        ):
            nouns.append(word)
    tried = []
    for phrase in [*nouns, label]:
        candidate = cause_label(phrase, template, banned)
        if candidate and candidate not in tried:
            if accept(candidate):
                return candidate
            tried.append(candidate)
    return tried[0] if tried else label
