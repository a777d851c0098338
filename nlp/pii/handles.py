"""Account data in forms a blind writer (D, `pii_dev7.csv`) found the contact rules missing (issue 17, twelfth
round): an e-mail spelled out to a mail provider with no domain ending ("p.achebe at gmail", "jo dot
bloggs at hotmail"), a US ZIP code alone after a delivery cue ("shipping to 60614 took 12 days"),
an account name of words and digits joined by hyphens ("our account is acme-shop-224"), and a user
name after "user:" or, in mixed case, after its cue ("username xXGhostPandaXx"). The cue or the
shape says what the value is; the value need not be known.
"""

from __future__ import annotations

import re

from .brands import is_plain_brand
from .contact import SPELLED_DOT
from .lowercase import common_lower
from .spans import Span

# Providers whose name alone stands for the whole address ("at gmail"); not "live", "me" or "free",
# which are words ("e.g. at live gigs").
_PROVIDER = r"(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|aol|gmx|protonmail|proton|yandex|btinternet)"
# The user part needs a dot (written or spelled), a digit or an underscore: "cheaper at gmail" is no address.
NO_ENDING_EMAIL = re.compile(
    rf"(?i)(?<![\w.@])(?:[\w+-]+(?:{SPELLED_DOT}|\.)[\w+-]+(?:(?:{SPELLED_DOT}|\.)[\w+-]+)*|[a-z]*[\d_]\w*)"
    rf"[ \t]+(?:at|arroba|@)[ \t]+{_PROVIDER}\b"
)
# A five-digit ZIP code after a word of delivery or residence and "to"/"in": not a count ("sent to
# 12000 customers"), a share or a decimal.
ZIP_AFTER_CUE = re.compile(
    r"\b(?i:deliver(?:s|y|ed|ies|ing)?|ship(?:s|ped|ping)?|post(?:ed|ing)?|mail(?:ed|ing)?|sen[dt]|sending|"
    r"live[sd]?|living|moved|based)(?:[ \t]+\w+){0,2}?[ \t]+(?i:to|in|at)[ \t]+(\d{5}(?:-\d{4})?)\b"
    r"(?![ \t]*(?:%|[.,]\d|(?i:(?!(?:was|is|has|does|gets|keeps|says|takes)\b)[^\W\d_]{2,}s|people|per)\b))"
)
# An account, shop or workspace name of parts joined by "-", "_" or "." with a digit among them,
# after its cue and "is" or a colon: "Our account is acme-shop-224", "workspace: bright-loop-7".
ACCOUNT_SLUG = re.compile(
    r"\b(?i:account|acct|workspace|store|shop|tenant|subdomain|member(?:ship)?|customer|client)"
    r"(?:[ \t]+(?i:id|name|number|no\.?))?[ \t]*(?:(?i:is|was)[ \t]+|[:=#][ \t]*)"
    r"((?=[\w.-]*\d)[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+)\b"
)
# "user: dj_kofi_b", "login= marta.k": a user name after "user" and a colon or "=".
USER_COLON = re.compile(r"\b(?i:user|usr)[ \t]*[:=][ \t]*(@?[A-Za-z][\w.-]{2,29})(?![\w@])")
# A user name in mixed case after its cue: "username xXGhostPandaXx", "gamertag is NightOwlKing".
MIXED_CASE_USER = re.compile(
    r"\b(?i:username|user name|gamertag|screen name|handle|login|usuario|usuário|benutzername|pseudo)"
    r"(?:[ \t]+(?i:is|was|es|ist|est|é))?[ \t]*[:=]?[ \t]*((?=[A-Za-z]*[a-z][A-Z])[A-Za-z]{4,30})\b"
)


def handle_account_spans(text: str) -> list[Span]:
    """EMAIL, ADDRESS and ACCOUNT spans of the forms above."""
    spans: list[Span] = []
    if " at " in text or "arroba" in text or "@" in text:
        spans += [(m.start(), m.end(), "EMAIL") for m in NO_ENDING_EMAIL.finditer(text)]
    if any(ch.isdigit() for ch in text):
        spans += [(m.start(1), m.end(1), "ADDRESS") for m in ZIP_AFTER_CUE.finditer(text)]
        spans += [(m.start(1), m.end(1), "ACCOUNT") for m in ACCOUNT_SLUG.finditer(text)]
    for m in USER_COLON.finditer(text):
        value = m.group(1).lstrip("@")
        if re.search(r"[\d_.]", value) or not (common_lower(value.lower()) or is_plain_brand(value)):
            spans.append((m.start(1), m.end(1), "ACCOUNT"))
    spans += [
        (m.start(1), m.end(1), "ACCOUNT")
        for m in MIXED_CASE_USER.finditer(text)
        if not is_plain_brand(m.group(1))
    ]  # "login PayPal" names the brand
    return spans
