"""Is a label one a person would write: a cause ("Seats too expensive", "Rude support agent",
"Moved to Notion"), not a bare product noun ("Mobile app"), a time or filler noun ("Unhelpful
days", "Unresolved thing") or a word the template was never meant for ("Afford no longer needed",
"Moved to cancel"); no company or brand named."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from .labels import cause_vocabulary, stem
from .pii import is_brand
from .pii.lexicon import english_form, english_noun, english_verb, english_word
from .sentiment import word_valence

# Words that say what went wrong, whatever the cause: a label needs one (or a cue of its cause).
PROBLEM_WORDS = {
    "slow",
    "slower",
    "broken",
    "broke",
    "missing",
    "confusing",
    "rude",
    "late",
    "lost",
    "wrong",
    "hidden",
    "unresolved",
    "no",
    "never",
    "too",
    "poor",
    "bad",
    "hard",
    "unhelpful",
    "expensive",
    "failed",
    "failing",
    "fails",
    "crashed",
    "crashing",
    "crashes",
    "buggy",
    "unreliable",
    "useless",
    "clunky",
    "difficult",
    "awkward",
    "lacking",
    "lack",
    "limited",
    "worse",
    "worst",
    "higher",
    "extra",
    "double",
    "unexpected",
    "surprise",
    "unclear",
    "complicated",
    "cheaper",
    "better",
    "faster",
    "easier",
    "stopped",
    "ended",
    "closed",
    "finished",
    "dissolved",
    "cut",
    "cuts",
    "moved",
    "switched",
    "leaked",
    "shared",
    "sold",
    "hacked",
    "spam",
    "delayed",
    "damaged",
    "unusable",
    "outdated",
    "dropped",
    "rising",
    "increase",
    "hike",
    "rise",
    "outage",
    "outages",
    "errors",
    "bugs",
    "complaint",
    "ignored",
    "waiting",
    "needed",
    "overpriced",
    "pricey",
    "unaffordable",
    "charged",
    "overcharged",
    "refund",
    "delays",
    "lag",
    "laggy",
    "freezes",
    "down",
    "gone",
    "unfixed",
    "concerns",
    "worries",
    "risk",
    "breach",
    "unanswered",
    "unfriendly",
    "dismissive",
    "steep",
    "inflexible",
    "insecure",
    "unstable",
    "flaky",
    "incomplete",
    "unavailable",
    "removed",
    "problem",
    "problems",
    "issue",
    "issues",
}
#: Nouns that name no thing a customer could leave over: time spans, fillers, "issue" itself. A
#: label never ends on one ("Unhelpful days", "Double last year") unless a noun names what the
#: problem is with ("Sync problem"), and a template is never filled with one ("Unresolved thing").
GENERIC_NOUNS = frozenset(
    {
        "thing", "things", "stuff", "lot", "lots", "bit", "kind", "sort", "way", "ways", "part",
        "point", "use", "end", "one", "ones", "people", "person", "everything", "something",
        "anything", "nothing", "answer", "answers", "question", "questions", "reason", "reasons",
        "issue", "issues", "problem", "problems", "moment", "time", "times", "minute", "minutes",
        "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
        "today", "yesterday", "tomorrow", "date", "dates", "morning", "mornings", "afternoon",
        "afternoons", "evening", "evenings", "night", "nights", "weekend", "weekends", "spring",
        "summer", "autumn", "winter", "season", "seasons", "quarter", "quarters", "thanks", "work", "second",
        "seconds",
        "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday",
    }
)  # fmt: skip
#: People who use or leave a product: a template filled with them says nothing about what went
#: wrong ("Unhelpful customers", "Confusing colleagues", "Users no longer needed"); staff nouns
#: ("agent", "staff") are not here, "Unhelpful agent" says it.
PEOPLE_NOUNS = frozenset(
    {
        "customer", "customers", "user", "users", "client", "clients", "colleague", "colleagues",
        "member", "members", "student", "students", "kid", "kids", "child", "children", "parent",
        "parents", "family", "friend", "friends", "partner", "partners", "boss", "employee",
        "employees", "guest", "guests", "patient", "patients", "husband", "wife", "folks",
    }
)  # fmt: skip
_NOUNS = {"NOUN", "PROPN"}
#: the pipeline's label template where a cause has none (also the emerging cause's)
FALLBACK_TEMPLATE = "Problems with {}"
COMPETITOR = "competitor"  # the taxonomy key whose labels may name a brand (where customers went)


def names_a_company(label: str, names: Iterable[str]) -> bool:
    """Does ``label`` contain one of ``names`` (the company's own name, brands), as whole words?"""
    words = set(re.findall(r"[^\W\d_]+", label.lower()))
    return any(name and set(re.findall(r"[^\W\d_]+", name.lower())) <= words for name in names)


def label_check(
    label: str,
    category: str,
    taxonomy: Any,
    tagger: Any,
    keywords: list[str] | None = None,
    banned_names: Iterable[str] = (),
) -> bool:
    """Does ``label`` read as a cause a person would write? All of:

    - two words at least (never a lone noun), naming neither the company nor a brand in
      ``banned_names`` ("Used brightloop");
    - a word that says what went wrong *for this cause*: a cue of the cause that is not a bare
      topic noun ("Price increase", "Seats too expensive"; not "Old price", "GDPR request"), or
      a problem word that no other cause owns ("Rude support agent", "Slow performance"; not
      "Better mobile app" under price: "better" says competitor);
    - a readable shape: it does not end on a time or filler noun ("Unhelpful days"), a verb in
      the middle has a noun before it ("Phone broke"; not "Monthly removed") and is no past form
      with one bare noun after it ("PMO needed roll");
    - where it is the cause's ``label_template`` (or "Problems with {}"), the words put in name a
      thing: a noun (or a name no dictionary knows), no verb ("Afford no longer needed", "Moved
      to cancel"), no problem or sentiment word ("Buggy no longer needed", "Fair product no
      longer needed", "Unhelpful bugs"), no generic noun ("Unresolved thing"), no word the
      template has already ("Delivery problems with delivery").

    A cause's own name with a thing in brackets ("Support attitude (weekends)") is the last-resort
    form :func:`nlp.labels.label_for_cause` falls back to; it passes when the thing does (the bare
    name when it has two words or more: "Support attitude").
    ``tagger`` is a spaCy pipeline with a tagger (None: part-of-speech rules are skipped);
    ``keywords`` is accepted for callers that pass it and not used."""
    words = re.findall(r"[a-z]+", label.lower())
    if len(words) < 2 or names_a_company(label, banned_names):
        return False
    lower = label.lower()
    tokens = _tags(tagger, lower)
    last_resort = _last_resort_thing(label, category, taxonomy)
    if last_resort is not None:
        return not last_resort or names_a_thing(_tags(tagger, last_resort.lower()), taxonomy)
    if not says_what_went_wrong(lower, tokens, category, taxonomy) or not readable_shape(tokens):
        return False
    span = template_filler(lower, category, taxonomy)
    if span is None:
        return True
    inside = [(label[i : i + len(t)], p, i, g) for t, p, i, g in tokens if span[0] <= i < span[1]]
    around = {t for t, _, i, _ in tokens if not span[0] <= i < span[1]}
    if any(t.lower() in around for t, _, _, _ in inside):
        return False  # "Delivery problems with delivery"
    return names_a_thing(inside, taxonomy, competitor=category == COMPETITOR, cased=True)


Token = tuple[str, str, int, str]  # text, coarse part of speech, character offset, fine tag ("" untagged)


@functools.lru_cache(maxsize=8192)
def _tags(tagger: Any, text: str) -> tuple[Token, ...]:
    """The word tokens of ``text`` with their part of speech, tagged once per text."""
    if tagger is None:
        return tuple((m.group(), "", m.start(), "") for m in re.finditer(r"[\w'-]+", text))
    return tuple((t.text, t.pos_, t.idx, t.tag_) for t in tagger(text) if not t.is_punct and not t.is_space)


#: The last taxonomy's stem -> causes map: a run checks many labels against one taxonomy, and a
#: long-lived worker that loads a taxonomy per run keeps one map, not one per run.
_LAST_OWNERS: list[tuple[Any, dict[str, set[str]]]] = []


def _owners(taxonomy: Any) -> dict[str, set[str]]:
    """Root causes per vocabulary stem (see :func:`nlp.labels.cause_vocabulary`), once per taxonomy."""
    if _LAST_OWNERS and _LAST_OWNERS[0][0] is taxonomy:
        return _LAST_OWNERS[0][1]
    owners: dict[str, set[str]] = {}
    for cat in taxonomy.categories:
        for s in cause_vocabulary(taxonomy, cat.key):
            owners.setdefault(s, set()).add(cat.key)
    _LAST_OWNERS[:] = [(taxonomy, owners)]
    return owners


def word_causes(word: str, taxonomy: Any) -> set[str]:
    """The root causes a word belongs to: its stem is in their vocabulary, or it is one of their cues."""
    cues = getattr(taxonomy, "cue_patterns", {})
    found = set(_owners(taxonomy).get(stem(word), set()))
    return found | {key for key, pattern in cues.items() if pattern.fullmatch(word)}


def is_problem_word(word: str) -> bool:
    """One of :data:`PROBLEM_WORDS` or its singular ("error" as "errors", "crash" as "crashes")."""
    return any(form in PROBLEM_WORDS for form in (word, word + "s", word + "es"))


def says_what_went_wrong(lower: str, tokens: Iterable[Token], category: str, taxonomy: Any) -> bool:
    """A cue of ``category`` that is more than a topic noun (a problem word or a verb, adjective or
    adverb is in it, or the label is a noun + verb clause), or a problem word ``category`` owns or
    no cause does, or one that is the verb of a noun + verb clause (what happened to the thing)."""
    tokens = list(tokens)
    cues = getattr(taxonomy, "cue_patterns", {}).get(category)
    clause = any(pos == "VERB" and english_word(text) for text, pos, _, _ in tokens)  # "Kids grown up"
    if cues is not None:
        for m in cues.finditer(lower):
            inside = [t for t in tokens if m.start() <= t[2] < m.end()]
            if clause or any(
                is_problem_word(text) or pos not in _NOUNS and english_word(text)
                for text, pos, _, _ in inside
            ):
                return True
    known = {c.key for c in taxonomy.categories}
    for i, (text, pos, _, _) in enumerate(tokens):
        if is_problem_word(text):
            owners = word_causes(text, taxonomy)
            if category not in known or not owners or category in owners:
                return True
            if pos == "VERB" and any(p in _NOUNS for _, p, _, _ in tokens[:i]):
                return True  # what happened to a thing: "Meter stopped sending readings"
    return False


def readable_shape(tokens: Iterable[Token]) -> bool:
    """Not ending on a generic noun (unless a noun before it says what: "Sync problem"); every
    verb after the first word has a noun before it ("App kept crashing", "Price went up",
    "Visitors get error pages"; not "Monthly removed") and is no past form with one bare noun
    after it ("PMO needed roll"), save the verb-first shape ("Needed SSO", "Moved to Notion")."""
    tokens = list(tokens)
    if not tokens:
        return False
    last = tokens[-1][0]
    if last in GENERIC_NOUNS:
        before = tokens[-2] if len(tokens) > 1 else None
        if before is None or before[1] not in _NOUNS or before[0] in GENERIC_NOUNS:
            return False
    if tokens[0][1] in {"VERB", "AUX"} and tokens[0][3] != "VBG":
        return True
    for i, (_, pos, _, tag) in enumerate(tokens):
        if pos == "VERB" and i > 0:
            if not any(p in _NOUNS for _, p, _, _ in tokens[:i]):
                return False
            if tag in {"VBD", "VBN"} and i == len(tokens) - 2 and tokens[-1][3] == "NN":
                return False  # a past verb and one bare noun after it: "PMO needed roll"
    return True


def template_filler(lower: str, category: str, taxonomy: Any) -> tuple[int, int] | None:
    """Where ``lower`` is the cause's label template (or "Problems with {}"), the characters of the
    words put in; None when it is not."""
    cat = taxonomy.category(category)
    for template in dict.fromkeys(
        [(cat.label_template if cat else "") or FALLBACK_TEMPLATE, FALLBACK_TEMPLATE]
    ):
        before, _, after = template.lower().partition("{}")
        if lower.startswith(before) and lower.endswith(after) and len(lower) > len(before) + len(after):
            return len(before), len(lower) - len(after)
    return None


def names_a_thing(
    tokens: Iterable[Token], taxonomy: Any, competitor: bool = False, cased: bool = False
) -> bool:
    """Do the words put in a template name a thing? Their last word tagged a noun ("Moved to
    cancel", "Afford no longer needed" are verbs) and not a verb after a noun ("use rely"), none a
    generic noun, a problem word, a head that names people ("Unhelpful new users"), a word with sentiment or a cue of a cause ("buggy", "fair",
    "bugs"). Where customers went (``competitor``) a name no dictionary knows ("Asanda") is a
    thing whatever its tag, and so is a dictionary word the label capitalises (``cased``:
    "Notion"), never a common noun ("Moved to tool")."""
    tokens = list(tokens)
    if not tokens:
        return False
    cased_head = tokens[-1][0]
    tokens = [(t.lower(), p, i, g) for t, p, i, g in tokens]
    head, pos, _, _ = tokens[-1]
    is_noun = english_noun(head)
    name = is_noun is False and not english_form(head)  # no dictionary knows it: "Asanda", "SSO"
    if competitor:
        if any(p == "VERB" or p not in _NOUNS and word_valence(t) for t, p, _, _ in tokens[:-1]):
            return False  # "paying Notionary", "sorry parent"
        if name or cased and cased_head[:1].isupper() and not english_verb(head):
            return True  # a brand: "Asanda", and "Notion" as the answers write it (not "tool")
        return False
    if pos and pos not in _NOUNS:
        return False
    if len(tokens) > 1 and is_noun is False and english_word(head):
        return False  # no noun at the end: "use rely", "simple transparent"
    cues = getattr(taxonomy, "cue_patterns", {}).values()
    for text, p, _, tag in tokens:
        if text in GENERIC_NOUNS or is_problem_word(text) or p not in _NOUNS and word_valence(text):
            return False
        if text in PEOPLE_NOUNS and text == head:  # "Unhelpful new users"
            return False
        if tag in {"JJR", "JJS", "RBR", "RBS"}:  # "fewer features", "best plan"
            return False
        if any(pattern.fullmatch(text) for pattern in cues):
            return False
    return len({t for t, _, _, _ in tokens}) == len(tokens)  # not "support support"


def _last_resort_thing(label: str, category: str, taxonomy: Any) -> str | None:
    """The thing in "<cause name> (<thing>)", the last-resort label ("" for the bare name of a
    cause of two words or more); None for any other label."""
    cat = taxonomy.category(category)
    if cat is None:
        return None
    if label.strip().lower() == cat.name.lower():
        return ""
    m = re.fullmatch(r"(.+?) \((.+)\)", label.strip())
    if m is None or m.group(1).lower() != cat.name.lower():
        return None
    return m.group(2)


def label_banned_names(config: Any, cause: str, texts: list[str]) -> list[str]:
    """Names a theme label must not contain: the company's own (``company_names``) always, and,
    outside the competitor cause (where "Moved to Notion" says where customers went), the
    allow-listed and shipped brand names found in the theme's answers."""
    banned = list(config.company_names)
    if cause != COMPETITOR:
        keep = tuple(config.names_to_keep())
        banned += list(keep)
        words = {w for t in texts for w in re.findall(r"[^\W\d_][\w'+-]*", t) if w[:1].isupper()}
        banned += [w for w in words if is_brand(w, keep)]
    return banned
