"""Clauses of answers in other languages (``nlp.other_clauses``): cut at each language's own
markers, never at English words that mean something else there, and praise in passing left out."""

from __future__ import annotations

import pytest

from nlp.other_clauses import clause_owners, is_praise_in, other_language_clauses


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Demasiado lento y encima la aplicación se cuelga.",
            "es",
            ["Demasiado lento", "la aplicación se cuelga"],
        ),
        (
            "Das Paket kam zu spät und der Kundendienst hat nie geantwortet.",
            "de",
            ["Das Paket kam zu spät", "der Kundendienst hat nie geantwortet"],
        ),
        (
            "O preço subiu muito, além disso o aplicativo vive travando.",
            "pt",
            ["O preço subiu muito", "o aplicativo vive travando"],
        ),
        (
            "Trop cher, mais surtout le service client ne répond jamais.",
            "fr",
            ["Trop cher", "surtout le service client ne répond jamais"],
        ),
    ],
)
def test_a_second_reason_gets_its_own_clause(text, language, expected):
    assert other_language_clauses(text, language) == expected


def test_english_markers_that_mean_something_else_do_not_cut():
    # French "plus" is "no longer", German "also" is "so": one reason each, so no clauses
    assert other_language_clauses("Je n'ai plus le temps de l'utiliser.", "fr") == []
    assert other_language_clauses("Die App ist also einfach zu langsam für uns.", "de") == []
    # "also" after the verb is inside its clause; after a full stop or a comma it opens one
    assert other_language_clauses("Muy caro. El soporte también es malo.", "es") == [
        "Muy caro",
        "El soporte también es malo",
    ]
    assert other_language_clauses("Muy caro, también la app se cuelga.", "es") == [
        "Muy caro",
        "la app se cuelga",
    ]
    # "and" before a new subject cuts; "and" inside a phrase does not
    assert other_language_clauses("Fibra e telemóvel num só pacote.", "pt") == []


def test_english_and_unknown_languages_are_left_to_their_own_path():
    assert other_language_clauses("Too slow, and also the app crashes every day.", "en") == []
    assert other_language_clauses("Troppo caro e il supporto non risponde mai.", "it") == []


@pytest.mark.parametrize(
    ("clause", "language"),
    [
        ("el precio era justo", "es"),
        ("le service client était sympa", "fr"),
        ("der Preis war fair", "de"),
        ("a entrega foi rápida", "pt"),
    ],
)
def test_praise_in_passing_is_no_reason(clause, language):
    assert is_praise_in(clause, language)


@pytest.mark.parametrize(
    ("clause", "language"),
    [
        ("el soporte no es bueno", "es"),
        ("le prix n'était pas correct", "fr"),
        ("der Support war nicht gut", "de"),
        ("o preço era justo até o aumento", "pt"),
        ("la app es lenta", "es"),
    ],
)
def test_a_complaint_is_not_praise(clause, language):
    assert not is_praise_in(clause, language)


def test_praise_adds_no_clause_so_a_one_reason_answer_stays_whole():
    assert other_language_clauses("El envío tardó dos semanas, pero el precio era justo.", "es") == []
    assert other_language_clauses("Zu teuer, aber der Support war immer freundlich.", "de") == []


def test_clauses_know_their_answer():
    pieces, owner = clause_owners(
        [
            "Muy caro.",
            "Demasiado lento y encima la aplicación se cuelga.",
            "Zu teuer und der Support antwortet nie.",
        ],
        ["es", "es", "de"],
    )
    assert pieces == ["Demasiado lento", "la aplicación se cuelga", "Zu teuer", "der Support antwortet nie"]
    assert owner.tolist() == [1, 1, 2, 2]
