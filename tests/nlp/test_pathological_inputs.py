"""One answer's odd text must not stall a customer's analysis: each per-answer step stays about
linear in the answer's length (found by feeding generated text through them, h-fuzz47).

The bounds are on this process's CPU seconds, not the wall clock: on a loaded machine the wall
clock runs many times the CPU time (10x on a shared two-core machine today), while a
step gone quadratic costs its CPU seconds wherever it runs."""

from __future__ import annotations

import time
from collections.abc import Callable

import nlp
from nlp.languages import detect_language
from nlp.non_answers.praise_shape import is_praise_clause
from nlp.pii.context import context_name_spans
from nlp.rules import normalize


def _seconds(call: Callable[[str], object], text: str) -> float:
    started = time.process_time()
    call(text)
    return time.process_time() - started


def test_a_long_word_without_an_at_sign_is_read_quickly():
    # the e-mail pattern was tried from each letter to the end: 50,000 letters took ~30 s
    assert _seconds(context_name_spans, "x" * 50_000) < 2.0


def test_names_spelt_by_an_email_address_are_still_found():
    assert context_name_spans("Write to Noor at noor.abd@example.com") == [(9, 13, "PERSON")]


def test_a_long_run_of_punctuation_is_redacted_quickly():
    # spaCy's tokenizer peels a suffix at a time off a run of marks, each time searching the whole
    # run: 12,000 marks took over 20 s, 5,000 "(" about 4 s
    nlp.redact("loads the model")
    for text in ("?!.,;:" * 2000, "(" * 5000 + "John" + ")" * 5000, "!" * 10_000):
        assert _seconds(nlp.redact, text) < 3.0


def test_emphasis_survives_capping_a_run_of_marks():
    assert nlp.redact("Way too expensive!!!!!!!!!!!!!!!!!!!!!!!!!") == "Way too expensive!!!!!!!!!!"


def test_short_answers_whose_words_tie_between_languages_are_detected_quickly():
    # each tie ("nada": Spanish and Portuguese) loaded a detector for its own set of languages,
    # four kept at a time: answers cycling through eight sets took ~0.8 s each
    answers = [
        "trop nada",
        "zu nada",
        "trop zu",
        "trop zu nada",
        "trop muy",
        "zu muy",
        "trop muito",
        "zu muito",
    ]
    detect_language("loads the detector once")
    started = time.process_time()
    found = [detect_language(a) for a in answers * 3]
    assert time.process_time() - started < 3.0
    assert found[:8] == ["pt", "pt", "de", "de", "es", "de", "pt", "pt"]
    assert detect_language("nada") == "es" and detect_language("nunca lento") == "es"


def test_a_long_run_of_open_brackets_is_read_quickly():
    # the markdown-link pattern read from each "[" to the end of the text: 50,000 took ~30 s
    started = time.process_time()
    assert normalize("[" * 50_000 + " ok") == "[" * 10 + " ok"
    normalize("[a](" * 20_000)
    assert time.process_time() - started < 2.0
    assert normalize("see [the FAQ](https://example.com/faq) first") == "see the FAQ first"


def test_a_clause_too_long_to_be_one_is_not_parsed_as_praise():
    # a clause of marks and one word of praise went to the parser whole: 8,000 marks took ~17 s
    assert is_praise_clause("The coaches were brilliant")
    started = time.process_time()
    assert not is_praise_clause("!" * 8000 + " brilliant")
    assert time.process_time() - started < 2.0


def test_each_name_of_a_long_run_of_names_reads_only_its_neighbours():
    # "is it listed among shops?" walked the whole capitalised run for each name in it: an answer
    # of 1,000 names took about a minute to redact
    from nlp.pii.brands import _between_brands

    text = "John " * 2000
    started = time.process_time()
    assert not any(_between_brands(text, k, k + 4) for k in range(0, len(text), 5))
    assert time.process_time() - started < 2.0
    assert _between_brands("Victoria's Secret, Dorothy Perkins and Next", 19, 26)


def test_a_ticket_dense_with_names_is_redacted_quickly():
    # each name of a capitalised run was checked by reading every word around it, again for each
    # finder that had found it, and the answer's language was guessed anew for each name: 5,000
    # characters of "Anna " took about 100 s, 20,000 about 4 minutes (gunicorn stops a request at
    # 60 s); names separated by commas took about 4 minutes for 20,000 (quadratic: some 15 s for 5,000).
    # Now 5,000 characters take 0.4-1 s of CPU (20,000 1.5-2.5 s): 5,000 show either regression.
    nlp.redact("loads the model")
    for word in ("Anna ", "Mr ", "Aa-Bb ", "Dr. Anna ", "Anna Smith, Mr Jones and Dr. Lee "):
        text = (word * (5_000 // len(word) + 1))[:5_000]
        assert _seconds(nlp.redact, text) < 5.0, word


def test_names_deep_in_a_long_run_are_redacted_and_its_edges_still_read():
    # a name with more than ten capitalised words on each side is a name, not part of one thing's name
    assert set(nlp.redact("Anna " * 60).split()) == {"[PERSON]"}
    # the checks still read the run's first words: a show watched, a famous name
    assert "Ted Lasso" in nlp.redact("We finished Ted Lasso last night, my partner Anna loved it")
    assert "Taylor Swift" in nlp.redact("Sold out Taylor Swift tickets again")


def test_the_language_of_an_answer_is_guessed_once():
    from nlp.languages import guess_language
    from nlp.pii.words import foreign_words

    text = "Anna " * 4000
    started = time.process_time()
    for _ in range(2000):
        guess_language(text), foreign_words(text)
    assert time.process_time() - started < 2.0
