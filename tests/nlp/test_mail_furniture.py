"""One description of e-mail furniture (nlp/mail_furniture.py), read the same way by the three
readers: the reply body the head reads, the reply judged as a non-answer, and the channel's
furniture. Rules only (no model), so cheap."""

from __future__ import annotations

import pytest

from nlp.first_cause import stresses_a_later_reason
from nlp.non_answers import is_non_answer
from nlp.non_answers.channel import strip_channel
from nlp.non_answers.mail import strip_mail
from nlp.reply_body import reply_body

REASON = "The app logged me out every single day and support never fixed it."


@pytest.mark.parametrize(
    "client", ["Sent from my iPhone", "Sent from Outlook for Android", "Get Outlook for iOS"]
)
def test_a_mail_clients_line_is_furniture_to_every_reader(client: str) -> None:
    text = f"{REASON}\n\n{client}"
    assert reply_body(text) == REASON
    assert strip_mail(f"> Why are you leaving?\n{text}") == REASON.rstrip(".")
    own, found = strip_channel(text)
    assert found and client not in own
    assert not is_non_answer(text)


@pytest.mark.parametrize("text", ["Madame, Monsieur,", "Olá, bom dia", "Hiya", "Good afternoon"])
def test_a_greeting_alone_is_a_non_answer(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["caro", "Cher.", "too dear"])
def test_words_that_greet_only_before_a_name_say_expensive_alone(text: str) -> None:
    assert not is_non_answer(text)


def test_a_letter_with_only_a_closing_around_its_reason_keeps_the_reason() -> None:
    text = f"Dear Sir or Madam,\n{REASON}\nYours faithfully,\nP. Osei"
    assert reply_body(text) == REASON
    own, found = strip_channel(text)
    assert found and "Osei" not in own
    assert not is_non_answer(text)


def test_a_later_clause_that_says_what_made_them_leave_keeps_the_heads_choice() -> None:
    assert stresses_a_later_reason("Too clunky for our team. But what made us leave was the support.")
    assert not stresses_a_later_reason("No Zapier integration, which was a dealbreaker for us.")


def test_a_work_mails_footer_and_a_name_signed_alone_are_not_the_body() -> None:
    text = (
        "Hello,\n\nThe booking page timed out every evening for a month.\n\nRoisin\n\n"
        "This email and any attachments are confidential and intended solely for the addressee.\n"
        "Fairlight Ltd, registered in England No. 01234567."
    )
    assert reply_body(text) == "The booking page timed out every evening for a month."
    assert reply_body("The price went up twice.\nNever Again") == "The price went up twice.\nNever Again"


@pytest.mark.parametrize(
    "text",
    [
        "Sent from my iPhone\n\nOn 2 Mar 2026, at 09:10, Fairlight <hello@fairlight.example> wrote:\n"
        "We're sorry to see you go — what made you leave?\nJust reply to this email.",
        "See attached.\n\nThis message has been scanned for viruses by Mimecast.",
    ],
)
def test_a_reply_of_furniture_only_is_a_non_answer(text: str) -> None:
    assert is_non_answer(text)


def test_an_answer_above_the_quoted_survey_stays_an_answer() -> None:
    text = f"{REASON}\n\nOn 2 Mar 2026, at 09:10, Fairlight <hello@fairlight.example> wrote:\nWhat made you leave?"
    assert not is_non_answer(text)
    assert reply_body(text) == REASON
