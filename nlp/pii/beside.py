"""Names told by who stands beside them or by the word that names them (issue 17, h-pii41).

Blind-written answers keep naming people with given names that are also words ("Summer", "Fern",
"Bill", "Faith") or that no list holds, in slots the earlier rules leave to known names:

- joined to a name already found: "spoke to [Priya] and then Summer in billing", "talking to
  [Dan], Fern and someone called ..." (the found name says the list is of people), or written
  first before it where the account's holder is named: "Account under Ng, [Wai Kit]";
- two known names joined by "&": "our wedding (Grace & Tom, 12 June)";
- with the writer: "Summer and I are moving in together", "me and Kelechi";
- after the word for their name: "her name was summer", "think his name was jean-baptiste";
- after a role used as a title: "Planner Autumn forgot the band", "Coordinator PENNY was rude";
- before "the" and a role: "the only good thing was Bill the engineer";
- opening a sentence before what only a person does: "Grant handled our onboarding";
- a known given name opening the answer before a dash: "Kelechi — parcel lost twice";
- in pt/es/de, a known given name after its article ("A Joana era a única") or between commas
  after a role noun and its article ("A tosadora, Graça, machucou").

The slot is the evidence; the word must still be one a person can be called
(:func:`slots.person_word`: no brand, team word, town, greeting or plain English word unless
it is a known name that is also a word).
"""

from __future__ import annotations

import re

from ..languages import guess_language, stop_words
from .brands import is_plain_brand
from .letters import LO, UP
from .lexicon import english_word
from .lowercase import lower_given
from .names import NAME_WORD
from .slots import person_word
from .spans import Span
from .words import AMBIGUOUS_GIVEN, MONTHS, given_names, word_names

# A name joined to a found one: "and", "&", "or", "then", "and then", maybe after a comma; a comma
# alone only inside a list ("[Dan], Fern and someone"): a comma after a signed name is the firm.
# "and"/"or" of the four other survey languages join names as well: "Amandine et Loïc", "Jana und
# Tobias", "Rodrigo y Marisol", "a Bruna e o Caio" (an article may stand before the second name).
_AND = r"and|or|et|ou|und|oder|y|e"
_JOIN_AFTER = re.compile(
    rf"(?:[ \t]*,?[ \t]+(?:{_AND}|&|\+)(?:[ \t]+then)?[ \t]+|[ \t]*&[ \t]*|[ \t]*,[ \t]*then[ \t]+"
    rf"|[ \t]+then[ \t]+|[ \t]*,[ \t]*(?={NAME_WORD}[ \t]*(?:,|\band\b|&)))"
    rf"(?:(?:o|a|la|el)[ \t]+)?({NAME_WORD}|[{LO}]{{3,}})(?![\w'’-])"
)
# A surname written first, then a comma and the found given name, where an account's holder is
# named: "Account under Ng, [Wai Kit]", "Cancel for: MÜLLER-LÜDENSCHEIDT, [Anja]".
_SURNAME_FIRST = re.compile(
    rf"(?:^|[:(]|\b(?i:under|for|name|holder|is|was))[ \t]*((?:{NAME_WORD}|[{UP}][{UP}'’-]+))[ \t]*,[ \t]*$"
)
_JOIN_BEFORE = re.compile(
    rf"(?<![\w'’-])({NAME_WORD}|[{LO}]{{3,}})[ \t]*(?:,[ \t]*)?(?:\b(?:{_AND})\b|&|\+)[ \t]*(?:(?:[AaOo]|[Ll]a|[Ee]l)[ \t]+)?$"
)
# The writer and someone: "Summer and I are", "Faith & I will", "me and Kelechi".
WITH_ME = re.compile(
    rf"(?<![\w'’-])({NAME_WORD})[ \t]+(?:and|&)[ \t]+I(?:['’](?:m|ve|ll|d))?(?![\w'’-])"
    rf"|\b(?:[Mm]e|[Mm]yself)[ \t]+(?:and|&)[ \t]+({NAME_WORD})(?![\w'’-])"
)
# The word for a name, then the name in any case: "her name was summer", "the guy's name is Ode".
NAME_WAS = re.compile(
    r"\b(?i:his|her|their|whose|[a-z]+['’]s)[ \t]+(?i:name)[ \t]+(?i:was|is|being)[ \t]+"
    r"(?:(?i:like|maybe|probably|prob)[ \t]+)?"
    rf"([{UP}{LO}]+(?:[-'’][{UP}{LO}]+)*)(?:[ \t]+({NAME_WORD}))?(?![\w'’-])"
)
# Roles a person holds that can stand before their name like a title.
ROLES = (
    r"agent|rep|representative|advisor|adviser|technician|driver|courier|installer|engineer|trainer|"
    r"coach|instructor|teacher|tutor|manager|supervisor|assistant|receptionist|cashier|nurse|doctor|"
    r"landlord|landlady|owner|founder|director|accountant|consultant|specialist|operator|stylist|"
    r"therapist|physio|caretaker|cleaner|concierge|plumber|electrician|builder|mechanic|gardener|"
    r"painter|decorator|locksmith|handyman|carpenter|fitter|surveyor|inspector|planner|coordinator|"
    r"co-ordinator|organi[sz]er|seller|host|groomer|walker|sitter|babysitter|nanny|usher|barber|"
    r"hairdresser|dentist|hygienist|optician|vet|carer|midwife|counsel+or|mentor|recruiter|"
    r"estimator|valuer|negotiator|broker|adjuster|adjudicator|caseworker|handler|dispatcher"
)
ROLE_NAME = re.compile(rf"\b(?i:{ROLES})[ \t]+({NAME_WORD}|[{UP}]{{3,}})(?![\w'’-])")
NAME_THE_ROLE = re.compile(
    rf"(?:^|[.!?]\s+|\n\s*|\b(?i:was|is|and|but|by|with|to|from|thanks|thank you)[ \t]+)"
    rf"({NAME_WORD})[ \t]+the[ \t]+(?:[{LO}]+[ \t]+)?(?:{ROLES})\b"
)
# A name that is also a word opening a sentence before what only a person does: "Grant handled our
# onboarding", "Summer promised a refund" (not "Will this work", "May was quiet").
_DEEDS = (
    r"said|says|told|tells|rang|phoned|emailed|e-mailed|texted|messaged|promised|refused|insisted|"
    r"explained|laughed|shouted|quit|handled|sorted|helped|ignored|assured|offered|agreed|apologi[sz]ed|"
    r"dealt|replied|answered|hung up|swore|admitted|claimed|reckoned|resigned|retired"
)
OPENING_WORD_NAME = re.compile(rf"(?:^|[.!?]\s+|\n\s*)({NAME_WORD})[ \t]+(?:{_DEEDS})\b")
# A name opening the answer before a dash: "Kelechi — parcel lost twice", "Ngozi Eze - cancel it".
OPENING_DASH = re.compile(rf"^\s*({NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})[ \t]+[-–—]{{1,2}}[ \t]+\S")
# In pt/es/de a known given name often takes the article: "A Joana era a única", "el Andrés me dijo",
# "die Anja hat"; and a role noun after its article, then the name between commas: "A tosadora,
# Graça, machucou", "la peluquera, Begoña, me cortó".
ARTICLE_NAME = re.compile(
    rf"(?:^|[.!?]\s+|\n\s*|,[ \t]+|\b(?:que|e|com|para|y|con|und|mit)[ \t]+)"
    rf"(?:[AaOo]|[Ee]l|[Ll]a|[Dd]er|[Dd]ie)[ \t]+({NAME_WORD})(?=[ \t]+[{LO}])"
)
ARTICLE_ROLE_NAME = re.compile(
    rf"\b(?:[AaOo]|[Ee]l|[Ll]a|[Ll]e|[Dd]er|[Dd]ie)[ \t]+[{LO}]{{4,}}[ \t]*,[ \t]*({NAME_WORD})[ \t]*,"
)
_ARTICLE_LANGUAGES = frozenset({"pt", "es", "de"})
# Two known names joined by "&" where a couple signs or is named, not a firm's ("Johnson & Johnson
# shampoo", "Ben & Jerry's").
NAME_PAIR = re.compile(
    rf"(?:^|[(\n,:]|\b(?i:from|with|for|love|thanks|cheers|by))[ \t]*({NAME_WORD})[ \t]*&[ \t]*({NAME_WORD})"
    r"(?=[ \t]*(?:[,)\n.!;]|$|\b(?:and|are|were|have|had|got)\b))"
)
# A name that is also a word said to be the one in a role: "Summer was the best tutor we had",
# "Honestly Bill is the only engineer who ..." (not "Summer was the best season").
NAME_WAS_ROLE = re.compile(
    rf"(?<![\w'’-])({NAME_WORD})[ \t]+(?:was|is|has been|had been)[ \t]+(?:the|a|an|our|my|your)[ \t]+"
    rf"(?:[{LO}]+[ \t]+){{0,2}}?(?:{ROLES})s?\b"
)
_GATE = frozenset(re.findall(r"[a-z]+", ROLES))


def _caps_person(word: str) -> bool:
    """A word in capitals is a person here only as a name the lists know ("PENNY", not "DPD")."""
    return word.title() in given_names() or word.title() in word_names()


def _given(word: str) -> bool:
    """A known given name that is no word and no brand ("Kelechi", not "Will" or "Mercedes")."""
    return word in given_names() and word not in word_names() and word not in AMBIGUOUS_GIVEN


_MODALS = frozenset("will may might can could should must would shall did does".split())
# A time before the word: "It's June and I'm", "since Summer and I"; a month is never the partner.
_TIME_BEFORE = re.compile(
    r"(?i:it['’]?s|in|by|since|until|till|from|last|next|this|every|early|late|mid)[ \t]+$"
)


def _slot_word(text: str, start: int, word: str) -> bool:
    """No modal opening a question ("Will the tutor ..."), month, or word after a time's cue."""
    low = word.lower()
    return not (low in _MODALS or low in MONTHS or _TIME_BEFORE.search(text, max(0, start - 12), start))


def _capital_person(word: str) -> bool:
    return _caps_person(word) if word.isupper() else word[:1].isupper() and person_word(word)


def _surname(word: str) -> bool:
    """A surname written first: no English word, brand or town ("Ng", "MÜLLER-LÜDENSCHEIDT")."""
    parts = word.split("-")
    return all(p and not english_word(p.lower(), nouns=True) for p in parts) and person_word(word.title())


def joined_names(text: str, spans: list[Span]) -> list[Span]:
    """Add the name joined to a found PERSON span by "and", "&", "or", "then" or a list's comma,
    repeatedly (a list of three), and the surname written first before it after a holder's cue."""
    out = list(spans)
    todo = [s for s in spans if s[2] == "PERSON"]
    seen = {(s[0], s[1]) for s in out}
    while todo:
        start, end, _ = todo.pop()
        found = []
        for m in (_JOIN_AFTER.match(text, end), _JOIN_BEFORE.search(text, max(0, start - 40), start)):
            word = m.group(1) if m else ""
            # a lower-case name joins a lower-case one ("thx to [marek] and tomasz") if the lists know it
            lower_ok = word.islower() and text[start:end].islower() and lower_given(word)
            if m and (lower_ok or _capital_person(word)) and not (word.isupper() and len(word) < 3):
                found.append((m.start(1), m.end(1)))
        first = _SURNAME_FIRST.search(text, max(0, start - 40), start)
        if first and _surname(first.group(1)):
            found.append((first.start(1), first.end(1)))
        for s, e in found:
            if (s, e) in seen:
                continue
            seen.add((s, e))
            out.append((s, e, "PERSON"))
            todo.append((s, e, "PERSON"))
    return out


def _named_word(word: str) -> bool:
    """The word after "her name was": a name unless it is a function or plain English word."""
    low = word.lower()
    if low in stop_words()["en"]:
        return False
    if word.title() in given_names() or word.title() in word_names():
        return True
    if word[:1].isupper():
        return person_word(word)
    return not english_word(low, nouns=True)


def beside_name_spans(text: str) -> list[Span]:
    """PERSON spans told by the writer beside them, the word for a name, or a role before or after."""
    spans: list[Span] = []
    if " I" in text or "me " in text.lower():
        for m in WITH_ME.finditer(text):
            g = 1 if m.group(1) else 2
            if _capital_person(m.group(g)) and _slot_word(text, m.start(g), m.group(g)):
                spans.append((m.start(g), m.end(g), "PERSON"))
    if "name" in text.lower():
        for m in NAME_WAS.finditer(text):
            if not _named_word(m.group(1)):
                continue
            end = m.end(2) if m.group(2) and _capital_person(m.group(2)) else m.end(1)
            spans.append((m.start(1), end, "PERSON"))
    for m in NAME_PAIR.finditer(text) if "&" in text else ():
        pair = (m.group(1), m.group(2))
        if (
            pair[0] != pair[1]
            and all(w in given_names() or w in word_names() for w in pair)
            and not any(is_plain_brand(w) for w in (*pair, m.group()))
        ):
            spans += [(m.start(1), m.end(1), "PERSON"), (m.start(2), m.end(2), "PERSON")]
    opening = OPENING_DASH.match(text)
    if opening:
        names = opening.group(1).split()
        # a known given name first (a brand or word at the start is the subject: "Hulu - too many ads")
        if _given(names[0]) and all(person_word(w) for w in names) and not is_plain_brand(opening.group(1)):
            spans.append((opening.start(1), opening.end(1), "PERSON"))
    articled = [
        m for m in ARTICLE_NAME.finditer(text) if _given(m.group(1)) and not is_plain_brand(m.group(1))
    ]
    articled += [
        m
        for m in ARTICLE_ROLE_NAME.finditer(text)
        if _capital_person(m.group(1)) and (_given(m.group(1)) or not m.group(1).isascii())
    ]
    if articled and guess_language(text) in _ARTICLE_LANGUAGES:  # the language only where a match stands
        spans += [(m.start(1), m.end(1), "PERSON") for m in articled]
    for m in OPENING_WORD_NAME.finditer(text):
        word = m.group(1)
        if (
            (word in word_names() or word in AMBIGUOUS_GIVEN)
            and _slot_word(text, m.start(1), word)
            and person_word(word)
            and not is_plain_brand(word)
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    words = {w.lower() for w in re.findall(r"[a-z]+", text, flags=re.IGNORECASE)}
    if _GATE.isdisjoint(words):
        return spans
    for m in ROLE_NAME.finditer(text):
        # a name the lists know: a provider's name after a role ("the engineer Openreach sent") is no one
        if _caps_person(m.group(1)) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in NAME_WAS_ROLE.finditer(text):
        word = m.group(1)
        if _capital_person(word) and _slot_word(text, m.start(1), word) and not is_plain_brand(word):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in NAME_THE_ROLE.finditer(text):
        if _capital_person(m.group(1)) and _slot_word(text, m.start(1), m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans
