"""Labels for a theme whose answers share no one thing: a label that names one answer's detail
("Flat fee too expensive" over "pricey", "too $$$", "Highway robbery") gives way to what the
answers share, a sub-reason of the cause most of them say or the cause put plainly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .label_checks import is_problem_word
from .labels import content_words, least_word_use

MIXED_SHARE = 0.25  # a label's thing fewer of a theme's answers than this name is one answer's detail
MIN_MIXED_ANSWERS = 5  # fewer answers than this tell no detail from the theme's thing


def said_words(taxonomy: Any, cause: str) -> list[str]:
    """The words of the cause's name and ``label_template``: what every label of it says."""
    cat = taxonomy.category(cause)
    return f"{cat.name} {cat.label_template}".replace("{}", " ").split() if cat is not None else []


def thing_words(option: str, taxonomy: Any, cause: str) -> list[str]:
    """The words of ``option`` that name the thing it is about: content words that are neither the
    cause's name or template words nor a problem word ("rise", "slow", "charged"): "flat fee" of
    "Flat fee too expensive", none of "Price rise"."""
    return [w for w in content_words(option, said_words(taxonomy, cause)) if not is_problem_word(w)]


def names_a_detail(option: str, texts: list[str], taxonomy: Any, cause: str) -> bool:
    """Does ``option`` name a thing that few of the theme's answers (``texts``) name: a word of its
    thing (see :func:`thing_words`) in fewer than ``MIXED_SHARE`` of them? Then it is one answer's
    detail, and the theme reads better under what its answers share (see :func:`stock_options`).
    A label that names no thing ("Price rise", "Too expensive") names no detail; fewer than
    ``MIN_MIXED_ANSWERS`` answers tell nothing."""
    things = thing_words(option, taxonomy, cause)
    if len(texts) < MIN_MIXED_ANSWERS or not things:
        return False
    return least_word_use(" ".join(things), texts) < MIXED_SHARE * len(texts)


def stock_options(taxonomy: Any, cause: str, accept: Callable[[str], bool], texts: list[str]) -> list[str]:
    """The labels a theme whose answers share no one thing may take (chosen by meaning), each
    passing ``accept``: the cause's ``common_themes`` that name no detail of the answers
    (``texts``: "Lost data" only where many answers say so), and the cause put plainly (its
    ``plain_label``: "Unreliable service")."""
    cat = taxonomy.category(cause)
    if cat is None:
        return []
    said = [c for c in cat.common_themes if not names_a_detail(c, texts, taxonomy, cause)]
    return [c for c in dict.fromkeys([*said, cat.plain_label]) if c and accept(c)]


def stock_label(
    chosen: str,
    texts: list[str],
    taxonomy: Any,
    cause: str,
    pick: Callable[[], str | None],
    ignore: Iterable[str] = (),
) -> str:
    """``chosen``, or where it names one answer's detail (:func:`names_a_detail`) and is none of
    the cause's own labels (``common_themes``, ``plain_label``, ``ignore``), what ``pick`` gives
    (a stock option chosen by meaning), when it gives one."""
    cat = taxonomy.category(cause)
    if cat is None or chosen in {*cat.common_themes, cat.plain_label, *ignore}:
        return chosen
    if not names_a_detail(chosen, texts, taxonomy, cause):
        return chosen
    return pick() or chosen
