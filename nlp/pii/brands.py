"""Brands, products and allow-listed names that must survive redaction ("switched to Notion").

An exit survey exists to learn where customers went, so a competitor's name taken for a person
loses the answer's point; a person's name left in leaks it. These checks decide between the two.
"""

from __future__ import annotations

import re

from .spans import Span
from .words import PRODUCT_WORDS, brand_words, brands, given_names_lower


def name_key(name: str) -> str:
    """The comparable form of a name: trimmed of punctuation, spaces collapsed, lower case."""
    return re.sub(r"\s+", " ", name.strip(" \t\n.,;:!?'’\"()")).lower()


def is_brand(name: str, keep_names: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """True for a shipped brand or allow-listed name, alone or with product words ("Spotify Premium")."""
    key = name_key(name)
    if not key:
        return False
    keep = {name_key(k) for k in keep_names}
    if key in brands() or key in keep:
        return True
    if key.endswith(("'s", "’s")):
        return is_brand(key[:-2], keep_names)
    words = key.split()
    if len(words) < 2:
        return False
    if words[0] in given_names_lower():
        # "Chase Miller" is a person even though Chase is a bank; "Chase Bank" is the bank
        return words[0] in brands() and all(w in PRODUCT_WORDS for w in words[1:])
    keep_words = {w for k in keep for w in k.split()}
    return all(w in brand_words() or w in keep_words or w in PRODUCT_WORDS for w in words) and (
        any(w in brand_words() or w in keep_words for w in words)
    )


def is_name_brand(name: str) -> bool:
    """A shipped brand that is also a given name ("Max", "Marcus", "Chase"): which one is meant
    depends on the words around it (see :func:`in_product_context`)."""
    key = name_key(name)
    return key in brands() and key in given_names_lower()


def in_product_context(text: str, start: int, end: int) -> bool:
    """Do the words around ``text[start:end]`` speak of a product ("moved to X", "X has the shows")?"""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    return bool(PRODUCT_BEFORE.search(before) or PRODUCT_AFTER.search(after) or PRODUCT_HAS.search(after))


def drop_kept_names(text: str, spans: list[Span], keep_names: tuple[str, ...] | list[str] = ()) -> list[Span]:
    """Drop PERSON spans that are brands or allow-listed names (``keep_names``); keep the rest.

    A brand that is also a given name stays redacted unless its context says product, since a
    leaked name is worse than a lost brand.
    """
    keep = tuple(keep_names)
    kept_exactly = {name_key(k) for k in keep}
    out = []
    for s in spans:
        name = text[s[0] : s[1]]
        if s[2] == "PERSON" and is_brand(name, keep):
            if not (
                is_name_brand(name)
                and name_key(name) not in kept_exactly
                and not in_product_context(text, s[0], s[1])
            ):
                continue
        out.append(s)
    return out


# Context that marks a capitalised word as a product, not a person: "switched to Notion",
# "using Asana", "Gantt charts", "the Porto office", "200 Mbps".
PRODUCT_BEFORE = re.compile(
    r"(?i)\b(?:(?:switch(?:ed|ing)?|mov(?:ed|ing)|went|go(?:ing)?|migrat(?:ed|ing)|chang(?:ed|ing)|port(?:ed|ing)|"
    r"transferr?(?:ed|ing)?|jump(?:ed|ing)|defect(?:ed|ing))\s+(?:over\s+)?(?:to|with)|"
    r"use|uses|used|using|try|tried|trying|chose|choose|picked|prefer|preferred|bought|joined|"
    r"signed up (?:for|with)|subscribed to|replaced (?:you |it |them )?with|"
    r"(?:cheaper|better|worse|faster|higher|lower|more|less|best|cheapest) (?:on|at|with|from)|than|"
    r"like|via|through|vs\.?|versus|instead of|compared (?:to|with)|comparing (?:it )?(?:to|with)|integrat(?:ion|es?|ed) (?:with|into)|sync(?:s|ed)? with|"
    r"connect(?:s|ed)? to|works with|offer from|deal from|the|a|an|our|their|your|its)\s+$"
)
PRODUCT_AFTER = re.compile(
    r"(?i)^\s*(?:'s\s+)?(?:app|apps|chart|charts|board|boards|template|templates|integration|integrations|"
    r"plan|plans|subscription|tier|premium|pro|plus|version|bundle|package|deal|offer|workspace|calendar|"
    r"store|shop|office|branch|site|website|account|accounts|card|cards|api|sync|support|import|export|"
    r"does|has|have|offers|gives|includes|is cheaper|was cheaper|costs|charges|works|integrates|"
    r"view|views|feature|features|data|users|customers|subscribers|members|membership|\d)\b"
)


# "Max had the shows", "Marcus gives 4%": a product has, offers or gives something.
PRODUCT_HAS = re.compile(
    r"(?i)^\s*(?:has|had|have|offers?|offered|gives?|gave|includes?|included|pays?|paid|charges?|charged)\s+"
    r"(?:the|a|an|all|more|better|way|much|no|every|loads|lots|\d|\W?[£$€]|\w+ (?:shows|films|rates?|interest))"
)
