"""The non-answer rules' word lists, read once from ``nlp/data/non_answer_words.json``.

Data, not code: a reviewer adds "nada a declarar" to a list without touching the rules.
"""

from __future__ import annotations

import json
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "data" / "non_answer_words.json"
_DATA: dict[str, list[str]] = json.loads(_PATH.read_text(encoding="utf-8"))


def _words(key: str) -> frozenset[str]:
    return frozenset(_DATA[key])


NON_ANSWERS = _words("non_answers")  # a whole (cleaned) answer that is one of these says nothing
CANCEL_VERBS = _words("cancel_verbs")  # "cancel", "kündigen", "résilier" ...
CANCEL_FILLER = _words("cancel_filler")  # words around a bare cancel request ("please", "my", "account")
POINTER_WORDS = _words("pointer_words")  # words after "see ..." that point elsewhere ("previous email")
FILLER_EDGE = _words("filler_edge")  # words at either end that add nothing ("lol", "tbh", "thanks")
NA_TOKENS = _words("na_tokens")  # tokens that are non-answers alone ("nope", "test", "asdf")
POLITE_HEAD = _words("polite_head")  # closings ("thanks", "cheers", "saludos")
POLITE_FILLER = _words("polite_filler")  # words around closings ("you", "all", "team", "so much")
INSULT_HEAD = _words("insult_head")  # insults ("clowns", "shambles", "crooks")
INSULT_FILLER = _words("insult_filler")  # words around insults ("bunch", "absolute", "of", "a")
NO_CONTENT = _words("no_content")  # words that name no reason ("survey", "ticket", "hello", "account")
CONTENT_STOP_WORDS = _words("content_stop_words")  # spaCy stop words that do ("used", "schlecht", "falta")
PRAISE_WORDS = _words("praise_words")  # "brilliant", "loved", "impeccable": praise alone says no why
PRAISE_SUBJECTS = _words("praise_subjects")  # what is praised ("staff", "classes", "service")
PRAISE_ADJECTIVES = _words("praise_adjectives")  # praise VADER does not rate ("slick", "reliable")
PRAISE_INFORMAL = _words("praise_informal")  # praise only as a predicate ("the graphs are class")
PRAISE_INTENSIFIERS = _words("praise_intensifiers")  # "dead easy", "pure dead brilliant"
SERVICE_VERBS = _words("service_verbs")  # a job done ("sorted", "explained"): praise with praise on it
TROUBLE_WORDS = _words("trouble_words")  # what litotes rules out ("never had an outage", "no faff")
PRAISE_GLUE = _words("praise_glue")  # words around praise ("was", "really", "the"); no negation
ADMIN_WORDS = _words("admin_words")  # leaving's paperwork ("deposit", "router", "final statement")
TEST_WORDS = _words("test_words")  # a test entry ("test", "prueba", "essai", "QA")
TEST_FILLER = _words("test_filler")  # words around it ("ignore", "do not process", "entry")
CONTACT_WORDS = _words("contact_words")  # around contact details ("reach me at", "after 6pm", "Tel.")
SHRUG_WORDS = _words("shrug_words")  # a shrug ("meh", "bof", "i guess", "whatever")
VAGUE_WORDS = _words(
    "vague_words"
)  # words around a shrug that name nothing ("stuff happens", "time for a change")
LEFT_WORDS = _words("left_words")  # leaving told as done ("I left", "j'ai résilié", "me di de baja")
DECIDERS = _words("deciders")  # who else decided or knows ("procurement decided", "my flatmate's account")
TIME_WORDS = _words("time_words")  # month and weekday names: they say when, not why
PRAISE_ML_WORDS = _words("praise_ml_words")  # praise in es/fr/de/pt ("genial", "sympa", "toll", "ótimo")
PRAISE_ML_VERBS = _words(
    "praise_ml_verbs"
)  # copulas and verbs of running ("fue", "était", "lief", "funcionou")
PRAISE_ML_LIKING = _words("praise_ml_liking")  # verbs of liking ("me encantó", "j'adorais", "gostei")
PRAISE_ML_GLUE = _words("praise_ml_glue")  # intensifiers, pronouns, "and", a closed tail
PRAISE_ML_STOP = _words("praise_ml_stop")  # negation, turn, cause, change, price, another thing
PRAISE_ML_FINDING = _words("praise_ml_finding")  # "ich fand die App super", "achei o app ótimo"
PRAISE_ML_NAMED = _words("praise_ml_named")  # praise that may open a noun phrase ("muy buen servicio")
THANKS_TO_HEAD = _words("thanks_to_head")  # "many thanks", "un grand merci", "vielen Dank", "kudos"
THANKS_TO_PREP = _words("thanks_to_prep")  # "to", "a", "à", "an": thanks addressed to someone
