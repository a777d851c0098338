"""Preprocessing with spaCy: normalise, redact personal data, detect non-answers, segment.

The steps are registered spaCy components (``afterword_pii_patterns``, ``afterword_redact``,
``afterword_non_answer``, ``afterword_segment``) added after the model's NER; normalisation
(whitespace, markup, entities) happens in a tokenizer wrapper, so every later component and
every later stage sees only normalised text, and everything after the ``afterword_redact``
component sees only redacted text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import pii
from .languages import guess_language
from .non_answers import is_non_answer
from .pii import needs_ner, person_spans
from .reply_body import reply_body
from .rules import normalize, split_segments

PREPROCESS_VERSION = "48"
__all__ = [
    "Prepared",
    "guess_language",
    "keep_names_tag",
    "needs_ner",
    "normalize",
    "prepare_docs",
    "split_segments",
]

for _name, _default in (
    ("normalized", None),
    ("pii_spans", None),
    ("redacted", None),
    ("redactions", None),
    ("is_non_answer", False),
    ("segments", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


# ---------------------------------------------------------------- spaCy components
def doc_text(doc: Doc) -> str:
    """The doc's text: the normalised string the tokenizer was given (``doc._.normalized``), which
    spaCy's lossless tokenizer reproduces exactly, else ``doc.text``. ``Doc.text`` joins every
    token afresh on each call, and the components asked for it about eight times a doc (~4 s CPU
    per 10,000 answers)."""
    text = doc._.normalized
    return doc.text if text is None else text


@Language.component("afterword_pii_patterns", assigns=["doc._.pii_spans"])
def pii_patterns_component(doc: Doc) -> Doc:
    """Find pattern-based personal data (emails, phones, numbers, addresses, cued names)."""
    doc._.pii_spans = pii.find_pattern_spans(doc_text(doc))
    return doc


class GatedNER:
    """Runs the model's NER only on texts that pass :func:`needs_ner` (batched)."""

    def __init__(self, nlp: Language, ner_name: str = "ner") -> None:
        self.nlp = nlp
        self.ner_name = ner_name

    def _ner(self) -> Any:
        return self.nlp.get_pipe(self.ner_name)

    def __call__(self, doc: Doc) -> Doc:
        """Run NER on one doc when the gate says a name may be there."""
        return self._ner()(doc) if needs_ner(doc_text(doc)) else doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        """Batched version of ``__call__`` (NER runs on the gated docs of each batch together)."""
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
        gate = [needs_ner(doc_text(d)) for d in batch]
        chosen = [d for d, g in zip(batch, gate, strict=True) if g]
        if chosen:
            list(ner.pipe(chosen, batch_size=len(chosen)))
        return batch


@Language.factory("afterword_gated_ner")
def make_gated_ner(nlp: Language, name: str) -> GatedNER:
    """Factory for :class:`GatedNER` (wraps the pipeline's own, disabled, ``ner``)."""
    return GatedNER(nlp)


@Language.component(
    "afterword_redact", requires=["doc._.pii_spans"], assigns=["doc._.redacted", "doc._.redactions"]
)
def redact_component(doc: Doc, keep_names: Iterable[str] = ()) -> Doc:
    """Combine pattern spans and PERSON entities into ``doc._.redacted``.

    ``keep_names`` (the installation's own and competitors' names, passed per call as
    ``component_cfg={"afterword_redact": {"keep_names": [...]}}``) are never taken for people;
    the shipped brand list (``nlp/data/brands.txt``) always applies.
    """
    ext = doc._  # each ``doc._`` builds a new accessor: one per component is enough
    text = doc_text(doc)
    spans = list(ext.pii_spans or []) + person_spans(doc, keep_names, text)
    # a name joined to a found one is a person too, a name is grown over its parts beside it ("Ng,
    # [Wai Kit]"), and a code is redacted whole (after NER: either finder's name can stand beside
    # the other's, and the NER's names have parts the pattern rules never saw)
    spans = pii.grow_codes(text, pii.complete_names(text, pii.joined_names(text, spans)))
    spans = pii.drop_kept_names(text, spans, tuple(keep_names))
    # a name found once is redacted wherever it stands again, unless there it names a product
    # ... and grown over its parts there too: "me (K. [Oyelaran])"
    spans = pii.complete_names(text, pii.repeat_names(text, spans))
    spans = pii.drop_kept_names(text, spans, tuple(keep_names))
    ext.redactions = pii.merge_spans(spans)
    ext.redacted = pii.apply_spans(text, ext.redactions)
    return doc


@Language.component("afterword_non_answer", requires=["doc._.redacted"], assigns=["doc._.is_non_answer"])
def non_answer_component(doc: Doc) -> Doc:
    """Flag answers that give no reason (``doc._.is_non_answer``)."""
    ext = doc._
    ext.is_non_answer = is_non_answer(ext.redacted)
    return doc


@Language.component("afterword_segment", requires=["doc._.redacted"], assigns=["doc._.segments"])
def segment_component(doc: Doc) -> Doc:
    """Split the redacted answer into reason segments (``doc._.segments``); of an e-mail reply,
    its body only (:func:`nlp.reply_body.reply_body`)."""
    ext = doc._
    ext.segments = [] if ext.is_non_answer else split_segments(reply_body(ext.redacted))
    return doc


class NormalizingTokenizer:
    """Tokenizer wrapper: normalises text (markup, whitespace) before spaCy tokenises it."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        """Normalise, then tokenise; the normalised text is kept in ``doc._.normalized``."""
        norm = normalize(text)
        doc = self.tokenizer(norm)
        doc._.normalized = norm
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        """Tokenise a stream of texts."""
        for text in texts:
            yield self(text)

    def to_bytes(self, **kw: Any) -> bytes:
        """Serialise the wrapped tokenizer."""
        return self.tokenizer.to_bytes(**kw)

    def from_bytes(self, data: bytes, **kw: Any) -> NormalizingTokenizer:
        """Load the wrapped tokenizer."""
        self.tokenizer.from_bytes(data, **kw)
        return self

    def to_disk(self, path: Any, **kw: Any) -> None:
        """Save the wrapped tokenizer."""
        self.tokenizer.to_disk(path, **kw)

    def from_disk(self, path: Any, **kw: Any) -> NormalizingTokenizer:
        """Load the wrapped tokenizer."""
        self.tokenizer.from_disk(path, **kw)
        return self


COMPONENTS = (
    "afterword_pii_patterns",
    "afterword_gated_ner",
    "afterword_redact",
    "afterword_non_answer",
    "afterword_segment",
)


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
        """Compact JSON form for the cache."""
        return [self.text, self.is_non_answer, self.segments]

    @classmethod
    def from_list(cls, data: list) -> Prepared:
        """Inverse of :meth:`to_list`."""
        return cls(data[0], bool(data[1]), list(data[2]))


def keep_names_tag(keep_names: Iterable[str] = ()) -> str:
    """Short stable tag of an allow-list, for cache keys (a changed list must re-redact)."""
    names = sorted({n.strip().lower() for n in keep_names if n and n.strip()})
    return hashlib.sha1("\n".join(names).encode("utf-8")).hexdigest()[:10] if names else "-"


def prepare_docs(
    texts: list[str],
    nlp: Language,
    segment: bool = True,
    progress: Callable[[float], None] | None = None,
    batch_size: int = 256,
    keep_names: Iterable[str] = (),
) -> list[Prepared]:
    """Run the spaCy pipeline over ``texts`` and return redacted :class:`Prepared` records.

    ``keep_names``: product, brand and competitor names never redacted as people (see
    ``PipelineConfig.keep_names``); include :func:`keep_names_tag` in any cache key.
    """
    out: list[Prepared] = []
    n = max(1, len(texts))
    cfg = {"afterword_redact": {"keep_names": tuple(keep_names)}}
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size, component_cfg=cfg)):
        ext = doc._
        segs = (ext.segments or []) if segment else ([ext.redacted] if not ext.is_non_answer else [])
        out.append(Prepared(ext.redacted, bool(ext.is_non_answer), segs))
        if progress and i % 500 == 0:
            progress(i / n)
    if progress:
        progress(1.0)
    return out
