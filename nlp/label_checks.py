"""Is a label one a person would write: two words or more, one saying what went wrong, no company or
brand named."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .pii import is_brand

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
    """Does ``label`` read as a cause a person would write? Two words at least (never a lone
    noun), and a word that says what went wrong: a cue of its root cause (the taxonomy's
    ``cues``: "Price increase", "App kept crashing") or a problem word ("Slow sync", "Missing
    API", "Rude support agent"); a product noun phrase ("Mobile app", "Status page") is not one.
    It must not name the company or a brand in ``banned_names`` ("Used brightloop").
    ``tagger`` and ``keywords`` are accepted for callers that pass them and no longer needed."""
    words = re.findall(r"[a-z]+", label.lower())
    if len(words) < 2 or names_a_company(label, banned_names):
        return False
    cues = getattr(taxonomy, "cue_patterns", {}).get(category)
    return bool(cues is not None and cues.search(label.lower())) or any(w in PROBLEM_WORDS for w in words)


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
