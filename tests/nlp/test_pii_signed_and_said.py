"""Names signed as dotted initials alone, said of someone ("she's Sunitha"), or typed in lower case
doing what only a person does (issue 17, h-pii62).

The sentences are new, not rows of the bench lists; each rule is tested both ways."""

from __future__ import annotations

import pytest

from nlp import redact


@pytest.mark.parametrize(
    "text, secrets",
    [
        # dotted initials alone as the last sentence or line
        ("The pool was shut all summer. R.K.", ["R.K"]),
        ("Nobody fixed the boiler.\n- d.m.o.", ["d.m.o"]),
        # a name said of someone, ending its clause
        ("The badge says Tom, but he's Tomasz. Twice now.", ["Tomasz"]),
        ("My mum never got the letters; she is Ifeoluwa, not Ife.", ["Ifeoluwa"]),
        # a lower-case given name doing what a person does
        ("honestly bartek was the only one who helped", ["bartek"]),
        ("only aoife ever called me back", ["aoife"]),
    ],
)
def test_names_signed_said_or_doing(spacy_nlp, text, secrets):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text, kept",
    [
        # dotted abbreviations that end sentences, initials inside a sentence
        ("Half the price in the U.S.", "U.S."),
        ("Cheaper elsewhere. Moving back to the U.K.", "U.K."),
        ("Classes start at 7 a.m.", "a.m."),
        # what someone is, not who
        ("She's British and the app kept failing.", "British"),
        ("He is Head of Sales now.", "Head of Sales"),
        # a given name that is also a word, and a word, before a person's verb
        ("will called me twice and nobody came", "will called"),
        ("support never replied", "support never replied"),
    ],
)
def test_look_alikes_survive(spacy_nlp, text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    "text, secrets",
    [
        # initials alone inside a sentence; a name spoken to; an honorific joined to a name
        ("My tutor was r.t.k. and she never showed up.", ["r.t.k"]),
        ("Ikechukwu, you were the only good part.", ["Ikechukwu"]),
        ("Watanabe-san sorted my refund in the end.", ["Watanabe"]),
        # the other half of a hyphenated name, the rest of a saint's surname, a particle's surname
        ("Booked under Quintero-Baptiste, not my name.", ["Quintero", "Baptiste"]),
        ("Ask Ms St. Aubyn, she knows the account.", ["Aubyn"]),
        ("I dealt with van der Wielen twice and gave up.", ["Wielen"]),
        # an e-mail's user part after its provider; a card's last four after the card's name
        ("my gmail is tamsin.r.lowe so delete that", ["tamsin.r.lowe"]),
        ("Visa **** 7781 was charged twice.", ["7781"]),
        # a family signing with a kiss
        ("we loved it, thank you. love, the Pemberton-Hales x", ["Pemberton-Hales"]),
    ],
)
def test_more_shapes_are_redacted(spacy_nlp, text, secrets):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Classes start at 7 a.m. and finish late.", "a.m."),
        ("Netflix, you lost me after the price rise.", "Netflix"),
        ("I bought a Mercedes-Benz with the refund.", "Mercedes-Benz"),
        ("St. Albans branch closed early.", "St. Albans"),
        ("Werbung von Firmen, die ich nicht kenne.", "von Firmen"),
        ("The van Gogh tickets never came.", "van Gogh"),
        ("Your email is v2.3 of the template.", "v2.3"),
        ("I paid by Mastercard 2 times.", "Mastercard 2"),
        # a quoted e-mail's weekday, a leave-taking after the closing
        ("Too slow.\n\nOn Fri, 27 Jan 2026 at 16:55, Orbit Mobile wrote:\n> Why did you leave?", "On Fri,"),
        ("Thanks, bye.", "bye"),
    ],
)
def test_more_look_alikes_survive(spacy_nlp, text, kept):
    assert kept in redact(text)
