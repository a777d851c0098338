"""Identity data by pattern: national ID numbers, dates of birth, licence plates, IP addresses
and profile links without ``https://``.

A date or a plate on its own is not personal ("renewal on 14/03"), so dates of birth and most
plates need their cue word, in the five survey languages; ID formats specific enough to stand
alone (US SSN, UK NI number, Spanish DNI/NIE, Brazilian CPF, UK plates) need none.
"""

from __future__ import annotations

import ipaddress
import re

from .brands import is_plain_brand
from .caps import CURRENCY_CODES
from .lexicon import english_word
from .spans import Span

SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
# Any two letters: HMRC's own examples use the unissued prefix "QQ", and so do people copying them.
NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
DNI_NIE = re.compile(r"\b[XYZ]?\d{7,8}-?[A-HJ-NP-TV-Z]\b")
CPF = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d.])")
# German Steuer-ID, French NIR, Portuguese NIF and the like after their cue word.
ID_CUE = re.compile(
    r"(?i)\b(?:steuer-?id|steueridentifikationsnummer|steuernummer|sozialversicherungsnummer|"
    r"personalausweis(?:nummer)?|ausweisnummer|nir|num[ée]ro de s[ée]curit[ée] sociale|"
    r"nif|nie|dni|nss|cpf|rg|cnpj|cc|bi|nino|ssn|social security(?: number)?|passport(?: number| no\.?)?|"
    r"pasaporte|passeport|reisepass|driving licen[cs]e(?: number| no\.?)?|driver'?s licen[cs]e(?: number| no\.?)?|"
    r"tax (?:id|number|code)|national (?:id|insurance)(?: number| no\.?)?|id card(?: number| no\.?)?|"
    r"aadhaar|pan(?: card)?|carte d'identit[ée]|c[ée]dula|n[úu]mero de identidad)"
    r"\s*(?:(?:number|no\.?|nr\.?|n[º°]|is|es|ist|est|é|:|#)\s*){0,2}"
    r"([A-Z]{0,3}[ -]?\d[\d .-]{4,18}[\dA-Z]|[A-Z]{1,2}\d{6,9}[A-Z]?)\b"
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun[e]?|jul[y]?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    r"janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro)(?![^\W\d_])\.?"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:(?:de|of)\s+)?{_MONTHS}(?:,?\s+(?:de\s+)?(?:19|20)\d\d)?"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)"
)
BIRTH_DATE = re.compile(
    r"(?i)\b(?:date of birth|birth ?date|birthday|d\.?o\.?b\.?|born(?: on)?|"
    r"geburtsdatum|geboren(?: am)?|geb\.|fecha de nacimiento|nacid[oa](?: el)?|f\. nac\.|"
    r"date de naissance|n[ée]e? le|data de nascimento|nascid[oa](?: em| a)?)"
    rf"\s*(?:(?:is|was|es|ist|est|é|:)\s*)?(?:(?:the|el|le|o)\s+)?({_DATE})",
)

# The cue a few words before its date, in the same sentence: "wrong date of birth, it's 03/11/1979",
# "DOB on file says 1979-11-03". Only the unambiguous cues ("birthday discount" is no birth date),
# a date with its year, and no word between that ties the date to something else ("since", "renewal").
_DATED = (
    r"[\d.;!?\n]|\b(?:since|joined|renew\w*|charged|billed|paid|expir\w*|until|till|cancel\w*|signed|started|"
    r"ended|ends?|promo\w*|discount\w*|offers?|vouchers?|gifts?|month|party|sale)\b"
)
_YEAR_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:(?:de|of)\s+)?{_MONTHS},?\s+(?:de\s+)?(?:19|20)\d\d"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)"
)
BIRTH_DATE_NEAR = re.compile(
    r"(?i)\b(?:date of birth|birth ?date|d\.?o\.?b\.?|born|birthday|geburtsdatum|geboren|fecha de nacimiento|"
    r"nacid[oa]|date de naissance|n[ée]e? le|data de nascimento|nascid[oa])"
    rf"((?:(?!{_DATED}).){{1,50}}?)(?<![\d/.-])(?<!\bon )(?<!\bby )(?<!\bfrom )({_YEAR_DATE})(?![\d/])"
)

# The date in the sentence after the one that names the birth date: "You had my date of birth
# wrong for years. It is 12/04/1957."
BIRTH_DATE_NEXT = re.compile(
    r"(?i)\b(?:date of birth|birth ?date|d\.?o\.?b\.?)[^.!?\n]{0,150}[.!?]\s+"
    rf"(?:it|that|mine|the right one|the correct one)(?:['’]s|\s+is|\s+was|\s+should\s+be)\s+({_YEAR_DATE})(?![\d/])"
)

# A second date set against a birth date: "it's 1988-07-14 not 1988-04-07", "12/03/1961 or 13/03/1961",
# also in es/de/fr/pt: "[DATE], nicht 09.03.1975", "no 1975-03-09 sino ...", "pas le 09/03/1975".
DATE_AFTER_DATE = re.compile(
    rf"(?i)[ \t]*[,;/]?[ \t]*(?:not|nor|or|and|but|instead of|rather than|vs\.?|to|->|→|"
    r"nicht|sondern|statt|anstatt|oder|und|no|sino|ni|en lugar de|o|y|pas|mais|au lieu de|ou|et|"
    rf"não|nao|mas|em vez de|e)[ \t]+(?:(?:the|el|der|den|le|o)[ \t]+)?({_YEAR_DATE})(?![\d/])"
)

UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
PLATE_CUE = re.compile(
    r"(?i)\b(?:reg(?:istration)?(?: number| no\.?| plate)?|(?:number|licen[cs]e|car) plate|plate(?: number)?|"
    r"kennzeichen|nummernschild|matr[íi]cula|immatriculation|plaque|placa)"
    r"\s*(?:(?:is|was|es|ist|est|é|:|n[º°])\s*)?"
    # in capitals, or typed in lower case as one run of letters and digits ("reg 1xbg340")
    r"((?-i:[A-Z0-9]{1,7}(?:[ -][A-Z0-9]{1,6}){0,3}|(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{5,8}))\b"
)

# The cue a few lower-case words before its plate, the plate in capitals with digits and letters:
# "matrícula del remolque 4821 KLM", "plate on my trailer is 4471 KPX", "Kennzeichen vom Anhänger".
PLATE_CUE_WORDS = re.compile(
    r"(?i)\b(?:registration|licen[cs]e plate|number plate|plate|kennzeichen|nummernschild|matr[íi]cula|"
    r"immatriculation|plaque|placa)"
    r"((?:[ \t]+(?-i:[a-zäöüßáéíóúñçàèâêôã]+)){1,4})[ \t]*:?[ \t]+"
    r"((?-i:(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,4}){1,2}))\b"
)

# A plate right after the vehicle, letters and digits in capitals: "mein Wagen H-KB 4471", "my van LK19 XWP".
# A plate has five characters or more (see _PLATE_MIN); "the car A 4", "my car Q 7" name a model.
VEHICLE_PLATE = re.compile(
    r"\b(?i:car|van|vehicle|truck|lorry|motorbike|motorcycle|scooter|wagen|auto|fahrzeug|voiture|coche|carro|"
    r"moto|veh[íi]culo|v[ée]hicule)[ \t]*[(:]?[ \t]*"
    r"((?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,4}){1,2})\b"
)
_PLATE_MIN = 5
# A number and its unit written together, "10mins", "3days", "2hrs": an amount, no plate.
_AMOUNT = re.compile(r"\d+([a-z]+)")
_UNITS = {"hrs", "yrs", "mths", "wks", "secs", "mins", "kms", "gb", "mb", "kb"}


def _amount(run: str) -> bool:
    """Is the lower-case run a number with its unit ("10mins", "5days"), not a plate ("1xbg340")?"""
    m = _AMOUNT.fullmatch(run)
    return bool(m and (m.group(1) in _UNITS or english_word(m.group(1), nouns=True)))


IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]|\.\d)"
)
_VERSION_BEFORE = re.compile(
    r"(?i)\b(?:v|ver|version|release|build|firmware|update)\.?\s*$"
)  # "version 10.2.3.4"
# Anything shaped like an IPv6 address or network, kept when ``ipaddress`` reads it as one:
# "2001:db8:4f2a::/48", "fe80::1ff:fe23:4567:890a" (not a time, "10:30:00").
IPV6 = re.compile(r"(?i)(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:/\d{1,3})?(?![\w:/])")


def _ipv6(value: str) -> bool:
    """Is ``value`` (an IPV6 match) an IPv6 address or network with four letters or digits or
    more: "2001:db8::/32", "fe80::1"; not "::" or a time such as "10:30:00"?"""
    if sum(ch.isalnum() for ch in value.split("/")[0]) < 4:  # "::" alone is no one's address
        return False
    try:
        return ipaddress.ip_network(value, strict=False).version == 6
    except ValueError:
        return False


# A link to someone's profile written without its scheme: "linkedin.com/in/sarah-ok",
# "instagram.com/lina.cooks". A bare site name ("Monday.com", "Booking.com") has no path and stays.
BARE_LINK = re.compile(
    r"(?i)(?<![\w@./])(?:[\w-]+\.)+(?:com|net|org|io|co|me|app|dev|uk|de|fr|es|pt|br|it|nl|in|ie|eu|info|biz|tv|ly|gg)"
    r"(?:\.[a-z]{2})?/[\w@%~.+-]+(?:/[\w@%~.+-]+)*/?"
)


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


_DIGIT = re.compile(r"\d")


def identity_spans(text: str) -> list[Span]:
    """National IDs, dates of birth, plates, IP addresses and bare profile links in ``text``."""
    spans: list[Span] = []
    if _DIGIT.search(text):  # every pattern of this block needs a digit (most answers have none)
        spans += _numbered_spans(text)
    if ":" in text:
        spans += [(m.start(), m.end(), "IP") for m in IPV6.finditer(text) if _ipv6(m.group())]
    if "/" in text:
        spans += [(m.start(), m.end(), "URL") for m in BARE_LINK.finditer(text)]
    return spans


def _numbered_spans(text: str) -> list[Span]:
    """The identity data that needs a digit: IDs, dates of birth, plates and IPv4 addresses."""
    spans: list[Span] = []
    for pattern in (SSN, NI_NUMBER, DNI_NIE, CPF):
        spans += [(m.start(), m.end(), "ACCOUNT") for m in pattern.finditer(text)]
    spans += [(m.start(1), m.end(1), "ACCOUNT") for m in ID_CUE.finditer(text)]
    spans += [(m.start(1), m.end(1), "DATE") for m in BIRTH_DATE.finditer(text)]
    spans += [(m.start(2), m.end(2), "DATE") for m in BIRTH_DATE_NEAR.finditer(text)]
    spans += [(m.start(1), m.end(1), "DATE") for m in BIRTH_DATE_NEXT.finditer(text)]
    for _, end, _ in [s for s in spans if s[2] == "DATE"]:
        after = DATE_AFTER_DATE.match(text, end)
        if after:
            spans.append((after.start(1), after.end(1), "DATE"))
    spans += [(m.start(), m.end(), "ACCOUNT") for m in UK_PLATE.finditer(text)]
    for m in PLATE_CUE.finditer(text):
        if _has_digit(m.group(1)) and len(m.group(1)) >= 4 and not _amount(m.group(1)):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    for m in PLATE_CUE_WORDS.finditer(text):
        # the cue has said plate: a part that is also a brand's name ("KLM") is one of its letters
        parts = re.split(r"[ -]", m.group(2))
        # "registration fee went up to 50 EUR": an amount and its currency's code, not a plate
        money = any(p in CURRENCY_CODES for p in parts) and all(
            p.isdigit() or p in CURRENCY_CODES for p in parts
        )
        if sum(len(p) for p in parts) >= _PLATE_MIN and not is_plain_brand(m.group(2)) and not money:
            spans.append((m.start(2), m.end(2), "ACCOUNT"))
    for m in VEHICLE_PLATE.finditer(text):
        parts = re.split(r"[ -]", m.group(1))
        # "car BMW X5" is a brand's model; "the car A 4" too short to be a plate
        if sum(len(p) for p in parts) >= _PLATE_MIN and not any(is_plain_brand(p) for p in parts):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    for m in IPV4.finditer(text):
        if not _VERSION_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            spans.append((m.start(), m.end(), "IP"))
    return spans
