"""Non-answers that arrive through real channels (issue 17, branch h-na46): an out-of-office reply,
a bounce, a voicemail greeting or a dropped call, a chat where the customer only greets, a
forwarded receipt or shipping notice with no comment, a notice under a work e-mail, a blank form,
mail markup; and answers of the same shapes with a reason in them, which must stay answers.
Rules only (no model), so cheap."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer
from nlp.non_answers.channel import strip_channel


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your note. I'm travelling with no access to e-mail until the 20th.",
        "Je suis en congé, je vous répondrai dès mon retour le 4 août.",
        "Mail Delivery System: 550 5.1.1 <[EMAIL]>: Recipient address rejected",
        "Hi, you've reached the Okafor family, leave a message after the beep!",
        "Agent: Hello, I'm calling from Lumen Water about your survey.\nCustomer: hello?\n[call dropped]",
        "Visitor: hey\nBot: Sorry to see you go! What's the main reason?\nVisitor: thx bye",
        "Fwd: Your order is on its way\nOrder #55-20931\nCourier: Evri\nExpected: Friday\nTotal £22.40",
        "INVOICE 7781\nBroadband Fibre 80  £32.00\nLine rental  £0.00\nTotal  £32.00",
        "Any views expressed in this e-mail are those of the sender. If you received it in error, "
        "please notify the sender and delete it.",
        "Reason for leaving: -- Select one --\nComments: ",
        '<img src="https://px.example.com/o.gif" width="1" height="1">',
        "Ver anexo.",
    ],
)
def test_channel_furniture_alone_is_a_non_answer(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm away until Monday. Quick answer though: the monthly fee went up twice this year.",
        "Agent: Can I ask why you left?\nCustomer: your engineers missed three appointments\n[call dropped]",
        "Visitor: hey\nBot: What's the main reason?\nVisitor: the app logs me out every day. thx bye",
        "Fwd: Your order is on its way\nOrder #55-20931\nTotal £22.40\n\nIt never arrived and the courier lied.",
        "INVOICE 7781\nTotal £32.00\n\nThat's £10 more than the price I signed up for.",
        "Reason for leaving: moved in with my partner, we kept her plan",
        "Kind regards,\nOwen Price\n\nPS we switched to a rival with a proper mobile app.",
        "<p>Your checkout kept rejecting my card.</p>",
        "You can't reach anyone by phone, it's always 'leave a message after the tone'.",
        "Client closed their shop, so no need for the hosting any more.",
        "Out of office hours the chat is closed and nobody answers",  # office hours, not an auto-reply
    ],
)
def test_channel_shapes_with_a_reason_stay_answers(text: str) -> None:
    assert not is_non_answer(text)


def test_strip_channel_keeps_the_customers_words_and_says_what_it_found() -> None:
    own, found = strip_channel("Agent: Why did you cancel?\nCaller: the bills were wrong\n[line went dead]")
    assert found and own == "the bills were wrong"
    assert strip_channel("The price went up.") == ("The price went up.", False)
