"""The personal-data rules' word lists and name lists, each read once from ``nlp/data/``.

``brands.txt`` (products, brands, companies that must survive redaction), ``given_names.txt`` and
``given_names_faker.txt`` (names to spot without a cue) and ``pii_words.json`` (words the cues and the NER model take for
names but are not).
"""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path

# Titles before a person's name, in the shipped languages and a few more ("Mr", "Mme", "Sra",
# "Dott.ssa"): one list for the name finder (`names.HONORIFIC_NAME`) and for the slots that keep
# things named like people, where a title says person (`things`).
TITLE_WORDS = (
    r"Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame|Lady|Lord|Herr|Frau|Mme|Mlle|M|Sr|Sra|Srta|Señor|Señora|"
    r"Madame|Monsieur|Mademoiselle|Senhor|Senhora|Signor|Signora|Doña|Don|Doktor|"
    r"Dhr|Mevr|Sig|Sig\.ra|Dona|Dom|Cllr|Rev|Revd|Fr|Capt|Sgt|Pastor|Pan|Pani|Dott|Dott\.ssa"
)

DATA = Path(__file__).resolve().parent.parent / "data"
_LISTS: dict[str, list[str]] = json.loads((DATA / "pii_words.json").read_text(encoding="utf-8"))

GREETED = frozenset(_LISTS["greeted"])  # "Hi team", "Dear Sir": greeted, but not a name
NOT_NAMES = frozenset(_LISTS["not_names"])  # capitalised words after the cues that are not names
AMBIGUOUS_GIVEN = frozenset(_LISTS["ambiguous_given"])  # given names that are also words ("Will")
PRODUCT_WORDS = frozenset(_LISTS["product_words"])  # "Notion AI", "Spotify Premium", "Sky Glass"
NOT_PEOPLE = frozenset(_LISTS["not_people"])  # "Covid", "Brexit", "Christmas": NER says PERSON
COMMON_NOUNS = frozenset(_LISTS["common_nouns"])  # role nouns opening a sentence ("Courier says")
NOT_PERSON = frozenset(_LISTS["not_person"])  # products and words NER tags as PERSON (lower case)
# Towns and cities: "Ops Manager, Leeds" on a signature line names where, not who.
PLACES = frozenset(_LISTS["places"])
# "Acme Ltd" on a signature line or before a phone number is a company, not a person.
COMPANY_SUFFIXES = frozenset(
    "ltd limited inc llc llp plc gmbh ag kg ug sa sas sarl sl slu lda ltda eireli bv nv co corp group".split()
)
NAME_PARTICLES = frozenset("de da do dos das del della di la le el du van von der den bin ibn al y i".split())
FUNCTION_WORDS = frozenset(_LISTS["function_words"])  # pronouns etc. in 5 languages: never a name's edge
# Function words of de/es/fr/pt that are no English word: a text with one is not English, where
# every capitalised noun looks like a name to the small English model ("Bitte mein Konto schließen").
FOREIGN_FUNCTION_WORDS = frozenset(_LISTS["foreign_function_words"])
# Greetings, leave-takings and pleas of other languages, lower case: "xin chào", "namaste", "boa sorte".
GREETINGS_OTHER = frozenset(_LISTS["greetings_other"])
MONTHS = frozenset(_LISTS["months"])  # the months of the survey languages, lower case: "mai", "julio"


@functools.lru_cache(maxsize=64)  # once per text, not once per name in it
def foreign_words(text: str) -> bool:
    """A function word of another language: in "Bitte mein Konto schließen" every noun is
    capitalised, so an unknown capitalised word is no sign of a name (short texts are not
    out-voted by English, so ``looks_non_english`` misses them)."""
    return any(w in FOREIGN_FUNCTION_WORDS for w in re.findall(r"[^\W\d_]+", text.lower()))


def _names(file: str) -> frozenset[str]:
    """The names of one list in ``nlp/data/``: words separated by spaces, ``#`` lines are comments."""
    text = (DATA / file).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@functools.cache
def hand_given_names() -> frozenset[str]:
    """The hand-kept given names (``nlp/data/given_names.txt``)."""
    return _names("given_names.txt")


@functools.cache
def given_names() -> frozenset[str]:
    """Given names, for spotting names without a cue: the hand-kept list and the given names of
    ~80 locales copied from Faker (``given_names_faker.txt``, less everyday words, brands and
    places; built by ``scripts/build_name_lists.py``)."""
    return hand_given_names() | _names("given_names_faker.txt")


@functools.cache
def word_names() -> frozenset[str]:
    """Given names that are also words (``nlp/data/word_names.txt`` and the ambiguous given names)."""
    text = (DATA / "word_names.txt").read_text(encoding="utf-8")
    listed = {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    return frozenset(listed | AMBIGUOUS_GIVEN)


@functools.cache
def given_names_lower() -> frozenset[str]:
    """:func:`given_names`, lower-cased."""
    return frozenset(n.lower() for n in given_names())


@functools.cache
def brands() -> frozenset[str]:
    """Shipped product, brand and company names (``nlp/data/brands.txt``), lower-cased."""
    return frozenset(brand_spellings())


@functools.cache
def brand_spellings() -> dict[str, str]:
    """Each shipped brand name (lower-cased) with its spelling in ``nlp/data/brands.txt``
    ("amazon" -> "Amazon")."""
    text = (DATA / "brands.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {line.lower(): line for line in reversed(lines)}  # the first spelling listed wins


@functools.cache
def brand_words() -> frozenset[str]:
    """Every word of every shipped brand ("prime", "video" from "Prime Video"), less the particles
    that also join people's names ("do" in "Banco do Brasil" must not make "Ana do Carmo" a brand)
    and the glue and titles of brand names ("A" of "Pret A Manger", "Mr" of "Mr Porter")."""
    glue = set("a an the of and & + r us mr mrs ms dr dr. prof sir st st.".split())
    return frozenset(w for name in brands() for w in name.split()) - NAME_PARTICLES - FUNCTION_WORDS - glue


@functools.cache
def bank_vocabulary() -> frozenset[str]:
    """Every lower-case word of the example bank's answers: words customers use, so a word
    seen there after "thanks," is not taken for a name written without capitals."""
    with (DATA / "examples.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row.get("text") or "" for row in csv.DictReader(handle)]
    return frozenset(w for t in texts for w in re.findall(r"[^\W\d_]+", t) if w.islower())
