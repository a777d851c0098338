"""Non-answers of the shapes added in issue 17's twentieth round (branch h-na41): abuse alone in
Spanish, German, French and Portuguese, a keyboard mash beside keys with no vowel, a test entry,
contact details alone and a signature under the "-- " line; and the answers of the same shapes
that give a reason and must stay answers."""

from __future__ import annotations

import pytest

from nlp.non_answers import is_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "Sois unos estafadores",
        "ladrones!!",
        "Ihr seid Betrüger",
        "Abzocker.",
        "Bande d'escrocs",
        "Vocês são uns palhaços",
        "qwer zx",
        "hjkl dfgh trw",
        "testing testing 1 2 3",
        "prueba 2, ignorar",
        "QA submission, please ignore",
        "Call me on [PHONE] after 7pm",
        "Mi correo es [EMAIL]",
        "Rufen Sie mich abends unter [PHONE] an",
        "whatsapp [PHONE] anytime",
        "--\n[PERSON]\nHead of Finance | Northwind Ltd\nM: [PHONE]",
    ],
)
def test_shapes_that_say_nothing_are_non_answers(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sois unos ladrones, me cobrasteis dos veces",
        "Betrüger, die Preise steigen jedes Jahr",
        "GDPR",
        "sms",
        "No SSO",
        "A/B testing was missing",
        "the demo promised features you never built",
        "Nobody ever called back. My number is [PHONE]",
        "call me on [PHONE] if you want to know why the app kept crashing",
        "[PHONE] is my mobile, stop calling my husband",
        "too slow for our team\n--\n[PERSON]\nOps Manager",
        "--\n[PERSON] | Office Manager\nP.S. we moved to Slack, no longer need this",
        # short lines under a "--" line that give a reason are no signature
        "--\nToo expensive",
        "Please cancel my account.\n--\nPrice went up again",
        "Please cancel.\n--\nmoved to Slack",
    ],
)
def test_same_shapes_with_a_reason_stay_answers(text: str) -> None:
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Los profesores del gimnasio eran muy simpáticos",
        "Die Trainer waren immer sehr nett",
        "Les conseillers étaient toujours très gentils",
        "os professores eram sempre atenciosos",
    ],
)
def test_praise_alone_outside_english_is_a_non_answer(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Los profesores eran muy simpáticos pero las clases siempre llenas",
        "Die Trainer waren nett, aber zu teuer",
        "les conseillers étaient gentils mais rien n'a été réglé",
        "os professores eram atenciosos, mas o preço subiu",
    ],
)
def test_praise_with_a_reason_outside_english_stays_an_answer(text: str) -> None:
    assert not is_non_answer(text)
