"""Build ``nlp/data/given_names_faker.txt``: given names of ~80 locales from Faker, less words.

The hand-kept ``given_names.txt`` (~2,600 names) misses most names outside the forms its authors
thought of; Faker's person providers hold the given names of ~80 locales. The names are copied
once into a committed list, so the app neither imports Faker (a dev dependency) nor pays for it.

Kept: Latin-script given names of 3+ letters (each word of "João Felipe"). Dropped: any word
customers use as a word or that names a thing ("Charity", "Summer", "Mercedes", "Florence"):
the everyday-word list (the example bank, closings, fillers), stop words of the survey languages,
the PII word lists, shipped brands and their words, every word of the example bank in any case,
VADER's sentiment lexicon, Faker's word lists (lorem of 30 locales, colours, jobs, company
phrases) and the month, day, city, country, state and street-suffix names of every Faker locale.

Run from the repository root after a Faker upgrade (dev dependency ``faker``)::

    .venv/bin/python scripts/build_name_lists.py
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import faker  # noqa: E402
import faker.providers.address  # noqa: E402
import faker.providers.color  # noqa: E402
import faker.providers.company.en_US  # noqa: E402
import faker.providers.date_time  # noqa: E402
import faker.providers.job.en_US  # noqa: E402
import faker.providers.lorem  # noqa: E402
import faker.providers.person  # noqa: E402
import vaderSentiment  # noqa: E402

from nlp.languages import stop_words  # noqa: E402
from nlp.pii import words  # noqa: E402
from nlp.pii.lowercase import everyday_words  # noqa: E402

OUT = ROOT / "nlp" / "data" / "given_names_faker.txt"
# What the sources above miss: places and brands named like people, and plain English words.
EXTRA_NOT_NAMES = (
    "Phoenix Memphis Brooklyn Asia Lexus Genesis Marvel Essence Unique Storm River Angel Candy Chip Jet Ace "
    "Dot Stone Lane Reed Cliff Clay Brook Hunter Bishop Marshal Sterling Liberty Destiny Harmony Melody Trinity "
    "Cherry Ginger Kitty Misty Buddy Rocky Dusty Rusty Goldie Diamond Sunny Pearl Jade Autumn Earnest Deacon "
    "Booker Tanner Shepherd Archer Fletcher Cooper Miller Walker Baker Sue Manila "
    "Adelaide Savannah Orlando Kent Devon Preston Brisbane Perth Darwin Vancouver Quebec Ontario Alberta Kingston "
    "Cheshire Cornwall Essex Surrey Sussex Dorset Durham Lancaster Derby"
)
SURVEY_LOCALES = ("en", "es", "de", "fr", "pt")
LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ][a-zß-öø-ÿĀ-ɏḀ-ỿ'’-]{2,}")


def _strings(value: object) -> list[str]:
    """The strings of a provider attribute: a list, tuple or dict (Faker weights names in dicts)."""
    if isinstance(value, dict):
        value = list(value.keys()) + [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _provider_attr(package: object, attrs: tuple[str, ...], locales: tuple[str, ...] = ("",)) -> set[str]:
    """Every string in ``attrs`` of the ``Provider`` class of each locale under ``package`` whose
    name starts with one of ``locales`` (all by default)."""
    out: set[str] = set()
    for mod in pkgutil.iter_modules(package.__path__):  # type: ignore[attr-defined]
        if not mod.name.startswith(locales):
            continue
        provider = getattr(importlib.import_module(f"{package.__name__}.{mod.name}"), "Provider", None)  # type: ignore[attr-defined]
        for attr in attrs:
            out.update(_strings(getattr(provider, attr, ())))
    return out


def not_names() -> set[str]:
    """Lower-case words that must not enter the list: words, brands, months, days and places."""
    drop = set(everyday_words()) | {w for ws in stop_words().values() for w in ws}
    for name in (
        "GREETED",
        "NOT_NAMES",
        "AMBIGUOUS_GIVEN",
        "PRODUCT_WORDS",
        "NOT_PEOPLE",
        "COMMON_NOUNS",
        "NOT_PERSON",
        "PLACES",
        "FUNCTION_WORDS",
        "FOREIGN_FUNCTION_WORDS",
    ):
        drop |= {w.lower() for w in getattr(words, name)}
    drop |= set(words.brands()) | set(words.brand_words())
    # Words of the survey languages and their neighbours (German nouns are capitalised: "Handy", "Tage").
    drop |= {w.lower() for w in _provider_attr(faker.providers.lorem, ("word_list",))}
    # Words written in the example bank in any case ("ISA", "PAYE", "Hasta"), unless a hand-kept name.
    with (words.DATA / "examples.csv").open(encoding="utf-8", newline="") as handle:
        bank = {w for row in csv.DictReader(handle) for w in re.findall(r"[^\W\d_]+", row.get("text") or "")}
    drop |= {w.lower() for w in bank if w not in words.hand_given_names()}
    # English words with a feeling ("Hope", "Lucky", "Precious", "Justice"): VADER's lexicon.
    lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    drop |= {line.split("\t", 1)[0] for line in lexicon.read_text(encoding="utf-8").splitlines()}
    company = faker.providers.company.en_US.Provider
    # Months and days of the survey languages; places as customers of an English survey write them
    # (English locales: "Mauritius", not the French "Maurice"; Italy's 8,000 towns hold "Paola").
    phrases = _provider_attr(faker.providers.date_time, ("MONTH_NAMES", "DAY_NAMES"), SURVEY_LOCALES)
    phrases |= _provider_attr(
        faker.providers.address,
        (
            "cities",
            "countries",
            "states",
            "provinces",
            "regions",
            "street_suffixes",
            "city_suffixes",
            "city_prefixes",
        ),
        ("en",),
    )
    phrases |= _provider_attr(faker.providers.color, ("all_colors",)) | set(
        faker.providers.job.en_US.Provider.jobs
    )
    phrases |= {w for ws in [*company.catch_phrase_words, *company.bsWords] for w in ws}
    phrases |= set(EXTRA_NOT_NAMES.split())
    for phrase in phrases:
        drop |= {w.lower() for w in re.findall(r"[^\W\d_]+", phrase)}
    return drop


def faker_given_names() -> set[str]:
    """Faker's given names of every locale, as single capitalised Latin-script words."""
    names = _provider_attr(faker.providers.person, ("first_names", "first_names_male", "first_names_female"))
    return {w for n in names for w in n.split() if LATIN_NAME.fullmatch(w)}


def main() -> None:
    known = words.hand_given_names()
    drop = not_names()
    new = sorted(n for n in faker_given_names() if n not in known and n.lower() not in drop)
    header = (
        f"# Given names from Faker {faker.VERSION} (faker.providers.person.*.Provider first_names, all locales),\n"
        "# Latin script, 3+ letters, less everyday words, stop words, brands, places, months and days and\n"
        "# the names already in given_names.txt. Generated by scripts/build_name_lists.py; do not edit by hand.\n"
    )
    lines = [" ".join(new[i : i + 20]) for i in range(0, len(new), 20)]
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(new)} names -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(
        description="Rebuild nlp/data/given_names_faker.txt from Faker's given names (needs the dev extra). "
        "Run it again after the example bank changes: words of the bank are left out."
    ).parse_args()
    main()
