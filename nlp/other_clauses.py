"""Clauses of answers in other languages, so their second reasons are found clause by clause.

An English answer's clauses are classified on their own (``nlp.prepare.answer_segments``), so
"too pricey, plus the app kept crashing" counts toward price and bugs. An answer in another
language goes through the multilingual head (``nlp.multilingual``), which used to see it whole:
"Demasiado lento y encima la aplicación se cuelga" came out slow only. Its clauses are cut
here at the same kinds of markers as English ones (sentences, commas, brackets, dashes,
contrast and added points: "pero", "mais", "aber", "mas", "además", "en plus", "außerdem",
"além disso", "and" before a new subject or a negation), with each language's own words: the
English markers misread them ("plus" in "je n'ai plus le temps" is "no longer", German "also"
is "so"). The markers are closed-class words of each language's grammar, not a cause vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .prepare import glue_short

# per language: words that open a contrast or an added point (cut before them), and the words
# after "and" that open a new clause (a subject, an article, a negation)
_MARKERS: dict[str, tuple[str, str, str]] = {
    "es": (
        "pero|sino|aunque|además|encima|aparte|sin embargo|y luego|y después|porque",
        "y",
        "el|la|los|las|lo|no|nadie|nunca|ni|mi|mis|su|sus|tu|tus|ya|me|nos|se|le|les|encima|además",
    ),
    "pt": (
        "mas|porém|embora|além disso|fora que|e ainda|e depois|porque",
        "e",
        "o|a|os|as|não|ninguém|nunca|nem|meu|minha|seu|sua|eu|me|nos|se|ainda|já",
    ),
    "fr": (
        "mais|cependant|pourtant|en plus|de plus|sans compter|et puis|et ensuite|parce que",
        "et",
        "le|la|les|l'|je|j'|il|elle|on|ils|elles|personne|jamais|aucun|aucune|mon|ma|mes|"
        "votre|vos|leur|ça|c'est|en plus|pas|ne|n'|ce|cette",
    ),
    "de": (
        "aber|jedoch|sondern|obwohl|außerdem|zudem|dazu kommt|und dann|weil",
        "und",
        "der|die|das|den|dem|ich|es|man|wir|sie|er|niemand|nie|kein|keine|keinen|nicht|mein|"
        "meine|ihr|ihre|euer|eure|dann|ständig|immer|auch",
    ),
}
# praise in passing, as ``nlp.praise`` finds it in English ("pero el precio era justo", "der
# Preis war fair"): a form of "to be", then (after at most one word) a word of praise, and no
# negation or turn in the clause; such a clause is no reason for leaving and adds no cause
_PRAISE: dict[str, tuple[str, str, str]] = {
    "es": (
        "es|era|fue|está|estaba|estuvo|son|eran|fueron",
        "justo|justa|justos|bueno|buena|buenos|buenas|bien|rápido|rápida|rápidos|correcto|correcta|"
        "amable|amables|razonable|genial|excelente|perfecto|perfecta",
        "no|nunca|pero|aunque|hasta|excepto|ya no",
    ),
    "pt": (
        "é|era|foi|está|estava|são|eram|foram",
        "justo|justa|bom|boa|bons|boas|bem|rápido|rápida|rápidos|correto|correta|ótimo|ótima|"
        "simpático|simpática|razoável|excelente|perfeito|perfeita",
        "não|nunca|mas|embora|até|exceto|já não",
    ),
    "fr": (
        "est|était|a été|sont|étaient|ont été",
        "correct|correcte|bien|bon|bonne|bons|bonnes|rapide|rapides|juste|sympa|sympas|aimable|"
        "raisonnable|super|excellent|excellente|parfait|parfaite",
        "pas|jamais|plus|mais|jusqu|sauf|n'",
    ),
    "de": (
        "ist|war|sind|waren|wurde|wurden",
        "fair|gut|schnell|okay|ok|freundlich|nett|angemessen|günstig|super|toll|prima|perfekt|in ordnung",
        "nicht|nie|kein|keine|keinen|aber|bis|außer|nicht mehr",
    ),
}
_PRAISE_MAX_WORDS = 12  # a longer clause says more than the praise; it is kept
_SPLIT_ALWAYS = r"[,;:()\n•]|\s[-\u2013\u2014]\s|\s[+&]\s|(?<=[.!?])\s+"
_MIN_WORDS = 2
_STRIP = " ,.;:()!?"


def _pattern(language: str) -> re.Pattern[str] | None:
    markers = _MARKERS.get(language)
    if markers is None:
        return None
    cut, conj, after = markers
    return re.compile(rf"(?i)\s*(?:{_SPLIT_ALWAYS}|\s+(?:{cut})\b|\s+{conj}\s+(?=(?:{after})\b))\s*")


_PATTERNS = {lang: _pattern(lang) for lang in _MARKERS}
# "also" in each language: it opens an added point after a comma or a full stop ("Muy caro.
# También ..."), but inside a clause it sits after the verb ("El soporte también es malo"), so it
# is stripped where a piece opens with it and never cut at
_ALSO = {"es": "también", "pt": "também", "fr": "aussi", "de": "auch"}
# the marker a piece still opens with after a comma ("..., pero el precio era justo")
_LEADING = {
    lang: re.compile(rf"(?i)^(?:(?:{cut}|{conj}|{_ALSO[lang]})\b\s*)+")
    for lang, (cut, conj, _) in _MARKERS.items()
}
_PRAISES = {
    lang: (
        re.compile(rf"(?i)\b(?:{be})\s+(?:[^\W\d_]+\s+)?(?:{good})\b"),
        re.compile(rf"(?i)(?:^|\s)(?:{turn})\b"),
    )
    for lang, (be, good, turn) in _PRAISE.items()
}


def is_praise_in(clause: str, language: str) -> bool:
    """True for a short clause in ``language`` that only speaks well of something ("el precio
    era justo", "le service client était sympa"), with no negation or turn."""
    found = _PRAISES.get(language)
    if found is None or len(clause.split()) > _PRAISE_MAX_WORDS:
        return False
    praise, turn = found
    return bool(praise.search(clause)) and not turn.search(clause)


def other_language_clauses(text: str, language: str, max_clauses: int = 6) -> list[str]:
    """The clauses of an answer in ``language`` (es, pt, fr, de) that are classified on their
    own; none for an answer of one clause or another language. A piece under three words is
    glued to its neighbour ("Caro, y lento" stays whole)."""
    pattern = _PATTERNS.get(language)
    if pattern is None:
        return []
    leading = _LEADING[language]
    merged = glue_short(
        (leading.sub("", (piece or "").strip(_STRIP)).strip(_STRIP) for piece in pattern.split(text)),
        _MIN_WORDS,
    )
    if len(merged) < 2:
        return []
    merged = [m for m in merged if not is_praise_in(m, language)]
    if len(merged) > max_clauses:
        merged = merged[: max_clauses - 1] + [" ".join(merged[max_clauses - 1 :])]
    return merged if len(merged) > 1 else []


def clause_owners(texts: list[str], languages: list[str]) -> tuple[list[str], np.ndarray]:
    """Every clause of ``texts`` (:func:`other_language_clauses`, one language per text) and
    the position of the text each came from."""
    pieces: list[str] = []
    owner: list[int] = []
    for k, (text, language) in enumerate(zip(texts, languages, strict=True)):
        found = other_language_clauses(text, language)
        pieces.extend(found)
        owner.extend([k] * len(found))
    return pieces, np.asarray(owner, dtype=int)


def clause_probabilities(
    texts: list[str],
    languages: list[str],
    predict: Callable[[list[str]], np.ndarray],
    n_classes: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The head's probabilities for every clause of ``texts`` (``predict`` embeds and
    classifies a list of clauses) and each clause's owner, as :func:`nlp.causes.classify_answers`
    takes them."""
    pieces, owner = clause_owners(texts, languages)
    if not pieces:
        return np.zeros((0, n_classes), dtype=np.float32), owner
    return predict(pieces), owner
