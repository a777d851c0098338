"""The tone of an exit answer's reason: VADER's score of the clauses that give the reason, with
the politeness around them left out.

Exit answers wrap complaints in courtesy ("Love the team, but the price increase was too much";
"Thank you for the years of service. After the breach our board asked us to move"). Over the
whole answer VADER reads the courtesy and scores such a complaint positive, and a theme's mean
with it. A clause that only speaks well (VADER positive, no word it rates negative), or one
conceded before "but"/"however", is no reason for leaving (the premise of :mod:`nlp.praise`);
the rest are scored. An answer that is nothing but praise keeps its whole score.

Still a lexicon: "crashes constantly" or "too expensive" has no rated word and scores 0, and
sarcasm reads positive, so this is the tone of the words, not the customer's satisfaction
(docs/nlp.md, "Sentiment").
"""

from __future__ import annotations

import re

from .sentiment import sentiment, word_valence

#: Sentence ends, then the clause marks inside a sentence (",", ";", ":", dashes).
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSES = re.compile(r"\s*[,;:]\s*|\s+[-\u2013\u2014]\s+")
#: A contrast: what comes before it is conceded, the reason follows.
_CONTRAST = re.compile(
    r"(?i)\b(?:but|however|though|although|yet|except that|that said|sadly|unfortunately)\b"
)
_WORD = re.compile(r"[a-z']+")
#: Words VADER rates as good feelings that, in a reason for leaving, name an amount, a rival's
#: offer or a request ("price increase" +0.32, "their app is free" +0.51, "export my data please"):
#: scored as no feeling at all.
_NOT_FEELINGS = re.compile(r"(?i)\b(?:increase|increased|free|save|top|please|credit|worth)\b")
POSITIVE = 0.05  # VADER's usual bound for "positive"


def _clauses(text: str) -> list[str]:
    """Clauses of ``text``; a clause that opens with a contrast drops the clauses before it
    in its sentence and, when it opens the sentence, the sentence before it too."""
    kept: list[str] = []
    for sentence in (s for s in _SENTENCES.split(text.strip()) if s.strip()):
        pieces = [p for p in _CLAUSES.split(sentence) if p.strip()]
        start = len(kept)
        for piece in pieces:
            turn = _CONTRAST.search(piece)
            if turn is not None and turn.start() == 0 and kept:
                # "Great app. But the price ..." / "Love the team, but the price ...": a conceded
                # compliment before the turn; a complaint before it stays
                while kept and _is_courtesy(kept[-1]):
                    kept.pop()
                    if len(kept) <= start and pieces[0] != piece:
                        break
            if turn is not None and turn.start() > 0 and _is_courtesy(piece[: turn.start()]):
                piece = piece[turn.start() :]  # "The team was great but the app kept crashing"
            kept.append(piece.strip(" ."))
    return kept


def _score(text: str) -> float:
    """VADER's score with the words of ``_NOT_FEELINGS`` read as none."""
    return sentiment(_NOT_FEELINGS.sub("that", text))


def _is_courtesy(clause: str) -> bool:
    """A clause that only speaks well: VADER positive and no word it rates negative."""
    words = _WORD.findall(clause.lower())
    return _score(clause) > POSITIVE and not any(word_valence(w) < 0 for w in words)


def reason_sentiment(text: str) -> float:
    """VADER's score in [-1, 1] of the clauses of ``text`` that are not courtesy (0.0 for
    empty text; words of amounts and requests in ``_NOT_FEELINGS`` count as none); the whole
    answer's score when every clause is courtesy."""
    if not text or not text.strip():
        return 0.0
    reasons = [c for c in _clauses(text) if not _is_courtesy(c)]
    if not reasons:
        return sentiment(text)
    return _score(". ".join(reasons))
