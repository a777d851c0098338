"""Things named like people survive redaction beside personal data that goes (issue 17, sixteenth
round, precision): a provider the customer switched to or uses now, a place travelled to or lived
in, a feast, a show watched, a firm with "&", a brand's tier, a brand that offers more. Each shape is
told by the words around the whole capitalised run, not by a list of names.

The sentences are new, not rows of the bench lists, so these tests check the rules, not a list."""

from __future__ import annotations

import pytest

from nlp import pii, redact


@pytest.mark.parametrize(
    "text, secret, kept",
    [
        # where the customer went: switched, moved money, uses now, "with X" after a product
        ("We use Harriet Cleaners now. The account was under Ingrid Solberg.", "Ingrid", "Harriet Cleaners"),
        ("Switched to Molly Brown Insurance. Regards, Tomasz Wiśniewski", "Wiśniewski", "Molly Brown"),
        ("Now with Victoria Plum for taps, cheaper. Signed, Kwame Mensah", "Mensah", "Victoria Plum"),
        # a place travelled to or lived in
        ("Flights into John Wayne were always late. Passenger: Elif Demir", "Demir", "John Wayne"),
        ("The nearest store is in Charlotte now. Cancel for Rosa Delgado.", "Delgado", "Charlotte"),
        # a feast, a show watched, a brand's tier
        (
            "Closed on Thanksgiving and Martin Luther King Day. Sorry, Abebe Tesfaye",
            "Tesfaye",
            "Martin Luther King Day",
        ),
        ("My son only watches Bluey and Peppa Pig. Please cancel, Oksana Petrenko", "Petrenko", "Bluey"),
        ("Season 3 of Ted Lasso never loaded. Account holder: Dagny Lund", "Lund", "Ted Lasso"),
        ("Drove down to Charlotte and lost signal. Thanks, Yusuf Adebayo", "Adebayo", "Charlotte"),
        ("I'd rather read Stephen King than your blog. Sign me off, Aylin Kaya", "Kaya", "Stephen King"),
        ("Hulu has Jack Ryan and you don't. Cancel for Bongani Dube", "Dube", "Jack Ryan"),
        ("They pulled The Marvelous Mrs. Maisel midway. Cancel for Bongani Dube", "Dube", "Maisel"),
        # a firm: "at X & Y", "X & The Y"; a brand that gives more
        ("Our auditors at Clarke & Young wanted Xero. Contact Priti Shah.", "Priti", "Clarke & Young"),
        ("Sam & The Bean opened next door. Card holder Lucía Fernández", "Fernández", "Sam & The Bean"),
        ("Harvey Grant gives better cashback. Bye, Henrik Nygaard", "Nygaard", "Harvey Grant"),
    ],
)
def test_things_named_like_people_survive_beside_names_that_go(spacy_nlp, text, secret, kept):
    out = redact(text)
    assert secret not in out, out
    assert kept in out, out


def test_a_word_after_a_brand_is_its_tier_not_a_person():
    # the NER model sometimes takes a brand's tier for a person ("Spotify [Duo]")
    text = "Spotify Duo is enough for the two of us."
    start = text.index("Duo")
    assert pii.drop_kept_names(text, [(start, start + 3, "PERSON")]) == []
