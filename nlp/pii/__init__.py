"""Personal-data detection: contact and account data and people's names, redacted to ``[TAG]``.

Modules: ``contact`` (e-mails, phones, cards, accounts, addresses by pattern), ``identity``
(national IDs, dates of birth, plates, IP addresses, profile links), ``handles`` (addresses
with no dot in the host, e-mails that stop at the provider, Discord tags, "user:" labels), ``names`` (names by cue,
greeting, sign-off and known given names), ``signature`` (signature blocks; widening a name to
the name words beside it), ``context`` (names told by the words around them: a role in
brackets, an opening verb, lower case, a pipe, their own e-mail, a list; a found name wherever it
stands again), ``given`` (known given names where only a person fits: the last sentence alone,
addressed after thanks), ``closings`` (closing words, scanned once per text for the sign-off patterns),
``shapes`` (names told by the sentence's shape: thanked for something, a role in apposition, a
lower-case name before its team, an initial and surname, a name before its details in brackets), ``inverted`` (surname first: "WILLIAMS, GARETH"), ``people`` (names by whose they are or where
they stand: a bracket of names after a role, "our admin ingrid", an unknown word signing alone),
``beside`` (names told by a found name, the writer or a role beside them, or by "her name
was"), ``tails`` (codes redacted in part grown to the whole code), ``teams`` (teams and departments named like people), ``brands`` (what must survive: brands, products, goods, allow-listed names), ``orgs`` (firms
greeted or quoted in letters: "Hi Brightline Support", "Dear Mercer & Hale", "Kelvin Heating"), ``things``
(things named like people, told by the words around them: a provider switched to, a place
travelled to, a feast, a show watched, a firm), ``ner`` (which NER
PERSON entities to trust), ``spans`` (merging and placeholders), ``words`` (the lists in ``nlp/data/``).
"""

from __future__ import annotations

from .beside import beside_name_spans, joined_names
from .brands import drop_kept_names, in_product_context, is_brand, is_name_brand, is_plain_brand
from .caps import caps_as_written, caps_name_spans, caps_only
from .codes import drop_codes_and_links
from .contact import contact_spans
from .context import context_name_spans, repeat_names, widen_lists, widen_lower
from .edges import complete_names
from .given import given_name_spans
from .handles import counted_goods, handle_address_spans
from .identity import identity_spans
from .inverted import inverted_name_spans
from .lowernames import lower_name_spans
from .names import FULL_NAME, NAME_PART, NAME_WORD, name_spans
from .ner import needs_ner, ner_person_is_plausible, person_spans
from .people import people_spans
from .shapes import handle_spans, shape_name_spans
from .signature import opening_and_padded_spans, signature_spans, widen_names
from .slots import slot_name_spans
from .spans import PLACEHOLDERS, Span, apply_spans, merge_spans
from .tails import grow_codes
from .teams import drop_teams, is_team
from .words import brands, given_names, given_names_lower


def _names(text: str) -> list[Span]:
    """Names by pattern, widened to the name words beside them."""
    found = name_spans(text) + signature_spans(text) + opening_and_padded_spans(text) + caps_name_spans(text)
    found += given_name_spans(text) + shape_name_spans(text) + inverted_name_spans(text) + people_spans(text)
    found += lower_name_spans(text) + slot_name_spans(text) + beside_name_spans(text)
    names = widen_lists(text, widen_lower(text, widen_names(text, found + context_name_spans(text))))
    return drop_teams(text, handle_spans(text, names))


def find_pattern_spans(text: str) -> list[Span]:
    """Identity, contact and account data, then names, by pattern (the order settles equal-length
    overlaps: "123-45-6789" is an SSN before a phone); names are widened to the name words beside them,
    and names typed in capitals are read as if written the usual way ("ASK FOR PAULINE")."""
    names = _names(text)
    written = caps_as_written(text)
    if written is not None:
        # ... and grown back over the capitals before them in the text as typed ("TANAKA [HIROSHI]")
        names = complete_names(text, names + [s for s in _names(written) if caps_only(text, s)])
    # a street word that is also a noun, then a plural: "12 Galaxy Fold phones" counts goods
    contact = [s for s in contact_spans(text) if s[2] != "ADDRESS" or not counted_goods(text, s[0])]
    # a model, part, flight or train number and a firm's web page are no customer's data
    found = drop_codes_and_links(text, identity_spans(text) + contact + handle_address_spans(text))
    return found + names


__all__ = [
    "FULL_NAME",
    "NAME_PART",
    "NAME_WORD",
    "PLACEHOLDERS",
    "Span",
    "apply_spans",
    "brands",
    "complete_names",
    "contact_spans",
    "drop_kept_names",
    "drop_teams",
    "find_pattern_spans",
    "given_names",
    "grow_codes",
    "given_names_lower",
    "identity_spans",
    "in_product_context",
    "is_team",
    "joined_names",
    "is_brand",
    "is_name_brand",
    "is_plain_brand",
    "merge_spans",
    "name_spans",
    "needs_ner",
    "ner_person_is_plausible",
    "person_spans",
    "repeat_names",
    "signature_spans",
    "widen_names",
]
