"""Names typed in lower case in the middle of a sentence (issue 17, h-pii37).

The lower-case rules elsewhere look for a name after a cue or at the answer's edges; a writer
who never uses capitals also names people mid-sentence: a known given name owning something
("but juliette's rota kept changing"), doing what only a person does to the customer ("only
siobhan ever called me back"), a full name ("cancel for joe brennan pls", "soy maria
jose fernandez") and initials before a surname opening the answer ("j.p. okonkwo - membership").
A known given name is the evidence: the words after it must be given names too or words no
list and no dictionary knows, so "max speed" or "jack of all trades" stay.
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .brands import in_product_context, is_brand, is_plain_brand
from .letters import LO
from .lexicon import english_noun, english_word
from .lowercase import LOWER_NAME_WORD, common_lower, lower_given, word_shaped
from .spans import Span
from .words import foreign_words, given_names_lower, word_names

# A known given name with its possessive, anywhere: "but juliette's rota kept changing".
LOWER_POSSESSIVE_ANY = re.compile(rf"(?<![\w'’@.-])([{LO}]{{3,}}(?:-[{LO}]+)?)['’]s[ \t]+[{LO}]")
# A known given name and one to three name words after it: "joe brennan", "maria jose fernandez".
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|du|ter|ten|bin|ibn)"
LOWER_FULL_NAME = re.compile(
    rf"(?<![\w'’@./-])([{LO}]{{3,}}(?:-[{LO}]+)?)(?=((?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{LOWER_NAME_WORD}){{1,3}}))"
)
# Initials and a surname opening the answer before a dash, bar, colon or comma: "j.p. okonkwo - ...".
INITIALS_OPENING = re.compile(rf"^\s*((?:[{LO}]\.[ \t]?){{1,3}}{LOWER_NAME_WORD})(?=[ \t]*[-–—|:,])")

# A known given name doing what only a person does to the customer: "honestly kofi was the only one
# who helped", "only siobhan ever called me back", "then tomasz hung up on me".
LOWER_SUBJECT = re.compile(
    rf"(?<![\w'’@./-])([{LO}]{{3,}})[ \t]+(?:(?:also|then|never|ever|just|even|finally|actually|kindly|"
    r"personally|eventually|always|still)[ \t]+)?(?:helped|called|rang|phoned|e-?mailed|texted|messaged|replied|"
    r"answered|promised|explained|apologi[sz]ed|sorted|dealt|refused|hung up|picked up|got back|"
    r"was the only (?:one|person)|(?:was|is) (?:so|very|really) (?:kind|helpful|rude|lovely|patient))\b"
)

# The word before a possessive name: a stop word ("but juliette's") leaves it a person.
_PREV_WORD = re.compile(r"([^\W\d_]+|&)[ \t]+$")
# Words that join clauses or take an object, before a possessive name: "and then tomasz's invoice".
_LINKS = frozenset(
    "then and but so because when while after before since until with from to for of by at on about as".split()
)
_NEXT = re.compile(r"[ \t]+([a-z]+)\b")
_JUNIOR = re.compile(r"['’]s[ \t]+(?:jr|sr)\b")


def _surname(word: str) -> bool:
    """A lower-case word that no list or dictionary knows as anything but a name."""
    parts = [p for p in re.split(r"['’-]", word) if p]
    return bool(parts) and not any(
        common_lower(p) or word_shaped(p) or english_word(p, nouns=True) or is_plain_brand(p) for p in parts
    )


def _ambiguous(word: str) -> bool:
    """A given name that is also a word, a brand or a function word ("will", "bill", "sunny")."""
    return (
        common_lower(word)
        or english_word(word, nouns=True)
        or word.title() in word_names()
        or is_plain_brand(word)
    )


def lower_name_spans(text: str) -> list[Span]:
    """PERSON spans of the lower-case names in the module docstring."""
    spans: list[Span] = []
    opening = INITIALS_OPENING.match(text)
    if opening and _surname(re.split(r"[. \t]+", opening.group(1))[-1]):
        spans.append((opening.start(1), opening.end(1), "PERSON"))
    # every other rule starts on a known given name typed in lower case (most answers have none)
    if given_names_lower().isdisjoint(re.findall(rf"[{LO}]+", text)):
        return spans
    for m in LOWER_POSSESSIVE_ANY.finditer(text):
        prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start(1))
        # "trader joe's", "ben & jerry's", "jimmy john's": a word of the shop's name before it
        if prev and prev.group(1).lower() not in stop_words()["en"] and prev.group(1).lower() not in _LINKS:
            continue
        if lower_given(m.group(1)) and not is_brand(m.group(1) + "'s") and not _JUNIOR.match(text, m.end(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_SUBJECT.finditer(text):
        word = m.group(1)
        if lower_given(word) and not _ambiguous(word):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_FULL_NAME.finditer(text):
        if not lower_given(m.group(1)) or is_plain_brand(m.group(1)):
            continue
        end = m.end(1)
        for w in re.finditer(r"\S+", m.group(2)):
            word = w.group()
            if re.fullmatch(_PARTICLE, word):
                continue
            if not (lower_given(word) or _surname(word)):
                break
            end = m.start(2) + w.end()
        words = text[m.start(1) : end].split()
        # in a foreign sentence an unknown word is no surname ("gaz collectif"): two given names then
        known = sum(lower_given(w) for w in words)
        plural = _NEXT.match(text, end)  # "mary kay products": a brand names the goods after it
        if plural and plural.group(1).endswith("s") and english_noun(plural.group(1)[:-1]):
            continue
        if (
            end > m.end(1)
            and (known >= 2 or not foreign_words(text))
            and not in_product_context(text, m.start(1), end)
        ):
            spans.append((m.start(1), end, "PERSON"))
    return spans
