"""Full-sentence non-answers the head sends to a cause: a question back about the process and a
remark about the survey itself.

"When will the deposit be returned to my card?" and "Who do I contact for a copy of my
invoices?" are about leaving, not why: their words (deposit, invoices, courier) are the words of
billing and delivery, so the head gives those causes with confidence. What they share is their
shape: every sentence asks how the leaving will go ("will I", "can you confirm", "where do I
send"), and none complains ("why", "still", "never", "keeps"). Likewise "This survey is way too
long" or "Stop sending me these surveys" talk only about the form in front of them. Both tests
are conservative: a sentence that is neither (a reason beside it) keeps the answer, and so does
any word of complaint, of a cheaper offer, or of marketing mail and data (spam is a reason).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import admin
from . import patterns as p

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_LEAD = re.compile(
    r"^(?:hi|hello|hey|dear \w+|ok|okay|so|also|and|but|just|quick question|one more thing)\W+"
)

# How a question about the process opens, in the five shipped languages.
QUESTION_BACK = re.compile(
    r"^[¿¡\"'(]*(?:(?:please|pls|kindly)\s+)?(?:"
    r"(?:will|shall|can|could|may|do|did|should|must|am) (?:i|we)\b|"
    r"(?:will|does|did|has|have|is|are) (?:my|our)\b|"
    r"(?:can|could|would|will) (?:you|someone|somebody|anyone|u)\b|"
    r"(?:where|how|when|who|what|which|until when|by when) (?:do|should|can|shall|will|would|must|does) "
    r"(?:i|we|my|the|it|you|this|that)\b|"
    r"when (?:will|would|do|does|is|are|can)\b|until when\b|how long (?:will|does|do|is|until)\b|"
    r"what happens\b|what (?:is|'s) the (?:last|final|end|notice|address|number|date|deadline|process|procedure)\b|"
    r"is (?:it|there) (?:possible|a way|any way|a form|anything)\b|do you (?:have|need|want)\b|"
    # es
    r"(?:me |nos )?(?:pueden|puede|podrían|podría|podéis)\b|(?:puedo|debo|tengo que|hay que)\b|"
    r"(?:cuándo|dónde|hasta cuándo|cómo puedo|cómo hago|qué pasa|qué ocurre|a quién)\b|"
    # de
    r"(?:können|könnten) sie\b|(?:kann|muss|soll|darf|bekomme|erhalte) ich\b|"
    r"(?:wann|wohin|bis wann|wie kann ich|wie lange|was passiert|an wen|ist es möglich|gibt es)\b|"
    # fr
    r"(?:pouvez|pourriez)[- ]vous\b|(?:puis-je|dois-je|est-ce que (?:je|j'|mon|ma|mes|vous))|"
    r"(?:quand|où|jusqu'à quand|comment (?:puis|dois|faire)|que se passe|qu'advient|à qui)\b|"
    # pt
    r"(?:vocês|você) (?:podem|pode|poderiam)\b|(?:podem|posso|preciso|devo|tenho que)\b|"
    r"(?:quando|onde|até quando|como faço|o que acontece|a quem)\b"
    r")",
    re.IGNORECASE,
)
# Words that turn a question into a complaint, or name a cheaper offer ("why", "still", "again
# and again", "can you match the price"); in the shipped languages.
COMPLAINT = re.compile(
    r"\b(?:why|how come|reason|ever|crash\w*|still|yet|never|keeps|kept|keep (?:on )?\w+ing|always|twice|again|wrong|broken|"
    r"em dobro|doble|duplicad\w*|doppelt\w*|en double|dos veces|zweimal|deux fois|duas vezes|falsch|erreur|errado|"
    r"wrongly|incorrect\w*|unauthori[sz]ed|without (?:my )?(?:permission|consent|asking|telling|notice|warning)|"
    r"after (?:i|we)(?:'d| had| have)? (?:already )?(?:cancel\w*|closed|left)|already (?:cancel\w*|paid)|"
    r"late|missing|nobody|no one|supposed|explain|double|overcharg\w*|mistake|error|problem|issue|"
    r"acceptable|cheaper|discount|deal|offer|match|expensive|afford|worth|fix\w*|repair\w*|work|working|improve\w*|"
    r"add|bring back|corrig\w*|arregl\w*|funcion\w*|beheben|reparier\w*|réparer|"
    r"por ?qué|todavía|aún|nunca|siempre|otra vez|warum|wieso|weshalb|immer noch|noch immer|nie|schon wieder|"
    r"pourquoi|toujours|encore|jamais|por que|porque|ainda|de novo|sempre)\b",
    re.IGNORECASE,
)
# What the survey itself is called; "the form" alone may be the product's ("the form kept rejecting my card").
SURVEY = re.compile(
    r"\b(?:survey|surveys|questionnaire|questionnaires|feedback (?:form|request)s?|this (?:form|page|box|field|question)|"
    r"these questions|text ?box|umfrage|umfragen|fragebogen|dieses formular|encuesta|encuestas|este formulario|"
    r"cuestionario|sondage|sondages|ce formulaire|pesquisa|pesquisas|questionário|este formulário|"
    r"(?:leave|left|leaving) (?:it|this|that) blank|(?:won'?t|wouldn'?t|doesn'?t|didn'?t) let me (?:submit|continue|finish|proceed|skip)|"
    r"(?:pages?|lots|loads) of questions|(?:so|too|this|that) many questions|required field|mandatory field)\b",
    re.IGNORECASE,
)
# Mail and data that are a reason to leave: "too many marketing emails and surveys" is privacy_trust.
MARKETING = re.compile(
    r"\b(?:marketing|newsletters?|promo\w*|spam\w*|advert\w*|ads|offers|e-?mails?|texts|calls|data|privacy|"
    r"sell|sold|selling|werbung|publicidad|correos|daten|datos|données|dados|pub)\b",
    re.IGNORECASE,
)
# The product or its people: "the survey link is broken, like the app" is about more than the survey;
# nor is a survey ever too expensive ("Same as last survey, too expensive").
PRODUCT = re.compile(
    r"\b(?:app|apps|website|site|platform|software|product|service|staff|support|agents?|aplicación|aplicativo|"
    r"checkout|trainers?|instructors?|drivers?|couriers?|prices?|pricey|expensive|cheaper|afford\w*|costs?|"
    r"money|fees?|billing|rude|crash\w*|froze|freez\w*|bugs?|buggy|glitch\w*|"
    r"why (?:i'?m|im|i am|we'?re|we are|i|we) (?:leaving|going|left|cancel\w*|quit\w*)|sums? (?:it )?up|"
    r"servicio|serviço|produkt|dienst|logiciel|produit)\b",
    re.IGNORECASE,
)
# Declining to say why, in the shipped languages: "I'd rather keep my reasons to myself", "that's
# private", "prefiero no decirlo"; told by an agent's note, too ("caller said they'd rather not say").
# A privacy complaint says more ("that's private information and you shared it"), so only an answer with nothing left once these are taken out is a refusal.
_REPORTED = r"(?:(?:the )?(?:customer|caller|client|member)\s+(?:said|says|stated|told (?:me|us)|advised|indicated)(?: that)?\s+)"
_WHO = r"(?:i|we|they|he|she|(?:the )?(?:customer|caller|client|member))"
REFUSAL = re.compile(
    rf"(?:^|\b{_REPORTED}?{_WHO}(?:'d|'ll| would| will)?\s+)(?:rather|prefer|prefers|preferred)(?: to)? (?:not|keep)(?: to)? "
    r"(?:say|tell|share|answer|explain|disclose|comment|give (?:a |my |the |any )?reasons?|"
    r"(?:go|get) into (?:it|that|this|details?|the details|why)|discuss(?: it| that| this)?|"
    r"(?:it|that|this|them|my reasons?) (?:to myself|private))\b|"
    r"(?:^|\b(?:i|we)(?:'d|'ll| would| will)?\s+)(?:don'?t|do not|won'?t|will not)(?: (?:want|wish|care|feel like))?(?: to)? "
    r"(?:say|share|tell you|explain|disclose|answer|comment|discuss|go into (?:it|that|this|details?)|"
    r"give (?:a |my |the |any )?reasons?|justify (?:it|myself|this|that))\b|"
    r"\bkeep (?:it|that|this|my reasons?) to myself\b|\bmy reasons are (?:my own|private|personal|mine)\b|"
    r"\b(?:that'?s|it'?s|that is|it is)(?: (?:a|rather|quite|very|too))? (?:private|personal|confidential)(?: matter)?\b|"
    rf"\b(?:none of your|not your) (?:business|concern)\b|\b(?:{_WHO} )?(?:respectfully )?declined? to (?:answer|say|comment|give)(?: (?:a|any|the) reasons?)?\b|"
    r"\bi (?:don'?t|do not) (?:owe|have to justify|need to justify)\b|"
    r"\bprefiero no (?:decir(?:lo)?|contestar|responder|explicar(?:lo)?)\b|\bno quiero (?:decir(?:lo)?|dar explicaciones|"
    r"explicar(?:lo)?|contestar)\b|\bes (?:privado|personal)\b|\bno es asunto suyo\b|"
    r"\bmöchte ich nicht (?:sagen|angeben|beantworten|erklären)\b|\bgeht sie nichts an\b|\bist privat\b|"
    r"\bje préfère ne pas (?:répondre|dire|le dire|expliquer)\b|\bje garde mes raisons pour moi\b|"
    r"\bc'est (?:privé|personnel)\b|\bça ne vous regarde pas\b|"
    r"\bprefiro não (?:responder|dizer|explicar)\b|\bnão quero (?:explicar|dizer|responder)\b|\bé (?:privado|pessoal)\b",
    re.IGNORECASE,
)
MAX_WORDS = 45
# A word of every alternative of REFUSAL, to skip it where none occurs (most answers). Looked for
# in the text lower-cased after the four letters IGNORECASE also takes for ASCII ones ("İ", "ı",
# "ſ", "K") are made plain, so wherever REFUSAL matches one of these is found.
_REFUSAL_WORDS = (
    "rather", "prefer", "prefi", "don", "do not", "won", "will not", "keep", "reasons are", "privat", "privad",
    "privé", "personal", "personnel", "pessoal", "confidential", "business", "concern", "decline",
    "quiero", "quero", "asunto", "möchte", "nichts an", "préfère", "garde", "regarde",
)  # fmt: skip
_PLAIN = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


def _may_refuse(text: str) -> bool:
    """False only where REFUSAL cannot match: none of its words occurs."""
    plain = text.translate(_PLAIN).lower()
    return any(word in plain for word in _REFUSAL_WORDS)


def sentences(text: str) -> list[str]:
    """The sentences of an answer, without empty ones."""
    return [s.strip() for s in _SENTENCES.split(text) if s.strip()]


def _unlead(sentence: str) -> str:
    while True:
        shorter = _LEAD.sub("", sentence, count=1)
        if shorter == sentence:
            return sentence
        sentence = shorter


def is_question_back(norm: str, says_nothing_piece: Callable[[str], bool]) -> bool:
    """ "Will I still have access until the end of the month?", "Can you confirm the direct debit is
    stopped? Thanks.": every sentence asks about the process, asks for its paperwork ("need the final
    statement emailed"; ``admin``), states only paperwork ("I returned the keys last week.") or says
    nothing (``says_nothing_piece``), at least one asks, and no sentence that says something
    complains or names a reason."""
    if len(norm.split()) > MAX_WORDS or p.REASON_CUE.search(norm):
        return False
    found = sentences(norm)
    bares = [_unlead(sentence.lower()) for sentence in found]
    opens = [bool(QUESTION_BACK.match(b) or admin.REQUEST.match(b) or admin.ASKS.match(b)) for b in bares]
    if not any(opens):
        return False  # nothing asks or requests, so nothing can set ``asked`` below
    asked = False
    for sentence, bare, opened in zip(found, bares, opens, strict=True):
        if says_nothing_piece(sentence):  # "Thanks.", "Loved the classes.", "No complaints at all."
            continue
        if admin.complains(bare, COMPLAINT):
            return False
        if opened and sentence.rstrip().endswith("?") and QUESTION_BACK.match(bare):
            asked = True
        elif opened:  # it does not complain (see above), so only its words are left to test
            if not admin.only_paperwork_words(bare):
                return False  # a request or question that says more than paperwork
            asked = True  # "do I need to return the router or can I keep it", "need the final bill emailed"
        elif admin.MONEY_TAKEN.search(bare) or not admin.only_paperwork_words(bare):
            return False  # "I returned the keys last week." may go with a question; "You charged me in May." may not
    return asked


def is_survey_remark(norm: str, says_nothing_piece: Callable[[str], bool]) -> bool:
    """ "This survey is way too long, I'm not filling it in.", "Stop sending me these surveys.":
    every sentence talks about the survey itself (or says nothing) and none about marketing mail or
    data, the product or its people, nor gives a reason ("because ...")."""
    if (
        not SURVEY.search(norm)  # no sentence can name the survey then (and most answers do not)
        or len(norm.split()) > MAX_WORDS
        or MARKETING.search(norm)
        or PRODUCT.search(norm)
        or p.REASON_CUE.search(norm)
    ):
        return False
    found = False
    for sentence in sentences(norm):
        if SURVEY.search(sentence):
            found = True
        elif not says_nothing_piece(sentence):
            return False
    return found


def is_refusal(norm: str, says_nothing: Callable[[str], bool]) -> bool:
    """ "I'd rather keep my reasons to myself, if that's okay.", "That's private, sorry.": a
    refusal to say why, and no word of a reason once it is taken out (``says_nothing``)."""
    if not _may_refuse(norm) or not REFUSAL.search(norm) or len(norm.split()) > MAX_WORDS:
        return False  # the refusal first: few answers hold one, so the cues below are rarely needed
    if p.REASON_CUE.search(norm) or p.REASON_SHAPE.search(norm) or p.COMPLAINT_CUE.search(norm):
        return False
    return says_nothing(REFUSAL.sub(" ", norm))
