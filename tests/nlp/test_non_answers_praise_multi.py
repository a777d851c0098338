"""Praise of one thing in Spanish, French, German and Portuguese is a non-answer whatever it
praises (issue 17, `nlp/non_answers/praise_multi.py`): a copula or verb of running followed by
praise only, or a verb of liking in a past tense. The same praise with a turn, a cause, a change
or another provider beside it stays an answer, so the customer's reason is kept."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer


@pytest.mark.parametrize(
    ("praise", "reason"),
    [
        (
            "La profesora de yoga era muy simpática y paciente.",
            "La profesora de yoga era simpática, pero cerraron el centro.",
        ),
        (
            "el portal de facturas funcionaba de maravilla",
            "el portal de facturas funcionaba de maravilla hasta la actualización",
        ),
        (
            "Me encantaban los podcasts de la mañana",
            "Me encantaban los podcasts, ahora los escucho gratis en otra app",
        ),
        (
            "Le conseiller de l'agence était toujours très aimable",
            "Le conseiller était aimable mais l'agence a fermé",
        ),
        ("J'ai adoré les recettes végétariennes !", "J'ai adoré les recettes, mais c'est devenu trop cher"),
        (
            "Der Kundendienst am Telefon war immer sehr hilfsbereit.",
            "Der Kundendienst war hilfsbereit, aber die Preise sind zu hoch.",
        ),
        (
            "Die Lieferungen kamen immer pünktlich",
            "Die Lieferungen kamen pünktlich, nur jetzt bin ich umgezogen",
        ),
        (
            "O instrutor de natação foi ótimo e muito atencioso.",
            "O instrutor foi ótimo, mas mudei de cidade.",
        ),
        ("Adorei as aulas de cerâmica", "Adorei as aulas, mas encontrei um estúdio mais barato"),
    ],
)
def test_praise_of_one_thing_is_a_non_answer_and_its_twin_with_a_reason_is_not(praise, reason):
    assert is_non_answer(praise)
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    "reason",
    [
        "Me gusta más Spotify",  # what the customer likes now, elsewhere
        "Me gusta Spotify",
        "El servicio de Movistar es mejor",
        "Chez Free, le service client est super",
        "Bei der Telekom ist alles super",
        "Ich mochte die alte Version",
        "A oferta da concorrência é ótima",
        "La app nueva es genial",
        "Der Preis war gut, 9 Euro im Monat",
    ],
)
def test_praise_of_another_offer_or_a_change_is_kept_as_an_answer(reason):
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    ("praise", "reason"),
    [
        (
            "The locksmith who came round was a legend",
            "The locksmith who came round was a legend, but you charged twice",
        ),
        (
            "The tutor for my daughter was so patient",
            "The tutor was patient for a while, then the sessions stopped",
        ),
        ("The offline maps feature is brilliant", "The offline maps feature was brilliant until the update"),
        ("The booking app was super simple to use", "The booking app was simple to use, moved abroad"),
        ("Pausing the box with the app was so easy", "Switching to Gousto was so easy"),
        ("Excellent value for money", "Not good value for money any more"),
    ],
)
def test_english_praise_of_one_thing_with_a_subject_that_says_more(praise, reason):
    """English praise whose subject carries a relative clause, a "for", a feature's name that
    VADER rates mildly negative, or a gerund with an object (`praise_shape.py`)."""
    assert is_non_answer(praise)
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    ("praise", "reason"),
    [
        ("Muy buena atención, gracias", "Muy buena atención, pero me mudo a Chile"),
        ("Alles bestens, danke!", "Alles bestens, nur leider zu teuer"),
        ("Ich fand die Kurse immer super", "Ich fand die Kurse zu teuer"),
        ("O site era muito fácil de usar", "O site era fácil de usar, mas agora é pago"),
        ("Les paniers étaient de très bonne qualité", "Les paniers étaient de bonne qualité mais trop chers"),
    ],
)
def test_praise_without_a_copula_is_a_non_answer_and_its_twin_with_a_reason_is_not(praise, reason):
    assert is_non_answer(praise)
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    "reason", ["einfach umgezogen", "super tarde siempre", "Patient records were leaked"]
)
def test_an_adverb_or_an_english_word_before_a_noun_is_not_praise(reason):
    assert not is_non_answer(reason)


@pytest.mark.parametrize(
    ("thanks", "reason"),
    [
        (
            "Many thanks to the crew at the Bristol depot",
            "Thanks to the crew at the Bristol depot losing my parcel",
        ),
        ("Muchas gracias al equipo de la tienda", "Gracias a la subida de precios"),
        ("Un grand merci à toute l'équipe", "Merci à l'équipe, mais le service est devenu trop cher"),
        ("Danke an das ganze Team", "Danke an das Team, aber ich ziehe um"),
        ("Ha sido un placer", "Ha sido un placer, pero ya no lo necesito"),
    ],
)
def test_thanks_to_someone_is_a_non_answer_and_thanks_to_a_cause_is_not(thanks, reason):
    assert is_non_answer(thanks)
    assert not is_non_answer(reason)


@pytest.mark.parametrize("reason", ["thanks to covid", "Thanks to the redundancy", "Off to HelloFresh, bye"])
def test_thanks_to_meaning_because_of_is_kept_as_a_reason(reason):
    assert not is_non_answer(reason)
