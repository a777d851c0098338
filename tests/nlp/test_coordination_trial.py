"""Trial, not shipped (issue 17, ``bench/coordination_trial.py``): coordinated adjectives,
comparatives and verb phrases become pseudo-clauses that keep their shared subject and copula,
so each reads as a sentence (what ``bench/secondary_causes.py --coord`` measured)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nlp.models import load_parser

_SPEC = importlib.util.spec_from_file_location(
    "coordination_trial", Path(__file__).resolve().parents[2] / "bench" / "coordination_trial.py"
)
assert _SPEC is not None and _SPEC.loader is not None
trial = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(trial)
coordinated_pieces, may_coordinate, split_coordination = (
    trial.coordinated_pieces,
    trial.may_coordinate,
    trial.split_coordination,
)


@pytest.fixture(scope="module")
def parser():
    return load_parser()


@pytest.mark.parametrize(
    ("clause", "pieces"),
    [
        ("Chewy is cheaper and faster", ["Chewy is cheaper", "Chewy is faster"]),
        ("it was pricey and slow", ["it was pricey", "it was slow"]),
        (
            "The app crashes constantly and loses my data",
            ["The app crashes constantly", "The app loses my data"],
        ),
        ("They charged me twice and refused a refund", ["They charged me twice", "They refused a refund"]),
        (
            "Went with Hulu because it is cheaper and easier to use",
            ["Went with Hulu because it is cheaper", "Went with Hulu because it is easier to use"],
        ),
    ],
)
def test_each_conjunct_keeps_its_subject_and_copula(parser, clause, pieces):
    assert split_coordination(parser(clause)) == pieces


def test_a_coordination_inside_another_keeps_only_its_own_subject(parser):
    pieces = split_coordination(parser("It was way too expensive and the delivery was slow and unreliable"))
    assert "the delivery was slow" in pieces and "the delivery was unreliable" in pieces
    assert not any(p.startswith("It was way too expensive the") for p in pieces)


@pytest.mark.parametrize(
    "clause",
    [
        "Price went up again",
        "I cancelled because of the price and the delivery fees",
        "Support never answered",
    ],
)
def test_no_pieces_without_coordinated_predicates(parser, clause):
    assert split_coordination(parser(clause)) == []


def test_only_clauses_with_a_coordinator_are_parsed_and_known_clauses_are_not_repeated(parser):
    assert may_coordinate("cheaper and faster") and may_coordinate("slow or broken")
    assert not may_coordinate("too pricey, slow")
    out = coordinated_pieces([["Chewy is cheaper and faster", "Chewy is faster"], ["Too slow"], []], parser)
    assert out == [["Chewy is cheaper"], [], []]
