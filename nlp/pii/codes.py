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

from .lexicon import english_word
from .spans import Span

# What the code numbers, right before it: "Flight BA2490", "vuelo IB3166", "model RB38T603",
# "part no. HF-2231", "train ICE 578"; "then BA2491" after a flight number named before.
_NUMBERED_BEFORE = re.compile(
    r"(?i)\b(?:flights?|vuelos?|vols?|flug|voos?|train|trains|tren|zug|comboio|bus|coach|ferry|route|"
    r"models?|modelo|mod[èe]le|modell|part(?:[ \t]+(?:no\.?|number|#))?|parts|sku|item(?:[ \t]+(?:no\.?|number))?|"
    r"product(?:[ \t]+code)?|article|art\.?-?nr\.?|firmware|fw|version|serie|series)[ \t]*[:#]?[ \t]*(?:(?:the|a|an|my|our|el|la|le|der|die|das|o|a)[ \t]+)?$"
)
# A product noun right after the code: "WH-1000XM4 headphones", "the QE55Q80B TV".
_PRODUCT_AFTER = re.compile(
    r"(?i)[ \t]+(?:headphones|earbuds|phones?|handsets?|tvs?|televisions?|laptops?|tablets?|monitors?|printers?|"
    r"routers?|fridges?|freezers?|washers?|washing machines?|dryers?|dishwashers?|ovens?|hobs?|boilers?|"
    r"vacuums?|hoovers?|cameras?|speakers?|watch(?:es)?|consoles?|controllers?|chargers?|cables?|filters?|"
    r"batteries|battery|tyres?|tires?|bikes?|scooters?|drones?|lenses|lens|engines?|units?|model|series)\b"
)
# A flight number's shape: an airline's two or three letters (or letter and digit) and 1-4 digits.
_FLIGHT = re.compile(r"(?:[A-Z]{2,3}|[A-Z]\d|\d[A-Z])[ ]?\d{1,4}[A-Z]?")
_FLIGHT_WORD = re.compile(
    r"(?i)\b(?:flights?|vuelos?|vols?|flug|voos?|flew|fly|flying|airline|plane|boarding)\b"
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
    # "then BA2491 home cancelled": another flight number in a sentence about flights
    sentence = text[max(0, text.rfind(".", 0, start) + 1) : start]
    return bool(_FLIGHT.fullmatch(text[start:end]) and _FLIGHT_WORD.search(sentence))


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
