"""A letter the head takes for a non-answer keeps its answer when one clause gives a reason; e-mail
furniture (headers, forwarding markers, quoted lines, confidentiality notices) says nothing."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nlp import PipelineConfig, analyze
from nlp.causes import classify_answers
from nlp.letter_reasons import gives_reason, letter_clauses, reasons_in_letters
from nlp.non_answers import has_reason_cue, is_non_answer
from nlp.non_answers.mail import has_mail_furniture, strip_mail

from .test_causes import CLASSES, TAXONOMY, probs

REASON = "Please cancel my membership, I'm moving abroad for work next month. Thank you for everything."
POLITE = "Please cancel my membership, account [ACCOUNT], from next month. Thank you for everything."


def test_a_letter_is_split_into_clauses_that_could_give_a_reason():
    assert letter_clauses(REASON, 4) == ["I'm moving abroad for work next month"]
    # requests, account details, thanks and short fragments are left out
    assert letter_clauses(POLITE, 4) == []
    assert letter_clauses("Name: [PERSON]. Policy: life cover basic. Thank you.", 4) == []


def test_a_clause_is_a_reason_when_the_head_finds_a_cause_and_no_non_answer():
    config = PipelineConfig()
    assert gives_reason(probs(no_longer_needed=0.6, non_answer=0.1)[0], CLASSES, config)
    assert not gives_reason(probs(no_longer_needed=0.6, non_answer=0.3)[0], CLASSES, config)
    assert not gives_reason(probs(no_longer_needed=0.1, non_answer=0.05)[0], CLASSES, config)


def _reason_for(clause: str) -> np.ndarray:
    """A stand-in for the head on clauses: the moving-abroad clause reads as a reason."""
    found = "abroad" in clause
    return probs(no_longer_needed=0.8 if found else 0.05, non_answer=0.05 if found else 0.9)[0]


def test_only_letters_the_head_would_flag_are_split_and_a_reason_clause_keeps_them():
    config = PipelineConfig()
    texts = [REASON, POLITE, REASON]
    doc = np.vstack([probs(non_answer=0.9), probs(non_answer=0.9), probs(no_longer_needed=0.9)])
    seen: list[str] = []

    def predict(clauses: list[str]) -> np.ndarray:
        seen.extend(clauses)
        return np.vstack([_reason_for(c) for c in clauses])

    found = reasons_in_letters(doc, texts, CLASSES, config, predict)
    assert found.tolist() == [True, False, False]
    assert seen == ["I'm moving abroad for work next month"]  # the third answer was never split
    calls = classify_answers(
        doc,
        np.zeros((0, len(CLASSES))),
        np.zeros(0, dtype=int),
        CLASSES,
        config,
        "emerging",
        texts,
        TAXONOMY,
        found,
    )
    assert [c.non_answer for c in calls] == [False, True, False]
    off = dataclasses.replace(config, letter_clause_check=False)
    assert not reasons_in_letters(doc, texts, CLASSES, off, predict).any()


@pytest.mark.parametrize(
    "text",
    [
        "---------- Forwarded message ---------\nFrom: [PERSON]\nDate: Mon, 4 Mar\nSubject: Re: your account\n",
        "Begin forwarded message: From: accounts@ Subject: Your statement is ready. Date: 2 May.",
        "This e-mail is confidential and intended only for the named recipient. If you received it in error, "
        "please notify the sender and delete it.",
        "> Tell us why you are leaving\n> Reply to this e-mail\n\nAs requested.",
        "-----Original Message----- From: Billing Sent: Friday To: me Subject: We're sorry to see you go",
    ],
)
def test_mail_furniture_alone_is_a_non_answer(text):
    assert has_mail_furniture(text)
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "From: [PERSON]\nSubject: We're sorry to see you go\n\nYou lost my parcel twice and never refunded it.",
        "> Why are you cancelling?\n\nThe app logs me out every few minutes.",
        "FW: closing account. As in the thread below, the invoices were wrong four months running.",
    ],
)
def test_a_reason_under_mail_furniture_stays_an_answer(text):
    assert strip_mail(text)
    assert not is_non_answer(text)


def test_one_field_alone_is_the_customers_own_words():
    assert not has_mail_furniture("Moved to: a cheaper provider")


def test_gratitude_pointers_and_requests_are_not_reason_cues():
    assert not has_reason_cue("Many thanks to the whole crew, you have been lovely. Goodbye.")
    assert not has_reason_cue("As I told the driver last week, please just cancel.")
    assert not has_reason_cue("Getting in touch because I'd like to cancel the club place. Thanks")
    assert not has_reason_cue("I have been asked to fill in this form three times now")
    assert has_reason_cue("I asked support three times to fix it")
    assert has_reason_cue("Cancelling thanks to the price rise")
    assert has_reason_cue("Leaving as the app keeps crashing")


@pytest.mark.slow
def test_with_the_real_head_a_reason_inside_a_polite_letter_keeps_the_answer():
    reasons = [
        REASON,
        "Dear team, please close my account. I was charged for a plan I had already downgraded, twice. Regards",
        "Hi, please end my car sharing membership, card [ACCOUNT]. There's never a car near me when I need one.",
    ]
    non_answers = [
        POLITE,
        "Dear Sir or Madam, please end my policy [ACCOUNT] at renewal and confirm in writing. Kind regards.",
    ]
    result = analyze(reasons + non_answers, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [False] * len(reasons) + [True] * len(non_answers)
