"""False redactions that recurred in the thirteenth round's audit of blind-written answers with no
planted personal data (issue 17), each beside a name of the same shape that must still go: German
nouns the English NER model tags as people, a team or department signing off, the plural of a
greeting word and a firm named after a person. The sentences are new, not rows of the example
bank or the bench lists; each look-alike was redacted before this round."""

from __future__ import annotations

import pytest

from nlp import redact


@pytest.mark.parametrize(
    "text",
    [
        "ständig Abbrüche wegen Wartungsarbeiten",
        "Kartoffeln statt Nudeln geliefert",
        "Werbung statt Inhalte, nervt",
        "Thanks for everything. Regards, Facilities Management",
        "Please confirm by Friday. Kind regards, Accounts Receivable",
        "Dear Madams, the refund never arrived",
    ],
)
def test_audit_look_alikes_survive(spacy_nlp, text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, secret",
    [
        ("Fehler seit Wochen, Kasimir von der Hotline hat nicht geholfen", "Kasimir"),  # a known given name
        ("Thanks for everything. Regards, Owen Castle", "Owen Castle"),
        ("Kind regards, Zdenka Marsh", "Zdenka Marsh"),
        ("Dear Charles, the refund never arrived", "Charles"),
    ],
)
def test_same_shapes_with_a_name_are_redacted(spacy_nlp, text, secret):
    assert secret not in redact(text)


@pytest.mark.parametrize(
    "text, firm",
    [
        ("Please write to her directly: Ms T. Brathwaite, Brathwaite & Co.", "Brathwaite & Co."),
        ("Ask Mr Okonjo; Okonjo Ltd holds the lease.", "Okonjo Ltd"),
    ],
)
def test_a_firm_named_after_the_person_survives(spacy_nlp, text, firm):
    out = redact(text)
    assert firm in out and "T. Brathwaite" not in out and "Mr Okonjo" not in out, out
