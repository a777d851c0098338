"""Contact and account data by pattern: e-mails, URLs, phones, cards, IBANs, account and order
numbers after their cue words, usernames and street addresses (UK, US, IE, DE, FR, ES, PT, IT, NL)."""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .letters import LO, UP
from .lexicon import (
    english_modifier,
    english_noun,
    english_verb,
    english_word,
    irregular_plural,
    irregular_verb,
)
from .lowercase import common_lower
from .spans import Span
from .words import NOT_NAMES, PLACES, given_names_lower

# also "hannah.lee@ gmail.com"; an apostrophe may join the user part's letters ("d.o'hara@...")
EMAIL = re.compile(r"[\w.+%-]+(?:['’][\w.+%-]+)* ?@ ?[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Written out to dodge spam filters: "anna[at]web.de", "john dot smith at gmail dot com".
# "arroba", "arobase", "chiocciola" only ever mean "@"; "punto", "ponto", "point", "punkt" are "dot".
_AT = r"(?:\s*[\[({](?:at|arroba|arobase)[\])}]\s*|\s+(?:arroba|arobase|chiocciola|klammeraffe)\s+)"
_DOT = r"\s*[\[({](?:dot|punto|ponto|point|punkt)[\])}]\s*|\s+(?:dot|punto|ponto|point|punkt)\s+"
# A plain " at " counts when the name has a dot or digit in it or the host is a mail provider,
# so "cheaper at Tesco dot com" keeps its shop.
_MAIL_HOST = r"(?:gmail|googlemail|yahoo|hotmail|outlook|live|msn|icloud|me|aol|gmx|web|proton|protonmail|yandex|orange|free|btinternet|libero|uol|terra)"
# Each part repeats a bounded number of times (an address's user part and host have a few dots),
# so a long run of "a dot a dot ..." costs linear time, not time growing with its square.
SPELLED_EMAIL = re.compile(
    rf"(?i)\b[\w+-]+(?:(?:{_DOT}|\.)[\w+-]+){{0,8}}{_AT}[\w-]+(?:(?:{_DOT}|\.)[\w-]+){{1,8}}\b"
    rf"|\b(?:[\w+-]+(?:{_DOT}|\.)[\w+-]+(?:(?:{_DOT}|\.)[\w+-]+){{0,8}}|[a-z_]*\d[\w]*)\s+at\s+[\w-]+(?:(?:{_DOT})[\w-]+){{1,8}}\b"
    # "sj_whitfield at btinternet.com": a user name (underscore or digit) at a host with its dot
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+|\d)[\w]*\s+at\s+[\w-]+(?:\.[a-z]{2,6}){1,8}\b"
    rf"|\b[\w+-]+\s+at\s+{_MAIL_HOST}(?:(?:{_DOT})[\w-]+){{1,8}}\b"
    # the user part spelled out too: "tomasz underscore w at example dot net"
    rf"|\b[\w+-]+(?:\s+(?:underscore|dot|dash|hyphen|period)\s+[\w+-]+){{1,8}}\s+at\s+[\w-]+(?:(?:{_DOT})[a-z]{{2,6}}\b){{1,8}}"
)
# "sarah at sarahbakes dot co dot uk": one word at a host spelled with its dots, kept when the word
# is one customers use ("cheaper at tesco dot com"); see contact_spans.
SPELLED_HOST_EMAIL = re.compile(rf"(?i)\b([a-z][\w+-]*)\s+at\s+[\w-]+(?:(?:{_DOT})[a-z]{{2,6}}\b)+")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# The last groups may be of any length: "PT50 8131 5043 49478074448 46" ends in two digits.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?:[ ]\d{1,3})?\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# A phone may run straight into its extension: "940-425-8646x019" (see _EXTENSION).
_PHONE_END = r"(?!(?!x\d)\w)"
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|\b00)\d{1,3}[\s.-]?|\(\+\d{1,3}\)[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,6}(?:[\s.-]\d{2,8}){1,5}"
    + _PHONE_END
    + r"|(?<![\w+])\+\d{8,14}\b|\b0\d{9,10}\b"
    r"|(?<![\w.,])\d(?: \d){8,14}(?![\w.,])"  # "0 7 7 0 0 9 0 0 1 2 3"
    # A country or area code, then the number in one block or split by slashes: "+358 696437718",
    # "+(370) 65756888", "+49(0) 661645701", "(0972) 533204", "(06)16/936-7125", "02911/91271933".
    r"|(?<![\w+(])(?:\+\d{1,3}|\+\(\d{1,3}\)|\(\+?\d{1,5}\)|\b0\d{2,4}(?=/))(?:\(0\))?[\s./-]?"
    r"\d{2,14}(?:[/-]\d{2,8}){0,3}" + _PHONE_END
)
# The cue words in the five survey languages: "Kundennummer 5503 2281 77", "Pedido 55-88123",
# "Numéro client : 7738 0021", "Apólice nº 33.445.120-7", "Dossier 88412".
_ACCOUNT_WORDS = (
    r"account|acct|acc\.?|a/c|order|customer|member(?:ship)?|policy|invoice|ref(?:erence)?|ticket|claim|"
    r"case|contract|client|subscriber|booking|tracking|parcel|consignment|iban|sort code|id|number|no\.?|#|"
    r"kunden(?:nummer|nr\.?)?|kd\.?-?nr\.?|vertrag(?:snummer|snr\.?)?|bestell(?:ung|nummer|nr\.?)|rechnung(?:snummer|snr\.?)?|"
    r"mitglieds?(?:nummer|nr\.?)?|auftrag(?:snummer)?|vorgang(?:snummer)?|nummer|nr\.?|"
    r"cuenta|pedido|cliente|contrato|p[óo]liza|factura|referencia|s[óo]ci[oa]|abonad[oa]|expediente|incidencia|chamado|pnr|"
    r"n[úu]mero|n[º°]\.?|compte|commande|contrat|facture|r[ée]f[ée]rence|dossier|adh[ée]rent|abonn[ée]|"
    r"membre|num[ée]ro|conta|encomenda|ap[óo]lice|fatura|protocolo|assinante|matr[íi]cula|sinistro|"
    r"buchung(?:scode|snummer)?|reservierung(?:snummer)?|r[ée]servation|localizador|reserva|c[óo]digo|"
    r"serial|key"
)
ACCOUNT_CUE = re.compile(
    rf"(?i)\b(?:{_ACCOUNT_WORDS})"
    rf"s?\s*(?:(?:{_ACCOUNT_WORDS}|code|de|do|da|du|del)s?\s*){{0,2}}(?:is|was|es|ist|est|é|:|=|\()?\s*"
    # letters or a code before the number, up to three parts: "LIS TP 48271", "E12Z 048213"
    r"(#?(?-i:(?:[A-Z][A-Z0-9]{0,4}[ -]?){1,3})?\d(?:[\d -]|[./](?=\d))*\d(?-i:-?[A-Z]{1,3})?(?!/[A-Z])|"
    r"#?[A-Z0-9][A-Z0-9/-]{3,})\b"
)
CARD_ENDING = re.compile(
    r"(?i)\b(?:card|visa|mastercard|amex|debit|credit)\b[^.\n]{0,25}?\b(?:ending|ends|last (?:four|4)(?: digits)?)"
    r"(?:\s+(?:in|with|of))?\s*[:#]?\s*(\d{4})\b"
)
# The last digits of a card or account after their cue, with no card word needed, in the five
# survey languages: "last four 0005", "ending in 3308", "terminada en 4521", "endet auf 1188",
# "se terminant par 2290", "4 derniers chiffres 5512", "com final 8843", "cartão final 6621", "últimos 4 dígitos 0193".
_N = r"(?:two|three|four|five|six|2|3|4|5|6|dos|tres|cuatro|cinco|seis|drei|vier|fünf|sechs|trois|quatre|cinq|três|quatro)"
_LAST_CUE = (
    rf"last\s+{_N}(?:\s+(?:digits|numbers|nos?\.?))?|[uú]ltim[oa]s\s+{_N}(?:\s+(?:d[ií]gitos|n[uú]meros))?|"
    rf"letzten\s+{_N}(?:\s+(?:ziffern|stellen))?|{_N}\s+derniers\s+(?:chiffres|num[ée]ros)|derniers\s+chiffres"
)
_END_CUE = (
    r"ending(?:\s+(?:in|with))?|ends(?:\s+(?:in|with))?|ended\s+in|"
    r"(?:terminad[ao]|acabad[ao])\s+(?:en|em)|termina\s+(?:en|em)|endet\s+auf|endend\s+auf|"
    r"(?:se\s+)?terminant\s+par|finissant\s+par|termin[ée]e?\s+par|com\s+(?:o\s+)?final|"
    r"(?<=cart[ãa]o\s)final"
)
LAST_DIGITS = re.compile(
    rf"(?i)\b(?:({_LAST_CUE})|{_END_CUE})\s*(?:(?:is|are|was|were|son|sind|sont|são|es|:|#|=)\s*)?(\d{{3,6}})\b"
    r"(?![.,]\d|\s*(?:%|(?:gb|mb|kb|km|kg|mi|ms|min|mins|h)\b|days?|weeks?|months?|years?|hours?|minutes?|pounds?|euros?|dollars?|"
    r"d[ií]as|semanas|meses|años|anos|tage|wochen|monate|jahre|jours|semaines|mois|ans))"
)
_CARD_BEFORE = re.compile(
    r"(?i)\b(?:card|visa|mastercard|amex|debit|credit|account|acct|tarjeta|cuenta|karte|konto|carte|compte|cart[ãa]o|conta)\b"
)
_COUNT_AFTER = re.compile(r"\s+(?!(?:was|is|has|does|gets|keeps|says)\b)[^\W\d_]{2,}s\b")
_WORD_AFTER = re.compile(r"\s+([^\W\d_]{2,})\b")


def _noun_count(text: str, end: int) -> bool:
    """Does the number ending at ``end`` count things with no plural "s": an irregular plural
    ("12345 children") or a lower-case noun that is no adjective or adverb ("12345 people",
    "300 staff"; not "75001 yesterday" or "10115 last week")?"""
    word = _WORD_AFTER.match(text, end)
    if word is None or not word.group(1).islower():
        return False
    w = word.group(1)
    if w.endswith("s") or irregular_verb(w):
        return False  # a plural in "s" is _COUNT_AFTER's ("94107 takes two days"); "ending 2285 is closed"
    return irregular_plural(w) or (bool(english_noun(w)) and not english_modifier(w))


# "020 7946 0123 ext 44"; in es/fr/pt/de: "poste 215", "extensión 12", "anexo 3", "ramal 40", "Durchwahl 17"
_EXTENSION = re.compile(
    r"\s*,?\s*(?i:ext\.?|extension|x|poste|extensi[óo]n|anexo|ramal|interno|durchwahl|dw\.?|apparat|app\.)\s*\d{1,5}\b"
)
# A card written with its first digits masked: "xxxx xxxx xxxx 9902", "****-****-****-8812".
# A card's last four right after the card's name: "Visa **** 4242" once the normaliser has taken the
# "**" away as markdown ("Visa 4242", "Mastercard 5100"), "debit card 0042".
CARD_WORD_DIGITS = re.compile(
    r"(?i)\b(?:visa|mastercard|amex|maestro|(?:debit|credit|bank)[ \t]+card)[ \t]*[:#]?[ \t]*(\d{4})\b(?![.,:/-]?\d)"
)
MASKED_CARD = re.compile(r"(?i)(?<![\w*•])(?:[x*•]{3,4}[ -]?){1,3}(\d{4})\b")
SORT_CODE = re.compile(r"\b\d{2}-\d{2}-\d{2}\b")
SHORT_PHONE = re.compile(r"(?<![\w-])\d{3}[-.]\d{4}(?![\w-])")
MIXED_ID = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,6}-?[A-Z0-9-]*\d{3,}[A-Z0-9]*\b")
# What a device or site shows, not whose account: "error code E-4012", "fault: F-2231".
_ERROR_BEFORE = re.compile(r"(?i)\b(?:error|fault)(?:[ \t]+(?:code|message|number|no\.?))?[ \t]*[:#]?[ \t]*$")
# "#88120": a number written with a hash is a ticket, order or account ("#1 reason" is too short).
HASH_NUMBER = re.compile(r"(?<![\w#])#\d{4,}\b")
# A booking or reference code after its cue: "ref QX7P2M" (capitals and digits, at least five).
_CODE = re.compile(r"#?(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,12}")
_YEAR = re.compile(r"#?(?:19|20)\d\d")  # a year alone ("subscriber since 2019") is no account number
# A code after its cue read whole, its parts joined by hyphens or slashes: "30-44192/UK", "EZ-W4K9L2".
_WHOLE_CODE = re.compile(r"#?[A-Za-z0-9]+(?:[/-][A-Za-z0-9]+)+\b")


def _code_value(value: str) -> bool:
    """Is what follows an account cue a reference: four digits or more (not a year alone), or a code
    of capitals and digits, its hyphens aside ("EZ-W4K9L2")?"""
    if _YEAR.fullmatch(value):
        return False
    return sum(ch.isdigit() for ch in value) >= 4 or _CODE.fullmatch(value.replace("-", "")) is not None


LONG_DIGITS = re.compile(r"(?<![\d.,])(?<!0x)#?\d{6,}(?![\d.,]\d)")  # not "0x80070005"
# After a street: a postcode and/or town ("Leeds LS6 2QT", "Dublin 5", "D05 X2Y3", "1100-053 Lisboa",
# "69003 Lyon", "10115 Berlin", "28013 Madrid").
_TOWN = r"[A-Z][\w'-]+(?:[ -](?:[A-Z][\w'-]+|de|do|da|sur|am|an|upon|on))*"
_POSTCODE_TOWN = (
    rf"(?:,?\s*(?:\d{{4}}-\d{{3}}|\d{{2}}-\d{{3}}|\d{{5}}|[A-Z]-?\d{{4,5}})\s+{_TOWN}"  # PT, PL, DE/FR/ES/IT
    r"|,?\s*[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b"  # Irish Eircode
    rf"|(?:,\s*{_TOWN}){{1,2}}(?:\s+\d{{1,2}}[Ww]?\b|\s*[-–]\s*[A-Z]{{2}}\b)?"  # town, "Dublin 5", "São Paulo - SP"
    r"(?:,?\s*(?:[A-Z]{2,3}\s+\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|"
    r"[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}|\d{4}-\d{3}|(?:CEP:?\s*)?\d{5}-\d{3}|\d{4,5})\b)?)"
)
PO_BOX = re.compile(
    r"\b(?i:P\.?\s?O\.?\s?Box|Postfach|Apartado(?: de correos)?|Caixa Postal|Bo[iî]te postale)\s*\d[\d ]{0,8}\d\b"
    rf"(?:{_POSTCODE_TOWN})?"  # "PO Box 4471, Darwin NT 0801"
)
_STREET_WORD = (
    r"(?i:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|"
    r"terrace|close|crescent|square|sq|highway|hwy|parkway|pkwy|gardens|grove|row|hill|mews|yard|"
    r"quay|wharf|parade|view|heights|vale|cottages|wynd|rise|walk|croft|chase|mead|garth|fold|drove|"
    # more US street suffixes (USPS), the ones that name a place: "7709 Ojo Mountain", "530 Falls"
    r"alley|arcade|bend|bluffs?|brooks?|bypass|canyon|causeway|circle|cliffs?|commons?|coves?|creek|crossing|"
    r"estates?|expressway|falls|ferry|fields?|fords?|forges?|forks?|freeway|glens?|greens?|groves?|harbou?rs?|"
    r"haven|hollow|inlet|islands?|isle|junctions?|knolls?|lakes?|landing|lodge|loop|manors?|meadows?|mills?|"
    r"motorway|mount|mountains?|orchard|oval|overpass|pike|pines?|plains?|plaza|prairie|ramp|ranch|rapids?|"
    r"ridges?|river|shoals?|shores?|skyway|springs?|spurs?|stravenue|streams?|summit|throughway|trafficway|"
    r"trail|tunnel|turnpike|underpass|valleys?|viaduct|villages?|ville|vista|"
    r"strasse|straße|str|weg|allee|gasse|platz|ring|damm|laan|straat|gracht|plein)"
)
# Street words written onto the name in Dutch and Nordic languages: "Juulstraat 84", "Genvägen 16".
_COMPOUND_STREET = (
    "straat|laan|steeg|gracht|plein|kade|dreef|singel|hof|vägen|gatan|gränd|stigen|vej|gade|stræde|veien|"
    "gata|gate|vegen|katu|tie|polku|kuja"
)
# Floor side and unit of an Iberian or Brazilian address: "3º Esq", "2o Dto", ", apto 42", ", bloco B".
_SIDE = r"(?i:esq|esquerdo|dto|dta|direito|dir|izq|izda|izqda|izquierda|dcha|derecha|fte|frente|centro|ctro)"
_BR_UNIT = r",?\s*(?i:ap(?:to?)?\.?|apartamento|bloco|bl\.|casa|sala|conj\.?|andar|piso|puerta|pta\.?|esc\.?)\s*\w{1,4}\b"
# Flat, apartment or unit, with an optional building name: "Flat 3B, Harbour View, ".
_UNIT = (
    r"(?:\b(?i:flat|apt|apartment|unit|suite)\.?\s*#?\w{1,4}(?:/|,?\s*)"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2},\s*(?=\d))?)"
)
STREET = re.compile(  # the pronoun is no street word: "I'm 74, I haven't the patience"
    rf"{_UNIT}?\b(?:\d{{1,4}}/)?\d{{1,5}}[A-Za-z]?,?\s+(?:(?:(?!I\s)[A-Z][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}{_STREET_WORD}\b\.?"
    r"(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b)?"
    r"(?:,?\s*(?i:apt|apartment|unit|flat|suite)\.?\s*\w+)?"
    rf"(?:{_POSTCODE_TOWN})?(?:,?\s*[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?)?"
    rf"|\b(?:[A-Z][\w'-]*)(?:strasse|straße|str\.|weg|gasse|platz|allee|ring|damm|{_COMPOUND_STREET}"
    rf"|-(?:Straße|Strasse|Gasse|Weg|Platz|Allee|Ring|Damm))\s+\d{{1,4}}[a-z]?(?:/\d{{1,4}}[a-z]?)?\b"
    rf"(?:{_POSTCODE_TOWN})?"
    # "Andrićeva ulica 96", "Hrvaška ulica 5c", "Voćarsko naselje 3": the street word after the name
    rf"|\b[A-Z][\w'-]+\s+(?i:ulica|ulice|cesta|utca|iela|gatve|naselje|trg|sokak|sokağı|caddesi)\s+\d{{1,4}}[a-z]?(?:/\d{{1,4}}[a-z]?)?\b"
    # Colombian addresses: "Calle 71 # 79-62 Este", "Cr. 114 # 77-7", "Carrera 30E Bis # 95-43 Sur"
    r"|\b[A-Z][\w.]*(?:[ \t]+[a-z]+)?[ \t]+\d{1,3}[A-Z]?(?:[ \t]+Bis)?[ \t]*#[ \t]*\d{1,3}[A-Z]?-\d{1,3}\b"
    r"(?:[ \t]+(?:Sur|Este|Norte|Oeste)\b)?"
    rf"|\b[A-Z][\w'-]+(?:er)?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Allé|Vej|Gade|Plads|Straat|Laan|Plein)"
    r"\s+\d{1,4}[a-z]?\b"
    rf"(?:{_POSTCODE_TOWN})?"
    rf"|\b\d{{1,4}}(?:\s*(?i:bis|ter|quater)\b|[A-Da-d]\b)?,?\s+(?i:rue|avenue|av\.|boulevard|bd|calle|c/|via|viale|piazza|avenida|avda\.?|rua|travessa|"
    rf"praça|largo|plaza|paseo|chemin|allée|impasse|place)\s+(?:[\w'-]+\s?){{1,4}}(?:{_POSTCODE_TOWN})?"
    # Québec: "2046 rang Bisson", "354 route Agnès", "54633 montée Vézina" (a capitalised name after)
    rf"|\b\d{{1,5}},?\s+(?:route|rang|montée|allé|côte|ruelle|croissant|terrasse|promenade|sentier)\s+[{UP}][\w'-]+"
    rf"(?:\s+[{UP}][\w'-]+)?"
    # the street word in lower case, as Spanish, Portuguese and French write it mid-sentence ("en la
    # calle Goya 14", "na rua Augusta 210"); not "via", which English uses ("paid via Stripe 2 times")
    rf"|(?:\bC/\s*|\b(?:rua|avenida|travessa|praça|largo|calle|avda\.?|plaza|paseo|carrer|rue|boulevard|chemin|allée|"
    rf"impasse)\s+|\b(?:Rua|Avenida|Av\.|Travessa|Praça|Largo|Calle|Avda\.?|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|"
    rf"Rue|Boulevard|Chemin|Allée|Impasse|(?i:ul|al|os)\.|(?i:ulica|aleja|osiedle)|Strada|Calea|Aleea|Bulevardul|Splaiul|"
    rf"Intrarea|Vicolo|Rotonda|Borgo|Contrada|Piazzale|Stradella|Jalan|Jl\.|Carrera|Cuesta|Ronda|Camino|Viaducto|"
    rf"Alameda|Esplanada|Passarela|Rodovia|Estrada|Ladeira|Quadra|Privada|Ampliación|Diagonal|Vial)\s+)(?:(?:de|da|do|dos|das|del|de la|des|du|di|della)\s+)?"
    rf"[A-Z][\w'-]*(?:\s+(?:de\s+|da\s+|do\s+|del\s+)?[A-Z][\w'-]*){{0,3}},?\s*(?:n\.?[º°o]\.?\s*|(?:Nr|No)\.?\s*)?\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}}[A-Za-z]?)?\b"
    rf"(?:,?\s*\d{{1,2}}\.?[º°ªoa]\.?(?:\s*(?:[A-Z]{{1,3}}|{_SIDE})\b\.?)?)?(?:{_BR_UNIT})*(?:{_POSTCODE_TOWN})?"
    r"|\b(?:Flat|Apt|Apartment)\.?\s+#?\d{1,4}[A-Z]?\b"
)
# The same typed in lower case after its flat or unit: "outside flat 34, 97 harbour view".
LOWER_UNIT_STREET = re.compile(
    rf"\b(?i:flat|apt|apartment|unit|suite)\.?[ \t]*#?\d{{1,4}}[a-z]?,?[ \t]+\d{{1,5}}[a-z]?,?[ \t]+"
    rf"(?:[a-z][\w'’-]*[ \t]+){{1,3}}{_STREET_WORD}\b"
)
# "House no. 12, Sector 15, Noida 201301", "Flat 302, Sai Residency, Koramangala, Bengaluru 560034".
IN_ADDRESS = re.compile(
    r"\b(?i:house|h\.?\s?no|plot|door|flat|shop|villa)\.?\s*(?i:no\.?|number|#)?\s*[\w/-]{1,6}"
    r"(?:,\s*[\w .'/-]{2,40}?){1,4},?\s*(?:-\s*)?\d{3}\s?\d{3}\b"
)
# A house number and street after a word that says where someone lives or gets post, in any
# spelling and with no street word: "delivery to 14 Lý Thường Kiệt", "I live at 9 Kanalvej".
ADDRESS_CUE = re.compile(
    r"(?:\b(?i:deliver(?:y|ed|ies|ing)?|ship(?:ped|ping)?|sen[dt]|post(?:ed)?|live[sd]?|living|moved|reside[sd]?)"
    r"(?:[ \t]+\w+){0,3}?[ \t]+(?i:to|at|is|in)[ \t]+|\b(?i:address)[ \t]*:[ \t]*)"
    rf"(\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})?,?[ \t]+[{UP}][\w'’-]*(?:[ \t]+[{UP}][\w'’-]*){{0,3}}"
    rf"(?:[ \t]+\d{{1,4}}\b)?(?:{_POSTCODE_TOWN})?)"
)
# The street before its number, as most of Europe writes it ("delivery to Pernecká 84", "I live at
# Nagykanizsai tér 89"), after the same cues and "reached"; not a count or a year ("moved to Berlin 2 years ago", "moved to Revolut 2023").
ADDRESS_CUE_NAME_FIRST = re.compile(
    r"\b(?i:deliver(?:y|ed|ies|ing)?|ship(?:ped|ping)?|sen[dt]|post(?:ed)?|live[sd]?|living|moved|reside[sd]?|"
    r"reach(?:ed|es)?)(?:[ \t]+\w+){0,3}?[ \t]+(?:(?i:to|at|is|in|on)[ \t]+)?"
    rf"([{UP}][\w'’-]+(?:[ \t]+[\w'’-]+){{0,2}}?[ \t]+(?!(?:19|20)\d\d\b)\d{{1,4}}[a-z]?(?:/\d{{1,4}}[a-z]?)?\b\.?)"
    r"(?![ \t]*(?:%|\+|[.,]\d|(?i:times?|years?|yrs?|months?|weeks?|days?|hours?|mins?|minutes?|x|pm|am|"
    r"gb|mb|tb|kg|km|miles?|euros?|pounds?|dollars?|people|users|seats|accounts|items|orders|parcels)\b))"
)
# A plot or house number with the estate and block after it: "Plot 14, Block C, Gwarinpa Estate".
PLOT_ADDRESS = re.compile(
    r"\b(?i:plot|house)[ \t]+(?i:no\.?[ \t]*)?\d{1,5}[A-Za-z]?"
    r"(?:,[ \t]*[A-Z0-9][\w'’-]*(?:[ \t]+[A-Z0-9][\w'’-]*){0,3}){1,3}"
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
# "ZIP 10027", "CEP 01310-100", "PLZ 10115", "PIN 400076" (India), "postal code M5V 2T6".
POSTCODE_CUE = re.compile(
    r"(?i)\b(?:zip(?: ?code)?|post ?code|postal code|eircode|plz|postleitzahl|cep|code postal|"
    r"c[óo]digo postal|c\.p\.|pin(?: ?code)?|pincode)\s*(?:is|was|es|ist|est|é|:|=|#)?\s*"
    r"(\d{5}-\d{3,4}|(?-i:[A-Z0-9]{2,4}[ -]?[A-Z0-9]{3,4})|\d{3}[ -]?\d{2,3}|\d{4}[ ]?(?-i:[A-Z]{2})|\d{4})\b"
)
# An Eircode ("D02 X285", "A65 F4E2": routing key, then letters and digits mixed) or a Canadian
# postal code ("M5V 2T6") is specific enough to need no cue.
EIRCODE = re.compile(
    r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?(?=[0-9A-Z]*[A-Z])(?=[0-9A-Z]*\d)[0-9AC-FHKNPRTV-Y]{4}\b"
)
CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b")

# A postcode right after an address found above: "ulica Staszica 48/78, 51-150", "Genvägen 16, 274 39".
_POSTCODE_SHAPE = r"(?:\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{4}[ ]?[A-Z]{2}|[A-Z]{1,2}-?\d{4,5}|\d{4,6})"
# ... after the flat, floor or building: "Piazza Luciana, 15 Piano 7, 23821", "Privada Guatemala 895
# Edif. 404 , Depto. 653", "Strada Nistor Nr. 82 Bl. 55 Sc. 90 Ap. 775", "118 Oshodi Lock Apt. 160".
_UNIT_TAIL = (
    r"(?:[ \t]*,?[ \t]*(?-i:(?i:apt|apartment|suite|unit|flat|piano|appartamento|interno|int|scala|puerta|piso|planta|"
    r"edif|depto|dpto|bl|sc|ap|et|etaj|andar|bloco|casa|sala)\.?[ \t]*\d{1,5}[A-Za-z]?\b))*"
)
# A Brazilian address's tail: " - neighbourhood, city - state, CEP" after the street and number.
BR_TAIL = re.compile(
    rf"[ \t]*[-–][ \t]*[{UP}][\w'’. -]{{1,40}}?,[ \t]*[{UP}][\w'’. -]{{1,40}}?[ \t]*[-–/][ \t]*[A-Z]{{2}}\b"
    r"(?:,?[ \t]*(?:CEP:?[ \t]*)?\d{5}-?\d{3}\b)?"
)
POSTCODE_AFTER = re.compile(rf"{_UNIT_TAIL}(?:,?[ \t]*{_POSTCODE_SHAPE}\b(?:[ \t]+{_TOWN})?)?")
# A street with no street word, told by the postcode after it: "Budčická 242, 548 57", "Požiarnická 2,
# 876 74 Košice"; the postcode must be one of five digits or of a known shape (not "Plan 12, 2023").
STREET_BEFORE_POSTCODE = re.compile(
    rf"(?=(\b[{UP}][\w'’-]+(?:[ \t]+[\w'’.-]+){{0,3}}[ \t]+\d{{1,4}}[a-z]?(?:/\d{{1,4}}[a-z]?)?\b,?[ \t]*"
    r"(?:\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{4}[ ]?[A-Z]{2}|\d{5})\b(?![ \t]?\d)))"
)

# What lies between two parts of one address: house numbers and capitalised words, with commas
# ("Flat 2[, 17 Kingsway, Cardiff] CF10 3AT"); a lower-case word ("not", "and", "instead of") ends it.
_ADDRESS_GAP = re.compile(
    rf"[ \t]*(?:,[ \t]*)?(?:(?:\d{{1,5}}[A-Za-z]?|[{UP}][\w'’.-]*)[ \t]*(?:,[ \t]*)?){{1,6}}"
)


# An address written as numbered parts, one of them a street or building word, then its town:
# "Villa 27, Street 14, Al Barsha 2, Dubai", "Block 5, Sector 12, Noida". The look-ahead for that
# word reads no further than the five parts a match takes, so a long run of "Xx 1, " stays linear.
_PART = rf"[{UP}][\w'’-]*(?:[ \t]+[{UP}][\w'’-]*)?[ \t]+\d{{1,4}}[A-Za-z]?"
_PART_WORD = (
    r"(?i:street|st|road|rd|avenue|ave|lane|villa|block|blk|building|bldg|flat|apt|apartment|unit|house|"
    r"sector|plot|zone|district|floor|tower|phase|compound|estate|jadde|way)"
)
NUMBERED_PARTS = re.compile(
    rf"(?=(?:{_PART},[ \t]*){{0,4}}{_PART_WORD}[ \t]+\d)(?:{_PART},[ \t]*){{1,4}}{_PART}(?:,[ \t]*[{UP}][\w'’-]+){{0,2}}"
)
# A postcode and town after a comma that ends an address: ", Kadıköy 34710 İstanbul", ", 10115 Berlin".
COMMA_POSTCODE_TOWN = re.compile(
    rf",[ \t]*((?:[{UP}][\w'’-]+[ \t]+)?(?!(?:19|20)\d\d\b)\d{{4,5}}[ \t]+[{UP}][\w'’-]+)"
)
# A postcode alone where goods are sent: "shipping to 60614 took 12 days", "delivered to 1011 AB".
SHIPPED_POSTCODE = re.compile(
    r"\b(?i:ship(?:s|ped|ping)?|deliver(?:s|y|ed|ies|ing)?|post(?:s|ed|ing)?|sen[dt]|send(?:s|ing))[ \t]+"
    r"(?:(?:it|them|everything|parcels|orders|boxes)[ \t]+)?(?i:to)[ \t]+"
    r"(\d{5}(?:-\d{4})?|\d{4}[ \t]?[A-Z]{2}|\d{2}-\d{3}|\d{4}-\d{3})(?![\w%.,])"
)
# The parts of an address before the part found, back to the word that introduced it: "to
# [5 Ffordd y Parc, Caernarfon] LL55 1RT", "at [Unit 4B, Harbour Exchange, London] E14 9GE",
# "home [Moda Cad. No:48 D:5,] Kadıköy 34710 İstanbul": numbers, capitalised words and the
# particles of street names, with commas.
_PARTS_BEFORE = re.compile(
    rf"(?<=[{LO}:][ \t])(?:(?:\d{{1,5}}[A-Za-z]?|[{UP}][\w'’.:-]*|(?:y|de|da|do|del|la|le|du|van|von|am|an)(?=[ \t]+[{UP}]))"
    r"[ \t]*,?[ \t]*){1,8}$"
)


def widen_address_back(text: str, spans: list[Span]) -> list[Span]:
    """Add to each address the parts before it back to the word that introduced it, when a number
    is among them (a house or unit number; "to London E14 9GE" stays as it is)."""
    out = list(spans)
    for start, end, tag in spans:
        if tag != "ADDRESS":
            continue
        before = _PARTS_BEFORE.search(text, max(0, start - 80), start)
        if before and _ANY_DIGIT.search(before.group()):
            words = re.findall(r"[^\W\d_][\w'’-]*", before.group())
            if not any(is_plain_brand(w) for w in words):
                out.append((before.start(), end, "ADDRESS"))
    return out


def join_address_parts(text: str, spans: list[Span]) -> list[Span]:
    """Add the stretch between two address spans when only numbers and capitalised words lie between."""
    parts = sorted((s, e) for s, e, tag in spans if tag == "ADDRESS")
    joined = [
        (start, parts[i + 1][1], "ADDRESS")
        for i, (start, end) in enumerate(parts[:-1])
        if 0 < parts[i + 1][0] - end <= 50 and _ADDRESS_GAP.fullmatch(text, end, parts[i + 1][0])
    ]
    return spans + joined


# Usernames and handles: "username jdoe_88", "@dana.w", "gamertag x_wolf99", "login (j.ferreira)".
USERNAME = re.compile(
    r"(?i)\b(?:username|user name|user id|userid|login|log-in|(?:logged|signed|log|sign) in as|handle|gamertag|screen name|usuario|usuário|"
    r"utilizador|nombre de usuario|nome de usu[áa]rio|benutzer(?:name)?|nom d'utilisateur|identifiant|pseudo|my id|"
    r"snap(?:chat)?|insta(?:gram)?|ig|tiktok|twitter|telegram|skype|discord|wechat|kik|line id)"
    # the handle may stand in brackets after its cue: "my login (nik_the_greek)", "the logins (marisol.b / ...)"
    r"s?\s*(?:is|was|es|era|ist|lautet|est|é|:)?\s*(?:\((?!e\.g|i\.e)\s*)?(@?[\w-]*(?:[\d_]|\.(?=\w))[\w.-]*)"
    r"|(?<![\w@])@[A-Za-z_][\w.]{2,}\b|\b[A-Za-z]+_[\w]*\d[\w]*\b|(?<![\w/])u/[A-Za-z0-9][\w-]{2,}"
)

# A user name of letters only after a cue that names nothing else: "my username is sandraraes",
# "Login mackolubor - close it" (with no "is" or colon, only before punctuation: not "login locks me
# out"); words customers use are left ("login page").
USERNAME_WORD = re.compile(
    r"\b(?i:username|user name|user id|userid|login|log-in|gamertag|screen name|usuario|usuário|utilizador|"
    r"nombre de usuario|nome de usu[áa]rio|benutzername|nom d'utilisateur|identifiant|pseudo|"
    # a social network's name and a colon or "is": "find me on tiktok: mayathebaker"
    r"tiktok|instagram|insta|snapchat|snap|twitter|telegram|discord|threads|bluesky|twitch)"
    r"(?:[ \t]*(?:(?i:is|was|es|era|ist|lautet|est|é)[ \t]+|[ \t]*[:=][ \t]*)([a-z]{4,30})\b(?![@.]\w)"
    # inner capitals, after a cue naming only the account ("username xXGhostPandaXx"; not "my login MyFitnessPal")
    r"|(?<!(?i:login))(?<!(?i:log-in))[ \t]+(?:(?i:is|was)[ \t]+)?((?=[A-Za-z]*[a-z][A-Z])[A-Za-z]{4,30})\b(?![@.]\w)"
    r"|[ \t]+([a-z]{4,30})(?=[ \t]*(?:[-–—,;.)]|$)))"
)

# A handle after the word for the account, in lower case with "_" or a digit joined to it:
# "my account ama_serwaa_k", "Our account is acme-shop-224" (not "v2.3" or "e-mail").
ACCOUNT_HANDLE = re.compile(
    r"\b(?i:account|acct|profile|username|handle)(?:[ \t]+(?i:name|id))?[ \t]*"
    r"(?:(?i:is|was)[ \t]+|[:=][ \t]*)?"
    r"((?=[a-z0-9.-]*_|[a-z._-]*\d)[a-z][a-z0-9]*(?:[_.-][a-z0-9]*)*[a-z0-9])\b(?![@.]\w)"
)
_VERSION = re.compile(r"v?\d+(?:\.\d+)*")
# A handle in mixed case joined by "_" after the word for the account, a gaming network or a
# marketplace's seller: "my main account xX_Dragonslayer_Xx", "PSN: xX_Dragomir_Xx", "Seller vintage_vera".
ACCOUNT_UNDERSCORE = re.compile(
    r"\b(?i:account|acct|profile|username|handle|gamertag|tag|ign|channel|psn|xbox|steam|seller|buyer|player)[ \t]*(?:(?i:is|was)[ \t]+|[:=][ \t]*)?"
    r"([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)\b"
)
# The groups of a long number after the part a pattern took: "konto [61 1090 1014 0000 0712] 1981 2874".
_MORE_GROUPS = re.compile(r"(?:[ ]\d{2,4})+(?![\w.,/-]\w)")

_DATE = re.compile(r"(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d")


# A number read out in words: "oh seven seven double oh nine ...", "cinco cinco cinco, cero uno".
_DIGIT_WORDS = (
    "zero oh nought nil one two three four five six seven eight nine "
    "cero uno dos tres cuatro cinco seis siete ocho nueve "
    "zéro un deux trois quatre cinq six sept huit neuf "
    "null eins zwei drei vier fünf sechs sieben acht neun "
    "um dois três quatro sete oito nove"
).split()
_DIGIT = rf"(?:(?:double|triple|doble|triplo|duplo|doppel)[ -]?)?(?:{'|'.join(_DIGIT_WORDS)})"
SPOKEN_NUMBER = re.compile(rf"(?i)(?<![\w-]){_DIGIT}(?:[ ,.-]{{1,3}}{_DIGIT}){{6,}}(?![\w-])")


def _spoken_digits(run: str) -> int:
    """How many digits a number read out in words has ("double oh" is two)."""
    words = re.findall(r"[^\W\d_]+", run.lower())
    return (
        sum(
            3 if w in ("triple", "triplo") else 2 if w in ("double", "doble", "duplo", "doppel") else 0
            for w in words
        )
        + sum(w in _DIGIT_WORDS for w in words)
        - sum(w in ("double", "triple", "doble", "triplo", "duplo", "doppel") for w in words)
    )


# What every match of SPELLED_EMAIL holds: "at" (or "arroba", ...) in brackets or between spaces.
_AT_WORD = re.compile(
    r"(?i)[\[({](?:at|arroba|arobase)[\])}]|\s(?:at|arroba|arobase|chiocciola|klammeraffe)\s"
)
_ANY_DIGIT = re.compile(r"\d")
# What a USERNAME match without a digit holds: "@", "_", "u/" or a dot inside a word.
_HANDLE_MARK = re.compile(r"[@_/]|\.\w")


def _user_word(word: str) -> bool:
    """Can a word before a spelled-out host be an e-mail's user part: a given name, or no word of
    English ("sarah", "jdoe"; not "cheaper" or "it")?"""
    low = word.lower()
    if low in given_names_lower():
        return True
    return not english_word(low, nouns=True) and not common_lower(low) and not is_plain_brand(word)


def _luhn_like(digits: str) -> bool:
    return 13 <= len(digits) <= 19


def contact_spans(text: str) -> list[Span]:
    """Find emails, URLs, card/account/order numbers, phone numbers and street addresses."""
    spans: list[Span] = []
    if "@" in text:
        spans += [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
    if _AT_WORD.search(text):
        spans += [(m.start(), m.end(), "EMAIL") for m in SPELLED_EMAIL.finditer(text)]
        spans += [
            (m.start(), m.end(), "EMAIL") for m in SPELLED_HOST_EMAIL.finditer(text) if _user_word(m.group(1))
        ]
    digits = _ANY_DIGIT.search(text) is not None  # most answers have none, and most patterns need one
    if digits:
        spans += [(m.start(), m.end(), "ADDRESS") for m in PO_BOX.finditer(text)]
    spans += [
        (m.start(), m.end(), "PHONE") for m in SPOKEN_NUMBER.finditer(text) if _spoken_digits(m.group()) >= 7
    ]
    spans += [(m.start(), m.end(), "URL") for m in URL.finditer(text)]
    if digits:
        spans = _numbered_spans(text, spans)
    for m in USERNAME.finditer(text) if digits or _HANDLE_MARK.search(text) else ():
        g = 1 if m.group(1) else 0
        spans.append((m.start(g), m.end(g), "ACCOUNT"))
    for m in ACCOUNT_HANDLE.finditer(text):
        if len(m.group(1)) >= 5 and not _VERSION.fullmatch(m.group(1)):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    spans += [(m.start(1), m.end(1), "ACCOUNT") for m in ACCOUNT_UNDERSCORE.finditer(text)]
    for m in USERNAME_WORD.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i))
        if not common_lower(m.group(g).lower()) and not is_plain_brand(m.group(g)):
            spans.append((m.start(g), m.end(g), "ACCOUNT"))
    return _longer_numbers(text, widen_address_back(text, join_address_parts(text, spans)))


def _longer_numbers(text: str, spans: list[Span]) -> list[Span]:
    """A card, account or phone number grown over the digit groups right after it: a Polish NRB
    ("61 1090 1014 0000 0712 1981 2874") is longer than a card, and a card pattern stops at 19 digits."""
    out = list(spans)
    for start, end, tag in spans:
        if tag in ("CARD", "ACCOUNT", "PHONE") and text[end - 1 : end].isdigit():
            more = _MORE_GROUPS.match(text, end)
            if more and re.search(r"\d{2,4}[ ]\d{2,4}$", text[start:end]):  # written in groups itself
                out.append((start, more.end(), tag))
    return out


def _numbered_spans(text: str, found: list[Span]) -> list[Span]:
    """``found`` and the contact data that needs a digit: IBANs, cards, account and order numbers,
    street addresses and postcodes, phones (each pattern here has a digit in every match)."""
    spans = list(found)
    spans += [(m.start(), m.end(), "ACCOUNT") for m in IBAN.finditer(text)]
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if _luhn_like(digits) and not text[: m.start()].endswith("+"):  # "+49 151 ..." is a phone
            spans.append((m.start(), m.end(), "CARD"))
    for m in ACCOUNT_CUE.finditer(text):
        value = m.group(1).rstrip(" -")
        if not _code_value(value) and (whole := _WHOLE_CODE.match(text, m.start(1))):
            value = whole.group()  # "Order [30]-44192/UK": the number's first group alone is too short
        if _code_value(value):
            spans.append((m.start(1), m.start(1) + len(value), "ACCOUNT"))
    spans += [(m.start(1), m.end(1), "CARD") for m in CARD_ENDING.finditer(text)]
    for m in LAST_DIGITS.finditer(text):
        if not m.group(1) and (
            len(m.group(2)) != 4 or _COUNT_AFTER.match(text, m.end(2)) or _noun_count(text, m.end(2))
        ):
            continue  # "ends with 100 users", "ending in 2500 complaints": a count, not a card's last four
        # "contract ending in 2025" is a year; "card ending 2024" or "last four 2024" are digits
        before = text[max(0, m.start() - 30) : m.start()]
        if m.group(1) or not _YEAR.fullmatch(m.group(2)) or _CARD_BEFORE.search(before):
            spans.append((m.start(2), m.end(2), "CARD"))
    spans += [(m.start(1), m.end(1), "CARD") for m in MASKED_CARD.finditer(text)]
    spans += [(m.start(1), m.end(1), "CARD") for m in CARD_WORD_DIGITS.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in SORT_CODE.finditer(text)]
    spans += [(m.start(), m.end(), "PHONE") for m in SHORT_PHONE.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in STREET.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in LOWER_UNIT_STREET.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in UK_POSTCODE.finditer(text)]
    for m in ADDRESS_CUE.finditer(text):
        words = re.findall(r"[^\W\d_][\w'’-]*", m.group(1).split(",")[0])
        if not any(common_lower(w.lower()) or is_plain_brand(w) or w in NOT_NAMES for w in words):
            spans.append((m.start(1), m.end(1), "ADDRESS"))
    done = 0  # candidates overlap ("I moved to Hercegovačka 6b/4, 07249"): the first clean one wins
    for m in STREET_BEFORE_POSTCODE.finditer(text):
        words = re.findall(r"\b[^\W\d_][\w'’-]*", m.group(1))  # not the "b" of "6b/4"
        if m.start(1) >= done and not any(
            common_lower(w.lower()) or is_plain_brand(w) or w in NOT_NAMES for w in words
        ):
            spans.append((m.start(1), m.end(1), "ADDRESS"))
            done = m.end(1)
    for start, end, _ in [s for s in spans if s[2] == "ADDRESS"]:
        after = POSTCODE_AFTER.match(text, end)
        if after and after.end() > end:
            spans.append((start, after.end(), "ADDRESS"))
        br = BR_TAIL.match(text, end)  # "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200"
        if br:
            spans.append((start, br.end(), "ADDRESS"))
    for m in ADDRESS_CUE_NAME_FIRST.finditer(text):
        words = re.findall(r"\b[^\W\d_][\w'’-]*", m.group(1))
        if not any(
            common_lower(w.lower()) or is_plain_brand(w) or w in NOT_NAMES or w in PLACES for w in words
        ):
            spans.append((m.start(1), m.end(1), "ADDRESS"))
    for m in SHIPPED_POSTCODE.finditer(text):
        count = _COUNT_AFTER.match(text, m.end(1))
        counted = (count and not english_verb(count.group().strip())) or _noun_count(text, m.end(1))
        if not counted:  # "shipping to 10000 customers" and "sent to 12345 people" count them
            spans.append((m.start(1), m.end(1), "ADDRESS"))
    for m in COMMA_POSTCODE_TOWN.finditer(text):
        if not english_word(m.group(1).split()[-1], nouns=True):  # not ", 34710 Euros"
            spans.append((m.start(1), m.end(1), "ADDRESS"))
    for pattern in (EIRCODE, CA_POSTCODE, IN_ADDRESS, PLOT_ADDRESS, NUMBERED_PARTS):
        spans += [(m.start(), m.end(), "ADDRESS") for m in pattern.finditer(text)]
    for m in POSTCODE_CUE.finditer(text):
        if any(ch.isdigit() for ch in m.group(1)):
            spans.append((m.start(1), m.end(1), "ADDRESS"))
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 8 <= len(digits) <= 15 and not _DATE.fullmatch(m.group()):
            ext = _EXTENSION.match(text, m.end())
            spans.append((m.start(), ext.end() if ext else m.end(), "PHONE"))
    spans += [
        (m.start(), m.end(), "ACCOUNT")
        for m in MIXED_ID.finditer(text)
        if not _ERROR_BEFORE.search(text, max(0, m.start() - 30), m.start())  # "Error code E-4012"
    ]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in LONG_DIGITS.finditer(text)]
    spans += [(m.start(), m.end(), "ACCOUNT") for m in HASH_NUMBER.finditer(text)]
    return spans
