"""Praise in passing: a clause that speaks well of something is not a reason for leaving.

"The watch stopped syncing. Price was fair and delivery was quick" names price and delivery,
but only to say they were fine; neither is a second cause. Such clauses are dropped before
second causes are looked for (clause by clause and by cue words), so they add no cause.
"""

from __future__ import annotations

import re

_GOOD = (
    r"fine|fair|good|great|lovely|quick|fast|helpful|friendly|nice|ok|okay|reasonable|excellent|"
    r"brilliant|spot on|decent|kind|prompt|easy|smooth|good value"
)
#: "X was fine", "support were lovely", "no complaints", "reasonably priced", "good value"
_PRAISE = re.compile(
    r"(?i)\b(?:(?:was|were|is|are|been|seemed|felt|always|all)\s+"
    r"(?:(?:really|very|pretty|perfectly|always|quite|totally|more than)\s+)?(?:" + _GOOD + r")|"
    r"no (?:complaints?|problems?|issues?) (?:with|about)|no complaints|reasonably priced|good value|"
    r"fair price|nothing wrong with|not complaining about|to be fair)\b"
)
#: a turn that makes the praise a complaint ("was fine until", "used to be great", "isn't great")
_TURN = re.compile(
    r"(?i)(?:\b(?:not|never|no longer|used to|until|till|except|unless|anymore|any more|but|though|although|however)\b|n't\b)"
)
_MAX_WORDS = 12  # a longer clause says more than the praise; it is kept


def is_praise(clause: str) -> bool:
    """True for a short clause that only speaks well of something ("the price is reasonable",
    "support were lovely"), with no negation or turn ("was fine until March")."""
    return len(clause.split()) <= _MAX_WORDS and bool(_PRAISE.search(clause)) and not _TURN.search(clause)
