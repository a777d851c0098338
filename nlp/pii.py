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

# Letters beyond ASCII, so "Zoë Müller", "José Peña" and "Łukasz" are names like "Dana Whitfield".
_EXTRA_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]  # Latin-1 to Extended-B, and Vietnamese
_UP = "A-Z" + "".join(c for c in map(chr, _EXTRA_LATIN) if c.isupper()) + "Α-ΩА-Я"
_LO = "a-z" + "".join(c for c in map(chr, _EXTRA_LATIN) if c.islower()) + "ß" + "α-ωа-я"
NAME_WORD = rf"(?:[{_UP}]['’]|Ma?c)?[{_UP}][{_LO}'’]+(?:-[{_UP}]?[{_LO}]+)?"
NAME_PART = rf"(?:{NAME_WORD}|[{_UP}]\.)"
# Surname particles inside a name ("Ana de Sousa", "Jan van der Berg").
_PARTICLE = (
    r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|la|le|du|bin|ibn|al|el|y|ter|ten|"
    r"Ó|Ní|Nic|Mac|Mc|Ua|Uí|Bean|De|Van|Von|Di|Da|Du|Le|La|Al|El|Bin|St\.?)"
)
FULL_NAME = rf"{NAME_PART}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{NAME_PART}){{0,2}}"

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,8}){1,5}(?![\w])"
    r"|(?<![\w+])\+\d{8,14}\b|\b0\d{9,10}\b"
)
ACCOUNT_CUE = re.compile(
    r"(?i)\b(?:account|acct|a/c|order|customer|member(?:ship)?|policy|invoice|ref(?:erence)?|ticket|"
    r"case|contract|client|subscriber|booking|tracking|parcel|consignment|iban|sort code|id|number|no\.?|#)"
    r"s?\s*(?:number|no\.?|id|code|#)?\s*(?:is|was|:|=|\()?\s*"
    r"(#?(?-i:[A-Z]{1,5}[ -]?)?\d[\d -]*\d(?-i:-?[A-Z]{1,3})?|#?[A-Z0-9][A-Z0-9/-]{3,})\b"
)
CARD_ENDING = re.compile(
    r"(?i)\b(?:card|visa|mastercard|amex|debit|credit)\b[^.\n]{0,25}?\b(?:ending|ends|last (?:four|4)(?: digits)?)"
    r"(?:\s+(?:in|with|of))?\s*[:#]?\s*(\d{4})\b"
)
_EXTENSION = re.compile(r"\s*,?\s*(?i:ext\.?|extension|x)\s*\d{1,5}\b")  # "020 7946 0123 ext 44"
SORT_CODE = re.compile(r"\b\d{2}-\d{2}-\d{2}\b")
SHORT_PHONE = re.compile(r"(?<![\w-])\d{3}[-.]\d{4}(?![\w-])")
MIXED_ID = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,6}-?[A-Z0-9-]*\d{3,}[A-Z0-9]*\b")
# "#88120": a number written with a hash is a ticket, order or account ("#1 reason" is too short).
HASH_NUMBER = re.compile(r"(?<![\w#])#\d{4,}\b")
# A booking or reference code after its cue: "ref QX7P2M" (capitals and digits, at least five).
_CODE = re.compile(r"#?(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,12}")
# A year on its own ("subscriber since 2019") is not an account number.
_YEAR = re.compile(r"#?(?:19|20)\d\d")
LONG_DIGITS = re.compile(r"(?<![\d.,])#?\d{6,}(?![\d.,]\d)")
# After a street: a postcode and/or town ("Leeds LS6 2QT", "Dublin 5", "D05 X2Y3", "1100-053 Lisboa",
# "69003 Lyon", "10115 Berlin", "28013 Madrid").
_TOWN = r"[A-Z][\w'-]+(?:[ -](?:[A-Z][\w'-]+|de|do|da|sur|am|an|upon|on))*"
_POSTCODE_TOWN = (
    rf"(?:,?\s*(?:\d{{4}}-\d{{3}}|\d{{5}}|[A-Z]-?\d{{4,5}})\s+{_TOWN}"  # PT, DE/FR/ES/IT
    r"|,?\s*[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b"  # Irish Eircode
    rf"|,\s*{_TOWN}(?:\s+\d{{1,2}}[Ww]?\b)?"  # town, "Dublin 5"
    r"(?:,?\s*(?:[A-Z]{2,3}\s+\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|"
    r"[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}|\d{4}-\d{3}|\d{4,5})\b)?)"
)
_STREET_WORD = (
    r"(?i:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|"
    r"terrace|close|crescent|square|sq|highway|hwy|parkway|pkwy|gardens|grove|row|hill|mews|"
    r"quay|wharf|parade|view|heights|vale|cottages|wynd|"
    r"strasse|straße|str|weg|allee|gasse|platz|ring|damm|laan|straat|gracht|plein)"
)
# Flat, apartment or unit, with an optional building name: "Flat 3B, Harbour View, ".
_UNIT = (
    r"(?:\b(?i:flat|apt|apartment|unit|suite)\.?\s*#?\w{1,4},?\s*"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2},\s*(?=\d))?)"
)
STREET = re.compile(
    rf"{_UNIT}?\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){{1,3}}{_STREET_WORD}\b\.?"
    r"(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b)?"
    r"(?:,?\s*(?i:apt|apartment|unit|flat|suite)\.?\s*\w+)?"
    rf"(?:{_POSTCODE_TOWN})?(?:,?\s*[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?)?"
    rf"|\b(?:[A-Z][\w'-]*)(?:strasse|straße|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{{1,4}}[a-z]?\b(?:{_POSTCODE_TOWN})?"
    rf"|\b[A-Z][\w'-]+(?:er)?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm)\s+\d{{1,4}}[a-z]?\b"
    rf"(?:{_POSTCODE_TOWN})?"
    rf"|\b\d{{1,4}},?\s+(?i:rue|avenue|av\.|boulevard|bd|calle|c/|via|viale|piazza|avenida|avda\.?|rua|travessa|"
    rf"praça|largo|plaza|paseo|chemin|allée|impasse|place)\s+(?:[\w'-]+\s?){{1,4}}(?:{_POSTCODE_TOWN})?"
    rf"|\b(?:Rua|Avenida|Av\.|Travessa|Praça|Largo|Calle|Avda\.?|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|"
    rf"Rue|Boulevard|Chemin|Allée|Impasse)\s+(?:(?:de|da|do|dos|das|del|de la|des|du|di|della)\s+)?"
    rf"[A-Z][\w'-]*(?:\s+(?:de\s+|da\s+|do\s+|del\s+)?[A-Z][\w'-]*){{0,3}},?\s*(?:n\.?[º°o]\.?\s*)?\d{{1,4}}[A-Za-z]?\b"
    rf"(?:,?\s*\d{{1,2}}[º°ªoa]\.?(?:\s*[A-Z]{{1,3}}\b)?)?(?:{_POSTCODE_TOWN})?"
    r"|\b(?:Flat|Apt|Apartment)\.?\s+#?\d{1,4}[A-Z]?\b"
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
US_ZIP_STATE = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
NAME_CUE = re.compile(
    r"(?:\b(?i:signed off by|signed by|written by|sent by|my name is|name's|name is|name was|ask for|asked for|ask to speak to|spoke (?:to|with)|talked to|named|"
    r"agent|rep|representative|advisor|adviser|technician|driver|courier|colleague|"
    r"accountant|bookkeeper|solicitor|lawyer|attorney|landlord|landlady|assistant|secretary|"
    r"engineer|installer|trainer|instructor|coach|csm|account manager|case handler|claims handler|"
    r"husband|wife|partner|son|daughter|mother|father|mum|mom|dad|brother|sister|flatmate|housemate|"
    r"member|account holder|holder|contact person|contact name|name|"
    r"(?:account|membership|subscription|policy|contract) (?:of|for)|in the name of|on behalf of|"
    r"for the attention of|attn|fao|c/o|care of|addressed to|"
    r"sincerely|regards|signed|kind regards|best|yours faithfully|yours sincerely|yours truly|best wishes)"
    r"[:,]?\s+\(?|"
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\.?\s+)"
    rf"({FULL_NAME})"
)
HONORIFIC_NAME = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame|Lady|Lord|Herr|Frau|Mme|Mlle|M|Sr|Sra|Srta|Señor|Señora|"
    rf"Dhr|Mevr|Sig|Sig\.ra|Dona|Dom)\.?\s+({FULL_NAME})"
)
# A name right after an opening greeting ("Hi Sarah,", "Hello, Siobhán here", "Bonjour Amélie") or
# introducing the writer ("Siobhán here -"); "Hi team", "Dear Sir" and brands are left alone.
GREETING_NAME = re.compile(
    r"(?:^|\n)\s*(?i:hi|hello|hey|hiya|dear|hola|bonjour|hallo|olá|ola|ciao|salut|good (?:morning|afternoon|evening))"
    rf"[,!]?\s+(?:(?i:it's|it is|this is|i'm|i am)\s+)?({FULL_NAME})(?=\s*(?:[,!.:\-–—]|\s+here\b|$))"
    rf"|(?:^|[.!?]\s+|,\s+)({NAME_WORD})\s+here\b"
)
_GREETED = {
    "Team",
    "All",
    "There",
    "Everyone",
    "Everybody",
    "Sir",
    "Madam",
    "Guys",
    "Folks",
    "Support",
    "Again",
    "Friends",
    "Customer",
    "Service",
    "Sir/Madam",
    "Both",
    "You",
    "Y'all",
    "Ya",
    "Mate",
    "Hello",
    "Hi",
}
# Capitalised words that follow the cues but are not names.
USERNAME = re.compile(
    r"(?i)\b(?:username|user name|user id|userid|login|handle|gamertag|screen name)\s*(?:is|was|:)?\s*(@?[\w.-]*[\d_][\w.-]*)"
    r"|(?<![\w@])@[A-Za-z_][\w.]{2,}\b|\b[A-Za-z]+_[\w]*\d[\w]*\b"
)
DEPT_NAME = re.compile(
    rf"(?:^|[.!?:;,]\s+|\n)({NAME_WORD})\s+(?:from|in|at|on)\s+(?:the\s+)?(?:HR|IT|support|billing|sales|accounts|finance|"
    r"customer service|customer support|reception|the front desk|tech support|your (?:team|office|store|shop|branch)|"
    r"[a-z]+ (?:team|department|office|desk))\b"
)
OTHER_LANG_NAME_CUE = re.compile(
    r"(?:(?i:mein name ist|ich heiße|je m'appelle|me llamo|mi nombre es|mi chiamo|mijn naam is|meu nome é|"
    r"signé|firmado|gezeichnet)\s+|\b(?:Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Dhr|Mevr)\.?\s+)"
    rf"({FULL_NAME})"
)
# A name written right before its phone number or e-mail ("Kelechi Obi 07700 900734",
# "Ana Rocha (ana@example.com)"): two or more capitalised words at the start of a line or sentence.
NAME_BEFORE_CONTACT = re.compile(
    rf"(?:^|\n|[.!?;]\s+|[-—–]\s*)({NAME_PART}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{NAME_PART}){{1,3}}),?\s*[(<]?"
    r"(?=[\w.+-]+@[\w-]+\.|\+?\(?\d[\d ()-]{7,}\d)"
)
_NOT_NAMES = {
    "Nobody",
    "Someone",
    "Somebody",
    "Anyone",
    "Everyone",
    "People",
    "Staff",
    "They",
    "We",
    "He",
    "She",
    "Management",
    "Help",
    "Calls",
    "Emails",
    "Agents",
    "Delivery",
    "Nothing",
    "Something",
    "I",
    "The",
    "A",
    "An",
    "It",
    "This",
    "That",
    "Not",
    "Very",
    "So",
    "Just",
    "Your",
    "You",
    "Customer",
    "Support",
    "Service",
    "Team",
    "Sales",
    "Billing",
    "Account",
    "Manager",
    "Agent",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Please",
    "Moving",
    "Leaving",
    "Switching",
    "Going",
    "Happy",
    "Sorry",
    "Unhappy",
    "Done",
    "Tired",
    "Fed",
    "Thanks",
    "Thank",
    "Regards",
    "Cheers",
    "All",
    "No",
    "Yes",
    "Bye",
    "Goodbye",
    "Best",
    "Kind",
    "Sincerely",
    "Yours",
    "Many",
    "Good",
    "Luck",
    "Sent",
    "From",
    "Cancel",
    "Cancelled",
    "Canceled",
    "Why",
    "What",
    "How",
    "Never",
    "Again",
    "Ever",
    "Too",
    "Expensive",
    "Price",
    "Gracias",
    "Merci",
    "Danke",
    "Obrigado",
    "Obrigada",
    "Grazie",
    "Ciao",
    "Saludos",
    "Cordialement",
    "Atenciosamente",
    "Tschüss",
    "Adiós",
    "Hi",
    "Hello",
    "Dear",
    "Ok",
    "Okay",
    "Me",
    "My",
    "Our",
    "Us",
    "Owner",
    "Founder",
    "Director",
    "Ceo",
    "CEO",
    "Cto",
    "Ops",
    "Finance",
    "Marketing",
    "Operations",
    "Procurement",
    "Admin",
    "Office",
    "Household",
    "Family",
    "Member",
    "Subscriber",
    "User",
    "Client",
    "Former",
    "Ex",
    "Long",
    "Time",
    "Loyal",
    "Unsubscribe",
}

# "First Last": a known given name followed by one or two capitalised words. The small NER model
# often tags such names as ORG or LOC, or not at all ("our CSM Daniel Reyes", "thanks Lina Park").
FIRST_LAST = re.compile(
    rf"(?<![\w.])({NAME_WORD})((?:\s+(?:{_PARTICLE}\s+){{0,2}}{NAME_PART}){{1,2}})(?![\w])"
)


# A known given name on its own, mid-sentence ("I spoke to Siobhan twice"); names that are
# also ordinary words or months are left to the cues and the NER model.
LONE_GIVEN_NAME = re.compile(rf"(?<=[{_LO},;:(]\s)({NAME_WORD})(?![\w'’-])")
_AMBIGUOUS_GIVEN = {
    "Will",
    "Mark",
    "Joy",
    "Rose",
    "Pat",
    "Ruby",
    "Jan",
    "May",
    "June",
    "Grace",
    "Hope",
    "Faith",
    "Max",
    "Bill",
    "Chase",
    "Ivy",
    "Iris",
    "Gil",
    "Dawn",
    "Eve",
    "Frank",
    "Ray",
    "Lee",
    "Rob",
    "Guy",
    "Drew",
    "Per",
    "Jun",
    "Li",
    "Yu",
    "Ed",
    "Don",
    "Jo",
    "Nat",
    "Lou",
    "Sid",
    "Hao",
    "Ling",
    "Ming",
    "Yan",
    "Ying",
    "Wang",
    "Zhang",
    "Minh",
    "Duc",
    "Jean",
    "Sky",
    "Summer",
    "Art",
    "Penny",
    "Crystal",
    "Amber",
    "Angela",
    "Carter",
    "Mason",
    "Logan",
    "Jordan",
    "Paris",
    "Victoria",
    "Georgia",
    "Florence",
    "Sydney",
    "Chelsea",
    "Austin",
    "Dallas",
    "Virginia",
    "Carolina",
    "Lincoln",
    "Ben",
    "Tesla",
    "Mercedes",
    "Stella",
    "Vera",
    "Kai",
    "Ada",
    "Miriam",
    "Hana",
    "Mai",
    "Mila",
    "Nina",
    "Sasha",
    "Ivan",
    "Hugo",
    # places, words and brands that are also given names
    "Santiago",
    "Rosario",
    "Lourdes",
    "Luz",
    "Soledad",
    "Esperanza",
    "Dolores",
    "Anh",
    "Tao",
    "Yi",
    "Lan",
    "Jing",
    "Shan",
    "Qing",
    "Rui",
    "Bao",
    "Lewis",
    "Chandra",
    "Jasper",
    "Finn",
    "Marley",
    "Percy",
    "Kirk",
    "Cameron",
    "Spencer",
    "Lionel",
    "Elin",
    "Nia",
    "Seren",
    "Musa",
    "Bello",
    "Rana",
    "Mona",
    "Reem",
    "Mina",
    "Lata",
    "Jaya",
    "Shiv",
    "Sita",
    "Radha",
    "Madhu",
    "Jana",
    "Dara",
    "Emer",
    "Una",
    "Ola",
    "Mats",
}


@functools.cache
def given_names() -> frozenset[str]:
    """Common given names (``nlp/data/given_names.txt``), for spotting names without a cue."""
    path = Path(__file__).with_name("data") / "given_names.txt"
    words = [
        w
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
        for w in line.split()
    ]
    return frozenset(words)


# A name that signs off the answer: "Thanks, Dana Whitfield", "— Łukasz", "Regards,\nJosé Peña",
# "cheers Tom". Only at the very end of the text, after a closing word or a dash.
_CLOSING = (
    r"(?i:thanks(?: again| a lot| anyway| for asking)?|thank you(?: again| for asking)?|thx|ty|cheers|"
    r"regards|kind regards|best regards|warm regards|best wishes|all the best|best|sincerely|"
    r"yours(?: sincerely| truly)?|many thanks|bye(?: for now)?|goodbye|take care|ciao|merci(?: beaucoup)?|"
    r"cordialement|bien à vous|gracias|saludos|un saludo|atentamente|danke(?: schön)?|"
    r"(?:mit )?freundlichen grüßen|viele grüße|lg|mfg|obrigad[oa]|atenciosamente|abraços?|grazie|"
    r"cordiali saluti|saluti|groeten|met vriendelijke groet)"
)
SIGN_OFF = re.compile(
    rf"{_CLOSING}[ \t]*[,!.:]?\s*(?:[-—–~]\s*)?({FULL_NAME}(?:\s*(?:&|\+|and|und|et|y|e)\s*{FULL_NAME})?)"
    r"\s*[.!]?\s*$"
)
# Without a closing word ("... too expensive.\n— Łukasz") the name must look like one: a known
# given name, an initial, or letters beyond ASCII; "Too expensive - Ridiculous" stays.
DASH_SIGN_OFF = re.compile(rf"(?:(?:^|\s)[-—–~]+[ \t]*|\n[ \t]*)({FULL_NAME})\s*[.!]?\s*$")

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
        if _luhn_like(digits) and not text[: m.start()].endswith("+"):  # "+49 151 ..." is a phone
            spans.append((m.start(), m.end(), "CARD"))
    for m in ACCOUNT_CUE.finditer(text):
        value = m.group(1).rstrip(" -")
        if (sum(ch.isdigit() for ch in value) >= 4 or _CODE.fullmatch(value)) and not _YEAR.fullmatch(value):
            spans.append((m.start(1), m.start(1) + len(value), "ACCOUNT"))
    spans += [(m.start(1), m.end(1), "CARD") for m in CARD_ENDING.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in SORT_CODE.finditer(text)]
    spans += [(m.start(), m.end(), "PHONE") for m in SHORT_PHONE.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in STREET.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in UK_POSTCODE.finditer(text)]
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 8 <= len(digits) <= 15 and not _DATE.fullmatch(m.group()):
            ext = _EXTENSION.match(text, m.end())
            spans.append((m.start(), ext.end() if ext else m.end(), "PHONE"))
    spans += [(m.start(), m.end(), "ACCOUNT") for m in MIXED_ID.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in LONG_DIGITS.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in HASH_NUMBER.finditer(text)]
    for m in USERNAME.finditer(text):
        g = 1 if m.group(1) else 0
        spans.append((m.start(g), m.end(g), "ACCOUNT"))
    for m in DEPT_NAME.finditer(text):
        if m.group(1) not in _NOT_NAMES:
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in NAME_BEFORE_CONTACT.finditer(text):
        words = m.group(1).split()
        if not any(w.strip(".") in _NOT_NAMES or is_brand(w) for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    names = given_names()
    for m in GREETING_NAME.finditer(text):
        g = 1 if m.group(1) else 2
        words = m.group(g).split()
        if g == 2 and not (words[0] in names or not words[0].isascii()):
            continue  # "Shopping here feels like a chore"
        if not any(w.strip(".") in _NOT_NAMES or w.strip(".") in _GREETED or is_brand(w) for w in words):
            spans.append((m.start(g), m.end(g), "PERSON"))
    for m in OTHER_LANG_NAME_CUE.finditer(text):
        spans.append((m.start(1), m.end(1), "PERSON"))
    for m in FIRST_LAST.finditer(text):
        last_words = m.group(2).split()
        if m.group(1) in names and not any(w in _NOT_NAMES or is_brand(w) for w in last_words):
            spans.append((m.start(), m.end(), "PERSON"))
    for m in HONORIFIC_NAME.finditer(text):
        if not is_brand(m.group(1)):
            spans.append((m.start(), m.end(), "PERSON"))
    for m in SIGN_OFF.finditer(text):
        words = m.group(1).split()
        if not any(w.strip(".") in _NOT_NAMES for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in DASH_SIGN_OFF.finditer(text):
        first = m.group(1).split()[0]
        if first in names or first.endswith(".") or not first.isascii():
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LONE_GIVEN_NAME.finditer(text):
        if m.group(1) in names and m.group(1) not in _AMBIGUOUS_GIVEN:
            spans.append((m.start(1), m.end(1), "PERSON"))
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


@functools.cache
def brands() -> frozenset[str]:
    """Shipped product, brand and company names (``nlp/data/brands.txt``), lower-cased."""
    path = Path(__file__).with_name("data") / "brands.txt"
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@functools.cache
def _brand_words() -> frozenset[str]:
    return frozenset(w for name in brands() for w in name.split())


# Words that follow a brand inside a product name ("Notion AI", "Spotify Premium", "Sky Glass").
_PRODUCT_WORDS = {
    "ai",
    "pro",
    "plus",
    "premium",
    "max",
    "mini",
    "one",
    "go",
    "lite",
    "basic",
    "family",
    "business",
    "enterprise",
    "team",
    "teams",
    "cloud",
    "app",
    "apps",
    "mobile",
    "tv",
    "music",
    "video",
    "pay",
    "card",
    "bank",
    "energy",
    "broadband",
    "fibre",
    "fiber",
    "home",
    "gym",
    "fitness",
    "store",
    "shop",
    "market",
    "prime",
    "unlimited",
    "student",
    "glass",
    "box",
}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip(" \t\n.,;:!?'’\"()")).lower()


def is_brand(name: str, keep_names: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """True for a shipped brand or allow-listed name, alone or with product words ("Spotify Premium")."""
    key = _key(name)
    if not key:
        return False
    keep = {_key(k) for k in keep_names}
    if key in brands() or key in keep:
        return True
    if key.endswith(("'s", "’s")):
        return is_brand(key[:-2], keep_names)
    words = key.split()
    if len(words) < 2:
        return False
    if words[0] in given_names_lower():
        return False  # "Chase Miller" is a person even though Chase is a bank
    keep_words = {w for k in keep for w in k.split()}
    return all(w in _brand_words() or w in keep_words or w in _PRODUCT_WORDS for w in words) and (
        any(w in _brand_words() or w in keep_words for w in words)
    )


@functools.cache
def given_names_lower() -> frozenset[str]:
    """:func:`given_names`, lower-cased."""
    return frozenset(n.lower() for n in given_names())


def is_name_brand(name: str) -> bool:
    """A shipped brand that is also a given name ("Max", "Marcus", "Chase"): which one is meant
    depends on the words around it (see :func:`in_product_context`)."""
    key = _key(name)
    return key in brands() and key in given_names_lower()


def in_product_context(text: str, start: int, end: int) -> bool:
    """Do the words around ``text[start:end]`` speak of a product ("moved to X", "X has the shows")?"""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    return bool(_PRODUCT_BEFORE.search(before) or _PRODUCT_AFTER.search(after) or _PRODUCT_HAS.search(after))


def drop_kept_names(text: str, spans: list[Span], keep_names: tuple[str, ...] | list[str] = ()) -> list[Span]:
    """Drop PERSON spans that are brands or allow-listed names (``keep_names``); keep the rest.

    A brand that is also a given name stays redacted unless its context says product, since a
    leaked name is worse than a lost brand.
    """
    keep = tuple(keep_names)
    kept_exactly = {_key(k) for k in keep}
    out = []
    for s in spans:
        name = text[s[0] : s[1]]
        if s[2] == "PERSON" and is_brand(name, keep):
            if not (
                is_name_brand(name)
                and _key(name) not in kept_exactly
                and not in_product_context(text, s[0], s[1])
            ):
                continue
        out.append(s)
    return out


# Context that marks a capitalised word as a product, not a person: "switched to Notion",
# "using Asana", "Gantt charts", "the Porto office", "200 Mbps".
_PRODUCT_BEFORE = re.compile(
    r"(?i)\b(?:(?:switch(?:ed|ing)?|mov(?:ed|ing)|went|go(?:ing)?|migrat(?:ed|ing)|chang(?:ed|ing)|port(?:ed|ing)|"
    r"transferr?(?:ed|ing)?|jump(?:ed|ing)|defect(?:ed|ing))\s+(?:over\s+)?(?:to|with)|"
    r"use|uses|used|using|try|tried|trying|chose|choose|picked|prefer|preferred|bought|joined|"
    r"signed up (?:for|with)|subscribed to|replaced (?:you |it |them )?with|"
    r"(?:cheaper|better|worse|faster|higher|lower|more|less|best|cheapest) (?:on|at|with|from)|than|"
    r"like|via|through|vs\.?|versus|instead of|compared (?:to|with)|comparing (?:it )?(?:to|with)|integrat(?:ion|es?|ed) (?:with|into)|sync(?:s|ed)? with|"
    r"connect(?:s|ed)? to|works with|offer from|deal from|the|a|an|our|their|your|its)\s+$"
)
_PRODUCT_AFTER = re.compile(
    r"(?i)^\s*(?:'s\s+)?(?:app|apps|chart|charts|board|boards|template|templates|integration|integrations|"
    r"plan|plans|subscription|tier|premium|pro|plus|version|bundle|package|deal|offer|workspace|calendar|"
    r"store|shop|office|branch|site|website|account|accounts|card|cards|api|sync|support|import|export|"
    r"does|has|have|offers|gives|includes|is cheaper|was cheaper|costs|charges|works|integrates|"
    r"view|views|feature|features|data|users|customers|subscribers|members|membership|\d)\b"
)


# "Max had the shows", "Marcus gives 4%": a product has, offers or gives something.
_PRODUCT_HAS = re.compile(
    r"(?i)^\s*(?:has|had|have|offers?|offered|gives?|gave|includes?|included|pays?|paid|charges?|charged)\s+"
    r"(?:the|a|an|all|more|better|way|much|no|every|loads|lots|\d|\W?[£$€]|\w+ (?:shows|films|rates?|interest))"
)

# Capitalised words the small NER model takes for people.
_NOT_PEOPLE = {
    "Covid",
    "COVID",
    "Corona",
    "Coronavirus",
    "Brexit",
    "Christmas",
    "Xmas",
    "Easter",
    "Ramadan",
    "Diwali",
    "Hanukkah",
    "Thanksgiving",
    "Halloween",
    "Lockdown",
    "Furlough",
    "Gantt",
    "Kanban",
    "Wifi",
    "WiFi",
    "Bluetooth",
    "Mbps",
    "Gbps",
    "Ethernet",
    "Gen",
    "Premium",
    "Pro",
    "Plus",
}


_ACRONYM_COMPOUND = re.compile(r"[A-Z0-9]{2,}-\w+")
# Role nouns and comparatives that open sentences and that the small NER model tags as people.
_COMMON_NOUNS = {
    "courier",
    "driver",
    "postman",
    "postie",
    "cleaner",
    "engineer",
    "technician",
    "installer",
    "landlord",
    "neighbour",
    "neighbor",
    "receptionist",
    "trainer",
    "instructor",
    "coach",
    "nurse",
    "doctor",
    "plumber",
    "electrician",
    "operator",
    "supervisor",
    "caller",
    "tech",
    "staff",
    "manager",
    "agent",
    "advisor",
    "adviser",
    "rep",
    "assistant",
    "seller",
    "vendor",
    "dealer",
    "contractor",
    "builder",
    "surveyor",
    "assessor",
    "adjuster",
    "inspector",
    "officer",
    "cashier",
    "waiter",
    "waitress",
    "chef",
    "host",
    "guard",
    "security",
    "concierge",
    "cheaper",
    "better",
    "faster",
    "simpler",
    "easier",
    "nicer",
    "smoother",
    "clearer",
    "quicker",
    "slower",
    "worse",
    "bigger",
    "smaller",
    "newer",
    "older",
    "safer",
    "friendlier",
    "lighter",
    "sharper",
}
# Function words that mark a text as German, French, Spanish, Portuguese, Italian or Dutch, where
# every noun (German) or many words at a sentence start look like names to an English model.
_FOREIGN_WORDS = {
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "und",
    "nicht",
    "kein",
    "keine",
    "keinen",
    "ist",
    "sind",
    "wir",
    "ich",
    "mit",
    "für",
    "auf",
    "zu",
    "sehr",
    "auch",
    "aber",
    "oder",
    "wird",
    "wurde",
    "hat",
    "haben",
    "le",
    "la",
    "les",
    "et",
    "est",
    "je",
    "nous",
    "pas",
    "une",
    "pour",
    "avec",
    "que",
    "très",
    "el",
    "los",
    "las",
    "y",
    "es",
    "una",
    "por",
    "para",
    "con",
    "muy",
    "pero",
    "del",
    "o",
    "os",
    "é",
    "não",
    "um",
    "uma",
    "com",
    "muito",
    "il",
    "che",
    "non",
    "è",
    "per",
    "sono",
    "het",
    "een",
    "en",
    "niet",
    "ik",
    "van",
    "voor",
    "zijn",
}
_EN_WORDS = {
    "the",
    "and",
    "is",
    "was",
    "i",
    "to",
    "it",
    "my",
    "a",
    "of",
    "for",
    "not",
    "with",
    "you",
    "your",
    "we",
    "they",
    "on",
    "too",
    "me",
    "that",
    "this",
    "have",
    "had",
    "but",
    "no",
    "be",
    "so",
    "are",
    "our",
    "their",
    "at",
    "from",
    "after",
    "just",
    "an",
    "all",
    "get",
    "got",
}


def looks_non_english(text: str) -> bool:
    """More foreign function words than English ones ("Kein Rechenzentrum in der EU")."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return foreign > 0 and foreign > sum(w in _EN_WORDS for w in words)


def ner_person_is_plausible(
    text: str, start: int, end: int, keep_names: tuple[str, ...] | list[str] = ()
) -> bool:
    """Should a PERSON entity of the NER model be redacted?

    The small model tags many product names as people ("switched to Notion because it has
    Gantt charts"). A known given name or a multi-word name is redacted unless it is a brand;
    a single unknown word is kept when its context says product (see ``_PRODUCT_BEFORE``/
    ``_PRODUCT_AFTER``), and redacted otherwise (recall first: a leaked name is worse than a
    lost word).
    """
    name = text[start:end].strip(" .,'’")
    if not name:
        return False
    if is_brand(name, tuple(keep_names)):
        return is_name_brand(name) and not in_product_context(text, start, end)
    words = name.split()
    if any(w in given_names() for w in words):
        return True
    if looks_non_english(text) or _ACRONYM_COMPOUND.fullmatch(name):
        return False  # German nouns are capitalised: "Kein Rechenzentrum", "DSGVO-Bedenken"
    if len(words) == 1 and name.lower() in _COMMON_NOUNS:
        return False  # "Courier says ...", "Cleaner, and ..."
    if len(words) > 1:  # "Found Strava" at the start of a sentence: a brand word and no given name
        return not any(_key(w) in _brand_words() for w in words)
    if name in _NOT_PEOPLE:
        return False
    if re.search(r"\d\s*$", text[:start]):
        return False  # "200 Mbps"
    before, after = text[max(0, start - 40) : start], text[end : end + 30]
    if _PRODUCT_BEFORE.search(before):
        return False
    return not _PRODUCT_AFTER.search(after)
