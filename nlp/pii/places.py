"""Places that stand where the name rules expect a person (issue 17, h-pii40).

Exit answers say where the customer moved, travelled or shops: "moving out of the area to Devon",
"the 07:42 to Manchester Piccadilly", "A Claro tem sinal melhor em Belo Horizonte", "teacher,
Donegal." The small NER model and the lone-given-name rule take many of these for people. A
capitalised run that is a known place (``nlp/data/places.txt``, hand-kept towns, districts,
stations and airports; ``nlp/data/places_faker.txt``, countries, counties and states from Babel
and Faker) is kept where its slot is a place's:

- after "in", "near", "out of", "em", "dans" ... (where something is), or before a firm's site
  ("our Austin office", "the Leeds branch");
- after "to", "from", "at", "à", "nach" ... when it is no given name; a place that is also a given
  name ("Devon", "Sydney", "Georgia") only when the sentence before speaks of a journey, a move or
  a delivery ("we're moving out of the area to Devon"), since "spoke to Devon" names a person;
- next to another known place ("New Zealand, Wellington"), or signing a line after a comma when it
  is no given name ("teacher, Donegal.").

A possessive or a person's verb after the run ("Devon's desk", "Sydney said") keeps the name
redacted: recall is the stricter target.
"""

from __future__ import annotations

import functools
import re

from .things import capital_run
from .words import DATA, given_names

# Where something is: a person rarely stands after these.
_WHERE_BEFORE = re.compile(
    r"(?i)(?<![\w'’])(?:in|into|near|around|outside|across|throughout|via|out of|round|em|dans|"
    r"no|na|nos|nas)[ \t]+$"
)
# Where something goes or comes from: a person can stand here ("spoke to Devon", "à Paul").
_TO_BEFORE = re.compile(
    r"(?i)(?<![\w'’])(?:to|from|at|towards?|à|au|aux|a|para|pra|nach|en|desde|aus|up to|down to|"
    r"over to|back to|out to)[ \t]+$"
)
# A journey, a move or a delivery earlier in the sentence: then "to"/"from" name a place even
# when the place is also a given name ("Moved from [address] up to Darwin").
_JOURNEY = re.compile(
    r"(?i)\b(?:mov(?:e|ed|es|ing)|relocat\w*|emigrat\w*|flights?|flew|fly|flying|trips?|holidays?|"
    r"vacation|honeymoon|package|train|trains|ferry|ferries|crossing|drive|drove|driving|commut\w*|"
    r"travel\w*|ship(?:s|ped|ping)?|deliver\w*|visit\w*|cruise|itinerary|stopover|layover|journey|"
    r"route|the area|back home|[01]?\d[:.][0-5]\d|mud(?:ar|ei|ou|amos|ámos)\w*|nos mudamos|umgezogen|"
    r"gezogen|ziehen|déménag\w*|voo|vuelo|vol|flug|zug|comboio|tren)\b"
)
_SENTENCE_START = re.compile(r"[.!?\n][^.!?\n]*$")
# What a person does or has after the name: "Devon's desk", "Sydney said", "Georgia in billing".
_PERSON_AFTER = re.compile(
    r"(?i)(?:[ \t]+(?:said|says|told|tells|promised|helped|called|rang|emailed|replied|answered|"
    r"refused|laughed|explained|agreed|hung|from (?:the )?(?:support|billing|sales|accounts|"
    r"customer|reception|your)|in (?:the )?(?:support|billing|sales|accounts|retentions|reception)|at the desk)\b)"
)
# A site of a firm named by its place: "Our Austin office", "the Leeds branch", "the Paris team".
_SITE_AFTER = re.compile(
    r"(?i)[ \t]+(?:office|offices|branch|branches|store|stores|shop|site|sites|depot|warehouse|hq|headquarters|"
    r"campus|plant|factory|hub|team|studio|clinic|showroom|location|area|region|market|airport|station)\b"
)
# Another place beside it: "to New Zealand, Wellington probably", "Wellington, New Zealand".
_PLACE_BEFORE = re.compile(r"((?:[A-Z][\w'’-]*[ \t]+){0,2}[A-Z][\w'’-]*)[ \t]*,[ \t]*$")
_PLACE_AFTER = re.compile(r"[ \t]*,[ \t]*((?:[A-Z][\w'’-]*[ \t]+){0,2}[A-Z][\w'’-]*)")
# Signing a line after a comma: "Máire Ní Dhomhnaill, teacher, Donegal."
_COMMA_BEFORE = re.compile(r",[ \t]*$")
_LINE_END = re.compile(r"[ \t]*[.!]?[ \t]*(?:\n|$)")
_WORD_START = re.compile(r"(?<!\S)\S")


def _read(file: str) -> set[str]:
    text = (DATA / file).read_text(encoding="utf-8")
    return {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@functools.cache
def places() -> frozenset[str]:
    """Known places, lower case: ``places.txt`` (hand-kept) and ``places_faker.txt`` (generated)."""
    return frozenset(_read("places.txt") | _read("places_faker.txt"))


def known_place(name: str) -> bool:
    """Is ``name`` (any case, spaces collapsed, "St." or "St") a known place?"""
    key = re.sub(r"\s+", " ", name.strip(" \t.,;:!?")).lower()
    return key in places() or key.replace("st. ", "st ") in places()


# Places that people are named after, which the given-name lists leave out as places.
_PLACE_NAMES = frozenset(
    "Adelaide Austin Brooklyn Camden Carolina Charlotte Chelsea Chester Dakota Dallas Darwin Denver Devon "
    "Florence Georgia Hamilton Harlow Houston India Israel Jackson Jordan Kent Kenya Kerry Lincoln Lorraine "
    "Madison Orlando Paris Perth Phoenix Preston Regina Savannah Shannon Sydney Tyrone Victoria Virginia "
    "Vienna Winston Skye Bali Clare Chad Memphis Montana Nevada Asia Africa Siena Sienna Milan Valencia "
    "Lourdes Fátima Santiago Dolores Mercedes Sofia Alexandria Adrian Aurora Cleveland Columbus Raleigh "
    "Washington Nelson Clinton Wellington Lancaster Stafford Bedford Carlisle Richmond Kingston Ashford".split()
)


def _is_given(name: str) -> bool:
    """Could the place be a person's given name ("Devon", "Georgia", "Sydney")?"""
    return any(w in given_names() or w in _PLACE_NAMES for w in name.split())


def _beside_place(text: str, start: int, end: int) -> bool:
    """Is another known place listed right before or after, with a comma between?"""
    before = _PLACE_BEFORE.search(text, max(0, start - 40), start)
    after = _PLACE_AFTER.match(text, end)
    sides = [m.group(1) for m in (before, after) if m is not None]
    for side in sides:
        words = side.split()
        # the place may be the last words of the run before ("to New Zealand") or the first after
        if any(
            known_place(" ".join(words[i:])) or known_place(" ".join(words[: i + 1]))
            for i in range(len(words))
        ):
            return True
    return False


# A street named after a person, its street word first: "Rua Augusta", "rue Victor Hugo", "Calle
# Mayor", "Avenida Paulista" (a number after it would make it an address, redacted as one).
_STREET_FIRST = re.compile(
    r"(?:(?i:rua|avenida|av\.|calle|carrer|rue|boulevard|bd|praça|plaza|largo|travessa|paseo|camino|carretera|"
    r"estrada|alameda|rambla|quai|chemin|allée|impasse|piazza|viale|corso|strada|ulica|ul\.)|Via|Place|Avenue)"
    r"[ \t]+(?:(?:de|da|do|dos|das|del|de la|du|des|di|della)[ \t]+)?$"
)
_ARTICLE_BEFORE = re.compile(
    r"(?i)(?<![\w'’])(?:na|no|da|do|em|en|la|el|de|del|à|a|au|dans|in|on|the|at|sur|por|pela|pelo)[ \t]+$"
)
_NUMBER_AFTER = re.compile(r"[^.!?\n,;]{0,20}?\d")
_STREET_WORD_FIRST = re.compile(r"(?i:rua|avenida|calle|carrer|rue|praça|travessa|paseo|alameda|rambla)[ \t]")


def is_street(text: str, start: int, end: int) -> bool:
    """Is the span a street's name by its street word, written first in the languages that do so,
    after a preposition or an article ("A loja da Rua Augusta", "l'agence de la rue Victor Hugo")?
    Not after a comma or with a number after it: there it is part of someone's address."""
    if _NUMBER_AFTER.match(text, end):
        return False
    street = _STREET_FIRST.search(text, max(0, start - 20), start)
    if street is not None:
        return _ARTICLE_BEFORE.search(text, max(0, street.start() - 12), street.start()) is not None
    return bool(
        _STREET_WORD_FIRST.match(text, start) and _ARTICLE_BEFORE.search(text, max(0, start - 12), start)
    )


def is_place(text: str, start: int, end: int) -> bool:
    """Is the capitalised run around ``text[start:end]`` a known place in a place's slot (see the
    module's docstring)?"""
    first, run_end = capital_run(text, start, end)
    # the place may follow a capitalised word that opens the sentence: "[Our] Austin office"
    starts = [first + m.start() for m in _WORD_START.finditer(text[first : start + 1])]
    run_start = next((s for s in starts if known_place(text[s:run_end].rstrip("."))), -1)
    if run_start < 0:
        return False
    name = text[run_start:run_end].rstrip(".")
    after = run_start + len(name)
    if text.startswith(("'s", "’s"), after):
        return False  # "in Sydney's name": whose something is
    before = text[max(0, run_start - 50) : run_start]
    if _WHERE_BEFORE.search(before) or _SITE_AFTER.match(text, after):
        return True
    given = _is_given(name)
    if len(name.split()) > 1 and not _PERSON_AFTER.match(text, after):
        return True  # "St. John's Wood branch", "Belo Horizonte": a place's whole name of two words or more
    if given and _PERSON_AFTER.match(text, after):
        return False
    if _TO_BEFORE.search(before):
        if not given:
            return True
        sentence = _SENTENCE_START.search(text, 0, run_start)
        clause = text[sentence.start() if sentence else 0 : run_start]
        if _JOURNEY.search(clause):
            return True
    if given:
        return _beside_place(text, run_start, after) and not _is_given_pair(text, run_start)
    if _beside_place(text, run_start, after):
        return True
    return bool(_COMMA_BEFORE.search(before) and _LINE_END.match(text, after))


def _is_given_pair(text: str, start: int) -> bool:
    """Is the place the second of two given names listed ("Tom, Georgia and I")? Then a person."""
    before = _PLACE_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and not known_place(before.group(1)) and _is_given(before.group(1).split()[-1])
