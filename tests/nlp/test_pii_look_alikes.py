"""Look-alikes the sixteenth round's rules took for personal data (review of issue 17): a price
before "@" and a shop, a misspelt word after "user", a brand a relative loves or prefers, a
number with its unit after "registration", a one-word answer to the writer's own question, a
count of goods whose name ends in a street word ("12 Galaxy Fold phones"). Each
rule keeps its catch; the sentences are new, not rows of the bench lists."""

from __future__ import annotations

import pytest

from nlp import redact
from nlp.pii.lexicon import english_verb, near_english


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Same item was 9.99@Amazon vs 14.99 here.", "9.99@Amazon"),
        ("Coffee is 2@Costco, you charge 4.", "2@Costco"),
        ("Not very user freindly.", "freindly"),
        ("The user experiance is awful.", "experiance"),
        ("my kids love alexa more than your speaker", "alexa"),
        ("my wife prefers zara for the kids clothes", "zara"),
        ("Registration was 10mins of pain, cancelling took weeks.", "10mins"),
        ("Which bank now? Chase.", "Chase"),
        ("Where did we move to? Wrexham.", "Wrexham"),
        ("We bought 12 Galaxy Fold phones and your case didn't fit.", "12 Galaxy Fold"),
        ("We had 2 JP Morgan Chase accounts and closed them.", "2 JP Morgan Chase"),
    ],
)
def test_look_alikes_survive(spacy_nlp, text, kept):
    out = redact(text)
    assert kept in out, out


@pytest.mark.parametrize(
    "text, secret",
    [
        ("refund to UPI id 9876543210@ybl please", "9876543210@ybl"),
        ("please delete the account for user kbaptiste", "kbaptiste"),
        ("the account for user jsmith is my old one", "jsmith"),
        ("my sister alexa set it up and she moved out", "alexa"),
        ("reg 1xbg340 got a fine at your car park", "1xbg340"),
        ("Too expensive. Shazza", "Shazza"),
        ("Sorry. Will", "Will"),
        ("stop sending the box to 7 Larkspur Rise please", "Larkspur Rise"),
        ("deliver to 10 Apple Tree Walk, not next door", "Apple Tree Walk"),
    ],
)
def test_the_rules_still_catch(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out, out


def test_typos_and_verbs_come_from_wordnet():
    """A typo keeps its first letter ("jsmith" is no typo of "smith"); verbs are WordNet's."""
    assert near_english("freindly") and near_english("experiance")
    assert not near_english("jsmith") and not near_english("kbaptiste")
    assert english_verb("prefers") and not english_verb("sister")
