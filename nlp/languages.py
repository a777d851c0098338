"""Which language an answer is in, and the per-language word lists and patterns.

Exit answers are short ("zu teuer", "merci"), where a character n-gram detector alone is
unsure, so the detector (py3langid, model shipped in its package) is restricted to the shipped
languages and helped by a list of common short words; when it is still unsure the answer is
called English (most answers are), and an answer with no letters is ``und`` (undetermined).

A cruder, model-free vote by function words (``guess_language``; lists in
``nlp/data/stop_words.json``) gates the small English NER model in preprocessing and redaction,
which takes many German nouns and Romance sentence openers for names.

The non-answer phrases here are per language (``nlp/data/non_answers_multilingual.csv``), kept
out of ``nlp/non_answers.py`` so it can call them with one line. Personal data needs nothing
per language: ``nlp/pii.py`` already finds the shipped languages' phone, identity-number and
address formats (``tests/nlp/test_languages.py`` keeps it so).
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

SHIPPED = ("en", "es", "de", "fr", "pt")
UNDETERMINED = "und"
DEFAULT = "en"
SHORT_MIN_PROBABILITY = 0.75  # one or two words ("GDPR") need a surer detector
NAMES = {
    "en": "English",
    "es": "Spanish",
    "de": "German",
    "fr": "French",
    "pt": "Portuguese",
    "und": "Unknown",
}

#: Common words that, in a short answer, say which language it is (one language each).
SHORT_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the too and not no was is it my we they price slow bugs moved thanks thank cancel "
        "expensive cheaper support service nothing none app crashes broken".split()
    ),
    "es": frozenset(
        "caro cara muy demasiado gracias nada precio lento lenta servicio atención también pero "
        "el los las del por porque ya cobro cobraron mudanza mudé cambié otra otro ninguno "
        "sin mala malo pésimo nunca".split()
    ),
    "de": frozenset(
        "zu teuer danke nichts preis langsam kein keine nicht und der die das ist war wir ich "
        "umzug gekündigt kündigung zufrieden schlecht leider auch aber mehr".split()
    ),
    "fr": frozenset(
        "trop cher chère merci rien prix lent lente pas le la les des est était nous je "
        "déménagement résilié résiliation nul mauvais aussi mais plus service client".split()
    ),
    "pt": frozenset(
        "muito caro obrigado obrigada nada preço lento lenta não atendimento também mas "
        "mudança mudei cancelei péssimo nunca sem outra outro você".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: A word that can only be German among the shipped languages: an umlaut or ß (French writes
#: ë, ï, ü only in a handful of rare words; Spanish and Portuguese ü only in "güe", "güi":
#: "vergüenza", "bilíngue"), or a German noun ending on a long word, as in the
#: compounds short German answers are made of ("Versandkosten", "Bedienbarkeit"). English
#: loanwords in such answers ("App stürzt ab") then no longer make them English.
_GERMAN_WORD = re.compile(
    r"[äöß]|(?<!g)ü|gü(?![ei])|^\w{4,}(?:keit|heit|schaft|ungen|kosten|gebühr|vertrag|frist)$"
)


@functools.lru_cache(maxsize=4)
def _identifier(candidates: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(candidates))
    return identifier


def detect_language(text: str, candidates: tuple[str, ...] = SHIPPED, min_probability: float = 0.5) -> str:
    """ISO 639-1 code of ``text`` among ``candidates``; ``en`` when unsure, ``und`` without letters.

    Up to four words, the short-word lists decide when they point at one language (the
    detector breaks a tie between other languages; a word spelt as only German is, with an
    umlaut, ß or a German noun ending, votes German); otherwise
    the detector must give its best language at least ``min_probability`` (normalised over the
    candidates; more for one or two words) or the answer counts as English.
    """
    words = [w.lower() for w in _WORD.findall(text or "")]
    if sum(len(w) for w in words) < 2:
        return UNDETERMINED
    if len(words) <= 4:
        votes = {lang: sum(w in SHORT_WORDS.get(lang, ()) for w in words) for lang in candidates}
        if "de" in votes:
            votes["de"] = sum(w in SHORT_WORDS["de"] or bool(_GERMAN_WORD.search(w)) for w in words)
        best = max(votes.values())
        winners = [lang for lang, v in votes.items() if v == best]
        if best and len(winners) == 1:
            return winners[0]
        if best and DEFAULT not in winners:  # "caro" is Spanish and Portuguese: the detector picks
            # the likeliest of the tied languages by the detector over all candidates (the same
            # choice as one restricted to them, without loading a detector per set of ties)
            ranked = _identifier(tuple(candidates)).rank(" ".join(words))
            return str(next(lang for lang, _ in ranked if lang in winners))
    lang, probability = _identifier(tuple(candidates)).classify(" ".join(words))
    needed = max(min_probability, SHORT_MIN_PROBABILITY) if len(words) <= 2 else min_probability
    if lang != DEFAULT and probability < needed:
        return DEFAULT if DEFAULT in candidates else UNDETERMINED
    return str(lang)


def detect_languages(texts: list[str], candidates: tuple[str, ...] = SHIPPED) -> list[str]:
    """:func:`detect_language` of each text (each distinct text once)."""
    seen: dict[str, str] = {}
    return [seen.setdefault(t, detect_language(t, candidates)) if t not in seen else seen[t] for t in texts]


# --- non-answers ---------------------------------------------------------------------------

#: Whole answers that give no reason, per language (compared without accents, case or
#: punctuation); English ones live in ``nlp/non_answers.py``.
NON_ANSWER_FILE = Path(__file__).with_name("data") / "non_answers_multilingual.csv"


_FOLD_WORD = re.compile(r"[a-z0-9ß]+")
_PHRASE_BREAK = re.compile(r"[,.;!?¡¿\n]+")


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed ("¡Gracias!" -> "gracias")."""
    if text.isascii():  # nothing to decompose: NFKD and the accent filter would change nothing
        plain = text.lower()
    else:
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
        )
    return " ".join(_FOLD_WORD.findall(plain))


@functools.lru_cache(maxsize=1)
def _folded_phrases() -> dict[str, frozenset[str]]:
    """The non-answer phrases of :data:`NON_ANSWER_FILE`, folded, per language."""
    phrases: dict[str, set[str]] = {}
    with NON_ANSWER_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            phrases.setdefault(row["language"], set()).add(_fold(row["phrase"]))
    return {lang: frozenset(found) for lang, found in phrases.items()}


def is_non_answer_phrase(text: str, language: str | None = None) -> bool:
    """True when every piece of the answer (split at , . ; ! ?) is a known non-answer of
    ``language`` (any shipped language when None), e.g. "Sin comentarios.", "Keine Angabe",
    "Merci, bonne journée !", "Nada a declarar"."""
    phrases = _folded_phrases()
    langs = [language] if language in phrases else list(phrases)
    any_piece = False
    for raw in _PHRASE_BREAK.split(text or ""):
        piece = _fold(raw)
        if not piece:
            continue
        any_piece = True
        langs = [lang for lang in langs if piece in phrases[lang]]
        if not langs:
            return False  # most answers stop at their first piece: no need to fold the rest
    return any_piece and bool(langs)


# The function-word vote used by redaction and the NER gate
@functools.cache
def stop_words() -> dict[str, frozenset[str]]:
    """Function words by language code (``en``, ``de``, ``fr``, ``es``, ``it``, ``nl``, ``pt``)."""
    path = Path(__file__).with_name("data") / "stop_words.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}


@functools.lru_cache(maxsize=64)
def guess_language(text: str) -> str:
    """The language whose function words occur most often; English unless another beats it (once
    per text: the name checks ask it of the same answer once per name in it)."""
    words = _WORD.findall(text.lower())
    if not words:
        return "en"
    lists = stop_words()
    best, score = "en", sum(w in lists["en"] for w in words)
    for lang, stop in lists.items():
        s = sum(w in stop for w in words)
        if lang != "en" and s > score:
            best, score = lang, s
    return best


def looks_non_english(text: str) -> bool:
    """Does another language out-vote English ("Kein Rechenzentrum in der EU")?"""
    return guess_language(text) != "en"
