"""Admin questions and instructions, goodbyes, praise and pointers that give no reason are
non-answers; the same shapes carrying a reason stay answers (issue 17)."""

from __future__ import annotations

import pytest

from nlp import PipelineConfig, analyze
from nlp.non_answers import has_reason_cue, is_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "should I post the card reader back or will someone pick it up",
        "Please email the closing statement, no need for a paper copy.",
        "I'd like a copy of my invoices for the last tax year if possible",
        "Does my access carry on until the end of the billing period?",
        "Will they wipe my uploaded files straight away?",
        "Is the cancellation effective from today?",
        "Loved the classes. Is the locker deposit refunded automatically? Bye!",
    ],
)
def test_admin_questions_and_instructions_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "thats me done, byeee",
        "Farewell all, been a customer since 2011",
        "It was simply time to move on.",
        "no particular reason for leaving, cheers",
        "kein besonderer Grund, danke",
        "nada en especial, gracias",
    ],
)
def test_goodbyes_and_no_reason_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "The coaches were brilliant, honestly.",
        "loved it, no complaints at all",
        "couldn't fault you on anything",
        "Fantastic team, 10/10 would recommend",
        "Everything was perfect from start to finish!",
        "Service impeccable, rien à redire.",
    ],
)
def test_praise_with_nothing_else_is_a_non_answer(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "my wife rang you about it on Monday",
        "reasons already given in the chat",
        "como ya le expliqué a su compañero",
    ],
)
def test_pointers_to_someone_else_or_an_earlier_answer_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "how do I get a refund for the double charge in May?",
        "Can you refund the month you billed after I'd already cancelled?",
        "Como faço para receber o reembolso da cobrança em dobro?",
        "Do I still have to pay when the app never works?",
        "Please close my account, your agents were rude on every call.",
        "Where do I return the router? It dropped out every night.",
        "Loved the staff, but the price doubled.",
        "The trainers were brilliant until the gym got too crowded.",
        "great app, wasn't worth the money though",
        "bye, found a cheaper gym down the road",
        "bye, sick of parcels arriving late",
        "as I told the agent, the app is too slow",
        "this form crashed twice which sums up why I'm leaving",
        "The returns flow is a maze of dropdowns.",
        "I closed the account in March. You took payments in April and May. Do I need to say more?",
        "Please downgrade me to the basic plan, the premium one is too expensive.",
    ],
)
def test_questions_goodbyes_and_praise_that_carry_a_reason_stay_answers(text):
    assert not is_non_answer(text)


def test_a_reason_done_behind_the_customers_back_overrides_the_head():
    assert has_reason_cue("bye, and stop renewing people without telling them")
    assert has_reason_cue("you know far too much about me, that's the problem")
    assert not has_reason_cue("bye, thanks for everything")


@pytest.mark.slow
def test_with_the_real_head_admin_goodbyes_and_praise_are_caught_and_reasons_kept():
    non_answers = [
        "do I keep access to my photos until the subscription runs out?",
        "Great bunch of people. Where do I drop the key fob back? Cheers",
        "The instructors were wonderful, really.",
        "Signing off now, take care everyone!",
    ]
    reasons = [
        "how do I get a refund for the double charge in May?",
        "bye, and stop renewing people without telling them",
        "Lovely staff, but the classes were always overbooked.",
        "Where do I send the modem? The connection dropped every evening.",
    ]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Please erase all my personal information from your systems.",
        "I request a copy of my personal data under GDPR.",
        "Bitte löschen Sie meine persönlichen Daten.",
        "Por favor borrar mis datos personales.",
        "Merci de supprimer mes données personnelles.",
    ],
)
def test_a_data_protection_request_is_leavings_paperwork(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please delete my personal data, you leaked it in the breach.",
        "you shared my personal data with advertisers",
        "GDPR",
        "Please delete my data, too many marketing calls.",
    ],
)
def test_a_data_request_with_a_complaint_or_a_privacy_reason_stays_an_answer(text):
    assert not is_non_answer(text)
