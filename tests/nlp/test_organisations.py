"""Organisation names for "where they went": found in the redacted answers, never a person."""

from __future__ import annotations

from nlp import redact
from nlp.organisations import organisations
from nlp.results import Assignment


def _answers(texts: list[str], non_answer: bool = False) -> list[Assignment]:
    return [
        Assignment(
            id=str(i),
            theme_id=None,
            theme_ids=[],
            confidence=0.0,
            redacted_text=text,
            is_non_answer=non_answer,
            sentiment=0.0,
        )
        for i, text in enumerate(texts)
    ]


def test_companies_named_in_answers_are_found_and_the_business_itself_is_left_out(spacy_nlp, config):
    texts = [
        "Mr Brown from Initech Ltd called me every day.",
        "Honestly Microsoft offered us a better deal and Brightloop could not match it.",
        "Contact Jane Doe at Acme Inc for details.",
        "too expensive",
    ]
    found = organisations(
        _answers([redact(t, config.spacy_model) for t in texts]), config.spacy_model, exclude=["BRIGHTLOOP"]
    )
    assert found == {"0": ["Initech Ltd"], "1": ["Microsoft"], "2": ["Acme Inc"]}
    named = " ".join(name for names in found.values() for name in names)
    assert "Brown" not in named and "Jane" not in named and "[" not in named


def test_non_answers_and_empty_texts_name_no_one(spacy_nlp, config):
    assert organisations(_answers(["", "Microsoft"], non_answer=True), config.spacy_model) == {}
    assert organisations([], config.spacy_model) == {}


def test_words_of_the_root_causes_are_not_where_they_went(spacy_nlp, config):
    """The NER model tags "API" as an organisation; it is what was missing, not a competitor."""
    texts = ["We needed the API and Zapier had it.", "Honestly Microsoft offered us a better API."]
    found = organisations(_answers([redact(t, config.spacy_model) for t in texts]), config.spacy_model)
    named = [name for names in found.values() for name in names]
    assert "Microsoft" in named and "API" not in named
