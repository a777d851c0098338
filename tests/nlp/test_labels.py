"""Labels put as a cause: a theme's top keyword that is a noun fills the cause's template."""

from __future__ import annotations

from typing import Any

from nlp import PipelineConfig
from nlp.heads import current_taxonomy
from nlp.labels import label_for_cause
from nlp.models import load_tagger


class CountingTagger:
    """The real tagger, counting the texts it is asked to tag."""

    def __init__(self) -> None:
        self.tagger = load_tagger("en_core_web_sm")
        self.texts: list[str] = []

    def __call__(self, text: str) -> Any:
        self.texts.append(text)
        return self.tagger(text)


def test_a_noun_keyword_fills_the_template_and_each_keyword_is_tagged_once():
    taxonomy = current_taxonomy(PipelineConfig())
    tagger = CountingTagger()
    keywords = [("calendar", 1.0), ("exported", 0.5)]

    def never(_label: str) -> bool:
        return False

    first = label_for_cause("Zzz", keywords, taxonomy, "missing_features", never, [], tagger)
    tagged = len(tagger.texts)
    second = label_for_cause("Zzz", keywords, taxonomy, "missing_features", never, [], tagger)

    assert first == "Missing calendar"  # the noun, not the verb form "exported"
    assert second == first
    assert tagged == 4  # each keyword alone and after "Problems with"
    assert len(tagger.texts) == tagged  # themes of one cause share keywords: tagged once
