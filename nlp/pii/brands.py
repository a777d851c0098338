"""Brands, products and allow-listed names that must survive redaction ("switched to Notion").

An exit survey exists to learn where customers went, so a competitor's name taken for a person
loses the answer's point; a person's name left in leaks it. These checks decide between the two.
"""

from __future__ import annotations

import functools
import re

from .families import signs_as_family
from .orgs import is_firm_name
from .places import is_place, is_street
from .plain import trim_plain
from .spans import Span
from .things import (
    FAMILY_AFTER,
    MAX_RUN_WORDS,
    THE_BEFORE,
    capital_run,
    deep_in_run,
    is_named_by_deed,
    is_named_thing,
    per_text,
)
from .topics import is_topic, kept_elsewhere
from .words import COMMON_NOUNS, PRODUCT_WORDS, brand_words, brands, given_names_lower


def name_key(name: str) -> str:
    """The comparable form of a name: trimmed of punctuation, spaces collapsed, lower case."""
    return re.sub(r"\s+", " ", name.strip(" \t\n.,;:!?'’\"()")).lower()


def is_brand(name: str, keep_names: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """True for a shipped brand or allow-listed name, alone or with product words ("Spotify Premium")."""
    keep = keep_names if isinstance(keep_names, (tuple, frozenset)) else tuple(keep_names)
    return _is_brand(name, keep)


@functools.lru_cache(maxsize=8192)
def _is_brand(name: str, keep_names: tuple[str, ...] | frozenset[str]) -> bool:
    """:func:`is_brand`, once per name and list (the brand checks try each window of words around
    each name of a text)."""
    key = name_key(name)
    if not key:
        return False
    keep = _keys(tuple(keep_names))
    if key in brands() or key in keep:
        return True
    if f"{key}'s" in brands():
        return True  # "Sainsbury" of "Sainsbury's", where the model leaves the "'s" out
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


@functools.lru_cache(maxsize=64)
def _keys(names: tuple[str, ...]) -> frozenset[str]:
    """The comparable forms of the allow-listed names (once per list, not once per name checked)."""
    return frozenset(name_key(k) for k in names)


@functools.cache
def _brand_deletes() -> dict[str, frozenset[str]]:
    """Each one-word brand of six letters or more, and the brand itself, by its forms less one letter."""
    out: dict[str, set[str]] = {}
    for brand in brands():
        if " " in brand or len(brand) < 6 or not brand.isalpha():
            continue
        for form in {brand} | {brand[:i] + brand[i + 1 :] for i in range(len(brand))}:
            out.setdefault(form, set()).add(brand)
    return {k: frozenset(v) for k, v in out.items()}


def near_brand(word: str) -> bool:
    """A word one typo (a letter missed, added, changed or swapped) from a one-word brand of six
    letters or more: "Matercard", "Netflx", "Spotfy" name the product, not a person."""
    key = word.lower()
    if len(key) < 5 or not key.isalpha():
        return False
    deletes = _brand_deletes()
    return key in deletes or any(key[:i] + key[i + 1 :] in deletes for i in range(len(key)))


def is_plain_brand(name: str) -> bool:
    """A brand that is no given name: it vetoes a name pattern outright ("Hi Notion team"),
    while "Max" or "Emma" is left to :func:`drop_kept_names`, which looks at the context."""
    return is_brand(name) and not is_name_brand(name)


def is_name_brand(name: str) -> bool:
    """A shipped brand that is also a given name ("Max", "Marcus", "Chase"): which one is meant
    depends on the words around it (see :func:`in_product_context`)."""
    key = name_key(name)
    return key in brands() and key in given_names_lower()


def in_product_context(text: str, start: int, end: int) -> bool:
    """Do the words around ``text[start:end]`` speak of a product ("moved to X", "X has the shows",
    "X and Mango": listed with a brand that is no given name)?"""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if PRODUCT_BEFORE.search(before) or PRODUCT_AFTER.search(after) or PRODUCT_HAS.search(after):
        return True
    nxt, prev = _LISTED_AFTER.match(after), _LISTED_BEFORE.search(before)
    return any(m is not None and is_plain_brand(m.group(1)) for m in (nxt, prev))


def _between_brands(text: str, start: int, end: int) -> bool:
    """Is the name listed between a brand that is no given name and another capitalised item that
    is none either ("Victoria's Secret, Dorothy Perkins and Next")? A person is not listed among shops."""
    # the whole capitalised run ("[Dorothy] Perkins" is one item), at most MAX_RUN_WORDS words each
    # way: unbounded, each name of a long run of names read the whole run again (quadratic)
    for _ in range(MAX_RUN_WORDS):
        if (m := _CAP_BEFORE.search(text, max(0, start - 30), start)) is None:
            break
        start = m.start(1)
    for _ in range(MAX_RUN_WORDS):
        if (m := _CAP_AFTER.match(text, end)) is None:
            break
        end = m.end()
    nxt = _LISTED_AFTER.match(text, end)
    before = _LISTED_BEFORE_RUN.search(text, max(0, start - 40), start)
    if not (nxt and before):
        return False
    words = before.group(1).split()
    sides = [nxt.group(1), *(" ".join(words[i:]) for i in range(len(words)))]
    if not any(is_plain_brand(side) for side in sides):
        return False
    return not any(
        w.lower().strip("'’s") in given_names_lower() for w in [nxt.group(1).split()[0], words[-1]]
    )


def _tier_of_brand(text: str, start: int, end: int) -> bool:
    """Is the span one word that is no given name, right after a brand that is none either
    ("Spotify Duo", "Audible Plus")? A brand's plan or product, not a person."""
    word = text[start:end]
    if " " in word or word.lower() in given_names_lower():
        return False
    brand = _CAP_BEFORE.search(text, max(0, start - 30), start)
    return brand is not None and is_plain_brand(brand.group(1))


# A brand (up to three capitalised words) that has, streams or added what follows.
_BRAND_HAS = re.compile(
    r"((?:[A-Z][\w&'’.+-]*[ \t]+){0,2}[A-Z][\w&'’.+-]*)[ \t]+"
    r"(?:has|had|have|got|gets|streams|streamed|carries|carried|shows|showed)[ \t]+"
    r"(?:(?:all of|all|the whole of|back)[ \t]+)?$"
)


_HELD_PERSON_AFTER = re.compile(r"['’]s\b|[ \t]+(?:as|on|listed|registered|down)\b")


def _held_by_brand(text: str, start: int, end: int) -> bool:
    """Is the name the object of a brand that has or streams it ("Prime Video has Jack Ryan")? A
    service holds shows and goods, not people; but "BT has Sarah Jones as the holder", "Sky has
    Sarah's number" speak of one."""
    if _HELD_PERSON_AFTER.match(text, end) or text[start:end].endswith(("'s", "’s")):
        return False
    start = capital_run(text, start, start)[0]  # "has [Jack] Ryan"
    m = _BRAND_HAS.search(text, max(0, start - 50), start)
    if m is None:
        return False
    words = m.group(1).split()
    return any(is_plain_brand(" ".join(words[i:])) for i in range(len(words)))


_CAP_BEFORE = re.compile(r"(?<![\w'’])([A-Z][\w'’-]*)[ \t]$")
_CAP_AFTER = re.compile(r"[ \t][A-Z][\w'’-]*")
# The capitalised words (up to three) listed right before a name: "Victoria's Secret, ".
_LISTED_BEFORE_RUN = re.compile(
    r"((?:[A-Z][\w&'’.+-]*[ \t]+){0,2}[A-Z][\w&'’.+-]*)[ \t]*(?:,|&|\band\b|\bor\b)[ \t]*$"
)
_LEADING_THE = re.compile(r"(?i:the)[ \t]+")
# The brand listed next to a name: "Zara [and Mango]", "[H&M, ]Zara".
# "and"/"or" in the survey languages too: "de chez Zara et Kiabi", "Zara y Mango", "Zara und H&M".
_AND_OR = r"(?:,|&|\b(?:and|or|et|ou|y|e|o|und|oder)\b)"
_LISTED_AFTER = re.compile(rf"[ \t]*{_AND_OR}[ \t]*([A-Z][\w&'’.+-]*(?:[ \t]+[A-Z][\w'’.+-]*)?)")
_LISTED_BEFORE = re.compile(rf"([A-Z][\w&'’.+-]*)[ \t]*{_AND_OR}[ \t]*$")


def drop_kept_names(text: str, spans: list[Span], keep_names: tuple[str, ...] | list[str] = ()) -> list[Span]:
    """Drop PERSON spans that are brands or allow-listed names (``keep_names``); keep the rest.

    A brand that is also a given name stays redacted unless its context says product, since a
    leaked name is worse than a lost brand.
    """
    keep = tuple(keep_names)
    kept_exactly = {name_key(k) for k in keep}
    out = []
    not_people = kept_elsewhere(text, spans)
    # each span's verdict once per text: the finders return the same name several times, and the
    # second pass (after repeat_names) asks again; a text dense with names holds thousands (h-piiperf)
    verdicts = per_text(text, "kept_names")
    for span in spans:
        s = trim_plain(text, span)  # "Namaste, [Elaine]"; "Grandma", "Tel.", "vom 12. Mai" go
        if s is None:
            continue
        if s[2] == "PERSON" and text[s[0] : s[1]] in not_people:
            continue  # "a bot called Sam. Sam didn't know anything": the bot again
        if s[2] != "PERSON":
            out.append(s)
            continue
        key = (s, keep)
        if key not in verdicts:
            verdicts[key] = _kept_person(text, s, keep, kept_exactly)
        if not verdicts[key]:
            out.append(s)
    return out


def _kept_person(text: str, s: Span, keep: tuple[str, ...], kept_exactly: set[str]) -> bool:
    """Is the PERSON span ``s`` a brand, a product, a place, a topic or a thing, not a person?"""
    if deep_in_run(text, s[0], s[1]):
        return False  # "Anna Anna Anna ...": names, not one thing's name; each check would read the run
    if is_firm_name(text, s[0], s[1]):
        return (
            True  # "Hi Brightline Support", "Dear Mercer & Hale", "Kelvin Heating": a firm greeted or quoted
        )
    if text[s[0]].isupper() and _goods_or_place(text, s[1], s[0]):
        return True  # "Fred Perry polo", "Madison Square Garden": goods or a place carry the name
    if _between_brands(text, s[0], s[1]):
        return True  # "Victoria's Secret, Dorothy Perkins and Next": a shop listed among shops
    if is_topic(text, s[0], s[1]):
        return True  # "Taylor Swift tickets", "le colis de Noël", "Ask Ava the chatbot": talked about
    if _place_or_day(text, s[0], s[1]):
        return True  # "at the Christie", "St Mary's", "George St", "Valentine's Day"
    if _is_firm(text, s[0], s[1]):
        return True  # "Khan & Co.", "Okafor Ltd": a firm named after a person
    if _tier_of_brand(text, s[0], s[1]):
        return True  # "Spotify Duo", "Netflix Basic": a brand's plan or product
    if _held_by_brand(text, s[0], s[1]):
        return True  # "Prime Video has Jack Ryan": what a brand has or streams
    if is_street(text, s[0], s[1]):
        return True  # "A loja da Rua Augusta", "rue Victor Hugo": a street, its street word first
    if is_place(text, s[0], s[1]):
        return True  # "moving out of the area to Devon", "em Belo Horizonte": a known place in its slot
    if is_named_thing(text, s[0], s[1]):
        return True  # "we use Molly Maid now", "flew into Marco Polo", "finished Ted Lasso"
    if is_named_by_deed(text, s[0], s[1]):
        return True  # "je vais chez Paul", "les films de Louis de Funès", "Toni & Guy ... does"
    if is_plan(text, s[0], s[1]):
        return True  # "the Harper plan", "Ollie Pro": a plan or product named like a person
    if _brand_ends_inside(text, s[0], s[1], keep):
        return True  # "Marks & [Spencer Sparks]": a brand's tail and the product after it
    start, end = _brand_around(text, s[0], s[1], keep)
    lead = _LEADING_THE.match(text, start, end)  # the model's "[The Jack Wills] hoodies"
    start = lead.end() if lead and lead.end() < end else start
    name = text[start:end]
    return is_brand(name, keep) and not (
        is_name_brand(name)
        and name_key(name) not in kept_exactly
        and not in_product_context(text, start, end)
    )


# "the" right before a name makes it a place, a shop or an institution ("treated at the Christie"),
# except a family's ("the Okafor family"): ``THE_BEFORE`` and ``FAMILY_AFTER`` of ``things``.
# A saint's name makes a school, a church, a hospital or a town ("St Mary's", "San Sebastián").
_SAINT_FIRST = re.compile(r"(?:St|Ste|Saint|Sainte|San|Santa|Santo|São|Sankt)\.?[ \t]")
# The same title right before a name found alone (not "San" or "Santo": given names too).
_SAINT_BEFORE = re.compile(r"(?<![\w'’])(?:St|Ste|Saint|Sainte|São|Sankt)\.?[ \t]$")
# A street word ends a street's name ("George St", "Victoria Road"; "Lina Park", "Lois Lane" are people).
_STREET_LAST = re.compile(
    r"[ \t](?:St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Drive|Dr|Crescent|Terrace|Square|Mews|Gardens)\.?$"
)
# A name's possessive before a day or a night is a feast ("Valentine's Day", "St Patrick's Night").
_FEAST_AFTER = re.compile(r"['’]s[ \t]+(?:Day|Eve|Night)\b")


# A place or institution named after a person, its noun after the name in any case ("Leonardo da
# Vinci airport") or before it: in any case in other languages ("o estádio José Alvalade", "Gare
# Saint-Lazare"), in English only with its capital ("Stadium Australia"), since a lower-case English
# noun before a name ends a clause more often than it names a place: "called the hospital Sarah said".
_PLACE_NOUN_OTHER = (
    r"aeroporto|aeropuerto|a[ée]roport|flughafen|est[áa]dio|stadion|stade|gare|esta[çc][ãa]o|estaci[óo]n|"
    r"bahnhof|h[ôo]pital|krankenhaus|universidade|universidad|universit[äé]t?|museu|museo|mus[ée]e|ponte|"
    r"puente|br[üu]cke|parque"
)
_PLACE_NOUN_EN = r"airport|stadium|station|hospital|university|museum|bridge|library"
_PLACE_NOUN = rf"(?i:{_PLACE_NOUN_EN}|{_PLACE_NOUN_OTHER})"
_PLACE_NOUN_FIRST = (
    rf"(?:(?i:{_PLACE_NOUN_OTHER})|(?-i:Airport|Stadium|Station|Hospital|University|Museum|Bridge|Library))"
)
_IN_NAME = (
    r"(?:[A-Z][\w'’-]*|de|do|da|del|di|du|von|van)[ \t]+"  # the rest of the name: "Leonardo [da Vinci]"
)
_PLACE_NOUN_BEFORE = re.compile(rf"(?<![\w-]){_PLACE_NOUN_FIRST}[ \t]+(?:{_IN_NAME}){{0,3}}$")
_PLACE_NOUN_AFTER = re.compile(rf"[ \t]+(?:{_IN_NAME}){{0,3}}{_PLACE_NOUN}\b")
# A bot or voice assistant is named like a person: "a chatbot called Ava", "your chat bot 'Alex'"
# (a whole word: "Talbot", "Cabot" name hotels and firms, not bots).
_BOT_BEFORE = re.compile(
    r"\b(?i:(?:chat[ \t-]?)?bot|virtual assistant|voice assistant|ai assistant|robot)[ \t]+"
    r"(?:(?i:called|named)[ \t]+)?['\"‘“]?$"
)


def _place_or_day(text: str, start: int, end: int) -> bool:
    """Is the name a place, an institution, a bot or a feast by its shape (see the patterns above)?"""
    if (
        THE_BEFORE.search(text, max(0, start - 5), start)
        and not FAMILY_AFTER.match(text, end)
        and not signs_as_family(text, start)  # "Thank you!\nthe Nakamuras"
    ):
        return True
    if _PLACE_NOUN_BEFORE.search(text, max(0, start - 40), start) or _PLACE_NOUN_AFTER.match(text, end):
        return True
    if _BOT_BEFORE.search(text, max(0, start - 30), start):
        return True
    name = text[start:end]
    if _SAINT_BEFORE.search(text, max(0, start - 8), start):
        return True  # "St. [John]'s Wood", "São [Paulo]": a saint's name makes a place, church or school
    return bool(_SAINT_FIRST.match(name) or _STREET_LAST.search(name) or _FEAST_AFTER.match(text, end))


# A plan, tier or bundle is named between a determiner and its head noun ("the Harper plan",
# "our Jasper tier"); a person never stands there.
_PLAN_BEFORE = re.compile(r"(?i)\b(?:the|my|our|your|their|a|an)\s+$")
_PLAN_AFTER = re.compile(
    r"(?i)\s+(?:plan|tier|bundle|package|subscription|membership|edition|option|add-on|licen[cs]e)s?\b"
)

# A company suffix right after the name: "& Co." (not "co-signed", not "Sarah & co": a given
# name there is a person and her friends), "Ltd", "GmbH".
_FIRM_AFTER = re.compile(
    r"(?:[ \t]*&[ \t]*(?i:co|sons)\b|[ \t]+(?:Ltd|Limited|LLP|LLC|Inc|GmbH|plc|PLC|Corp)\b)(?![\w-])"
)


# The rest of a firm's capitalised name up to its company suffix: "[Harlow] & Sons Ltd".
_SUFFIXED_RUN = re.compile(
    r"(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’.-]*){0,3}[ \t]+(?:Ltd|Limited|LLP|LLC|Inc|GmbH|plc|PLC|Corp|S\.?A\.?|S\.?L\.?|Lda|Ltda|SARL|SAS|BV|AG)\b\.?(?![\w-])"
)


def _is_firm(text: str, start: int, end: int) -> bool:
    """A name with a company suffix after or at its end and no known given name in it ("Khan &
    Co.", "Okoro & Sons", "Adeyemi Ltd")."""
    words = text[start:end].split()
    if _SUFFIXED_RUN.match(text, end):
        return True  # "Harlow & Sons Ltd", "Desai & Holt Architects Ltd": a registered firm's whole name
    if any(w.lower() in given_names_lower() for w in words):
        return False
    tail = " & " + words[-1] if words[-2:-1] == ["&"] else " " + words[-1]
    ends_firm = len(words) > 1 and _FIRM_AFTER.fullmatch(tail.rstrip("."))
    return bool(ends_firm or _FIRM_AFTER.match(text, end))


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)\b")


def is_plan(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a plan or product named like a person, by its shape: between a
    determiner and a plan word, with at most one product word between ("the Harper plan", "the
    Ollie Pro bundle")? A span that merely ends in a product word is not enough, nor is a capital
    after it: "Folasade Adeyemi Go ahead", "Rutendo Gumbo Business owner", "... Pro tip"."""
    if not _PLAN_BEFORE.search(text[max(0, start - 8) : start]):
        return False
    nxt = _NEXT_WORD.match(text, end)
    if nxt and nxt.group(1).lower() in PRODUCT_WORDS:
        end = nxt.end()  # "the Ollie [Pro] bundle"
    return bool(_PLAN_AFTER.match(text, end))


_CAP_WORD = re.compile(r"[^\W\d_][\w'’.&+-]*|&")


def _brand_around(text: str, start: int, end: int, keep: tuple[str, ...]) -> tuple[int, int]:
    """The capitalised words around a span that together name a brand, if any ("Craig" in
    "Jenny Craig was cheaper", "Oscar" in "Oscar Health", "Porter" in "Mr Porter"); else the span."""
    words = [m for m in _CAP_WORD.finditer(text, max(0, start - 40), min(len(text), end + 40))]
    inside = [i for i, m in enumerate(words) if m.start() < end and start < m.end()]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    lows, highs = range(max(0, first - 3), first + 1), range(last, min(len(words), last + 4))
    # each word's capital and each gap's space, read once for the sixteen runs tried below
    capital = {
        i: words[i].group()[0].isupper() or words[i].group() == "&" for i in range(lows[0], highs[-1] + 1)
    }
    spaced = {i: text[words[i].end() : words[i + 1].start()] in (" ", "") for i in range(lows[0], highs[-1])}
    for lo in lows:
        for hi in highs:
            run = words[lo : hi + 1]
            if not all(spaced[i] for i in range(lo, hi)) or not all(capital[i] for i in range(lo, hi + 1)):
                continue
            if lo < first and run[0].group().lower() in COMMON_NOUNS:
                continue  # "Chef Marcus": a role before a name, not "Home Chef" and "Marcus" run together
            if (lo, hi) != (first, last) and is_brand(text[run[0].start() : run[-1].end()], keep):
                return run[0].start(), run[-1].end()
    return start, end


def _brand_ends_inside(text: str, start: int, end: int, keep: tuple[str, ...]) -> bool:
    """Does a brand that opens before the span end inside it, with no known given name after it
    ("Marks & [Spencer Sparks]": the model or a name pattern took the brand's tail for a name)?"""
    words = [m for m in _CAP_WORD.finditer(text, max(0, start - 40), min(len(text), end + 1))]
    inside = [i for i, m in enumerate(words) if m.start() < end and start < m.end()]
    if len(inside) < 2 or words[inside[0]].start() != start:
        return False
    first = inside[0]
    for lo in range(max(0, first - 3), first):
        for hi in inside[:-1]:
            run = words[lo : hi + 1]
            gaps = [text[a.end() : b.start()] for a, b in zip(run, run[1:], strict=False)]
            if any(g not in (" ", "") for g in gaps) or not all(
                w.group()[0].isupper() or w.group() == "&" for w in run
            ):
                continue
            if is_brand(text[run[0].start() : run[-1].end()], keep):
                rest = [words[i].group() for i in inside if i > hi]
                return not any(w.lower() in given_names_lower() for w in rest)
    return False


# Context that marks a capitalised word as a product, not a person: "switched to Notion",
# "using Asana", "Gantt charts", "the Porto office", "200 Mbps".
PRODUCT_BEFORE = re.compile(
    r"(?i)\b(?:(?:switch(?:ed|ing)?|mov(?:ed|ing)|went|go(?:ing)?|migrat(?:ed|ing)|chang(?:ed|ing)|port(?:ed|ing)|"
    r"transferr?(?:ed|ing)?|jump(?:ed|ing)|defect(?:ed|ing)|drift(?:ed|ing))\s+(?:(?:my|our|the|all|all my|all our|their)\s+)?"
    # what was moved: "moved my savings to Marcus", "transferred our ISA to ..."
    r"(?:(?:savings|money|cash|funds|account|accounts|isa|pension|mortgage|business|team|company|data|files|"
    r"photos|everything|balance|deposit|number|contract|subscription|broadband|energy|banking)\s+)?"
    r"(?:over\s+)?(?:to|with)|"
    r"use|uses|used|using|try|tried|trying|chose|choose|picked|prefer|preferred|bought|joined|"
    r"signed up (?:for|with)|subscribed to|replaced (?:you |it |them )?with|"
    r"(?:cheaper|better|worse|faster|higher|lower|more|less|best|cheapest) (?:on|at|with|from)|than|"
    r"like|such as|including|via|through|vs\.?|versus|instead of|compared (?:to|with)|comparing (?:it )?(?:to|with)|integrat(?:ion|es?|ed) (?:with|into)|sync(?:s|ed)? with|"
    r"(?:dis)?connect(?:s|ed|ing)? (?:to|from|with)|pair(?:s|ed|ing)? with|compatible with|works with|offer from|deal from|the|a|an|our|their|your|its|"
    # an order or a shop's goods in the other survey languages: "el pedido de Zara", "commande chez"
    r"(?:pedidos?|encomendas?|commandes?|compras?|tienda|loja|magasin|boutique|ropa|roupa|bestellung)\s+"
    r"(?:de|da|do|en|na|no|chez|bei|von))\s+$"
)
PRODUCT_AFTER = re.compile(
    r"(?i)^\s*(?:'s\s+)?(?:app|apps|chart|charts|board|boards|template|templates|integration|integrations|"
    r"plan|plans|subscription|tier|premium|pro|plus|version|bundle|package|deal|offer|workspace|calendar|"
    r"stores?|shops?|offices?|branch|branches|sites?|website|account|accounts|card|cards|api|sync|support|import|export|"
    r"does|has|have|offers|gives|includes|is cheaper|was cheaper|costs|charges|works|integrates|"
    r"view|views|feature|features|data|users|customers|subscribers|members|membership|\d)\b"
)


# "Max had the shows", "Marcus gives 4%": a product has, offers or gives something.
PRODUCT_HAS = re.compile(
    r"(?i)^\s*(?:has|had|have|offers?|offered|gives?|gave|includes?|included|pays?|paid|charges?|charged)\s+"
    r"(?:the|a|an|all|more|better|way|much|no|every|loads|lots|\d|\W?[£$€]|\w+ (?:shows|films|rates?|interest))"
)


# Words that end the name of a place or an institution, not a person: "Madison Square Garden".
_PLACE_END = re.compile(
    r"\b(?:Square|Gardens?|Arena|Stadium|Centre|Center|Airport|Station|Hotel|Mall|Plaza|University|College|"
    r"Hospital|School|Academy|Grammar|Primary|Infants|Juniors|Nursery|Institute|Museum|Theatre|Theater|Clinic|Pharmacy|Foods|Motors|Holdings|Airways|"
    r"Airlines|Insurance|Energy|Telecom|Wharf|Terminal|Quay|Pier|Harbour|Harbor|Marina|Docks?|Junction|Parkway|"
    r"Haven|Moorings|Boatyard|Basin|"
    r"Arcade|Galleria|Tower|Towers)$"
)
# A business named after its owner: "Dr. Smile Dental", "Hattie & Rowe Lettings", "Okoro Plumbing".
_BUSINESS_END = re.compile(
    r"\b(?:Dental|Dentistry|Surgery|Opticians|Vets|Veterinary|Solicitors|Lettings|Estates|Accountants|Associates|"
    r"Partners|Consulting|Consultancy|Bakery|Barbers|Plumbing|Electrical|Builders|Roofing|Cleaning|Removals|"
    r"Properties|Realty|Homes|Interiors|Catering|Florists|Jewellers|Jewelers|Tailors|Landscaping|Logistics|"
    r"Couriers|Travel|Tours|Studio|Studios|Fitness|Pilates|Yoga|Kitchen|Deli|Bistro|Trattoria|Pizzeria|Brewery|"
    r"Design|Designs|Architects|Architecture|Media|Digital|Creative|Films|Productions|Labs|Technologies|Solutions|"
    r"Systems|Software|Agency|Marketing|Events|Photography|Printing|Garage|Autos|Nurseries|Childcare|Tutors|"
    r"Tutoring|Clinic|Physio|Physiotherapy|Chiropractic|Osteopathy|Therapy|Salon|Hair|Beauty|Nails|Spa)$"
)
# A trade word that opens a business's name: "Trattoria Bella", "Café Rouge", "Hotel Miramar".
_BUSINESS_FIRST = re.compile(
    r"(?:Trattoria|Ristorante|Pizzeria|Osteria|Café|Cafe|Caffè|Bistro|Brasserie|Taverna|Cantina|Casa|Chez|Hotel|"
    r"Hostal|Pension|Pousada|Restaurante|Restaurant|Bar|Boulangerie|Pâtisserie|Patisserie|Panadería|Padaria|"
    r"Librería|Livraria|Clínica|Clinique|Farmacia|Farmácia|Pharmacie|Studio|Salon|Maison)[ \t]"
)
# "Joe" of "Joe Wicks workouts", "Hattie" of "Hattie & Rowe Lettings"
_CAP_RUN = re.compile(r"(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’.-]*){0,3}")


def _goods_or_place(text: str, end: int, start: int | None = None) -> bool:
    """Do goods follow the name, or does the run of capitalised words it opens (the name's own
    last word too: "Queen Elizabeth's Grammar") end in a place word or a business's word? A span that
    holds more than a name ("Rob @ Rob's Plumbing") keeps its person."""
    if _PLACE_END.search(text, max(0, end - 20), end):
        return True
    if start is not None and _BUSINESS_FIRST.match(text, capital_run(text, start, end)[0]):
        return True  # "Trattoria Bella closed": a restaurant, named by its trade word first
    plain = start is None or re.fullmatch(r"[\w.'’& -]+", text[start:end]) is not None
    if plain and _BUSINESS_END.search(text, max(0, end - 20), end):
        return True
    whose = text.startswith(("'s ", "’s "), end) or text[:end].endswith(("'s", "’s"))
    run = _CAP_RUN.match(text, end + 2 if text.startswith(("'s ", "’s "), end) else end)
    fan = run is not None and not whose and FAN_GOODS_AFTER.match(text, run.end()) is not None
    business = run is not None and plain and _BUSINESS_END.search(run.group()) is not None
    return bool(
        run and (GOODS_AFTER.match(text, run.end()) or fan or business or _PLACE_END.search(run.group()))
    )


# Goods right after a capitalised name make it a brand: "Fred Perry polo", "Jack Daniel's gift boxes",
# "Louis Vuitton pop-up", "Harry Potter audiobooks", "the Sebastian hair products".
GOODS_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?:(?:gift|hair|skin|skincare|beauty|kids'?|men's|women's|outlet|limited|special|new|"
    r"leather|sports?|running|winter|summer)[ \t]+)?"
    r"(?:products?|range|ranges|collection|collections|line|boxes|box|boots|shoes|trainers|sneakers|bags?|"
    r"handbags?|purses?|wallets?|watch(?:es)?|polos?|shirts?|t-shirts?|suits?|jackets?|coats?|jeans|dress(?:es)?|"
    r"perfumes?|fragrances?|scents?|cologne|audiobooks?|books?|films?|movies?|box ?sets?|pop-ups?|boutiques?|"
    r"cosmetics|make-?up|lipsticks?|labels?|packets?|mix(?:es)?|concerts?|tours?|albums?|songs?|gigs?|"
    r"(?:gas|petrol)[ \t]+stations?|stores?|restaurants?|diners?|salons?|dealerships?|"
    r"meal kits?|cakes?|pizzas?|biscuits|snacks|workouts?|recipes?|podcasts?|videos?|whisk(?:e)?y|gin|vodka|wine|beer|sauces?|ice cream|chocolates?|meal plans?)\b"
)
# What a fan buys or watches, and household goods named after a maker, with no possessive (a
# person has tickets too: "Olga's ticket"): "Frank Ocean tickets", "Laura Ashley wallpaper".
FAN_GOODS_AFTER = re.compile(
    r"[ \t]+(?:tickets?|presales?|pre-sales?|documentar(?:y|ies)|biopics?|vinyls?|records|LPs?|CDs?|discography|catalogue|"
    r"catalog|merch(?:andise)?|posters?|memes?|tweets?|interviews?|wallpapers?|paints?|fabrics?|curtains|bedding|"
    r"furniture|sofas?|mattress(?:es)?|hoovers?|vacuums?|kettles?|toasters?|blenders?|headphones|earbuds|"
    r"beds?|bed frames?|headboards?|armchairs?|chairs?|dining tables?|wardrobes?|cushions?|rugs?|lamps?|"
    r"air fryers?|fryers?|coffee machines?|"
    r"speakers?|glasses|frames|toys?|dolls?|figures|games?|lego sets?|gift sets?|"
    # software named like a person: "no Django plugin", "the Julia SDK"
    r"plugins?|plug-ins?|sdks?|librar(?:y|ies)|frameworks?|extensions?|add-ons?|themes?|widgets?)\b"
)
