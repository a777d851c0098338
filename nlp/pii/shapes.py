"""Names told by the shape of the sentence around them, whatever the name (issue 17, tenth round).

A blind writer's misses shared no name list but a handful of shapes: a person thanked for
something ("Cheers Ngaio for sorting the refund"), a name in apposition with a role ("Dawn, the
trainer, left"), lower-case names before their department ("bill from sales and hope from
onboarding"), a lower-case name owning something or introducing the writer ("aoife's phone",
"kayode here."), an initial and a surname mid-sentence ("sent my statement to K. Abubakar"), a
name before its account details in brackets ("Rohan (account 33019)") and the handle in brackets
after a name ("Zhang Wei (zhangwei88)"). The shape is the evidence, so the name need not be
known; each rule still asks that the words be no brand and no word customers use, or, for a
name that is also a word ("bill", "hope", "Dawn"), that the shape leave no other reading.
"""

from __future__ import annotations

import functools
import re

from ..languages import guess_language
from .brands import is_plain_brand
from .closings import CLOSING
from .families import family_names
from .letters import LO, UP
from .lowercase import LOWER_NAME_WORD, common_lower, lower_given, word_shaped
from .names import FULL_NAME, NAME_WORD
from .slots import person_word
from .spans import Span
from .words import AMBIGUOUS_GIVEN, COMPANY_SUFFIXES, GREETED, NOT_NAMES, PLACES, given_names, word_names

# Where a name is one piece of a sentence: its start, after a clause's punctuation, "and" or "but".
_OPENS = r"(?:^|[.!?;]\s+|\n\s*|,[ \t]+|\b(?:and|but)[ \t]+|&[ \t]*)"
# Teams a colleague works in: "Will from support", "hope from onboarding".
_TEAMS = (
    r"support|billing|sales|onboarding|accounts|finance|HR|IT|marketing|retentions?|complaints|"
    r"collections|cancellations|renewals|dispatch|logistics|customer (?:service|support|care|success)|"
    r"tech(?:nical)? support|(?:the )?help ?desk|reception|the front desk|[a-z]+ (?:team|department|dept)"
)
# Places a person works at ("mark at the store"): for a name that is also a word only a team will
# do ("bill from the store" is an invoice).
_SITES = r"the (?:store|shop|branch|office|depot|warehouse|gym|desk|counter|till|door|gate)|your (?:team|office|store|shop|branch|call cent(?:re|er))"
# Who was spoken to, asked or dealt with: "spoke to grace in billing", "asked bill from sales".
_CONTACTED = r"\b(?:to|with|asked|ask|ask for|asked for|by|got|called)[ \t]+"
LOWER_DEPT_NAME = re.compile(
    rf"(?:{_OPENS}|{_CONTACTED})([{LO}]{{2,}}|{NAME_WORD})[ \t]+(?:from|in|at)[ \t]+(?:the[ \t]+)?(?:({_TEAMS})|{_SITES})\b"
)
# The same anywhere in a sentence, for a name that is no word: "i've asked gareth in support".
LOWER_NAME_IN_TEAM = re.compile(
    rf"(?<![\w'’-])([{LO}]{{3,}})[ \t]+(?:from|in|at)[ \t]+(?:the[ \t]+)?(?:{_TEAMS}|{_SITES})\b"
)
# Words of the four languages that stand before "de"/"du" with a team and are no one: "trabajo de
# soporte", "personne du service client", "Mitarbeiter vom Kundendienst".
_FUNCTION_OTHER = frozenset(
    "personne quelqu'un quelqu’un conseiller conseillère agent équipe alguien nadie persona chica chico "
    "señor señora señorita gente trabajo llamada alguém pessoa moça moço senhor senhora pessoal "
    "jemand niemand mitarbeiter mitarbeiterin kollege kollegin dame herr frau leute anruf chef chefin".split()
)
# Months and seasons that are also given names: "and june at the store" may be a date.
_TIMES = frozenset("april may june july august summer autumn winter spring".split())
# The same in es/fr/pt/de, where the team follows the name with "of the": "Zé da manutenção",
# "julien du service client", "Dariusz vom Kundendienst", "Rocío de atención al cliente".
_TEAMS_OTHER = (
    r"service (?:client(?:s|[èe]le)?|technique|apr[èe]s-vente|commercial|comptable|facturation)|sav|"
    r"support|accueil|comptabilit[ée]|facturation|standard|recouvrement|magasin|agence|boutique|"
    r"soporte|atenci[óo]n al cliente|servicio (?:t[ée]cnico|al cliente|de atenci[óo]n)|recepci[óo]n|"
    r"contabilidad|facturaci[óo]n|tienda|sucursal|almac[ée]n|mantenimiento|ventas|cobros|bajas|"
    r"suporte|atendimento|sac|manuten[çc][ãa]o|rece[pç]?[çc][ãa]o|portaria|loja|ag[êe]ncia|financeiro|"
    r"fatura(?:mento|[çc][ãa]o)|cobran[çc]a|vendas|balc[ãa]o|armaz[ée]m|contabilidade|"
    rf"(?:departamento|d[ée]partement|setor|sector) [{LO}]+|"
    r"kundendienst|kundenservice|kundenbetreuung|service|vertrieb|buchhaltung|empfang|technik|lager|"
    r"filiale|hotline|kasse|abrechnung|inkasso|au[ßs]endienst"
)
NAME_OF_TEAM_OTHER = re.compile(
    rf"(?<![\w'’-])({NAME_WORD}|[{LO}]{{2,}})[ \t]+"
    r"(?:du|de la|de l['’]|des|del|de|da|do|dos|das|vom|von der|aus der|aus dem|im|in der|am)[ \t]*"
    rf"(?i:{_TEAMS_OTHER})(?![\w-])"
)
# A lower-case known given name between commas ("my ex, daniel, still has access", "la chica de
# la tienda, lucía, fue"), or after its article in pt/es/de before a comma or what a person did
# ("principalmente a jéssica, foi ótimo", "la lucía me atendió"): no word customers use. The
# letters around are looked at, not taken, so each name of a list is read ("ana, daniel, pedro, and").
LOWER_BETWEEN_COMMAS = re.compile(
    rf"(?<=[{LO}]),[ \t]+([{LO}]{{3,}}(?:-[{LO}]{{3,}})?)(?:[ \t]+({LOWER_NAME_WORD}))?[ \t]*(?=,[ \t]+[{LO}])"
)
LOWER_ARTICLE_NAME = re.compile(
    rf"(?:^|[.!?,;]\s+|\b(?:que|e|y|com|con|und|mit|principalmente|sobretudo|especialmente|sobre todo|"
    rf"sobretodo)[ \t]+)(?:a|o|la|el|der|die)[ \t]+([{LO}]{{3,}})"
    r"(?=[ \t]*[,;.!?)]|[ \t]+(?:foi|era|é|fue|es|war|ist|hat|me|nos|disse|dijo|atendeu|atendi[óo]|sagte)\b)"
)
# A lower-case name owning something as a sentence opens: "aoife's phone is ...".
LOWER_POSSESSIVE = re.compile(rf"(?:^|[.!?]\s+|\n\s*)([{LO}]{{3,}})['’]s[ \t]+[{LO}]")
# A lower-case name introducing the writer at the start: "kayode here.", "hi, tomasz here -"; an
# unknown word only before a full stop, dash or colon ("newbie here, ..." describes the writer).
LOWER_HERE = re.compile(
    rf"(?:^|\n)\s*(?:(?i:hi|hello|hey|hiya|yo)[ \t]*[,!]?[ \t]+)?([{LO}]{{3,}})[ \t]+here\b(?=[ \t]*(?:([,!;])|[.:\-–—]|$))"
)
# The same with a surname: "joão pedro here, the app is slow".
LOWER_HERE_TWO = re.compile(
    rf"(?:^|\n)\s*(?:(?i:hi|hello|hey|hiya|yo)[ \t]*[,!]?[ \t]+)?([{LO}]{{3,}})[ \t]+([{LO}]{{2,}})[ \t]+here\b"
    r"(?=[ \t]*(?:[,!;.:\-–—]|$))"
)
# A lower-case introduction of one or two words before a bracket or comma: "it's lil jay (...)".
LOWER_INTRO_TWO = re.compile(
    rf"(?:^|\n)\s*(?:(?i:hi|hello|hey|hiya)[ \t]*[,!]?[ \t]*)?(?i:it'?s|it is|this is|i'?m|i am)[ \t]+"
    rf"([{LO}]{{2,}}[ \t]+[{LO}]{{2,}})(?=[ \t]*[(,])"
)
# A person thanked or addressed for something: "Cheers Ngaio for sorting it", "Thanks Sunny for trying".
THANKED_FOR = re.compile(
    rf"\b(?i:thank you|thanks|thx|ty|cheers|ta|kudos|props|shout[- ]?out to)[ \t]*,?[ \t]+({NAME_WORD})[ \t]*,?[ \t]+for\b"
)
# The same typed in lower case, for a known given name: "thanks ngaio for", "cheers tomasz,".
LOWER_THANKED = re.compile(
    rf"\b(?i:thank you|thanks|thx|cheers|sorry)(?:[ \t]+(?i:to|again))?[ \t]*,?[ \t]+([{LO}]{{3,}})"
    r"(?=[ \t]*(?:,|!|\.|\bfor\b|\band\b|\bon\b|\bin\b|$))"
)
# Anyone addressed after an apology or thanks, then a comma: "Sorry Xiadani, not your fault".
ADDRESSED_ANY = re.compile(
    rf"(?:^|[.!?]\s+|\n\s*)(?i:thank you|thanks|thx|sorry|cheers)[ \t]+({NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})(?=[ \t]*[,!])"
)
# Roles a name can stand in apposition with: "Dawn, the trainer, left", "Kofi, our installer,".
_ROLES = (
    r"agent|rep|representative|advisor|adviser|technician|driver|courier|installer|engineer|trainer|coach|"
    r"instructor|teacher|tutor|manager|supervisor|colleague|assistant|receptionist|cashier|nurse|doctor|"
    r"landlord|landlady|owner|founder|director|ceo|cto|cfo|accountant|consultant|specialist|operator|"
    r"salesperson|sales rep|saleswoman|salesman|account manager|case handler|therapist|stylist|physio|"
    r"caretaker|cleaner|concierge|plumber|electrician|builder|mechanic|gardener|painter|decorator|locksmith|"
    r"handyman|carpenter|roofer|fitter|surveyor|inspector|guy|lady|woman|man|girl|bloke|person|one|husband|wife|partner|son|daughter|"
    r"walker|sitter|babysitter|nanny|groomer|planner|coordinator|organi[sz]er|usher|barber|hairdresser|dentist|carer|"
    r"mum|mom|dad|mother|father|brother|sister|friend|boss|neighbou?r|flatmate|housemate"
)
APPOSITION = re.compile(
    rf"(?:^|[.!?]\s+|\n\s*)({FULL_NAME}),[ \t]+(?:the|my|our|your|a|an|his|her|their)[ \t]+"
    rf"(?:[{LO}]+[ \t]+){{0,2}}?(?:{_ROLES})\b(?:[ \t]*[,(–—-]|[ \t]+(?:at|in|from|on|for|of)\b)"
)
# The role said first, then who filled it: "my agent was Ikaika", "the driver's name is Bolat".
ROLE_WAS_NAME = re.compile(
    rf"\b(?i:{_ROLES})(?:['’]s[ \t]+name)?[ \t]+(?i:was|is|called|named)[ \t]+({FULL_NAME})(?![\w'’-])"
)
# A title before a name typed in lower case: "i asked sra. carvalho", "mrs okafor at reception";
# the word must be no word customers use ("ms teams") nor a brand with its title ("mr porter").
LOWER_HONORIFIC = re.compile(
    rf"\b(?=[mdhfsMDHFS])(?i:mr|mrs|ms|miss|dr|herr|frau|sr|sra|srta|mme|mlle|senhor|senhora|señor|señora)\.?[ \t]+([{LO}]{{3,}})(?![\w'’-])"
)
# A name in brackets or between commas after a role: "Agent #4471 (Priya)", "the guy on the
# phone, tariq, was useless" (lower case: a known given name only).
ROLE_THEN_NAME = re.compile(
    rf"\b(?i:{_ROLES})\b[^,.!?()\n]{{0,30}}?(?:\(({NAME_WORD}|[{LO}]{{3,}})\)|,[ \t]*([{LO}]{{3,}})[ \t]*,|,[ \t]*({NAME_WORD})[ \t]*,)"
)
# The same apposition in es/pt/fr/de, where the English model does not run: "o entregador,
# Robson, disse", "el repartidor, Jacinto, dijo", "der Fahrer, Bernd, hat": a capitalised word
# between commas right after a role noun of those languages (a role, never a brand, comes first).
_ROLES_OTHER = (
    r"entregador|entregadora|atendente|t[ée]cnic[oa]|motorista|repartidor|repartidora|mensajer[oa]|"
    r"asesor|asesora|gerente|vendedor|vendedora|instrutor|instrutora|instructor|instructora|"
    r"profesor|profesora|professor|professora|consultor|consultora|operador|operadora|"
    r"livreur|livreuse|conseiller|conseill[èe]re|technicien|technicienne|vendeur|vendeuse|"
    r"fahrer|fahrerin|techniker|technikerin|berater|beraterin|mitarbeiter|mitarbeiterin|"
    r"verk[äa]ufer|verk[äa]uferin|kurier|monteur|trainer|trainerin"
)
ROLE_COMMAS_OTHER = re.compile(rf"\b(?i:{_ROLES_OTHER}),[ \t]*({NAME_WORD})[ \t]*,")
# What every match of ROLE_WAS_NAME holds: "was", "is", "called" or "named" before a capital.
_WAS_CAPITAL = re.compile(rf"[ \t](?i:was|is|called|named)[ \t]+[{UP}]")
# An initial and a surname in a sentence, also where it starts or ends one: "sent my statement to
# K. Abubakar", "J. Okafor. The invoice ...", "the driver was D. Petrović.", "Regards, J.-P. Lefèvre",
# in quotes: "a name tag saying 'R. Okafor'".
INITIAL_SURNAME = re.compile(
    rf"(?:(?<=[{LO},;:(][ \t])|(?<=[.!?][ \t])|(?<=\n)|(?<=[\s(]['\"‘“])|^)([{UP}]\.(?:-[{UP}]\.)?[ \t]?{NAME_WORD}(?:-{NAME_WORD})?)"
    rf"(?![\w'’-]|\.\w)"
)
# A name before its account, member or user details in brackets: "Rohan (account 33019) - ...".
NAME_BEFORE_DETAILS = re.compile(
    rf"(?:^|[.!?]\s+|\n\s*)({FULL_NAME})[ \t]*\((?i:acc(?:oun)?t|acct|a/c|member(?:ship)?|customer|client|"
    r"user(?:name)?|login|id|ref|policy|order|booking|tel|phone|mob(?:ile)?|cell|email|e-mail)\b[^)\n]{0,30}\d"
)
# A handle in brackets right after a name: "Zhang Wei (zhangwei88)", "lil jay (jayjay_99)".
_HANDLE_AFTER = re.compile(r"[ \t]*\((@?(?=[\w.]*[\d_])[A-Za-z][\w.]{2,29})\)")


def _plain_words(words: list[str], ambiguous_ok: bool = False) -> bool:
    """Name words: none a brand, team or greeting word, company suffix, town or word customers use
    (a given name that is also a word passes when ``ambiguous_ok``: the shape has decided; so does
    a family name after a given name, "Hyun-woo Park")."""
    return bool(words) and not any(
        not (i and w.lower() in family_names()) and _not_a_name_word(w, ambiguous_ok)
        for i, w in enumerate(words)
    )


def _not_a_name_word(w: str, ambiguous_ok: bool) -> bool:
    """A brand, team or greeting word, company suffix, town or word customers use."""
    return (
        w.strip(".") in NOT_NAMES
        or w.strip(".") in GREETED
        or is_plain_brand(w)
        or w.lower().strip(".") in COMPANY_SUFFIXES
        or (w in PLACES and w not in given_names())
        or (
            common_lower(w.lower())
            and w not in given_names()
            and not (ambiguous_ok and w.title() in word_names())
        )
    )


def _opens_sentence(text: str, i: int) -> bool:
    """Does ``text[i:]`` open the text, a sentence, a line or what a colon introduces? Reads back
    over the white space only, so a long answer is not rescanned from its start at every name."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return i == 0 or "\n" in text[j:i] or (j > 0 and text[j - 1] in ".!?:")


def shape_name_spans(text: str) -> list[Span]:
    """PERSON spans told by the shape of the sentence (see the module docstring)."""
    spans: list[Span] = []
    # the language vote reads the whole text: once per text, not once per match (linear time)
    language = functools.cache(lambda: guess_language(text))
    for m in LOWER_DEPT_NAME.finditer(text):
        word = m.group(1)
        if word.islower():
            known = lower_given(word) or bool(m.group(2) and word.title() in AMBIGUOUS_GIVEN)
        else:  # capitalised (or in capitals, read as written: "SARAH IN BILLING"): a known given name
            known = (
                word in given_names() or bool(m.group(2) and word in word_names())
            ) and not is_plain_brand(word)
        if known and word.lower() not in _TIMES and not re.fullmatch(CLOSING, word):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_NAME_IN_TEAM.finditer(text):
        if lower_given(m.group(1)) and m.group(1) not in _TIMES and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in NAME_OF_TEAM_OTHER.finditer(text):
        word = m.group(1)
        # a capitalised word opening a sentence may be any noun ("Problème du support"): a known name there
        opening = _opens_sentence(text, m.start(1))
        known = word in given_names() or word in word_names()
        # German writes every noun with a capital ("Ein Kollege vom Kundendienst"): a known name there
        loose = not opening and language() != "de"
        ok = lower_given(word) if word.islower() else (known or loose) and person_word(word)
        if ok and not is_plain_brand(word) and word.lower() not in _FUNCTION_OTHER:
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_BETWEEN_COMMAS.finditer(text) if text.count(",") >= 2 else ():
        if lower_given(m.group(1)) and not common_lower(m.group(1)):
            # a surname after it when no word customers use: "my landlord, joão silva, never"
            surname = m.group(2) and not common_lower(m.group(2)) and not word_shaped(m.group(2))
            spans.append((m.start(1), m.end(2) if surname else m.end(1), "PERSON"))
    for m in LOWER_ARTICLE_NAME.finditer(text):
        if lower_given(m.group(1)) and not common_lower(m.group(1)) and language() in ("pt", "es", "de"):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_POSSESSIVE.finditer(text):
        if lower_given(m.group(1)) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_HERE.finditer(text):
        word = m.group(1)
        if lower_given(word) or not (m.group(2) or common_lower(word) or word_shaped(word)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_HERE_TWO.finditer(text):
        if lower_given(m.group(1)) and (lower_given(m.group(2)) or not common_lower(m.group(2))):
            spans.append((m.start(1), m.end(2), "PERSON"))
    for m in ADDRESSED_ANY.finditer(text):
        words = m.group(
            1
        ).split()  # a plural is thanks or a crowd, not a person: "Thanks Heaps", "Sorry Folks"
        # more words than one ("Sorry Lê Thu Hà,") need letters beyond ASCII or a known given name first
        many = len(words) == 1 or not words[0].isascii() or words[0] in given_names()
        if (
            many
            and _plain_words(words)
            and not any(word_shaped(w.lower()) for w in words)
            and not words[-1].endswith("s")
            and not is_plain_brand(m.group(1))
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_INTRO_TWO.finditer(text):
        words = m.group(1).split()
        if any(lower_given(w) for w in words) and not any(
            w in ("not", "so", "very", "really", "just", "still") for w in words
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in THANKED_FOR.finditer(text):
        if _plain_words([m.group(1)], ambiguous_ok=True):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_THANKED.finditer(text):
        if lower_given(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_HONORIFIC.finditer(text):
        word = m.group(1)
        if not (common_lower(word) or word_shaped(word) or is_plain_brand(word) or is_plain_brand(m.group())):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in APPOSITION.finditer(text):
        if _plain_words(m.group(1).split(), ambiguous_ok=True) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in ROLE_WAS_NAME.finditer(text) if _WAS_CAPITAL.search(text) else ():
        if _plain_words(m.group(1).split()) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    bracket_or_commas = "(" in text or text.count(",") >= 2  # "(Priya)" or ", tariq," in every match
    for m in ROLE_THEN_NAME.finditer(text) if bracket_or_commas else ():
        g = next(i for i in (1, 2, 3) if m.group(i))
        # in brackets or capitalised between commas ("The manager at the Leeds branch, Oyelowo, ..."):
        # any name word; typed in lower case: a known given name
        # (or a given name that is also a word: the role has said person, "the owner, faith, and")
        word = m.group(g)
        if word.islower():
            ok = lower_given(word) or word.title() in word_names()
        else:
            ok = _plain_words([word], ambiguous_ok=True) and word not in PLACES
        if ok and not is_plain_brand(word):
            spans.append((m.start(g), m.end(g), "PERSON"))
    for m in ROLE_COMMAS_OTHER.finditer(text) if bracket_or_commas else ():
        if _plain_words([m.group(1)]) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in INITIAL_SURNAME.finditer(text):
        name = m.group(1).rstrip("'’")  # the closing quote of "'P. Okafor'" is no part of it
        surname = re.split(r"\.[ \t]?", name)[-1]
        if _plain_words(surname.split("-")) and not is_plain_brand(name):
            spans.append((m.start(1), m.start(1) + len(name), "PERSON"))
    for m in NAME_BEFORE_DETAILS.finditer(text):
        if _plain_words(m.group(1).split()) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans


def handle_spans(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` and the handle in brackets right after each name among them: letters with
    digits, dots or "_" ("Rohan (@ro_33)")."""
    out = list(spans)
    for _, end, tag in spans:
        m = _HANDLE_AFTER.match(text, end) if tag == "PERSON" else None
        if m:
            out.append((m.start(1), m.end(1), "ACCOUNT"))
    return out
