"""Text rules that need no model: normalisation and segmentation (non-answers: ``non_answers``).

Imported by the spaCy components in :mod:`nlp.preprocess`; importing this module is cheap.
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<[^>]{1,200}>")
_MD = re.compile(r"(\*\*|__|`+|^#+\s*|^>\s*)", re.MULTILINE)
# link text holds no "[" and the target is bounded: otherwise each "[" of a long run ("[[[[",
# "[a]([a](") was read to the end of the text, quadratic in its length
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\((?:[^)]{1,2000})\)")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff]")
# line and paragraph separators end a line like "\n" (removed, they glued two words together)
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
# a run of marks longer than this is cut to this many: spaCy's tokenizer peels one suffix at a
# time off such a run, searching all of it each time (12,000 marks took over 20 s), and ten "!"
# say what forty do
MAX_MARK_RUN = 10
_MARK_RUN = re.compile(rf"[^\w\s]{{{MAX_MARK_RUN + 1},}}")


def normalize(text: object) -> str:
    """Unescape HTML entities, strip tags/markdown, NFKC-normalise, collapse whitespace and cut
    runs of marks to ``MAX_MARK_RUN``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = html.unescape(text)
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD.sub("", text)
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    text = _LINE_SEPARATORS.sub("\n", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _MARK_RUN.sub(lambda m: m.group()[:MAX_MARK_RUN], text)
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


# ---------------------------------------------------------------- segmentation
# "approx. $5", "e.g. $9.99", "vs. $20", "U.S. $": a price after one of these is in the same
# sentence (a sentence that opens with a price is one: "... Mint Mobile. $15/mo vs $65").
_BEFORE_A_PRICE = ("approx", "vs", "ca", "incl", "excl", "esp", "avg", "min", "max")
_NOT_AN_END = r"(?<!\b\w\.\w\.)" + "".join(rf"(?<!\b(?i:{word})\.)" for word in _BEFORE_A_PRICE)
_SENT_SPLIT = re.compile(
    r"(?<=[.!?])\s+(?=[\w\"'(\[])|(?<=[.!?])" + _NOT_AN_END + r"\s+(?=[$£€])|"
    r"\s*[;\n•]+\s*|\s+[-–—]\s+|\s*\b\d[.)]\s+"
)
_CLAUSE_SPLIT = re.compile(
    r"(?i),?\s+(?:and also|also|plus|as well as|on top of that|not to mention|besides that|"
    r"and besides|additionally|in addition|moreover|furthermore|another reason(?: is| was)?)\s+|"
    r",?\s+and\s+(?=(?:the|your|you|it|its|it's|i|i'm|my|they|their|there|nobody|no one|customer|"
    r"support|service|delivery|shipping|billing|also|then|when|every|constant|too|no)\b)|"
    r",\s+(?=(?:the|your|it|i|my|they|no|too)\b)"
)
_MIN_WORDS = 3
# Words that add a point: "Also ...", "Plus ...", "On top of that ...".
_ADDING = r"and also|also|plus|on top of that|besides|additionally|in addition|moreover|furthermore"
_LEADING_CONNECTOR = re.compile(rf"(?i)^(?:{_ADDING}|and)\b[,:]?\s*")


# a sentence that opens with one of these is a further reason: "Also not cheap." is one, though
# under three words (inside a sentence, "it was also getting pricey", the word says less)
_ADDED_POINT = re.compile(rf"(?i)(?:{_ADDING}|not to mention)\b")


def split_segments(text: str, max_segments: int = 4) -> list[str]:
    """Split an answer into reason segments (sentences, then "and also"/"plus"-style clauses).

    Pieces under three words are glued to a neighbour, so "too pricey, and slow" stays whole
    while "The price went up again. Also the app crashes every day." gives two segments. A
    question is glued to the piece before it: "My card never came. What should I do?" asks about
    the one reason it follows rather than giving a second one (and embedding it separately
    would cost time for nothing). What follows a question starts a segment of its own: "Why did
    my bill go up?? Nobody on the phone can explain it." gives a second reason after the
    (rhetorical) question, not more of the same one. A sentence that opens by adding a point
    ("Also not cheap.", "Plus no refunds.") is a segment at two words already, and so is the
    two-word reason before it ("Business closed. Also your invoices were wrong.").
    """
    pieces: list[tuple[str, bool]] = []  # each piece, and whether a word announced it as a new point
    for sentence in _SENT_SPLIT.split(text):
        if not sentence or not sentence.strip():
            continue
        for p in _CLAUSE_SPLIT.split(sentence):
            p = (p or "").strip(" ,.;")
            announced = bool(_ADDED_POINT.match(p))
            p = _LEADING_CONNECTOR.sub("", p).strip(" ,.;")
            if p:
                pieces.append((p, announced))
    merged: list[str] = []
    for piece, announced in pieces:
        fewest = _MIN_WORDS - 1 if announced else _MIN_WORDS  # "Also not cheap." is a point
        if merged and (len(piece.split()) < fewest or len(merged[-1].split()) < fewest):
            merged[-1] = f"{merged[-1]}, {piece}"
        elif merged and piece.endswith("?"):
            merged[-1] = f"{merged[-1]} {piece}" if merged[-1].endswith("?") else f"{merged[-1]}. {piece}"
        else:
            merged.append(piece)
    if len(merged) > max_segments:
        merged = merged[: max_segments - 1] + [" ".join(merged[max_segments - 1 :])]
    return merged or ([text.strip()] if text.strip() else [])
