"""People and things named like people that an answer talks about, not whom it names (h-pii37).

A survey answer discusses celebrities ("Taylor Swift tickets", "Elon Musk can keep his app"),
characters and shows ("since Ted Lasso ended"), feasts ("le colis de Noël", "ordered for Eid")
and bots ("Ask Ava the chatbot never understood me", "the 'Sophia' chatbot"): none is the
customer's personal data. Famous names come from ``nlp/data/famous.txt``; a feast that is also a
name or surname ("Noël", "Reyes") counts only after a word of time; a bot by the words around it.
"""

from __future__ import annotations

import functools
import re

from .letters import LO, UP
from .things import capital_run
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


def is_famous(text: str, start: int, end: int) -> bool:
    """Is the span part of a famous name written whole in its capitalised run ("[Taylor] Swift's")?"""
    run_start, run_end = capital_run(text, start, end)
    words = list(re.finditer(r"\S+", text[run_start:run_end]))
    names = famous()
    for i, first in enumerate(words):
        for last in words[i:]:
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


def is_bot(text: str, start: int, end: int) -> bool:
    """Is the span a bot's name (see the module docstring)?"""
    if not _NAME_WORD.fullmatch(text[start:end]):
        return False
    if _ASK_BEFORE.search(text, max(0, start - 8), start):
        return bool(_BOT_AFTER.match(text, end) or _SUBJECT_VERB.match(text, end))
    quoted = text[start - 1 : start] in ("'", '"', "‘", "“")
    return bool(_BOT_AFTER.match(text, end)) and (
        quoted or text[max(0, start - 4) : start].lower().endswith("the ")
    )


def is_topic(text: str, start: int, end: int) -> bool:
    """A famous name, a feast or a bot: talked about, not a customer's personal data."""
    return is_famous(text, start, end) or is_feast(text, start, end) or is_bot(text, start, end)
