"""The shortcuts taken for speed (issue 17) answer what the long way would."""

from __future__ import annotations

import itertools
import random

import pytest

from nlp.non_answers import is_non_answer, kinds
from nlp.non_answers import patterns as p
from nlp.non_answers.remarks import REFUSAL, _may_refuse
from nlp.pii import contact_spans, identity_spans, name_spans, person_spans
from nlp.preprocess import doc_text


def test_the_kept_text_is_the_docs_own_text(spacy_nlp):
    texts = [
        "<p>Too <b>dear</b></p>\n\n  bye",
        "Hi Sarah,\nthanks — Łukasz  Nowak",
        "",
        "  \t ",
        "a\u200bb  c",
    ]
    for doc in spacy_nlp.pipe(texts):
        assert doc._.normalized == doc.text == doc_text(doc)
        assert person_spans(doc) == person_spans(doc, (), doc.text)


_REFUSALS = [
    "I'd rather not say",
    "we prefer to keep it private",
    "i don't want to explain",
    "I WILL NOT ANSWER",
    "keep it to myself",
    "my reasons are mine",
    "that's very personal",
    "none of your business",
    "declined to answer",
    "i do not owe you an explanation",
    "prefiero no decirlo",
    "no quiero contestar",
    "Eso es privado",
    "no es asunto suyo",
    "Das möchte ich nicht sagen",
    "geht sie nichts an",
    "ist privat",
    "je préfère ne pas répondre",
    "je garde mes raisons pour moi",
    "c'est personnel",
    "ça ne vous regarde pas",
    "prefiro não responder",
    "não quero dizer",
    "é pessoal",
]


@pytest.mark.parametrize("text", _REFUSALS)
def test_the_refusal_words_are_in_every_refusal(text):
    # the letters IGNORECASE also takes for ASCII ones ("İ", "ı", "ſ", "K") must not hide one
    variants = [
        text,
        text.upper(),
        text.replace("i", "ı"),
        text.replace("s", "ſ"),
        text.upper().replace("I", "İ"),
    ]
    for variant in variants:
        assert REFUSAL.search(variant) is None or _may_refuse(variant), variant


def _old_is_key_run(token: str) -> bool:
    return (
        len(token) >= 3 and token.isalpha() and any(token in row or token in row[::-1] for row in p.KEY_ROWS)
    )


def test_keyboard_runs_as_a_set_match_the_rows():
    rng = random.Random(5)
    letters = "qwertyuiopasdfghjklzxcvbnm"
    tokens = ["".join(rng.choice(letters) for _ in range(rng.randrange(1, 7))) for _ in range(3000)]
    rows = [row[i:j] for row in p.KEY_ROWS for i, j in itertools.combinations(range(len(row) + 1), 2)]
    for token in tokens + rows + [r[::-1] for r in rows]:
        assert kinds.is_key_run(token) == _old_is_key_run(token), token


def test_texts_without_digits_or_marks_skip_the_patterns_that_need_them():
    # what the prefilters skip must still be found when the text has it
    assert contact_spans("call me on 07700 900123 or anna [at] web.de")
    assert contact_spans("my handle is dana_w")
    assert identity_spans("DOB 03/11/1979 and fe80::1ff:fe23:4567:890a")
    assert name_spans("My name is Dana Whitfield") and name_spans("I spoke to (Sarah Jones) yesterday")
    assert name_spans("Hablé con Iñaki ayer")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will I still have access until the end of the month? Thanks.", True),
        ("Can you confirm the direct debit is stopped? You charged me twice in May.", False),
        ("Thanks. This survey is way too long.", True),
        ("I'd rather keep my reasons to myself, if that's okay.", True),
        ("I'd rather not say, the price doubled.", False),
    ],
)
def test_each_clause_judged_once_gives_the_same_answer(text, expected):
    assert is_non_answer(text) is expected
