"""People and things named like people that an answer talks about, not whom it names (h-pii37).

A survey answer discusses celebrities ("Taylor Swift tickets", "Elon Musk can keep his app"),
characters and shows ("since Ted Lasso ended"), feasts ("le colis de Noël", "ordered for Eid"),
bots ("Ask Ava the chatbot never understood me", "the 'Sophia' chatbot"), pets ("our cat
Mochi"), sayings ("robbing Peter to pay Paul"), voice assistants and hashtags: none is the
customer's personal data. Famous names come from ``nlp/data/famous.txt``; a feast that is also a
name or surname ("Noël", "Reyes") counts only after a word of time; a bot by the words around it.
"""

from __future__ import annotations

import functools
import re

from .letters import LO, UP
from .things import capital_run, per_text
from .words import DATA


@functools.cache
def famous() -> frozenset[str]:
    """Famous names (``nlp/data/famous.txt``), lower case, one per line."""
    text = (DATA / "famous.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_POSSESSIVE = re.compile(r"['’]s$")
_NAME_WORD = re.compile(rf"[{UP}][{LO}'’-]+")


@functools.cache
def _famous_with_small_words() -> tuple[str, ...]:
    """Famous names with a lower-case word inside ("attack on titan", "bob the builder"), which no
    capitalised run holds whole."""
    text = (DATA / "famous.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip().lower()
        for line in text.splitlines()
        if not line.startswith("#") and any(w.islower() for w in line.split()[1:-1])
    )


@functools.cache
def _most_famous_words() -> int:
    """The most words a famous name has: no longer window of a run can be one."""
    return max((len(name.split()) for name in famous()), default=0)


def _lower(text: str) -> str:
    """``text`` in lower case, computed once per text, not once per name in it."""
    memo = per_text(text, "lower")
    if "low" not in memo:
        memo["low"] = text.lower()
    return memo["low"]


def _in_famous_phrase(text: str, start: int, end: int) -> bool:
    """Is the span inside a famous name that has a lower-case word within it, written whole?"""
    low = _lower(text)
    for name in _famous_with_small_words():
        at = low.find(name, max(0, start - len(name)), end + len(name))
        if at >= 0 and at <= start and end <= at + len(name):
            return True
    return False


def is_famous(text: str, start: int, end: int) -> bool:
    """Is the span part of a famous name written whole in its capitalised run ("[Taylor] Swift's"),
    or in one with a small word inside ("[Attack] on Titan", "[Bob] the Builder")?"""
    if _in_famous_phrase(text, start, end):
        return True
    run_start, run_end = capital_run(text, start, end)
    words = list(re.finditer(r"\S+", text[run_start:run_end]))
    names = famous()
    most = _most_famous_words()
    # only the windows that hold the span and are no longer than a famous name: every window of a
    # long run was tried before, for each name in it (h-piiperf)
    for i, first in enumerate(words):
        if run_start + first.start() > start:
            break
        for last in words[i : i + most]:
            a, b = run_start + first.start(), run_start + last.end()
            if a <= start and end <= b and _POSSESSIVE.sub("", text[a:b].rstrip(".,")).lower() in names:
                return True
    return False


# Feasts: always ("Eid", "Diwali"), or only after a word of time, for those also names ("Noël", "Reyes").
_FEASTS = frozenset(
    "eid diwali hanukkah chanukah passover pesach purim nowruz vesak kwanzaa hogmanay sinterklaas carnaval "
    "karneval fasching pfingsten pentecôte toussaint ramadan thanksgiving halloween christmas xmas easter "
    "epiphany epifanía navidad weihnachten pâques pascua páscoa ostern nikolaus songkran tết tet obon "
    "chuseok navratri dussehra onam pongal vaisakhi lohri holi".split()
)
_NAME_FEASTS = frozenset("noël noel reyes natal".split())
_TIME_BEFORE = re.compile(
    r"(?i)\b(?:de|del|pour|à|avant|après|depuis|para|por|en|zu|vor|nach|bis|seit|an|for|on|at|over|during|before|"
    r"after|until|till|since|this|last|next|día de|dia de|jour de|fête de|fêtes de)[ \t]+$"
)
# A bot, told by the words around its name: "Ask Ava the chatbot ...", "the 'Sophia' chatbot",
# "Ask Ava never understood" (a verb after "Ask Ava": it is the subject, not an order to ask Ava).
_BOT_AFTER = re.compile(
    r"['\"’”]?[ \t]+(?:the[ \t]+|our[ \t]+|your[ \t]+)?(?i:(?:chat[ \t-]?)?bot|assistant|virtual assistant|ai)\b"
)
_ASK_BEFORE = re.compile(r"(?<![\w'’])['\"‘“]?Ask[ \t]+$")
_SUBJECT_VERB = re.compile(
    r"['\"’”]?[ \t]+(?:is|was|never|doesn't|does|did|didn't|kept|keeps|just|can't|couldn't|won't|gave|gives|said|"
    r"says|told|tells|only|always|loops?|looped|sent|replied|answered|understood|failed|feature|tool|widget|button)\b"
)


def is_feast(text: str, start: int, end: int) -> bool:
    """Is the span a feast (see the module docstring)?"""
    word = text[start:end].lower()
    if word in _FEASTS:
        return True
    return word in _NAME_FEASTS and _TIME_BEFORE.search(text, max(0, start - 12), start) is not None


# "a chatbot called Sam", "your virtual assistant 'Leo'", "el asistente virtual 'Lucía'" (a whole
# word: "Talbot" is no bot).
_BOT_BEFORE = re.compile(
    r"\b(?i:(?:chat[ \t-]?)?bot|virtual assistant|voice assistant|ai assistant|robot|"
    r"(?:asistente|assistente)[ \t]+virtual|assistant[ \t]+virtuel|virtuelle[rn]?[ \t]+assistent(?:in)?)[ \t]+"
    r"(?:(?i:called|named|llamad[oa]|chamad[oa]|appel[ée]e?|namens)[ \t]+)?['\"‘“«]?[ \t]?$"
)


# A product line, range or model named like a person, in quotes after its noun: "A linha 'Maria'
# de vocês", "votre collection « Margaux »", "your 'Rose' collection", "la gama 'Valentina'".
_LINE_NOUN = (
    r"line|range|collection|edition|flavou?r|scent|shade|colou?r|model|series|linha|l[íi]nea|gama|colecci[óo]n|"
    r"cole[çc][ãa]o|colec[çc][ãa]o|gamme|s[ée]rie|mod[èe]le|modelo|kollektion|linie|modell|serie|sabor|parfum|"
    r"perfume|fragrance|teinte|cor|tono"
)
_QUOTE_OPEN = "'\"‘“«"
_LINE_BEFORE = re.compile(
    rf"(?i)\b(?:{_LINE_NOUN})[ \t]+(?:(?:called|named|chamada|llamada|appel[ée]e)[ \t]+)?[{_QUOTE_OPEN}][ \t]?$"
)
_LINE_AFTER = re.compile(
    rf"[ \t]?['\"’”»][ \t]+(?i:(?:dress(?:es)?|shoes?|bags?|boots?|)[ \t]*(?:{_LINE_NOUN}))\b"
)


def is_product_line(text: str, start: int, end: int) -> bool:
    """Is the span a name in quotes that a product line, range or model carries (see above)? The
    quotes are what set it apart from a person: "the consultant Valentina" stays a person."""
    if text[max(0, start - 2) : start].strip(" \t")[-1:] not in _QUOTE_OPEN:
        return False
    return bool(_LINE_BEFORE.search(text, max(0, start - 40), start) or _LINE_AFTER.match(text, end))


def is_bot(text: str, start: int, end: int) -> bool:
    """Is the span a bot's name (see the module docstring)?"""
    if not _NAME_WORD.fullmatch(text[start:end]):
        return False
    if _BOT_BEFORE.search(text, max(0, start - 30), start):
        return True
    if _ASK_BEFORE.search(text, max(0, start - 8), start):
        return bool(_BOT_AFTER.match(text, end) or _SUBJECT_VERB.match(text, end))
    quoted = text[start - 1 : start] in ("'", '"', "‘", "“")
    return bool(_BOT_AFTER.match(text, end)) and (
        quoted or text[max(0, start - 4) : start].lower().endswith("the ")
    )


# A pet, named after the word for it: "our cat Mochi", "dog's name is Biscuit" (not "the dog, Claire
# Yeo": after a comma the writer signs).
_PET_BEFORE = re.compile(
    r"(?i)\b(?:dog|dogs|cat|cats|puppy|kitten|pup|pet|horse|pony|rabbit|bunny|hamster|guinea pig|parrot|budgie|"
    r"tortoise|ferret|gato|gata|perro|perra|chien|chienne|chat|chatte|hund|katze|cachorro|cachorra|gatinho)"
    r"(?:['’]s[ \t]+name[ \t]+(?:is|was)|[ \t]+(?:called|named))?[ \t]+['\"‘“]?$"
)
# A saying with a name in it: "robbing Peter to pay Paul", "Bob's your uncle", "mark my words".
_SAYINGS = re.compile(
    r"(?i)\b(?:robbing peter to pay paul|rob peter to pay paul|bob['’]s your uncle|mark my words|doubting thomas|"
    r"jack of all trades|every tom, dick and harry|tom, dick (?:and|or) harry|keeping up with the joneses|nosy parker|"
    r"smart alec|peeping tom|plain jane|average joe|jack the lad|for pete['’]s sake|even stevens|johnny-come-lately|"
    r"dear john letter|heavens to betsy|lazy susan|bloody mary|tom thumb|jack frost|mrs? right)\b"
)
# A voice assistant, in a sentence about devices: "Alexa never worked with the Google Home integration".
_ASSISTANTS = frozenset({"Alexa", "Siri", "Cortana", "Bixby"})
_DEVICE_WORDS = re.compile(
    r"(?i)\b(?:smart|home|integrat\w*|skill|skills|echo|speaker|voice|device|devices|hub|thermostat|lights?|"
    r"plug|app|funktion\w*|funci[oó]n\w*|appareil|enceinte|ger[äa]t\w*|dispositivo)\b"
)


# A title given to a pet in jest: "my cat Mr Whiskers", "our dog Sir Barkley" (not after "chat",
# which is also a conversation in English: "in the chat Mr Patel said").
_PET_TITLE = re.compile(
    r"(?<![\w'’])(?:Mr|Mrs|Miss|Ms|Sir|Lady|Lord|Dame|Dr|Captain|Professor|Prof)\.?[ \t]+$"
)


def is_pet(text: str, start: int, end: int) -> bool:
    """Is the span a pet's name, right after the word for the animal (and a title given in jest)?"""
    if _PET_BEFORE.search(text, max(0, start - 40), start) is not None:
        return True
    title = _PET_TITLE.search(text, max(0, start - 12), start)
    if title is None:
        return False
    pet = _PET_BEFORE.search(text, max(0, title.start() - 40), title.start())
    return pet is not None and not re.search(r"(?i)\bchat[ \t]+$", pet.group())


@functools.lru_cache(maxsize=4)
def _sayings_in(text: str) -> tuple[tuple[int, int], ...]:
    """Where the sayings stand in ``text``: found once per text, not once per name in it."""
    return tuple(m.span() for m in _SAYINGS.finditer(text))


def in_saying(text: str, start: int, end: int) -> bool:
    """Is the span inside a saying that holds a name ("robbing Peter to pay Paul")?"""
    return any(a <= start and end <= b for a, b in _sayings_in(text))


def is_assistant(text: str, start: int, end: int) -> bool:
    """Is the span a voice assistant's name in an answer about devices?"""
    return text[start:end] in _ASSISTANTS and _DEVICE_WORDS.search(text) is not None


def kept_elsewhere(text: str, spans: list[tuple[int, int, str]]) -> set[str]:
    """The names that a bot's or a pet's slot shows to be no person, so that the same word stays
    wherever else it stands: "replaced by a bot called Sam. Sam didn't know anything"."""
    return {
        text[s:e] for s, e, tag in spans if tag == "PERSON" and (is_bot(text, s, e) or is_pet(text, s, e))
    }


def is_topic(text: str, start: int, end: int) -> bool:
    """A famous name, a feast, a bot, a pet, a saying's name or a voice assistant: talked about, not
    a customer's personal data."""
    return (
        is_famous(text, start, end)
        or is_feast(text, start, end)
        or is_bot(text, start, end)
        or is_product_line(text, start, end)
        or is_pet(text, start, end)
        or in_saying(text, start, end)
        or is_assistant(text, start, end)
        or text[max(0, start - 1) : start] == "#"  # a hashtag: "#WorstBroadband"
    )
