"""Firms greeted or quoted in letters are kept, their people still go (issue 17, ``nlp.pii.orgs``).

The sentences are new, not rows of the bench lists: each rule is tested both ways, the firm that
must survive and the person beside or named like it who must still be redacted."""

from __future__ import annotations

import pytest

from nlp import redact
from nlp.pii.orgs import is_firm_name, run_is_firm


def _at(text: str, name: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return start, start + len(name)


@pytest.mark.parametrize(
    "text, name",
    [
        # a company suffix, "& Son", "& Co" in capitals
        ("Please cancel. To the accounts team at Pemberton Utilities Ltd", "Pemberton"),
        ("Thanks anyway, Okoye & Son Roofing", "Okoye"),
        ("Dear Lucia & Co,\nthe cleaners never came.", "Lucia"),
        # a trade after the name
        ("Hello Harrington Water,\nthe bill tripled.", "Harrington"),
        ("Dear Elliott Dental Care, the hygienist was rushed.", "Elliott"),
        ("I moved to Darcy Broadband after the outages.", "Darcy"),
        # one word before its staff, in any case
        ("Hi Lumaport Support,\nnobody answered.", "Lumaport"),
        ("Their emails were signed 'Cheers, The Tidewell Crew' and nothing else.", "Tidewell"),
        ("Thanks Team Imogen, but we're done.", "Imogen"),
        ("Hi Austin team,\nthe app kept crashing.", "Austin"),
        ("I only ever heard from Parcelo billing.", "Parcelo"),
        # a greeted pair that is no two given names
        ("Dear Whitcombe & Rees,\nyour fees are too high.", "Whitcombe"),
        ("We moved our payroll to a local firm, Ashworth & Pryce.", "Pryce"),
        # the firm a unit belongs to, on a signature line
        ("Regards, Customer Success, Brindle", "Brindle"),
    ],
)
def test_firm_runs(text, name):
    assert run_is_firm(text, *_at(text, name))


@pytest.mark.parametrize(
    "text, name",
    [
        # a person signing, greeted, titled, or two name words before a team
        ("Kind regards, Maria Support", "Maria"),
        ("Regards,\nKwame Mensah Finance", "Kwame"),
        ("Tsholofelo Molefe Support Desk signed every reply.", "Tsholofelo"),
        ("Dear Mr Harrington,\nplease close my account.", "Harrington"),
        ("Hi Austin,\nthe app kept crashing.", "Austin"),
        # two given names joined by "&", a person and her friends, a signed pair of surnames
        ("Dear Tom & Grace,\nthanks for the lessons.", "Tom"),
        ("Ask Sarah & co, they left too.", "Sarah"),
        ("Regards, Nwosu & Eze", "Nwosu"),
        ("The firm sent Tom & Grace to fix it.", "Tom"),
        # a sentence typed in title case is no firm's name
        ("Thanks Priya For Sorting My Broadband", "Priya"),
        # a given name after a unit is someone's, not the firm's
        ("Regards, Customer Success, Hannah", "Hannah"),
    ],
)
def test_person_runs(text, name):
    assert not run_is_firm(text, *_at(text, name))


def test_a_firm_found_once_is_a_firm_where_it_stands_again():
    text = "Hi Quorvia!\nThe export never worked.\nSent via Quorvia web"
    assert is_firm_name(text, *_at(text, "Quorvia"))
    # one given name is a firm only where its run says so: "Hi Jordan," stays a person
    text = "Hi Jordan,\nyou were the only one at Jordan Freight who called back."
    assert is_firm_name(text, *_at(text, "Jordan", 1))
    assert not is_firm_name(text, *_at(text, "Jordan"))


@pytest.mark.parametrize(
    "text, secrets, kept",
    [
        (
            "Hi Lumaport Support,\nI waited two weeks for a reply.\nThanks, Ingrid Solberg",
            ["Ingrid", "Solberg"],
            ["Lumaport Support"],
        ),
        (
            "Dear Whitcombe & Rees,\nmy account number is 88-3312-0457.\nZoë Ångström",
            ["Zoë", "Ångström", "88-3312-0457"],
            ["Whitcombe & Rees"],
        ),
        (
            'The reply was signed "Kind regards, Tomasz / Customer Success, Brindle" and fixed nothing.',
            ["Tomasz"],
            ["Brindle"],
        ),
        (
            "Hello Harrington Water billing,\nyou charged me twice. Acc HW 7731 0042\nNguyễn Văn An",
            ["Nguyễn", "Văn", "7731", "HW 7731"],
            ["Harrington Water"],
        ),
        (
            "Dear Elliott Dental Care, Dr. Okonjo was lovely but the prices went up.\nThank you!\nthe Adebayos",
            ["Okonjo", "Adebayos"],
            ["Elliott Dental Care"],
        ),
    ],
)
def test_letters_keep_the_firm_and_redact_the_people(spacy_nlp, text, secrets, kept):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out
    for name in kept:
        assert name in out, out


@pytest.mark.parametrize(
    "text, secrets, kept",
    [
        # the firm greeted alone is told by what the customer holds with it, or by its web address
        (
            "Dear Corvanta,\nI was a Corvanta customer for six years.\nRebecca Hollis",
            ["Rebecca", "Hollis"],
            ["Corvanta"],
        ),
        ("Hi Tessaline,\nI cancelled my Tessaline subscription.\nOwen", ["Owen"], ["Tessaline"]),
        (
            "Dear Brightline,\nwrite to help@brightline.com, they said. Nobody did.\nÅsa",
            ["Åsa"],
            ["Brightline"],
        ),
        # a given name greeted alone stays redacted, whatever the rest of the letter holds
        ("Dear Kagiso,\nI was a Kagiso customer. See kagiso.com\nBen", ["Kagiso", "Ben"], []),
        # with no sign of a firm in the letter, one unknown word greeted alone is taken for a person
        ("Dear Tshepiso,\nnobody replied to my emails.", ["Tshepiso"], []),
    ],
)
def test_a_firm_greeted_alone(spacy_nlp, text, secrets, kept):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out
    for name in kept:
        assert name in out, out
