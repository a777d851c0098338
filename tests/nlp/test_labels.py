"""Labels put as a cause: a theme's top keyword that is a noun fills the cause's template; the
check that a label reads as a cause a person would write (issue 17)."""

from __future__ import annotations

import numpy as np

from nlp import PipelineConfig
from nlp.describe import distinct_label
from nlp.heads import current_taxonomy
from nlp.labels import label_for_cause, restore_case
from nlp.models import load_tagger


def test_a_noun_keyword_fills_the_template_not_a_verb_form():
    taxonomy = current_taxonomy(PipelineConfig())
    tagger = load_tagger("en_core_web_sm")
    keywords = [("calendar", 1.0), ("exported", 0.5)]

    def never(_label: str) -> bool:
        return False

    label = label_for_cause("Zzz", keywords, taxonomy, "missing_features", never, [], tagger)

    assert label == "Missing calendar"  # the noun, not the verb form "exported"


# --- issue 17: labels that read as a cause a person would write --------------------------------

TAXONOMY = current_taxonomy(PipelineConfig())
#: five answers that all say the app crashes: a theme whose label the tests expect to keep
CRASHES = [
    "The app crashes every time I open it",
    "app keeps crashing on my phone",
    "crashes constantly since the update",
    "it crashed and I lost my list",
    "the app kept crashing during checkout",
]

BAD = [  # seen on the demo company's themes, with the cause they were shown under
    ("Afford no longer needed", "no_longer_needed"),  # a verb put in the template
    ("Buggy no longer needed", "no_longer_needed"),  # a problem word, not a thing
    ("Fair product no longer needed", "no_longer_needed"),  # a word with sentiment
    ("PMO needed roll", "no_longer_needed"),  # a noun after a verb in the middle
    ("Unhelpful days", "support"),  # a time noun
    ("Unhelpful week", "support"),
    ("Unhelpful bugs", "support"),  # another cause's problem word
    ("Unresolved thing", "unresolved_complaint"),  # a filler noun
    ("Underlying issues", "unresolved_complaint"),
    ("Unresolved closed answer", "unresolved_complaint"),
    ("Better mobile app", "price"),  # "better" says competitor, not price
    ("Shared tool", "price"),
    ("Old price", "price"),  # the cause's topic noun says nothing went wrong
    ("Double last year", "billing"),
    ("Use too expensive", "price"),
    ("Monthly removed", "price"),  # a verb with no noun before it
    ("GDPR data subject request", "privacy_trust"),  # a bare noun phrase
    ("Moved to cancel", "competitor"),
    ("Moved to tool", "competitor"),  # a common noun is no brand
    ("Problems with use rely", "emerging"),
    ("Missing fewer features", "missing_features"),  # a comparative
]
GOOD = [
    ("Seats too expensive", "price"),
    ("Price increase", "price"),
    ("Price went up", "price"),
    ("Rude support agent", "support"),
    ("Slow responses", "support"),
    ("Slow performance", "speed_performance"),
    ("Slow sync", "speed_performance"),
    ("Confusing onboarding", "ease_of_use"),
    ("Needed SSO", "missing_features"),
    ("Missing integration", "missing_features"),
    ("Missing API", "missing_features"),
    ("Wrong charges for seat", "billing"),
    ("App kept crashing", "bugs_reliability"),
    ("Sync problem", "unresolved_complaint"),
    ("Moved to Asanda", "competitor"),
    ("Moved to Notion", "competitor"),
    ("Project no longer needed", "no_longer_needed"),
    ("Support attitude (live chat)", "support"),  # the last-resort form
    ("Support attitude", "support"),
]


def _check(label: str, cause: str) -> bool:
    from nlp.label_checks import label_check

    return label_check(label, cause, TAXONOMY, load_tagger("en_core_web_sm"))


def test_label_check_rejects_shapes_no_person_would_write():
    assert [label for label, cause in BAD if _check(label, cause)] == []


def test_label_check_keeps_labels_that_read_as_a_cause():
    assert [label for label, cause in GOOD if not _check(label, cause)] == []


def test_the_last_resort_needs_a_thing_and_the_cause_of_the_label():
    assert not _check("Support attitude (days)", "support")
    assert not _check("Support attitude (live chat)", "price")


def _accept(cause: str):
    return lambda label: _check(label, cause)


def test_a_rejected_label_falls_back_to_a_thing_the_answers_name():
    tagger = load_tagger("en_core_web_sm")
    budget = label_for_cause(
        "Afford no longer needed", [("afford", 1.0), ("budget", 0.5)], TAXONOMY, "no_longer_needed",
        _accept("no_longer_needed"), [], tagger,
    )  # fmt: skip
    assert budget == "Budget no longer needed"
    chat = label_for_cause(
        "Unhelpful days", [("days", 1.0), ("bugs", 0.5)], TAXONOMY, "support", _accept("support"), [],
        tagger, phrases=["days", "live chat", "bugs"],
    )  # fmt: skip
    assert chat == "Unhelpful live chat"  # a phrase of the answers with a word of the cause
    last = label_for_cause(
        "Unhelpful days", [("days", 1.0), ("week", 0.5)], TAXONOMY, "support", _accept("support"), [],
        tagger,
    )  # fmt: skip
    assert last == "Support attitude"  # nothing the answers name passes: the cause's own name


def test_where_nothing_passes_a_cause_named_in_one_word_falls_back_to_its_plain_label():
    tagger = load_tagger("en_core_web_sm")
    label = label_for_cause(
        "Price too expensive", [("price", 1.0)], TAXONOMY, "price", _accept("price"), [],
        tagger,
    )  # fmt: skip
    assert label == "Too expensive"  # not the failing "Price too expensive", nor the bare "Price"
    assert _check(label, "price")


def test_where_customers_went_only_a_name_fills_the_template():
    tagger = load_tagger("en_core_web_sm")
    keywords = [("cancel", 1.0), ("asanda", 0.8), ("client", 0.5)]
    label = label_for_cause(
        "Moved to cancel", keywords, TAXONOMY, "competitor", _accept("competitor"), [], tagger
    )
    assert label == "Moved to asanda"
    assert restore_case(
        label, ["Asanda: cheaper.", "switched to asanda", "Asanda's free tier"], ["asanda"]
    ) == ("Moved to Asanda")


def test_a_label_taken_by_another_theme_is_not_chosen_again():
    tagger = load_tagger("en_core_web_sm")
    keywords = [("seats", 1.0), ("renewal", 0.5)]
    first = label_for_cause("Seats too expensive", keywords, TAXONOMY, "price", _accept("price"), [], tagger)
    again = label_for_cause(
        "Seats too expensive", keywords, TAXONOMY, "price", _accept("price"), [], tagger,
        exclude={"seats too expensive"},
    )  # fmt: skip
    assert first == "Seats too expensive" and again == "Renewal too expensive"
    assert distinct_label("Shared tool", [("shared", 1.0), ("boards", 0.5)], {"shared tool"}) == (
        "Shared tool (boards)"
    )
    assert distinct_label("Shared tool", [("shared", 1.0)], {"shared tool"}) == "Shared tool (2)"
    assert distinct_label("Price hike", [("price", 1.0)], {"shared tool"}) == "Price hike"


def test_names_keep_the_case_the_answers_use_and_first_words_do_not():
    assert restore_case(
        "Moved to clickstack", ["We trialled ClickStack", "ClickStack is cheaper", "clickstack. it works"]
    ) == ("Moved to ClickStack")
    assert restore_case("Moved to notionary", ["Moved over to Notionary last spring"]) == "Moved to Notionary"
    # a word that only starts sentences is no name
    assert restore_case("Confusing onboarding", ["Onboarding was long", "Onboarding took weeks"]) == (
        "Confusing onboarding"
    )


# --- issue 19: the label chosen by meaning among those that pass ------------------------------

DROPS = [
    "Fibre connection drops several times a day. Constant reconnecting.",
    "The internet drops out every evening, my connection just dies.",
    "Connection kept dropping during video calls, had to reconnect all the time.",
    "Wifi connection drops whenever I'm on a call. I got a new phone, no better.",
]
CHARGES = [
    "You charged my card twice for the same month.",
    "Was billed after I cancelled and never got a refund.",
    "An extra fee appeared on my invoice with no explanation.",
]


def _centroids(encoder, groups):
    from nlp.embeddings import embed_texts

    cents = []
    for texts in groups:
        vecs, _ = embed_texts(texts, encoder)
        c = vecs.mean(0)
        cents.append(c / np.linalg.norm(c))
    return np.stack(cents)


def test_the_option_nearest_the_theme_wins_over_a_better_ranked_unrelated_one(encoder):
    from nlp.embeddings import embed_texts
    from nlp.labels import pick_by_meaning

    centroids = _centroids(encoder, [DROPS, CHARGES])
    options = ["Broken new phone", "Broken service", "Connection drops"]  # ranked by frequency
    vecs, _ = embed_texts(options, encoder)
    assert pick_by_meaning(options, vecs, 0, centroids) == "Connection drops"
    # a label another theme has is never chosen again
    assert pick_by_meaning(options, vecs, 0, centroids, exclude={"connection drops"}) != "Connection drops"
    assert pick_by_meaning(options, vecs, 0, centroids, exclude={o.lower() for o in options}) is None
    charges = ["Wrong charges for phone", "Charged twice"]
    cvecs, _ = embed_texts(charges, encoder)
    assert pick_by_meaning(charges, cvecs, 1, centroids) == "Charged twice"


def test_the_frequency_tie_break_keeps_the_better_ranked_of_equals(encoder):
    from nlp.embeddings import embed_texts
    from nlp.labels import pick_by_meaning

    centroids = _centroids(encoder, [DROPS, CHARGES])
    vecs, _ = embed_texts(["Connection drops", "Connection drops"], encoder)
    # the same text twice: only the rank differs
    assert (
        pick_by_meaning(["Connection drops", "Connection drops!"], vecs, 0, centroids) == "Connection drops"
    )


def test_a_word_one_answer_uses_in_passing_costs_an_option():
    from nlp.labels import option_prior

    texts = ["Money is tight tbh", "Not worth the money", "Too much money for what it is"]
    fixed = ["too", "expensive", "price"]
    assert option_prior("Money too expensive", texts, fixed) > option_prior(
        "Money tbh too expensive", texts, fixed
    )
    assert option_prior("Price", texts, fixed) == option_prior(
        "Too expensive", texts, fixed
    )  # no content word


def test_a_brand_written_where_customers_went_fills_the_template_in_its_case():
    from nlp.labels import cause_candidates, destinations

    texts = ["moved to amazon, next day delivery", "went with amazon", "I talked to support twice"]
    assert destinations(texts) == ["Amazon"]  # "support" is no brand
    assert destinations(["Amazon is just easier"], ["amazon"]) == ["Amazon"]  # a brand keyword
    assert destinations(["I talked to support", "switched for cheaper"]) == []
    fills, _ = cause_candidates(
        "amazon", [("amazon", 1.0)], TAXONOMY, "competitor", [], load_tagger("en_core_web_sm"), texts=texts
    )
    assert fills[0] == "Moved to Amazon" and _check("Moved to Amazon", "competitor")
    assert not _check("Moved to amazon", "competitor")  # lower case alone is not taken for a brand
    plain, _ = cause_candidates(
        "tool", [("tool", 1.0)], TAXONOMY, "competitor", [], load_tagger("en_core_web_sm")
    )
    assert "Moved to Amazon" not in plain


def test_a_season_is_no_thing_a_template_is_filled_with():
    assert not _check("Spring no longer needed", "no_longer_needed")
    assert _check("Project no longer needed", "no_longer_needed")


def test_a_long_phrase_that_fails_offers_its_first_words_that_pass():
    from nlp.labels import label_options

    ranked = ["connection drops several times", "new phone", "new sim"]
    options = label_options(
        ranked, ranked[0], [("drops", 1.0), ("phone", 0.5)], TAXONOMY, "bugs_reliability",
        _accept("bugs_reliability"), [], load_tagger("en_core_web_sm"),
    )  # fmt: skip
    assert "Connection drops" in options
    assert "Connection drops several times" not in options and "Connection drops several" not in options
    assert all(_check(o, "bugs_reliability") for o in options)


def test_every_shipped_common_theme_reads_as_its_cause():
    for cat in TAXONOMY.categories:
        assert cat.common_themes, cat.key
        failing = [t for t in cat.common_themes if not _check(t, cat.key)]
        assert failing == [], cat.key


def test_a_common_theme_is_offered_only_in_words_the_answers_use():
    from nlp.labels import label_options

    tagger = load_tagger("en_core_web_sm")
    twice = ["I was charged twice for May", "they charged me twice and the refund took weeks"]
    ranked = ["may", "refund"]
    options = label_options(
        ranked, "May", [("may", 1.0)], TAXONOMY, "billing", _accept("billing"), [], tagger, twice
    )
    assert "Charged twice" in options
    # the same cause, answers that never say it: the stock phrase would claim what nobody said
    fees = ["the invoice had an admin fee nobody mentioned", "extra fee on every invoice"]
    options = label_options(
        ["admin fee", "invoice"], "Admin fee", [("fee", 1.0)], TAXONOMY, "billing", _accept("billing"), [],
        tagger, fees,
    )  # fmt: skip
    assert "Charged twice" not in options and "Refund never arrived" not in options


def test_a_common_theme_counts_a_plural_the_answers_write_in_the_singular():
    from nlp.labels import label_options

    tagger = load_tagger("en_core_web_sm")
    slow = ["took 9 days to get a reply from support", "support is slow, no reply for a week"]
    options = label_options(
        ["days", "week"], "Days", [("reply", 1.0)], TAXONOMY, "support", _accept("support"), [], tagger, slow
    )
    assert "Slow support replies" in options


def test_a_common_theme_wins_where_it_says_the_answers_best(encoder):
    from nlp import analyze

    answers = [
        "The parcel arrived four days late again",
        "deliveries always late, food spoiled by the time it came",
        "week after week the driver turned up late with our box",
        "my order came a week late, deliveries are a joke",
        "Courier was late three times in a row",
        *CRASHES,
    ]
    result = analyze(answers, config=PipelineConfig())
    labels = {t.category: t.label for t in result.themes}
    assert labels.get("delivery") == "Late deliveries"
    assert labels.get("bugs_reliability") not in {None, "Late deliveries"}


def test_a_template_filled_with_people_says_nothing_went_wrong():
    assert not _check("Unhelpful new users", "support")
    assert not _check("Confusing colleagues", "ease_of_use")
    assert _check("Unhelpful agent", "support")  # staff are what support is about
    assert _check("Missing user permissions", "missing_features")  # people as a modifier


# --- demo labels that read badly (acceptance test 22, defect 1) --------------------------------


def test_a_template_is_not_filled_with_a_verb_the_answers_write():
    from nlp.labels import cause_candidates

    tagger = load_tagger("en_core_web_sm")
    forgot = ["I forgot to cancel the trial", "Honestly I just forgot to cancel", "forgot to cancel it"]
    fills, _ = cause_candidates("Zzz", [("forgot", 1.0)], TAXONOMY, "competitor", [], tagger, [], forgot)
    assert "Moved to forgot" not in fills  # a verb, whatever the dictionary says of "forgot"
    pasted = [
        "they paste help articles at you",
        "Agents just paste help articles",
        "support paste help articles",
    ]
    fills, _ = cause_candidates(
        "Zzz", [("articles", 1.0)], TAXONOMY, "support", [], tagger, ["paste help articles"], pasted
    )
    assert "Unhelpful paste help articles" not in fills  # a chunk that starts on a verb
    moved = ["We moved to Trellix last month", "moved everything to Trellix", "Trellix was cheaper"]
    fills, _ = cause_candidates("Zzz", [("trellix", 1.0)], TAXONOMY, "competitor", [], tagger, [], moved)
    assert "Moved to Trellix" in fills or "Moved to trellix" in fills  # a name the answers write


def test_a_theme_never_takes_its_cause_name_where_a_sub_reason_passes():
    import functools

    from nlp.label_checks import label_check
    from nlp.labels import label_options

    tagger = load_tagger("en_core_web_sm")
    accept = functools.partial(label_check, category="competitor", taxonomy=TAXONOMY, tagger=tagger)
    texts = ["wanted to try something new", "the other tool had better features", "tried another tool"]
    options = label_options([], "Tool", [("tool", 1.0)], TAXONOMY, "competitor", accept, [], tagger, texts)
    assert options and not any(o.startswith("Competitor offer") for o in options)
    assert options and set(options) <= set(TAXONOMY.category("competitor").common_themes)
    assert "Switched to a cheaper provider" not in options  # no word of it is theirs


def test_a_sub_reason_as_last_resort_claims_nothing_nobody_said():
    from nlp.labels import cause_candidates

    tagger = load_tagger("en_core_web_sm")
    study = ["no time to study", "not studying anymore", "kids take all my time"]
    _, last = cause_candidates("Zzz", [("study", 1.0)], TAXONOMY, "no_longer_needed", [], tagger, [], study)
    assert "Budget cuts" not in last and "Project ended" not in last


def test_sibling_labels_that_differ_only_in_number_or_case_are_one_label():
    from nlp.labels import label_key, pick_by_meaning

    taken = {label_key("Project no longer needed")}
    options = ["Projects no longer needed", "Budget cuts"]
    vectors = np.array([[1.0, 0.0], [0.8, 0.6]])
    centroids = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert pick_by_meaning(options, vectors, 0, centroids, exclude=taken) == "Budget cuts"
    shown = distinct_label(
        "Teams too expensive", [("teams", 1.0), ("seats", 0.5)], {label_key("team too expensive")}
    )
    assert shown == "Teams too expensive (seats)"


def test_a_label_two_sibling_themes_both_want_goes_to_neither():
    from nlp.labels import contested, label_key, pick_by_meaning

    options = [["Projects no longer needed", "Event ended"], ["Project no longer needed", "Project ended"]]
    vectors = [np.array([[0.8, 0.6], [0.9, 0.1]]), np.array([[0.8, 0.6], [0.1, 0.9]])]
    centroids = np.array([[0.8, 0.6], [0.6, 0.8]])
    priors = [[0.5, 0.0], [0.5, 0.0]]  # both would take the project label first
    both = contested(options, vectors, centroids, priors)
    assert both == {label_key("Project no longer needed")}
    picks = [pick_by_meaning(options[j], vectors[j], j, centroids, both, prior=priors[j]) for j in range(2)]
    assert picks == ["Event ended", "Project ended"]


def test_a_keyword_never_ends_on_an_auxiliary_or_verb_fragment():
    from nlp.keywords import readable_keywords
    from nlp.word_use import word_use

    answers = [
        "the free trial does not cover reports",
        "trial does end too soon and support keeps asking why",
        "support keeps closing the ticket, the trial does nothing",
    ]
    use = word_use(answers, load_tagger("en_core_web_sm"))
    ranked = [("trial does", 1.0), ("does", 0.9), ("support keeps", 0.8), ("keeps", 0.7), ("trial", 0.6)]
    shown = [w for w, _ in readable_keywords(ranked, use, 5)]
    assert shown == ["trial"]


# --- issue 17, acceptance walk: a label the theme's answers support --------------------------


def test_where_customers_went_is_the_object_of_the_move_not_the_most_named_brand():
    from nlp.labels import destinations
    from nlp.models import load_parser

    cues = TAXONOMY.cue_patterns["competitor"]
    texts = [
        "We switched to a Netflix-style competitor, Asana, because it was cheaper.",
        "I only watch Netflix now, didn't use this enough",
        "Netflix is all I pay for these days",
    ]
    assert destinations(texts, ["netflix", "asana"], load_parser("en_core_web_sm"), cues) == ["Asana"]
    assert destinations(["Amazon is just easier"], ["amazon"], load_parser("en_core_web_sm"), cues) == [
        "Amazon"
    ]


def test_a_template_fill_is_what_a_clause_of_the_cause_is_about():
    from nlp.labels import object_of_cause
    from nlp.models import load_parser

    docs = list(
        load_parser("en_core_web_sm").pipe(
            [
                "I cancelled in the app and got charged again the next month.",
                "Got charged for seats we'd removed, and the new price on top.",
                "Billing contact changed and you kept sending invoices to someone who left.",
            ]
        )
    )
    cues, said = TAXONOMY.cue_patterns["billing"], ["wrong", "charges", "billing"]
    assert object_of_cause("seats", docs, cues, said)
    assert not object_of_cause("app", docs, cues, said)  # named in passing, not what was charged
    assert not object_of_cause("billing contact", docs, cues, said)  # its own word is no cue


# --- issue 17: a theme spread over several details is named by its cause, not one answer --------


def test_a_label_naming_what_one_answer_says_is_a_detail():
    from nlp.label_stock import names_a_detail

    spread = [
        "Highway robbery.",
        "pricey",
        "too $$$",
        "the flat fee was a lot for a team of two",
        "Cost vs how much we used it",
        "meh. price",
    ]
    assert names_a_detail("Flat fee too expensive", spread, TAXONOMY, "price")
    assert not names_a_detail("Too expensive", spread, TAXONOMY, "price")  # the cause's own words
    assert not names_a_detail("Price rise", spread, TAXONOMY, "price")  # a problem word is no thing
    renewal = [
        "the renewal quote doubled",
        "renewal was far higher than last year",
        "our renewal went up 40%",
        "renewal price jumped with no warning",
        "cost too much",
    ]
    assert not names_a_detail("Renewal too expensive", renewal, TAXONOMY, "price")  # most answers say it
    assert not names_a_detail("Flat fee too expensive", spread[:3], TAXONOMY, "price")  # too few to tell


def test_a_stock_label_for_a_spread_theme_claims_nothing_nobody_said():
    from nlp.label_stock import stock_options

    closed = [
        "we closed the charity last month",
        "the project ended, no need for it now",
        "stopped using it after the event",
        "our small business shut down",
        "thesis is done!",
    ]
    options = stock_options(TAXONOMY, "no_longer_needed", _accept("no_longer_needed"), closed)
    assert "Moved house" not in options  # nobody moved
    assert "Project ended" not in options  # one answer's project
    assert options == ["No longer needed"]  # the cause put plainly names no thing
    ended = [
        "project ended",
        "our project is over, it ended in May",
        "the project we used it for has ended",
        "contract ended",
        "used it for a class project, class ended",
    ]
    options = stock_options(TAXONOMY, "no_longer_needed", _accept("no_longer_needed"), ended)
    assert "Project ended" in options


def test_every_label_template_reads_as_a_cause_with_a_plain_noun():
    for cat in TAXONOMY.categories:
        if cat.key == "competitor":  # only a brand fills it ("Moved to Notion")
            continue
        for thing in ["dashboard", "renewal", "booking system"]:
            label = cat.label_template.replace("{}", thing)
            assert _check(label[:1].upper() + label[1:], cat.key), label


def test_a_theme_whose_answers_share_no_one_thing_is_named_by_its_cause(encoder):
    from nlp import analyze

    answers = [
        "Highway robbery.",
        "pricey",
        "too $$$ for what it is",
        "the flat fee was too expensive for a team of two",
        "Cost vs how much we used it, too expensive",
        "meh. price too high",
        "Sorry, just too expensive. Good luck!",
        "couldn't justify the cost any more, too expensive",
        *CRASHES,
    ]
    result = analyze(answers, config=PipelineConfig())
    labels = {t.category: t.label for t in result.themes}
    # not "Flat fee too expensive": one answer's flat fee
    assert labels.get("price") == "Too expensive"
    assert labels.get("bugs_reliability") == "App keeps crashing"  # most answers say it: kept


# --- issue 17: a label never says the opposite of the answers (from h-labels34) ---------------


def test_a_phrase_the_answers_negate_is_no_label():
    from nlp.describe import _accept

    texts = [
        "Support never gave us confidence the underlying issues were addressed.",
        "We had no confidence the underlying issues were addressed after three tickets.",
        "Escalated twice, the import still fails.",
    ]
    accept = _accept(PipelineConfig(), TAXONOMY, "unresolved_complaint", [], texts)
    # the answers say the opposite: the issues were not addressed
    assert not accept("Underlying issues addressed")
    assert accept("Complaints never resolved")  # a negation inside the label is what it says


def test_a_negation_in_another_clause_or_on_a_verb_does_not_cut_a_label():
    from nlp.label_negation import negation_check
    from nlp.models import load_parser

    negated = negation_check(
        [
            "I didn't cancel, but the price went up again",
            "Nobody fixed the import bug",
            "we left without a refund",
        ],
        load_parser("en_core_web_sm"),
    )
    assert not negated("price went up")  # "didn't" governs "cancel", another clause
    assert not negated("import bug")  # the bug exists; its fix did not happen
    assert negated("refund")  # "without a refund": there was none


def test_without_negates_its_object_not_the_verb_before_it():
    from nlp.label_negation import negation_check
    from nlp.models import load_parser

    negated = negation_check(
        ["tickets closed without a fix", "they closed tickets without a reply"], load_parser("en_core_web_sm")
    )
    assert not negated("tickets closed")
