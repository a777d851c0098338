"""Names told by the words around them where no cue word stands before them (issue 17, eighth round).

A writer who has never seen the other rules still names people in ways they miss: a role in
brackets after the name ("Suresh (installer)", "Tobi & Kemi (my kids)"), a known given name
opening a sentence before what a person does ("Rory rang me"), a name typed in lower case
("dave and sandra from the depot", "abdullahi musa - cancelling", "ask ngozi adeyemi"), a name
before a pipe on the first line, and a name that its own e-mail address spells out
("Ahmed (ahmed.k@gmx.de)"). Each rule still asks that the words be no brand and no word
customers use.
"""

from __future__ import annotations

import re

from .brands import is_name_brand, is_plain_brand
from .letters import LO, UP
from .lowercase import common_lower, lower_given
from .names import FULL_NAME, KIN, NAME_WORD
from .spans import Span
from .words import AMBIGUOUS_GIVEN, COMPANY_SUFFIXES, GREETED, NOT_NAMES, PLACES, given_names

# Who a bracket after a name says the person is: "(installer)", "(my landlord)", "(account holder)".
_ROLES = (
    rf"{KIN}|kids|children|husband|wife|partner|son|daughter|mother|father|mum|mom|dad|brother|sister|"
    r"flatmate|housemate|landlord|landlady|tenant|agent|rep|representative|advisor|adviser|technician|"
    r"driver|courier|installer|engineer|trainer|coach|manager|supervisor|colleague|assistant|nurse|doctor|"
    r"account holder|holder|owner|receptionist|cashier|salesperson|sales rep|support|billing|"
    r"hr|it|sales|accounts|dispatcher|mechanic|plumber|electrician|teacher|tutor|student|employee|staff"
)
PAREN_ROLE = re.compile(
    rf"(?<![\w'’])({FULL_NAME}(?:[ \t]*(?:&|\+|and)[ \t]*{FULL_NAME})?)"
    rf"(?:['’]s(?:[ \t]+[{LO}]+){{0,2}})?[ \t]*\((?:(?:my|our|the|his|her|their|your|a|an)[ \t]+)?"
    rf"(?i:{_ROLES})s?\b"
)
# What a person does, right after a given name that opens a sentence: "Rory rang me", "Kwame said".
_PERSON_VERBS = (
    r"said|says|told|tells|rang|rings|called|phoned|emailed|texted|messaged|promised|kept|refused|hung|"
    r"never|didn't|did|could|couldn't|would|wouldn't|asked|tried|insisted|explained|laughed|shouted|"
    r"left|quit|recommended|introduced|sold|signed|set|handled|sorted|helped|ignored|reported|"
    r"complained|agreed|assured|offered|was|is|were|has|had|and|from|at|in|on|who"
)
OPENING_GIVEN = re.compile(
    rf"(?:^|[.!?]\s+|\n)({NAME_WORD})(?=[ \t]+(?:{_PERSON_VERBS})\b|[ \t]*(?:&|\+)[ \t]*[{UP}])"
)
# Lower case: a known given name opening a sentence before what a person does or another name
# ("dave and sandra from the leeds depot"), or opening the answer before a dash ("abdullahi musa - ").
LOWER_OPENING = re.compile(
    rf"(?:^|[.!?]\s+|\n)([{LO}]+)(?:[ \t]+(?:and|&)[ \t]+([{LO}]+))?(?=[ \t]+(?:{_PERSON_VERBS})\b)"
    rf"|^\s*([{LO}]+)(?:[ \t]+[{LO}]+)?[ \t]*[-–—|:]"
)
# also with a hyphen or apostrophe inside: "ahmed [al-rashid]", "ilker [o'sullivan]"
_NEXT_LOWER = re.compile(rf"[ \t]([{LO}]+(?:['’-][{LO}]+)*)(?![\w'’-]|\.\w)")
# A name on the first line before a pipe: "Ewa-Maria Zielińska | ul. ...".
NAME_BEFORE_PIPE = re.compile(rf"^\s*({FULL_NAME})[ \t]*\|")
# A name just before an e-mail address in brackets or after a colon.
# A name and an initial alone on the last line: "Ewelina K.", "...\nJamal W".
NAME_INITIAL_LINE = re.compile(rf"(?:^|\n)[ \t]*({NAME_WORD}[ \t]+[{UP}]\.?)[ \t]*$")
# starts where a run of address letters starts: tried from every letter of a long word, the
# pattern read to its end each time (50,000 letters without "@" took ~30 s)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A known given name alone in brackets or quotes, or the first thing in them: "(Aarav)",
# "(Karim, je crois)", "(Hamza i think)", "spoke to 'Hope'"; after a verb of calling: "ring Tsegaye on ...".
GIVEN_ALONE = re.compile(
    rf"(?:(?<=[(\[])|(?<=[\s(]['\"‘“]))({NAME_WORD})"
    r"(?=[)\]]|['\"’”][\s.,;:!?)]|,[ \t]|[ \t]+(?:I|i)[ \t]+(?:think|believe|guess|reckon)\b)"
    rf"|\b(?i:ring|call|phone|text|message|ask)[ \t]+({NAME_WORD})(?=[ \t]+(?:on|at)[ \t]+[\d+(\[])"
)
_CAP_WORD = re.compile(rf"(?<![\w'’-]){NAME_WORD}(?![\w'’])")


def _name_words(words: list[str]) -> bool:
    """None of the words is a brand, a word customers use, a team word or a company suffix."""
    return bool(words) and not any(
        w.strip(".") in NOT_NAMES
        or w.strip(".") in GREETED
        or is_plain_brand(w)
        or w.lower().strip(".") in COMPANY_SUFFIXES
        or (common_lower(w.lower()) and w not in given_names())
        for w in words
    )


def _given(word: str) -> bool:
    return word in given_names() and word not in AMBIGUOUS_GIVEN and not is_name_brand(word)


def _email_name_spans(text: str) -> list[Span]:
    """Capitalised words that the text's own e-mail addresses spell out ("Noor" and noor.abd@...)."""
    parts = {
        p
        for m in _EMAIL.finditer(text)
        for p in re.split(r"[._+\-\d]+", m.group().split("@")[0].lower())
        if len(p) >= 3
    }
    if not parts:
        return []
    spans: list[Span] = []
    for m in _CAP_WORD.finditer(text):
        pieces = [p for p in re.split(r"[-'’]", m.group().lower()) if p]
        if any(p in parts for p in pieces) and _name_words([m.group()]):
            spans.append((m.start(), m.end(), "PERSON"))
    return spans


def context_name_spans(text: str) -> list[Span]:
    """PERSON spans told by a bracketed role, an opening verb, lower case, a pipe or an e-mail."""
    spans: list[Span] = []
    for m in PAREN_ROLE.finditer(text):
        words = re.split(r"[ \t]*(?:&|\+|\band\b)[ \t]*|[ \t]+", m.group(1))
        if _name_words([w for w in words if w]) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in OPENING_GIVEN.finditer(text):
        if _given(m.group(1)) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_OPENING.finditer(text):
        for g in (1, 2, 3):
            if m.group(g) and lower_given(m.group(g)):
                spans.append((m.start(g), m.end(g), "PERSON"))
    for m in GIVEN_ALONE.finditer(text):
        g = 1 if m.group(1) else 2  # after a verb of calling, the shape decides: any name word
        if (_given(m.group(g)) if g == 1 else _name_words([m.group(g)])) and not is_plain_brand(m.group(g)):
            spans.append((m.start(g), m.end(g), "PERSON"))
    last = NAME_INITIAL_LINE.search(text)
    if last and _name_words(last.group(1).split()[:1]):
        spans.append((last.start(1), last.end(1), "PERSON"))
    pipe = NAME_BEFORE_PIPE.match(text)
    if pipe and len(pipe.group(1).split()) >= 2 and _name_words(pipe.group(1).split()):
        spans.append((pipe.start(1), pipe.end(1), "PERSON"))
    return spans + _email_name_spans(text) + name_line_spans(text)


def widen_lower(text: str, spans: list[Span]) -> list[Span]:
    """Add the lower-case surname after a lower-case name ("ngozi [adeyemi]", "abdullahi [musa]"):
    the next word, when it is no word customers use."""
    out = list(spans)
    for start, end, tag in spans:
        if tag != "PERSON" or not text[start:end].islower():
            continue
        nxt = _NEXT_LOWER.match(text, end)
        if nxt and not common_lower(nxt.group(1)) and len(nxt.group(1)) > 1:
            out.append((nxt.start(1), nxt.end(1), "PERSON"))
    return out


def repeat_names(text: str, spans: list[Span]) -> list[Span]:
    """Every other place the text names someone already found ("Rafał said ...; Rafał was right"):
    the whole name, and each of its words that is no word customers use or brand."""
    names = {text[s:e] for s, e, tag in spans if tag == "PERSON"}
    # a name typed in capitals once may be written the usual way elsewhere: "SATO" ... "Sato"
    names |= {n.title() for n in names if n.isupper() and len(n) >= 3}
    names |= {
        w for n in names for w in n.split() if len(w) >= 3 and re.fullmatch(NAME_WORD, w) and _name_words([w])
    }
    out = list(spans)
    for name in names:
        if len(name) < 3:
            continue
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", text):
            out.append((m.start(), m.end(), "PERSON"))
    return out


# A name alone on a line above its company or contact lines: "Chukwudi Eze\nBrightway Foods Ltd\n+234 ...".
NAME_LINE_ABOVE_CONTACT = re.compile(
    rf"(?:^|\n)[ \t]*({FULL_NAME})[ \t]*\n(?:[^\n]{{0,60}}\n){{0,2}}[^\n]*?(?:\+?\(?\d[\d ()-]{{7,}}\d|[\w.+-]+@[\w-]+\.)"
)


def name_line_spans(text: str) -> list[Span]:
    """Two to four name words alone on a line, with a phone or e-mail within the next three lines."""
    spans: list[Span] = []
    for m in NAME_LINE_ABOVE_CONTACT.finditer(text):
        words = m.group(1).split()
        if len(words) >= 2 and _name_words(words) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans


# The item after or before a name in the middle of a list, with a separator on both sides:
# "(me, [Ifeoma], Chidera, Obinna and Zikora)"; "Nomsa Dlamini, Durban" ends no list.
_NEXT_ITEM = re.compile(rf",[ \t]*({NAME_WORD})(?=[ \t]*(?:,|\band\b|&))")
_PREV_ITEM = re.compile(rf"(?:[(,][ \t]*|\band[ \t]+)({NAME_WORD}),[ \t]*$")


def widen_lists(text: str, spans: list[Span]) -> list[Span]:
    """Add the names listed beside a name, item by item, while they are no brand, place or word."""
    out = list(spans)
    todo = [s for s in spans if s[2] == "PERSON"]
    seen = {(s[0], s[1]) for s in todo}
    while todo:
        start, end, _ = todo.pop()
        found = [_NEXT_ITEM.match(text, end), _PREV_ITEM.search(text[max(0, start - 40) : start])]
        for i, m in enumerate(found):
            if not m or m.group(1) in PLACES or not _name_words([m.group(1)]):
                continue
            offset = 0 if i == 0 else max(0, start - 40)
            span = (offset + m.start(1), offset + m.end(1), "PERSON")
            if (span[0], span[1]) not in seen:
                seen.add((span[0], span[1]))
                out.append(span)
                todo.append(span)
    return out
