"""Praise of one thing in Spanish, French, German and Portuguese, told by the clause's shape.

"El asesor fue muy amable y paciente", "Le service client était toujours très réactif", "Die App
ist wirklich super gemacht", "gostei muito do design do app", "la app funciona de maravilla":
asked why they left, a customer who only praises one thing gives no reason, yet the head sends
the answer to the cause of what is praised. :mod:`.praise_shape` reads English clauses with a
parser; this reads the other shipped languages with closed word lists (``praise_ml_*`` in
``nlp/data/non_answer_words.json``). What is praised is an open set of words, so the subject is
free; the rest is closed: a copula or verb of running followed only by praise (and intensifiers,
"and", a short closed tail), or a verb of liking opening the clause. A stop word anywhere
(negation, turn, cause, change, time, price, another or new thing, a comparative: "pero",
"mais", "nicht", "agora", "chez", "mejor") or a digit keeps the answer, so "la app era genial
pero cara" and "me cambié, el otro es mejor" stay reasons.
"""

from __future__ import annotations

import re

from ..languages import detect_language
from ..sentiment import word_valence
from . import words as w
from .praise_shape import PROBLEM as _PROBLEM

_MAX_SUBJECT = 6  # words before the copula ("la app de la aerolínea")
_MAX_OBJECT = 8  # words after a verb of liking ("gostei muito do design do app")
_MAX_PRE = 3  # pronouns and intensifiers before a verb of liking ("a mí me encantaba")
_NOT_PRAISE = re.compile(r"[\d?$£€%\"“”«»]")
_SPLIT = re.compile(r"[\s']+")
#: Praise told in a few words, and promptness told as a time, read as one word of praise.
_PHRASES = re.compile(
    r"\b(?:de maravilla|à merveille|de lujo|au top|a tiempo|a horas|à l'heure|a tempo|no prazo|"
    r"sin problemas|sans souci|ohne probleme|sem problemas|de primera|erste sahne|nota 10|du tonnerre|à l'écoute|"
    r"de (?:muy )?(?:ótima|excelente|gran|buena|boa|grande|excellente|bonne|très bonne|super|top) (?:qualidade|calidad|qualité)|"
    r"(?:fácil|facile|einfach|simple|simples|sencillo|sencilla) (?:de|à|zu) (?:usar|utilizar|utiliser|bedienen|entender|comprendre))\b"
)
#: Endings of gender, number and German case added to the praise lemmas ("amables", "réactive",
#: "tolles", "educada").
_ENDINGS = ("s", "e", "es", "er", "en", "em", "x")
_ROMANCE = (
    ("o", ("a", "os", "as")),
    ("if", ("ive", "ives", "ifs")),
    ("eux", ("euse", "euses")),
    ("el", ("elle", "elles", "els")),
    ("al", ("ale", "ales", "aux")),
)


def _forms(lemmas: frozenset[str]) -> frozenset[str]:
    found = set(lemmas)
    for word in lemmas:
        found.update(word + end for end in _ENDINGS)
        for tail, ends in _ROMANCE:
            if word.endswith(tail):
                stem = word[: -len(tail)]
                found.update(stem + e for e in ends)
    return frozenset(found) - w.PRAISE_ML_STOP


_PRAISE = _forms(w.PRAISE_ML_WORDS)
_NAMED = _forms(w.PRAISE_ML_NAMED)  # no adverbs: "einfach umgezogen", "super tarde" are reasons


def is_praise(core: str) -> bool:
    """One cleaned clause (lower case, no punctuation) in es/fr/de/pt that only praises one thing:
    "le service client était vraiment sympa au téléphone", "j'adorais les séries proposées"."""
    if _NOT_PRAISE.search(core):
        return False
    tokens = [t for t in _SPLIT.split(_PHRASES.sub(" excelente ", core)) if t]
    if not tokens or any(t in w.PRAISE_ML_STOP for t in tokens):
        return False
    if _linked(tokens) or _liked(tokens) or _found(tokens) or _bare(tokens):
        return True
    return _named(tokens) and detect_language(core) in ("es", "fr", "de", "pt")


def _linked(tokens: list[str]) -> bool:
    """Something, a copula or verb of running, then praise only ("la app funciona genial")."""
    for i, token in enumerate(tokens[: _MAX_SUBJECT + 1]):
        if i and token in w.PRAISE_ML_VERBS:
            rest = tokens[i + 1 :]
            return any(t in _PRAISE for t in rest) and all(
                t in _PRAISE or t in w.PRAISE_ML_GLUE or t in w.PRAISE_ML_VERBS for t in rest
            )
    return False


def _liked(tokens: list[str]) -> bool:
    """A verb of liking opening the clause, then what was liked ("me encantaban las recetas"); past tenses
    only: a present one may tell what the customer likes now ("me gusta Spotify")."""
    for i, token in enumerate(tokens[: _MAX_PRE + 1]):
        if token in w.PRAISE_ML_LIKING:
            return all(t in w.PRAISE_ML_GLUE for t in tokens[:i]) and len(tokens) - i - 1 <= _MAX_OBJECT
        if token not in w.PRAISE_ML_GLUE:
            return False
    return False


def _praise_tail(tokens: list[str]) -> bool:
    """Praise only, with intensifiers and "and" ("muy amable y paciente", "immer super")."""
    return any(t in _PRAISE for t in tokens) and all(
        t in _PRAISE or t in w.PRAISE_ML_GLUE or t in w.PRAISE_ML_VERBS for t in tokens
    )


def _bare(tokens: list[str]) -> bool:
    """Praise with no subject ("siempre tan amable", "todo perfecto", "alles bestens")."""
    return _praise_tail(tokens)


def _found(tokens: list[str]) -> bool:
    """A verb of finding, what was found and praise last ("ich fand die App immer super",
    "achei o atendimento ótimo")."""
    for i, token in enumerate(tokens[: _MAX_PRE + 1]):
        if token in w.PRAISE_ML_FINDING:
            rest = tokens[i + 1 :]
            end = len(rest)
            while end and (rest[end - 1] in _PRAISE or rest[end - 1] in w.PRAISE_ML_GLUE):
                end -= 1
            return 0 < end <= _MAX_OBJECT and _praise_tail(rest[end:])
        if token not in w.PRAISE_ML_GLUE:
            return False
    return False


def _named(tokens: list[str]) -> bool:
    """Praise before a short noun phrase ("muy buen servicio", "gran equipo"); the caller asks
    that the clause be in one of the four languages, not English ("patient records leaked")."""
    for i, token in enumerate(tokens[: _MAX_PRE + 1]):
        if token in _NAMED:
            return len(tokens) - i - 1 <= 2
        if token not in w.PRAISE_ML_GLUE:
            return False
    return False


_MAX_THANKED = 6  # words naming who is thanked ("the team at the Leeds branch")


def is_thanks_to(core: str) -> bool:
    """One cleaned clause that thanks someone and says nothing else ("many thanks to the team at
    the Leeds branch", "gracias al equipo de Valencia", "Danke an das ganze Team"): thanks words,
    "to" and a few words with no stop word, no word of a problem and nothing VADER rates negative
    ("thanks to you I lost my data", "gracias a la subida de precios" stay answers). A bare
    "thanks to" or "gracias a" means "because of" ("thanks to the redundancy"); it must be "many
    thanks to", "muchas gracias a"."""
    if _NOT_PRAISE.search(core) or _PROBLEM.search(core):
        return False
    tokens = [t for t in _SPLIT.split(core) if t]
    for i, token in enumerate(tokens):
        if token in w.THANKS_TO_PREP and i:
            if tokens[:i] in (["thanks"], ["gracias"]):
                return False  # "thanks to covid", "gracias a la pandemia": because of
            rest = tokens[i + 1 :]
            return 0 < len(rest) <= _MAX_THANKED and not any(
                t in w.PRAISE_ML_STOP or word_valence(t) <= -0.5 for t in rest
            )
        if token not in w.THANKS_TO_HEAD:
            return False
    return False
