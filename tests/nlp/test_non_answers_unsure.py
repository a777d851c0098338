"""Non-answers the rules alone miss: the head is unsure and no word of the answer could name a
reason ("Is this mandatory?", "Hope you all have a lovely Christmas!"); terse reasons stay answers."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import PipelineConfig, analyze
from nlp.causes import classify_answers
from nlp.non_answers import is_non_answer, says_nothing
from nlp.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
CLASSES = sorted(TAXONOMY.keys + ["non_answer"])

SAY_NOTHING = [
    "Is this mandatory?",
    "Hope you all have a lovely Christmas!",
    "Check the recording of my call on the 4th",
    "Lorem ipsum dolor sit amet",
    "Sure, let me write you an essay",
    "because I want to",
    "Warum wollen Sie das wissen?",
    "Ver el correo que les mandé el lunes",
    "Je souhaite mettre fin à mon contrat",
]
TERSE_REASONS = [
    "kids",
    "meh app",
    "moved",
    "divorce",
    "too dear",
    "$$$",
    "no 5G",
    "personal reasons",
    "going with the other guys",
    "the manager",
    "ya no lo uso",
    "keine Zeit",
    "falta tempo",
    "slooow",
    "auto-renew",
]


@pytest.mark.parametrize("text", SAY_NOTHING)
def test_answers_without_a_word_of_a_reason_say_nothing(text):
    assert says_nothing(text)


@pytest.mark.parametrize("text", TERSE_REASONS)
def test_terse_reasons_hold_a_word_of_a_reason(text):
    assert not says_nothing(text)


def call_for(text: str, **given: float):
    p = np.full(len(CLASSES), 0.001, dtype=np.float32)
    for key, value in given.items():
        p[CLASSES.index(key)] = value
    empty = np.zeros((0, len(CLASSES)))
    return classify_answers(
        p[None, :], empty, np.zeros(0, dtype=int), CLASSES, PipelineConfig(), "emerging", [text], TAXONOMY
    )[0]


def test_an_unsure_head_and_no_word_of_a_reason_make_a_non_answer():
    assert call_for("Is this mandatory?", price=0.3, non_answer=0.4).non_answer
    # the same uncertainty over a terse reason keeps it, as emerging or its cause
    assert not call_for("kids", price=0.3, non_answer=0.4).non_answer
    # and a head sure of a cause is believed
    assert not call_for("Is this mandatory?", billing=0.7, non_answer=0.2).non_answer


@pytest.mark.parametrize(
    "text",
    [
        "Dear Customer Services,",
        "To whom it may concern:",
        "Sehr geehrte Damen und Herren,",
        "Out of office: I am away until Monday with no access to email.",
        "Von meinem iPhone gesendet",
        "Enviado desde mi Android",
        "Get BlueMail for Android",
        "Long story, not going into it here.",
        "Finish my contract at the end of the month",
    ],
)
def test_letter_openings_auto_replies_and_mail_furniture_are_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "too dear",
        "Dear god, the price",
        "dear sirs, your prices are too high",
        "Out of office hours support is useless",
        "Sent from my iPhone. Moving to Spain, no need for UK broadband",
    ],
)
def test_reasons_that_start_like_them_are_kept(text):
    assert not is_non_answer(text)


@pytest.mark.slow
def test_with_the_real_head_new_kinds_are_caught_and_terse_reasons_kept():
    non_answers = [
        "Hope you all have a lovely Christmas!",
        "Is this mandatory?",
        "Check the recording of my call on the 4th",
        "Dear Billing Department,",
        "I have my reasons and I don't want to discuss them with a survey",
        "Please just process the cancellation as requested on the phone yesterday, thank you",
        "¿Por qué lo quieren saber?",
    ]
    reasons = ["kids", "meh app", "skint", "found it cheaper", "closing the biz", "sooo slow", "divorce"]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)


def test_function_words_are_spacys_stop_words_read_without_the_language_packages():
    """The lists come from spaCy's own files; loading them must not build French tokenizer
    exceptions (about 4 s of CPU) in a process that never tokenises French."""
    import importlib
    import subprocess
    import sys

    from nlp.non_answers.content import _spacy_stop_words

    for code in ("en", "es", "de", "fr", "pt"):
        spacy_list = importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS
        assert _spacy_stop_words(code) == set(spacy_list)
    probe = (
        "import sys; from nlp.non_answers.content import says_nothing; "
        "assert says_nothing('merci, bonne journée'); print('spacy.lang.fr' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# h-na43: a leaving told as done, a decision left to someone else, a date: none of these is why
LEFT_OR_DECIDED = [
    "I left in January",
    "we left. done.",
    "left since friday",
    "procurement decided, not me",
    "that was my flatmate's account",
    "j'ai résilié en mars",
    "Cancelei a assinatura na segunda",
    "Ya me di de baja en mayo",
]
LEFT_WITH_A_REASON = [
    "left for Hulu",
    "left in March, the price went up again",
    "my partner found it cheaper",
    "finance decided it was too expensive",
    "gone downhill since the update",
    "it's gone up again",
    "left, too dear",
    "moved in June",
]


@pytest.mark.parametrize("text", LEFT_OR_DECIDED)
def test_a_leaving_told_as_done_or_left_to_someone_else_says_nothing(text):
    assert says_nothing(text)


@pytest.mark.parametrize("text", LEFT_WITH_A_REASON)
def test_a_reason_beside_the_leaving_or_the_decider_is_a_word_of_a_reason(text):
    assert not says_nothing(text)


@pytest.mark.slow
def test_with_the_real_head_a_leaving_told_as_done_is_a_non_answer_and_its_reasons_are_kept():
    non_answers = ["I left in January", "procurement decided, not me", "j'ai résilié en mars"]
    reasons = ["left for Hulu", "left in March, the price went up again", "my partner found it cheaper"]
    result = analyze(non_answers + reasons, config=PipelineConfig())
    flags = [a.is_non_answer for a in result.assignments]
    assert flags == [True] * len(non_answers) + [False] * len(reasons)
