"""Names typed in capitals where the mixed-case rules cannot see them (issue 17, seventh round).

A full name in capitals signing the answer after a dash ("... - CHIAMAKA EZE", "— ANNA-LENA
SCHMIDT") and a name after a contact or ownership cue ("the account is under KOFI BOATENG",
"Contact for offboarding: TENDAI MOYO, ...", "MY NAME IS DEREK HOLLOWAY AND I ..."). Such names are often missing from the given-name
list, so the test is the other way round: two or three words in capitals, none of them a word
customers use, a brand or a company suffix. Shouted complaints ("- TERRIBLE SERVICE", "— NEVER
AGAIN") and brands ("- SKY BROADBAND", "under NETFLIX's plan") contain such words and stay.
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .brands import is_plain_brand
from .letters import UP
from .lowercase import common_lower
from .spans import Span
from .words import (
    AMBIGUOUS_GIVEN,
    COMPANY_SUFFIXES,
    GREETED,
    NAME_PARTICLES,
    NOT_NAMES,
    given_names,
    word_names,
)

_CAPS_WORD = rf"[{UP}][{UP}'’]+(?:-[{UP}][{UP}'’]+)?"
_CAPS_NAME = rf"{_CAPS_WORD}(?:[ \t]+(?:[{UP}]\.[ \t]+)?{_CAPS_WORD}){{1,3}}"  # "ANNA K. PETROVA"
# "... - CHIAMAKA EZE", "— NGUYEN VAN THANH": the last words of the answer after a dash.
CAPS_DASH_SIGN_OFF = re.compile(rf"(?:^|\s)[-—–~]+[ \t]*({_CAPS_NAME})[ \t]*[.!]?\s*$")
# A name after a cue that says whose the account is or whom to contact.
CAPS_CUE_NAME = re.compile(
    r"(?i:(?:is|was|are|were|it's|its|still|all|everything)[ \t]+(?:still[ \t]+)?(?:under|in)[ \t]+"
    r"(?:the[ \t]+name[ \t]+of[ \t]+)?|registered[ \t]+(?:to|under|in[ \t]+the[ \t]+name[ \t]+of)[ \t]+|"
    r"in[ \t]+the[ \t]+name[ \t]+of[ \t]+|under[ \t]+the[ \t]+name[ \t]+(?:of[ \t]+)?|"
    r"contact(?:[ \t]+(?:person|name))?(?:[ \t]+for[ \t]+[\w-]+(?:[ \t]+[\w-]+)?)?[ \t]*:[ \t]*|"
    r"(?:account[ \t]+|card[ \t]*)?holder[ \t]*(?:is|was|:)?[ \t]*|my[ \t]+name[ \t]+is[ \t]+)"
    rf"({_CAPS_NAME})(?![\w'’-])"
)


def _caps_person(name: str) -> bool:
    """Words in capitals that can only be a person's name: none a common word, brand or suffix."""
    words = [w for w in name.split() if w.lower() not in NAME_PARTICLES]
    if len(words) < 2 or is_plain_brand(name) or is_plain_brand(name.title()):
        return False
    for word in words:
        parts = word.strip("'’").split("-")
        if any(common_lower(p.lower()) or p.title() in NOT_NAMES or p.title() in GREETED for p in parts):
            return False
        if is_plain_brand(word) or word.lower() in COMPANY_SUFFIXES:
            return False
    return True


_TWO_CAPITALS = re.compile(rf"[{UP}][{UP}'’]")  # how every name in capitals starts


def caps_name_spans(text: str) -> list[Span]:
    """PERSON spans for full names in capitals after a closing dash or a contact cue."""
    spans: list[Span] = []
    if not _TWO_CAPITALS.search(text):
        return spans  # most answers: no word in capitals, so neither pattern can match
    for pattern in (CAPS_DASH_SIGN_OFF, CAPS_CUE_NAME):
        for m in pattern.finditer(text):
            # a shouted sentence runs on after the name: "MY NAME IS DEREK HOLLOWAY AND I ..."
            words = list(re.finditer(r"\S+", m.group(1)))
            cut = next(
                (i for i in range(len(words), 1, -1) if _caps_person(m.group(1)[: words[i - 1].end()])), 0
            )
            if cut and (pattern is CAPS_CUE_NAME or cut == len(words)):
                spans.append((m.start(1), m.start(1) + words[cut - 1].end(), "PERSON"))
    return spans


# A word typed in capitals ("GUNNHILD", "AL-HASHIMI", "O'NEILL"), and where a sentence starts.
_CAPS_TOKEN = re.compile(rf"(?<![\w'’])[{UP}][{UP}'’-]*[{UP}](?![\w'’])")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


def _same_length(word: str, case: str) -> str:
    """``word`` in ``case`` ("lower" or "title") letter by letter, so offsets stay ("İ" keeps its length)."""
    out = []
    for i, ch in enumerate(word):
        new = ch.upper() if case == "title" and (i == 0 or not word[i - 1].isalpha()) else ch.lower()
        out.append(new if len(new) == 1 else ch)
    return "".join(out)


# Currencies by their ISO 4217 code: "from AUD to GBP" names money, not Aud (a Norwegian name).
CURRENCY_CODES = frozenset(
    "AED ARS AUD BDT BGN BHD BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP GHS HKD HUF IDR ILS INR ISK JMD JPY "
    "KES KRW KWD LKR MAD MXN MYR NGN NOK NZD OMR PEN PHP PKR PLN QAR RON RSD RUB SAR SEK SGD THB TRY TWD TZS "
    "UAH UGX USD UYU VND XAF XOF ZAR ZMW BTC ETH USDT".split()
)
_MONEY = re.compile(r"\d|[£$€¥₹₩₦]")


def currency_code(word: str, text: str) -> bool:
    """Is ``word`` a currency's code where the answer speaks of money: another code or an amount
    beside it ("change from AUD to GBP", "AUD 40")? A code alone may still be a name in capitals."""
    if word not in CURRENCY_CODES:
        return False
    others = {w for w in re.findall(r"\b[A-Z]{3,4}\b", text) if w in CURRENCY_CODES and w != word}
    return bool(others) or _MONEY.search(text) is not None


def caps_as_written(text: str) -> str | None:
    """``text`` with its words in capitals written the usual way, so the name patterns can read them:
    a word customers use in lower case (capitalised where a sentence starts), any other word
    capitalised ("ASK FOR GUNNHILD she knows" -> "ask for Gunnhild she knows"); None when no word
    in capitals could be a name (words customers use, brands, acronyms such as "EDF")."""
    tokens = list(_CAPS_TOKEN.finditer(text))
    out, pos, named = [], 0, False
    for m in tokens:
        word = m.group()
        starts = _SENTENCE_START.search(text, max(0, m.start() - 10), m.start()) is not None
        # a known given name that is no word is read as a name even where customers' answers use it
        # ("SARAH IN BILLING WAS GREAT": the example bank's "sarah" is someone's name too)
        title = word.title()
        given = title in given_names() and title not in AMBIGUOUS_GIVEN and title not in word_names()
        common = (
            (
                common_lower(word.lower())
                and not (given and len(word) >= 3 and word.lower() not in stop_words()["en"])
            )
            or is_plain_brand(word)
            or is_plain_brand(word.title())
            or currency_code(word, text)
        )
        # a name that is also a word may name someone too ("WILL FROM SUPPORT"): the patterns decide
        named = named or (not common and (len(word) >= 4 or title in given_names())) or title in word_names()
        out += [text[pos : m.start()], _same_length(word, "lower" if common and not starts else "title")]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out) if named else None


def caps_only(text: str, span: Span) -> bool:
    """Was a name found in :func:`caps_as_written`'s text typed in capitals, and no acronym? Two
    words at least, or one of four letters or a known given name ("PAULINE", not "EDF")."""
    value = text[span[0] : span[1]]
    if span[2] != "PERSON" or any(ch.islower() for ch in value) or not any(ch.isalpha() for ch in value):
        return False
    words = value.split()
    return len(words) > 1 or len(value) >= 4 or value.title() in given_names()
