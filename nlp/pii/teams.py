"""Teams and departments that sign or are named like people ("Regards, Accounts Payable",
"— the Finance Team", "Equipe Financeira"), told by their head noun rather than by a list of teams.

An English unit name ends in its head noun ("Building Management", "People & Culture team",
"IT Department"); Spanish, French, Portuguese and German put it first ("Departamento de
Administración", "Équipe support", "Abteilung Einkauf"). A person's name has neither, so a name
span made only of unit and function words (or opened by a foreign unit noun) and holding no known
given name is a team, not a person; any other word may be a surname, so a span with one keeps it
as the person and only the team's words at its ends are left ("Tinashe Moyo [Support Desk]").
The nouns are kinds of organisational unit, not the names of any one team.
"""

from __future__ import annotations

import re

from .spans import Span
from .words import given_names

# Nouns that head an English unit name: the kind of unit, or the function it serves.
UNIT_LAST = frozenset(
    "team teams department dept dept. departments office desk helpdesk management payable receivable "
    "operations ops services support success relations resources culture procurement finance accounts "
    "accounting marketing sales administration admin facilities committee board division unit hq "
    "headquarters secretariat reception crew staff payroll billing compliance legal purchasing "
    "partnerships engagement care experience it".split()
)
# Nouns that head a unit name in es/fr/pt/de; they open it ("Departamento de Administración").
UNIT_FIRST = frozenset(
    "équipe equipe equipo departamento département departement servicio serviço "
    "serviços servicios abteilung dirección direção administración administração "
    "secretaría secretaria".split()
)
# What a unit is named for in English, before its head noun ("Customer Success", "Building
# Management", "People & Culture team"), and the English heads that may open it ("Team", "Service
# Desk"). Any other word in a span may be a surname, so it keeps the span a person's.
FUNCTION_WORDS = frozenset(
    "customer customers client clients member members people human building property estates "
    "technical tech product products service help account it i.t. hr pr business corporate general "
    "head central executive quality safety health risk data information security digital systems "
    "research development engineering design communications media press public investor talent "
    "learning training logistics shipping delivery dispatch warehouse retail commercial credit "
    "collections claims returns renewals orders guest patient student fleet site maintenance "
    "events main front back".split()
)
TEAM_WORDS = UNIT_LAST | FUNCTION_WORDS
_DETERMINERS = frozenset(("the", "our", "your", "la", "el", "le", "o", "a", "my", "their"))
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _words(name: str) -> list[re.Match[str]]:
    return [m for m in _WORD.finditer(name) if m.group().lower() not in _DETERMINERS]


def _team_word(word: str) -> bool:
    return word.lower() in TEAM_WORDS or word.lower().rstrip(".") in TEAM_WORDS


def is_team(name: str) -> bool:
    """Is ``name`` (two or more words) a team or department rather than a person?

    True when every word is a unit noun or a function a unit serves and its last word is a unit
    noun (English: "Accounts Payable", "the Finance Team", "Building Management"), or when it opens
    with an es/fr/pt/de unit noun ("Equipe Financeira", "Departamento de Administración"), and
    none of its words is a known given name. A word outside that vocabulary may be a surname
    ("Tinashe Moyo Support"), so such a span is no team (see :func:`team_trim`).
    """
    words = [m.group() for m in _words(name)]
    if len(words) < 2 or any(w in given_names() for w in words):
        return False
    if words[0].lower() in UNIT_FIRST:
        return True
    return all(_team_word(w) for w in words) and words[-1].lower().rstrip(".") in UNIT_LAST


def team_trim(name: str) -> tuple[int, int] | None:
    """The person inside a span that a team's words open or close ("Tinashe Moyo [Support Desk]",
    "[Service Desk] Tinashe Moyo", "[Team] Oyelaran"): the offsets of what is left once the unit
    words are taken off both ends, or None when no unit noun was taken off."""
    words = _words(name)
    lo, hi = 0, len(words)
    while lo < hi and _team_word(words[lo].group()):
        lo += 1
    while hi > lo and _team_word(words[hi - 1].group()):
        hi -= 1
    cut = [m.group().lower().rstrip(".") for m in words[:lo] + words[hi:]]
    if lo == hi or not any(w in UNIT_LAST for w in cut):
        return None
    return words[lo].start(), words[hi - 1].end()


def drop_teams(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less the PERSON spans that name a team or department (see :func:`is_team`); a
    span that holds a person beside a team's words keeps the person only (:func:`team_trim`)."""
    out: list[Span] = []
    for s in spans:
        name = text[s[0] : s[1]]
        if s[2] != "PERSON":
            out.append(s)
        elif not is_team(name):
            cut = team_trim(name)
            out.append((s[0] + cut[0], s[0] + cut[1], "PERSON") if cut else s)
    return out
