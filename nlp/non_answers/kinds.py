"""One test per kind of non-answer: keyboard mash, bare cancel request, pointer elsewhere,
polite closing, insult. Each gets one cleaned clause (lower case, no punctuation)."""

from __future__ import annotations

import re

from . import patterns as p
from . import words as w


def is_mash(token: str) -> bool:
    """Keyboard mash or a repeated letter ("asdf", "jkjkjk", "ggg", "sdkfjsdlkfj")."""
    if not token.isalpha():
        return False
    if len(token) >= 3 and len(set(token)) == 1:
        return True  # "ggg", "aaaa"
    if len(token) >= 4 and re.fullmatch(r"(\w{2,3})\1+\w?", token):
        return True  # "oiuoiu", "jkjkjk", "fghfgh"
    if len(token) < 4:
        return False
    if len(token) >= 6 and not re.search(r"[aeiouy]", token):
        return True  # "sdkfjsdlkfj"; shorter ones may be acronyms ("GDPR", "HTTPS")
    if re.search(r"(.)\1\1", token):
        return True
    return any(token[:4] in row or token[:4] in row[::-1] for row in p.KEY_ROWS)


def is_key_run(token: str) -> bool:
    """Three or more letters in a row of the keyboard ("sdf", "jkl"); a mash only beside one."""
    return (
        len(token) >= 3 and token.isalpha() and any(token in row or token in row[::-1] for row in p.KEY_ROWS)
    )


def is_date_or_number(token: str) -> bool:
    """ "31", "01/06", "2019", "1st": dates and numbers say when, not why."""
    return bool(re.fullmatch(r"\d+(?:st|nd|rd|th)?|\d{1,4}(?:[/.-]\d{1,4}){1,2}", token))


def is_cancel_request(tokens: list[str]) -> bool:
    """ "please cancel my account", "kündigen bitte", "send the final invoice": a request, no reason."""
    core = " ".join(tokens)
    has_request = any(t in w.CANCEL_VERBS for t in tokens) or bool(p.FINAL_PAPERS.search(core))
    return has_request and all(
        t in w.CANCEL_VERBS or t in w.CANCEL_FILLER or is_date_or_number(t) for t in tokens
    )


def is_pointer(core: str) -> bool:
    """ "see my previous email", "as discussed with your agent", "see ticket 4411"."""
    core = re.sub(r"^(?:n/a|na|none|nothing|no comment)\s+", "", core)  # "N/A - see ticket 2290143"
    if p.CONTACTED.search(core) and p.REPEATED.search(core):
        return False
    for start in (p.POINTER_START, p.POINTER_MORE):
        m = start.match(core)
        if m and all(
            t in w.POINTER_WORDS or is_date_or_number(t) or t.startswith("#") for t in core[m.end() :].split()
        ):
            return True
    return False


def is_polite(core: str) -> bool:
    """ "thanks, bye", "all the best to the team", "cheers for everything, take care"."""
    if p.ONLY_POLITE.match(core):
        return True
    rest = p.POLITE_PHRASE.sub(" thanks ", p.THANKS_FOR.sub(" thanks ", core))
    tokens = rest.split()
    return any(t in w.POLITE_HEAD for t in tokens) and all(
        t in w.POLITE_HEAD or t in w.POLITE_FILLER or (len(t) == 1 and t.isalpha()) for t in tokens
    )


def is_insult(core: str, tokens: list[str]) -> bool:
    """ "you suck", "bunch of clowns", "absolute joke of a company": abuse without a reason."""
    if p.INSULT.match(core):
        return True
    return any(t in w.INSULT_HEAD for t in tokens) and all(
        t in w.INSULT_HEAD or t in w.INSULT_FILLER for t in tokens
    )


def is_auto_reply(norm: str) -> bool:
    """ "Out of office - back Monday", "This is an automated message, please do not reply",
    "Estoy de vacaciones, responderé a mi regreso": an auto-reply or bounce pasted in, in five
    languages (``norm``: lower case, punctuation kept). A reason beside it keeps the answer."""
    if p.REASON_CUE.search(norm) or p.REASON_SHAPE.search(norm) or len(norm.split()) > 60:
        return False
    return bool(p.AUTO_REPLY_WORDS.search(norm) or (p.AWAY.search(norm) and p.BACK.search(norm)))


_TITLES = frozenset("mr mrs ms miss dr sr sra srta herr frau mme mlle m prof".split())


def is_name_only(text: str) -> bool:
    """ "John", "Mrs Patel", "- Priya", "Tomasz Nowak": a name signed with nothing else. A known
    given name (``nlp/data/given_names.txt``; not one that is also a word, "Will", nor a brand)
    or a title opens it; at most two capitalised words or initials follow."""
    from ..pii.words import AMBIGUOUS_GIVEN, brands, given_names_lower  # nlp.pii imports this package

    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    stripped = re.sub(r"[^\W\d_][\w'’-]*|[\s.,;:!\-–—~()]", "", text)
    if not words or len(words) > 3 or stripped:
        return False
    first, rest = words[0], words[1:]
    titled = first.lower().rstrip(".") in _TITLES
    given = (
        first.lower() in given_names_lower()
        and first.lower() not in {n.lower() for n in AMBIGUOUS_GIVEN}
        and first.lower() not in brands()
    )
    if titled:
        return bool(rest) and all(w[0].isupper() for w in rest)
    return given and all(w[0].isupper() for w in rest)
