"""Does an answer hold any word that could name a reason?

The rules in ``kinds`` recognise the shapes of non-answers people write most; the outside
world writes more ("Hope you all have a lovely Christmas!", "Is this mandatory?", "Check the
recording of my call on the 4th"). What those share is that, once function words and the
vocabulary of greetings, account admin, correspondence and talk about the survey itself are set
aside, no word is left. ``says_nothing`` is that test. It is not used alone ("business closed"
has no such word either): ``nlp.causes`` asks it only when the root-cause head is unsure too.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path

from ..rules import normalize
from . import kinds
from . import patterns as p
from . import words as w

LANGUAGES = ("en", "es", "de", "fr", "pt")
_PLACEHOLDER = re.compile(r"\[(?:person|email|phone|account|card|address|url)\]", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """spaCy's stop words for the shipped languages, less those that say why in an exit answer
    ("schlecht", "tarde", "falta", "used"; ``words.CONTENT_STOP_WORDS``), plus the non-answer
    rules' own lists of closings, cancel verbs, insults and survey talk, and the words of a
    leaving told as done, of who else decided and of when ("I left in January", "procurement
    decided, not me"): customers write these instead of a reason, not as one."""
    found: set[str] = set()
    for code in LANGUAGES:
        found.update(word.lower().replace("’", "'") for word in _spacy_stop_words(code))
    found.update(
        w.NO_CONTENT
        | w.POLITE_HEAD
        | w.POLITE_FILLER
        | w.FILLER_EDGE
        | w.NA_TOKENS
        | w.CANCEL_VERBS
        | w.INSULT_HEAD
        | w.NON_ANSWERS
        | w.LEFT_WORDS
        | w.DECIDERS
        | w.TIME_WORDS
    )
    return frozenset(found - w.CONTENT_STOP_WORDS)


def _spacy_stop_words(code: str) -> set[str]:
    """spaCy's stop words for one language, read from the module file itself: importing
    ``spacy.lang.fr.stop_words`` first runs the ``spacy.lang.fr`` package, whose tokenizer
    exceptions take about 4 s of CPU to build, for a list of words."""
    loaded = sys.modules.get(f"spacy.lang.{code}.stop_words")
    if loaded is not None:
        return set(loaded.STOP_WORDS)
    package = importlib.util.find_spec("spacy")  # finds the package without importing it
    folders = list(package.submodule_search_locations or []) if package else []
    path = Path(folders[0] if folders else ".") / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"afterword_spacy_stop_words_{code}", path)
    if not path.is_file() or spec is None or spec.loader is None:
        raise ImportError(f"spaCy has no stop words for {code!r} at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)


def content_words(text: str) -> list[str]:
    """The words of ``text`` that could name a reason: what is left after function words,
    closings, account admin, correspondence, survey talk, insults, numbers, references,
    placeholders and keyboard mashes are taken out."""
    norm = _normalised(text)
    out: list[str] = [symbol for symbol in p.MONEY.findall(norm)]  # "$$$" says price
    out.extend(token for token in _TOKEN.findall(norm) if _is_content(token))
    return out


def _normalised(text: str) -> str:
    """``text`` as the content test reads it: normalised, markup and placeholders out, lower case."""
    return _PLACEHOLDER.sub(" ", p.MARKUP.sub(" ", normalize(text))).lower().replace("’", "'")


def _is_content(token: str) -> bool:
    """One lower-case token that could name a reason (see :func:`content_words`)."""
    return not (
        token in function_words()
        or len(token) == 1
        or kinds.is_date_or_number(token)
        or sum(ch.isdigit() for ch in token) >= 3  # "2024-11873", "#48213"; not "5g", "b4"
        or (kinds.is_mash(token) and not _elongated(token))
    )


def _elongated(token: str) -> bool:
    """A word with a letter held ("slooow", "sooo expensive"), not a mash ("zzzz", "aaaa")."""
    return bool(re.search(r"(.)\1\1", token)) and len(set(token)) >= 3


_CONTACT = re.compile(r"\[(?:phone|email)\]", re.IGNORECASE)
_CONTACT_WORD = re.compile(r"[^\W_][\w'-]*")
_CLOCK = re.compile(r"\d{1,2}(?:[:.h]\d\d)?(?:am|pm|h|uhr)?")


def gives_contact_only(text: str) -> bool:
    """Contact details and nothing else: a phone number or e-mail address (redacted to
    ``[PHONE]``/``[EMAIL]``) with only the words around them ("reach me at [PHONE] after 6pm",
    "Tel. [PHONE], ask for [PERSON]", "llámame al [PHONE]"). Someone who leaves a number has not
    said why they left; every other word must be one of ``contact_words``, so "Nobody called
    back. call me [PHONE]" keeps its complaint."""
    if not _CONTACT.search(text):
        return False
    words = _CONTACT_WORD.findall(_normalised(text))
    return all(word in w.CONTACT_WORDS or _CLOCK.fullmatch(word) for word in words)


def says_nothing(text: str) -> bool:
    """True when no word of ``text`` could name a reason (see :func:`content_words`); stops at
    the first such word (the classify stage asks this of thousands of answers)."""
    norm = _normalised(text)
    return not p.MONEY.search(norm) and not any(_is_content(t) for t in _TOKEN.findall(norm))
