"""Full-sentence non-answers: a question back about the process, a remark about the survey, a
letter that only closes the account; and the reasons of the same shape that must stay answers."""

from __future__ import annotations

import pytest

from nlp import PipelineConfig, analyze
from nlp.causes import non_answer_bar
from nlp.non_answers import has_reason_cue, is_non_answer, names_a_reason

from .test_non_answers_unsure import call_for


@pytest.mark.parametrize(
    "text",
    [
        "When do I need to return the modem by?",
        "Could you email me the closing statement please?",
        "Can you confirm the direct debit has been cancelled? Thanks.",
        "Where should I post the membership card?",
        "Is it possible to keep my email address after I leave?",
        "What happens to the photos stored in my account?",
        "¿Dónde tengo que devolver el decodificador?",
        "Wann bekomme ich meine Kaution zurück?",
        "Pouvez-vous m'envoyer la dernière facture par courrier ?",
        "Vocês podem me mandar o comprovante de cancelamento?",
    ],
)
def test_questions_back_about_the_process_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why was I charged twice this month?",
        "Can you explain the £40 on my last bill?",
        "Where is my refund?",
        "Is there a cheaper plan?",
        "When will you fix the login page?",
        "Can I get my money back? The box arrived crushed.",
        "Will the app ever stop crashing?",
        "¿Por qué me cobran otra vez?",
        "Pourquoi le prix augmente encore ?",
    ],
)
def test_questions_that_carry_a_reason_stay_answers(text):
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your questionnaire has far too many pages.",
        "I'm not doing another survey, sorry.",
        "Why is this box mandatory?",
        "No quiero contestar esta encuesta.",
        "Ich habe keine Zeit für Umfragen, bitte kündigen.",
    ],
)
def test_remarks_about_the_survey_itself_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Too many surveys and marketing emails every week.",
        "The app keeps asking me to fill in a survey and then crashes.",
        "You sold my data, and now this survey wants more of it.",
        "Same as last survey, too expensive",
        "as per the questionnaire: costs too much",
    ],
)
def test_complaints_about_mail_data_or_the_product_stay_answers(text):
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd prefer not to say, thank you.",
        "Honestly that's private.",
        "We would rather not go into it.",
        "I don't owe anyone an explanation.",
        "Prefiero no contestar, gracias.",
        "Das möchte ich nicht angeben.",
    ],
)
def test_refusals_to_say_why_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "That's private information and you passed it to a debt collector.",
        "I don't want to share my location with an app just to book a class.",
        "I'd rather not say much, but the fees doubled.",
        "Personal reasons I won't go into.",
        "They don't answer the phone.",
    ],
)
def test_privacy_complaints_and_reasons_beside_a_refusal_stay_answers(text):
    assert not is_non_answer(text)


def test_deaths_repeated_requests_and_breaches_are_reasons():
    assert names_a_reason("Account holder deceased, please close")
    assert names_a_reason("Closing the policy for our late father")
    assert not names_a_reason("the parcel was late")
    assert has_reason_cue("I have asked support 3 times to delete the old account")
    assert has_reason_cue("You keep saying it will be fixed")
    assert has_reason_cue("you sold my details to a broker")
    assert not has_reason_cue("Keep doing what you're doing, bye!")


LETTER = "Dear team, please close the joint account and send the balance to my other bank, thank you"


def test_a_letter_needs_less_of_the_head_than_a_terse_answer():
    config = PipelineConfig()
    assert non_answer_bar(LETTER, config) == config.non_answer_letter_probability
    assert non_answer_bar("ethics", config) == config.non_answer_min_probability
    assert call_for(LETTER, non_answer=0.7, billing=0.2).non_answer
    assert not call_for("company ethics", non_answer=0.7, privacy_trust=0.2).non_answer
    # a reason cue in a letter keeps it, however sure the head
    assert not call_for(LETTER + ". My father passed away.", non_answer=0.9).non_answer
    # and the head's non-answer class must still win
    assert not call_for(LETTER, non_answer=0.4, billing=0.5).non_answer


@pytest.mark.slow
def test_with_the_real_head_letters_and_questions_back_are_caught_and_reasons_kept():
    non_answers = [
        "Good afternoon, I'd like my contract ended on the renewal date. Customer number [ACCOUNT]. Regards.",
        "Could you let me know whether my final payment has gone through?",
        "This questionnaire is longer than my contract was.",
    ]
    reasons = [
        "Good afternoon, please end my contract on the renewal date. The price has gone up three years running.",
        "Why does my bill keep going up when I use less data?",
        "I get five marketing emails a week from you and unsubscribing does nothing.",
        "Please close the account, my husband passed away in March.",
    ]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)
