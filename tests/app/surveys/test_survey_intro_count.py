"""A shipped survey's intro states the number of questions the page may ask ("Up to 6"), in every
language; the page numbers those shown for the answers given so far."""

from __future__ import annotations

import pytest

from tests.app.survey_helpers import shipped_survey

PHRASES = {
    "en": "Up to {n} ",
    "es": "Hasta {n} preguntas",
    "de": "Bis zu {n} kurze Fragen",
    "fr": "Jusqu’à {n} questions",
    "pt": "Até {n} perguntas",
}


@pytest.mark.parametrize("name", ["saas_cancellation", "ecommerce_lapsed_buyer", "subscription_service"])
def test_the_intro_counts_the_questions_the_page_may_ask(client, make, db, name):
    survey = shipped_survey(name)
    _, token = make.invitation(customer=make.customer(name="Kwame Mensah"), survey=survey, status="sent")
    questions = survey.versions[-1].definition["questions"]
    total = len(questions)
    shown = len([q for q in questions if "show_if" not in q])  # numbered first: none is answered yet
    for language, phrase in PHRASES.items():
        html = client.get(f"/s/{token}?lang={language}").get_data(as_text=True)
        assert phrase.format(n=total) in html, language
        assert f"Question 1 of {shown}" in html or language != "en"
        assert "{questions}" not in html
