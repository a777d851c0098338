"""Names and numbers in odd places, and look-alikes that must survive (issue 17, twenty-second
round): a surname opening on its particle after a cue, hyphenated initials, a name in quotes or
in capitals after a cue, a lower-case name owning something mid-sentence or hyphenated after a
closing, a word a bracket calls "she", an unknown word after an owned role doing something, an
initial without a full stop signing off, a code before a long number; towns after "in", "out of"
or "em", Title Case sentences, brand possessives and "& The" names.

The sentences are new, not rows of the bench lists, so these tests check the rules, not a list."""

from __future__ import annotations

import pytest

from nlp import redact
from nlp.pii import ner_person_is_plausible


@pytest.mark.parametrize(
    "text, secrets",
    [
        ("Please close it. Regards, M.-A. Lefort", ["A.", "Lefort"]),
        ("card holder: van Dijk, Pieter. too expensive now", ["Dijk", "Pieter"]),
        ("my surname (Ó Dálaigh) was misspelt on every letter", ["Dálaigh"]),
        ("our account is under my maiden name, de Vries, and you never updated it", ["Vries"]),
        ("I spoke to 'Hope' twice and nothing changed", ["Hope"]),
        ("El técnico (Wilson, creo) nunca vino a casa.", ["Wilson"]),
        ("the trainers were fine but ingrid's classes kept getting cancelled", ["ingrid"]),
        ("ask for SIGRUN at the desk, she knows the whole story", ["SIGRUN"]),
        ("reason: moving. name: NGUYEN VAN BAO. thanks", ["NGUYEN", "BAO"]),
        ("QUIT BECAUSE OF DOROTHEA. NOTHING ELSE TO SAY.", ["DOROTHEA"]),
        ("too dear now. thanks, marie-claire", ["marie-claire"]),
        ("moving abroad. thanks for everything ana-lucia", ["ana-lucia"]),
        ("sorted the refund with breezy (she was lovely) but too late", ["breezy"]),
        ("Meter serial K44B 902113 was read wrong all year", ["K44B", "902113"]),
        ("our lead dev nkosinathi raised it twice and nothing", ["nkosinathi"]),
    ],
)
def test_names_and_numbers_in_odd_places_are_redacted(spacy_nlp, text, secrets):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


def test_a_quoted_name_keeps_its_quotes():
    assert redact("I spoke to 'Hope' twice and nothing changed") == (
        "I spoke to '[PERSON]' twice and nothing changed"
    )


def test_an_initial_without_a_full_stop_signs_off():
    assert redact("delivery late again - K Adeyemi").endswith("- [PERSON]")


@pytest.mark.parametrize(
    "text",
    [
        "A cobertura em Victoria Falls era péssima.",
        "The signal in Victoria Falls was awful every evening.",
        "They pulled out of Harlow, nearest branch is miles away.",
        "Broadband in Shelby is awful",
        "we order from trader joe's now, cheaper",
        "I asked for HMRC forms and got nothing",
        "How do I change GBP to AUD?",
        "thanks for everything guys",
        "I Will Be Cancelling Because Of The Price.",
        "I spoke to support (he was rude) and left",
        "Cancel it - I Hate This App",
        "Florence + The Machine presale was the only perk left",
    ],
)
def test_places_brands_and_title_case_survive(spacy_nlp, text):
    assert redact(text) == text


def test_a_title_case_phrase_with_a_function_word_is_no_person():
    text = "I Will Be Cancelling Because Of The Price."
    assert not ner_person_is_plausible(text, 2, 21)
