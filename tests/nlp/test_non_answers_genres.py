"""Non-answers of the kinds added in issue 17's fifth round (auto-replies in five languages, a
name alone, pointers and refusals outside English), and the terse or vague reasons that must
stay answers ("personal reasons", "wasn't for me", "kids", "no api")."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import PipelineConfig
from nlp.causes import classify_answers
from nlp.non_answers import has_reason_cue, is_non_answer
from nlp.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
CLASSES = sorted(TAXONOMY.keys + ["non_answer"])


@pytest.mark.parametrize(
    "text",
    [
        "This is an automated message - please do not reply to this address.",
        "OOO till the 14th, limited access to email",
        "I'm on maternity leave until March and will reply when I am back.",
        "Your message has been received. One of our team will be in touch.",
        "This inbox is not monitored.",
        "Este es un mensaje automático. Estoy fuera de la oficina.",
        "Bin im Urlaub bis zum 3. Juni, danach wieder erreichbar.",
        "Je suis en congé jusqu'au 2 mai, je vous répondrai à mon retour.",
        "Estou de férias, respondo quando voltar.",
        "Dave",
        "Mrs Okonkwo",
        "- Ingrid",
        "Como les dije por teléfono",
        "Como eu já disse no chat",
        "Es algo personal",
        "É pessoal!",
    ],
)
def test_new_kinds_of_non_answers_are_caught(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "too dear",
        "moved",
        "kids",
        "no api",
        "late again",
        "closed shop",
        "didnt use",
        "Will",  # a given name that is also a word
        "Sky",  # a brand
        "switched to Monzo",
        "personal reasons",
        "persönliche Gründe",
        "motivos pessoais",
        "raisons personnelles",
        "wasn't for me",
        "Support only ever sent an auto-reply, nobody read my emails",
        "I'm out of the office most weeks now so I never used it",
        "we were away until June and forgot to cancel, the fee is too high for that",
    ],
)
def test_short_and_vague_reasons_are_not_flagged_by_the_rules(text):
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "personal reasons",
        "religious reasons",
        "wasn't for me",
        "not my thing",
        "didn't suit us",
        "pas pour moi",
    ],
)
def test_a_reason_named_in_a_word_or_two_counts_as_a_reason(text):
    assert has_reason_cue(text)


@pytest.mark.parametrize("text", ["it's personal", "no reason", "see my email", "thanks, bye"])
def test_declines_and_pointers_give_no_reason(text):
    assert not has_reason_cue(text)


def test_the_head_does_not_call_a_vague_reason_a_non_answer():
    """The bank's non-answer class pulls short vague answers in ("wasn't for me" 0.9); a reason
    named in a word or two overrides it, as "because ..." does."""
    p = np.zeros(len(CLASSES))
    p[CLASSES.index("non_answer")], p[CLASSES.index("no_longer_needed")] = 0.9, 0.1
    empty = np.zeros((0, len(CLASSES)))
    config = PipelineConfig()

    def call(text: str):
        return classify_answers(
            p[None, :], empty, np.zeros(0, dtype=int), CLASSES, config, "emerging", [text], TAXONOMY
        )[0]

    assert not call("wasn't for me").non_answer
    assert not call("persönliche Gründe").non_answer
    assert call("no comment").non_answer


@pytest.mark.parametrize(
    "text",
    [
        "they do not reply to emails",
        "I no longer work at the company that paid for it",
        "delivery failed twice",
        "Ich habe keinen Zugriff auf mein Konto",
        "je suis absent du bureau la moitié du temps, je ne l'utilisais pas",
    ],
)
def test_complaints_in_the_words_of_auto_replies_are_kept(text):
    assert not is_non_answer(text)


def test_an_empty_because_is_still_a_non_answer_when_the_head_is_unsure():
    p = np.zeros(len(CLASSES))
    p[CLASSES.index("non_answer")], p[CLASSES.index("price")] = 0.45, 0.3
    empty = np.zeros((0, len(CLASSES)))
    call = classify_answers(
        p[None, :],
        empty,
        np.zeros(0, dtype=int),
        CLASSES,
        PipelineConfig(),
        "emerging",
        ["because I want to"],
        TAXONOMY,
    )[0]
    assert call.non_answer
