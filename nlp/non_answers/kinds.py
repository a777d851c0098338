"""One test per kind of non-answer: keyboard mash, bare cancel request, pointer elsewhere,
polite closing, insult. Each gets one cleaned clause (lower case, no punctuation)."""

from __future__ import annotations

import re

from . import patterns as p
from . import words as w

# Compiled once: these tests run on every token of every clause (about 600,000 calls per 10,000 answers).
_REPEATED_CHUNK = re.compile(r"(\w{2,3})\1+\w?")
_VOWEL = re.compile(r"[aeiouy]")
_TRIPLE = re.compile(r"(.)\1\1")
_DATE_OR_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?|\d{1,4}(?:[/.-]\d{1,4}){1,2}")
_POINTER_LEAD = re.compile(r"^(?:n/a|na|none|nothing|no comment)\s+")
_ELIDED = re.compile(r"^(d|l|qu)'(?=\w)")  # French elision: "d'escrocs" is "de" + "escrocs"
_NAME_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_REST = re.compile(r"[^\W\d_][\w'’-]*|[\s.,;:!\-–—~()]")
# Every run of three or more keys along a keyboard row, either way ("sdf", "lkj"): a set lookup
# answers what ``token in row or token in row[::-1]`` over the rows would.
_ROWS = (*p.KEY_ROWS, *(row[::-1] for row in p.KEY_ROWS))
_KEY_RUNS = frozenset(row[i:j] for row in _ROWS for i in range(len(row)) for j in range(i + 3, len(row) + 1))


def is_mash(token: str) -> bool:
    """Keyboard mash or a repeated letter ("asdf", "jkjkjk", "ggg", "sdkfjsdlkfj")."""
    if not token.isalpha():
        return False
    if len(token) >= 3 and len(set(token)) == 1:
        return True  # "ggg", "aaaa"
    if len(token) < 4:
        return False
    if _REPEATED_CHUNK.fullmatch(token):
        return True  # "oiuoiu", "jkjkjk", "fghfgh"
    if len(token) >= 6 and not _VOWEL.search(token):
        return True  # "sdkfjsdlkfj"; shorter ones may be acronyms ("GDPR", "HTTPS")
    if _TRIPLE.search(token):
        return True
    return token[:4] in _KEY_RUNS  # the first four letters run along a row


def is_key_run(token: str) -> bool:
    """Three or more letters in a row of the keyboard ("sdf", "jkl"); a mash only beside one."""
    return len(token) >= 3 and token.isalpha() and token in _KEY_RUNS


def is_test_entry(tokens: list[str]) -> bool:
    """ "testing 123 ignore", "QA entry - do not process", "essai", "prueba 2": someone trying the
    form, a test word with only numbers and the words around a test beside it."""
    return any(t in w.TEST_WORDS for t in tokens) and all(
        t in w.TEST_WORDS or t in w.TEST_FILLER or t.isdigit() for t in tokens
    )


def is_shrug(tokens: list[str]) -> bool:
    """ "meh. stuff happens", "time for a change i guess", "What happened? hmm", "bof": a shrug
    with only vague words around it. Any other word may be the reason ("idk, too pricey i guess")."""
    return any(t in w.SHRUG_WORDS for t in tokens) and all(
        t in w.SHRUG_WORDS or t in w.VAGUE_WORDS for t in tokens
    )


def is_vowelless(token: str) -> bool:
    """Letters with no vowel at all ("nm", "sdkfj", "xcvb"): beside a mash, more of it; alone it
    may be an acronym ("GDPR", "SMS"), so it never makes a non-answer by itself."""
    return token.isalpha() and token.isascii() and not _VOWEL.search(token)


def is_date_or_number(token: str) -> bool:
    """ "31", "01/06", "2019", "1st": dates and numbers say when, not why."""
    return bool(_DATE_OR_NUMBER.fullmatch(token))


def is_cancel_request(tokens: list[str]) -> bool:
    """ "please cancel my account", "kündigen bitte", "send the final invoice": a request, no reason."""
    core = " ".join(tokens)
    has_request = any(t in w.CANCEL_VERBS for t in tokens) or bool(p.FINAL_PAPERS.search(core))
    return has_request and all(
        t in w.CANCEL_VERBS or t in w.CANCEL_FILLER or is_date_or_number(t) for t in tokens
    )


def is_pointer(core: str) -> bool:
    """ "see my previous email", "as discussed with your agent", "see ticket 4411"."""
    core = _POINTER_LEAD.sub("", core)  # "N/A - see ticket 2290143"
    for start in (p.POINTER_START, p.POINTER_MORE):
        m = start.match(core)
        if m and all(
            t in w.POINTER_WORDS or is_date_or_number(t) or t.startswith("#") for t in core[m.end() :].split()
        ):
            # "asked support 4 times": a complaint, not a pointer (tested last: it is rarely needed)
            return not (p.CONTACTED.search(core) and p.REPEATED.search(core))
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
    tokens = [part for t in tokens for part in _ELIDED.sub(r"\1 ", t).split()]  # "bande d'escrocs"
    return any(t in w.INSULT_HEAD for t in tokens) and all(
        t in w.INSULT_HEAD or t in w.INSULT_FILLER for t in tokens
    )


def is_auto_reply(norm: str) -> bool:
    """ "Out of office - back Monday", "This is an automated message, please do not reply",
    "Estoy de vacaciones, responderé a mi regreso": an auto-reply or bounce pasted in, in five
    languages (``norm``: lower case, punctuation kept). A reason beside it keeps the answer."""
    if not (p.AUTO_REPLY_WORDS.search(norm) or (p.AWAY.search(norm) and p.BACK.search(norm))):
        return False  # the auto-reply's words first: few answers hold them
    return not (p.REASON_CUE.search(norm) or p.REASON_SHAPE.search(norm) or len(norm.split()) > 60)


_TITLES = frozenset("mr mrs ms miss dr sr sra srta herr frau mme mlle m prof".split())


def is_name_only(text: str) -> bool:
    """ "John", "Mrs Patel", "- Priya", "Tomasz Nowak": a name signed with nothing else. A known
    given name (``nlp/data/given_names.txt``; not one that is also a word, "Will", nor a brand)
    or a title opens it; at most two capitalised words or initials follow."""
    from ..pii.words import AMBIGUOUS_GIVEN, brands, given_names_lower  # nlp.pii imports this package

    words = _NAME_WORDS.findall(text)
    stripped = _NAME_REST.sub("", text)
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
