"""Text rules that need no model: normalisation, non-answer detection, segmentation.

Imported by the spaCy components in :mod:`nlp.preprocess`; importing this module is cheap.
"""
from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<[^>]{1,200}>")
_MD = re.compile(r"(\*\*|__|`+|^#+\s*|^>\s*)", re.MULTILINE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff]")


def normalize(text: str) -> str:
    """Unescape HTML entities, strip tags/markdown, NFKC-normalise and collapse whitespace."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = html.unescape(text)
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD.sub("", text)
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


# ---------------------------------------------------------------- non-answers
_NON_ANSWERS = {
    "", "n/a", "na", "n a", "none", "nothing", "no", "nope", "nah", "nil", "null", "no comment",
    "no comments", "nothing to say", "nothing to add", "nothing else", "nothing really", "idk",
    "i dont know", "i don't know", "dont know", "don't know", "dunno", "not sure", "no idea",
    "no reason", "no reason really", "test", "testing", "ok", "okay", "fine", "whatever", "pass",
    "skip", "prefer not to say", "rather not say", "i'd rather not say", "no thanks", "meh",
    "lol", "not applicable", "just because", "because", "same", "same as before", "as above",
    "see above", "see previous", "already told you", "-", "--", "?", "...", "x", "xx", "xxx",
    "blah", "blah blah", "no answer", "nothing comes to mind", "can't remember", "cant remember",
    "don't remember", "dont remember", "no opinion", "none of your business", "not telling",
    "sin comentarios", "nada", "rien", "keine angabe", "kein kommentar", "sans commentaire",
}
_NON_ANSWER_PATTERNS = [
    re.compile(r"^(?:please )?(?:see|refer to|check|read) (?:my |the |our )?(?:previous|earlier|last|above|prior|"
               r"other|first|original)\s+(?:e-?mail|message|answer|comment|response|note|reply|ticket|letter)s?\b.{0,30}$"),
    re.compile(r"^(?:as|already|like i) (?:stated|said|mentioned|explained|written|wrote|told you)"
               r"(?: (?:above|before|previously|earlier|already|in my (?:e-?mail|message)))*$"),
    re.compile(r"^(?:i(?: have|'ve)? )?already (?:told|explained|said|gave|written|answered)\b.{0,40}$"),
    re.compile(r"^(?:please )?just (?:cancel|close|delete|end|stop)\b.{0,25}$"),
    re.compile(r"^why (?:do|would|should|does) (?:you|it|anyone) (?:need|want|care|matter)\b.{0,20}$"),
    re.compile(r"^(?:none of your|not your) (?:business|concern)\b.{0,10}$"),
    re.compile(r"^(?:no|nothing|none)(?: (?:to add|to say|to report|comment|comments|really|else|at all|thanks|thank you))+$"),
]
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")


def _is_mash(token: str) -> bool:
    if len(token) < 4 or not token.isalpha():
        return False
    if not re.search(r"[aeiouy]", token):
        return True
    if re.search(r"(.)\1\1", token):
        return True
    return any(token[:4] in row or token[:4] in row[::-1] for row in _KEY_ROWS)


def is_non_answer(text: str) -> bool:
    """True for answers that carry no reason: "n/a", "no comment", "asdf", emoji only,
    "see previous email", punctuation, placeholders only ...

    Works on raw or normalised text; needs no model.
    """
    norm = normalize(text).lower()
    if not any(ch.isalnum() for ch in norm):
        return True  # empty, punctuation, emoji only
    core = re.sub(r"\[(?:person|email|phone|account|card|address|url)\]", " ", norm)
    core = re.sub(r"[^\w\s'/-]", " ", core)
    core = _WS.sub(" ", core).strip(" -'/")
    if core in _NON_ANSWERS or not any(ch.isalnum() for ch in core):
        return True
    if any(p.match(core) for p in _NON_ANSWER_PATTERNS):
        return True
    tokens = core.split()
    if len(tokens) <= 3 and all(_is_mash(t) for t in tokens):
        return True
    if len(set(tokens)) == 1 and len(tokens) > 1 and tokens[0] in _NON_ANSWERS:
        return True
    return False


# ---------------------------------------------------------------- segmentation
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\w\"'(\[])|\s*[;\n•]+\s*|\s+[-–—]\s+|\s*\b\d[.)]\s+")
_CLAUSE_SPLIT = re.compile(
    r"(?i),?\s+(?:and also|also|plus|as well as|on top of that|not to mention|besides that|"
    r"and besides|additionally|in addition|moreover|furthermore|another reason(?: is| was)?)\s+|"
    r",?\s+and\s+(?=(?:the|your|you|it|its|it's|i|i'm|my|they|their|there|nobody|no one|customer|"
    r"support|service|delivery|shipping|billing|also|then|when|every|constant|too|no)\b)|"
    r",\s+(?=(?:the|your|it|i|my|they|no|too)\b)"
)
_MIN_WORDS = 3
_LEADING_CONNECTOR = re.compile(r"(?i)^(?:and also|also|plus|and|additionally|besides|moreover|furthermore|"
                                r"on top of that|in addition)\b[,:]?\s*")


def split_segments(text: str, max_segments: int = 4) -> list[str]:
    """Split an answer into reason segments (sentences, then "and also"/"plus"-style clauses).

    Pieces under three words are glued to a neighbour, so "too pricey, and slow" stays whole
    while "The price went up again. Also the app crashes every day." gives two segments. A
    question is glued to its neighbour too: "My card never came. What should I do?" asks about
    the one reason it follows rather than giving a second one (and embedding it separately
    would cost time for nothing).
    """
    pieces: list[str] = []
    for sentence in _SENT_SPLIT.split(text):
        if not sentence or not sentence.strip():
            continue
        for p in _CLAUSE_SPLIT.split(sentence):
            p = _LEADING_CONNECTOR.sub("", (p or "").strip(" ,.;")).strip(" ,.;")
            if p:
                pieces.append(p)
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(piece.split()) < _MIN_WORDS or len(merged[-1].split()) < _MIN_WORDS):
            merged[-1] = f"{merged[-1]}, {piece}"
        elif merged and (piece.endswith("?") or merged[-1].endswith("?")):
            merged[-1] = f"{merged[-1]} {piece}" if merged[-1].endswith("?") else f"{merged[-1]}. {piece}"
        else:
            merged.append(piece)
    if len(merged) > max_segments:
        merged = merged[: max_segments - 1] + [" ".join(merged[max_segments - 1:])]
    return merged or ([text.strip()] if text.strip() else [])
