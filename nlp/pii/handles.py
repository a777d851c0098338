"""Addresses and handles without the shape ``contact`` looks for (issue 17, sixteenth round).

A payment address has no dot after its "@" ("refund to UPI id rahul.verma@okhdfc"), an e-mail
written out may stop at the provider ("account email p.achebe at gmail") or be its user part alone ("my gmail is pip.jones"), a Discord tag ends in
"#" and four digits ("frostbyte#4412"), and a user name may follow a bare "user:" label
("user: dj_kofi_b"), or stand after "user" as a word no dictionary has ("user kbaptiste"); a
street address may be typed in lower case ("5726 albion road, apt 26"). Each has a mark no plain word has: a dot, digit or "_" in the user part, a
"#" tag, or the label's colon.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .lexicon import english_word, near_english
from .lowercase import common_lower, lower_given
from .spans import Span

# "rahul.verma@okhdfc", "9876543210@ybl": a user part with a dot, digit or "_", an "@" and a host
# of letters with no dot after it (an e-mail's host has one and is found by ``contact.EMAIL``).
NO_DOT_ADDRESS = re.compile(r"(?<![\w.+-])([\w+-]*[\d._][\w.+-]*@[A-Za-z]{2,20})(?![\w@.-]|\.[A-Za-z])")
# "p.achebe at gmail", "kofi_b at hotmail": a mail provider with no ".com" after it.
_PROVIDERS = r"gmail|googlemail|yahoo|hotmail|outlook|icloud|aol|gmx|proton(?:mail)?|yandex|btinternet"
PROVIDER_ONLY = re.compile(
    rf"(?i)(?<![\w.@-])([a-z][\w-]*(?:[._][\w-]+|\d[\w-]*)+[ \t]+(?:at|@)[ \t]+(?:{_PROVIDERS}))\b(?!\.\w|[ \t]+(?:dot|punto|ponto|point|punkt)\b)"
)
# The user part alone after the provider or "email" and "is": "my gmail is pip.jones", "email: kofi_b".
PROVIDER_USER = re.compile(
    rf"(?i)\b(?:{_PROVIDERS}|e-?mail)(?:[ \t]+(?:address|account|id|login))?[ \t]*(?:is|:|=)[ \t]*"
    r"([a-z][\w-]*(?:[._][\w-]+|\d[\w-]*)+)(?![\w@]|\.\w)"
)
# A Discord tag: a name, "#" and four digits ("frostbyte#4412").
DISCORD_TAG = re.compile(r"(?<![\w#@])([A-Za-z][\w.]{1,31}#\d{4})(?![\w#])")
# A user name after a bare "user" label and its colon, joined by "_" as only handles are: "user: dj_kofi_b".
USER_LABEL = re.compile(r"(?i)\buser[ \t]*[:=][ \t]*(@?[A-Za-z][\w.-]{2,30})(?![\w@])")
# A lower-case login after "user" with no colon, that is no word: "the account for user kbaptiste".
USER_WORD = re.compile(r"\b(?i:user)[ \t]+([a-z][a-z0-9]{4,20})\b(?![@.'’-]\w)")
# A login the writer names as such in brackets after it: "kestrelrun here (my username)",
# "under bluefinch77 (my login)". The bracket says what the word is, so it need be no known shape.
NAMED_LOGIN = re.compile(
    r"(?<![\w@.'’-])([A-Za-z][\w.-]{2,30})(?:[ \t]+here)?[ \t]*\((?i:(?:my|our|the)[ \t]+)?"
    r"(?i:login|log-in|username|user[ \t]?name|user[ \t]?id|handle|gamertag|screen[ \t]?name|nick(?:name)?)\)"
)
# A street address typed in lower case, unit after: "5726 albion road, apt 26", "14 larch close".
LOWER_STREET = re.compile(
    r"(?<![\w.,/-])\d{1,5}[a-z]?,?[ \t]+((?:[a-z][a-z'’-]+[ \t]+){1,2})"
    r"(?:street|st|road|rd|avenue|ave|lane|drive|close|crescent|terrace|grove|way|gardens|place|court|rise|walk)\b"
    r"(?:,?[ \t]*(?:apt|apartment|flat|unit|suite)\.?[ \t]*#?\w{1,4}\b)?"
)
# A bare number, capitalised words and a street word that is also a common noun or verb ("Fold",
# "Chase", "Walk"), then a plural noun: "12 Galaxy Fold phones", "2 JP Morgan Chase accounts".
_COUNTED = re.compile(
    r"\d{1,5}\s+(?:[A-Z][\w'.-]*\s+){1,3}(?i:rise|walk|croft|chase|mead|garth|fold|drove)\.?[ \t]+([a-z]{3,}s)\b"
)


def counted_goods(text: str, start: int) -> bool:
    """Is the street match at ``start`` a count of things ("3 Moon Walk events"), not an address?"""
    m = _COUNTED.match(text, start)
    return bool(m and english_word(m.group(1)[:-1], nouns=True))


_DIGIT = re.compile(r"\d")
# A price or a count before "@" and a shop: "9.99@Amazon", "2@Costco" (a UPI phone id has 10 digits).
_PRICE = re.compile(r"\d{1,5}(?:[.,]\d{1,2})?@")
_HANDLE_MARK = re.compile(r"[A-Za-z]_|_[A-Za-z]")  # "dj_kofi_b"; not "admin2", "windows-10", "v2.4.1"


def handle_address_spans(text: str) -> list[Span]:
    """E-mail-like addresses with no dot in the host or no host suffix, Discord tags, user labels."""
    spans: list[Span] = []
    if "@" in text:
        spans += [
            (m.start(1), m.end(1), "EMAIL")
            for m in NO_DOT_ADDRESS.finditer(text)
            if not _PRICE.match(m.group(1))
        ]
    if " at " in text.lower() or " @ " in text:
        spans += [(m.start(1), m.end(1), "EMAIL") for m in PROVIDER_ONLY.finditer(text)]
    for m in PROVIDER_USER.finditer(text):
        letters = sum(c.isalpha() for c in m.group(1))  # "v2.3" is a version, no user
        if letters >= 3 and (
            _DIGIT.search(m.group(1)) or _HANDLE_MARK.search(m.group(1)) or "." in m.group(1)
        ):
            spans.append((m.start(1), m.end(1), "EMAIL"))
    if "#" in text:
        spans += [(m.start(1), m.end(1), "ACCOUNT") for m in DISCORD_TAG.finditer(text)]
    for m in USER_LABEL.finditer(text) if ":" in text or "=" in text else ():
        if _HANDLE_MARK.search(m.group(1)):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    for m in NAMED_LOGIN.finditer(text) if "(" in text else ():
        word = m.group(1)
        if not (common_lower(word.lower()) or english_word(word, nouns=True) or is_plain_brand(word)):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    for m in LOWER_STREET.finditer(text) if _DIGIT.search(text) else ():
        names = m.group(1).split()  # "albion", "larch": no word a customer uses for something else
        if not any(common_lower(w) or english_word(w) for w in names):
            spans.append((m.start(), m.end(), "ADDRESS"))
    for m in USER_WORD.finditer(text):
        word = m.group(1)
        if not (
            common_lower(word)
            or english_word(word, nouns=True)
            or lower_given(word)
            or is_plain_brand(word)
            or near_english(word)  # "not very user freindly": a misspelt word, no login
        ):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    return spans
