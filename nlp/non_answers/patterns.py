"""The non-answer rules' regular expressions: whole-answer shapes and the phrases each kind strips.

Kept apart from the word lists (``words``) and the logic that combines them (``kinds``, ``detect``).
"""

from __future__ import annotations

import re

KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")

NON_ANSWER_PATTERNS = [
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
    # a mail client's line: "Sent from my iPhone", "Get BlueMail for Android", "Von meinem iPhone gesendet"
    re.compile(
        r"^(?:sent from my|get outlook for|sent from|enviado desde mi|enviado do meu|enviado de meu|envoyé de mon|"
        r"envoyé depuis mon|gesendet von meinem|von meinem) (?:\w+ ?){1,3}$|^get \w+(?: \w+)? for (?:android|ios|iphone|windows|mac)$"
    ),
    # "nothing to say" in es/pt/fr/de: "no tengo nada que decir", "je n'ai rien à ajouter"
    re.compile(
        r"^(?:no (?:tengo|hay)|não (?:tenho|há)|je n'ai|il n'y a|ich habe|es gibt)? ?(?:nada|rien|nichts)"
        r"(?: (?:más|mais|de plus|plus|weiter|mehr))? (?:que|a|à|de|zu) (?:decir|dizer|dire|sagen|añadir|acrescentar|"
        r"ajouter|hinzuzufügen|comentar|commenter|declarar|déclarer|signaler|melden)$"
    ),
    # "no reason", "no particular reason really", "no real reason, just felt like it"
    re.compile(
        r"^(?:(?:there'?s|there is|there was|i have|i had|for) )?(?:no|not any|not a|without any?) "
        r"(?:real |particular |specific |special |big |good |actual )?reasons?"
        r"(?: for (?:leaving|going|cancell?ing|quitting|it|this|that))?"
        r"(?: (?:really|at all|in particular|tbh|honestly|just because|just felt like it|i just felt like it|given))*$"
    ),
    # "kein besonderer Grund", "nada en especial", "rien de particulier", "nenhum motivo especial"
    re.compile(
        r"^(?:(?:kein|keinen) (?:besondere[rn]?|bestimmte[rn]?|spezielle[rn]?|echte[rn]?) grund|"
        r"(?:nada|nothing) (?:en |de )?(?:especial|particular|concreto)|(?:ningún|ningun|sin) motivo(?: (?:en )?(?:especial|particular))?|"
        r"rien de (?:particulier|spécial|special)|(?:aucune|pas de|sans) raison(?: (?:particulière|précise|spéciale))?|"
        r"nenhum motivo(?: (?:especial|em especial|particular))?|sem motivo(?: especial)?|nada de especial|nada em especial)"
        r"(?: (?:really|wirklich|realmente|vraiment))?$"
    ),
    re.compile(
        r"^(?:danke|merci|gracias|obrigad[oa]) (?:der nachfrage|de (?:demander|preguntar|perguntar)|pela pergunta|pour la question)$"
    ),
    re.compile(
        r"^why (?:did|do|would|are) (?:you|i|we) (?:leave|leaving|cancel|cancelling|go|quit)\b.{0,25}$"
    ),
    # "not going into it here", "I'd rather not get into the details"
    re.compile(
        r"^(?:i'?m |i am |i'?d |i would |rather |i )?(?:rather )?(?:not|don'?t want to|do not want to|won'?t|will not) "
        r"(?:go|going|get|getting) into (?:it|that|this|details?|the details|the reasons?)(?: here| now| right now| sorry)*$"
    ),
]

# A letter's opening with nothing after it ("Dear Customer Services,", "To whom it may concern:"),
# matched on the text with its punctuation: "too dear" or "dear god, the price" are not openings.
SALUTATION = re.compile(
    r"^(?:dear|to whom it may concern|attn|attention|estimad[oa]s?|sehr geehrte[rn]?|liebe[rs]?|"
    r"madame|monsieur|prezad[oa]s?|car[oa]s?)(?:\s+[\w'&./-]+){0,4}\s*[,:]$"
)
# An auto-reply pasted in ("Out of office: I am away until Monday", "Automatic reply: ...").
AUTO_REPLY = re.compile(
    r"^(?:automatic reply|auto-?reply|out of office(?: reply| auto-?reply)?\s*:|i am (?:currently )?out of the office\b|"
    r"abwesenheitsnotiz|réponse automatique|respuesta automática|resposta automática)"
)
# The language of auto-replies and bounces anywhere in the answer, in five languages: the
# machine's own words ("this is an automated message", "do not reply", "mailbox is not monitored"),
# not a complaint about them ("support only sent an auto-reply") ...
AUTO_REPLY_WORDS = re.compile(
    r"\bthis is an? (?:automatic|automated|auto)[- ]?(?:reply|response|message|e-?mail|notification)\b|"
    r"\b(?:automatically|auto)[- ]generated\b|\bplease do not reply\b|"
    r"\b(?:do not|don'?t) reply to this (?:e-?mail|message|address)\b|"
    r"\b(?:mailbox|inbox|address) (?:is not|isn'?t) monitored\b|\bunmonitored (?:mailbox|inbox|address)\b|"
    r"\blimited access to (?:my )?e-?mails?\b|\b(?:your|the) (?:request|message|e-?mail) has been received\b|"
    r"\bmensaje automático\b|\bpor favor,? no (?:responda|conteste)\b|"
    r"\bautomatische antwort\b|\babwesenheits(?:notiz|nachricht)\b|"
    r"\bmessage automatique\b|\bmerci de ne pas (?:y )?répondre\b|"
    r"\bmensagem automática\b|\bpor favor,? não responda\b"
)
# ... or someone away now and back on a date ("Out of office - back Monday", "I am on annual leave
# until the 3rd", "Estoy de vacaciones ... a mi regreso"); "we were away until June" is a reason.
AWAY = re.compile(
    r"^(?:out of (?:the )?office|ooo)\b|"
    r"\b(?:i am|i'?m|currently|presently|estoy|ich bin|bin|je suis|estou)\s+(?:\S+\s+){0,4}?"  # "bin bis 20.08. nicht im Büro"
    r"(?:on (?:annual |parental |maternity |paternity |sick )?leave|"
    r"on holiday|on vacation|away|out of (?:the )?office|de vacaciones|fuera de la oficina|im urlaub|"
    r"nicht im büro|en congés?|en vacances|absente?|de férias|fora do escritório)\b"
)
BACK = re.compile(
    r"\b(?:until|till|back (?:on |in |from )?(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|next|the|\d)|"
    r"when i (?:return|am back|get back|'m back)|on my return|upon my return|"
    r"a mi (?:regreso|vuelta)|hasta el|bis (?:zum|einschließlich)|wieder (?:erreichbar|da|im büro)|"
    r"dès mon retour|à mon retour|jusqu'au|quando voltar|até (?:o )?dia|no meu retorno)"
)

# Polite filler that carries no reason: a whole answer made only of these is a non-answer
# ("thanks, bye", "all good", "ok thank you, have a nice day").
POLITE = (
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
ONLY_POLITE = re.compile(rf"^{POLITE}(?:[\s,]+{POLITE})*$")

# "Send the final invoice" is the same kind of bare administrative request as "cancel".
FINAL_PAPERS = re.compile(r"\bfinal (?:invoice|bill|statement)s?\b")

# A pointer to something said elsewhere, with nothing else: "see my previous email", "as
# discussed with your agent", "see ticket #4411", "I already explained this on the phone".
POINTER_START = re.compile(
    r"^(?:(?:please|pls|kindly|just)\s+)?(?:see|refer to|check|read|look at|look up|view|consult|as per|per|"
    r"re|ref|regarding|ver|siehe|voir|veja|it'?s (?:all )?in|it is (?:all )?in|all in|details in|everything is in|explained in|"
    r"as (?:i |we )?(?:already |have |'ve |had )?(?:discussed|explained|mentioned|stated|agreed|said|written|noted|"
    r"requested|per|told(?: you)?|wrote)|"
    r"(?:i )?(?:have |'ve |had )?(?:already )?(?:discussed|explained|told|said|wrote|written|emailed|sent|"
    r"called|mentioned|raised|reported|gave|given|answered|spoke|spoken|talked|complained|rang|phoned)|already|"
    # someone else said it: "my husband rang you about this last week"
    r"(?:my |our )?(?:office |account |practice |line )?(?:husband|wife|partner|son|daughter|mum|mom|dad|mother|father|colleague|manager|boss|accountant|"
    r"solicitor|lawyer|assistant|carer|pa)(?: (?:already|has|had|have))* (?:rang|called|phoned|emailed|e-mailed|wrote|spoke|"
    r"told|explained|contacted|sent|messaged|filled)|"
    # "reason already given in the app"
    r"(?:my |the |our )?reasons? (?:(?:was|were|has been|have been|is|are|already) )*(?:given|stated|explained|provided|"
    r"sent|covered|submitted|entered|put))\b"
)

POINTER_MORE = re.compile(
    r"^(?:(?:please|pls|kindly|just)\s+)?(?:same as|you (?:already )?(?:have|know|got)|ask|told|i'?ve told|"
    r"i'?ve (?:already )?(?:said|explained|written|sent|given|told|mentioned)|i (?:already )?(?:filed|posted|wrote|"
    r"gave|sent|submitted)|(?:it'?s|its|it is|that'?s|everything'?s) (?:all )?(?:in|on)|look at|read|"
    r"(?:i )?(?:already |'ve |have )?covered (?:this|it|that|everything)|"
    r"(?:i )?(?:already |'ve |have )*put (?:it|them|this|that|everything|my reasons?)(?: all)?|"
    r"ya (?:lo |te lo |se lo )?(?:dije|he dicho|expliqué|comenté)|(?:hab(?:e)? ich )?schon (?:gesagt|erklärt|geschrieben)|"
    r"(?:je l'ai )?déjà (?:dit|expliqué|écrit)|já (?:falei|disse|expliquei|escrevi)|(?:l'ho )?già (?:detto|spiegato)|"
    r"como (?:(?:le|te|les|se lo|lo|ya) )*(?:dije|expliqué|comenté|indiqué|hablé)|"
    r"como (?:eu )?(?:já )?(?:disse|expliquei|falei|informei)|comme (?:je (?:l'ai|vous l'ai) )?(?:dit|expliqué|indiqué))\b"
)


# An insult aimed at the company with no reason attached ("you suck", "screw you").
INSULT = re.compile(
    r"^(?:(?:lol|lmao|omg|honestly|seriously|just|well|ok|whatever)\s+)*"
    r"(?:(?:you|u|ya|y'all|you guys|you people|your company|this company|you lot)\s+"
    r"(?:all\s+|really\s+|just\s+|totally\s+|seriously\s+)*(?:suck|sucks|stink|stinks|blow|are (?:the worst|trash|garbage|"
    r"rubbish|crap|pathetic|a joke|clowns|idiots|morons|losers|useless|awful|terrible|horrible|a disgrace|"
    r"shit|shite|pants)|r (?:trash|garbage|idiots))|"
    r"(?:screw|f\*+k|fuck|fck|f) (?:you|u|off|this|you all|you guys)|go to hell|get lost|bite me|get stuffed|up yours|"
    r"shame on (?:you|you all|you guys)|good riddance|sort (?:yourselves|yourself|it) out|do better|"
    r"(?:idiots|morons|losers|clowns|muppets|jokers|trash|garbage|rubbish|crap|pathetic|lame|"
    r"worst company ever|worst company|what a joke|joke company|clown company)|"
    r"(?:you'?re|you are|ur|u r|your company is|this company is|you guys are|you lot are)\s+(?:such\s+|just\s+|really\s+)?"
    r"(?:an? )?(?:joke|disgrace|scam|shambles|clowns|idiots|morons|trash|garbage|rubbish|useless|pathetic|the worst)"
    r"(?:\s+of an?\s+(?:company|business|bank|service|firm|provider|outfit|gym|shop))?)"
    r"(?:\s+(?:lol|lmao|haha|bye|goodbye|ever|forever|big time|so much|all of you|guys|mate|again|period))*$"
)


# "It was simply time.", "just time to move on", "it's time for me to go": leaving, no reason.
JUST_TIME = re.compile(
    r"^(?:(?:it'?s|its|it is|it was|it felt|felt like)\s+)?(?:(?:just|simply|about|high|probably|really)\s+)*time"
    r"(?:\s+(?:for (?:me|us)\s+)?to (?:move on|go|leave|say goodbye|call it a day|stop|cancel|close (?:it|the account)))?$"
)
NOTHING_MORE = re.compile(
    r"^(?:i (?:have|got) |i've |we have |we've |there's |there is )?(?:no|nothing|none|not much|nothing much)"
    r"(?: (?:further|more|other|additional|else|real|particular|specific|much|really|at all|in particular|special))*"
    r"(?: (?:comment|comments|feedback|thoughts|remarks|input|suggestions|answer|complaints?|issues?|problems?|"
    r"worries|opinion|to (?:declare|add|say|report|mention|share|tell|comment|note)))?"
    r"(?: (?:really|at all|here|from me|thanks|thank you|to add|to share|on this|about it|to it))*$"
)
SEE_ABOVE = re.compile(
    r"^(?:please )?(?:see|as|same as|refer to|read|look|check) (?:above|before|up|"
    r"(?:my |the )?(?:previous|earlier|last|other|first) (?:answer|question|reply|response|comment|box|field)s?|"
    r"my (?:answer|reply|response|comment)s? (?:above|before)|(?:the )?(?:answer|comment|reply)s? above)$"
)
WANT_OUT = re.compile(
    r"^(?:i |we )?(?:just )?(?:want|wanna|would like|need) (?:out|to (?:leave|go|quit|get out))"
    r"(?: now| asap| please| of (?:this|it))*$|^(?:i'?m|i am|we'?re|we are) out$|"
    r"^(?:get|let) (?:me|us) (?:out|go|leave)(?: of (?:here|this|it))?$"
)
# A go-ahead with nothing else, a cancel request in other words: "just do it please", "no, go ahead".
GO_AHEAD = re.compile(
    r"^(?:(?:just|please|pls|then|now|ok|okay|yes|yeah) )*(?:do it|go ahead|proceed|process it|get it done|"
    r"get on with it|carry on|sort it|put it through)(?: (?:please|pls|now|then|thanks|asap|anyway))*$"
)
# A score with nothing else ("8", "7/10", "3 out of 5", "9 stars"): how much, not why.
SCORE_ONLY = re.compile(r"^(?:10|\d)(?:[.,]5)?(?: ?(?:/|out of|of) ?(?:5|10))?(?: ?(?:stars?|points?|pts))?$")
DONT_RENEW = re.compile(
    r"\b(?:please )?(?:don'?t|do not|dont|won'?t be|will not be|not) (?:auto[- ]?)?renew(?:ing)?\b"
)
# Markup that is not HTML: BBCode, template placeholders never filled in, entities escaped twice,
# escape sequences typed out ("[quote][/quote]", "{{answer}}", "%s", "&amp;nbsp;", "\\n").
MARKUP = re.compile(r"\[/?[a-z]+(?:=[^\]]*)?\]|\{\{[^}]*\}\}|\{[a-z_]+\}|%[sd]\b|\$[a-z_]+\b|&#?\w+;|\\[ntr]")
# Only a reference to a ticket, order or account ("ticket [ACCOUNT]", "re: case #88123").
# The survey's own field label copied back with nothing after it: "Reason for leaving:", "Comments:",
# "Motivo:", "Grund der Kündigung:". A word after the colon is the answer ("Reason: moved abroad").
FORM_LABEL = re.compile(
    r"^\s*(?:(?:your|my|main|other|any|additional|the)\s+)*(?:reasons?|comments?|feedback|notes?|answer|response|"
    r"other|details|motivo|raz[oó]n|grund|raison|motif|commentaires?|comentarios?|anmerkungen?)"
    r"(?:\s+(?:for|of|de|der|du|para|pour|por|zur?)\s+(?:\w+\s+)?(?:leaving|cancell?ing|cancell?ation|quitting|closing|"
    r"churn|la baja|cancelaci[oó]n|k[uü]ndigung|r[ée]siliation|d[ée]part|cancelamento|sa[ií]da))?\s*[:?.-]*\s*$",
    re.IGNORECASE,
)
REFERENCE_ONLY = re.compile(
    r"^(?:(?:my|the|our|re|ref|see|for|regarding)\s*:?\s+)*"
    r"(?:ticket|case|order|account|reference|ref|booking|customer|member|claim|complaint)?"
    r"(?:\s+(?:number|no\.?|id|ref|reference|nr|#))*\s*(?:is|was|:)?\s*(?:\[account\]|#?\d{4,})\W*$"
)
MONEY = re.compile(r"[$£€¥💸💰🤑]")
SHRUG = re.compile(r"¯\\?_\(ツ\)_/¯|\(ツ\)")

# Polite closings: after "thanks for ..." phrases are taken out, every word is a closing or filler.
THANKS_FOR = re.compile(
    r"\b(?:thanks?|thank you|thank u|thx|ty|cheers|grateful|gracias|merci|danke|obrigad[oa]|grazie) "
    r"(?:(?:you|so much|a lot|very much|again) )*(?:for|por|pour|für|per|di|pelo|pela|por) "
    r"(?:(?:the|all|your|these|those|that|many|great|good|lovely|wonderful|past|last|few|two|three|four|five|ten|"
    r"several|years?|months?|service|services|support|help|memories|ride|time|times|everything|asking|having|me|"
    r"us|of|membership|custom|business|patience|opportunity|servicio|serviço|dienst|putting up with me|putting up with us|work|care|experience|journey|todo|tudo|tout|alles|tutto|"
    r"la|el|le|die|das|o|a|il|lo|les|los|your|efforts?|offers?|emails?|survey|the|it|this|trying|over|"
    r"good times|great times)\b ?)+"
)
POLITE_PHRASE = re.compile(
    r"\bkeep up the good work\b|\bkeep it up\b|\bno (?:problems?|worries|issues|complaints|hard feelings)\b|"
    r"\b(?:it'?s|its|it has|it's|this has) been (?:a )?(?:good|great|nice|fun|long|lovely|grand) (?:run|ride|journey|time|one)\b|"
    r"\b(?:going forward|in the future|for the future|over the years|for having me|peace out|much love|time flies)\b|"
    r"\b(?:i'?ve|i have|we'?ve|we have|i was|we were|been)(?: been)? (?:a |your )?(?:loyal |long[- ]time )?"
    r"(?:member|customer|client|subscriber|user)s?(?: (?:since \d{4}|for (?:\d+|many|a few|two|three|four|five|ten) years?))?\b|"
    r"\bthat'?s (?:me|us|it) (?:done|finished|off|out)\b|\bsigning off\b|"
    r"\b(?:(?:i |we )?appreciate (?:you |your )?)?(?:reaching|checking|following) (?:out|in|up)(?: (?:to|with|on) (?:me|us))?(?: personally)?\b|"
    r"\b(?:thanks|thank you|merci|danke|gracias|obrigad[oa]) (?:in advance|d'avance|im voraus|de antemano|desde já)\b|"
    r"\ball (?:sorted|squared away|settled)(?: now)?\b|\bgod bless(?: you| you all| everyone)?\b|\bso long\b|"
    r"\b(?:it was|it's been|its been|it has been|was|been) (?:nice|good|great|fun|lovely|a (?:real )?pleasure|fine|ok|okay)"
    r"(?: while it lasted| knowing you| working with you)?\b|\bwhile it lasted\b|"
    r"\ball the (?:best|very best)(?: (?:to|for) (?:you|the team|everyone|you all|all|the future))?\b|"
    r"\b(?:wishing|wish) (?:you|the (?:whole )?team|everyone|you guys|y'?all|all of you)(?: all)? "
    r"(?:the (?:very )?best|well|luck|success|all the best|every success|lots of success|continued success)\b|"
    r"\bgood luck(?: (?:with|to|for|in) (?:everything|the future|the business|you|all|you all))?\b|"
    r"\bhave a (?:nice|good|great|lovely|fab|wonderful) (?:day|one|weekend|evening|week|life|time)\b|"
    r"\btake care\b|\bbest (?:wishes|regards)\b|\b(?:kind|warm|warmest) regards\b|\bsee (?:you|ya)(?: around| later)?\b|"
    r"\bmuch appreciated\b|\bappreciate it\b|\byou(?: guys| all| lot| folks)?(?: were| have been|'ve been| are) (?:great|lovely|fine|good|brilliant|amazing|fab|super|awesome)\b|"
    r"\beverything (?:was|is) (?:fine|ok|okay|good|great)\b|\ball (?:good|fine|great|ok|okay|done|set)\b|"
    r"\b(?:bonne|buena|boa|buona|viel) (?:continuation|chance|suerte|sorte|fortuna|erfolg|journée|journee)\b|"
    r"\b(?:alles gute|au revoir|à bientôt|a bientot|hasta luego|hasta pronto|auf wiedersehen|até logo|até mais|"
    r"mit freundlichen grüßen|viele grüße|liebe grüße|cordiali saluti|un saludo|muchas gracias|muito obrigad[oa]|"
    r"merci beaucoup|vielen dank|danke schön|mille grazie|grazie mille)\b"
)

# "reported 5 times", "complained twice": a contact repeated is an unresolved complaint, not a pointer
CONTACTED = re.compile(  # the customer did it, not "I have been asked to fill this in three times"
    r"(?<!been )(?<!was )(?<!were )(?<!being )"
    r"\b(?:reported|complained|raised|called|emailed|contacted|rang|phoned|chased|wrote|asked)\b"
)
REPEATED = re.compile(
    r"\b(?:\d+|two|three|four|five|six|ten|several|many|multiple|numerous|countless|loads of) times\b|"
    r"\b(?:twice|repeatedly|again and again|over and over|every week|every month)\b"
)


# A complaint the head may read as small talk in a longer answer: something done again and again
# ("you keep saying you'll pass it on", "it kept logging me out") or a breach of trust ("you already
# sell everything about me", "my details were leaked"). Not "keep doing what you're doing".
COMPLAINT_CUE = re.compile(
    r"(?i)\b(?:you|it|they|he|she|someone|somebody|(?:the|your|this) \w+) (?:keep|keeps|kept) (?:on )?\w+ing\b|"
    r"\b(?:sell|sells|sold|selling|leak|leaks|leaked|breach|breached|hacked)\b|"
    # done behind the customer's back: "renewed without telling me", "charged me without asking"
    r"\bwithout (?:(?:even |ever |first )?(?:telling|asking|warning|notifying|informing|consulting)|(?:any |a |my )?(?:notice|warning|"
    r"consent|permission|reminder|knowledge|agreement))\b|"
    # a reason just given: "you know too much about me, that's the problem"
    r"\b(?:that'?s|that is|which is|this is) (?:the|my|our) (?:whole |real |main |only )?(?:problem|issue|reason)\b"
)

# "because ...", "as the price ...": an explicit reason, which the head must not call a non-answer
REASON_CUE = re.compile(
    # "because of the price", not "getting in touch because I'd like to cancel"
    r"(?i)\b(?:because(?! (?:i'?d|i would|i want|i wish|we'?d|we would|we want) (?:like )?to "
    r"(?:cancel|close|end|terminate|stop|let you know|confirm|give notice|inform))|cause|cuz|coz|bc|due to|owing to|the reason (?:is|was|being)|reason being|"
    # "thanks to the price rise", not "many thanks to the whole crew"
    r"thanks to(?! (?:(?:the|all the|our|my|every|each) )?(?:whole |entire |lovely |wonderful |great |friendly )?"
    r"(?:team|crew|staff|everyone|everybody|all|you|people|coaches|guys|folks|\[person\]))|"
    # "as the app kept crashing", not "as I told the driver" (a pointer to earlier contact)
    r"since (?:the|you|your|it|i|we|they)|as (?:the|your|you|it|they|(?:i|we)(?! (?:already |have |had |previously )*"
    r"(?:told|said|mentioned|explained|discussed|wrote|stated|spoke|informed|advised)))|"
    r"porque|weil|parce que|perch[eé]|"
    r"por causa|debido a|wegen|à cause)\b\W+\w+\W+\w+"
)
# A reason named in a word or two, vague but a reason (bench/data/README.md): "personal reasons",
# "religious reasons", "wasn't for me", "didn't suit us", "pas pour moi", "no era para mí".
REASON_SHAPE = re.compile(
    r"(?i)\b(?:personal|family|health|medical|religious|moral|ethical|financial|political)\s+reasons?\b|"
    r"\b(?:razones|motivos)\s+(?:personales|pessoais|familiares|de salud|de saúde|religiosos)\b|"
    r"\b(?:persönliche|familiäre|gesundheitliche|religiöse)\s+gründe\b|"
    r"\braisons\s+(?:personnelles|familiales|de santé|religieuses)\b|"
    r"\b(?:(?:was|is)n'?t|not|never)\s+(?:really\s+)?(?:for\s+(?:me|us)|my\s+thing|a\s+(?:good\s+)?fit)\b|"
    r"\bdid\s?n'?t\s+suit\s+(?:me|us)\b|\bpas\s+pour\s+(?:moi|nous)\b|\bno\s+era\s+para\s+(?:mí|mi|nosotros)\b|"
    r"\bnão\s+era\s+(?:pra|para)\s+(?:mim|nós)\b|\bnicht\s+(?:das\s+richtige\s+)?für\s+(?:mich|uns)\b|"
    # a death or a move into care: "account holder deceased", "my father passed away", "our late mum"
    r"\b(?:deceased|passed away|died|bereave\w*|going into (?:a )?care|(?:into|in) a care home|"
    r"(?:our|my|his|her) late (?:mum|mom|mother|father|dad|husband|wife|partner|son|daughter|brother|sister)|"
    r"verstorben|fallecid[oa]|falleció|décédée?|est décédé|falecid[oa]|faleceu)\b"
)
