"""Preprocessing with spaCy: normalise, redact personal data, detect non-answers, segment.

The steps are registered spaCy components (``afterword_pii_patterns``, ``afterword_redact``,
``afterword_non_answer``, ``afterword_segment``) added after the model's NER; normalisation
(whitespace, markup, entities) happens in a tokenizer wrapper, so every later component and
every later stage sees only normalised text, and everything after the ``afterword_redact``
component sees only redacted text.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from . import pii

PREPROCESS_VERSION = "1"

for _name, _default in (("pii_spans", None), ("redacted", None), ("is_non_answer", False),
                        ("segments", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

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


def split_segments(text: str, max_segments: int = 4) -> list[str]:
    """Split an answer into reason segments (sentences, then "and also"/"plus"-style clauses).

    Pieces under three words are glued to a neighbour, so "too pricey, and slow" stays whole
    while "The price went up again. Also the app crashes every day." gives two segments.
    """
    pieces: list[str] = []
    for sentence in _SENT_SPLIT.split(text):
        if not sentence or not sentence.strip():
            continue
        pieces.extend(p.strip(" ,.;") for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip(" ,.;"))
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(piece.split()) < _MIN_WORDS or len(merged[-1].split()) < _MIN_WORDS):
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    if len(merged) > max_segments:
        merged = merged[: max_segments - 1] + [" ".join(merged[max_segments - 1:])]
    return merged or ([text.strip()] if text.strip() else [])


# ---------------------------------------------------------------- spaCy components
@Language.component("afterword_pii_patterns", assigns=["doc._.pii_spans"])
def pii_patterns_component(doc: Doc) -> Doc:
    """Find pattern-based personal data (emails, phones, numbers, addresses, cued names)."""
    doc._.pii_spans = pii.find_pattern_spans(doc.text)
    return doc


# Words the small NER model tags as PERSON that are products, brands or plain words here.
_NOT_PERSON = {
    "visa", "mastercard", "amex", "paypal", "apple", "google", "apple pay", "google pay", "netflix",
    "spotify", "amazon", "uber", "stripe", "venmo", "revolut", "monzo", "wise", "klarna", "zoom",
    "slack", "jira", "excel", "android", "iphone", "ipad", "mac", "windows", "linux", "chrome",
    "whatsapp", "instagram", "facebook", "tiktok", "youtube", "alexa", "siri", "hulu", "disney",
    "prime", "premium", "pro", "plus", "gold", "euro", "euros", "pound", "pounds", "dollar",
    "dollars", "pin", "app", "hi", "hello", "thanks", "dear", "ok", "okay", "bonjour", "hola",
}
_NAME_CANDIDATE = re.compile(
    r"(?<![.!?:]\s)(?<!^)(?<!\n)\b[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?\b|"
    r"(?:^|[.!?:]\s+|\n)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?\s+(?:in|from|at|on|of|was|is|were|said|told|never|here|"
    r"and|kept|promised|hung|called|emailed|did|didn't|had|has|'s|could|couldn't|would|wouldn't|"
    r"just|then|also|who|tried|refused|laughed|asked)\b"
)


_FOREIGN_STOP = {
    "de": {"und", "der", "die", "das", "nicht", "ist", "ich", "wir", "zu", "mit", "ein", "eine", "für", "auf", "sind", "hat", "mehr"},
    "fr": {"le", "la", "les", "et", "est", "je", "nous", "pas", "une", "des", "pour", "avec", "que", "vous", "mon", "très"},
    "es": {"el", "la", "los", "las", "y", "es", "que", "no", "una", "por", "para", "con", "muy", "mi", "pero", "del"},
    "it": {"il", "la", "che", "non", "è", "una", "per", "con", "sono", "mi", "del", "della", "troppo", "ho"},
    "nl": {"de", "het", "een", "en", "niet", "is", "ik", "we", "van", "voor", "met", "te", "zijn", "mijn"},
    "pt": {"o", "a", "os", "as", "e", "é", "que", "não", "um", "uma", "para", "com", "muito", "meu", "minha"},
}
_EN_STOP = {"the", "and", "is", "was", "i", "to", "it", "my", "a", "of", "for", "not", "with", "you", "your",
            "we", "they", "on", "in", "too", "me", "that", "this", "have", "had", "but", "no", "be", "so"}


def guess_language(text: str) -> str:
    """Very rough stop-word vote: ``en``, ``de``, ``fr``, ``es``, ``it``, ``nl`` or ``pt``."""
    words = re.findall(r"[a-zà-ÿß]+", text.lower())
    if not words:
        return "en"
    best, score = "en", sum(w in _EN_STOP for w in words)
    for lang, stop in _FOREIGN_STOP.items():
        s = sum(w in stop for w in words)
        if s > score:
            best, score = lang, s
    return best


def needs_ner(text: str) -> bool:
    """Cheap gate: could this text contain a person's name the patterns did not catch?

    True when a capitalised word stands mid-sentence, or a capitalised word opens a sentence
    and is followed by a verb/preposition a name typically takes ("Sarah in support...").
    The small NER model costs about 3 ms a text on 2 cores, so most texts skip it.
    """
    return bool(_NAME_CANDIDATE.search(text)) and guess_language(text) == "en"


def person_spans(doc: Doc) -> list[pii.Span]:
    """PERSON entities that look like names (not brands, currencies or all-caps codes)."""
    spans = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        text = ent.text.strip(" .,'")
        if not text or not text[0].isupper() or any(ch.isdigit() for ch in text) or "[" in text:
            continue
        if (text.isupper() and len(text) > 1) or text.lower() in _NOT_PERSON:
            continue
        spans.append((ent.start_char, ent.end_char, "PERSON"))
    return spans


class GatedNER:
    """Runs the model's NER only on texts that pass :func:`needs_ner` (batched)."""

    def __init__(self, nlp: Language, ner_name: str = "ner") -> None:
        self.nlp = nlp
        self.ner_name = ner_name

    def _ner(self) -> Any:
        return self.nlp.get_pipe(self.ner_name)

    def __call__(self, doc: Doc) -> Doc:
        return self._ner()(doc) if needs_ner(doc.text) else doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        ner = self._ner()
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(ner, batch)
                batch = []
        if batch:
            yield from self._run(ner, batch)

    def _run(self, ner: Any, batch: list[Doc]) -> list[Doc]:
        gate = [needs_ner(d.text) for d in batch]
        chosen = [d for d, g in zip(batch, gate) if g]
        if chosen:
            list(ner.pipe(chosen, batch_size=len(chosen)))
        return batch


@Language.factory("afterword_gated_ner")
def make_gated_ner(nlp: Language, name: str) -> GatedNER:
    """Factory for :class:`GatedNER` (wraps the pipeline's own, disabled, ``ner``)."""
    return GatedNER(nlp)


@Language.component("afterword_redact", requires=["doc._.pii_spans"], assigns=["doc._.redacted"])
def redact_component(doc: Doc) -> Doc:
    """Combine pattern spans and PERSON entities into ``doc._.redacted``."""
    spans = list(doc._.pii_spans or []) + person_spans(doc)
    doc._.redacted = pii.apply_spans(doc.text, spans)
    return doc


@Language.component("afterword_non_answer", requires=["doc._.redacted"], assigns=["doc._.is_non_answer"])
def non_answer_component(doc: Doc) -> Doc:
    """Flag answers that give no reason (``doc._.is_non_answer``)."""
    doc._.is_non_answer = is_non_answer(doc._.redacted)
    return doc


@Language.component("afterword_segment", requires=["doc._.redacted"], assigns=["doc._.segments"])
def segment_component(doc: Doc) -> Doc:
    """Split the redacted answer into reason segments (``doc._.segments``)."""
    doc._.segments = [] if doc._.is_non_answer else split_segments(doc._.redacted)
    return doc


class NormalizingTokenizer:
    """Tokenizer wrapper: normalises text (markup, whitespace) before spaCy tokenises it."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(normalize(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kw: Any) -> bytes:
        return self.tokenizer.to_bytes(**kw)

    def from_bytes(self, data: bytes, **kw: Any) -> "NormalizingTokenizer":
        self.tokenizer.from_bytes(data, **kw)
        return self

    def to_disk(self, path: Any, **kw: Any) -> None:
        self.tokenizer.to_disk(path, **kw)

    def from_disk(self, path: Any, **kw: Any) -> "NormalizingTokenizer":
        self.tokenizer.from_disk(path, **kw)
        return self


COMPONENTS = ("afterword_pii_patterns", "afterword_gated_ner", "afterword_redact", "afterword_non_answer",
              "afterword_segment")


def add_components(nlp: Language) -> Language:
    """Install the normalising tokenizer and Afterword's components on a loaded pipeline."""
    if not isinstance(nlp.tokenizer, NormalizingTokenizer):
        nlp.tokenizer = NormalizingTokenizer(nlp.tokenizer)
    has_ner = "ner" in nlp.pipe_names
    for name in COMPONENTS:
        if name == "afterword_gated_ner" and not has_ner:
            continue
        if name not in nlp.pipe_names:
            if name == "afterword_pii_patterns":
                nlp.add_pipe(name, first=True)
            else:
                nlp.add_pipe(name, last=True)
    if has_ner:
        nlp.disable_pipe("ner")  # the gated wrapper calls it only where a name may be
    return nlp


# ---------------------------------------------------------------- batch API
@dataclass
class Prepared:
    """One answer after preprocessing. ``text`` and ``segments`` are redacted."""

    text: str
    is_non_answer: bool
    segments: list[str] = field(default_factory=list)

    def to_list(self) -> list:
        return [self.text, self.is_non_answer, self.segments]

    @classmethod
    def from_list(cls, data: list) -> "Prepared":
        return cls(data[0], bool(data[1]), list(data[2]))


def prepare_docs(texts: list[str], nlp: Language, segment: bool = True,
                 progress: Callable[[float], None] | None = None, batch_size: int = 256) -> list[Prepared]:
    """Run the spaCy pipeline over ``texts`` and return redacted :class:`Prepared` records."""
    out: list[Prepared] = []
    n = max(1, len(texts))
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        segs = (doc._.segments or []) if segment else ([doc._.redacted] if not doc._.is_non_answer else [])
        out.append(Prepared(doc._.redacted, bool(doc._.is_non_answer), segs))
        if progress and i % 500 == 0:
            progress(i / n)
    if progress:
        progress(1.0)
    return out
