"""What e-mail furniture is: the lines a mail client or a letter puts around a customer's answer.

Customers answer the survey by replying to or forwarding its e-mail, so an answer may carry a
greeting ("Dear Acme team,"), a closing ("Kind regards,"), a mail client's line ("Sent from my
iPhone"), the quoted survey e-mail under an "On ... wrote:" line or an "-----Original
Message-----" block with From:/Sent:/To:/Subject: fields, a "Forwarded message" header, and the
confidentiality notice under a work e-mail. Three readers take it out, each for its own job:
:mod:`nlp.reply_body` (the body the root-cause head reads), :mod:`nlp.non_answers.mail` (a reply
or forward judged by what the customer wrote) and :mod:`nlp.non_answers.channel` (an auto-reply,
a bounce, a forwarded receipt). This module is the one list of the furniture's words, in the five
shipped languages; each reader anchors them where it needs to (a line of its own, a sentence, a
field on one line).

The names below are regex alternatives (lower case; match them with ``re.IGNORECASE``).
"""

from __future__ import annotations

import re

# Header fields of a forwarded or quoted e-mail: "From:", "Betreff:", "Objet :", "Assunto:".
HEADER_FIELDS = (
    r"from|sent|to|cc|bcc|date|subject|reply-to|"
    r"de|para|asunto|enviado|fecha|von|an|gesendet|betreff|datum|à|objet|envoyé|assunto|enviada|data"
)
# A header field's name at the start of a line ("From: Acme <[EMAIL]>").
FIELD_LINE = re.compile(rf"(?i)^(?:{HEADER_FIELDS})\s*:")
# The fields that open an Outlook reply's header block (the sender's).
SENDER_FIELDS = ("from", "de", "von")

# The marker line above a forwarded e-mail ("---------- Forwarded message ---------").
FORWARDED = (
    r"forwarded message|mensaje reenviado|weitergeleitete nachricht|message transféré|mensagem encaminhada"
)
# The marker line above a quoted e-mail in an Outlook reply ("-----Original Message-----").
ORIGINAL = r"original message|mensaje original|ursprüngliche nachricht|message d'origine|mensagem original"
# Apple Mail's forwarding line.
BEGIN_FORWARDED = r"begin forwarded message"
# A subject line's prefix: "Re:", "Fwd:", "AW:" (German), "WG:" (German), "TR:" (French).
SUBJECT_PREFIX = r"re|fw|fwd|aw|wg|tr"
# Marker lines of their own: dashes, the words, dashes; Outlook's rule of underscores above the
# original message's fields.
FORWARD_LINE = re.compile(rf"(?i)^-{{2,}}\s*(?:{FORWARDED})\s*-*\s*$|^{BEGIN_FORWARDED}\s*:?\s*$")
ORIGINAL_LINE = re.compile(rf"(?i)^-{{2,}}\s*(?:{ORIGINAL})\s*-*\s*$|^_{{5,}}\s*$")

# The line that opens a quoted e-mail: "On Tue, 3 Nov 2026, Acme <[EMAIL]> wrote:", "Am ...
# schrieb ...:", "El ... escribió:", "Le ... a écrit :", "Em ... escreveu:".
QUOTE_OPENER = r"on|am|el|le|em"
WROTE = r"wrote|schrieb|escribió|a écrit|escreveu"
QUOTE_HEADER = re.compile(rf"(?i)^(?:{QUOTE_OPENER})\b.{{4,200}}?\b(?:{WROTE})\b.{{0,80}}?:\s*$")


def opens_quote(line: str) -> bool:
    """Does ``line`` (stripped) open the quoted e-mail ("On ... wrote:", "-----Original Message-----")?"""
    return bool(QUOTE_HEADER.match(line) or ORIGINAL_LINE.match(line))


# The end of an "On ... wrote:" line, when only its end is left in a sentence ("... wrote:").
WROTE_END = re.compile(rf"(?i)(?:^|\W)(?:{WROTE})\s*:?\s*$")

# A mail client's line under the body: "Sent from my iPhone", "Sent from Outlook for Android",
# "Get Outlook for iOS", "Von meinem iPhone gesendet", "Enviado desde mi iPhone". CLIENT may be
# looked for inside a line ("... refund. Sent from my iPhone"). A line of its own that says it
# was sent from, with or via a phone or a mail app is the client's too (CLIENT_LINE: "Sent with
# Proton Mail secure email", "Get BlueMail for Android", "sent from mobile, excuse typos").
CLIENT = (
    r"sent from (?:my|outlook|mail|yahoo|gmail|[\w-]+['’]s)\b[^\n.!?]{0,60}|get outlook for \w+|"
    r"von meinem \w+ gesendet|enviado desde mi \w+|envoyé de mon \w+|enviado do meu \w+"
)
_DEVICE = (
    r"mobile|phone|iphone|ipad|android|ios|tablet|galaxy|samsung|pixel|blackberry|windows|e-?mail|\w*mail"
)
CLIENT_LINE = re.compile(
    rf"(?i)^(?:{CLIENT}|(?:sent (?:from|with|via)|get \w+ for) [^\n]{{0,40}}\b(?:{_DEVICE})\b[^\n]{{0,30}})\s*[.!]?$"
)
# A greeting that opens a letter: "Hi,", "Good morning", "Madame, Monsieur,", "Dear Acme team,",
# "Sehr geehrte Damen und Herren,". HELLOS may stand alone; the other salutations only greet
# before a name ("Caro Mario,"): alone, "caro", "cher" and "dear" say something costs too much.
HELLOS = (
    r"hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings|to whom it may concern|"
    r"hallo|guten (?:tag|morgen|abend)|hola|buen[oa]s (?:días|tardes|noches)|"
    r"bonjour|bonsoir|madame|monsieur|olá|oi|bom dia|boa tarde"
)
GREETINGS = rf"{HELLOS}|dear|liebe[rs]?|sehr geehrte[rs]?|estimad[oa]s?|querid[oa]s?|cher|chère|prezad[oa]s?|car[oa]s?"
# A closing above the signature: "Kind regards", "Best", "Cordialement", "Mit freundlichen Grüßen".
CLOSINGS = (
    r"best|regards|(?:kind|best|warm|many) (?:regards|wishes)|cheers|thanks|many thanks|thank you|"
    r"take care|yours (?:sincerely|faithfully|truly)|"
    r"cordialement|bien cordialement|bien à vous|sincères salutations|"
    r"saludos(?: cordiales)?|un saludo|atentamente|atenciosamente|abraços|um abraço|cumprimentos|"
    r"mit freundlichen grüßen|(?:viele|beste|liebe|kind|best|warm|many) grüße|lg|vg|mfg"
)
CLOSING_LINE = re.compile(rf"(?i)^(?:{CLOSINGS})$")

# The notice under a work e-mail: a sentence with "confidential"/"privileged" and "intended", or
# one of a notice's set phrases; the sentences after it say what to do with a message received in
# error.
_SECRET = re.compile(r"(?i)\b(?:confidential|privileged|vertraulich|confidencial|confidentiel)\b")
_INTENDED = re.compile(r"(?i)\bintend")
NOTICE_PHRASES = (
    r"(?:is|are) (?:strictly )?confidential and|privileged and confidential|confidentiality notice|"
    r"intended (?:solely |only )?for the (?:use|addressee)|intended recipient|"
    r"received (?:this|it) (?:e-?mail |message )?in error|notify the sender|strictly prohibited|views expressed|"
    r"necessarily represent|vertrauliche informationen|richtige adressat|irrtümlich erhalten|"
    r"confidentiels et établis|utilisation non conforme"
)
NOTICE_IN_ERROR = re.compile(r"(?i)\b(?:in error|by mistake|notify the sender|delete)\b")
# The other lines of a work e-mail's footer: a disclaimer, a virus scan, the company's registration.
_FOOTER = re.compile(
    rf"(?i)\b(?:{NOTICE_PHRASES}|disclaimer\s*:|views or opinions (?:expressed|presented)|"
    r"not the (?:named|intended) recipient|scanned for (?:viruses|malware)|checked for viruses|"
    r"registered (?:in (?:england|scotland|wales|ireland|northern ireland)|office)|"
    r"(?:company|registration|vat) (?:no|number|reg)\b\.?:?\s*[a-z]{0,3}\s?\d|is a trading name of|"
    r"consider the environment before printing|think before you print|"
    r"(?:feel|be) obliged to (?:reply|respond)|my working (?:days|hours) are|"
    r"accepts? (?:no |any )?(?:liability|responsibility))"
)


def is_footer_line(line: str) -> bool:
    """Is ``line`` part of the footer under a work e-mail: its confidentiality notice, a disclaimer,
    a virus scan, the company's registration ("Registered in England No. 09876543")?"""
    return opens_notice(line) or bool(_FOOTER.search(line))


def opens_notice(sentence: str) -> bool:
    """Does ``sentence`` open a confidentiality notice ("This e-mail is confidential and intended
    solely for the addressee")?"""
    return bool(_SECRET.search(sentence) and _INTENDED.search(sentence))
