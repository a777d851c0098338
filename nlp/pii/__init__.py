"""Personal-data detection: contact and account data and people's names, redacted to ``[TAG]``.

Modules: ``contact`` (e-mails, phones, cards, accounts, addresses by pattern), ``names`` (names
by cue, greeting, sign-off and known given names), ``brands`` (what must survive: brands,
products, allow-listed names), ``ner`` (which NER PERSON entities to trust), ``spans`` (merging
and placeholders), ``words`` (the lists in ``nlp/data/``).
"""

from __future__ import annotations

from .brands import drop_kept_names, in_product_context, is_brand, is_name_brand
from .contact import contact_spans
from .names import FULL_NAME, NAME_PART, NAME_WORD, name_spans
from .ner import needs_ner, ner_person_is_plausible, person_spans
from .spans import PLACEHOLDERS, Span, apply_spans, merge_spans
from .words import brands, given_names, given_names_lower


def find_pattern_spans(text: str) -> list[Span]:
    """Contact and account data, then names, by pattern (the order settles equal-length overlaps)."""
    return contact_spans(text) + name_spans(text)


__all__ = [
    "FULL_NAME",
    "NAME_PART",
    "NAME_WORD",
    "PLACEHOLDERS",
    "Span",
    "apply_spans",
    "brands",
    "contact_spans",
    "drop_kept_names",
    "find_pattern_spans",
    "given_names",
    "given_names_lower",
    "in_product_context",
    "is_brand",
    "is_name_brand",
    "merge_spans",
    "name_spans",
    "needs_ner",
    "ner_person_is_plausible",
    "person_spans",
]
