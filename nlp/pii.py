"""Pattern-based personal-data detection (the parts that need no model).

Each detector returns ``(start, end, tag)`` spans over the text; :func:`apply_spans` replaces
them with typed placeholders such as ``[EMAIL]``. Person names come from spaCy's NER plus the
cue patterns here ("my name is ...", "Mr ...", "agent ...").
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

Span = tuple[int, int, str]

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}(?![\w])"
    r"|(?<![\w+])\+\d{8,14}\b|\b0\d{9,10}\b"
)
ACCOUNT_CUE = re.compile(
    r"(?i)\b(?:account|acct|a/c|order|customer|member(?:ship)?|policy|invoice|ref(?:erence)?|ticket|"
    r"case|contract|client|subscriber|booking|tracking|parcel|consignment|iban|sort code|id|number|no\.?|#)"
    r"\s*(?:number|no\.?|id|code|#)?\s*(?:is|was|:|=)?\s*"
    r"(#?(?:[A-Z]{1,5}[ -]?)?\d[\d -]*\d(?:[A-Z]{1,3})?|#?[A-Z0-9][A-Z0-9-]{3,})\b"
)
CARD_ENDING = re.compile(
    r"(?i)\b(?:card|visa|mastercard|amex|debit|credit)\b[^.\n]{0,25}?\b(?:ending|ends|last (?:four|4)(?: digits)?)"
    r"(?:\s+(?:in|with|of))?\s*[:#]?\s*(\d{4})\b"
)
SORT_CODE = re.compile(r"\b\d{2}-\d{2}-\d{2}\b")
SHORT_PHONE = re.compile(r"(?<![\w-])\d{3}[-.]\d{4}(?![\w-])")
MIXED_ID = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,6}-?[A-Z0-9-]*\d{3,}[A-Z0-9]*\b")
LONG_DIGITS = re.compile(r"(?<![\d.,])#?\d{6,}(?![\d.,]\d)")
STREET = re.compile(
    r"(?:\b(?i:flat|apt|apartment|unit|suite)\.?\s*\w{1,4},?\s*)?\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){1,3}"
    r"(?i:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|"
    r"terrace|close|crescent|square|sq|highway|hwy|parkway|pkwy|gardens|grove|row|hill|mews)\b\.?"
    r"(?:,?\s*(?i:apt|apartment|unit|flat|suite)\.?\s*\w+)?"
    r"(?:,\s*[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)?(?:,?\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
    r"|\b(?:[A-Z][\wäöüß'-]*)(?:strasse|straße|str\.|weg|gasse|platz)\s+\d{1,4}[a-z]?\b"
    r"|\b\d{1,4},?\s+(?i:rue|avenue|boulevard|calle|via|avenida|rua)\s+(?:[\w'-]+\s?){1,4}"
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
US_ZIP_STATE = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
NAME_CUE = re.compile(
    r"(?:(?i:my name is|name's|name is|name was|ask for|asked for|spoke (?:to|with)|talked to|named|"
    r"agent|rep|representative|advisor|adviser|technician|driver|courier|colleague|"
    r"sincerely|regards|signed|kind regards|best)[:,]?\s+|"
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\.?\s+)"
    r"((?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){0,2})"
)
# Capitalised words that follow the cues but are not names.
USERNAME = re.compile(
    r"(?i)\b(?:username|user name|user id|userid|login|handle|gamertag|screen name)\s*(?:is|was|:)?\s*(@?[\w.-]*[\d_][\w.-]*)"
    r"|(?<![\w@])@[A-Za-z_][\w.]{2,}\b|\b[A-Za-z]+_[\w]*\d[\w]*\b"
)
DEPT_NAME = re.compile(
    r"(?:^|[.!?:;,]\s+|\n)([A-Z][a-z'’]+)\s+(?:from|in|at|on)\s+(?:the\s+)?(?:HR|IT|support|billing|sales|accounts|finance|"
    r"customer service|customer support|reception|the front desk|tech support|your (?:team|office|store|shop|branch)|"
    r"[a-z]+ (?:team|department|office|desk))\b"
)
OTHER_LANG_NAME_CUE = re.compile(
    r"(?:(?i:mein name ist|ich heiße|je m'appelle|me llamo|mi nombre es|mi chiamo|mijn naam is|meu nome é|"
    r"signé|firmado|gezeichnet)\s+|\b(?:Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Dhr|Mevr)\.?\s+)"
    r"([A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){0,2})"
)
_NOT_NAMES = {
    "Nobody", "Someone", "Somebody", "Anyone", "Everyone", "People", "Staff", "They", "We", "He",
    "She", "Management", "Help", "Calls", "Emails", "Agents", "Delivery", "Nothing", "Something",
    "I", "The", "A", "An", "It", "This", "That", "Not", "Very", "So", "Just", "Your", "You",
    "Customer", "Support", "Service", "Team", "Sales", "Billing", "Account", "Manager", "Agent",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Please",
    "Moving", "Leaving", "Switching", "Going", "Happy", "Sorry", "Unhappy", "Done", "Tired",
    "Fed", "Thanks", "Thank", "Regards", "Cheers", "All", "Everyone", "Nothing", "No", "Yes",
}

# "First Last": a known given name followed by one or two capitalised words. The small NER model
# often tags such names as ORG or LOC, or not at all ("our CSM Daniel Reyes", "thanks Lina Park").
FIRST_LAST = re.compile(r"\b([A-Z][a-z'’-]+)((?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){1,2})\b")


@functools.cache
def given_names() -> frozenset[str]:
    """Common given names (``nlp/data/given_names.txt``), for spotting names without a cue."""
    path = Path(__file__).with_name("data") / "given_names.txt"
    words = [w for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#") for w in line.split()]
    return frozenset(words)


_DATE = re.compile(r"(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d")

PLACEHOLDERS = ("[PERSON]", "[EMAIL]", "[PHONE]", "[ACCOUNT]", "[CARD]", "[ADDRESS]", "[URL]")


def _luhn_like(digits: str) -> bool:
    return 13 <= len(digits) <= 19


def find_pattern_spans(text: str) -> list[Span]:
    """Find emails, URLs, card/account/order numbers, phone numbers and street addresses."""
    spans: list[Span] = []
    spans += [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), "URL") for m in URL.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in IBAN.finditer(text)]
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if _luhn_like(digits):
            spans.append((m.start(), m.end(), "CARD"))
    for m in ACCOUNT_CUE.finditer(text):
        value = m.group(1).rstrip(" -")
        if sum(ch.isdigit() for ch in value) >= 4:
            spans.append((m.start(1), m.start(1) + len(value), "ACCOUNT"))
    spans += [(m.start(1), m.end(1), "CARD") for m in CARD_ENDING.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in SORT_CODE.finditer(text)]
    spans += [(m.start(), m.end(), "PHONE") for m in SHORT_PHONE.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in STREET.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in UK_POSTCODE.finditer(text)]
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 8 <= len(digits) <= 15 and not _DATE.fullmatch(m.group()):
            spans.append((m.start(), m.end(), "PHONE"))
    spans += [(m.start(), m.end(), "ACCOUNT") for m in MIXED_ID.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in LONG_DIGITS.finditer(text)]
    for m in USERNAME.finditer(text):
        g = 1 if m.group(1) else 0
        spans.append((m.start(g), m.end(g), "ACCOUNT"))
    for m in DEPT_NAME.finditer(text):
        if m.group(1) not in _NOT_NAMES:
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in OTHER_LANG_NAME_CUE.finditer(text):
        spans.append((m.start(1), m.end(1), "PERSON"))
    names = given_names()
    for m in FIRST_LAST.finditer(text):
        last_words = m.group(2).split()
        if m.group(1) in names and not any(w in _NOT_NAMES for w in last_words):
            spans.append((m.start(), m.end(), "PERSON"))
    for m in NAME_CUE.finditer(text):
        words = m.group(1).split()
        while words and words[0].strip(".") in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        start = m.start(1) + m.group(1).index(words[0])
        spans.append((start, m.end(1), "PERSON"))
    return spans


def merge_spans(spans: list[Span]) -> list[Span]:
    """Merge overlapping spans; the longer (then the earlier-found) tag wins."""
    if not spans:
        return []
    ordered = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[list] = []
    for start, end, tag in ordered:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = tag
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, tag])
    return [(s, e, t) for s, e, t in merged]


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each span with its ``[TAG]`` placeholder."""
    out, pos = [], 0
    for start, end, tag in merge_spans(spans):
        out.append(text[pos:start])
        out.append(f"[{tag}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)
