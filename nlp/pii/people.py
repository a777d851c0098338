"""Names told by whom they belong to or where they stand (issue 17, sixteenth round).

People listed in brackets after the role they share ("each agent (ahmed, esther, rory)", "my
son's (Arjun, 9) lessons"), a lower-case given name after a role someone owns ("our admin
ingrid", "my kid's coach dimitri"), a word no list knows standing alone as the answer's last
sentence, where the writer signs ("Not renewing. Shazza"), and initials before a surname at the
end ("member since 2016, J.P. Delacroix") or alone ("Classes cancelled again. J.P."), a name said of
someone ("but she's Sunitha."), a nickname in quotes between a name's words ("Barry
'Bazza' Whitlock") a given name after a role in capitals ("my PT Mohammed") and a name placed where staff stand
("Paddy at the counter was rude"). The shape is the evidence; each rule
still asks that the words be no brand, place, closing or word customers use.
"""

from __future__ import annotations

import re

from ..languages import stop_words
from ..non_answers.words import INSULT_HEAD, NA_TOKENS, NO_CONTENT
from .brands import is_plain_brand, near_brand
from .letters import LO, UP
from .lexicon import english_verb, english_word
from .lowercase import common_lower, lower_given, word_shaped
from .names import KIN, NAME_WORD
from .spans import Span
from .words import (
    AMBIGUOUS_GIVEN,
    COMPANY_SUFFIXES,
    GREETED,
    NOT_NAMES,
    PLACES,
    brands,
    foreign_words,
    given_names,
)

# Roles people share with others: "each agent (...)", "the twins (...)", "my son's (...)".
_ROLES = (
    rf"{KIN}|agent|rep|representative|advisor|adviser|technician|driver|courier|installer|engineer|"
    r"trainer|coach|instructor|teacher|tutor|manager|supervisor|colleague|staff|employee|worker|"
    r"consultant|nurse|doctor|therapist|cleaner|carer|husband|wife|partner|son|daughter|twin|"
    r"mum|mom|dad|brother|sister|parent|kid|child|children|people|guy|lady|person|member|user|"
    r"admin|administrator|developer|dev|designer|player|student|pupil|athlete|swimmer|rider"
)
_ROLE_WORD = re.compile(rf"(?i:{_ROLES})")
# A bracket of names (and maybe an age) right after such a role, possessive or plural.
ROLE_BRACKET = re.compile(rf"\b(?i:{_ROLES})(?:s|es)?(?:['’]s?)?[ \t]*\(([^()\n]{{2,80}})\)")
_ITEMS = re.compile(r"[ \t]*((?:(?!\band\b)[^,&+/])+?)[ \t]*(?:,|&|\+|/|\band\b|$)")
_ITEM = re.compile(rf"{NAME_WORD}|[{LO}]{{3,}}|\d{{1,2}}(?:[ \t]*(?:y/?o|yrs?|years?(?: old)?))?")

# A lower-case known given name after a role someone owns: "our admin ingrid", "my lead dev hamid":
# the role's one or two words, then the name (each candidate is tried).
OWNED_ROLE_LOWER = re.compile(
    rf"\b(?i:our|my|his|her|their)[ \t]+((?:[{LO}]+['’]s[ \t]+)?[{LO}]{{2,}}(?:[ \t]+[{LO}]{{2,}}){{1,2}})(?![\w'’-])"
)

# The answer's last sentence is one capitalised word or two, after a full stop: "... Shazza".
LAST_WORD_SIGNED = re.compile(rf"[.!?][ \t]+({NAME_WORD}(?:[ \t]+{NAME_WORD})?)[ \t]*\.?\s*$")

# Initials before a surname signing the answer after a comma or a dash: "2016, J.P. Delacroix".
INITIALS_SURNAME_END = re.compile(
    rf"(?:,|(?:^|\s)[-—–~]+)[ \t]*((?:[{UP}]\.[ \t]?){{1,3}}{NAME_WORD})[ \t]*\.?\s*$"
)

# Initials alone signing the answer, as its last sentence or line: "... three weeks running. J.P.",
# "...\n- a.m.b." (dotted, so "OK" or "NHS" is no one; the dotted words of _NOT_INITIALS are no one).
INITIALS_END = re.compile(
    r"(?:[.!?][\"'”’)]?[ \t]+|\n[ \t]*|(?:^|\s)[-—–~]+[ \t]*)((?:[A-Za-z]\.[ \t]?){2,4})\s*$"
)
_NOT_INITIALS = frozenset(
    "us uk eu usa un na nb ps pps am pm ie eg rip asap ad bc dc la ny tv po ok jr sr aka diy cv rsvp nhs "
    "fyi btw eta lol vs wrt ft qc cc bcc pto ooo "
    # German and Romance abbreviations: "k.A." (no answer), "z.B.", "d.h.", "u.a.", "p.ej."
    "ka zb dh ua uu va so su zt idr ia pex pej ee eeuu".split()
)
# Who someone is, said of a third person and ending its clause: "she's Sunitha.", "he is Tadhg, not".
IS_NAMED = re.compile(
    rf"(?<![\w'’])(?i:she|he)(?:['’]s|[ \t]+is)[ \t]+({NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
    r"(?=[ \t]*(?:[,.;:!?)\n]|$)|[ \t]+(?:not|and|but)\b)"
)
# A known given name spoken to, opening its sentence: "Priya, you were brilliant.", "Zainab, thank you".
ADDRESSED_YOU = re.compile(
    rf"(?:^|[.!?][ \t]+|\n[ \t]*)({NAME_WORD}),[ \t]+(?i:you|your|you're|you['’]ve|thank you|thanks)\b"
)
# A Japanese or Hindi honorific joined to a name: "Tanaka-san helped me", "Sharma-ji".
HONORIFIC_SUFFIX = re.compile(rf"(?<![\w'’-])({NAME_WORD})-(?:san|sama|kun|chan|sensei|senpai|ji)\b")
# Dotted initials standing alone inside a sentence, no capitalised surname after them: "My tutor was a.m.b. and".
INITIALS_INSIDE = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,4})(?![\w.])(?![ \t]+[A-Z][a-z])")
# A Dutch or German surname led by its lower-case particle, no given name before it: "dealt with
# van der Berg twice", "ask von Trapp" (the particle is no English word before a capital); a name
# word right before it ("Pieter van der Berg") is the edges' to grow.
PARTICLE_SURNAME = re.compile(
    rf"(?<![\w'’-])((?:van|von)(?:[ \t]+(?:der|den|de|dem|het))?[ \t]+|(?:ter|ten)[ \t]+)({NAME_WORD})(?![\w'’-])"
)
_NAME_BEFORE = re.compile(rf"{NAME_WORD}[ \t]+$")
# Whose a booking is, after "under": "booked under Quintero-Baptiste", "a table under Okafor".
BOOKED_UNDER = re.compile(
    rf"\b(?i:booked|booking|reserved|reservation|table|it['’]s|it is)[ \t]+under[ \t]+({NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
    r"(?![\w'’-]|[ \t]+[a-z])"
)

# A nickname in quotes inside a name: "Barry 'Bazza' Whitlock", "Olusegun \"Shegz\" Adeyemi".
QUOTED_NICKNAME = re.compile(
    rf"(?<![\w'’-])({NAME_WORD}[ \t]+['‘\"“]{NAME_WORD}['’\"”][ \t]+{NAME_WORD}(?:-{NAME_WORD})?)(?![\w'’-])"
)
# Someone placed where staff stand, opening a sentence: "Paddy at the counter was rude".
NAME_AT_COUNTER = re.compile(
    rf"(?:^|[.!?][ \t]+|\n[ \t]*)({NAME_WORD})[ \t]+(?:at|on|behind)[ \t]+the[ \t]+"
    r"(?:counter|till|tills|checkout|desk|front desk|reception|door|bar|gate)\b"
)
# A known given name after a role in capitals someone owns: "my PT Mohammed", "our GP Aisha".
OWNED_ABBREVIATION = re.compile(
    rf"\b(?i:my|our|the|your|his|her|their)[ \t]+[A-Z]{{2,4}}[ \t]+({NAME_WORD})(?![\w'’-])"
)


def _unknown_name_word(word: str, nouns: bool = True) -> bool:
    """A capitalised word no list and no rule knows as anything but a name (WordNet's nouns hold
    famous surnames, "Delacroix", so ``nouns=False`` where the shape already says surname)."""
    key = word.strip(".").lower()
    return not (
        common_lower(key)
        or word_shaped(key)
        or word.strip(".") in NOT_NAMES
        or word.strip(".") in GREETED
        or word.strip(".") in PLACES
        or key in COMPANY_SUFFIXES
        or is_plain_brand(word)
        or key in brands()
        or near_brand(word)
        or not word.isalpha()
        or english_word(key, nouns=nouns)
        or key in NO_CONTENT
        or key in NA_TOKENS
        or key in INSULT_HEAD
    )


def _bracket_spans(text: str) -> list[Span]:
    """Each name in a bracket of names (and maybe an age) after a role: "(Arjun, 9)"."""
    spans: list[Span] = []
    for m in ROLE_BRACKET.finditer(text) if "(" in text else ():
        found: list[Span] = []
        items = list(_ITEMS.finditer(m.group(1)))
        for item in items:
            word = item.group(1)
            if not _ITEM.fullmatch(word):
                break
            if word[0].isdigit():
                continue
            if not ((word[0].isupper() and _unknown_or_given(word)) or lower_given(word)):
                break
            start = m.start(1) + item.start(1)
            found.append((start, start + len(word), "PERSON"))
        else:
            spans += found
    return spans


def _unknown_or_given(word: str, nouns: bool = True) -> bool:
    """A known given name, or a word no list knows (see :func:`_unknown_name_word`)."""
    return lower_given(word.lower()) or _unknown_name_word(word, nouns)


def people_spans(text: str) -> list[Span]:
    """PERSON spans told by the shapes of the module docstring."""
    spans = _bracket_spans(text)
    for m in OWNED_ROLE_LOWER.finditer(text):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group(1))]
        for i in range(1, len(words)):
            role = [w for _, w in words[:i]]  # "admin", "lead dev", "kid's coach"
            if any(w.lower() in stop_words()["en"] for w in role):
                break
            at, name = words[i]
            # "my kids love alexa", "my wife prefers zara": a brand after a verb is what they use
            if name in brands() and english_verb(role[-1]):
                continue
            # a name no list knows after a role of _ROLES: "our lead dev priyanshu raised it"
            unknown = _ROLE_WORD.fullmatch(role[-1]) and _unknown_name_word(name) and not english_verb(name)
            if (lower_given(name) and not english_word(name, nouns=True)) or unknown:
                spans.append((m.start(1) + at, m.start(1) + at + len(name), "PERSON"))
                break
    for m in (
        QUOTED_NICKNAME.finditer(text) if "'" in text or '"' in text or "‘" in text or "“" in text else ()
    ):
        parts: list[str] = re.findall(NAME_WORD, m.group(1))
        if all(_unknown_or_given(w, nouns=False) for w in parts[:1] + parts[-1:]):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in OWNED_ABBREVIATION.finditer(text):
        if (
            m.group(1) in given_names()
            and m.group(1) not in AMBIGUOUS_GIVEN
            and not is_plain_brand(m.group(1))
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in NAME_AT_COUNTER.finditer(text):
        if _unknown_or_given(m.group(1)):  # not "Queues at the counter", "Tourists at the bar"
            spans.append((m.start(1), m.end(1), "PERSON"))
    last = LAST_WORD_SIGNED.search(text)
    # in German every noun is capitalised ("Zu teuer. Schade."): English answers only
    # a word answering the question before it is no signature: "New broadband? Hyperoptic."
    if (
        last
        and text[last.start()] != "?"
        and all(_unknown_name_word(w) for w in last.group(1).split())
        and not foreign_words(text)
    ):
        spans.append((last.start(1), last.end(1), "PERSON"))
    initials = INITIALS_END.search(text) if "." in text else None
    if initials and re.sub(r"[\s.]", "", initials.group(1)).lower() not in _NOT_INITIALS:
        spans.append((initials.start(1), initials.start(1) + len(initials.group(1).rstrip()), "PERSON"))
    for m in INITIALS_INSIDE.finditer(text) if "." in text else ():
        if re.sub(r"\.", "", m.group(1)).lower() not in _NOT_INITIALS and not text[
            : m.start(1)
        ].rstrip().endswith(tuple("0123456789")):
            spans.append((m.start(1), m.end(1), "PERSON"))  # "7 a.m." after a number is a time
    for m in ADDRESSED_YOU.finditer(text):
        if (
            lower_given(m.group(1).lower())
            and m.group(1) not in AMBIGUOUS_GIVEN
            and not is_plain_brand(m.group(1))
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in HONORIFIC_SUFFIX.finditer(text) if "-" in text else ():
        spans.append((m.start(1), m.end(1), "PERSON"))
    # in German "von" is "from" ("Werbung von Firmen"): English answers only
    particle = ("van" in text or "von" in text or "te" in text) and not foreign_words(text)
    for m in PARTICLE_SURNAME.finditer(text) if particle else ():
        if _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # "Pieter van der Berg": the name and its particle are grown from the given name
        if _unknown_or_given(m.group(2), nouns=False) and not english_word(m.group(2)):
            spans.append((m.start(1), m.end(2), "PERSON"))
    for m in BOOKED_UNDER.finditer(text) if "under" in text else ():
        parts = re.split(r"[ \t-]+", m.group(1))  # "Premium Saver", "Hilton Honors points" are no one
        if all(_unknown_or_given(w) and not english_word(w, nouns=True) for w in parts):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in IS_NAMED.finditer(text):
        if all(_unknown_or_given(w) and w not in AMBIGUOUS_GIVEN for w in m.group(1).split()):
            spans.append((m.start(1), m.end(1), "PERSON"))
    end = INITIALS_SURNAME_END.search(text)
    if end and not is_plain_brand(end.group(1)):
        # WordNet's nouns hold famous surnames ("Delacroix"), and the initials already say name
        if _unknown_or_given(re.split(r"[ \t.]+", end.group(1))[-1], nouns=False):
            spans.append((end.start(1), end.end(1), "PERSON"))
    return spans
