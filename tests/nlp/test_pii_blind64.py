"""Kinds of personal data missed on the second blind tuning list (issue 17, h-pii64).

A title typed in lower case before a name found ("dr. amara osei", "don Ettore Bianchi") is part
of the name; a known given name owning an account after a verb opening the sentence ("Closing
Ingrid's plan"); an e-mail address with an apostrophe in its user part; a licence plate a word or
two after its cue ("matrícula del coche 7390 DNR"); a login named as such in brackets ("kestrelrun
here (my username)"); a returning writer's name before a dash ("Hazel again — ..."); a given name of two hyphenated known given names and the surname after it
("Anne-Sophie Leclerc"). A run of capitalised words ending in a harbour or marina word is a place.

The sentences are new, not rows of the bench lists, so these tests check the rules, not a list.
"""

from __future__ import annotations

import pytest

from nlp import redact


@pytest.mark.parametrize(
    "text, secrets",
    [
        # a title in lower case before a name found is part of it
        ("our physio dr. amara osei retired and the new one is awful", ("dr", "amara", "osei")),
        ("Soy doña Remedios Ugarte y ya no uso la aplicación.", ("doña", "Remedios", "Ugarte")),
        ("Sono don Ettore Bianchi e non mi serve più.", ("don", "Ettore", "Bianchi")),
        # a given name owning an account after a verb opening the sentence
        ("Closing Ingrid's plan, she has her own phone now.", ("Ingrid",)),
        ("Cancelling Lucia's membership, she's at university now.", ("Lucia",)),
        ("Removing Tomasz's login please, he left the firm.", ("Tomasz",)),
        # an e-mail address with an apostrophe in its user part
        ("reach me at d.o'sullivan@example.org if needed", ("d.o'", "sullivan")),
        # a plate a word or two after its cue
        ("Matrícula de la caravana 5512 HJT, ya no la uso.", ("5512", "HJT")),
        ("The plate on my trailer is 4471 KPX and you clamped it.", ("4471", "KPX")),
        # a login named as such in brackets
        ("kestrelrun here (my username), the app keeps logging me out", ("kestrelrun",)),
        ("Account is under bluefinch77 (my login) but I no longer need it", ("bluefinch77",)),
        # a returning writer naming themself before a dash, a given name that is also a word too
        ("Hazel again — the bins were missed a third time.", ("Hazel",)),
        ("Summer here - the app logs me out every day.", ("Summer",)),
        # two hyphenated given names and the surname after them
        ("My partner Anne-Sophie Leclerc thinks it is too dear.", ("Anne-Sophie", "Leclerc")),
        ("My ex Marie-Claire Dubois-Laurent says no.", ("Marie-Claire", "Dubois", "Laurent")),
        ("Bitte das Konto von Hans-Peter Größmann schließen, zu teuer.", ("Hans-Peter", "Größmann")),
    ],
)
def test_the_blind64_kinds_are_redacted(text: str, secrets: tuple[str, ...]) -> None:
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text, kept",
    [
        # a harbour, marina or haven named in capitals is a place, not a person
        ("Moved the boat to Chichester Marina Haven, cheaper berths.", "Chichester Marina Haven"),
        ("Berthing at Falmouth Yacht Haven was half the price.", "Falmouth Yacht Haven"),
        ("Our skipper prefers Ardrossan Harbour Haven now.", "Ardrossan Harbour Haven"),
        # a capitalised word before a possessive that is a brand, and "I miss" before a name
        ("Trader Joe's is closer to us now.", "Trader Joe's"),
        ("I miss the old app, honestly.", "I miss the old app"),
        ("Rolls-Royce and Mercedes-Benz are both too dear.", "Rolls-Royce and Mercedes-Benz"),
        # a word that is no given name before "again" and a dash
        ("Price again — too high for what it does.", "Price again"),
        # a given name customers also use as a word, before "again" and a dash: the word
        ("Bill again — charged twice this month.", "Bill again"),
        ("Chase again - still no refund.", "Chase again"),
        # a plate cue followed by words and no plate
        ("The registration process was painful and slow.", "registration process was painful"),
        # a plate cue, words, then an amount with its currency's code: money, not a plate
        ("The registration fee went up to 50 EUR.", "50 EUR"),
        ("Licence plate renewal cost me 120 GBP this year", "120 GBP"),
    ],
)
def test_look_alikes_are_kept(text: str, kept: str) -> None:
    assert kept in redact(text)


@pytest.mark.parametrize(
    "text, kept, secrets",
    [
        # a single lower-case common word after a dash is the subject, not a signature ...
        ("Hazel again — bins", "again — bins", ("Hazel",)),
        ("Third missed pickup — gutters", "— gutters", ()),
        ("Not again — pigeons", "— pigeons", ()),
        # ... while a lower-case name there still signs the answer
        ("Too dear for us — oyelaran", "Too dear for us", ("oyelaran",)),
        ("Too dear for us — hazel", "Too dear for us", ("hazel",)),
        ("Gave up on it. - dave", "Gave up on it.", ("dave",)),
    ],
)
def test_a_common_word_after_a_dash_is_no_signature(text: str, kept: str, secrets: tuple[str, ...]) -> None:
    out = redact(text)
    assert kept in out, out
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text, kept",
    [
        # a known given name's possessive after a verb opening the sentence names a shop where a
        # shop word follows it or it stands for the place ("instead") ...
        ("Visit Joe's instead", "Joe's"),
        ("Love Ben's new shop", "Ben's"),
        ("Try Maria's bakery on the high street, it is cheaper.", "Maria's"),
        # ... and a person owning what follows otherwise
        ("Closing Ingrid's plan, she has her own phone now.", "[PERSON]'s plan"),
        ("Ask Ben's manager why.", "[PERSON]'s manager"),
    ],
)
def test_a_shop_named_after_its_owner_is_kept(text: str, kept: str) -> None:
    assert kept in redact(text)
