"""What a real channel wraps around an answer, taken out so the customer's own words decide.

Answers reach the survey through e-mail, phone and chat, and some carry nothing of the
customer's: an out-of-office reply, a bounce, a voicemail greeting or a dropped call's
transcript, a chat where the customer only said hi and bye, a forwarded receipt, invoice, order
confirmation or shipping notice with no comment, "see attached", the survey's form fields left
blank ("Reason: N/A", "-- Select one --"), a tracking pixel or the HTML and MIME remnants of a
mail. :func:`strip_channel` takes that furniture out, sentence by sentence, and says whether it
found any; :func:`nlp.non_answers.is_non_answer` then judges what is left ("I'm on annual leave
until 2 September. To answer your question: we went with HubSpot" keeps its reason; a forwarded
receipt under "this is the double charge I mean" keeps the comment).

Conservative: a sentence with a complaint's words ("never", "but", "because", "twice", "too",
"still", "cheaper", a first-person "I"/"my" beside a receipt's amounts) is never furniture, so
"Tracking says delivered but nothing arrived" under a shipping notice stays the answer.
"""

from __future__ import annotations

import re

from ..mail_furniture import (
    BEGIN_FORWARDED,
    CLIENT_LINE,
    CLOSING_LINE,
    FORWARDED,
    HELLOS,
    ORIGINAL,
    SUBJECT_PREFIX,
    WROTE_END,
    is_footer_line,
    opens_quote,
)

# Markup and mail encoding: tags, entities, quoted-printable breaks, MIME lines, inline images.
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|[a-z]+);")
_QP = re.compile(r"=20\b|=\n|=3D")
_MIME = re.compile(
    r"(?im)^\s*(?:content-(?:type|transfer-encoding|disposition)|mime-version)\s*:[^\n]*$|^\s*--=?_?[\w.=-]*part[\w.=-]*\s*$"
)
_INLINE = re.compile(
    r"(?i)\[(?:cid|image|attachment|file|img)\s*:[^\]]*\]|<(?:attachment|image|file)\s*:[^>]*>|"
    r"\[(?:image|attachment|photo|picture|screenshot|bild|anhang|imagen|adjunto|pièce jointe)\]"
)
# Transcripts: who speaks. The company's side (agent, bot, IVR) is dropped; the customer's label
# is taken off and the words kept. Stage directions in brackets ("[call disconnected]") go.
_COMPANY = (
    r"agent|bot|assistant|virtual assistant|ivr|operator|advisor|adviser|representative|"
    r"conseill[eè]re?|agente|atendente|asesora?|berater(?:in)?|mitarbeiter(?:in)?|opérateur|operador[a]?"
)
_CUSTOMER = r"customer|caller|visitor|user|client|cliente|kunde|kundin|me|member|guest|you|speaker \d"
_SPEAKER = re.compile(
    rf"(?i)(?:^|(?<=\s))(?:\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]\s*)?({_COMPANY}|{_CUSTOMER})\s*:\s*"
)
_STAGE = re.compile(
    r"\[\d{1,2}:\d{2}(?::\d{2})?\]|\[[^\]\n]{0,40}\b(?:call|chat|line|silence|inaudible|unintelligible|beep|tone|music|hung up|disconnected|"
    r"dropped|ended|end of|transcript|timed out|no speech|pause|crosstalk|\d+\s?s)\b[^\]\n]{0,40}\]|"
    r"\((?:no speech|inaudible|unintelligible|silence|no audio|no message|beep|music)[^)\n]{0,60}\)",
    re.IGNORECASE,
)
_SYSTEM_LINE = re.compile(
    r"(?i)^\s*(?:(?:the )?(?:visitor|customer|caller|user|client) (?:has )?(?:(?:left|ended|closed|disconnected) the (?:chat|call|conversation|session)|hung up)"
    r"|chat (?:ended|closed|timed out)|(?:caller|customer) (?:pressed|selected) \w+)\b[^\n]*$"
)
# A channel's label in front of the words ("Voicemail transcription:", "Call summary:") and the
# customer's lead-in to a reason under an auto-reply ("To answer your question:", "Sobre a pesquisa:").
_LABEL = re.compile(
    r"(?i)^\s*(?:(?:automated |call |chat )?transcript(?:ion)?|(?:voicemail|call|chat) (?:transcript(?:ion)?|summary|recording)|"
    r"voicemail|mailbox-nachricht|message vocal|buzón de voz|correio de voz|caller message|"
    r"(?:but )?to answer your question(?: quickly)?|re your survey|(?:update|fyi) from me[^:]{0,30}|"
    r"sobre a pesquisa|respecto a la encuesta|pour votre question|kurz zu ihrer frage|fyi|p\.?s\.?)\s*(?:[:,-]\s*|$)"
)
# A sentence of pleasantries only: a letter's greeting (:data:`.mail_furniture.HELLOS`) or a
# chat's hellos, yeses, thanks and goodbyes ("hi", "ok thanks bye", "um").
_GREETING = re.compile(
    rf"(?i)^(?:(?:{HELLOS}|salut|ciao|yeah|yes|ok|okay|thanks?|thank you|danke|merci|"
    r"gracias|obrigad[oa]|bye|goodbye|tschüss|au revoir|adiós|tchau|no thanks|nein danke|non merci|no gracias|"
    r"sorry|um+|uh+|\?+|\.+)[\s,!.?]*)+$"
)
_TITLE_WORDS = frozenset(
    "achats ventes compras ventas vendas einkauf commercial comercial financeira financiero office".split()
)
_EXT = re.compile(r"(?i)\bext\.?\s*\d+")
# Sentences that are the channel's own: auto-replies, bounces, voicemail and IVR, receipts, the
# survey's invitation quoted back, attachments pointed at, form labels.
# The survey invitation's own words, quoted back: furniture in a reply, and a mail server's words in a bounce.
_SURVEY_ASKS = r"sorry to see you go|tell us why|why you (?:left|cancell?ed|are leaving|decided)|"
_FURNITURE = re.compile(
    r"(?:"
    # out of office and auto-acknowledgements (en, de, fr, es, pt)
    r"\b(?:(?:limited|no) access to (?:my )?e-?mails?|will (?:return|be back|respond|reply|get back)|"
    r"(?:your|this) (?:message|e-?mail) will not be forwarded|for urgent (?:matters|enquiries|requests)|"
    r"(?:this|my) (?:e-?mail )?address is no longer (?:in use|active|monitored)|update your records|"
    r"(?:i'?ve|i have) (?:changed jobs|left the company)|(?:thanks|thank you) for (?:getting in touch|contacting us|your (?:e-?mail|message|note|mail))|"
    r"(?:i'?m|i am) (?:away|travell?ing|on holiday|on vacation)\b[^.]*\b(?:until|till|back)\b|"
    r"(?:we|i)'?ll (?:get back|respond|reply|be in touch)|get back to you|thanks for reaching out|a member of (?:our|the) team will|we(?:'ve| have) received your (?:message|e-?mail|request)|your ticket number is|"
    r"(?:mailbox|inbox) is not monitored|do not reply to this|automatic reply|auto-?reply|out of office(?! hours))\b|"
    r"wieder erreichbar|nicht weitergeleitet|in dringenden fällen|abwesenheitsnotiz|"
    r"vielen dank für ihre nachricht|"
    r"accès limité|dès mon retour|je vous répondrai|réponse automatique|"
    r"merci (?:pour|de) votre (?:message|e-?mail)|"
    r"sin acceso al correo|respuesta automática|gracias por su (?:mensaje|correo)|"
    r"le responderemos|lo antes posible|asuntos urgentes|pour toute urgence|"
    r"acesso limitado|resposta automática|obrigad[oa] pelo seu contato|retornaremos|"
    r"assim que possível|"
    # bounces
    r"(?:wasn'?t|could ?n[o']t be|was not|has not been) delivered|\bundeliverable\b|mail delivery failed|"
    r"(?:account|address) (?:that you tried to reach )?does not exist|message rejected|"
    r"nicht gefunden|no (?:se ha podido )?entregar|não entregue|"
    # voicemail and IVR
    r"you(?:'ve| have) reached|leave (?:me )?a message|after the (?:tone|beep)|person you are calling|"
    r"número que você ligou|(?:am|is) not available (?:right now|at the moment)|"
    r"not in service|check the number|please hold|press \d|(?:please )?call me back|"
    r"\bmailbox von|nach dem signalton|messagerie de|laissez(?:-moi)? un message|buzón de voz|"
    r"después de la señal|caixa postal|após o sinal|deixe sua mensagem|no answer|no message left|voicemail reached|"
    r"can'?t (?:come to the phone|talk(?! to))|i'?m driving|"
    # receipts, invoices, orders, shipping, statements, renewals
    r"(?:thanks|thank you) for (?:your (?:payment|order|purchase|visit|booking)|shopping)|"
    r"your (?:order|parcel|package|box|statement|invoice|receipt|subscription|refund|payment|booking|documents?|"
    r"membership|policy|account) (?:is|has|was|will|are|have)\b|"
    r"we(?:'ve| have) (?:received|issued|sent|processed|shipped)|no further action|may take \d|log in to view|"
    r"please find [^.]{0,40}attached|changed your mind|reactivate|you will not be charged|good news|"
    r"left in your safe place|wird von ihrem konto abgebucht|"
    # the survey's own words quoted back
    + _SURVEY_ASKS
    + r"your feedback (?:helps|matters)|"
    r"we'?d love your feedback|votre avis nous intéresse|ihre meinung ist uns wichtig|"
    r"view (?:this|it) (?:e-?mail )?in (?:your|a) browser|unsubscribe|manage (?:your )?preferences|"
    r"consider the environment before printing|"
    # a call cut short
    r"you'?re breaking up|can you hear me|are you there|^hello\?$|\bis this \S+(?: \S+)?\?$"
    r")"
)
# Away from the office: the notice's when it is short or says when its writer is back ("I'm on
# annual leave until 2 September"), not "je suis absent du bureau la moitié du temps".
_AWAY = re.compile(
    r"\b(?:out of (?:the )?office(?! hours)|on (?:annual |parental |sick )?leave|away from (?:my|the) desk|nicht im büro|"
    r"im urlaub|absente? (?:du bureau|jusqu)|fuera de la oficina|ausente do escritório)"
)
_RETURN = re.compile(r"\b(?:until|till|back|jusqu|retour|hasta|regreso|bis|wieder|até|retorno|return)|\d")
# A mail server's own words: a bounce, whatever words of a complaint it holds ("because the
# address couldn't be found").
_MACHINE = re.compile(
    r"delivery status notification|address not found|mail delivery (?:subsystem|failure)|\b[45]\.\d\.\d{1,3}\b|"
    r"remote server returned|mailbox (?:is )?full|couldn'?t be found, or is unable to receive|^undeliverable\s*:|"
    r"^unzustellbar|^non remis\b|could ?n[o']t be delivered|wasn'?t delivered to|"
    # the survey's invitation quoted back
    + _SURVEY_ASKS
    + r"can (?:i|we) ask why|"
    r"what made you (?:leave|go|cancel)|why (?:are|did) you (?:leave|leaving|cancel\w*|go)\b|(?:just |simply )?(?:hit )?reply to this (?:e-?mail|message)|"
    r"mind telling (?:me|us) why|pouvez-vous nous dire pourquoi|warum haben sie gekündigt|"
    r"nos cuenta por qué|por qué se da de baja|por que cancelou"
)
# A sentence that only points at an attachment ("See attached.", "Siehe Anhang.").
_ATTACHED = re.compile(
    r"(?i)^(?:please\s+)?(?:see|find|check|details in|refer to)\s+(?:the\s+)?(?:attached|attachment)(?:\s+(?:file|document|pdf|screenshot))?$|"
    r"^(?:siehe|s\.)\s+anhang$|^(?:voir|ci-joint)(?:\s+(?:la\s+)?pièce jointe)?$|^ver (?:el )?archivo adjunto$|"
    r"^(?:segue|ver) (?:em )?anexo$|^(?:attached|adjunto|anexo|ci-joint|anbei)$"
)
# A receipt's lines: an amount, a reference, a field of the document ("Carrier: DPD").
_MONEY = re.compile(r"[$£€¥]\s?\d|\d[\d.,]*\s?(?:[$£€¥]|eur|usd|gbp)\b|\b\d+[.,]\d{2}\b", re.IGNORECASE)
_REF = re.compile(
    r"#\s?\w*\d|\b[A-Z]{1,5}[-\s]?\d{3,}|\b\d{5,}\b|\bn[º°o.]\s?\d+|\[(?:ACCOUNT|CARD|ADDRESS)\]"
)
_FIELD = re.compile(r"^\s*[^\W\d][\w .&/()'-]{0,30}?\s*:\s*\S")
_DOC_TITLE = re.compile(
    r"(?i)^\s*(?:(?:tax |your )?(?:receipt|invoice|statement)|order (?:summary|confirmation|confirmed)|"
    r"booking confirmation|delivery update|payment received|refund processed|policy renewal documents|"
    r"rechnung|facture|factura|fatura|recibo|quittung|confirmation de commande|seu pedido foi enviado)\b[^\n]{0,40}$"
)
# A forwarded document's first lines: a subject's "Fwd:", a forwarding or original-message marker.
_FORWARD = re.compile(
    rf"(?im)^\s*(?:(?:{SUBJECT_PREFIX})\s*:|-{{2,}}\s*(?:{FORWARDED}|{ORIGINAL})|{BEGIN_FORWARDED}|{FORWARDED})"
)
_SUBJECT = re.compile(rf"(?i)^\s*(?:(?:{SUBJECT_PREFIX})\s*:\s*)+")
# A form's field label with its value after it: the value is the answer.
_FORM = re.compile(
    r"(?i)^\s*(?:(?:your|my|main|other|any)\s+)?(?:reasons?(?: for (?:cancell?ing|leaving|cancell?ation))?|comments?|"
    r"feedback|rating|would recommend|other \(please specify\)|why are you leaving\??|"
    r"grund(?: der kündigung)?|motif|motivo|raison)\s*[:?]\s*"
)
_BLANK_VALUE = re.compile(
    r"(?i)^\s*(?:-+\s*select(?: one)?\s*-+|\[?not provided\]?|null|none|undefined|nil|\{\{\s*\w+\s*\}\}|"
    r"non renseigné|keine angabe|sin especificar|não informado|[-–—]+)?\s*$"
)
# Words of a complaint or a reason: a sentence holding one is the customer's, never furniture.
_COMPLAINT = re.compile(
    r"\b(?:never|nobody|no one|nothing|always|anyone|because|but|yet|twice|double|wrong|still|too|why|worst|awful|"
    r"terrible|rude|broken|damaged|late|missing|stolen|ridiculous|cheaper|instead|same|than|only|every|"
    r"couldn'?t|cannot|wasn'?t|isn'?t|haven'?t|hasn'?t|"
    r"again and again|charged (?:me|twice|after)|expensive|slow|crash\w*|keeps?|kept|didn'?t|doesn'?t|won'?t|"
    r"weil|aber|nie|parce que|mais|jamais|porque|pero|nunca|mas|nada)\b"
)
# The survey's own question or its closing line, quoted back with its quote marks lost ("Why did you
# decide to leave us?", "Could you tell us why?", "Please reply to this email"): the company's words.
_ASKED_WORDS = (
    r"(?:(?:so |and )?why (?:did|have|are) you (?:decided? to |chose to )?(?:leav(?:e|ing)|cancel(?:l?ing|l?ed)?|"
    r"go(?:ing)?|quit(?:ting)?|left)(?: us)?|(?:could|can|would) you (?:please )?tell us why(?: you (?:left|are leaving|"
    r"cancell?ed))?|(?:we'?re|we are) sorry to see you go|what made you (?:leave|cancel)(?: us)?|"
    r"please (?:reply|respond) to this (?:e-?mail|message))"
)
_ASKED = re.compile(rf"^{_ASKED_WORDS}\W*$")
# The same question at the top of an answer, retyped, in quote marks or on a quoted "> " line, and
# ended by its mark, its closing quote or the end of its line; the customer's words follow it.
_ASKED_LEAD = re.compile(
    rf"^\s*(?:>\s*)*[\"“'‘]?\s*{_ASKED_WORDS}\s*(?:[?.!:]+\s*[\"”'’]?|[\"”'’]|(?=\s*\n))", re.IGNORECASE
)
_FIRST_SINGULAR = re.compile(r"\b(?:i|i'm|i've|my|me|mine)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|mine|we|our|us)\b")
_SENTENCES = re.compile(r"(?<=\w{3}[.!?])\s+|(?<=[!?])\s+|\s+[-—|]\s+|\n+|,\s+(?=(?:but|and|so)\b)")


def _doc_line(line: str, short: bool = False) -> bool:
    """A line of a forwarded document: a title, a field, an amount or a reference with few words;
    ``short``: inside a document, any line of three words or fewer ("City Fitness Club")."""
    words = len(line.split())
    if _DOC_TITLE.match(line) or _SUBJECT.match(line) or _FORWARD.match(line):
        return True
    if (_MONEY.search(line) or _REF.search(line)) and words <= 10:
        return True
    if any(ch.isdigit() for ch in line) and words <= 6:
        return True
    if short and words <= 3:
        return True  # "City Fitness Club", "Paid with PayPal", "IVA incluido"
    return bool(_FIELD.match(line)) and words <= 10 and not _FORM.match(line)


def _signature(sentence: str) -> bool:
    """A line under a closing: a name, a job title, a company, contact details."""
    from .signature import name_line

    words = [w for w in _EXT.sub(" ", sentence).split() if w.lower() not in _TITLE_WORDS]
    return name_line(" ".join(words).strip(" .;:"))


def _furniture(sentence: str, document: bool) -> bool:
    """Is one sentence the channel's, not the customer's?"""
    bare = sentence.strip(" .,;:!\"'“”")
    if not bare or _ATTACHED.match(bare) or _GREETING.match(bare) or CLIENT_LINE.match(bare):
        return True
    if bare.endswith(("—", "-", "–")) and len(bare.split()) <= 6:
        return True  # the words of a call cut off
    low = bare.lower()
    if _MACHINE.search(low) and not _FIRST_SINGULAR.search(low):
        return True
    if _ASKED.match(low):
        return True
    if _COMPLAINT.search(low):
        return False
    if _FURNITURE.search(low) or WROTE_END.search(low) or is_footer_line(low):  # a work mail's footer
        return True
    if _AWAY.search(low) and (len(low.split()) <= 8 or _RETURN.search(low)):
        return True
    return document and _doc_line(bare, short=True) and not _FIRST_PERSON.search(low)


def _transcript_lines(text: str) -> list[str] | None:
    """The customer's words of a call or chat transcript, one entry per turn (None: no transcript)."""
    marks = list(_SPEAKER.finditer(text))
    company = sum(bool(re.fullmatch(_COMPANY, m.group(1), re.IGNORECASE)) for m in marks)
    speakers = sum(m.group(1).lower().startswith("speaker") for m in marks)
    if (not company and speakers < 2) or (company == len(marks) and company < 2):
        return None  # one "you:" or "agent:" alone is no transcript
    turns: list[str] = []
    head = text[: marks[0].start()]
    turns.extend(head.splitlines())
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        words = text[mark.end() : after.start() if after else len(text)]
        if re.fullmatch(_COMPANY, mark.group(1), re.IGNORECASE):
            turns.extend(x for x in words.splitlines()[1:])  # a system line under the agent's turn
        else:
            turns.extend(words.splitlines())
    return turns


_MARKS = frozenset("<>[]=:|—–")
_ATTACH_WORD = re.compile(r"attach|anhang|jointe|adjunto|anexo")


def _may_hold_furniture(text: str) -> bool:
    """A cheap look first: most answers are one line of plain words with none of the channel's
    words, and go through untouched (the sentence-by-sentence pass costs far more)."""
    if "\n" in text or any(ch in _MARKS for ch in text):
        return True
    low = text.lower()
    bare = text.strip(" .,;:!\"'“”")
    return bool(
        _FURNITURE.search(low)
        or WROTE_END.search(low)
        or is_footer_line(low)
        or _AWAY.search(low)
        or _MACHINE.search(low)
        or _ATTACH_WORD.search(low)
        or _GREETING.match(bare)
        or _FORM.match(text)
        or _SYSTEM_LINE.match(text)
    )


def _above_quote(lines: list[str]) -> list[str] | None:
    """The lines above the quoted e-mail ("On ... wrote:" and the survey's e-mail under it,
    :func:`.mail_furniture.opens_quote`) when anything is written above it; else None."""
    for i, line in enumerate(lines):
        if i and opens_quote(line.strip()) and any(x.strip() for x in lines[:i]):
            return lines[:i]
    return None


def after_question(text: str) -> str | None:
    """What the customer wrote after the survey's own question, quoted or retyped at the top of the
    answer ("Why did you cancel? too expensive", "> Why did you leave?\\nmoved"); None when the
    answer does not open with the question or nothing is written after it, or only a form's blank
    value ("Why are you leaving? -- Select one --": a blank form, judged whole)."""
    rest, found = text, False
    while lead := _ASKED_LEAD.match(rest):
        rest, found = rest[lead.end() :], True
    rest = rest.strip()
    if not found or not any(ch.isalnum() for ch in rest) or _BLANK_VALUE.match(rest):
        return None
    return rest


def strip_channel(text: str) -> tuple[str, bool]:
    """``text`` without what its channel wrapped around it, and whether there was any."""
    if not _may_hold_furniture(text):
        return text, False
    out = _INLINE.sub(" ", _MIME.sub(" ", text))
    out = _ENTITY.sub(" ", _TAG.sub(" ", out))
    out = _QP.sub(" ", out)
    found = out != text
    turns = _transcript_lines(out)
    if turns is not None:
        found = True
        lines = turns
    else:
        lines = out.splitlines()
    above = _above_quote(lines)
    if above is not None:
        found, lines = True, above
    staged = [_STAGE.sub(" ", line) for line in lines]
    if staged != lines:
        found, lines = True, staged
    pieces = [x.strip() for line in lines for x in _SENTENCES.split(line) if x.strip()]
    document = bool(_FORWARD.search(out)) or sum(_doc_line(x) for x in pieces) >= 2
    kept: list[str] = []
    signed = False  # after a closing ("Kind regards,"), a signature's lines
    for line in lines:
        if _SYSTEM_LINE.match(line) and not _COMPLAINT.search(line.lower()):
            found = True
            continue
        form = _FORM.match(line)
        if form:
            found = True
            line = line[form.end() :]
            if _BLANK_VALUE.match(line):
                continue
        for piece in _SENTENCES.split(line):
            sentence = _LABEL.sub("", piece)
            found = found or sentence != piece
            if not sentence.strip():
                continue
            if CLOSING_LINE.match(sentence.strip(" ,.!")):
                found = signed = True
            elif _furniture(sentence, document) or (signed and _signature(sentence)):
                found = True
            else:
                kept.append(sentence.strip().lstrip("> "))  # a quoted line's mark is no word
    if not found:
        return text, False
    return ". ".join(kept), True
