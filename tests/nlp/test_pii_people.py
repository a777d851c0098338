"""Personal data, sixteenth round (issue 17): names told by whom they belong to or where they
stand (a bracket of names after a role, a lower-case name after an owned role, an unknown word
signing the answer, initials and a surname at the end), addresses and handles without the usual
shape (no dot after "@", an e-mail that stops at the provider, a Discord tag, "user:" with a
handle), a second date of birth set against the first in es/de/fr/pt, a plate typed in lower case;
a brand that is also a given name listed with a plain brand ("Zara or Primark") stays, and so
does a name that is a place, an institution or a feast by its shape ("at the Christie", "St
Mary's", "George St", "Valentine's Day"); booking codes and names after their
cue in de/fr/es/pt, nicknames in quotes, "my PT Mohammed", "user kbaptiste", "Sorry. Will".
English words come from the WordNet index the spaCy model ships (``nlp.pii.lexicon``).

The sentences are new, not rows of the bench lists; each rule is tested both ways."""

from __future__ import annotations

import pytest

from nlp import redact
from nlp.pii.lexicon import english_word


@pytest.mark.parametrize(
    "text, secrets",
    [
        # a bracket of names after the role they share, with an age beside a child's name
        ("three reps (tobias, ngozi, wanjiru) each told me something else", ["tobias", "ngozi", "wanjiru"]),
        ("my daughter's (Oyinda, 7) piano lessons kept moving", ["Oyinda"]),
        ("the kids (Matteo and Giulia) hated the new coach", ["Matteo", "Giulia"]),
        # a name listed with a person stays a person even when it is also a brand
        ("Zara and Ahmed from billing were rude.", ["Zara", "Ahmed"]),
        ("Tesco, Sarah and Tom all shop elsewhere now", ["Sarah", "Tom"]),
        # a lower-case given name after a role someone owns
        ("our bookkeeper aurelia found the double charge", ["aurelia"]),
        ("my lead dev svetlana says the API is broken", ["svetlana"]),
        # a word no list knows signing the answer alone
        ("Too dear now, sorry. Tuckett", ["Tuckett"]),
        ("Switching providers, nothing personal. Bazza Quillfeather", ["Bazza", "Quillfeather"]),
        # initials before a surname at the end
        ("Way too slow for our team, 2019 to now, K.T. Oyelaran", ["Oyelaran"]),
        ("Billing errors every month - R. Whitcombe", ["Whitcombe"]),
        # addresses without a dot after "@", e-mails that stop at the provider, tags, handles
        ("please send the refund to UPI amara.k@oksbi", ["amara.k@oksbi"]),
        ("login email is t.bamidele at hotmail, please delete it", ["t.bamidele"]),
        ("add me back on Discord: moonpetal#0291 if you fix it", ["moonpetal"]),
        ("ban appeal ignored. user: grey_kestrel_7", ["grey_kestrel_7"]),
        ("ban appeal ignored. user: lazy_otter", ["lazy_otter"]),
        # a second birth date set against the first in another language, a plate in lower case
        ("Geburtsdatum falsch: 1990-02-11, nicht 1990-11-02.", ["1990-11-02"]),
        ("Mi fecha de nacimiento es 04/07/1985, no 07/04/1985.", ["07/04/1985"]),
        ("the courier scraped my car, reg gk19xwa, and drove off", ["gk19xwa"]),
        # whose the booking is and its code, in de/fr/es/pt
        (
            "Zug verpasst. Buchungsnummer KQ7X2M, Passagierin Lieselotte Brandauer.",
            ["KQ7X2M", "Lieselotte", "Brandauer"],
        ),
        (
            "Hôtel annulé. Réservation 8HJK2P au nom de Marie-Claude Vasseur.",
            ["8HJK2P", "Marie-Claude", "Vasseur"],
        ),
        (
            "Vuelo cancelado, localizador QWE7R9 a nombre de Encarnación Villalba.",
            ["QWE7R9", "Encarnación", "Villalba"],
        ),
        ("Código de reserva 7PLM3Q, passageiro Joaquim Tavares.", ["7PLM3Q", "Joaquim", "Tavares"]),
        # whose the account is or whom to contact, in de/es/fr
        ("Kontoinhaber: Wolfram Eichhorst. Bitte sofort kündigen.", ["Wolfram", "Eichhorst"]),
        ("Titular de la cuenta: Remedios Quintanilla, demasiado caro.", ["Remedios", "Quintanilla"]),
        ("Titulaire du compte Ghislaine Moreau, merci de résilier.", ["Ghislaine", "Moreau"]),
        # a nickname in quotes inside a name, a given name after a role in capitals
        ("close it for me please, Terence 'Tel' Okonedo", ["Terence", "Tel", "Okonedo"]),
        ('signed, Adaeze "Daisy" Nwachukwu', ["Adaeze", "Daisy", "Nwachukwu"]),
        ("our GP Fatima said the app was useless for her", ["Fatima"]),
        # a login after "user" that no dictionary has, a name that is also a word signing alone
        ("please wipe the data for user mbellweather too", ["mbellweather"]),
        ("Out of work, have to stop. Apologies. Will", ["Will"]),
        # someone placed where staff stand; a street typed in lower case
        ("Kwasi behind the bar ignored us for twenty minutes", ["Kwasi"]),
        ("Oluwaseun at the checkout refused the voucher", ["Oluwaseun"]),
        ("stop posting to 5812 wexcombe road, apt 3 please", ["5812 wexcombe road, apt 3"]),
        # a street of one of the UK's own street words
        ("stop sending the box to 7 Larkspur Rise please", ["Larkspur Rise"]),
    ],
)
def test_shapes_of_the_sixteenth_round_are_redacted(spacy_nlp, text, secrets):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out


@pytest.mark.parametrize(
    "text, kept",
    [
        # brackets after a role that hold no names
        ("our agents (all of them) were rude", "all of them"),
        ("my son's (very old) tablet cannot run the app", "very old"),
        ("the staff (Billing, Support) never answer", "Billing, Support"),
        # an owned role before an English word, not a name
        ("she knows my whole saga with the roaming charges", "saga"),
        ("our admin panel crashes daily", "admin panel"),
        # one English word, an interjection, a brand or a German noun as the last sentence
        ("The app logs me out every day. Tiresome.", "Tiresome"),
        ("The meat sat in the hallway for a day. Ugh.", "Ugh"),
        ("Moved to a cheaper provider. Netflix.", "Netflix"),
        ("Zu teuer geworden. Schade.", "Schade"),
        ("Too many outages. Disgraceful.", "Disgraceful"),
        # a bare capital before a word at the end, a brand with initials
        ("Backed by - Y Combinator", "Y Combinator"),
        ("I moved my savings to J.P. Morgan", "J.P. Morgan"),
        # "@" and "#" in ordinary text, "user:" without a handle
        ("send it to me@home, not the office", "me@home"),
        ("ticket #4471 still open", "ticket"),
        ("user: admin2 was the default, insecure", "admin2"),
        # a brand that is also a given name, listed with a brand that is not; "The" in the model's span
        ("Zara or Primark would do it cheaper.", "Zara"),
        ("Primark, Zara and the rest ship free.", "Zara"),
        ("The Jack Wills hoodies faded after one wash", "The Jack Wills"),
        # a shop listed between shops, a brand a device connects to
        ("Asos, Dorothy Perkins and Next all deliver free", "Dorothy Perkins"),
        ("the speaker kept disconnecting from Alexa every night", "Alexa"),
        # a name after "the", a saint's, a street's, a feast's
        ("my dad was treated at the Marsden, so we moved", "the Marsden"),
        ("we moved the kids to St Bernadette's after the fees went up", "St Bernadette's"),
        ("the gym on Albert Rd shut for a month", "Albert Rd"),
        ("flowers cost double on Mother's Day and Valentine's Day", "Valentine's Day"),
        ("user interface is clunky and user accounts keep locking", "user accounts"),
        ("Please cancel from the next month. May", "May"),
        # a school named after a person; a short German sentence judged by the whole answer
        ("our son got into King Edward's Grammar, so no more tutoring", "King Edward's Grammar"),
        ("Langsamer Empfang in Bad Ems. Bitte den Vertrag zum Monatsende kündigen.", "Langsamer Empfang"),
        # people by their job at a counter, roads in a count of things
        ("Queues at the counter were long and Tourists at the bar were loud.", "Tourists"),
        ("took 3 back roads and 2 main road closures to get there", "2 main road"),
        # a function word of another language, a numbered thing after a cue
        ("Meine Nummer 0151 9876543 bitte freigeben.", "Meine"),
        ("end the contract for Locker 14 please", "Locker 14"),
        # a date that is no birth date
        ("renewal on 1990-02-11, not 1990-11-02", "1990-11-02"),
        ("the reg fee went up, not down", "reg fee"),
    ],
)
def test_look_alikes_of_the_sixteenth_round_survive(spacy_nlp, text, kept):
    out = redact(text)
    assert kept in out, out


def test_english_words_come_from_the_model_package():
    """The WordNet index is read from the installed spaCy model: adjectives, verbs and nouns."""
    assert english_word("Tiresome") and english_word("avoid")
    assert english_word("saga", nouns=True) and not english_word("saga")
    assert not english_word("Shazza", nouns=True)
