"""Candidate label phrases: the noun phrases and noun + verb clauses of POS-tagged answers."""

from __future__ import annotations

import re
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: Words that never start or carry a label phrase on their own.
STOP_WORDS = set(ENGLISH_STOP_WORDS) | {
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
        while run and (run[0].lower_ in STOP_WORDS or run[0].pos_ == "VERB" and len(run) > 3):
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
        if run and any(t.lower_ not in STOP_WORDS for t in run):
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


def answer_phrases(texts: list[str], nlp: Any) -> list[list[str]]:
    """Candidate label phrases per text (already redacted), POS-tagged with a spaCy pipeline
    that has a tagger. Plain lists, so they can be cached per text."""
    return [_phrases(doc) for doc in nlp.pipe(texts, batch_size=256)]
