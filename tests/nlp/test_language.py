"""The one language vote shared by the NER gate and the check on NER's PERSON entities."""

from __future__ import annotations

import pytest

from nlp.languages import guess_language, looks_non_english


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Kein Rechenzentrum in der EU und die Preise sind zu hoch", "de"),
        ("Le service client ne répond jamais et c'est trop cher", "fr"),
        ("El precio es muy alto para lo que ofrece", "es"),
        ("O aplicativo é muito lento e não funciona", "pt"),
        ("The price went up and the app is too slow", "en"),
        ("", "en"),
    ],
)
def test_the_vote_names_the_language_of_the_answer(text, lang):
    assert guess_language(text) == lang
    assert looks_non_english(text) == (lang != "en")
