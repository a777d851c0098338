"""Organisation names in the answers ("where they went"), read behind the redaction boundary.

Takes the pipeline's :class:`~nlp.results.Assignment` results, whose ``redacted_text`` is all
it reads: spaCy's NER never sees an answer before personal data was replaced by placeholders,
so a person's name, email or phone number can never come back as an "organisation".
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import load_spacy
from .pii import needs_ner
from .results import Assignment

#: Shortest name kept (two letters are initials or noise more often than a company).
MIN_LENGTH = 3


def organisations(
    assignments: Iterable[Assignment], spacy_model: str = "en_core_web_sm", exclude: Iterable[str] = ()
) -> dict[str, list[str]]:
    """The ORG entities of each answer's redacted text, by answer id (deduplicated, sorted, the
    names in ``exclude`` left out, case-insensitively); answers naming none are left out.

    Only texts with a capitalised word where a name may stand go through NER (:func:`needs_ner`,
    the gate the redaction uses), so most answers cost nothing.
    """
    excluded = {name.strip().lower() for name in exclude if name and name.strip()}
    pending = [
        (a.id, a.redacted_text)
        for a in assignments
        if a.redacted_text and not a.is_non_answer and needs_ner(a.redacted_text)
    ]
    if not pending:
        return {}
    pipeline = load_spacy(spacy_model)
    if "ner" not in pipeline.component_names:
        return {}
    ner = pipeline.get_pipe("ner")
    found: dict[str, list[str]] = {}
    docs = ner.pipe(pipeline.make_doc(text) for _, text in pending)
    for (answer_id, _), doc in zip(pending, docs, strict=False):
        names = {ent.text.strip(" .,;:!?'\"") for ent in doc.ents if ent.label_ == "ORG"}
        kept = sorted(n for n in names if len(n) >= MIN_LENGTH and "[" not in n and n.lower() not in excluded)
        if kept:
            found[answer_id] = kept
    return found
