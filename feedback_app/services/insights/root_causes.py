"""Root causes as people read them: the taxonomy's keys and human names.

The pipeline's taxonomy (``nlp/taxonomy.yaml``) is the one list of root causes: a theme's
``category`` and an action item's ``cause_key`` are its keys, and every page, export and form
shows its ``name`` ("Bugs and reliability"), never the key. Read once per process; when the
``nlp`` package is not installed the keys are shown as words.
"""

from __future__ import annotations

import functools

EMERGING = "emerging"


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Key -> name in taxonomy order, ``emerging`` last (empty without the nlp package)."""
    try:
        from nlp.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
    except ImportError:
        return {}
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    names = {c.key: c.name for c in taxonomy.categories}
    names[taxonomy.emerging_key] = taxonomy.emerging_name
    return names


def cause_choices() -> list[tuple[str, str]]:
    """``(key, name)`` for every root cause a theme or action item may have, emerging last."""
    return list(_names().items()) or [(EMERGING, "Emerging")]


def is_cause(key: str | None) -> bool:
    """Whether ``key`` is a root cause of the taxonomy (or ``emerging``)."""
    return bool(key) and key in dict(cause_choices())


def cause_name(key: str | None) -> str:
    """The human name of a root cause ("Bugs and reliability" for ``bugs_reliability``)."""
    if not key:
        return "–"
    return _names().get(key) or key.replace("_", " ").capitalize()


@functools.lru_cache(maxsize=1)
def _descriptions() -> dict[str, str]:
    """Key -> the taxonomy's one-line description of each root cause (empty without nlp)."""
    try:
        from nlp.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
    except ImportError:
        return {}
    return {c.key: c.description for c in load_taxonomy(DEFAULT_TAXONOMY).categories if c.description}


def cause_description(key: str | None) -> str | None:
    """What a root cause covers, in the taxonomy's words ("Too expensive, a price rise, or not worth
    the money."), for the top of its page; None for ``emerging`` and causes without one."""
    return _descriptions().get(key or "")
