"""Names told by a slot only a person fills, whatever the name (issue 17, h-pii37).

Given names that are also words ("Hope", "Sunny", "Will") and names no list knows are left alone
by the rules that need a known given name; a writer uses them in slots no word takes: placed at
a workplace before what they did ("Hope at the Newcastle store tried her best", "Sunny in
onboarding was great"), referred to by "she" or "he" ("with sunny (she was great)"), asked to do
something ("I asked Will to close the account"), spoken to as "a Mark in retentions", half
remembered ("Tiffany something"), signing after a dash ("... — Thierno") or a guy of a team
("our IT guy Fatima"). The slot is the evidence; the word must still be no brand, team word,
town or greeting, and, unless it is a known name that is also a word, no English word either.
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .brands import is_plain_brand
from .letters import LO
from .lexicon import english_word, irregular_verb
from .lowercase import common_lower, word_shaped
from .names import NAME_WORD
from .spans import Span
from .words import GREETED, NOT_NAMES, PLACES, given_names, word_names

_CONTRACTION = re.compile(r"(\w+)['’](?:s|re|ll|ve|d|m|t)")


def person_word(word: str) -> bool:
    """Can ``word`` (any case) name the person in a slot only a person fills: a given name, a name
    that is also a word, or a word no list or dictionary knows; never a brand, team word or town."""
    title = word[:1].upper() + word[1:]
    if title in NOT_NAMES or title in GREETED or is_plain_brand(word):
        return False
    contraction = _CONTRACTION.fullmatch(word.lower())
    if contraction and common_lower(contraction.group(1)):
        return False  # "There's something wrong": a word and its contraction, not "Tiffany something"
    if title in word_names() or title in given_names():
        return True
    if title in PLACES:
        return False
    low = word.lower()
    return not (common_lower(low) or word_shaped(low) or english_word(low, nouns=True))


# Where a person's clause starts: a sentence, a clause, or a word that introduces who ("ask").
_LEAD = (
    r"(?:^|[.!?;]\s+|\n\s*|,\s+|\b(?i:maybe|ask|ask for|asked for|and|but|then|only|even|sadly|luckily|"
    r"thankfully|apparently|honestly|also)\s+)"
)
# Where staff work: "at the Newcastle store", "on the phone", "behind the counter".
_WORKPLACE = (
    r"counter|till|tills|checkout|desk|front desk|reception|door|bar|gate|store|shop|branch|depot|office|"
    r"warehouse|showroom|salon|clinic|surgery|pharmacy|garage|gym|club|hotel|site|school|restaurant|"
    r"caf[eé]|kitchen|phone|phones|chat|live chat|helpline|hotline|call cent(?:re|er)|switchboard"
)
# Teams staff work in: "Sunny in onboarding", "a Mark in retentions".
_TEAM = (
    r"onboarding|retentions?|complaints|collections|cancellations|renewals|dispatch|logistics|"
    r"accounts|billing|support|sales|reception|customer (?:service|care|support|success)"
)
WORKPLACE_NAME = re.compile(
    rf"{_LEAD}({NAME_WORD})[ \t]+(?:at|in|on|from|behind)[ \t]+"
    rf"(?:(?:the|your|our)[ \t]+(?:[A-Z][\w'’-]*[ \t]+){{0,2}}(?:{_WORKPLACE})|{_TEAM})\b"
)
# "she" or "he" right after a name, maybe past where they work: "with sunny (she was great)",
# "ask for joy at reception, she saw it", "just ask joy she dealt with it"; a person-taking word before the name.
PRONOUN_AFTER = re.compile(
    rf"\b(?i:with|to|for|ask|asked|told|called|by|thanks|thank you)[ \t]+({NAME_WORD}|[{LO}]{{3,}})"
    rf"(?:[ \t]+(?:at|in|on|from)[ \t]+(?:the[ \t]+)?(?:{_WORKPLACE}|{_TEAM}))?"
    r"[ \t]*(?:\(|,|[-–—])?[ \t]*(?i:she|he)\b"
)
# Asked to do something: "I asked Will to close the account", "told Grace to wait".
ASKED_TO = re.compile(
    rf"\b(?i:asked|told|begged|reminded|emailed|e-mailed|messaged|texted|rang|phoned|called|paid|helped|got)"
    rf"[ \t]+({NAME_WORD})[ \t]+to[ \t]+[a-z]{{2,}}"
)
# Someone called that: "spoke to a Mark in retentions", "talked to some Kevin from sales".
A_NAME_IN = re.compile(
    rf"\b(?i:spoke|speaking|talked|talking|spoken|dealt)[ \t]+(?:to|with)[ \t]+(?i:a|one|some)[ \t]+"
    rf"({NAME_WORD})[ \t]+(?:in|from|at|on)\b"
)
# Half remembered: "Tiffany something", "a Gary or other".
SOMETHING = re.compile(rf"\b({NAME_WORD})[ \t]+(?:something|somebody|or something|or other)\b")
# An unknown word signing after a dash at the end: "... ou par mail : x@example.fr — Thierno".
DASH_UNKNOWN = re.compile(rf"(?:^|[ \t])[-—–~]+[ \t]*({NAME_WORD})[ \t]*[.!]?\s*$")
# A guy of a team: "our IT guy Fatima", "the delivery guy Kwesi", "my gym girl Ana".
GUY_NAME = re.compile(
    rf"\b(?i:our|my|the|your|their)[ \t]+(?:[A-Za-z]{{2,12}}[ \t]+)?(?i:guy|girl|lady|bloke|chap|gal|dude)[ \t]+"
    rf"({NAME_WORD})(?![\w'’]|-\w)"
)


# Where staff work, in es/fr/pt/de: "Chloé à l'accueil", "Rocío en caja", "Jana an der Kasse".
FOREIGN_WORKPLACE_NAME = re.compile(
    rf"{_LEAD}({NAME_WORD})[ \t]+(?:à l['’]accueil|au (?:guichet|comptoir|téléphone|standard|magasin)|à la caisse|"
    r"en (?:caisse|boutique|recepción|caja|tienda)|de (?:la )?(?:recepción|caja|tienda)|al teléfono|"
    r"na (?:recepção|loja|caixa)|no (?:balcão|telefone|atendimento|caixa)|da (?:loja|recepção)|"
    r"an der (?:Kasse|Rezeption)|am (?:Empfang|Telefon|Schalter))"
)
# An initial with no full stop and a surname, signing after a dash: "... - L Matthews".
DASH_INITIAL = re.compile(rf"(?:^|[ \t])[-—–~]+[ \t]*([A-Z][ \t]+{NAME_WORD})[ \t]*[.!]?\s*$")
# A relative's name that is also a word, typed in lower case: "my daughter joy set this up".
_KIN = r"daughter|son|wife|husband|partner|mum|mom|dad|sister|brother|niece|nephew|grandson|granddaughter"
KIN_WORD_NAME = re.compile(rf"\b(?i:my|our)[ \t]+(?:{_KIN})[ \t]+([{LO}]{{3,}})[ \t]+[{LO}]")
_WANTS = frozenset("by with from to for of at in on via and or the a an".split())
_MODALS = frozenset("will may might can could should must would shall".split())


# A known given name after a role used as a title: "Chef Marcus at the Covent Garden school" ("Chef"
# is German for a boss, so the name must be one the lists know: not "Der Chef Bestellung").
ROLE_TITLE = re.compile(rf"\b(?i:chef|head chef|sous chef)[ \t]+({NAME_WORD})(?![\w'’-])")
# Known given names signing after a dash, then a comma and who they are: "- Luca & Giulia, Trattoria Bella".
DASH_SIGN_WITH_TAIL = re.compile(
    rf"(?:^|[ \t])[-—–~]+[ \t]*({NAME_WORD})(?:[ \t]*(?:&|\+|and)[ \t]*({NAME_WORD}))?,[ \t]*[^\n,]{{2,40}}\s*$"
)


_WORDS = re.compile(r"[^\W\d_]+")
_SIGNED_AFTER = re.compile(r"(?:[.!?]|\b(?i:signing off|signed))[ \t]*[-—–~]+[ \t]*$")
_DASH = re.compile(r"[-—–~]")
_FOREIGN_SITES = frozenset(
    "accueil guichet comptoir téléphone standard magasin caisse boutique recepción caja tienda teléfono "
    "recepção loja caixa balcão telefone atendimento kasse rezeption empfang schalter".split()
)
_GATES = (
    (WORKPLACE_NAME, frozenset(re.findall(r"[a-z]+", f"{_WORKPLACE} {_TEAM}")) - {"the", "live", "call"}),
    (ASKED_TO, frozenset("to".split())),
    (A_NAME_IN, frozenset("spoke speaking talked talking spoken dealt".split())),
    (SOMETHING, frozenset("something somebody other".split())),
    (GUY_NAME, frozenset("guy girl lady bloke chap gal dude".split())),
)


def slot_name_spans(text: str) -> list[Span]:
    """PERSON spans told by the slots of the module docstring."""
    spans: list[Span] = []
    words = {w.lower() for w in _WORDS.findall(text)}
    # each pattern is tried only where its own words stand in the text (most answers have none)
    for pattern, needs in _GATES:
        for m in pattern.finditer(text) if not needs.isdisjoint(words) else ():
            if person_word(m.group(1)):
                spans.append((m.start(1), m.end(1), "PERSON"))
    for m in PRONOUN_AFTER.finditer(text) if "she" in words or "he" in words else ():
        word = m.group(1)
        if word.islower() and word.title() not in word_names() and word.title() not in given_names():
            continue  # lower case: only a name the lists know ("with sunny (she ...")
        if person_word(word):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in ROLE_TITLE.finditer(text) if "chef" in words else ():
        if m.group(1) in given_names() and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    foreign_site = not _FOREIGN_SITES.isdisjoint(words)
    for m in FOREIGN_WORKPLACE_NAME.finditer(text) if foreign_site else ():  # German nouns: a known name only
        if m.group(1) in given_names() and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in KIN_WORD_NAME.finditer(text) if "my" in words or "our" in words else ():
        # not a verb's past ("my husband rose early", "my son drew it") nor a modal ("my son will")
        if (
            m.group(1).title() in word_names()
            and m.group(1) not in _MODALS
            and not irregular_verb(m.group(1))
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    if not _DASH.search(text):
        return spans  # each rule below signs after a dash
    initial = DASH_INITIAL.search(text)
    surname = initial.group(1).split()[-1] if initial else ""
    # the initial already says name: WordNet's nouns hold surnames ("Matthews"), its verbs do not
    # ... not after a word that wants what follows: "Backed by - Y Combinator"
    lead = re.search(r"([^\W\d_]+)[ \t]*[-—–~]+[ \t]*$", text[: initial.start(1)]) if initial else None
    wants = lead is not None and (
        lead.group(1).lower() in stop_words()["en"] or lead.group(1).lower() in _WANTS
    )
    if initial and not (
        wants or common_lower(surname.lower()) or english_word(surname) or is_plain_brand(surname)
    ):
        spans.append((initial.start(1), initial.end(1), "PERSON"))
    tail = DASH_SIGN_WITH_TAIL.search(text)
    for g in (1, 2) if tail else ():
        word = tail.group(g) if tail else None
        if tail and word and word in given_names() and word not in word_names() and not is_plain_brand(word):
            spans.append((tail.start(g), tail.end(g), "PERSON"))
    signed = DASH_UNKNOWN.search(text)
    # a name that is also a word signs only after a finished sentence or "signing off": "... - Sterling"
    if (
        signed
        and person_word(signed.group(1))
        and (signed.group(1) not in word_names() or _SIGNED_AFTER.search(text, 0, signed.start(1)))
    ):
        spans.append((signed.start(1), signed.end(1), "PERSON"))
    return spans
