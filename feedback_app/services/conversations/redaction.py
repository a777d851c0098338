"""Personal data out of conversation text before it is stored, through the nlp package's redaction."""

from __future__ import annotations

from flask import current_app


def redact_all(texts: list[str]) -> list[str]:
    """Each text normalised (markup, whitespace) with names, emails, phones, accounts replaced.

    The business's own and competitors' names (``COMPANY_NAME``, ``KEEP_NAMES``) stay: they are
    evidence, not personal data. Empty texts come back empty without loading the model.
    """
    if not any(t and t.strip() for t in texts):
        return ["" for _ in texts]
    from nlp.models import load_spacy

    pipe = load_spacy(current_app.config["SPACY_MODEL"])
    keep = [current_app.config["COMPANY_NAME"], *current_app.config["KEEP_NAMES"]]
    docs = pipe.pipe([t or "" for t in texts], component_cfg={"afterword_redact": {"keep_names": keep}})
    return [doc._.redacted.strip() for doc in docs]


def redact(text: str) -> str:
    """One text, redacted (see :func:`redact_all`)."""
    return redact_all([text])[0]
