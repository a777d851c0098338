"""Non-answers of the shapes added in issue 17's twenty-first round (branch h-na42): a closing
signed with name, title and contact lines and no "-- " line, a shrug with only vague words
around it, a placeholder, a plan downgrade or pause asked for with no reason, a wish to the team, the survey's field label copied back; and the answers of the same
shapes that give a reason and must stay answers."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "Warm regards,\nSofia Brandt\nHead of Operations | Eastgate Supplies Ltd\nT: [PHONE]",
        "Best,\nK. Adeyemi\nAdeyemi & Sons Bakery\nwww.adeyemisons.example",
        "Yours sincerely, [PERSON]",
        "Thanks for everything. Best wishes, Harriet Cole",
        "Cordialement,\nMme Girard",
        "All the best - Tomasz",
        "Regards, Facilities Team",
        "meh, things change",
        "stuff happens i guess",
        "hmm what happened",
        "bof",
        "TBC",
        "Please downgrade me to the basic plan and remove the extra users",
        "pause my membership please",
        "Wishing the whole team well going forward.",
        "Reason for cancelling:",
        "Motivo de la baja:",
    ],
)
def test_shapes_that_say_nothing_are_non_answers(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Warm regards,\nSofia\nthe prices went up again",
        "Regards and good luck fixing that painfully slow checkout, Sofia",
        "Thanks,\nTom\nTOO EXPENSIVE",
        "Best, the app kept crashing",
        "meh, too pricey i guess",
        "idk, the app i guess",
        "Please downgrade me to the basic plan, we can't afford the extra users",
        "downgrading because the free tier does everything we need",
        "pause my membership, I'm injured",
        "wishing the team well, but the price doubled",
        "Reason for cancelling: the price",
    ],
)
def test_same_shapes_with_a_reason_stay_answers(text: str) -> None:
    assert not is_non_answer(text)
