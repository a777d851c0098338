"""Words that the name rules or the NER model take for a person but that name no one (h-pii40).

Each class is told by the word itself and what stands right beside it, so the check is the same
whichever rule found the span:

- a greeting, leave-taking or plea of another language leading the span ("Xin chào", "Namaste,
  Elaine" keeps only "Elaine"; "Obrigada, boa sorte", "Abeg, who does that");
- a word for a relative alone ("moved closer to Grandma's"), unless it is also a given name;
- a label before its detail ("Tel. 020 ...") or an e-mail header ("Subject: cancellation");
- a month after the day's number ("vom 12. Mai", "el 3 de Julio");
- a function word of another language opening a span of three words or more ("Ohne Angabe von
  Gründen"; not "Yadavi Dass": a surname may be such a word).

A span that is only such words goes; a span that starts with a greeting keeps the rest.
"""

from __future__ import annotations

import functools
import re

from .spans import Span
from .words import FOREIGN_FUNCTION_WORDS, GREETINGS_OTHER, MONTHS, given_names

# Words for relatives, in any case: "Grandma's", "Mum", "Oma" (a name there is redacted by the kin cues).
_KIN_WORD = re.compile(
    r"(?i)(?:grandma|grandmother|grandmum|gran|granny|grandad|granddad|grandpa|grandfather|gramma|grampa|gramps|"
    r"nan|nana|nanna|mum|mom|mommy|mummy|mam|mammy|dad|daddy|papa|mama|auntie|aunty|aunt|uncle|hubby|missus|"
    r"abuela|abuelo|abuelita|abuelito|oma|opa|mamie|papi|vovó|vovô|avó|avô|tía|tío|tante|onkel)(?:['’]s)?"
)
# Labels of a detail and e-mail headers: "Tel. 020 ...", "Subject: cancellation", "Sent: Monday".
_LABELS = frozenset(
    "tel tel. mob fax subject date sent from to cc bcc re fwd fw attachment attachments".split()
)
_LABEL_AFTER = re.compile(r"\.?[ \t]*(?::|[ \t]*\+?\d)")
_DAY_BEFORE = re.compile(r"\d{1,2}(?:\.|º|er|st|nd|rd|th)?[ \t]+(?:(?:de|of)[ \t]+)?$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_GREETINGS_LONGEST_FIRST = sorted(GREETINGS_OTHER, key=len, reverse=True)


@functools.cache
def _greetings() -> tuple[str, ...]:
    """The greetings, longest first, less those of one word that are also given names: such a
    word opens a name."""
    return tuple(g for g in _GREETINGS_LONGEST_FIRST if " " in g or g.title() not in given_names())


@functools.lru_cache(maxsize=4096)
def _greeting_prefix(value: str) -> int:
    """The length of the greeting (and the comma after it) that opens ``value``, or 0 (once per
    value: a text dense with names asks of the same name thousands of times)."""
    low = value.lower()
    for greeting in _greetings():
        if low.startswith(greeting) and (len(low) == len(greeting) or not low[len(greeting)].isalnum()):
            rest = re.match(r"[ \t,!.]*", value[len(greeting) :])
            return len(greeting) + (rest.end() if rest else 0)
    return 0


def _kin_only(words: list[str]) -> bool:
    return all(_KIN_WORD.fullmatch(w) and w.strip("'’s") not in given_names() for w in words)


def trim_plain(text: str, span: Span) -> Span | None:
    """``span`` less a greeting that opens it, or None when what is left names no one (see the
    module's docstring). Spans other than PERSON are returned as they are."""
    start, end, tag = span
    if tag != "PERSON":
        return span
    cut = _greeting_prefix(text[start:end])
    if cut:
        start += cut
        if start >= end:
            return None
    value = text[start:end].rstrip(" .,")
    words = _WORD.findall(value)
    if not words:
        return None
    if _kin_only(words):
        return None  # "Grandma", "Mum": whose relative, not a name
    if len(words) == 1 and value.lower() in _LABELS and _LABEL_AFTER.match(text, start + len(value)):
        return None  # "Tel. 020 7946 0321", "Subject: cancellation"
    if len(words) == 1 and value.lower() in MONTHS and _DAY_BEFORE.search(text, max(0, start - 12), start):
        return None  # "vom 12. Mai", "el 3 de Julio": a date
    first = words[0]
    if len(words) >= 3 and first.lower() in FOREIGN_FUNCTION_WORDS and first not in given_names():
        return None  # "Ohne Angabe von Gründen": a sentence of another language, capitalised
    return (start, end, tag)
