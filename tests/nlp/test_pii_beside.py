"""Classes of personal data missed on blind-written answers (issue 17, h-pii41).

Names that are also words ("Summer", "Fern", "Bill") or that no list holds, told by who stands
beside them: joined to a name already found, with the writer ("X and I"), after "her name was",
after a role used as a title, before "the" and a role, opening a sentence before what only a
person does, between commas or in brackets after a role, signing after a finished sentence; a
known name in brackets before "i think"; a known given name opening the answer before a dash,
one from a team named after a town, an initial and surname in quotes; in pt/es/de a known given
name after its article and a name between commas after a role noun; a surname written first
before a found name where the holder is named, a couple joined by "&", "Yard" as a street word; codes redacted in part (a tail joined by a hyphen or
slash, the groups before, a phone's extension), numbers joined on to an account number, handles
after a gaming network or a seller, ticket words in Portuguese and "PNR".

The sentences are new, not rows of the bench lists, so these tests check the rules, not a list.
Most rows of the first test failed before these rules (spaCy's NER finds some of these short
sentences' names alone, not in a longer answer); the second guards what they must not take.
"""

from __future__ import annotations

import pytest

from nlp import redact


@pytest.mark.parametrize(
    "text, secret",
    [
        # joined to a name already found
        ("the walker, Summer, lost the lead", "Summer"),
        ("Dealt with Oksana, Summer and a guy called Reuben, all useless", "Summer"),
        ("The fee was the last straw. Talked to Brigid and Hunter, same answer.", "Hunter"),
        # with the writer
        ("Autumn and I have decided to share one plan from now on", "Autumn"),
        ("me and kemi both cancelled, me and Summer too", "Summer"),
        # the word for a name, in any case
        ("the tech was rude, his name was rocky i think", "rocky"),
        ("the courier (her name is marie-claude) left it in the rain", "marie-claude"),
        # a role as a title, a name before "the" and a role
        ("Stylist Ruby cut it far too short", "Ruby"),
        ("Our Coordinator HOLLY never replied.", "HOLLY"),
        ("the best part was Miles the driver, everything else was late", "Miles"),
        # opening a sentence before what only a person does
        ("Nothing worked. Rich promised a callback and nobody rang.", "Rich"),
        # between commas or in brackets after a role, a name that is also a word
        ("I complained to the manager, hope, and she shrugged", "hope"),
        ("the dog walker (ivy) was lovely but the prices doubled", "ivy"),
        ("ask faith she knows the whole story", "faith"),
        # signing after a finished sentence
        ("Too expensive for what it is. - Sterling", "Sterling"),
        # a known name in brackets before "i think"
        ("The lad on the phone (Tariq I think) hung up on me", "Tariq"),
        # a word-name before a found surname
        ("The order is booked under Harmony Achterberg.", "Harmony"),
        # a known given name opening the answer before a dash; a name from a team named after a town
        ("Oluwadamilare — three refunds promised, none paid", "Oluwadamilare"),
        ("Anneliese from the Rotterdam team stopped answering my emails", "Anneliese"),
        # an initial and a surname in quotes
        ("the badge on the jacket said 'T. Kowalczyk', not my name", "Kowalczyk"),
        # pt/es/de: a known given name after its article, a name between commas after a role
        ("A Mariana era a única que atendia bem.", "Mariana"),
        ("la fisioterapeuta, Itziar, cambió de centro y me fui", "Itziar"),
        # a surname written first where the holder is named; a couple joined by "&"
        ("Bill it for: HÄKKINEN-LAAKSO, Marja (member 88120)", "HÄKKINEN"),
        ("Balloons for the party (Ruth & Dominic, 3 May) never came", "Dominic"),
        # a street word of UK addresses
        ("the van went to 14 Tanner's Yard instead of my flat", "Tanner"),
        # codes redacted in part
        ("Claim CLM-448120-B is still open after a month", "-B"),
        ("Reference 7730-QX-12 was never honoured", "-12"),
        ("You can reach me on 555-0199 ext. 42 during the day", "42"),
        ("Tracking 3S 771 AB2 4410 9981 never updated", "AB2"),
        # numbers joined on to an account number
        ("Tickets 55120, 55187 and then 55203, all closed unread", "55203"),
        ("Policy no 881204 or 881299, I have two", "881299"),
        # handles after a gaming network or a seller, ticket words
        ("Banned for nothing. PSN: Night_Owl", "Night_Owl"),
        ("seller retro_finds_uk never shipped", "retro_finds_uk"),
        ("abri o chamado 55310 e ninguém respondeu", "55310"),
        ("PNR K4TZ9Q was rebooked without asking me", "K4TZ9Q"),
    ],
)
def test_personal_data_beside_its_cue_is_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("My wife and I are both leaving", "My wife and I"),
        ("Me and Netflix are done after the price rise", "Netflix"),
        ("Emailed Sarah and Support twice, nothing", "Support"),
        ("Will this ever work? May was the worst month.", "May"),
        ("Sky told me to wait another week", "Sky"),
        ("Her name was on the wrong invoice", "Her name was on the wrong invoice"),
        ("the engineer said the router was fine", "the engineer said"),
        ("Order 66120 and 2021 were both late", "2021"),
        ("I paid £40 twice in March", "£40"),
        ("the manager, sadly, did nothing", "sadly"),
        ("Hulu — too many adverts now", "Hulu"),
        ("A Grace period would have helped", "Grace"),
        ("A casa, Lisboa, foi vendida e mudámos", "Lisboa"),
        ("We only shop at Marks & Spencer now", "Marks & Spencer"),
        ("It's June and I'm still waiting for the refund", "June"),
        ("Will the tutor send the last invoice?", "Will"),
    ],
)
def test_words_beside_the_cues_stay(text: str, kept: str) -> None:
    assert kept in redact(text)
