"""Firms and their teams named like people in letters: "Hi Brightline Support,", "Dear Mercer &
Hale", "Thanks, The Voltway Crew", "Hello Kelvin Heating", "Customer Success, Quillbox".

A letter to the company opens by greeting it and may quote its replies, so the firm's name stands
where the name rules look for a person. The capitalised run around a name (on its own line, past
the greeting) tells a firm by what the run holds, not by a list of firms:

* a company suffix ("Crawford Utilities Ltd", "Stokes & Son");
* a trade after the name ("Kelvin Heating", "Dalton Dental Care", "Jordan Logistics");
* one word before its staff ("Brightline Support", "the Beckett Team", "Team Florence", "Harper
  Customer Care", "Voltway crew"), or a channel ("via Quillbox web", "Harbor Dental's portal");
* a pair joined by "&" that is greeted and not two given names ("Dear Mercer & Hale");
* the one word after a unit of it on a signature line ("Customer Success, Quillbox");
* one word that is no given name, held by the customer ("a Brightline customer", "my Brightline
  subscription"), or greeted alone and the host of a web or e-mail address in the answer ("Dear
  Brightline, ... help@brightline.com"). Greeted alone with neither, it stays a person.

A title before the run ("Mr Quinn") or two name words before a team ("Tsholofelo Molefe Support
Desk") keep the person; a run found to be a firm is one wherever else it stands in the answer,
unless it is a single known given name ("Hi Jordan, ... Jordan Logistics": Jordan stays redacted).
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .closings import CLOSING
from .letters import LO, UP
from .teams import TEAM_WORDS, UNIT_LAST
from .things import per_text
from .words import COMPANY_SUFFIXES, PRODUCT_WORDS, TITLE_WORDS, given_names, hand_given_names

# What a firm does, after its name: a business's trade or the goods it sells. No word here is a
# common surname ("Baker", "Mason", "Price", "Banks", "Power", "Law" are left out), so a name
# before one of them is the firm's ("Harrison Water", "Lincoln Gas", "Mason Freight").
TRADES = frozenset(
    "water gas electric electricity energy solar utilities bank banking finance financial credit loans "
    "mortgages insurance assurance broadband mobile mobiles telecom telecoms fibre fiber networks internet "
    "cloud hosting vpn security alarms storage freight parcels deliveries delivery couriers courier logistics "
    "removals transport haulage shipping travel tours holidays airways airlines rail coaches taxis cabs "
    "motors cars autos auto garage tyres gym gyms fitness leisure books bookshop flowers florist florists "
    "wines wine spirits brewery coffee foods food kitchen kitchens bakery bakeries catering organics grocers "
    "cinemas cinema theatres tickets robotics eyecare optical opticians eyewear dental dentistry dentists "
    "vets veterinary pets pharmacy chemist chemists clinic clinics health healthcare medical wellness care "
    "heating plumbing electrical roofing glazing windows builders construction joinery carpentry cleaning "
    "laundry repairs maintenance tools hardware payroll accounting accountants tax software systems "
    "solutions technologies tech labs digital media studios studio design printing print games gaming "
    "sports outdoors clothing fashion apparel shoes beauty cosmetics salon spa hair nails barbers "
    "nursery nurseries childcare tutors tutoring coaching academy learning education music audio "
    "electronics appliances furniture interiors carpets flooring lettings estates property properties "
    "homes home housing realty legal solicitors consulting consultancy recruitment staffing agency "
    "marketing events weddings supply supplies services group holdings partners associates industries "
    "centre center enterprises ventures trading wholesale retail stores store shop shops market markets pharma "
    "broadcasting streaming video photo photography cycles bikes boats marine pools farms dairy".split()
)
# The firm's people or its desk right after its name, in lower case ("Monroe Mobile team", "Hi
# Harrison Water billing", "Fletcher Home Insurance folks"), or how it is reached ("Quillbox web").
STAFF_AFTER = re.compile(
    r"[ \t]+(?:customer[ \t]+(?:service|services|care|success|support|relations)|team|teams|crew|support|"
    r"folks|staff|people|billing|accounts|helpdesk|help desk|desk|department|dept|"
    r"web|app|portal|website|platform|chatbot|helpline|hotline)\b"
)
# The same words in title case inside the run: "Brightline Support", "the Voltway Crew".
STAFF_WORDS = UNIT_LAST | {"crew", "folks"}
_WORD = re.compile(rf"[{UP}{LO}\d][\w'’.-]*|&")
# Words that stand before the firm on its line and are no part of it.
_LEAD = frozenset(
    "hi hello hey hiya heya dear to the thanks thank cheers regards all everyone folks at".split()
)
_GREETED = re.compile(
    r"(?i)(?:^|\n)[ \t]*(?:hi|hello|hey|hiya|heya|dear|to|good (?:morning|afternoon|evening))"
    r"(?:[ \t]+there)?[ \t,]*(?:(?:the[ \t]+)?(?:team|folks|people|all|everyone|sirs?)[ \t]+(?:at|of)[ \t]+)?$"
)
# A pair named right after the word for a firm: "moved our IT to a local firm, [Bennett & Clarke]".
_FIRM_NOUN_BEFORE = re.compile(
    r"(?i)\b(?:firm|company|business|practice|agency|partnership|solicitors|accountants)[ \t]*[,:]?[ \t]+$"
)
_TITLE = re.compile(rf"(?:{TITLE_WORDS})\.?")
_TITLE_BEFORE = re.compile(rf"(?<![\w'’])(?:{TITLE_WORDS})\.?[ \t]+$")
# A unit of the firm and a comma before its name on a signature line: "Customer Success, [Quillbox]".
_UNIT_COMMA = re.compile(r"((?:[A-Za-z][\w.'’-]*[ \t]+){0,3}[A-Za-z][\w.'’-]*),[ \t]*$")
# What ends a signature's part after the firm: "Quillbox,", "Quillbox" and a closing quote.
_PART_END = re.compile(r"[ \t]*(?:[,.!;:\"”’)\]]|\n|$)")
# A closing before a run that ends the answer: the writer signs ("Regards, Maria Support").
_SIGNED = re.compile(rf"{CLOSING}[ \t]*[,:!.-]?[ \t\n]*$")
_ENDS = re.compile(r"[ \t]*[.!]?\s*$")
# What a customer holds with a firm, after the firm's one word and an article or "my": "a [Brightline]
# customer", "my [Brightline] subscription", "your [Brightline] engineer" (no person's name is said so).
_HELD_BEFORE = re.compile(r"(?i)(?<![\w'’])(?:a|an|my|our|your|their)[ \t]+$")
_HELD_AFTER = re.compile(
    r"[ \t]+(?:customers?|subscribers?|subscriptions?|accounts?|membership|members|contracts?|tariffs?|"
    r"bills?|plans?|packages?|orders?|router|hub|engineers?|advisors?|advisers?)\b"
)
# The host of a web address or of an e-mail address: "www.brightline.co.uk", "help@brightline.com".
_HOST = re.compile(
    r"(?i)(?:@[ \t]?|\bwww\.|https?://)([a-z0-9][a-z0-9-]*)\.|\b([a-z0-9][a-z0-9-]*)\.(?:com|co\.uk|net|org|io)\b"
)
_FIRM_JOIN = frozenset("son sons co partners daughters".split())
MAX_RUN = 6
_REACH = 160  # characters read each way of a name for its run


def _capitalised(word: str) -> bool:
    return word == "&" or word[0].isupper() or word[0].isdigit()


def _joinable(word: str) -> bool:
    """A word that may stand in a firm's run: capitalised or "&", and no English function word
    ("Thanks Priya For Sorting My Broadband" is a sentence in title case, not a firm)."""
    return _capitalised(word) and (word == "&" or word.lower().rstrip(".") not in stop_words()["en"])


def _line_start(text: str, pos: int) -> int:
    """Where the line of ``pos`` starts, or :data:`_REACH` characters before it on a long line."""
    return text.rfind("\n", max(0, pos - _REACH), pos) + 1 or max(0, pos - _REACH)


def _run(text: str, start: int, end: int) -> tuple[int, int, list[str]]:
    """The capitalised words around ``text[start:end]`` on its line, joined by spaces or "&",
    less the greeting, closing or article that opens it: (start, end, words), at most
    :data:`MAX_RUN` words each way."""
    # a window of the line, not the whole line: a long answer holds thousands of names
    line_start = _line_start(text, start)
    nl = text.find("\n", end, end + _REACH)
    line_end = min(len(text), end + _REACH) if nl < 0 else nl
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, line_start, line_end)]
    if line_start > 0 and text[line_start - 1] != "\n":
        words = words[1:]  # the window may open inside a word
    inside = [i for i, w in enumerate(words) if w[0] < end and start < w[1]]
    if not inside:
        return start, end, []
    lo, hi = inside[0], inside[-1]
    if not all(_joined(text, words[i], words[i + 1]) for i in range(lo, hi)):
        return start, end, []  # "Rob @ Rob's Plumbing": the span holds more than one run, a person's too
    while lo > max(0, inside[0] - MAX_RUN) and _joined(text, words[lo - 1], words[lo]):
        if not _joinable(words[lo - 1][2]) or words[lo - 1][2].endswith("."):
            break
        lo -= 1
    while hi + 1 < min(len(words), inside[-1] + MAX_RUN + 1) and _joined(text, words[hi], words[hi + 1]):
        if not _joinable(words[hi + 1][2]):
            break
        if words[hi][2].endswith(".") and words[hi][2].rstrip(".").lower() not in COMPANY_SUFFIXES:
            break  # a sentence ends: "at Wilder Insurance. The rest"
        hi += 1
    while lo < inside[0] and (words[lo][2].lower() in _LEAD or words[lo][2] == "&"):
        lo += 1
    while hi > inside[-1] and words[hi][2] == "&":
        hi -= 1
    run = words[lo : hi + 1]
    return run[0][0], run[-1][1], [w[2] if w[2] == "&" else w[2].rstrip(".,'’") for w in run]


def _joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    return text[left[1] : right[0]] in (" ", "\t")


def _given(word: str) -> bool:
    """A known given name, or a word with letters beyond ASCII ("Zoë", "Łukasz")."""
    return word in given_names() or not word.isascii()


def _core(words: list[str]) -> tuple[list[str], bool]:
    """The run less its staff words ("[Brightline] Support", "Team [Florence]", "[Harper] Customer
    Care") and a product word after it ("[Ellis] Pro team"); and whether a staff word was taken off."""
    lo, hi = 0, len(words)
    while lo < hi - 1 and words[lo].lower() in STAFF_WORDS:
        lo += 1
    while hi > lo + 1 and words[hi - 1].lower() in TEAM_WORDS | STAFF_WORDS:
        hi -= 1
    staff = any(w.lower() in STAFF_WORDS for w in words[:lo] + words[hi:])
    while hi > lo + 1 and words[hi - 1].lower() in PRODUCT_WORDS:
        hi -= 1
    return words[lo:hi], staff


def _suffixed(words: list[str]) -> bool:
    """A company suffix ("Ltd", "GmbH", "Group") or "& Son", "& Co" in the run."""
    if any(w.lower() in COMPANY_SUFFIXES and w.lower() != "co" for w in words[1:]):
        return True
    # "Khan & Co", "Florence & Co"; "Sarah & co" in lower case is a person and her friends
    return any(
        b.lower() in _FIRM_JOIN and (b[0].isupper() or not _given(a))
        for a, amp, b in zip(words, words[1:], words[2:], strict=False)
        if amp == "&"
    )


def _traded(words: list[str]) -> bool:
    """A trade after the run's first word ("Kelvin Heating", "Dalton Dental Care"); a trade that is
    also a department ("Finance", "Security") only after one name or a pair: "Kwame Mensah Finance"
    signs a person and his department."""
    for i, w in enumerate(words[1:], 1):
        if w.lower() in TRADES:
            return w.lower() not in TEAM_WORDS or i == 1 or "&" in words[:i]
    return False


def _paired(words: list[str]) -> bool:
    """Two names joined by "&" that are not both given names ("Mercer & Hale", not "Tom & Grace")."""
    if "&" not in words[1:-1]:
        return False
    i = words.index("&")
    # the hand-kept list: Faker's given names hold many surnames ("Mercer", "Hale", "Abbott")
    return not all(w in hand_given_names() or not w.isascii() for w in (words[i - 1], words[i + 1]))


def run_is_firm(text: str, start: int, end: int) -> bool:
    """Is the capitalised run around ``text[start:end]`` a firm or its team, by its own words and
    the words around it (see the module's notes)? Once per span and text."""
    memo = per_text(text, "firm_run")
    key = (start, end)
    if key not in memo:
        memo[key] = _run_is_firm(text, start, end)
    return bool(memo[key])


def _run_is_firm(text: str, start: int, end: int) -> bool:
    run_start, run_end, words = _run(text, start, end)
    if not words:
        return False
    if _TITLE.fullmatch(words[0]):
        return _suffixed(words)  # "Mr Quinn Property ...": a titled person, unless a registered firm
    if _suffixed(words) or _traded(words):
        return True  # "Crawford Utilities Ltd", "Stokes & Son", "Kelvin Heating", "Jordan Logistics"
    line_start = _line_start(text, run_start)
    if _TITLE_BEFORE.search(text, max(line_start, run_start - 12), run_start):
        return False  # "Mr Quinn", "Dr. Okafor": a titled person
    core, staff = _core(words)
    greeted = _GREETED.search(text, max(0, line_start - 1), run_start) is not None  # from its "\n"
    one = len(core) == 1
    if (
        one
        and core[0] in hand_given_names()
        and _SIGNED.search(text, max(0, run_start - 40), run_start)
        and _ENDS.match(text, run_end)
    ):
        return False  # "Kind regards, Maria Support" ends the answer: she signs it
    if staff and (one or _paired(core)):
        return True  # "Brightline Support", "Team Florence", "Harper Customer Care", "the Voltway Crew"
    if STAFF_AFTER.match(text, run_end) and ((one and (greeted or not _given(core[0]))) or _paired(core)):
        return True  # "Hi Ellis team", "Infra team", "Quillbox web", "the Mercer & Hale team"
    if (greeted or _FIRM_NOUN_BEFORE.search(text, max(0, run_start - 30), run_start)) and _paired(core):
        return True  # "Dear Mercer & Hale,", "a local firm, Bennett & Clarke"
    if one and not _given(core[0]) and _HELD_BEFORE.search(text, max(0, run_start - 8), run_start):
        if _HELD_AFTER.match(text, run_end):
            return True  # "a Brightline customer", "my Brightline subscription": what the customer holds
    if greeted and one and not _given(core[0]) and core[0].lower() in _hosts(text):
        return True  # "Dear Brightline, ... www.brightline.co.uk": the firm greeted has that web address
    if one and not _given(core[0]) and _PART_END.match(text, run_end):
        unit = _UNIT_COMMA.search(text, line_start, run_start)
        unit_words = [w.lower() for w in unit.group(1).split()] if unit else []
        while unit_words and unit_words[0] in _LEAD:
            unit_words.pop(0)  # "Dear Customer Success, Quillbox"
        if unit_words and all(w in TEAM_WORDS for w in unit_words):
            return True  # "Customer Success, Quillbox": the firm a unit belongs to
    return False


def _hosts(text: str) -> frozenset[str]:
    """The first word of each web or e-mail host in ``text``, lower case ("brightline"); once per text."""
    memo = per_text(text, "hosts")
    if "hosts" not in memo:
        memo["hosts"] = frozenset((m.group(1) or m.group(2)).lower() for m in _HOST.finditer(text))
    return frozenset(memo["hosts"])


_CAPITAL = re.compile(rf"(?<![\w'’])[{UP}][\w'’-]*")


def _firm_names(text: str) -> frozenset[str]:
    """The firms' names found in ``text`` by their runs, but not those that are one given name."""
    memo = per_text(text, "firm_names")
    if "names" not in memo:
        found = set()
        for m in _CAPITAL.finditer(text):
            if run_is_firm(text, m.start(), m.end()):
                core, _ = _core(_run(text, m.start(), m.end())[2])
                if len(core) > 1 or not _given(core[0]):
                    found.add(" ".join(core))
        memo["names"] = frozenset(found)
    return frozenset(memo["names"])


def is_firm_name(text: str, start: int, end: int) -> bool:
    """Is the name at ``text[start:end]`` a firm or its team, where it stands or, named alike,
    elsewhere in the answer ("Hi Quillbox! ... Sent via Quillbox web")?"""
    if run_is_firm(text, start, end):
        return True
    firms = _firm_names(text)
    if not firms:
        return False
    words = _run(text, start, end)[2]
    return bool(words) and " ".join(_core(words)[0]) in firms
