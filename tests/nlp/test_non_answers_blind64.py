"""Non-answers of the shapes added in issue 17's sixty-fourth round (branch h-na64): a score with
no reason, a refusal told by an agent's note, a go-ahead in a call transcript, a pointer to the
company's bot, a shrug that it does not matter, Dutch and Italian "no reason", the survey's question
quoted back without its quote marks; the same shapes with a reason, which must stay answers; and a
closing beside a reason outside English, which the head must not take for a non-answer."""

from __future__ import annotations

import pytest

from nlp.non_answers import has_reason_cue, is_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "7",
        "9/10",
        "4 out of 5",
        "6 stars",
        "[Caller preferred not to say. Account closed.]",
        "Member declined to give a reason",
        "customer said he'd rather not say",
        "Customer: hi, I'm phoning to cancel. Agent: Can I ask what prompted this? "
        "Customer: nah, just go ahead please.",
        "already told your chatbot",
        "I told the virtual assistant yesterday",
        "It doesn't matter.",
        "not important",
        "Geen commentaar",
        "nessun commento, grazie mille",
        "nessun motivo",
        "We're sorry to see you go\nWhy did you cancel?\n\nSent from my iPhone",
        "Why have you decided to leave us?\nPlease reply to this e-mail.\n\nSent from Outlook for Mac",
    ],
)
def test_shapes_that_say_nothing_are_non_answers(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "4, support never answered",
        "9/10 but moving abroad",
        "2 - too pricey",
        "Customer said they'd rather not say, but mentioned the price rise",
        "Customer: hi, I'm phoning to cancel. Agent: Can I ask why? Customer: the gym is too far now.",
        "the chatbot never understood me",
        "doesn't matter now, the price doubled",
        "te duur",
        "troppo lento",
        "Why did you cancel?\nThe delivery slots kept vanishing",
        "What made you cancel?\nThe app kept logging me out",
    ],
)
def test_same_shapes_with_a_reason_stay_answers(text: str) -> None:
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    ["merci, trop lent", "Gracias, demasiado lento", "ok danke, umgezogen", "bedankt, te duur"],
)
def test_a_closing_beside_a_reason_outside_english_is_a_reason(text: str) -> None:
    assert has_reason_cue(text)


@pytest.mark.parametrize("text", ["ok danke, tschüss", "Thanks, bye", "merci, au revoir", "thanks, I'm done"])
def test_a_closing_alone_or_in_english_is_no_reason_cue(text: str) -> None:
    assert not has_reason_cue(text)


@pytest.mark.parametrize(
    "text",
    [
        "bedankt, fijne dag",
        "dank je, doei",
        "merci, bisous",
        "merci, salut",
        "gracias, chao",
        "gracias, nos vemos",
        "gracias, feliz día",
        "danke, schönes Wochenende",
        "merci, oui",
        "merci, non",
    ],
)
def test_two_closings_or_a_yes_or_no_outside_english_are_no_reason_cue(text: str) -> None:
    """Found in review: the clause beside the thanks was taken for a reason whenever it was no
    closing the lists knew, so these vetoed the head's non-answer."""
    assert not has_reason_cue(text)
