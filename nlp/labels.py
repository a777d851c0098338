"""Readable theme labels: the best phrase of a theme's answers, put as a cause and cased as its
answers write it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .phrases import STOP_WORDS
from .pii.brands import is_brand
from .pii.lexicon import english_form, english_noun, english_verb, english_word
from .pii.words import brand_spellings
from .word_use import WordUse, singular, word_use

_LENGTH_WEIGHT = {1: 0.45, 2: 1.0, 3: 0.9, 4: 0.7}
MAX_LABEL_CHECKS = 40  # candidates tried against ``accept`` per theme
MAX_LABEL_OPTIONS = 16  # passing candidates per theme compared by meaning
RANK_WEIGHT = 0.02  # bonus of the best-ranked (most frequent) option, halved for the second ...
SUPPORT_WEIGHT = 0.15  # bonus of an option whose every word all the theme's answers use
LENGTH_PENALTY = 0.03  # cost of each content word of an option after the first
DISTINCT_WEIGHT = 1.0  # weight of the nearest other theme's centroid in an option's score
FILL_PENALTY = 0.05  # cost of a template fill against a phrase the answers wrote
# how a word modifies another noun ("Netflix" of "a Netflix-style competitor"): not what the clause is about
MODIFIER_DEPS = {"compound", "amod", "npadvmod", "nmod", "poss", "nummod", "quantmod"}


def stem(word: str) -> str:
    """A crude stem, enough to match "crashes"/"crashing" or "charged"/"charges"."""
    return word[:5] if len(word) > 5 else word


def word_base(word: str) -> str:
    """The stem of the singular, so "replies" and "reply" share one (a prefix of "reply" does
    not match "replies")."""
    return stem(singular(word))


def label_key(label: str) -> str:
    """A label as it compares with the run's other labels: lower case, each word singular, so
    "Projects no longer needed" and "Project no longer needed" are one label, not two themes."""
    return " ".join(singular(w) for w in label.lower().split())


def cause_vocabulary(taxonomy: Any, key: str) -> set[str]:
    """Stems of the content words in a root cause's name, description and example phrases."""
    cat = taxonomy.category(key)
    if cat is None:
        return set()
    words = re.findall(r"[a-z]+", " ".join([cat.name, cat.description, *cat.examples]).lower())
    return {stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS}


def rank_phrases(
    phrase_lists: list[list[str]], keywords: list[tuple[str, float]], vocabulary: set[str] | None = None
) -> list[str]:
    """A theme's candidate phrases, best first (see :func:`make_label`)."""
    weights: dict[str, float] = {}
    for rank, (term, _score) in enumerate(keywords):
        for w in term.split():
            weights[w] = max(weights.get(w, 0.0), 1.0 / (1 + rank))
    counts: Counter[str] = Counter()
    for phrases in phrase_lists:
        for phrase in set(phrases):
            counts[phrase] += 1
    scored: list[tuple[float, str]] = []
    for phrase, freq in counts.items():
        words = phrase.split()
        if len(set(words)) < len(words):  # "spam spam spam"
            continue
        says_why = bool(vocabulary and any(stem(w) in vocabulary for w in words if w not in STOP_WORDS))
        cover = sum(weights.get(w, 0.0) for w in words if w not in STOP_WORDS) if weights else 0.1
        if cover <= 0 and says_why:
            cover = 0.2  # names the cause, though not a top keyword
        if cover <= 0:
            continue
        # frequency on a log scale (a phrase in 12 of 30 answers is not 6x one in 2), and two- or
        # three-word phrases ("slow connection") over bare words ("seconds")
        score = cover * np.log1p(freq) * _LENGTH_WEIGHT.get(len(words), 0.5)
        scored.append((score * (2.0 if says_why else 1.0), phrase))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [phrase for _, phrase in scored]


def make_label(
    phrase_lists: list[list[str]],
    keywords: list[tuple[str, float]],
    vocabulary: set[str] | None = None,
    accept: Callable[[str], bool] | None = None,
    exclude: Iterable[str] = (),
) -> str:
    """Short label for a theme: the phrase from its answers that best covers its keywords,
    preferring phrases that say why (a word of the root cause's ``vocabulary`` stems, or a
    noun + verb clause) over bare product nouns.

    ``phrase_lists`` holds, per representative (redacted) answer, its candidate phrases (see
    :func:`nlp.phrases.answer_phrases`); ``accept`` (e.g. :func:`nlp.label_checks.label_check`)
    picks the best-scoring phrase it accepts, if any of the top few; falls back to the top
    c-TF-IDF terms when no phrase is found. Phrases in ``exclude`` (the labels other themes of the
    run already have, in any case or number: :func:`label_key`) are skipped.
    """
    taken = {label_key(e) for e in exclude}
    scored = rank_phrases(phrase_lists, keywords, vocabulary)
    best = scored[0] if scored else ""
    if accept is not None:
        best = next((p for p in scored[:MAX_LABEL_CHECKS] if label_key(p) not in taken and accept(p)), best)
    if not best:
        terms = [t for t, _ in keywords[:3]]
        bigrams = [t for t in terms if " " in t]
        best = bigrams[0] if bigrams else " / ".join(terms[:2]) or "miscellaneous"
    return best[:1].upper() + best[1:]


def cause_label(phrase: str, template: str | None, banned_names: Iterable[str] = ()) -> str:
    """Turn a bare noun phrase into a cause with its root cause's ``label_template``
    ("Missing {}" + "api" -> "Missing api"); words of ``banned_names`` are dropped first."""
    banned = {w for name in banned_names for w in re.findall(r"[^\W\d_]+", name.lower())}
    kept = [w for w in phrase.split() if w.lower() not in banned]
    core = " ".join(kept).strip().lower()
    if not template or "{}" not in template:
        text = core
    else:
        text = template.replace("{}", core).strip() if core else ""
    return text[:1].upper() + text[1:]


def restore_case(label: str, texts: list[str], names: Iterable[str] = ()) -> str:
    """Give each word of ``label`` the casing most answers use: an acronym ("missing api" ->
    "Missing API") and a name no dictionary knows ("moved to asanda" -> "Moved to Asanda"),
    capitalised mid-sentence or inside ("ClickStack"), or, for a word of ``names`` (where
    customers went), anywhere (a brand that only starts sentences)."""
    brands = {n.lower() for n in names}
    seen: dict[str, Counter[str]] = {}
    mid: Counter[str] = Counter()  # capitalised where no sentence starts: a name, not a first word
    for text in texts:
        for m in re.finditer(r"[^\W\d_][\w'-]*", text):
            word = re.sub(r"'s$", "", m.group())  # "Asanda's" is "Asanda"
            if not word.islower():
                seen.setdefault(word.lower(), Counter())[word] += 1
                if text[: m.start()].strip() and text[: m.start()].rstrip()[-1] not in ".!?:;\n\"'(-":
                    mid[word] += 1
    out = []
    for _i, word in enumerate(label.split()):
        forms = seen.get(word.lower())
        lower_count = (
            sum(len(re.findall(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", t)) for t in texts)
            if forms
            else 0
        )
        best = forms.most_common(1)[0] if forms else None
        if best and best[0].isupper() and len(best[0]) > 1 and best[1] > lower_count:
            out.append(best[0])  # an acronym: "API", "SSO"
        elif (
            best
            and best[1] > lower_count
            and (mid[best[0]] or not best[0][1:].islower() or word.lower() in brands)
            and not english_word(word, nouns=True)
        ):
            out.append(best[0])  # a name: "Asanda", "ClickStack"
        else:
            out.append(word)
    return " ".join(out)


def destinations(
    texts: list[str], keywords: Iterable[str] = (), parser: Any = None, cues: re.Pattern[str] | None = None
) -> list[str]:
    """Brands the answers name as where they went, most often first, each spelt as the brand list
    spells it ("Amazon"), else as most answers write it. Without ``parser``: a shipped or
    allow-listed brand written after "to", "for" or "with" ("moved to amazon", "went with Wise"),
    then one of ``keywords`` (a competitor theme's) that is a shipped brand. With ``parser`` (a
    spaCy pipeline with a dependency parser) a brand counts only where an answer makes it the
    place they went: the object of "to", "for" or "with", or a word of the same clause as one of
    the cause's ``cues`` ("switched to"), itself or as another name for it ("switched to a
    Netflix-style competitor, Asana": Asana, not Netflix, which only describes it), or the subject
    of a comparison ("Amazon is just easier"); a brand named for anything else ("I only watch Netflix now") does not, however often."""
    spellings = brand_spellings()
    counts: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    if parser is None:
        for text in texts:
            for m in re.finditer(r"\b(?:to|for|with)\s+([^\W\d_][\w'+-]*)", text, flags=re.IGNORECASE):
                word = re.sub(r"'s$", "", m.group(1))
                if len(word) > 2 and is_brand(word):
                    counts[word.lower()] += 1
                    written.setdefault(word.lower(), Counter())[word] += 1
        found = [spellings.get(w) or written[w].most_common(1)[0][0] for w, _ in counts.most_common()]
        found += [spellings[k] for k in keywords if " " not in k and k.lower() in spellings and is_brand(k)]
        return list(dict.fromkeys(found))
    for doc in parser.pipe(texts):
        cue_clauses = {clause_head(doc[i]).i for i in cue_token_ids(doc, cues)}
        for tok in doc:
            word = re.sub(r"'s$", "", tok.text)
            if len(word) <= 2 or not word[:1].isalpha() or not is_brand(word):
                continue
            if tok.dep_ in MODIFIER_DEPS:
                continue  # "a Netflix-style competitor": a description, not where they went
            head = tok.head if tok.dep_ in {"appos", "conj"} else tok  # "a competitor, Asana"
            if head.dep_ in {"appos", "conj"}:
                head = head.head
            went = head.dep_ == "pobj" and head.head.lower_ in {"to", "for", "with"}
            verb = clause_head(tok)  # "Amazon is just easier": compared, so where they went
            compared = tok.dep_ == "nsubj" and any(c.tag_ in {"JJR", "RBR"} for c in verb.children)
            if went or compared or verb.i in cue_clauses:
                counts[word.lower()] += 1
                written.setdefault(word.lower(), Counter())[word] += 1
    return [spellings.get(w) or written[w].most_common(1)[0][0] for w, _ in counts.most_common()]


def relational(template: str) -> bool:
    """Does ``template`` relate its thing to what went wrong ("Wrong charges on {}", "{} too
    expensive", "{} no longer needed"), rather than put one word before it ("Confusing {}")?"""
    return not re.fullmatch(r"[^\W\d_]+ \{\}", template.strip())


def clause_head(token: Any) -> Any:
    """The verb (or auxiliary) whose clause ``token`` belongs to, by the dependency parse: "seats"
    in "got charged for seats we'd removed" -> "charged"; the root where there is none."""
    while token.pos_ not in {"VERB", "AUX"} and token.head.i != token.i:
        token = token.head
    return token


def cue_token_ids(doc: Any, cues: re.Pattern[str] | None, words: Iterable[str] = ()) -> set[int]:
    """Indexes of the tokens of ``doc`` inside a match of ``cues`` (a cause's cue words, matched on
    the lower-cased text: "switched to", "charged") or whose stem is one of ``words``' stems."""
    found: set[int] = set()
    if cues is not None:
        low = doc.text.lower()
        for m in cues.finditer(low):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                found.update(t.i for t in span)
    stems = {stem(w.lower()) for w in words}
    found.update(t.i for t in doc if t.is_alpha and stem(t.lower_) in stems)
    return found


def object_of_cause(
    fill: str, docs: list[Any], cues: re.Pattern[str] | None, words: Iterable[str] = ()
) -> bool:
    """Does some answer (``docs``, parsed) write ``fill``'s last word in the same clause as a word
    that says what went wrong for the cause (``cues``, or a stem of ``words``: the template's and
    the cause name's), and not only as a modifier of another noun? "Wrong charges on seats" when
    they "got charged for seats we'd removed"; not "Wrong charges on app" from "I cancelled in the
    app and got charged again", nor "Team too expensive" from "Monthly was removed for Team"."""
    head = fill.lower().split()[-1] if fill.split() else ""
    if not head:
        return False
    base = word_base(head)
    word_list = list(words)
    own = {word_base(w) for w in fill.lower().split()}  # "Billing" of "Billing contact changed"
    for doc in docs:
        hits = [t for t in doc if t.is_alpha and (t.lower_ == head or word_base(t.lower_) == base)]
        if not hits:
            continue
        cue_ids = {i for i in cue_token_ids(doc, cues, word_list) if word_base(doc[i].lower_) not in own}
        clauses = {clause_head(doc[i]).i for i in cue_ids}
        if any(t.dep_ not in MODIFIER_DEPS and clause_head(t).i in clauses for t in hits):
            return True
    return False


def cause_candidates(
    label: str,
    keywords: list[tuple[str, float]],
    taxonomy: Any,
    cause: str,
    banned: list[str],
    tagger: Any,
    phrases: list[str] | None = None,
    texts: list[str] | None = None,
    use: WordUse | None = None,
    parser: Any = None,
) -> tuple[list[str], list[str]]:
    """Labels to try for a theme of ``cause``, unchecked, best first: the cause's
    ``label_template`` around things the theme's answers name (see :func:`label_for_cause`), and,
    apart, the last-resort forms (the cause's ``common_themes``, then its name with a thing in
    brackets, then the bare name). Where customers went, the brands ``texts`` name as where they
    went come first ("Moved to Amazon", cased as the brand list has it). A fill must be a noun
    phrase as ``texts`` write it (see :func:`written_as_noun_phrase`; ``use``: their word use,
    tagged here when not given) and, with ``parser`` (spaCy with a dependency parser), what some
    answer complains about: in a clause with a cue of the cause (see :func:`object_of_cause`;
    where customers went, see :func:`destinations`)."""
    if use is None and texts:
        use = word_use(texts, tagger)
    unlinked: list[str] = []  # fills no clause of the cause is about: only after its sub-reasons
    cat = taxonomy.category(cause)
    template = (cat.label_template if cat else "") or "Problems with {}"
    cues = getattr(taxonomy, "cue_patterns", {}).get(cause)
    nouns = []
    for word, _ in keywords[:5]:
        alone = [t for t in tagger(word)]
        in_context = [t.pos_ for t in tagger(f"Problems with {word}")][2:]
        inflected_verb = (
            alone[-1].pos_ == "VERB" and alone[-1].tag_ in {"VBZ", "VBD", "VBN"} if alone else True
        )
        if (
            in_context
            and in_context[-1] in {"NOUN", "PROPN"}
            and alone[-1].pos_ not in {"ADJ", "ADV", "INTJ", "ADP"}
            and not inflected_verb
            and not (cues is not None and cues.search(word))
        ):
            nouns.append(word)
    nouns = [w for w in nouns if " " in w or english_noun(w) is not False or not english_verb(w)]
    if phrases is not None:  # a two-word keyword the answers write as a phrase ("annual renewal"),
        nouns = [w for w in nouns if " " not in w or w in phrases]  # not two nouns apart
    nouns.sort(key=lambda w: " " not in w)  # stable: two-word noun phrases first
    vocabulary = cause_vocabulary(taxonomy, cause)
    top = [p for p in (phrases or [])[:MAX_LABEL_CHECKS] if len(p.split()) <= 3]
    # one word that is a verb and never a noun is no thing ("understand"), whatever the tagger says
    top = [p for p in top if " " in p or english_noun(p) is not False or not english_verb(p)]
    brands: list[str] = []
    if cat is not None and cat.key == "competitor":
        fillers = [w for w, _ in keywords[:5] if " " not in w and not english_form(w)]
        named = destinations(texts or [], [w for w, _ in keywords[:5]], parser, cues)
        brands = [template.replace("{}", b) for b in named if "{}" in template]
    else:
        fillers = nouns + [p for p in top if any(stem(w) in vocabulary for w in p.split())]
        fillers += [p for p in top if p not in fillers]
    own = [label] if len(label.split()) <= 2 else []  # the label's own words: "Api" -> "Missing api"
    raw_nouns, raw_top = nouns, top  # in brackets of the last resort after the noun phrases: "(study)"
    nouns = [w for w in nouns if use is None or written_as_noun_phrase(w, use)]
    top = [p for p in top if use is None or written_as_noun_phrase(p, use)]
    fillers = [w for w in [*fillers, *own] if use is None or written_as_noun_phrase(w, use)]
    if (
        parser is not None
        and texts
        and relational(template)
        and brands == []
        and not (cat and cat.key == "competitor")
    ):
        # the thing the complaint is about, not a noun an answer names in passing ("Wrong charges
        # for app" from "I cancelled in the app and got charged again"); a template that is one
        # word before the thing ("Confusing {}") says nothing of it but that
        docs = list(parser.pipe(texts))
        said = content_words(f"{cat.name} {template}".replace("{}", " ")) if cat is not None else []
        # only where the answers say it in the cause's words: half of them, or the check cannot tell
        if 2 * sum(bool(cue_token_ids(d, cues, said)) for d in docs) >= len(docs):
            unlinked = [w for w in fillers if not object_of_cause(w, docs, cues, said)]
            fillers = [w for w in fillers if w not in unlinked]
    fills = brands + [cause_label(phrase, template, banned) for phrase in fillers]
    last: list[str] = []
    if cat is not None:
        # a sub-reason CX teams name for the cause says more than the cause's own name
        # ("Competitor offer" as a theme of the competitor cause)
        # ("Competitor offer" as a theme of the competitor cause), where the answers use the thing
        # it names, so it claims nothing nobody said ("Budget cuts" for "no time to study",
        # "Moved house" for "don't need it since I moved")
        fixed = f"{cat.name} {template}".replace("{}", " ").split()
        commons = [c for c in cat.common_themes if shares_a_noun(c, texts or [], tagger, fixed)]
        things = [cause_label(t, None, banned).lower() for t in [*nouns, *top, *raw_nouns, *raw_top]]
        later = [cause_label(phrase, template, banned) for phrase in unlinked]
        # after the bare name, the cause put plainly: where the name is one word ("Price") it
        # fails the check, and "Too expensive" does not
        bracketed = (f"{cat.name} ({thing})" for thing in things if thing)
        last = [*commons, *later, *bracketed, cat.name, *([cat.plain_label] if cat.plain_label else [])]
    return list(dict.fromkeys(c for c in fills if c)), list(dict.fromkeys(last))


def shares_a_noun(option: str, texts: list[str], tagger: Any, template_words: Iterable[str] = ()) -> bool:
    """Does some answer of ``texts`` use a noun of ``option`` (tagged by ``tagger``; not one of
    ``template_words``), by its stem: "Price rose after the promo" for "price after promo ended"?"""
    fixed = {w.lower() for w in template_words}
    nouns = [t.text for t in tagger(option.lower()) if t.pos_ in {"NOUN", "PROPN"}]
    return any(least_word_use(n, texts) for n in nouns if n not in fixed and n not in STOP_WORDS)


def written_as_noun_phrase(fill: str, use: WordUse) -> bool:
    """Do the theme's answers (``use``) write ``fill`` as a noun phrase, by spaCy's tags: its last
    word a noun in one of them, or never a verb, or a noun in WordNet ("costs" of "shipping costs
    more"), and its first (of two or more) no more
    often a verb (other than a gerund: "booking system") than a noun? A template filled with a
    verb reads badly: "Moved to forgot" (they "forgot to cancel"), "Unhelpful paste help
    articles" (they "paste help articles"). A word they never write is not judged."""
    words = fill.lower().split()
    if not words:
        return False
    head = singular(words[-1])
    if use.anywhere[head] and not use.as_noun[head] and use.as_clause_verb[head] and not english_noun(head):
        return False
    first = singular(words[0])
    return len(words) == 1 or use.as_clause_verb[first] <= use.as_noun[first]


def label_for_cause(
    label: str,
    keywords: list[tuple[str, float]],
    taxonomy: Any,
    cause: str,
    accept: Callable[[str], bool],
    banned: list[str],
    tagger: Any,
    exclude: Iterable[str] = (),
    phrases: list[str] | None = None,
    texts: list[str] | None = None,
    use: WordUse | None = None,
    parser: Any = None,
) -> str:
    """``label`` if it reads as a cause; else the cause's ``label_template`` around a thing the
    theme's answers name: a top keyword that is a noun and not already a cause word (a two-word
    one first: "annual renewal" says more than "bank"; where customers went, only a name no
    dictionary knows: "Moved to Asanda", or a brand ``texts`` name as where they went), a noun
    phrase of its ranked ``phrases`` with a word of the cause's vocabulary ("Unhelpful live
    chat"), another of the top phrases, the label's own words ("Api" -> "Missing api"), each a
    noun phrase as ``texts`` write it (``use``); as a last resort the cause's ``common_themes``,
    its name with such a thing in brackets ("Support attitude (new users)"), or the bare name: the
    first that passes ``accept`` and is not in ``exclude`` (labels other themes have)."""
    taken = {label_key(e) for e in exclude}
    if accept(label) and label_key(label) not in taken:
        return label
    fills, last = cause_candidates(
        label, keywords, taxonomy, cause, banned, tagger, phrases, texts, use, parser
    )
    tried: list[str] = []
    for candidate in [*fills, *last]:
        if candidate not in tried:
            if label_key(candidate) not in taken and accept(candidate):
                return candidate
            tried.append(candidate)
    return tried[0] if tried else label


def label_options(
    ranked: list[str],
    label: str,
    keywords: list[tuple[str, float]],
    taxonomy: Any,
    cause: str,
    accept: Callable[[str], bool],
    banned: list[str],
    tagger: Any,
    texts: list[str] | None = None,
    limit: int = MAX_LABEL_OPTIONS,
    use: WordUse | None = None,
    parser: Any = None,
) -> list[str]:
    """The labels a theme could have, best-ranked first, each passing ``accept``: its answers'
    ``ranked`` phrases (see :func:`rank_phrases`) and the cause's template around things they
    name (see :func:`cause_candidates`), up to ``limit``, then the cause's ``common_themes``
    whose words the answers use; only where none passes, the cause's ``common_themes`` that pass
    whatever the words, else the other last-resort forms that do. :func:`pick_by_meaning`
    chooses among them. ``use``: how ``texts`` use their words (tagged here when not given);
    ``parser``: see :func:`cause_candidates`."""
    fills, last = cause_candidates(
        label, keywords, taxonomy, cause, banned, tagger, ranked, texts, use, parser
    )
    # a long phrase that fails, by its first words that pass ("connection drops several times"
    # -> "connection drops")
    phrases = []
    for phrase in ranked[:MAX_LABEL_CHECKS]:
        words = phrase.split()
        heads = [" ".join(words[:n]) for n in range(2, len(words))]
        phrases.append(phrase)
        if len(words) > 2 and not accept(phrase[:1].upper() + phrase[1:]):
            phrases += [next((h for h in heads if accept(h[:1].upper() + h[1:])), phrase)]
    options: list[str] = []
    seen: set[str] = set()
    for candidate in [*phrases, *fills]:
        text = candidate[:1].upper() + candidate[1:]
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        if accept(text):
            options.append(text)
            if len(options) >= limit:
                break
    # the sub-reasons CX teams often name for the cause ("Charged twice"), beyond ``limit``, each
    # chosen only where it fits the theme's answers better by meaning than their own phrases
    cat = taxonomy.category(cause)
    for common in cat.common_themes if cat is not None else []:
        # only in the answers' own words, so a stock phrase never claims what nobody said
        # ("Moved house" for a theme about a thesis)
        if common.lower() not in seen and least_word_use(common, texts or []) and accept(common):
            seen.add(common.lower())
            options.append(common)
    if not options:  # the cause's sub-reasons before its own name ("Competitor offer")
        commons = set(cat.common_themes if cat is not None else [])
        options = [c for c in last if c in commons and accept(c)] or [c for c in last if accept(c)]
    return options


def written(option: str, ranked: list[str]) -> bool:
    """Is ``option`` a phrase the answers wrote (one of ``ranked``, or the first words of one),
    not a template filled in?"""
    lower = option.lower()
    return any(p == lower or p.startswith(lower + " ") for p in ranked[:MAX_LABEL_CHECKS])


def pick_by_meaning(
    options: list[str],
    vectors: np.ndarray,
    own: int,
    centroids: np.ndarray,
    exclude: Iterable[str] = (),
    rank_weight: float = RANK_WEIGHT,
    prior: list[float] | None = None,
) -> str | None:
    """The option (``vectors``: their unit embeddings, in order) closest to its theme's centroid
    (``centroids[own]``) and least close to any other theme's of the run: cosine to its own less
    the largest cosine to another, plus a small bonus for a better-ranked (more frequent) option.
    ``prior`` (one per option: see :func:`option_prior`) is added, so a word one answer uses in
    passing ("money tbh") does not win on meaning alone.
    Options in ``exclude`` (labels other themes have, any case or number: :func:`label_key`) are skipped; None when none is
    left."""
    taken = {label_key(e) for e in exclude}
    keep = [i for i, o in enumerate(options) if label_key(o) not in taken]
    if not keep:
        return None
    sims = vectors[keep] @ centroids.T
    others = np.delete(sims, own, axis=1)
    score = sims[:, own] - DISTINCT_WEIGHT * (others.max(axis=1) if others.shape[1] else 0.0)
    score = score + rank_weight / (1.0 + np.arange(len(keep)))
    if prior is not None:
        score = score + np.asarray(prior, dtype=float)[keep]
    return options[keep[int(np.argmax(score))]]


def contested(
    options: list[list[str]],
    vectors: list[np.ndarray],
    centroids: np.ndarray,
    priors: list[list[float]],
    exclude: Iterable[str] = (),
) -> set[str]:
    """The labels (as :func:`label_key` puts them) that two themes or more of a run would pick
    first (see :func:`pick_by_meaning`; ``options[j]``, ``vectors[j]`` and ``priors[j]`` are theme
    ``j``'s): "Project no longer needed" and "Projects no longer needed" tell neither theme apart,
    so each should pick among its other options where it has any, not the first one served."""
    firsts: Counter[str] = Counter()
    for j, opts in enumerate(options):
        first = pick_by_meaning(opts, vectors[j], j, centroids, exclude, prior=priors[j]) if opts else None
        if first is not None:
            firsts[label_key(first)] += 1
    return {key for key, n in firsts.items() if n > 1}


def option_prior(option: str, texts: list[str], template_words: Iterable[str] = ()) -> float:
    """What an option is worth before its meaning: up to ``SUPPORT_WEIGHT`` for words the theme's
    answers (``texts``) share, on a square-root scale of the share of answers with its least-used
    content word (not a stop word nor one of ``template_words``, the cause's template and name),
    less ``LENGTH_PENALTY`` for each content word after the first ("Money too expensive" over
    "Money tbh too expensive")."""
    words = content_words(option, template_words)
    if not words or not texts:
        return SUPPORT_WEIGHT
    least = least_word_use(option, texts, template_words)
    return SUPPORT_WEIGHT * float(np.sqrt(least / len(texts))) - LENGTH_PENALTY * (len(words) - 1)


def content_words(option: str, template_words: Iterable[str] = ()) -> list[str]:
    """The words of ``option`` that carry its meaning: no stop words, none of ``template_words``."""
    fixed = {w.lower() for w in template_words}
    return [w for w in re.findall(r"[^\W\d_]+", option.lower()) if w not in STOP_WORDS and w not in fixed]


def least_word_use(option: str, texts: list[str], template_words: Iterable[str] = ()) -> int:
    """How many of ``texts`` use the least-used content word of ``option`` (by its stem: "crashing"
    counts "crashes"); 0 when one is in none of them."""
    words = content_words(option, template_words)
    lowered = [t.lower() for t in texts]
    bases = [{word_base(token) for token in re.findall(r"[^\W\d_]+", t)} for t in lowered]

    def uses(text: str, text_bases: set[str], word: str) -> bool:
        return bool(re.search(rf"\b{re.escape(stem(word))}", text)) or word_base(word) in text_bases

    return min((sum(uses(t, b, w) for t, b in zip(lowered, bases, strict=True)) for w in words), default=0)
