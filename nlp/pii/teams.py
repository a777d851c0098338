"""Teams and departments that sign or are named like people ("Regards, Accounts Payable",
"— the Finance Team", "Equipe Financeira"), told by their head noun rather than by a list of teams.

An English unit name ends in its head noun ("Building Management", "People & Culture team",
"IT Department"); Spanish, French, Portuguese and German put it first ("Departamento de
Administración", "Équipe support", "Abteilung Einkauf"). A person's name has neither, so a name
span whose head is such a noun and which holds no known given name is a team, not a person. The
nouns are kinds of organisational unit, not the names of any one team.
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
# Nouns that head a unit name in es/fr/pt/de (and "Team" opening German and English ones).
UNIT_FIRST = frozenset(
    "team équipe equipe equipo departamento département departement service servicio serviço "
    "serviços servicios abteilung direction dirección direção administración administração "
    "secretaría secretaria".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def is_team(name: str) -> bool:
    """Is ``name`` (two or more words) a team or department rather than a person?

    True when its last word (English) or first word (es/fr/pt/de) is a unit noun and none of its
    words is a known given name: "Accounts Payable", "the Finance Team", "Equipe Financeira";
    not "Sam from Support" (a span is the name alone) nor "Grace Office" (a given name).
    """
    words = [
        w for w in _WORD.findall(name) if w.lower() not in ("the", "our", "your", "la", "el", "le", "o", "a")
    ]
    if len(words) < 2 or any(w in given_names() for w in words):
        return False
    return words[-1].lower().rstrip(".") in UNIT_LAST or words[0].lower() in UNIT_FIRST


def drop_teams(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less the PERSON spans that name a team or department (see :func:`is_team`)."""
    return [s for s in spans if s[2] != "PERSON" or not is_team(text[s[0] : s[1]])]
