"""Labels put as a cause: a theme's top keyword that is a noun fills the cause's template."""

from __future__ import annotations

from nlp import PipelineConfig
from nlp.heads import current_taxonomy
from nlp.labels import label_for_cause
from nlp.models import load_tagger


def test_a_noun_keyword_fills_the_template_not_a_verb_form():
    taxonomy = current_taxonomy(PipelineConfig())
    tagger = load_tagger("en_core_web_sm")
    keywords = [("calendar", 1.0), ("exported", 0.5)]

    def never(_label: str) -> bool:
        return False

    label = label_for_cause("Zzz", keywords, taxonomy, "missing_features", never, [], tagger)

    assert label == "Missing calendar"  # the noun, not the verb form "exported"
