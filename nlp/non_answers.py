"""Non-answer rules: answers that give no reason ("n/a", "see my email", "thanks, bye", "just cancel it").

Needs no model, so it is cheap and runs on every answer before anything is embedded; the
root-cause head (``nlp.classifier``) catches what these rules leave. Conservative: any word of
a reason keeps the answer.
"""

from __future__ import annotations

import re

from .rules import normalize

_WS = re.compile(r"\s+")

_NON_ANSWERS = {
    "",
    "n/a",
    "na",
    "n a",
    "none",
    "nothing",
    "no",
    "nope",
    "nah",
    "nil",
    "null",
    "no comment",
    "no comments",
    "nothing to say",
    "nothing to add",
    "nothing else",
    "nothing really",
    "idk",
    "i dont know",
    "i don't know",
    "dont know",
    "don't know",
    "dunno",
    "not sure",
    "no idea",
    "no reason",
    "no reason really",
    "test",
    "testing",
    "ok",
    "okay",
    "fine",
    "whatever",
    "pass",
    "skip",
    "prefer not to say",
    "rather not say",
    "i'd rather not say",
    "no thanks",
    "meh",
    "lol",
    "not applicable",
    "just because",
    "because",
    "same",
    "same as before",
    "as above",
    "see above",
    "see previous",
    "already told you",
    "-",
    "--",
    "?",
    "...",
    "x",
    "xx",
    "xxx",
    "blah",
    "blah blah",
    "no answer",
    "nothing comes to mind",
    "can't remember",
    "cant remember",
    "don't remember",
    "dont remember",
    "no opinion",
    "none of your business",
    "not telling",
    "sin comentarios",
    "nada",
    "rien",
    "keine angabe",
    "kein kommentar",
    "sans commentaire",
    "prefer not to answer",
    "i prefer not to say",
    "i'd prefer not to say",
    "rather not",
    "i'd rather not",
    "private",
    "confidential",
    "no reason given",
    "not saying",
    "tested",
    "test test",
    "testing 123",
    "test 123",
    "asd",
    "aaa",
    "abc",
    "hmm",
    "hm",
    "eh",
    "k",
    "kk",
    "y",
    "yes",
    "yep",
    "sure",
    "fine thanks",
    "nada que decir",
    "no sé",
    "no se",
    "ninguno",
    "ninguna",
    "ninguna razón",
    "sin razón",
    "rien à dire",
    "don't know really",
    "dont know really",
    "not sure tbh",
    "can't think of anything",
    "cant think of anything",
    "nothing springs to mind",
    "no particular reason",
    "skip this question",
    "that's personal",
    "not telling you",
    "does it matter",
    "nothing more to say",
    "0",
    "1",
    "this is a test",
    "zzz",
    "undefined",
    "object object",
    "thank u",
    "nah mate",
    "same as last time",
    "not answering this",
    "leave me alone",
    "prefiero no decirlo",
    "prueba",
    "todo bien gracias",
    "alles gut",
    "möchte ich nicht sagen",
    "je préfère ne pas répondre",
    "tout va bien merci",
    "prefiro não dizer",
    "teste",
    "pas de commentaire",
    "je ne sais pas",
    "aucune idée",
    "aucun",
    "keine ahnung",
    "weiß nicht",
    "weiss nicht",
    "nichts",
    "kein grund",
    "não sei",
    "nenhum",
    "nenhuma",
    "sem comentários",
    "sem comentarios",
    "nada a dizer",
}
_NON_ANSWER_PATTERNS = [
    # "if you want feedback email me [EMAIL]", "please call me on [PHONE] about the final bill"
    re.compile(
        r"^(?:if you (?:want|need|would like|wanna)(?: (?:more|any|my|some))? (?:feedback|details|info|"
        r"information|to know(?: more| why)?)\s+)?(?:please\s+|pls\s+|just\s+)?"
        r"(?:e-?mail|call|ring|text|contact|phone|reach|message) me(?: (?:on|at|via|by)(?: (?:e-?mail|phone))?)?"
        r"(?: about (?:the|my|our) (?:final )?(?:bill|invoice|account|balance|statement))?$"
    ),
    re.compile(
        r"^(?:as|already|like i) (?:stated|said|mentioned|explained|written|wrote|told you)"
        r"(?: (?:above|before|previously|earlier|already|in my (?:e-?mail|message)))*$"
    ),
    re.compile(r"^why (?:do|would|should|does) (?:you|it|anyone) (?:need|want|care|matter)\b.{0,20}$"),
    re.compile(r"^(?:none of your|not your) (?:business|concern)\b.{0,10}$"),
    re.compile(
        r"^(?:no|nothing|none)(?: (?:to add|to say|to report|comment|comments|really|else|at all|thanks|thank you))+$"
    ),
]
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")


# Polite filler that carries no reason: a whole answer made only of these is a non-answer
# ("thanks, bye", "all good", "ok thank you, have a nice day").
_POLITE = (
    r"(?:(?:thanks?(?: you)?|thx|ty|tnx|many thanks)(?: (?:again|anyway|so much|very much|a lot|for asking|"
    r"for everything|for all|for having me|for the service))*|"
    r"(?:we'?re|we are|i'?m|i am) (?:done|finished|all set|off)|"
    r"cheers|please|pls|plz|bye(?: bye)?|goodbye|bye for now|see ya|see you|ok(?:ay)?|k|fine|"
    r"(?:kind |best |warm )?regards|best(?: wishes)?|all the best|take care|good luck|all good|all fine|"
    r"all done|done|that'?s (?:all|it)|that is (?:all|it)|no thanks?|nothing else|nothing more|"
    r"have a (?:nice|good|great|lovely) (?:day|one|weekend|evening)|hi|hello|hey|dear (?:sir|madam|team|all)|"
    r"sorry|no worries|np|good|great|nice|cool|sure|yes|yep|no|nope|bye now|good ?bye|guys|u|"
    r"gracias|adi[oó]s|saludos|merci(?: beaucoup)?|au revoir|bonne journ[ée]e|danke(?: sch[oö]n)?|tsch[uü]ss|"
    r"auf wiedersehen|obrigad[oa]|tchau|at[ée] logo|grazie|ciao|arrivederci)"
)
_ONLY_POLITE = re.compile(rf"^{_POLITE}(?:[\s,]+{_POLITE})*$")

# A bare request to cancel, close or delete, with no reason: every word comes from this list and
# one of them is a cancel verb ("please cancel my account", "just cancel it", "kündigen bitte").
_CANCEL_VERBS = {
    "cancel",
    "cancelled",
    "canceled",
    "cancelling",
    "canceling",
    "cancellation",
    "close",
    "closed",
    "delete",
    "terminate",
    "end",
    "stop",
    "unsubscribe",
    "unsubscribed",
    "remove",
    "quit",
    "leave",
    "leaving",
    "cancelar",
    "cancela",
    "cancelen",
    "darme",
    "baja",
    "kündigen",
    "kündigung",
    "gekündigt",
    "löschen",
    "résilier",
    "résiliez",
    "résiliation",
    "annuler",
    "annulez",
    "supprimer",
    "encerrar",
    "cancelem",
    "cancelado",
    "cancelada",
    "ending",
    "ended",
    "closing",
    "terminating",
    "terminated",
    "stopping",
    "deleting",
    "deleted",
}
_CANCEL_FILLER = {
    "i",
    "i'd",
    "id",
    "i'm",
    "im",
    "want",
    "wanted",
    "would",
    "like",
    "wish",
    "need",
    "needed",
    "to",
    "just",
    "please",
    "pls",
    "plz",
    "can",
    "could",
    "you",
    "kindly",
    "it",
    "this",
    "that",
    "me",
    "my",
    "the",
    "our",
    "your",
    "a",
    "an",
    "account",
    "accounts",
    "subscription",
    "subscriptions",
    "sub",
    "membership",
    "plan",
    "contract",
    "service",
    "policy",
    "direct",
    "debit",
    "auto-renewal",
    "autorenewal",
    "renewal",
    "everything",
    "all",
    "now",
    "asap",
    "immediately",
    "today",
    "already",
    "from",
    "list",
    "email",
    "emails",
    "mailing",
    "right",
    "away",
    "do",
    "done",
    "ok",
    "okay",
    "thanks",
    "thank",
    "and",
    "be",
    "is",
    "was",
    "has",
    "been",
    "am",
    "have",
    "get",
    "go",
    "ahead",
    "thx",
    "simply",
    "only",
    "then",
    "so",
    "confirm",
    "confirmed",
    "confirmation",
    "of",
    "for",
    "refund",
    "order",
    "line",
    "number",
    "card",
    "profile",
    "data",
    "info",
    "details",
    "mine",
    "up",
    "with",
    "by",
    "yes",
    "bitte",
    "mein",
    "meine",
    "meinen",
    "konto",
    "abo",
    "vertrag",
    "sofort",
    "por",
    "favor",
    "mi",
    "cuenta",
    "suscripción",
    "suscripcion",
    "quiero",
    "de",
    "la",
    "el",
    "svp",
    "s'il",
    "vous",
    "plaît",
    "plait",
    "mon",
    "compte",
    "abonnement",
    "je",
    "veux",
    "merci",
    "minha",
    "meu",
    "conta",
    "assinatura",
    "quero",
    "obrigado",
    "obrigada",
    "gracias",
    "danke",
    "bestätigen",
    "process",
    "gym",
    "deliveries",
    "delivery",
    "box",
    "boxes",
    # greetings, formal closings and the account details that come with a bare request
    "hi",
    "hello",
    "hey",
    "dear",
    "sir",
    "madam",
    "sir/madam",
    "team",
    "yours",
    "faithfully",
    "sincerely",
    "regards",
    "kind",
    "best",
    "cheers",
    "bye",
    "we",
    "we're",
    "are",
    "us",
    "current",
    "sort",
    "code",
    "name",
    "in",
    "on",
    "at",
    "since",
    "as",
    "end",
    "month",
    "week",
    "year",
    "next",
    "contact",
    "send",
    "balance",
    "remaining",
    "transfer",
    "final",
    "invoice",
    "bill",
    "statement",
    "deposit",
    "usual",
    "other",
    "bank",
    "subscriber",
    "member",
    "customer",
    "holder",
    "ref",
    "reference",
    "no",
    "iban",
    "accountant",
    "handover",
    "finance",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "about",
    "port",
    "out",
    "pac",
    "stac",
    "requested",
    "desk",
    "seat",
    "locker",
    "sim",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
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
    "my",
    "the",
    "our",
    "your",
    "his",
    "her",
    "their",
    "previous",
    "previously",
    "earlier",
    "last",
    "above",
    "prior",
    "other",
    "first",
    "original",
    "before",
    "below",
    "attached",
    "attachment",
    "email",
    "emails",
    "e-mail",
    "e-mails",
    "mail",
    "mails",
    "message",
    "messages",
    "msg",
    "letter",
    "letters",
    "complaint",
    "complaints",
    "ticket",
    "tickets",
    "case",
    "chat",
    "chats",
    "call",
    "calls",
    "phone",
    "conversation",
    "conversations",
    "agent",
    "agents",
    "colleague",
    "colleagues",
    "rep",
    "reps",
    "representative",
    "support",
    "team",
    "staff",
    "manager",
    "advisor",
    "adviser",
    "person",
    "people",
    "guy",
    "lady",
    "already",
    "on",
    "in",
    "with",
    "to",
    "you",
    "times",
    "many",
    "several",
    "twice",
    "number",
    "no",
    "ref",
    "reference",
    "this",
    "it",
    "that",
    "all",
    "everything",
    "details",
    "them",
    "him",
    "about",
    "over",
    "a",
    "an",
    "of",
    "and",
    "form",
    "survey",
    "answer",
    "answers",
    "response",
    "responses",
    "reply",
    "replies",
    "note",
    "notes",
    "thread",
    "history",
    "file",
    "record",
    "records",
    "account",
    "customer",
    "service",
    "desk",
    "helpdesk",
    "help",
    "center",
    "centre",
    "store",
    "shop",
    "branch",
    "when",
    "i",
    "called",
    "wrote",
    "cancelled",
    "canceled",
    "via",
    "by",
    "as",
    "per",
    "discussed",
    "explained",
    "mentioned",
    "told",
    "said",
    "stated",
    "sent",
    "please",
    "thanks",
    "thank",
    "see",
    "re",
    "week",
    "month",
    "yesterday",
    "today",
    "id",
    "#",
    "dated",
    "mi",
    "correo",
    "anterior",
    "vorherige",
    "vorige",
    "mon",
    "ma",
    "précédent",
    "précédente",
    "meu",
    "minha",
    "front",
    "someone",
    "somebody",
    "written",
    "same",
    "reason",
    "reasons",
    "given",
    "there",
    "here",
    "what",
    "is",
    "was",
    "were",
    "have",
    "has",
    "had",
    "been",
    "i've",
    "i'd",
    "we",
    "did",
    "so",
    "just",
    "from",
    "refer",
    "ago",
    "weeks",
    "days",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "for",
    "at",
    "one",
    "two",
    "three",
    "four",
    "few",
    "couple",
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


# ---------------------------------------------------------------- broader kinds (issue 17)
_NON_ANSWER_PATTERNS += [
    re.compile(r"^(?:sent from my|get outlook for|sent from) (?:\w+ ?){1,3}$"),  # a mail client's signature
    re.compile(
        r"^why (?:did|do|would|are) (?:you|i|we) (?:leave|leaving|cancel|cancelling|go|quit)\b.{0,25}$"
    ),
]
_NON_ANSWERS |= {
    "go away",
    "stop asking",
    "leave me alone",
    "no more surveys",
    "why",
    "ditto",
    "idem",
    "dito",
    "same as above",
    "same here",
    "same answer",
    "as before",
    "see below",
    "blank",
    "empty",
    "no input",
    "xd",
    "xp",
    "lmao",
    "rofl",
    "haha",
    "hahaha",
    "hehe",
    "shrug",
    "nvm",
    "never mind",
    "nevermind",
    "no clue",
    "not a clue",
    "no idea really",
    "who knows",
    "good question",
    "can't say",
    "cant say",
    "hard to say",
    "not sure really",
    "mind your own business",
    "none of your concern",
    "not your concern",
    "i'd prefer not to",
    "prefer not",
    "no thank you",
    "nothing to declare",
    # other languages: "see above", "already said", "no comment", "no idea", "nothing to say"
    "ver arriba",
    "véase arriba",
    "lo mismo",
    "siehe oben",
    "wie oben",
    "voir ci-dessus",
    "voir plus haut",
    "idem ci-dessus",
    "veja acima",
    "ver acima",
    "vedi sopra",
    "come sopra",
    "ya lo dije",
    "ya lo he dicho",
    "ya te lo dije",
    "schon gesagt",
    "habe ich schon gesagt",
    "hab ich schon gesagt",
    "déjà dit",
    "je l'ai déjà dit",
    "já falei",
    "já disse",
    "già detto",
    "l'ho già detto",
    "sin comentario",
    "sin comentarios gracias",
    "sem comentário",
    "nessun commento",
    "niente da dire",
    "niente",
    "non lo so",
    "non so",
    "boh",
    "no sé la verdad",
    "ni idea",
    "k.a.",
    "ka",
    "keine ahnung",
    "egal",
    "rien à signaler",
    "ras",
    "rien de spécial",
    "nada especial",
    "nada de especial",
    "nichts zu sagen",
    "nichts weiter",
    "kein kommentar danke",
}
_NOTHING_MORE = re.compile(
    r"^(?:i (?:have|got) |i've |we have |we've |there's |there is )?(?:no|nothing|none|not much|nothing much)"
    r"(?: (?:further|more|other|additional|else|real|particular|specific|much|really|at all|in particular|special))*"
    r"(?: (?:comment|comments|feedback|thoughts|remarks|input|suggestions|answer|complaints?|issues?|problems?|"
    r"worries|opinion|to (?:declare|add|say|report|mention|share|tell|comment|note)))?"
    r"(?: (?:really|at all|here|from me|thanks|thank you|to add|to share|on this|about it))*$"
)
_SEE_ABOVE = re.compile(
    r"^(?:please )?(?:see|as|same as|refer to|read|look|check) (?:above|before|up|"
    r"(?:my |the )?(?:previous|earlier|last|other|first) (?:answer|question|reply|response|comment|box|field)s?|"
    r"my (?:answer|reply|response|comment)s? (?:above|before)|(?:the )?(?:answer|comment|reply)s? above)$"
)
_WANT_OUT = re.compile(
    r"^(?:i |we )?(?:just )?(?:want|wanna|would like|need) (?:out|to (?:leave|go|quit|get out))"
    r"(?: now| asap| please| of (?:this|it))*$|^(?:i'?m|i am|we'?re|we are) out$|"
    r"^(?:get|let) (?:me|us) (?:out|go|leave)(?: of (?:here|this|it))?$"
)
_DONT_RENEW = re.compile(
    r"\b(?:please )?(?:don'?t|do not|dont|won'?t be|will not be|not) (?:auto[- ]?)?renew(?:ing)?\b"
)
_MONEY = re.compile(r"[$£€¥💸💰🤑]")
_SHRUG = re.compile(r"¯\\?_\(ツ\)_/¯|\(ツ\)")
# Words around a non-answer that add no reason ("n/a thanks", "nothing to declare lol", "no idea tbh").
_FILLER_EDGE = {
    "lol",
    "lmao",
    "haha",
    "hahaha",
    "tbh",
    "honestly",
    "really",
    "just",
    "well",
    "um",
    "umm",
    "erm",
    "uh",
    "hmm",
    "so",
    "ok",
    "okay",
    "x",
    "xx",
    "xxx",
    "please",
    "pls",
    "plz",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "cheers",
    "sorry",
    "mate",
    "guys",
    "hi",
    "hello",
    "hey",
    "bye",
    "la",
    "verdad",
    "danke",
    "merci",
    "gracias",
    "obrigado",
    "obrigada",
    "grazie",
    "eh",
    "oh",
    "yeah",
    "ya",
    "sadly",
    "unfortunately",
    "again",
}
_NA_TOKENS = {
    "no",
    "nope",
    "nah",
    "nothing",
    "none",
    "nil",
    "n/a",
    "na",
    "idk",
    "dunno",
    "test",
    "testing",
    "tested",
    "lol",
    "ok",
    "okay",
    "k",
    "hmm",
    "meh",
    "skip",
    "pass",
    "blank",
    "empty",
    "null",
    "undefined",
    "nada",
    "rien",
    "nichts",
    "niente",
    "asdf",
    "xd",
    "haha",
    "abc",
    "xyz",
    "qwe",
}

# Polite closings: after "thanks for ..." phrases are taken out, every word is a closing or filler.
_THANKS_FOR = re.compile(
    r"\b(?:thanks?|thank you|thank u|thx|ty|cheers|grateful|gracias|merci|danke|obrigad[oa]|grazie) "
    r"(?:(?:you|so much|a lot|very much|again) )*(?:for|por|pour|für|per|di|pelo|pela|por) "
    r"(?:(?:the|all|your|these|those|that|many|great|good|lovely|wonderful|past|last|few|two|three|four|five|ten|"
    r"several|years?|months?|service|services|support|help|memories|ride|time|times|everything|asking|having|me|"
    r"us|of|membership|custom|business|patience|work|care|experience|journey|todo|tudo|tout|alles|tutto|"
    r"la|el|le|die|das|o|a|il|lo|les|los|your|efforts?|offers?|emails?|survey|the|it|this|trying|over|"
    r"good times|great times)\b ?)+"
)
_POLITE_PHRASE = re.compile(
    r"\bkeep up the good work\b|\bno (?:problems?|worries|issues|complaints|hard feelings)\b|"
    r"\b(?:it was|it's been|its been|it has been|was|been) (?:nice|good|great|fun|lovely|a pleasure|fine|ok|okay)"
    r"(?: while it lasted| knowing you| working with you)?\b|\bwhile it lasted\b|"
    r"\ball the (?:best|very best)(?: (?:to|for) (?:you|the team|everyone|you all|all|the future))?\b|"
    r"\b(?:wishing|wish) you (?:all )?(?:the best|well|luck|success|all the best)\b|"
    r"\bgood luck(?: (?:with|to|for|in) (?:everything|the future|the business|you|all|you all))?\b|"
    r"\bhave a (?:nice|good|great|lovely|fab|wonderful) (?:day|one|weekend|evening|week|life|time)\b|"
    r"\btake care\b|\bbest (?:wishes|regards)\b|\b(?:kind|warm|warmest) regards\b|\bsee (?:you|ya)(?: around| later)?\b|"
    r"\bmuch appreciated\b|\bappreciate it\b|\byou were (?:great|lovely|fine|good|brilliant|amazing)\b|"
    r"\beverything (?:was|is) (?:fine|ok|okay|good|great)\b|\ball (?:good|fine|great|ok|okay|done|set)\b|"
    r"\b(?:bonne|buena|boa|buona|viel) (?:continuation|chance|suerte|sorte|fortuna|erfolg|journée|journee)\b|"
    r"\b(?:alles gute|au revoir|à bientôt|a bientot|hasta luego|hasta pronto|auf wiedersehen|até logo|até mais|"
    r"mit freundlichen grüßen|viele grüße|liebe grüße|cordiali saluti|un saludo|muchas gracias|muito obrigad[oa]|"
    r"merci beaucoup|vielen dank|danke schön|mille grazie|grazie mille)\b"
)
_POLITE_HEAD = {
    "thanks",
    "thank",
    "thankyou",
    "thx",
    "ty",
    "tnx",
    "ta",
    "cheers",
    "bye",
    "byee",
    "goodbye",
    "farewell",
    "regards",
    "ciao",
    "gracias",
    "merci",
    "danke",
    "obrigado",
    "obrigada",
    "grazie",
    "adiós",
    "adios",
    "tschüss",
    "tschuss",
    "tschüs",
    "arrivederci",
    "tchau",
    "saludos",
    "cordialement",
    "atenciosamente",
    "atentamente",
    "abraços",
    "abraço",
    "grüße",
    "saluti",
    "groeten",
    "sincerely",
    "faithfully",
    "luck",
    "congrats",
    "kudos",
}
_POLITE_FILLER = {
    "you",
    "u",
    "ya",
    "all",
    "so",
    "much",
    "very",
    "again",
    "anyway",
    "anyways",
    "a",
    "lot",
    "lots",
    "team",
    "guys",
    "lads",
    "folks",
    "everyone",
    "everybody",
    "and",
    "the",
    "to",
    "x",
    "xx",
    "xxx",
    "ok",
    "okay",
    "k",
    "fine",
    "good",
    "great",
    "nice",
    "lovely",
    "well",
    "sir",
    "madam",
    "sir/madam",
    "best",
    "kind",
    "warm",
    "many",
    "really",
    "truly",
    "now",
    "oh",
    "yes",
    "yeah",
    "yep",
    "sure",
    "mate",
    "mates",
    "love",
    "bro",
    "dude",
    "y'all",
    "it",
    "was",
    "i",
    "we",
    "me",
    "us",
    "hi",
    "hello",
    "hey",
    "dear",
    "sorry",
    "yours",
    "once",
    "more",
    "for",
    "everything",
    "that's",
    "thats",
    "is",
    "done",
    "finished",
    "we're",
    "i'm",
    "im",
    "am",
    "are",
    "set",
    "off",
    "wishes",
    "y",
    "e",
    "et",
    "und",
    "muchas",
    "mil",
    "muito",
    "beaucoup",
    "vielen",
    "dank",
    "mille",
    "schön",
    "lol",
    "haha",
    "cool",
    "awesome",
    "brilliant",
    "amazing",
    "wonderful",
    "excellent",
    "perfect",
    "personally",
    "have",
    "had",
    "been",
    "there",
}

# Insults aimed at the company with no reason: every word an insult or filler ("bunch of clowns",
# "absolute joke of a company", "you're all crooks", "Shambles.").
_INSULT_HEAD = {
    "suck",
    "sucks",
    "crooks",
    "clowns",
    "clown",
    "shambles",
    "shambolic",
    "disgrace",
    "disgraceful",
    "joke",
    "jokers",
    "rubbish",
    "useless",
    "terrible",
    "awful",
    "pathetic",
    "trash",
    "garbage",
    "crap",
    "crappy",
    "shit",
    "shite",
    "shitty",
    "idiots",
    "morons",
    "losers",
    "muppets",
    "cowboys",
    "incompetent",
    "worst",
    "horrible",
    "appalling",
    "shocking",
    "dreadful",
    "abysmal",
    "lousy",
    "bastards",
    "scum",
    "amateurs",
    "amateurish",
    "circus",
    "embarrassing",
    "laughable",
    "ridiculous",
    "disgusting",
    "hopeless",
    "atrocious",
    "stinks",
    "stink",
    "hate",
    "pants",
    "bollocks",
    "sham",
    "mess",
}
_INSULT_FILLER = {
    "you",
    "u",
    "ya",
    "you're",
    "youre",
    "ur",
    "are",
    "r",
    "all",
    "a",
    "an",
    "of",
    "company",
    "companies",
    "business",
    "firm",
    "outfit",
    "lot",
    "bunch",
    "what",
    "absolute",
    "absolutely",
    "total",
    "totally",
    "complete",
    "completely",
    "utter",
    "utterly",
    "such",
    "so",
    "just",
    "really",
    "the",
    "this",
    "that",
    "is",
    "was",
    "it",
    "its",
    "it's",
    "bloody",
    "fucking",
    "effing",
    "frankly",
    "honestly",
    "seriously",
    "ever",
    "in",
    "world",
    "history",
    "place",
    "people",
    "guys",
    "lol",
    "lmao",
    "haha",
    "omg",
    "wow",
    "simply",
    "pure",
    "plain",
    "big",
    "most",
    "go",
    "to",
    "off",
    "get",
    "lost",
    "period",
    "full",
    "stop",
    "bye",
    "goodbye",
    "never",
    "again",
    "i",
    "your",
    "yours",
    "one",
    "and",
    "load",
    "pile",
    "like",
    "literally",
    "joke",
    "hot",
    "do",
    "know",
    "thing",
    "corporation",
    "corporate",
    "greedy",
    "lazy",
    "too",
    "very",
    "pretty",
}
_KEEP_CANCEL = {
    "effective",
    "notice",
    "period",
    "writing",
    "request",
    "requested",
    "down",
    "profile",
    "auto-renew",
    "autorenew",
    "auto-renewal",
    "renew",
    "renewal",
    "deactivate",
    "deactivated",
    "suspend",
    "discontinue",
    "discontinued",
    "terminate",
    "my",
    "whole",
    "entire",
    "membership",
    "process",
    "processed",
    "processing",
    "asap",
    "straight",
    "forthwith",
    "immediate",
    "date",
    "end",
    "sign",
    "off",
    "turn",
    "it",
    "subscription",
    "sub",
    "cancel",
    "terminated",
    "of",
    "the",
}
_CANCEL_VERBS |= {
    "deactivate",
    "deactivated",
    "suspend",
    "discontinue",
    "discontinued",
    "terminated",
    "unsubscribing",
}
_CANCEL_FILLER |= _KEEP_CANCEL - _CANCEL_VERBS

_POINTER_MORE = re.compile(
    r"^(?:(?:please|pls|kindly|just)\s+)?(?:same as|you (?:already )?(?:have|know|got)|ask|told|i'?ve told|"
    r"i'?ve (?:already )?(?:said|explained|written|sent|given|told|mentioned)|i (?:already )?(?:filed|posted|wrote|"
    r"gave|sent|submitted)|(?:it'?s|its|it is|that'?s|everything'?s) (?:all )?(?:in|on)|look at|read|"
    r"ya (?:lo |te lo |se lo )?(?:dije|he dicho|expliqué|comenté)|(?:hab(?:e)? ich )?schon (?:gesagt|erklärt|geschrieben)|"
    r"(?:je l'ai )?déjà (?:dit|expliqué|écrit)|já (?:falei|disse|expliquei|escrevi)|(?:l'ho )?già (?:detto|spiegato))\b"
)
_POINTER_WORDS |= {
    "of",
    "gave",
    "give",
    "reasons",
    "retention",
    "guys",
    "filed",
    "posted",
    "cancellation",
    "writing",
    "people",
    "him",
    "lady",
    "man",
    "woman",
    "girl",
    "chap",
    "numerous",
    "multiple",
    "countless",
    "loads",
    "why",
    "know",
    "write",
    "told",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "post",
    "online",
    "in",
    "your",
    "you",
    "over",
    "again",
    "and",
    "already",
    "too",
    "colleague",
    "asked",
    "ask",
    "it's",
    "its",
    "all",
    "everything",
    "i",
    "submitted",
    "filled",
    "out",
    "exit",
    "request",
    "notes",
    "system",
    "au",
    "téléphone",
    "telefone",
    "telefon",
    "teléfono",
    "al",
    "ao",
    "im",
    "am",
    "por",
    "par",
    "la",
    "el",
    "le",
    "lo",
    "te",
    "se",
    "et",
    "e",
    "y",
    "und",
    "chat",
    "correo",
    "mail",
    "mensaje",
    "nachricht",
    "message",
    "mensagem",
    "messaggio",
    "agente",
    "agent",
    "vous",
    "ihnen",
    "dir",
    "usted",
    "você",
    "vocês",
    "ustedes",
    "euch",
    "many",
    "times",
    "lot",
    "pretty",
    "much",
    "clear",
    "clearly",
}


def _is_mash(token: str) -> bool:
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
    return any(token[:4] in row or token[:4] in row[::-1] for row in _KEY_ROWS)


def _is_date_or_number(token: str) -> bool:
    """ "31", "01/06", "2019", "1st": dates and numbers say when, not why."""
    return bool(re.fullmatch(r"\d+(?:st|nd|rd|th)?|\d{1,4}(?:[/.-]\d{1,4}){1,2}", token))


def _is_cancel_request(tokens: list[str]) -> bool:
    core = " ".join(tokens)
    has_request = any(t in _CANCEL_VERBS for t in tokens) or bool(_FINAL_PAPERS.search(core))
    return has_request and all(
        t in _CANCEL_VERBS or t in _CANCEL_FILLER or _is_date_or_number(t) for t in tokens
    )


# "reported 5 times", "complained twice": a contact repeated is an unresolved complaint, not a pointer
_CONTACTED = re.compile(
    r"\b(?:reported|complained|raised|called|emailed|contacted|rang|phoned|chased|wrote)\b"
)
_REPEATED = re.compile(
    r"\b(?:\d+|two|three|four|five|six|ten|several|many|multiple|numerous|countless|loads of) times\b|"
    r"\b(?:twice|repeatedly|again and again|over and over|every week|every month)\b"
)


def _is_pointer(core: str) -> bool:
    core = re.sub(r"^(?:n/a|na|none|nothing|no comment)\s+", "", core)  # "N/A - see ticket 2290143"
    if _CONTACTED.search(core) and _REPEATED.search(core):
        return False
    for start in (_POINTER_START, _POINTER_MORE):
        m = start.match(core)
        if m and all(
            t in _POINTER_WORDS or _is_date_or_number(t) or t.startswith("#") for t in core[m.end() :].split()
        ):
            return True
    return False


def _is_polite(core: str) -> bool:
    if _ONLY_POLITE.match(core):
        return True
    rest, n = _POLITE_PHRASE.subn(" thanks ", _THANKS_FOR.sub(" thanks ", core))
    tokens = rest.split()
    return any(t in _POLITE_HEAD for t in tokens) and all(
        t in _POLITE_HEAD or t in _POLITE_FILLER or (len(t) == 1 and t.isalpha()) for t in tokens
    )


def _is_insult(core: str, tokens: list[str]) -> bool:
    if _INSULT.match(core):
        return True
    return any(t in _INSULT_HEAD for t in tokens) and all(
        t in _INSULT_HEAD or t in _INSULT_FILLER for t in tokens
    )


def _clean(text: str) -> str:
    """Lower-case words of an answer without placeholders, punctuation, emoji or markup."""
    core = re.sub(r"\[(?:person|email|phone|account|card|address|url)\]", " ", text.lower())
    core = core.replace("’", "'")
    core = re.sub(r"[^\w\s'/#*-]", " ", core)
    core = re.sub(r"(?<!\w)[#*]+(?!\w)|(?<=\w)[*]+(?!\w)|(?<!\w)-+|-+(?!\w)|(?<!\w)'|'(?!\w)|_+", " ", core)
    return _WS.sub(" ", core).strip(" -'/")


def _strip_edges(tokens: list[str]) -> list[str]:
    while tokens and tokens[-1] in _FILLER_EDGE:
        tokens = tokens[:-1]
    while tokens and tokens[0] in _FILLER_EDGE:
        tokens = tokens[1:]
    return tokens


def _piece_is_non_answer(core: str) -> bool:
    """One sentence or clause (already cleaned) that carries no reason."""
    if core in _NON_ANSWERS or not any(ch.isalnum() for ch in core):
        return True
    tokens = core.split()
    if (
        any(p.match(core) for p in _NON_ANSWER_PATTERNS)
        or _NOTHING_MORE.match(core)
        or _SEE_ABOVE.match(core)
        or _WANT_OUT.match(core)
    ):
        return True
    if all(_is_mash(t) or t in _NA_TOKENS for t in tokens) and len(tokens) <= 4:
        return True
    if len(set(tokens)) == 1 and len(tokens) > 1 and tokens[0] in _NON_ANSWERS:
        return True
    if _is_polite(core) or _is_insult(core, tokens):
        return True
    if _is_cancel_request(_DONT_RENEW.sub("cancel", core).split()) or _is_pointer(core):
        return True
    inner = _strip_edges(tokens)
    if inner and inner != tokens:
        return _piece_is_non_answer(" ".join(inner))
    return False


_PIECES = re.compile(r"[.!?;,:\n]+\s*|\s+[-–—~]+\s+|\s*\(\s*|\s*\)\s*")


def is_non_answer(text: str) -> bool:
    """True for answers that carry no reason: "n/a", "no comment", "asdf", emoji only,
    "see previous email", "thanks, bye", "please cancel my account", "see ticket #4411",
    "you suck", "bunch of clowns", "see above", bare markup, punctuation, placeholders only ...

    Conservative: any word of a reason keeps the answer ("cancel because too expensive",
    "cancel: price", "as discussed, the price"). Works on raw or normalised text; needs no model.
    An answer of several sentences or clauses is a non-answer when each of them is one
    ("Please cancel. Thanks.", "Shambles, bye").
    """
    norm = _SHRUG.sub(" ", normalize(text)).lower()
    if not any(ch.isalnum() for ch in norm):
        return not _MONEY.search(norm)  # empty, bare markup, punctuation, emoji only; "$$$" says price
    core = _clean(norm)
    if _piece_is_non_answer(core):
        return True
    pieces = [_clean(p) for p in _PIECES.split(norm)]
    pieces = [p for p in pieces if p and not (len(p) == 1 and p.isalpha())]  # initials: "Best, J."
    return bool(pieces) and all(_piece_is_non_answer(p) for p in pieces)


# "because ...", "as the price ...": an explicit reason, which the head must not call a non-answer
_REASON_CUE = re.compile(
    r"(?i)\b(?:because|cause|cuz|coz|bc|due to|owing to|thanks to|the reason (?:is|was|being)|reason being|"
    r"since (?:the|you|your|it|i|we|they)|as (?:the|your|you|it|i|we|they)|porque|weil|parce que|perch[eé]|"
    r"por causa|debido a|wegen|à cause)\b\W+\w+\W+\w+"
)


def has_reason_cue(text: str) -> bool:
    """Does the answer state a reason explicitly ("cancel because of the price")?"""
    return bool(_REASON_CUE.search(text))
