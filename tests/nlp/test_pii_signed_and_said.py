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
