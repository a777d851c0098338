"""Praise with nothing else: "Great service from start to finish!!", "loved it, no complaints",
"can't fault you on anything", "Service impeccable, rien à redire.".

Asked why they left, many customers only say the product or the people were good. That says
nothing about why they went, so it is a non-answer (bench/data/README.md), yet the head sends it to
the cause its nouns brush past ("instructors", "service"). The test is closed: once the phrases
that say there was no fault are taken out, every word must be a word of praise, one of the few
things praised (the team, the service, the classes) or glue ("was", "the", "really"). A word of
contrast or negation is in none of those lists, so "loved it but the price doubled", "wasn't
great" and "the app was great until the update" keep the answer.
"""

from __future__ import annotations

import re

from . import words as w

# "no complaints", "nothing wrong", "can't fault you", "rien à redire", "nada que objetar":
# there was no fault, in the shipped languages; taken out before the words are checked.
NO_FAULT = re.compile(
    r"\b(?:no|zero|not (?:a|any|one)) (?:real |major |big )?(?:complaints?|issues?|problems?|gripes?|"
    r"regrets?|faults?)(?: (?:at all|whatsoever|here|from me|really))?\b|"
    r"\bnothing (?:(?:wrong|bad|negative)(?: to say)?|to complain about|to fault|to criticise|to criticize)"
    r"(?: (?:at all|whatsoever|really))?\b|"
    r"\b(?:i )?(?:can'?t|cannot|could ?n'?t|could not) (?:fault|complain(?: about)?|criticise|criticize)"
    r"(?: (?:you|it|them|the \w+|anything|a thing))?(?: (?:on|about|in) (?:anything|any way|the slightest))?"
    r"(?: (?:at all|whatsoever|really))?\b|"
    r"\b(?:would|will|'d) (?:definitely |100% |highly |totally )?recommend(?: (?:you|it|to (?:anyone|others|friends)))?\b|"
    r"\b\d+(?:/| out of )(?:10|5)\b|\bfive stars?\b|\b5 stars?\b|\bfrom start to finish\b|\bevery step of the way\b|"
    r"\brien à (?:redire|reprocher|signaler)\b|\baucun (?:problème|souci|reproche)\b|"
    r"\bnada que (?:reprochar|objetar|decir)\b|\bsin quejas\b|\bningún problema\b|"
    r"\bnichts (?:auszusetzen|zu beanstanden|zu meckern)\b|\bkeine (?:beschwerden|probleme)\b|"
    r"\bnada a (?:reclamar|apontar)\b|\bsem (?:queixas|reclamações|problemas)\b"
)
# Contrast or doubt: never praise alone ("great, but", "used to be great").
_TURN = re.compile(
    r"\b(?:but|though|although|however|except|until|till|used to|shame|pity|pena|mais|aber|pero)\b"
)


def is_praise(core: str) -> bool:
    """One cleaned clause (lower case, no punctuation) that only praises: "the instructors were
    brilliant genuinely", "top notch keep it up", "loved it", "service impeccable"."""
    if _TURN.search(core):
        return False
    had_fault_phrase = bool(NO_FAULT.search(core))
    tokens = NO_FAULT.sub(" ", core).split()
    praised = had_fault_phrase or any(t in w.PRAISE_WORDS for t in tokens)
    return praised and all(
        t in w.PRAISE_WORDS or t in w.PRAISE_SUBJECTS or t in w.PRAISE_GLUE or t in w.POLITE_HEAD
        for t in tokens
    )
