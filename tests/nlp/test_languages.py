"""Language detection on short answers and the per-language non-answer and personal-data lists."""

from __future__ import annotations

import pytest

from nlp import pii
from nlp.languages import detect_language, detect_languages, is_non_answer_phrase


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("too expensive", "en"),
        ("moved", "en"),
        ("demasiado caro", "es"),
        ("caro", "es"),
        ("zu teuer", "de"),
        ("Kündigung", "de"),
        ("trop cher", "fr"),
        ("merci", "fr"),
        ("muito caro", "pt"),
        ("obrigado", "pt"),
        ("la app se cuelga cada vez que pago", "es"),
        ("Der Kundenservice hat nie zurückgerufen", "de"),
        ("switched to Notion, cheaper", "en"),
    ],
)
def test_language_detected_on_short_answers(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("App stürzt ab", "de"),  # "app" alone would make it English
        ("Support schlecht, Preiserhöhung", "de"),
        ("Versandkosten", "de"),
        ("Bedienbarkeit", "de"),
        ("Qué vergüenza de empresa.", "es"),  # Spanish "güe" is no German umlaut
        ("Sois unos sinvergüenzas.", "es"),
        ("app crashes", "en"),
        ("shipping costs", "en"),
    ],
)
def test_short_german_answers_with_english_loanwords_or_compounds_are_german(text, language):
    assert detect_language(text) == language


def test_unsure_answers_count_as_english_and_wordless_ones_are_undetermined():
    assert detect_language("ok") == "en"
    assert detect_language("GDPR") == "en"
    assert detect_languages(["...", "n", "", "10/10"]) == ["und"] * 4


def test_detection_is_limited_to_the_candidate_languages():
    assert detect_language("troppo caro, servizio pessimo", candidates=("en", "es")) in ("en", "es")


def test_non_answer_phrases_in_each_shipped_language():
    for text in [
        "Sin comentarios.",
        "Keine Angabe",
        "Merci, bonne journée !",
        "Nada a declarar",
        "¡Gracias!",
    ]:
        assert is_non_answer_phrase(text), text
    for text in ["demasiado caro", "zu langsam", "trop de bugs", "sem suporte", "gracias, demasiado caro"]:
        assert not is_non_answer_phrase(text), text
    assert not is_non_answer_phrase("nichts", "fr")  # the list of the answer's own language only


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("llámame al 612 345 678 por favor", "612 345 678"),
        ("mi DNI es 12345678Z", "12345678Z"),
        ("mi NIE es X1234567L", "X1234567L"),
        ("erreichbar unter 0151 23456789", "0151 23456789"),
        ("Steuer-ID 12 345 678 901", "12 345 678 901"),
        ("rappelez-moi au 06 12 34 56 78", "06 12 34 56 78"),
        ("numéro de sécu 1 85 05 78 006 084 36", "1 85 05 78 006 084 36"),
        ("meu CPF é 123.456.789-09", "123.456.789-09"),
        ("liga para (11) 98765-4321", "98765-4321"),
        ("NIF 123456789", "123456789"),
    ],
)
def test_national_phone_and_identity_formats_of_each_language_are_redacted(text, secret):
    redacted = pii.apply_spans(text, pii.find_pattern_spans(text))
    assert secret not in redacted, redacted


def test_prices_and_dates_in_other_languages_survive_redaction():
    for text in ["subió de 25 a 38 euros en 2024", "von 120 auf 190 Euro", "passou de 600 para 850 reais"]:
        assert pii.apply_spans(text, pii.find_pattern_spans(text)) == text
