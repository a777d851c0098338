"""Codes and links that name a product, a flight or a firm, not a customer (issue 17, h-pii37).

The account patterns take any code of letters and digits ("BA2490", "RF23M8070SG", "WX-220"), and
every link looks like a profile; an exit survey's answers cite model and part numbers, flights
and trains, and the web pages of the firms they compare ("see https://rival.example/pricing").
A code is kept when the word before it names what it numbers (a flight, a train, a model, a
part) or a product noun follows it; a link is kept when it is no social network's or profile's
and its path holds only words. A code after an account, order or booking word stays redacted.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .lexicon import english_word
from .spans import Span

# What the code numbers, right before it: "Flight BA2490", "vuelo IB3166", "model RB38T603",
# "part no. HF-2231", "train ICE 578"; "then BA2491" after a flight number named before.
_NUMBERED_BEFORE = re.compile(
    r"(?i)\b(?:flights?|vuelos?|vols?|flug|voos?|train|trains|tren|zug|comboio|bus|coach|ferry|route|"
    r"models?|modelo|mod[èe]le|modell|part(?:[ \t]+(?:no\.?|number|#))?|parts|sku|item(?:[ \t]+(?:no\.?|number))?|"
    r"product(?:[ \t]+code)?|article|art\.?-?nr\.?|firmware|fw|version|serie|series|"
    r"error(?:[ \t]+code)?|fault[ \t]+code|status[ \t]+code|fehler(?:code)?|erro|c[óo]digo[ \t]+de[ \t]+err?or?|code[ \t]+d['’]erreur)[ \t]*[:#]?[ \t]*(?:(?:the|a|an|my|our|el|la|le|der|die|das|o|a)[ \t]+)?$"
)
# A product noun right after the code: "WH-1000XM4 headphones", "the QE55Q80B TV".
_PRODUCT_AFTER = re.compile(
    r"(?i)[ \t]+(?:headphones|earbuds|phones?|handsets?|tvs?|televisions?|laptops?|tablets?|monitors?|printers?|"
    r"routers?|fridges?|freezers?|washers?|washing machines?|dryers?|dishwashers?|ovens?|hobs?|boilers?|"
    r"vacuums?|hoovers?|cameras?|speakers?|watch(?:es)?|consoles?|controllers?|chargers?|cables?|filters?|"
    r"batteries|battery|tyres?|tires?|bikes?|scooters?|drones?|lenses|lens|engines?|units?|model|series|"
    r"air fryers?|fryers?|kettles?|toasters?|blenders?|mixers?|microwaves?|coffee machines?|hair ?dryers?|"
    r"straighteners?|shavers?|toothbrush(?:es)?|robots?|sofas?|mattress(?:es)?)\b"
)
# A flight number's shape: an airline's two or three letters (or letter and digit) and 1-4 digits.
_FLIGHT = re.compile(r"(?:[A-Z]{2,3}|[A-Z]\d|\d[A-Z])[ ]?\d{1,4}[A-Z]?")
_FLIGHT_WORD = re.compile(
    r"(?i)\b(?:flights?|vuelos?|vols?|flug|voos?|flew|fly|flying|airline|plane|boarding|economy|business class|"
    r"first class|cabin|legroom|seats?|upgraded|downgraded|layover|stopover|lounge|crew|pilot|airport|gate)\b"
)
# An aircraft type: "the A321", "a 787-9", "Boeing 737 MAX", "E190".
_AIRCRAFT = re.compile(
    r"(?:A3[1-5]\d|A2[12]0|A380|B?7[2-8]7|E1[79]\d|E2[79]5|ATR[ -]?[47]2|CRJ[ -]?\d{3}|Q400)(?:-\d{1,3})?(?:neo|NEO|MAX)?"
)
# An error's code in capitals and underscores: "'DECLINED_07'", "ERR_CONNECTION_RESET".
_ERROR_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# A brand right before a model number: "a Sony WH-1000XM5", "my Samsung QN90B".
_BRAND_BEFORE = re.compile(r"([A-Z][\w&'’.+-]*)[ \t]+$")
_ARTICLE_BEFORE = re.compile(r"(?i)\b(?:a|an|the|my|our|your|his|her|their|new|old)[ \t]+$")
# A login or handle right before: the code in capitals is then someone's name on a service.
_HANDLE_BEFORE = re.compile(
    r"(?i)\b(?:user(?:name)?|login|handle|gamertag|psn|xbox|steam|discord|twitch|ign|tag|id|account|"
    r"twitter|instagram|tiktok|reddit|as|called|named)[ \t]*(?:[:#=]|is|was)?[ \t]*['\"‘“]?$"
)
# An account word right before the code keeps it personal: "booking ref BA2490", "order WX-220".
_ACCOUNT_BEFORE = re.compile(
    r"(?i)\b(?:account|acct|order|booking|ref(?:erence)?|reservation|ticket|case|claim|policy|member(?:ship)?|"
    r"customer|client|invoice|tracking|confirmation|pnr|localizador|reserva|pedido|buchung|commande)\b[^.\n]{0,12}$"
)


def is_product_code(text: str, start: int, end: int) -> bool:
    """Does the code at ``text[start:end]`` number a product, a flight or a train (see the docstring)?"""
    before = text[max(0, start - 40) : start]
    if _ACCOUNT_BEFORE.search(before):
        return False
    if _NUMBERED_BEFORE.search(before) or _PRODUCT_AFTER.match(text, end):
        return True
    code = text[start:end]
    if _AIRCRAFT.fullmatch(code) or _error_code(text, start, end):
        return True  # "legroom on the A321", "got 'DECLINED_07' every time"
    if _model_after_brand(text, start, end):
        return True
    # "then BA2491 home cancelled": another flight number in a sentence about flights
    sentence = text[max(0, text.rfind(".", 0, start) + 1) : start]
    return bool(_FLIGHT.fullmatch(text[start:end]) and _FLIGHT_WORD.search(sentence))


# Words of a failure in the sentence, or quotes around the code, make it an error's code.
_ERROR_WORDS = re.compile(
    r"(?i)\b(?:errors?|fail\w*|declined|decline|rejected|crash\w*|status|message|exception|warning|"
    r"says|said|shows?|showed|displays?|got|get|gets|getting|keeps?|fehler|erro|erreur)\b"
)


def _error_code(text: str, start: int, end: int) -> bool:
    """Is the code one in capitals and underscores ("DECLINED_07") that an error shows: quoted, or in
    a sentence about a failure, and not after a login or handle ("username is DARK_KNIGHT_77")?"""
    if not _ERROR_CODE.fullmatch(text[start:end]):
        return False
    before = text[max(0, start - 40) : start]
    if _HANDLE_BEFORE.search(before):
        return False
    quoted = text[start - 1 : start] in ("'", '"', "‘", "“") and text[end : end + 1] in ("'", '"', "’", "”")
    sentence = text[max(0, text.rfind(".", 0, start) + 1) : start]
    return quoted or _ERROR_WORDS.search(sentence) is not None


def _model_after_brand(text: str, start: int, end: int) -> bool:
    """Is the code, of letters and digits both, right after a brand that is no given name ("a
    Sony WH-1000XM5")? Digits alone after a brand may be the customer's number there."""
    code = text[start:end]
    if not (re.search(r"\d", code) and re.search(r"[A-Za-z]", code)) or code.count(" ") > 1:
        return False  # "GB47 BARC 2004 ...": an IBAN's groups, not a model
    m = _BRAND_BEFORE.search(text, max(0, start - 30), start)
    if m is None:
        return False
    if is_plain_brand(m.group(1)):
        return True
    # a maker's name after an article: "a Miele G7310" (no one takes "a" before a name; "my IBAN" is no maker)
    maker = m.group(1)
    return not maker.isupper() and _ARTICLE_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None


# Links to a person: a social network's or a profile's path ("linkedin.com/in/...", "/u/name").
_SOCIAL = re.compile(
    r"(?i)(?:facebook|fb|instagram|linkedin|twitter|x|tiktok|youtube|github|gitlab|medium|reddit|pinterest|"
    r"snapchat|threads|mastodon|bsky|behance|dribbble|soundcloud|twitch|vimeo|flickr|tumblr|substack|patreon|"
    r"onlyfans|telegram|t|wa|discord|strava|goodreads|letterboxd|etsy|ebay|vinted|depop)\.[a-z.]+$"
)
_URL_PARTS = re.compile(r"(?i)^(?:https?://)?(?:www\.)?([^/?#\s]+)([^?#\s]*)")


def is_company_url(url: str) -> bool:
    """Is ``url`` a firm's page ("https://www.rival.example/pricing", "octopus.energy"), not a
    profile: no social network's host, and a path of words only, with no digit, "@", "~" or "_"?"""
    m = _URL_PARTS.match(url.rstrip(".,;:!?)"))
    if m is None:
        return False
    host, path = m.group(1), m.group(2)
    if _SOCIAL.search(host) or re.search(r"[\d@~_]", path):
        return False
    parts = [p for p in re.split(r"[/.-]", path) if p]
    return all(english_word(p, nouns=True) or p.lower() in _PAGES for p in parts)


_PAGES = frozenset(
    "pricing plans en gb us uk de fr es pt faq help support about contact shop store html htm php".split()
)


def drop_codes_and_links(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less the product codes and company links among the ACCOUNT and URL spans."""
    out = []
    for start, end, tag in spans:
        if tag == "ACCOUNT" and is_product_code(text, start, end):
            continue
        if tag == "URL" and is_company_url(text[start:end]):
            continue
        out.append((start, end, tag))
    return out
