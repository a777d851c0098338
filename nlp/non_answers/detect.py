"""Whole-answer decision: clean the text, try every kind on the answer and on each clause."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..languages import detect_language, is_non_answer_phrase, looks_non_english
from ..rules import normalize
from . import compliments, kinds, praise_multi, praise_shape, remarks
from . import patterns as p
from . import words as w
from .channel import after_question, strip_channel
from .content import gives_contact_only, says_nothing
from .mail import has_mail_furniture, strip_mail
from .signature import is_signed_closing

_WS = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"\[(?:person|email|phone|account|card|address|url)\]")
_PIECES = re.compile(r"[.!?;,:\n]+\s*|\s+[-–—~]+\s+|\s*\(\s*|\s*\)\s*")
_NOT_WORD = re.compile(r"[^\w\s'/#*-]")
_LOOSE_MARKS = re.compile(r"(?<!\w)[#*]+(?!\w)|(?<=\w)[*]+(?!\w)|(?<!\w)-+|-+(?!\w)|(?<!\w)'|'(?!\w)|_+")


def clean(text: str) -> str:
    """Lower-case words of an answer without placeholders, punctuation, emoji or markup."""
    core = _PLACEHOLDER.sub(" ", text.lower())
    core = core.replace("’", "'")
    core = _NOT_WORD.sub(" ", core)
    core = _LOOSE_MARKS.sub(" ", core)
    return _WS.sub(" ", core).strip(" -'/")


def strip_edges(tokens: list[str]) -> list[str]:
    """Drop filler at either end ("n/a thanks", "no idea tbh", "lol nothing")."""
    while tokens and tokens[-1] in w.FILLER_EDGE:
        tokens = tokens[:-1]
    while tokens and tokens[0] in w.FILLER_EDGE:
        tokens = tokens[1:]
    return tokens


def piece_is_non_answer(core: str) -> bool:
    """One sentence or clause (already cleaned) that carries no reason."""
    if core in w.NON_ANSWERS or not any(ch.isalnum() for ch in core):
        return True
    tokens = core.split()
    if (
        any(pattern.match(core) for pattern in p.NON_ANSWER_PATTERNS)
        or p.NOTHING_MORE.match(core)
        or p.SEE_ABOVE.match(core)
        or p.WANT_OUT.match(core)
    ):
        return True
    if len(tokens) <= 4 and all(kinds.is_mash(t) or t in w.NA_TOKENS for t in tokens):
        return True
    if all(kinds.is_mash(t) or kinds.is_key_run(t) or kinds.is_vowelless(t) for t in tokens) and any(
        kinds.is_mash(t) for t in tokens
    ):
        return True  # "sdfsdf sdf", "xcvb nm", "sdfkjh sdkfj": a mash beside keys with no vowel
    if kinds.is_test_entry(tokens) or kinds.is_shrug(tokens):
        return True
    if len(set(tokens)) == 1 and len(tokens) > 1 and tokens[0] in w.NON_ANSWERS:
        return True
    if kinds.is_polite(core) or kinds.is_insult(core, tokens) or compliments.is_praise(core):
        return True
    if praise_multi.is_praise(core) or praise_multi.is_thanks_to(core):  # "la app funciona genial"
        return True
    if p.JUST_TIME.match(core):  # "it was simply time", "just time to move on"
        return True
    if kinds.is_cancel_request(p.DONT_RENEW.sub("cancel", core).split()) or kinds.is_pointer(core):
        return True
    if p.GO_AHEAD.match(core) or p.SCORE_ONLY.match(core):  # "just do it please", "8", "7/10"
        return True
    inner = strip_edges(tokens)
    if not inner:  # filler alone ("yeah", "honestly", "lol"): a clause beside the answer, no reason
        return True
    if inner and inner != tokens:
        return piece_is_non_answer(" ".join(inner))
    return False


def is_non_answer(text: str, parsed: Mapping[str, Any] | None = None) -> bool:
    """True for answers that carry no reason: "n/a", "no comment", "asdf", emoji only,
    "see previous email", "thanks, bye", "please cancel my account", "see ticket #4411",
    "you suck", "bunch of clowns", "see above", bare markup, punctuation, placeholders only ...

    Conservative: any word of a reason keeps the answer ("cancel because too expensive",
    "cancel: price", "as discussed, the price"). Works on raw or normalised text; needs no model.
    An answer of several sentences or clauses is a non-answer when each of them is one
    ("Please cancel. Thanks.", "Shambles, bye"). What a channel wraps around the answer (an
    auto-reply, a bounce, a dropped call, a forwarded receipt: :mod:`.channel`) is taken out first
    and what the customer wrote decides. ``parsed``: the parses of its clauses of praise
    made beforehand in a batch (:func:`praise_clauses`, :func:`.praise_shape.parse_clauses`).
    """
    return _decide(text, parsed, channel=True)


def _decide(text: str, parsed: Mapping[str, Any] | None, channel: bool) -> bool:
    """:func:`is_non_answer`; ``channel``: take out the channel's furniture first (once)."""
    own = after_question(text)
    if own is not None:  # the survey's question quoted back: the customer's words are the answer
        return _decide(own, parsed, channel)
    if has_mail_furniture(text):  # a reply or forward: judge what the customer wrote
        bare = strip_mail(text)
        if not any(ch.isalnum() for ch in bare) or (bare != text.strip() and is_non_answer(bare, parsed)):
            return True
    if channel:  # an auto-reply, a bounce, a dropped call, a forwarded receipt, a blank form ...
        own, found = strip_channel(text)
        if found:
            if not any(ch.isalnum() for ch in own) or _decide(own, parsed, channel=False):
                return True
            if len(own.split()) >= 3 and not _still_away(own):
                return False  # the customer's own words beside the furniture give a reason
    if is_non_answer_phrase(text):  # "Sin comentarios", "Keine Angabe", "Merci, bonne journée"
        return True
    normalized = normalize(text)
    if kinds.is_name_only(normalized) or gives_contact_only(normalized):
        return True
    norm = p.SHRUG.sub(" ", normalized).lower()
    if p.FORM_LABEL.match(norm):  # "Reason for leaving:" copied back, nothing after it
        return True
    if p.REFERENCE_ONLY.match(norm) or p.SALUTATION.match(norm):
        return True
    if p.AUTO_REPLY.match(norm) or kinds.is_auto_reply(norm):
        return True
    judge = _Judge()
    if is_signed_closing(normalized, judge.says_nothing_piece):  # "Kind regards,\nJohn\nBuyer | Acme Ltd"
        return True
    if remarks.is_question_back(norm, judge.says_nothing_piece) or remarks.is_survey_remark(
        norm, judge.says_nothing_piece
    ):
        return True
    if remarks.is_refusal(norm, says_nothing):
        return True
    norm = p.MARKUP.sub(" ", norm)
    if not any(ch.isalnum() for ch in norm):
        return not p.MONEY.search(norm)  # empty, bare markup, punctuation, emoji only; "$$$" says price
    core = clean(norm)
    if judge.piece(core):
        return True
    pieces = [clean(piece) for piece in _PIECES.split(norm)]
    pieces = [x for x in pieces if x and not (len(x) == 1 and x.isalpha())]  # initials: "Best, J."
    if bool(pieces) and all(judge.piece(x) for x in pieces):
        return True
    return _praises_only(_praise_text(normalized), judge, parsed)


def _still_away(text: str) -> bool:
    """Does what is left of an auto-reply still say when its writer is back ("Responderé a su
    mensaje a mi regreso")? Then the auto-reply rules judge the whole answer."""
    lower = text.lower()
    return bool(p.BACK.search(lower) or p.AWAY.search(lower) or p.AUTO_REPLY_WORDS.search(lower))


def _praise_text(normalized: str) -> str:
    """The normalised answer as :func:`_praises_only` reads it: no shrug, no markup."""
    return p.MARKUP.sub(" ", p.SHRUG.sub(" ", normalized))


def _praise_pieces(text: str, judge: _Judge) -> list[str]:
    """The clauses of ``text`` that are not non-answers by the rules, when each of them could be
    praise by the cheap tests of :mod:`.praise_shape` (and none names a reason); else none."""
    if not praise_shape.could_be_praise(text) or names_a_reason(text):  # "ethical reasons"
        return []
    rest: list[str] = []
    for piece in _PIECES.split(text):
        core = clean(piece) if piece else ""
        if core and not (len(core) == 1 and core.isalpha()) and not judge.piece(core):
            rest.append(piece.strip())
    rest = [praise_shape.PLACEHOLDER.sub("they", x) for x in rest]
    if not rest or not all(praise_shape.could_be_clause(x) for x in rest):
        return []
    return rest


def _praises_only(text: str, judge: _Judge, parsed: Mapping[str, Any] | None = None) -> bool:
    """Every clause praises one thing by its shape ("The coaches were brilliant", "loved the
    recipes", :mod:`.praise_shape`) or is a non-answer by the rules ("thanks!"), and one praises."""
    rest = _praise_pieces(text, judge)
    return bool(rest) and all(praise_shape.is_praise_clause(x, parsed) for x in rest)


def praise_clauses(text: str) -> list[str]:
    """The clauses :func:`is_non_answer` may parse to judge ``text`` (if the cheaper rules leave
    it open), for parsing many answers' clauses in one batch (:func:`.praise_shape.parse_clauses`)."""
    found: list[str] = []
    own = after_question(text)
    if own is not None:  # is_non_answer judges only what follows the survey's question
        return praise_clauses(own)
    if has_mail_furniture(text):  # is_non_answer judges what the customer wrote, too
        bare = strip_mail(text)
        if any(ch.isalnum() for ch in bare) and bare != text.strip():
            found.extend(praise_clauses(bare))
    found.extend(_praise_pieces(_praise_text(normalize(text)), _Judge()))
    return found


class _Judge:
    """:func:`piece_is_non_answer` for the clauses of one answer, each distinct clause once: the
    question-back and survey tests and the whole-answer test split the same sentences into the
    same clauses (about a third of the non-answer rules' time went on judging them again)."""

    def __init__(self) -> None:
        self.judged: dict[str, bool] = {}

    def piece(self, core: str) -> bool:
        """:func:`piece_is_non_answer` of one cleaned clause of this answer."""
        known = self.judged.get(core)
        if known is None:
            known = self.judged[core] = piece_is_non_answer(core)
        return known

    def says_nothing_piece(self, sentence: str) -> bool:
        """One sentence of a longer answer that is a non-answer by the rules ("Thanks.", "Please
        cancel.", "Loved the classes, the staff were lovely.": each of its clauses is one)."""
        core = clean(sentence)
        if not core or self.piece(core):
            return True
        pieces = [clean(piece) for piece in _PIECES.split(sentence)]
        pieces = [x for x in pieces if x and not (len(x) == 1 and x.isalpha())]
        return len(pieces) > 1 and all(self.piece(x) for x in pieces)


def names_a_reason(text: str) -> bool:
    """Does the answer name a reason in a word or two that says nothing else ("personal reasons",
    "wasn't for me", "pas pour moi")? Vague, but a reason (bench/data/README.md)."""
    return bool(p.REASON_SHAPE.search(text))


def has_reason_cue(text: str) -> bool:
    """Does the answer state a reason explicitly ("cancel because of the price") or name one in
    a word or two that the head may take for a non-answer ("personal reasons", "wasn't for me"), or
    say it asked again and again ("asked support 4 times", an unresolved complaint), or complain of
    something done again and again, behind their back or as a breach of trust ("you keep saying",
    "renewed without telling me", "you sell my data"), or point back at a reason ("that's the problem")?"""
    lower = text.lower()
    repeated = bool(p.CONTACTED.search(lower) and p.REPEATED.search(lower))  # "asked support 4 times"
    complaint = bool(p.COMPLAINT_CUE.search(text))  # "you keep saying ...", "you sell my data"
    explicit = bool(p.REASON_CUE.search(text)) or names_a_reason(text) or repeated or complaint
    return explicit or reason_beside_closing(text)


_BESIDE_MAX_WORDS = 8
_BESIDE_REASON_WORDS = 3


def reason_beside_closing(text: str) -> bool:
    """A short answer not in English whose clauses are a closing (:func:`.kinds.is_polite`, a phrase
    of :func:`nlp.languages.is_non_answer_phrase`) or hold no word that could name a reason ("ok
    merci", "pas de commentaire", "ok dank je"), none a request to cancel, and, beside them, clauses
    of at most three words that each hold such a word ("ok merci, trop cher", "gracias, me mudé"):
    the other languages' head takes the politeness for the whole answer. English answers are left to
    their own head (:func:`has_reason_cue`)."""
    if len(text.split()) > _BESIDE_MAX_WORDS:
        return False
    pieces = [(piece, clean(piece)) for piece in _PIECES.split(text) if piece and piece.strip()]
    pieces = [(piece, core) for piece, core in pieces if core]
    if len(pieces) < 2:
        return False
    closing = [
        says_nothing(piece) or kinds.is_polite(core) or is_non_answer_phrase(piece) for piece, core in pieces
    ]
    rest = [piece for (piece, _), said_nothing in zip(pieces, closing, strict=True) if not said_nothing]
    if not any(closing) or not rest or any(len(piece.split()) > _BESIDE_REASON_WORDS for piece in rest):
        return False  # a longer clause may be a request or a wish ("Quero encerrar a conta hoje")
    if _PLACEHOLDER.search(text.lower()):
        return False  # a reference beside it ("réclamation n° [ACCOUNT]") points elsewhere
    if any(
        kinds.is_cancel_request(core.split()) for (_, core), said in zip(pieces, closing, strict=True) if said
    ):
        return False  # a request to cancel, what is beside it may be its paperwork ("CPF no cadastro")
    return looks_non_english(text) or detect_language(text) != "en"
