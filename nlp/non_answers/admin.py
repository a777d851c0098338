"""A request or question about the paperwork of leaving, with no reason: "I'd like an export of
all my order history in csv if possible", "do I need to return the router or can I keep it",
"need the final statement emailed".

Its words are the words of billing, delivery or missing features (export, router, statement), so
the head sends it to those causes; what it is, though, is an instruction about how the leaving
should go. The test: it opens as a request or a question about the process, no word complains
(``remarks.COMPLAINT``) or gives a reason, and once function words and the vocabulary of leaving's
paperwork (``words.ADMIN_WORDS``: deposit, router, final bill, access, export) are set aside no
word is left. "How do I get a refund for the double charge?" complains ("double"); "Can I keep my
recipes? The app has no meal planner" has a sentence that is neither; both keep the answer.
"""

from __future__ import annotations

import re

from . import patterns as p
from . import words as w
from .content import content_words

# How a request opens: "please", "I'd like", "can someone", "need the ...", "make sure".
REQUEST = re.compile(
    r"^(?:(?:please|pls|kindly|just|also|and|oh and|hi|hello)\s+)*(?:"
    r"(?:i|we)(?:'d| would) (?:like|appreciate|prefer)|(?:i|we) (?:want|need|require|request)|need|"
    r"(?:can|could|would|will) (?:you|someone|somebody|u)|make sure|ensure|please|kindly|"
    r"(?:i|we) (?:would|'d) be grateful|(?:i|we) (?:expect|trust) (?:you|that)|"
    r"(?:bitte|merci de|veuillez|por favor|favor)\b"
    r")\b"
)
# A question about what happens next, asked of the paperwork: "will they be deleted straight away",
# "is the cancellation effective today"; only with nothing but paperwork in it.
ASKS = re.compile(
    r"^(?:(?:and|so|also|oh)\s+)?(?:(?:will|would|do|does|is|are|can|could|should|did) (?:it|they|these|those|this|that|there|"
    r"the \w+|i|we|my|our|you)|what (?:about|happens|happen)|how (?:do|can|should|will|long)|when (?:do|does|will|is|are)|"
    r"where (?:do|should|can)|(?:i )?(?:just )?(?:want|wanted|need) to know|(?:i'?d|i would) like to know|let me know)\b"
)
# Money taken or a cancellation made, told as a fact: with a question after it, a billing complaint
# ("I cancelled in January. You charged me in February."), not paperwork.
MONEY_TAKEN = re.compile(r"\b(?:charg\w*|bill(?:ed|ing)|debit\w*|took|taken|cancel\w*|paid|renew\w*)\b")
# Admin questions may ask whether the customer can still do something: "do I still have access".
STILL_ADMIN = re.compile(
    r"\bstill (?:have|get|keep|be able to|able to|use|access|receive|be charged|owe|need)\b"
)
# Negation or loss that makes a request a complaint: "nobody ever called", "no longer works".
_NEGATIVE = re.compile(
    r"\b(?:too|never|no longer|nobody|no one|nothing|not once|won'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|can'?t|couldn'?t)\b"
)


def complains(sentence: str, complaint: re.Pattern[str]) -> bool:
    """Does a request or question carry a complaint or a reason? ``complaint`` is
    ``remarks.COMPLAINT``; "still" asked of access or payment ("will I still be charged") is not one."""
    text = STILL_ADMIN.sub(" ", sentence)
    return bool(complaint.search(text) or p.REASON_CUE.search(text) or p.COMPLAINT_CUE.search(text))


def only_paperwork_words(sentence: str) -> bool:
    """No negation, and no word beyond function words and the vocabulary of leaving's paperwork
    (``words.ADMIN_WORDS``, ``words.CANCEL_FILLER``); asked of a sentence that does not complain
    (:func:`complains`)."""
    if _NEGATIVE.search(sentence):
        return False
    return not [t for t in content_words(sentence) if t not in w.ADMIN_WORDS and t not in w.CANCEL_FILLER]
