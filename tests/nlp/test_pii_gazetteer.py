"""Personal data of forms found by the synthetic stress test (``bench/pii_synthetic.py``): given
names of many locales (the Faker gazetteer, ``nlp/data/given_names_faker.txt``), phones with a
country or area code and one block of digits or an extension, usernames of letters only,
Nordic, Dutch, Central European, Québécois and Colombian street forms, postcodes and flats after
an address, and plates of 5-6 characters; and what must survive them.

The sentences are new, not rows of any bench list or of the synthetic templates."""

from __future__ import annotations

import re

import pytest

from nlp import redact
from nlp.pii import brands, given_names
from nlp.pii.lowercase import everyday_words
from nlp.pii.words import AMBIGUOUS_GIVEN, PLACES, hand_given_names


def test_gazetteer_adds_names_of_many_locales_but_no_words_brands_or_places():
    names = given_names()
    added = names - hand_given_names()
    assert len(added) > 10_000
    assert {"Renato", "Torben", "Ewelina", "Julien", "Virginie", "Mihkel"} <= names
    common = everyday_words()
    assert not {n for n in added if n.lower() in common}
    assert not {n for n in added if n.lower() in brands()}
    assert not added & PLACES and not added & AMBIGUOUS_GIVEN
    assert not {"Hope", "Lucky", "Precious", "Handy", "Tage", "Phoenix", "Sue"} & added


@pytest.mark.parametrize(
    "text, secret",
    [
        ("Way too pricey for a family of four. Torben", "Torben"),
        ("Sorry Ewelina, the new app is just too slow.", "Ewelina"),
        ("Thank you Virginie for trying to sort it out.", "Virginie"),
        ("Mihkel and I both use the account, we are done with it.", "Mihkel"),
        ("The courier, Renato Gaspar, left it in the rain.", "Renato"),
        ("bye. thanks raivo kuzmin", "raivo"),
    ],
)
def test_given_names_of_many_locales_are_redacted(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out, out
    assert "[PERSON]" in out


@pytest.mark.parametrize(
    "text, secret, tag",
    [
        ("Ring me on 612-555-0187x204 after five", "0187", "[PHONE]"),
        ("text me +358 401234567 if anything changes", "401234567", "[PHONE]"),
        ("mobile +(370) 61234567, no calls on Sunday", "61234567", "[PHONE]"),
        ("Festnetz 02732/4419087 abends", "4419087", "[PHONE]"),
        ("call (0972) 533204 instead", "533204", "[PHONE]"),
        ("My username is marekdomin, delete it all", "marekdomin", "[ACCOUNT]"),
        ("Login hjaltesen - close it please", "hjaltesen", "[ACCOUNT]"),
        ("Parcels for Kvarngatan 14 never arrive", "Kvarngatan 14", "[ADDRESS]"),
        ("we moved to Lindelaan 7, 3581 KD Utrecht last year", "3581", "[ADDRESS]"),
        ("new flat: Vinohradská 112, 120 00 Praha", "120 00", "[ADDRESS]"),
        ("Post to Baranyi-Straße 4 never came", "Baranyi", "[ADDRESS]"),
        ("nothing ever reached 412 rang Desjardins", "Desjardins", "[ADDRESS]"),
        ("Entregas en Calle 45 # 12-30 Sur nunca llegan", "12-30", "[ADDRESS]"),
        ("Via Garibaldi, 12 Piano 3, 20121 Milano is my address", "Piano 3", "[ADDRESS]"),
        ("My postcode is 7010 and there is no coverage", "7010", "[ADDRESS]"),
        ("plate KR 48213 got a fine in your car park", "48213", "[ACCOUNT]"),
        ("the parcel never reached Trenčianska 17 at all", "Trenčianska", "[ADDRESS]"),
    ],
)
def test_contact_and_address_forms_of_many_locales_are_redacted(spacy_nlp, text, secret, tag):
    out = redact(text)
    assert secret not in out, out
    assert re.search(r"\[[A-Z]+\]", out), out


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Kein VoLTE für mein Handy, dabei ist das Standard.", "Handy"),
        ("Überweisungen brauchten immer drei Tage", "Tage"),
        ("login locks me out after every update", "locks"),
        ("the login page never loads", "page"),
        ("Thanks Netflix for nothing, moved to Disney+.", "Netflix"),
        ("We had 2 route planners and both were wrong", "route"),
        ("Plan 12, 2023 was the last good version", "2023"),
        ("I got 300 Tesco Points and then they expired", "Tesco Points"),
        ("Sorry, Spotify is just better. Deezer", "Deezer"),
        ("I shop at the Willow Road store now", "Willow Road"),
        ("we moved to Revolut 2023 and never looked back", "Revolut 2023"),
        ("moved to Berlin 2 years ago, no coverage", "Berlin"),
    ],
)
def test_words_brands_and_numbers_survive(spacy_nlp, text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("I'm traveling, what can I do to set up auto top-up?", "traveling"),
        ("I am dissatisfied, I would like to close my account.", "dissatisfied"),
        ("It's frustrating, my transfers never go through.", "frustrating"),
        ("im perplexed. why was the rate so bad?", "perplexed"),
    ],
)
def test_a_feeling_after_i_am_is_no_introduction(text: str, kept: str) -> None:
    assert kept in redact(text)


def test_an_unknown_lower_case_name_after_i_am_is_still_redacted() -> None:
    assert "gianluca" not in redact("hi its gianluca, the app kept crashing")
