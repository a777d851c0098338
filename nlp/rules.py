"""Text rules that need no model: normalisation, non-answer detection, segmentation.

Imported by the spaCy components in :mod:`nlp.preprocess`; importing this module is cheap.
"""
from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<[^>]{1,200}>")
_MD = re.compile(r"(\*\*|__|`+|^#+\s*|^>\s*)", re.MULTILINE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff]")


def normalize(text: object) -> str:
    """Unescape HTML entities, strip tags/markdown, NFKC-normalise and collapse whitespace."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = html.unescape(text)
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD.sub("", text)
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


# ---------------------------------------------------------------- non-answers
_NON_ANSWERS = {
    "", "n/a", "na", "n a", "none", "nothing", "no", "nope", "nah", "nil", "null", "no comment",
    "no comments", "nothing to say", "nothing to add", "nothing else", "nothing really", "idk",
    "i dont know", "i don't know", "dont know", "don't know", "dunno", "not sure", "no idea",
    "no reason", "no reason really", "test", "testing", "ok", "okay", "fine", "whatever", "pass",
    "skip", "prefer not to say", "rather not say", "i'd rather not say", "no thanks", "meh",
    "lol", "not applicable", "just because", "because", "same", "same as before", "as above",
    "see above", "see previous", "already told you", "-", "--", "?", "...", "x", "xx", "xxx",
    "blah", "blah blah", "no answer", "nothing comes to mind", "can't remember", "cant remember",
    "don't remember", "dont remember", "no opinion", "none of your business", "not telling",
    "sin comentarios", "nada", "rien", "keine angabe", "kein kommentar", "sans commentaire",
    "prefer not to answer", "i prefer not to say", "i'd prefer not to say", "rather not", "i'd rather not",
    "private", "confidential", "no reason given", "not saying", "tested", "test test", "testing 123",
    "test 123", "asd", "aaa", "abc", "hmm", "hm", "eh", "k", "kk", "y", "yes", "yep", "sure", "fine thanks",
    "nada que decir", "no sé", "no se", "ninguno", "ninguna", "ninguna razón", "sin razón", "rien à dire",
    "don't know really", "dont know really", "not sure tbh", "can't think of anything", "cant think of anything",
    "nothing springs to mind", "no particular reason", "skip this question", "that's personal", "not telling you",
    "does it matter", "nothing more to say", "0", "1", "this is a test", "zzz", "undefined", "object object",
    "thank u", "nah mate", "same as last time", "not answering this", "leave me alone", "prefiero no decirlo",
    "prueba", "todo bien gracias", "alles gut", "möchte ich nicht sagen", "je préfère ne pas répondre",
    "tout va bien merci", "prefiro não dizer", "teste", "pas de commentaire", "je ne sais pas", "aucune idée", "aucun", "keine ahnung", "weiß nicht", "weiss nicht",
    "nichts", "kein grund", "não sei", "nenhum", "nenhuma", "sem comentários", "sem comentarios", "nada a dizer",
}
_NON_ANSWER_PATTERNS = [
    # "if you want feedback email me [EMAIL]", "please call me on [PHONE] about the final bill"
    re.compile(r"^(?:if you (?:want|need|would like|wanna)(?: (?:more|any|my|some))? (?:feedback|details|info|"
               r"information|to know(?: more| why)?)\s+)?(?:please\s+|pls\s+|just\s+)?"
               r"(?:e-?mail|call|ring|text|contact|phone|reach|message) me(?: (?:on|at|via|by)(?: (?:e-?mail|phone))?)?"
               r"(?: about (?:the|my|our) (?:final )?(?:bill|invoice|account|balance|statement))?$"),
    re.compile(r"^(?:as|already|like i) (?:stated|said|mentioned|explained|written|wrote|told you)"
               r"(?: (?:above|before|previously|earlier|already|in my (?:e-?mail|message)))*$"),
    re.compile(r"^why (?:do|would|should|does) (?:you|it|anyone) (?:need|want|care|matter)\b.{0,20}$"),
    re.compile(r"^(?:none of your|not your) (?:business|concern)\b.{0,10}$"),
    re.compile(r"^(?:no|nothing|none)(?: (?:to add|to say|to report|comment|comments|really|else|at all|thanks|thank you))+$"),
]
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")


def _is_mash(token: str) -> bool:
    if len(token) < 4 or not token.isalpha():
        return False
    if not re.search(r"[aeiouy]", token):
        return True
    if re.search(r"(.)\1\1", token):
        return True
    return any(token[:4] in row or token[:4] in row[::-1] for row in _KEY_ROWS)


# Polite filler that carries no reason: a whole answer made only of these is a non-answer
# ("thanks, bye", "all good", "ok thank you, have a nice day").
_POLITE = (r"(?:(?:thanks?(?: you)?|thx|ty|tnx|many thanks)(?: (?:again|anyway|so much|very much|a lot|for asking|"
           r"for everything|for all|for having me|for the service))*|"
           r"(?:we'?re|we are|i'?m|i am) (?:done|finished|all set|off)|"
           r"cheers|please|pls|plz|bye(?: bye)?|goodbye|bye for now|see ya|see you|ok(?:ay)?|k|fine|"
           r"(?:kind |best |warm )?regards|best(?: wishes)?|all the best|take care|good luck|all good|all fine|"
           r"all done|done|that'?s (?:all|it)|that is (?:all|it)|no thanks?|nothing else|nothing more|"
           r"have a (?:nice|good|great|lovely) (?:day|one|weekend|evening)|hi|hello|hey|dear (?:sir|madam|team|all)|"
           r"sorry|no worries|np|good|great|nice|cool|sure|yes|yep|no|nope|bye now|good ?bye|guys|u|"
           r"gracias|adi[oó]s|saludos|merci(?: beaucoup)?|au revoir|bonne journ[ée]e|danke(?: sch[oö]n)?|tsch[uü]ss|"
           r"auf wiedersehen|obrigad[oa]|tchau|at[ée] logo|grazie|ciao|arrivederci)")
_ONLY_POLITE = re.compile(rf"^{_POLITE}(?:[\s,]+{_POLITE})*$")

# A bare request to cancel, close or delete, with no reason: every word comes from this list and
# one of them is a cancel verb ("please cancel my account", "just cancel it", "kündigen bitte").
_CANCEL_VERBS = {
    "cancel", "cancelled", "canceled", "cancelling", "canceling", "cancellation", "close", "closed", "delete",
    "terminate", "end", "stop", "unsubscribe", "unsubscribed", "remove", "quit", "leave", "leaving", "cancelar",
    "cancela", "cancelen", "darme", "baja", "kündigen", "kündigung", "gekündigt", "löschen", "résilier",
    "résiliez", "résiliation", "annuler", "annulez", "supprimer", "encerrar", "cancelem", "cancelado", "cancelada",
    "ending", "ended", "closing", "terminating", "terminated", "stopping", "deleting", "deleted",
}
_CANCEL_FILLER = {
    "i", "i'd", "id", "i'm", "im", "want", "wanted", "would", "like", "wish", "need", "needed", "to", "just", "please",
    "pls", "plz", "can", "could", "you", "kindly", "it", "this", "that", "me", "my", "the", "our", "your", "a", "an",
    "account", "accounts", "subscription", "subscriptions", "sub", "membership", "plan", "contract", "service",
    "policy", "direct", "debit", "auto-renewal", "autorenewal", "renewal", "everything", "all", "now", "asap",
    "immediately", "today", "already", "from", "list", "email", "emails", "mailing", "right", "away", "do",
    "done", "ok", "okay", "thanks", "thank", "and", "be", "is", "was", "has", "been", "am", "have", "get",
    "go", "ahead", "thx", "simply", "only", "then", "so", "confirm", "confirmed", "confirmation", "of", "for",
    "refund", "order", "line", "number", "card", "profile", "data", "info", "details", "mine", "up", "with",
    "by", "yes", "just", "want", "bitte", "mein", "meine", "meinen", "konto", "abo", "vertrag", "sofort",
    "por", "favor", "mi", "cuenta", "suscripción", "suscripcion", "quiero", "de", "la", "el", "svp", "s'il",
    "vous", "plaît", "plait", "mon", "compte", "abonnement", "je", "veux", "merci", "minha", "meu", "conta",
    "assinatura", "quero", "obrigado", "obrigada", "gracias", "danke", "bestätigen", "process", "gym",
    "deliveries", "delivery", "box", "boxes",
    # greetings, formal closings and the account details that come with a bare request
    "hi", "hello", "hey", "dear", "sir", "madam", "sir/madam", "team", "yours", "faithfully", "sincerely", "regards",
    "kind", "best", "cheers", "bye", "we", "we're", "are", "us", "current", "sort", "code", "name", "in", "on", "at",
    "since", "as", "of", "end", "month", "week", "year", "next", "this", "contact", "send", "balance", "remaining",
    "transfer", "final", "invoice", "bill", "statement", "deposit", "usual", "other", "bank", "subscriber", "member",
    "customer", "holder", "ref", "reference", "no", "iban", "policy", "accountant", "handover", "finance",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "about", "port", "out", "pac", "stac", "requested", "desk", "seat", "locker", "sim",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# "Send the final invoice" is the same kind of bare administrative request as "cancel".
_FINAL_PAPERS = re.compile(r"\bfinal (?:invoice|bill|statement)s?\b")

# A pointer to something said elsewhere, with nothing else: "see my previous email", "as
# discussed with your agent", "see ticket #4411", "I already explained this on the phone".
_POINTER_START = re.compile(
    r"^(?:(?:please|pls|kindly|just)\s+)?(?:see|refer to|check|read|look at|look up|view|consult|as per|per|"
    r"re|ref|regarding|ver|siehe|voir|veja|it'?s (?:all )?in|it is (?:all )?in|all in|details in|everything is in|explained in|"
    r"as (?:discussed|explained|mentioned|stated|agreed|said|written|noted|requested|per)|"
    r"(?:i )?(?:have |'ve |had )?(?:already )?(?:discussed|explained|told|said|wrote|written|emailed|sent|"
    r"called|mentioned|raised|reported|gave|given|answered|spoke|spoken|talked|complained)|already)\b"
)
_POINTER_WORDS = {
    "my", "the", "our", "your", "his", "her", "their", "previous", "previously", "earlier", "last", "above",
    "prior", "other", "first", "original", "before", "below", "attached", "attachment", "email", "emails",
    "e-mail", "e-mails", "mail", "mails", "message", "messages", "msg", "letter", "letters", "complaint",
    "complaints", "ticket", "tickets", "case", "chat", "chats", "call", "calls", "phone", "conversation",
    "conversations", "agent", "agents", "colleague", "colleagues", "rep", "reps", "representative", "support",
    "team", "staff", "manager", "advisor", "adviser", "person", "people", "guy", "lady", "already", "on", "in",
    "with", "to", "you", "times", "many", "several", "twice", "number", "no", "ref", "reference", "this",
    "it", "that", "all", "everything", "details", "them", "him", "her", "about", "over", "a", "an", "of",
    "and", "form", "survey", "answer", "answers", "response", "responses", "reply", "replies", "note",
    "notes", "thread", "history", "file", "record", "records", "account", "customer", "service", "desk",
    "helpdesk", "help", "center", "centre", "store", "shop", "branch", "when", "i", "called", "wrote",
    "cancelled", "canceled", "via", "by", "as", "per", "discussed", "explained", "mentioned", "told", "said",
    "stated", "sent", "please", "thanks", "thank", "see", "re", "week", "month", "yesterday", "today",
    "last", "id", "#", "dated", "mi", "correo", "anterior", "vorherige", "vorige", "mon", "ma", "précédent",
    "précédente", "meu", "minha", "e-mail", "front", "branch", "someone", "somebody", "written", "same", "reason", "reasons", "given", "there", "here", "what", "is", "was",
    "were", "have", "has", "had", "been", "i've", "i'd", "we", "times", "already", "did", "so", "just",
    "from", "refer", "ago", "week", "weeks", "month", "days", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "ticket", "letter", "for", "at", "one", "two", "three", "four", "few",
    "couple", "ago",
}

# An insult aimed at the company with no reason attached ("you suck", "screw you").
_INSULT = re.compile(
    r"^(?:(?:lol|lmao|omg|honestly|seriously|just|well|ok|whatever)\s+)*"
    r"(?:(?:you|u|ya|y'all|you guys|you people|your company|this company|you lot)\s+"
    r"(?:all\s+|really\s+|just\s+|totally\s+|seriously\s+)*(?:suck|sucks|stink|stinks|blow|are (?:the worst|trash|garbage|"
    r"rubbish|crap|pathetic|a joke|clowns|idiots|morons|losers|useless|awful|terrible|horrible|a disgrace|"
    r"shit|shite|pants)|r (?:trash|garbage|idiots))|"
    r"(?:screw|f\*+k|fuck|fck|f) (?:you|u|off|this|you all|you guys)|go to hell|get lost|bite me|"
    r"(?:idiots|morons|losers|clowns|muppets|jokers|trash|garbage|rubbish|crap|pathetic|lame|"
    r"worst company ever|worst company|what a joke|joke company|clown company)|"
    r"(?:you'?re|you are|ur|u r|your company is|this company is|you guys are|you lot are)\s+(?:such\s+|just\s+|really\s+)?"
    r"(?:an? )?(?:joke|disgrace|scam|shambles|clowns|idiots|morons|trash|garbage|rubbish|useless|pathetic|the worst)"
    r"(?:\s+of an?\s+(?:company|business|bank|service|firm|provider|outfit|gym|shop))?)"
    r"(?:\s+(?:lol|lmao|haha|bye|goodbye|ever|forever|big time|so much|all of you|guys|mate|again|period))*$"
)


def _is_date_or_number(token: str) -> bool:
    """"31", "01/06", "2019", "1st": dates and numbers say when, not why."""
    return bool(re.fullmatch(r"\d+(?:st|nd|rd|th)?|\d{1,4}(?:[/.-]\d{1,4}){1,2}", token))


def _is_cancel_request(tokens: list[str]) -> bool:
    core = " ".join(tokens)
    has_request = any(t in _CANCEL_VERBS for t in tokens) or bool(_FINAL_PAPERS.search(core))
    return has_request and all(
        t in _CANCEL_VERBS or t in _CANCEL_FILLER or _is_date_or_number(t) for t in tokens)


def _is_pointer(core: str, tokens: list[str]) -> bool:
    core = re.sub(r"^(?:n/a|na|none|nothing|no comment)\s+", "", core)  # "N/A - see ticket 2290143"
    m = _POINTER_START.match(core)
    if not m:
        return False
    return all(t in _POINTER_WORDS or _is_date_or_number(t) or t.startswith("#") for t in core[m.end():].split())


def is_non_answer(text: str) -> bool:
    """True for answers that carry no reason: "n/a", "no comment", "asdf", emoji only,
    "see previous email", "thanks, bye", "please cancel my account", "see ticket #4411",
    "you suck", bare markup, punctuation, placeholders only ...

    Conservative: any word of a reason keeps the answer ("cancel because too expensive",
    "cancel: price", "as discussed, the price"). Works on raw or normalised text; needs no model.
    """
    norm = normalize(text).lower()
    if not any(ch.isalnum() for ch in norm):
        return True  # empty, bare markup, punctuation, emoji only
    core = re.sub(r"\[(?:person|email|phone|account|card|address|url)\]", " ", norm)
    core = re.sub(r"[^\w\s'/#*-]", " ", core)
    core = re.sub(r"(?<!\w)[#*]+(?!\w)|(?<=\w)[*]+(?!\w)|(?<!\w)-+|-+(?!\w)", " ", core)
    core = _WS.sub(" ", core).strip(" -'/")
    if core in _NON_ANSWERS or not any(ch.isalnum() for ch in core):
        return True
    if any(p.match(core) for p in _NON_ANSWER_PATTERNS):
        return True
    tokens = core.split()
    if len(tokens) <= 3 and all(_is_mash(t) for t in tokens):
        return True
    if len(set(tokens)) == 1 and len(tokens) > 1 and tokens[0] in _NON_ANSWERS:
        return True
    if _ONLY_POLITE.match(core) or _INSULT.match(core):
        return True
    return _is_cancel_request(tokens) or _is_pointer(core, tokens)


# ---------------------------------------------------------------- segmentation
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\w\"'(\[])|\s*[;\n•]+\s*|\s+[-–—]\s+|\s*\b\d[.)]\s+")
_CLAUSE_SPLIT = re.compile(
    r"(?i),?\s+(?:and also|also|plus|as well as|on top of that|not to mention|besides that|"
    r"and besides|additionally|in addition|moreover|furthermore|another reason(?: is| was)?)\s+|"
    r",?\s+and\s+(?=(?:the|your|you|it|its|it's|i|i'm|my|they|their|there|nobody|no one|customer|"
    r"support|service|delivery|shipping|billing|also|then|when|every|constant|too|no)\b)|"
    r",\s+(?=(?:the|your|it|i|my|they|no|too)\b)"
)
_MIN_WORDS = 3
_LEADING_CONNECTOR = re.compile(r"(?i)^(?:and also|also|plus|and|additionally|besides|moreover|furthermore|"
                                r"on top of that|in addition)\b[,:]?\s*")


def split_segments(text: str, max_segments: int = 4) -> list[str]:
    """Split an answer into reason segments (sentences, then "and also"/"plus"-style clauses).

    Pieces under three words are glued to a neighbour, so "too pricey, and slow" stays whole
    while "The price went up again. Also the app crashes every day." gives two segments. A
    question is glued to its neighbour too: "My card never came. What should I do?" asks about
    the one reason it follows rather than giving a second one (and embedding it separately
    would cost time for nothing).
    """
    pieces: list[str] = []
    for sentence in _SENT_SPLIT.split(text):
        if not sentence or not sentence.strip():
            continue
        for p in _CLAUSE_SPLIT.split(sentence):
            p = _LEADING_CONNECTOR.sub("", (p or "").strip(" ,.;")).strip(" ,.;")
            if p:
                pieces.append(p)
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(piece.split()) < _MIN_WORDS or len(merged[-1].split()) < _MIN_WORDS):
            merged[-1] = f"{merged[-1]}, {piece}"
        elif merged and (piece.endswith("?") or merged[-1].endswith("?")):
            merged[-1] = f"{merged[-1]} {piece}" if merged[-1].endswith("?") else f"{merged[-1]}. {piece}"
        else:
            merged.append(piece)
    if len(merged) > max_segments:
        merged = merged[: max_segments - 1] + [" ".join(merged[max_segments - 1:])]
    return merged or ([text.strip()] if text.strip() else [])
