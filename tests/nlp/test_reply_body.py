"""The body of an e-mail reply: greeting, closing, signature and the quoted survey e-mail go."""

from __future__ import annotations

import pytest

from nlp.reply_body import reply_body
from nlp.rules import normalize

STORY = "The showers were cold now and then. What finally did it was the new price, 34 to 49 a month."


@pytest.mark.parametrize(
    "mail",
    [
        # a quoted survey e-mail that names reasons itself, under "On ... wrote:"
        f"Hi,\n\n{STORY}\n\nThanks,\nMaria Keller\n\nOn Tue, 3 Nov 2026 at 09:14, Acme <[EMAIL]> wrote:\n"
        "> We're sorry to see you go. Was it the price, the app, delivery or support?\n>\n> The Acme team",
        # Outlook: a signature with title and phone, then the original message's header fields
        f"Dear Acme team,\n\n{STORY}\n\nKind regards,\n\n[PERSON]\nOffice Manager | Keller Design Studio\n"
        "Mob: [PHONE]\n\n-----Original Message-----\nFrom: Acme <[EMAIL]>\nSent: Mon 7 Jan 2026 12:00\n"
        "To: [EMAIL]\nSubject: Why did you leave?\n\nWas it our prices, our service, or something else?",
        # forwarded, from a phone
        f"---------- Forwarded message ---------\nFrom: [PERSON] <[EMAIL]>\n\nHello,\n\n{STORY}\n\n"
        "Cheers,\n[PERSON]\n\nSent from my iPhone",
        # an Outlook reply with header fields and no marker line; a German closing
        f"{STORY}\nBeste Grüße\n[PERSON]\n\nFrom: Acme\nSent: Friday\nTo: [EMAIL]\nSubject: Why?\nWas it the price?",
    ],
)
def test_the_body_is_what_the_customer_wrote(mail):
    assert reply_body(normalize(mail)) == STORY


@pytest.mark.parametrize(
    "text",
    [
        "too expensive",
        "Thanks,\nprices went up again",  # a reason under a closing is no signature
        "Hi, the app kept crashing. Thanks",  # a greeting inside the sentence stays
        "Moved to: Vodafone",  # one field-like line is the customer's own words
        "Dear me, what a mess your billing is.\nCharged twice.",
    ],
)
def test_an_answer_without_mail_furniture_is_unchanged(text):
    assert reply_body(text) == text


def test_nothing_but_furniture_is_left_as_it_was():
    text = "Kind regards,\n[PERSON]"
    assert reply_body(text) == text
