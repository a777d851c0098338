"""Organisation names in the free text (spaCy NER through the nlp package), for "where they went".

Names are read from the raw answers during an analysis run and kept on the run, never shown
raw: the theme page lists an organisation only when at least ``MIN_CUSTOMERS`` customers named
it (so a person's name the model mistook for a company does not surface from one answer), and
the business's own name is left out.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

MIN_CUSTOMERS = 2


def organisations(texts: list[str], spacy_model: str, exclude: set[str]) -> list[list[str]]:
    """The ORG entities of each text (deduplicated, own company excluded); [] each on failure."""
    try:
        from nlp.models import load_spacy

        pipe = load_spacy(spacy_model)
        found = []
        for doc in pipe.pipe(texts):
            names = {e.text.strip(" .,;:!?'\"") for e in doc.ents if e.label_ == "ORG"}
            found.append(sorted(n for n in names if len(n) >= 3 and n.lower() not in exclude))
        return found
    except Exception:  # entity names are a nicety; a failure must not fail the analysis run
        log.exception("organisation names could not be extracted")
        return [[] for _ in texts]
