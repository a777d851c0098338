"""The edges of a name already found (issue 17, h-pii37): the parts a writer puts before it.

A rule that finds "Patel" in "J. R. Patel", "HIROSHI" in "TANAKA HIROSHI" or "Pieter" in "van der
Merwe, Pieter" leaks the rest of the name. The parts before a found name are told by their
shape: initials, a surname in the name's own capitals, a surname with its lower-case particle
before a comma (a form's "Surname, Given"), a family name of the East and Southeast Asian
families written first ("Dang Quoc Bao"), or a hyphenated given name whose parts are romanised
syllables ("Bo-young Kim"); since h-pii46 also such a family name before a comma ("Ng, Wai Kit"),
a surname's leading particle and the given name before it ("Seán Mac Giolla Phádraig"), a first
part of two capitalised halves ("El-Amin Abdallah Yusuf") and the name words around a nickname in
brackets ("Oluwaseun (Seun) Adebayo"); since h-pii62 the other half of a hyphenated name, either
side ("Ortega-Ruiz" where only "Ortega" was found), and the rest of a saint's surname ("Ms St. Clair"); since h-pii64 the title before it, in lower
case ("tutor mr. luca ferraro", "don Giuseppe"). Each part must still be no word customers use, brand or
greeting. ``preprocess.redact_component`` grows the names the NER model and the repeats found the
same way: before h-pii46 only the pattern rules' names were grown.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .families import family_names, syllable_name
from .letters import LO, UP
from .lexicon import english_word
from .lowercase import common_lower
from .names import NAME_WORD
from .spans import Span
from .words import GREETED, NOT_NAMES, PLACES

# Initials right before a name: "J. R. Patel", "A.K. Brennan", "P. J. Okafor".
_INITIALS_BEFORE = re.compile(rf"(?<![\w.'’-])((?:[{UP}]\.-?[ \t]?){{1,3}})$")
# A word in capitals right before a name in capitals: "TANAKA HIROSHI", "CARVALHO MENDES, RITA".
_CAPS_BEFORE = re.compile(rf"(?<![\w'’-])([{UP}][{UP}'’-]*[{UP}])(,?)[ \t]+$")
# A surname led by its lower-case particle before a comma: "van der Merwe, Pieter", "de Souza, Marcos".
_PARTICLE_SURNAME_BEFORE = re.compile(
    rf"(?<![\w'’-])((?-i:(?:de|da|do|dos|das|del|della|di|van|von|der|den|la|le|du|ter|ten)[ \t]+){{1,3}}"
    rf"{NAME_WORD}(?:[ \t]+{NAME_WORD})?),[ \t]*$"
)
# A capitalised word right before a name: the family name of "Dang Quoc Bao", "Bo-young Kim".
_WORD_BEFORE = re.compile(rf"(?<![\w'’-])({NAME_WORD})[ \t]+$")
# A family name written first before a comma, as a form has it: "Ng, Wai Kit", "Nguyen, Thi Lan".
_FAMILY_COMMA_BEFORE = re.compile(rf"(?<![\w'’-])({NAME_WORD}),[ \t]*$")
# A capitalised particle that opens a surname, and the given name before it: "Seán Mac [Giolla
# Phádraig]", "Omar Bin [Laden]", "Nuala Ní [Bhriain]".
_LEAD_PARTICLE_BEFORE = re.compile(
    rf"(?<![\w'’-])(?:({NAME_WORD})[ \t]+)?(Ó|Ní|Nic|Mac|Mc|Ua|Uí|Bin|Ibn|Abu|Al|El|Ben)[ \t]+$"
)
# Two capitalised parts joined by a hyphen: "El-Amin [Abdallah Yusuf]", "Abdel-Rahman [Saleh]".
_HYPHENED_BEFORE = re.compile(rf"(?<![\w'’-])([{UP}][{LO}]+-[{UP}][{LO}]+)[ \t]+$")

# The other half of a hyphenated name joined to a found half: "[Ortega]-Ruiz", "Hargreaves-[Finch]".
_HYPHEN_HALF_AFTER = re.compile(rf"[-‐]([{UP}][{LO}'’]+)(?![\w-])")
_HYPHEN_HALF_BEFORE = re.compile(rf"(?<![\w'’-])([{UP}][{LO}'’]+)[-‐]$")

# A title typed in lower case right before a name found: "tutor [mr.] luca ferraro", "Sono [don]
# Giuseppe Colombo", "la vecina, [doña] Remedios". A capitalised title is found with its name
# already ("Mr Quinn", ``names.HONORIFIC_NAME``); words that are also English words in lower case
# ("miss", "sir", "lady", "pan") stay outside.
_TITLE_BEFORE = re.compile(
    r"(?<![\w'’.-])(?:mr|mrs|ms|mx|dr|prof|herr|frau|mme|mlle|sr|sra|srta|señor|señora|senhor|senhora|"
    r"signor|signora|doña|don|dona|dott|sig|sig\.ra|dott\.ssa)\.?[ \t]+$"
)

# A saint's name as a surname, its "St" found and the rest not: "Ms [St]. Clair", "[St] John-Smythe".
_SAINT_REST = re.compile(rf"\.?[ \t]*({NAME_WORD})(?![\w'’-])")
_SAINT = frozenset(("St", "Ste", "Saint"))


def _name_part(word: str) -> bool:
    """No word customers use, greeting, team word, town or brand."""
    bare = word.strip(".,'’")
    return not (
        common_lower(bare.lower())
        or bare.title() in NOT_NAMES
        or bare.title() in GREETED
        or bare.title() in PLACES
        or is_plain_brand(bare)
    )


def _before(text: str, start: int) -> int:
    """Where the name ending in the found span at ``start`` really starts (``start`` if nowhere else)."""
    head = text[max(0, start - 40) : start]
    offset = max(0, start - 40)
    found = text[start : start + 40].split()[0] if text[start:].strip() else ""
    m = _INITIALS_BEFORE.search(head)
    if m and m.group(1).strip():
        return offset + m.start(1)
    caps = found.isupper() and len(found.strip(".,'’")) > 1
    if caps:
        m = _CAPS_BEFORE.search(head)
        if m and _name_part(m.group(1)):
            return offset + m.start(1)
    m = _PARTICLE_SURNAME_BEFORE.search(head)
    if m and all(_name_part(w) for w in re.findall(NAME_WORD, m.group(1))):
        return offset + m.start(1)
    m = _WORD_BEFORE.search(head)
    if m and _name_part(m.group(1)):
        word = m.group(1)
        if word.lower() in family_names() or ("-" in word and syllable_name(word)):
            return offset + m.start(1)
    m = _FAMILY_COMMA_BEFORE.search(head)
    if m and m.group(1).lower() in family_names() and _name_part(m.group(1)):
        return offset + m.start(1)
    m = _LEAD_PARTICLE_BEFORE.search(head)
    if m:
        word = m.group(1)
        if word and _name_part(word) and not english_word(word):
            return offset + m.start(1)
        return offset + m.start(2)
    m = _HYPHENED_BEFORE.search(head)
    if m and _name_part(m.group(1)) and not any(english_word(p) for p in m.group(1).split("-")):
        return offset + m.start(1)
    return start


# A name found inside brackets between two name words: "Oluwaseun ([Seun]) Adebayo", a nickname.
_OPEN_BEFORE = re.compile(rf"(?<![\w'’-])({NAME_WORD})[ \t]*\($")
_CLOSE_AFTER = re.compile(rf"\)[ \t]*({NAME_WORD})(?![\w'’-])")


def _around_brackets(text: str, start: int, end: int) -> list[Span]:
    """The name words on both sides of a bracketed found name, when both are name parts."""
    before = _OPEN_BEFORE.search(text, max(0, start - 40), start)
    after = _CLOSE_AFTER.match(text, end)
    if before is None or after is None:
        return []
    words = (before.group(1), after.group(1))
    if not all(_name_part(w) and not english_word(w) for w in words):
        return []
    return [(before.start(1), before.end(1), "PERSON"), (after.start(1), after.end(1), "PERSON")]


# A name set against a found one, as a correction: "It's [Siobhan] not Shivon", "KOWALSKA-NOWAK, not [Kowalska]".
_WORD = rf"(?:{NAME_WORD}|[{UP}][{UP}'’-]*[{UP}])"
_CONTRAST_AFTER = re.compile(
    rf"['\"’”]?,?[ \t]+(?i:not|nicht|pas|no|não|instead of|rather than)[ \t]+['\"‘“]?({_WORD})(?![\w'’-])"
)
_CONTRAST_BEFORE = re.compile(
    rf"(?<![\w'’-])({_WORD})['\"’”]?,?[ \t]+(?i:not|nicht|pas|no|não)[ \t]+['\"‘“]?$"
)


def _contrasted(text: str, start: int, end: int) -> list[Span]:
    """The name a found name corrects or is corrected by, if it is no word, brand or town."""
    spans: list[Span] = []
    if len(text[start:end]) < 4 or text[start:end].isupper() and len(text[start:end]) < 5:
        return spans  # "AUD not GBP": codes and acronyms set against each other
    after = _CONTRAST_AFTER.match(text, end)
    before = _CONTRAST_BEFORE.search(text, max(0, start - 40), start)
    for m in (after, before):
        short_caps = m is not None and m.group(1).isupper() and len(m.group(1)) < 5
        if m and not short_caps and _name_part(m.group(1)) and not english_word(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans


def complete_names(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each PERSON span grown back over the name parts right before it (see the
    module docstring), a part at a time while parts are found."""
    out = list(spans)
    seen: set[tuple[int, int]] = set()
    for start, end, tag in spans:
        if tag != "PERSON" or (start, end) in seen:
            continue  # a name found by several rules, or again where it stands a second time, once
        seen.add((start, end))
        first = start
        for _ in range(3):
            earlier = _before(text, first)
            if earlier == first:
                break
            first = earlier
        last = end
        saint = _SAINT_REST.match(text, end) if text[start:end].split()[-1].rstrip(".") in _SAINT else None
        if saint and _name_part(saint.group(1)) and not english_word(saint.group(1)):
            last = saint.end(1)
        after = _HYPHEN_HALF_AFTER.match(text, last)
        if after and _name_part(after.group(1)) and not english_word(after.group(1)):
            last = after.end(1)
        before = _HYPHEN_HALF_BEFORE.search(text, max(0, first - 30), first)
        if before and _name_part(before.group(1)) and not english_word(before.group(1)):
            first = before.start(1)
        title = _TITLE_BEFORE.search(text, max(0, first - 12), first)
        if title:
            first = title.start()
        if first < start or last > end:
            out.append((first, last, "PERSON"))
        out += _contrasted(text, start, end) + _around_brackets(text, start, end)
    return out
