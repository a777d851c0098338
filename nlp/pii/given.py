"""Known given names in the spots only a person fills: alone mid-sentence ("I spoke to Siobhan
twice", "'Baking with Kemi'"), the last sentence alone ("Not for me. Marcin"), addressed after
thanks or an apology ("Sorry Maurice, ..."), or with "and I" ("Paola and I share the account"); since h-pii64 a name owning something after a
verb opening the sentence ("Cancelling Maria's account"), a writer back again before a dash ("Hazel
again — ...") and two given names joined by a hyphen ("Klaus-Dieter").

With ~20,000 given names of ~80 locales (``words.given_names``) the name itself is the evidence
these patterns need; brands, the words in ``NOT_NAMES`` and, where the name is also a word, the
ambiguous given names ("Will", "Grace") are left alone except where a person is addressed.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .letters import LO, UP
from .lexicon import english_verb
from .lowercase import common_lower, lower_given, word_shaped
from .names import FULL_NAME, NAME_WORD, SHOP_AFTER, STREET_SUFFIX
from .spans import Span
from .words import AMBIGUOUS_GIVEN, NOT_NAMES, foreign_words, given_names, hand_given_names, word_names

# A known given name on its own, mid-sentence ("I spoke to Siobhan twice"), also in quotes
# ("the one human, 'Raúl', closed the chat") or
# with its possessive ("with Kemi's help"); names that are also ordinary words or months are left
# to the cues and the NER model.
LONE_GIVEN_NAME = re.compile(
    rf"(?=[{UP}])(?:(?<=[{LO},;:(]\s)|(?<=[{LO},;:(]\s['‘\"“]))({NAME_WORD})(?<!['’]s)(?<!['’])(?![\w-]|['’](?!s\b)\w)"
)
# The word before that makes a given name part of a place: "São Paulo", "Santa Maria", "Port Louis".
_PART_OF_PROPER_NOUN = re.compile(
    r"\b(?:São|San|Santa|Santo|Saint|St\.?|Sankt|Porto|Puerto|Port|Fort|Mount|Lake|Cape|Villa|Vila|Monte)[ \t]$"
)
# A capitalised word before a possessive name: "Trader Joe's", "Papa John's" are brands.
_CAPITAL_BEFORE = re.compile(rf"[{UP}][^\s]*[ \t]$")
# ... unless it is a verb opening the sentence: "Cancelling Ingrid's account", "Close Piotr's plan".
_VERB_OPENING = re.compile(rf"(?:^|[.!?:;]\s+|\n\s*)([{UP}][{LO}]+)[ \t]$")

# Months and seasons that are also given names: "Renewal is in. June" is no signature.
_MONTH_OR_DAY = re.compile(r"(?i:april|may|june|july|august|summer|autumn|winter|spring|sunday|monday)")
_PARTICLES = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|la|le|du|ter|ten)"
# The answer's last sentence is a name and nothing else: "Too expensive. Marcin", "No thanks! Ana Lima."
LAST_SENTENCE_NAME = re.compile(rf"[.!?][ \t]+({FULL_NAME})[ \t]*[.!]?\s*$")
# The same typed in lower case, also after a comma or on its own line: "maybe in a year. bogdan",
# "no longer needed, rosa", "reach me at ... . imogen kowalczyk".
LOWER_LAST_SENTENCE = re.compile(
    rf"(?:[.!?,][ \t]+|\n[ \t]*)([{LO}]{{3,}}(?:-[{LO}]+)?)(?:[ \t]+((?:{_PARTICLES}[ \t]+){{0,2}}[{LO}]{{2,}}(?:['’-][{LO}]+)?))?[ \t]*[.!]?\s*$"
)
# A person addressed after thanks, an apology or a goodbye: "Thank you Nina for trying!", "Sorry Maurice,".
ADDRESSED_NAME = re.compile(
    rf"\b(?i:thank you|thanks|thx|sorry|cheers|bye|goodbye)[ \t]*,?[ \t]+({NAME_WORD})(?=[ \t]*(?:[,!.]|for\b|$))"
)
# A person who shares the account with the writer: "Paola and I", "Domenica and me".
AND_I_NAME = re.compile(rf"(?:^|[.!?][ \t]+|\n)({NAME_WORD})[ \t]+and[ \t]+(?:I|me|my)\b")


# A returning writer naming themself at the start of a line before a dash: "Hazel again — the bins",
# "Summer here - ...". The dash sets the word apart as a signature does, so a given name that is
# also a word counts ("River again — gear was dirty"; "Price again — too high" is no given name),
# but not one a customer writes of the money before "again" ("Bill again — charged twice").
RETURNING_NAME = re.compile(rf"(?:^|\n)[ \t]*({NAME_WORD})[ \t]+(?:again|here)[ \t]*[—–-](?!\w)")
# Given names that are also words of the money an exit answer complains of, again and again.
_MONEY_WORDS = frozenset(("Bill", "Bills", "Cash", "Chase", "Penny", "Sterling"))
# A given name of two known given names joined by a hyphen, anywhere: "Klaus-Dieter", "Jean-Luc".
_DOUBLE_GIVEN = re.compile(rf"(?<![\w'’-])([{UP}][{LO}]+)-([{UP}][{LO}]+)(?![\w'’-])")


def _known(word: str, ambiguous_ok: bool = False) -> bool:
    """A known given name that is no brand or non-name word (nor, unless allowed, also a word)."""
    return (
        word in given_names()
        and (ambiguous_ok or word not in AMBIGUOUS_GIVEN)
        and word not in NOT_NAMES
        and not is_plain_brand(word)
    )


def opening_verb(text: str, start: int) -> bool:
    """Is the word before ``start`` a verb that opens the sentence and no brand ("Cancelling",
    "Close"; not "Trader", "Papa")?"""
    m = _VERB_OPENING.search(text, max(0, start - 24), start)
    if m is None:
        return False
    word = m.group(1)
    # a doubled consonant before "-ing"/"-ed": "Cancelling", "Stopping" are "cancel", "stop"
    doubled = re.fullmatch(r"(\w*([b-df-hj-np-tv-z]))\2(?:ing|ed)", word.lower())
    verb = english_verb(word) or bool(doubled and english_verb(doubled.group(1)))
    return verb and not is_plain_brand(word)


def lone_given_spans(text: str) -> list[Span]:
    """A known given name alone mid-sentence, unless a place, a street, a brand's possessive or
    (for a name only Faker's lists hold) a German/Spanish/French/Portuguese text's noun."""
    spans: list[Span] = []
    names = given_names()
    for m in LONE_GIVEN_NAME.finditer(text):
        if _PART_OF_PROPER_NOUN.search(text, max(0, m.start() - 12), m.start()):
            continue  # "São Paulo": a place
        if m.group(1) not in names or m.group(1) in AMBIGUOUS_GIVEN:
            continue
        if STREET_SUFFIX.match(text, m.end(1) + 1) and text[m.end(1) : m.end(1) + 1] == " ":
            continue  # "the Willow Road store": a street
        if (
            text.startswith(("'s", "’s"), m.end(1))
            and _CAPITAL_BEFORE.search(text, 0, m.start(1))
            and (not opening_verb(text, m.start(1)) or SHOP_AFTER.match(text, m.end(1) + 2))
        ):
            continue  # "Trader Joe's", "Morgan Stanley's", "Visit Joe's instead": a brand's possessive
        if m.group(1) not in hand_given_names() and foreign_words(text):
            continue  # "für mein Handy": German nouns are capitalised; Faker's names hold some of them
        spans.append((m.start(1), m.end(1), "PERSON"))
    return spans


def given_name_spans(text: str) -> list[Span]:
    """PERSON spans of known given names in the spots above."""
    spans: list[Span] = lone_given_spans(text)
    for m in LAST_SENTENCE_NAME.finditer(text):
        words = m.group(1).split()
        # A name that is also a word counts with a surname after it: "I am leaving. Guy Faure"
        surname = len(words) > 1 and not any(common_lower(w.lower()) for w in words[1:])
        # "Sorry. Will": a name that is also a word, alone as the last sentence, signs the answer
        # but not one answering the question before it: "Which bank now? Chase."
        alone = len(words) == 1 and not _MONTH_OR_DAY.fullmatch(words[0]) and text[m.start()] != "?"
        first = _known(words[0]) or ((surname or alone) and _known(words[0], ambiguous_ok=True))
        if first and not any(is_plain_brand(w) or w in NOT_NAMES for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    low = LOWER_LAST_SENTENCE.search(text)
    if low and lower_given(low.group(1)):
        second: str | None = low.group(2)
        last = second.split()[-1] if second else ""  # "pieter de [vries]"
        keep_surname = bool(second) and not (common_lower(last) or word_shaped(last))
        if not second or keep_surname:  # "... . rosa", "... . imogen kowalczyk"; not "... . bill me"
            spans.append((low.start(1), low.end(2 if keep_surname else 1), "PERSON"))
    for m in ADDRESSED_NAME.finditer(text):
        # "Sorry Blessing, ...": a name that is also a word is a person where someone is addressed
        if _known(m.group(1), ambiguous_ok=True) or m.group(1) in word_names():
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in RETURNING_NAME.finditer(text):
        word = m.group(1)
        if not (_known(word, ambiguous_ok=True) or word in word_names()):
            continue
        # "Summer here - ..." introduces a writer; "Bill again — charged twice" is the bill again
        if word in _MONEY_WORDS and m.group().rstrip("—–- \t").endswith("again"):
            continue
        spans.append((m.start(1), m.end(1), "PERSON"))
    for m in _DOUBLE_GIVEN.finditer(text) if "-" in text else ():
        # both halves a given name no word or brand is: "Anne-Sophie"; not "Rolls-Royce", "Hong-Kong"
        if _known(m.group(1)) and _known(m.group(2)) and not is_plain_brand(m.group()):
            if not (m.group(1) in word_names() or m.group(2) in word_names()):
                spans.append((m.start(), m.end(), "PERSON"))
    for m in AND_I_NAME.finditer(text):
        if _known(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans
