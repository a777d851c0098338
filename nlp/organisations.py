"""Organisation names in the answers ("where they went"), read behind the redaction boundary.

Takes the pipeline's :class:`~nlp.results.Assignment` results, whose ``redacted_text`` is all
it reads: spaCy's NER never sees an answer before personal data was replaced by placeholders,
so a person's name, email or phone number can never come back as an "organisation".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .models import load_spacy
from .pii import needs_ner
from .results import Assignment
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy

#: Shortest name kept (two letters are initials or noise more often than a company).
MIN_LENGTH = 3


@functools.cache
def _default_taxonomy() -> Taxonomy:
    return load_taxonomy(DEFAULT_TAXONOMY)


def cause_words(taxonomy: Taxonomy) -> frozenset[str]:
    """The words of the root causes' names, descriptions and example phrases, lower case: what a
    customer says went wrong ("API", "Billing", "Support"), which the NER model often tags as an
    organisation but which is never where they went."""
    texts = [t for c in taxonomy.categories for t in (c.name, c.description, *c.examples)]
    return frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", " ".join(texts)))


def organisations(
    assignments: Iterable[Assignment],
    spacy_model: str = "en_core_web_sm",
    exclude: Iterable[str] = (),
    taxonomy: Taxonomy | None = None,
) -> dict[str, list[str]]:
    """The ORG entities of each answer's redacted text, by answer id (deduplicated, sorted, the
    names in ``exclude`` left out, case-insensitively); answers naming none are left out. A name
    made only of the ``taxonomy``'s cause words ("API", "Support") is not an organisation.

    Only texts with a capitalised word where a name may stand go through NER (:func:`needs_ner`,
    the gate the redaction uses), so most answers cost nothing.
    """
    excluded = {name.strip().lower() for name in exclude if name and name.strip()}
    vocabulary = cause_words(taxonomy or _default_taxonomy())
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
        kept = sorted(
            n
            for n in names
            if len(n) >= MIN_LENGTH
            and "[" not in n
            and n.lower() not in excluded
            and not set(re.findall(r"[^\W\d_]+", n.lower())) <= vocabulary
        )
        if kept:
            found[answer_id] = kept
    return found
