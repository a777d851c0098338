"""Issue 17, eleventh round: names and addresses typed in lower case, quoted names, brands whose
tail a name pattern took for a person, a closing before a signed name and IBANs grouped oddly.

The sentences are new, not rows of the bench lists, so these tests check the rules, not a list."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from nlp import redact

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, secrets",
    [
        ("too dear now, sorry. thabo", ["thabo"]),
        (
            "the app kept logging me out. call me on 07700 900456. priyanka raghunathan",
            ["priyanka", "raghunathan"],
        ),
        ("i emailed ingrid in billing three times and nobody replied", ["ingrid"]),
        ("we spoke with svetlana from the claims team, no joy", ["svetlana"]),
        ("mrs okonjo at the front desk was lovely but the classes are full", ["okonjo"]),
        ("i rang herr brandstetter twice about the bill", ["brandstetter"]),
        ("the only person who helped, 'Wanjiru', has left", ["Wanjiru"]),
        ("our engineer tobias lindqvist never turned up", ["tobias", "lindqvist"]),
        ("boxes keep going to apt 7, 212 maple grove instead of my door", ["212 maple grove"]),
        ("Bitte auf LT12 1000 0111 0100 1000 erstatten", ["LT12 1000 0111 0100 1000"]),
        ("Überweisung auf PT50 0002 0123 12345678901 54 bitte", ["PT50 0002 0123 12345678901 54", " 54"]),
        ("Kein Bedarf mehr. Grüße Ottilie", ["Ottilie"]),
        ("no longer needed, bogdan", ["bogdan"]),
        ("too slow\nrosalind", ["rosalind"]),
        ("i emailed oksana twice and got nothing back", ["oksana"]),
        ("the delivery guy (his name was arjun) left it in the rain", ["arjun"]),
        ("Falei com a atendente juliana três vezes", ["juliana"]),
        ("Hablé con la asesora lucía y nada", ["lucía"]),
        ("joão pedro here, the app is slow", ["joão", "pedro"]),
        ("Sorry Xiadani, not your fault, the price is", ["Xiadani"]),
        ("Shout out to Kealoha in retention, still leaving", ["Kealoha"]),
    ],
)
def test_lower_case_and_quoted_names_and_odd_ibans_are_redacted(spacy_nlp, text, secrets):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "Kein Bedarf mehr. Grüße",
        "too expensive. thanks",
        "too slow, sorry. bye",
        "i'll try again in june. thanks",
        "i told them twice, nothing",
        "Thanks Heaps, bye",
        "Sorry Folks, leaving",
        "Thanks Netflix, but no",
        "Mein Mann hat den Vertrag gekündigt",
        "it was fine. bye now",
        "switched to ms teams, and dr martens boots are cheaper elsewhere",
        "ask anyone in support, nobody knows",
        "I moved to a 2 way street so delivery is hard",
        "the plan was 10 minute drive away",
        "Bought the Marks & Spencer Sparks card instead",
        "We went to Ben & Jerry's and Marks & Spencer Food instead",
    ],
)
def test_words_closings_and_brands_in_those_shapes_survive(spacy_nlp, text):
    assert redact(text) == text


def test_a_closing_before_a_signed_name_is_kept():
    from nlp.pii import find_pattern_spans

    text = "Vertrag bitte kündigen. Gruß Paulina"
    assert [text[s:e] for s, e, _ in find_pattern_spans(text)] == ["Paulina"]


def _pii_eval():
    spec = importlib.util.spec_from_file_location("pii_eval", ROOT / "bench" / "pii_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sixth_dev_lists_tuning_half_is_fully_redacted(spacy_nlp):
    with open(ROOT / "bench" / "data" / "pii_dev6.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["half"] == "tune"]
    r = _pii_eval().evaluate(rows)
    assert r["planted"] >= 170
    assert r["pii_recall"] == 1.0
    assert r["pii_precision"] >= 0.98
