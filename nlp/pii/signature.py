"""Signature blocks and the edges of names already found.

A closing, a ``--`` line or "Sent from my iPhone" starts a signature: the next line's first part
is the writer's name in whatever case it was typed ("NOMVULA DLAMINI", "kwame mensah",
"Marcus Oyelaran | Operations Lead | +44 ..."), even with a title, phone or e-mail lines after it.

A name found in part ("Nguyễn [Thị Lan]", "[Anaïs] & Théo") is widened to the name words
beside it, so a surname or a second person does not leak.
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .brands import is_name_brand, is_plain_brand
from .closings import closing_starts, find_at
from .edges import complete_names
from .letters import LO, UP
from .lowercase import LOWER_NAME_WORD, common_lower, lower_given, lower_name
from .names import CLOSING, FULL_NAME, NAME_WORD, PARTICLE
from .spans import Span
from .words import (
    AMBIGUOUS_GIVEN,
    COMPANY_SUFFIXES,
    FUNCTION_WORDS,
    GREETED,
    NOT_NAMES,
    bank_vocabulary,
    given_names,
    given_names_lower,
    word_names,
)

# Where a signature starts: a closing word alone (or with its comma) at a line's end, a "--" line,
# or a phone's "Sent from my ..." line.
SIGNATURE_START = re.compile(
    rf"(?:{CLOSING}[ \t]*[,!.:]?[ \t]*\n|(?:^|\n)[ \t]*(?:--|—|–|__+)[ \t]*\n"
    r"|(?i:sent (?:from|via|with) (?:my )?[\w ]{2,30}|get outlook for \w+|enviado desde (?:mi )?[\w ]{2,30}|"
    r"von meinem [\w ]{2,30} gesendet|envoy[ée] de(?:puis)? (?:mon )?[\w ]{2,30}|enviado do (?:meu )?[\w ]{2,30})[ \t]*\n)"
    rf"|{CLOSING}[ \t]*[,:]?[ \t]+(?=[^\n]*\n[^\n]*(?:\d{{3}}|@))"
)
# Where the alternatives of SIGNATURE_START without a closing can start: the text's start, a line
# break, and the mail-client words ("absent from" holds "sent from", so anywhere in a word).
_CLIENT_AT = re.compile(r"\n|(?=(?i:sent |get outlook|enviado |von meinem|envoy))")


def _signature_starts(text: str) -> list[int]:
    """Every position where SIGNATURE_START can match, ascending."""
    return sorted({0, *closing_starts(text), *(m.start() for m in _CLIENT_AT.finditer(text))})


_LINE = re.compile(r"[ \t]*([^\n|,/•·]+)")
_PARTICLES = frozenset(
    "de da do dos das del della di van von der den la le du bin ibn al el y i ter ten".split()
)
_SIG_WORD = re.compile(rf"[{UP}{LO}][{UP}{LO}'’.-]*")
_CONTACT_LINE = re.compile(r"\d{3}|@|https?://|www\.")
_JOIN = re.compile(
    rf"^\s*(?:&|\+|and|und|et|y|e|og|och|i)\s+({NAME_WORD})(?<!['’]s)(?<!['’])(?![\w-]|['’](?!s\b)\w)"
)
# Matched at a span's end (``match(text, pos)``), so no "^": it would only hold at the text's start.
# ... through the particles of a surname: "Ruairí Mac Giolla Bhríde", "Ana de Sousa".
# A full stop may end the sentence after it ("... is María José Villalobos Núñez."), not a host (".com").
_NEXT_WORD = re.compile(rf"[ \t]((?:{PARTICLE}[ \t]+){{0,2}}({NAME_WORD}))(?![\w'’-]|\.\w)")
_PREV_WORD = re.compile(rf"(?:^|[\s(])({NAME_WORD})[ \t]$")


# A closing padded with 1-3 filler words before the name: "Thanks so much,\nabdi",
# "cheers m8, dave", "thanks again guys - Ingrid", "Many thanks for trying,\nFatima".
_FILLER = (
    r"(?i:so|much|very|again|a|lot|you|mate|m8|pal|buddy|bud|all|guys|folks|everyone|anyway|then|lol|haha|heaps|"
    r"loads|for (?:everything|trying|nothing|asking|reading|your help|the help))"
)
PADDED_SIGN_OFF = re.compile(
    rf"{CLOSING}(?:[ \t]+{_FILLER}){{1,3}}(?:[ \t]*(?:[,!.:]|[-—–~]+)\s*|[ \t]+)"
    rf"({FULL_NAME}|{LOWER_NAME_WORD}(?:[ \t]+{LOWER_NAME_WORD}){{0,2}})\s*[.!]?\s*$"
)
# A name in capitals opening the answer: "YUKI TANAKA HERE.", "ŁUKASZ NOWAK - CLOSE THE ACCOUNT".
CAPS_OPENING = re.compile(
    rf"^\s*([{UP}][{UP}'’-]+(?:[ \t]+[{UP}][{UP}'’-]+){{0,2}})(?=[ \t]*(?:[,:.!]|[-—–]|[ \t]HERE\b))"
)


def _common(word: str) -> bool:
    """A word customers use, a function word in some language, or a word the cues know is no name."""
    if len(word.rstrip(".")) == 1 and word[0].isupper():
        return False  # an initial: "J. Mwangi"
    low = word.lower().strip(".")
    stop = set().union(*stop_words().values()) | FUNCTION_WORDS
    return (
        low in stop
        or word.title().strip(".") in NOT_NAMES
        or word.title() in GREETED
        or (low in bank_vocabulary() and low not in given_names_lower())
    )


def _signature_name(words: list[str]) -> bool:
    """Do 1-4 words on a signature's first line name a person, whatever their case?"""
    if not 1 <= len(words) <= 4 or any(not _SIG_WORD.fullmatch(w) for w in words):
        return False
    if words[0].islower():
        return lower_name(words)
    if is_plain_brand(" ".join(words)) or is_plain_brand(words[0]):
        return False  # "Regards,\nAcme"; but "Sent from my Galaxy\nMARCUS" signs a person
    core = [w for w in words if w.lower() not in _PARTICLES]
    if not core or _common(core[0]) or all(_common(w) for w in core):
        return False  # "Operations Team", "Head of IT"; a surname may be a word ("SALLY-ANNE PRICE")
    if any(w.lower().strip(".") in COMPANY_SUFFIXES for w in core):
        return False  # "Acme Ltd"
    return all(w[0].isupper() for w in core)


def signature_spans(text: str) -> list[Span]:
    """The writer's name on the first line of a signature block at the end of the text."""
    spans: list[Span] = []
    for m in find_at(SIGNATURE_START, text, _signature_starts(text)):
        rest = text[m.end() :]
        lines = rest.strip().split("\n")
        if len(lines) > 5 or any(
            len(line.split()) > 8 and not _CONTACT_LINE.search(line) for line in lines[1:]
        ):
            continue  # more answer follows: not a signature
        line = _LINE.match(rest)
        if not line:
            continue
        name = line.group(1).strip(" \t-–—:")
        words = name.split()
        bare = name.rstrip(".!")
        if bare.title() in NOT_NAMES or re.fullmatch(CLOSING, bare.lower()):
            continue  # "Thanks, bye.": a leave-taking after the closing, with its full stop
        if _signature_name(words):
            start = m.end() + rest.index(name)
            spans.append((start, start + len(name), "PERSON"))
    return spans


def opening_and_padded_spans(text: str) -> list[Span]:
    """A name in capitals opening the answer (a known given name first, the words after it no
    common word) and a name after a closing padded with filler words."""
    spans: list[Span] = []
    m = CAPS_OPENING.match(text)
    if m:
        tokens = list(re.finditer(r"\S+", m.group(1)))
        while len(tokens) > 1 and (
            common_lower(tokens[-1].group().lower()) or tokens[-1].group().title() in NOT_NAMES
        ):
            tokens.pop()  # "KWAME HERE", "ANNA CANCEL"
        first = tokens[0].group().title()
        single_brand = len(tokens) == 1 and is_name_brand(first)  # "MAX - CANCEL" may be the plan
        if (
            first in given_names()
            and first not in AMBIGUOUS_GIVEN
            and not is_plain_brand(first)
            and not single_brand
        ):
            spans.append((m.start(1), m.start(1) + tokens[-1].end(), "PERSON"))
    for m in find_at(PADDED_SIGN_OFF, text, closing_starts(text)):
        words = m.group(1).split()
        if not re.search(r"[,!.:\n—–~-]", text[m.start() : m.start(1)]) and not _known_given(words[0]):
            continue  # no comma or dash: "thanks for everything rosa-maria" needs a name the lists know
        if words[0].islower():
            if lower_name(words):
                spans.append((m.start(1), m.end(1), "PERSON"))
        elif not any(w.strip(".") in NOT_NAMES or w in GREETED or is_plain_brand(w) for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    return spans


def _known_given(word: str) -> bool:
    """A given name the lists know, in any case, that is no word too ("rosa-maria", "Tomasz")."""
    return lower_given(word.lower()) and word.title() not in AMBIGUOUS_GIVEN


# A title that opens a name: nothing before it is part of the name ("Conseillère Mme Lefèvre").
_TITLE_FIRST = re.compile(
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Dom|Dona|Don|Doña|Pani|Pan)\.?[ \t]"
)


def _joins_a_name(word: str) -> bool:
    return word in given_names() or not word.isascii()


def widen_names(text: str, spans: list[Span]) -> list[Span]:
    """Add the name words right beside each PERSON span: a surname before or after it that is
    no common word ("Nguyễn" before "Thị Lan"), a second person joined by "&" or "and", and the
    initials, capitals, particles and family names before it (:func:`edges.complete_names`)."""
    out = list(spans)
    for start, end, tag in spans:
        if tag != "PERSON":
            continue
        nxt = _NEXT_WORD.match(text, end)
        while nxt and not _common(nxt.group(2)) and not is_plain_brand(nxt.group(2)):
            out.append((nxt.start(1), nxt.end(1), "PERSON"))
            nxt = _NEXT_WORD.match(text, nxt.end()) if nxt.group(1) != nxt.group(2) else None
        prev = _PREV_WORD.search(text[max(0, start - 40) : start])
        if (
            prev
            and not _TITLE_FIRST.match(text, start)  # "Conseillère [Mme Lefèvre]": a title opens the name
            # a given name that is also a word is the name's start here: "under Destiny [Clarke]"
            and (
                (_joins_a_name(prev.group(1)) and not _common(prev.group(1))) or prev.group(1) in word_names()
            )
            and not re.fullmatch(CLOSING, prev.group(1))  # "Gruß Paulina": the closing, not a surname
            and not is_plain_brand(prev.group(1))
        ):
            offset = max(0, start - 40)
            out.append((offset + prev.start(1), offset + prev.end(1), "PERSON"))
        join = _JOIN.match(text[end:])
        if (
            join
            and _joins_a_name(join.group(1))
            and not _common(join.group(1))
            and not is_plain_brand(join.group(1))
        ):
            out.append((end + join.start(1), end + join.end(1), "PERSON"))
    return complete_names(text, out)
