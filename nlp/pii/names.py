"""Person names without a model: cue words ("my name is", "agent", "Mr"), greetings, sign-offs
("Thanks, Dana Whitfield", "— Łukasz"), known given names, names before their contact details.

Letters beyond ASCII count as letters everywhere, so "Zoë Müller" is found like "Dana Whitfield".
"""

from __future__ import annotations

import re

from ..languages import stop_words
from .brands import is_plain_brand
from .closings import CLOSING, CLOSING_PUNCT, closing_starts, find_at, sign_off_starts
from .families import FAMILY_SIGNS, surname_first
from .letters import LO, UP
from .lexicon import english_word
from .lowercase import LOWER_NAME_WORD, common_lower, lower_given, lower_name, lower_signed
from .spans import Span
from .words import (
    AMBIGUOUS_GIVEN,
    COMPANY_SUFFIXES,
    FOREIGN_FUNCTION_WORDS,
    GREETED,
    NOT_NAMES,
    PLACES,
    TITLE_WORDS,
    bank_vocabulary,
    given_names,
    word_names,
)

NAME_WORD = rf"(?:[{UP}]['’]|Ma?c)?[{UP}][{LO}'’]+(?:-[{UP}]?[{LO}]+)?"
NAME_PART = rf"(?:{NAME_WORD}|[{UP}]\.)"
# What follows a possessive that names a shop after its owner, not the person: the shop word
# ("Love Ben's new shop", "Maria's bakery") or "instead", the possessive standing for the place
# ("Visit Joe's instead"); not the shop's account ("Sarah's store card") or "instead of".
SHOP_AFTER = re.compile(
    r"(?:(?:[ \t]+[\w-]+)?[ \t]+(?i:shop|store|café|cafe|bakery|deli|diner|pub|bar|salon|garage|"
    r"restaurant|takeaway|bistro|pizzeria|barbers?)|[ \t]+instead)\b"
    r"(?![ \t]+(?i:of|account|card|credit|login|membership|loyalty|points|subscription)\b)"
)
# Surname particles inside a name ("Ana de Sousa", "Jan van der Berg").
PARTICLE = (
    r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|la|le|du|bin|ibn|al|el|y|i|ter|ten|"
    r"Ó|Ní|Nic|Mac|Mc|Ua|Uí|Bean|De|Van|Von|Di|Da|Du|Le|La|Al|El|Bin|St\.?)"
)
_LOWER_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|la|le|du|ter|ten|bin|ibn)"
# Words of one name are on one line: "Maria\n\nSent from Outlook" is Maria alone.
# A surname may open with its particle: "Mr Ó Conchúir", "Frau Von Hagen", "Sr. De la Cruz".
LEAD_PARTICLE = r"(?:Ó|Ní|Nic|Mac|Mc|Ua|Uí|Van|Von|De|Del|Da|Di|Dos|Du)"
FULL_NAME = rf"(?:{LEAD_PARTICLE}[ \t]+)?{NAME_PART}(?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}{NAME_PART}){{0,2}}"

# A second title after the first: "Frau Dr. Kowalski", "Mr Prof. Ansah".
_TITLE = r"(?:(?:Dr|Prof|Ing|Mag|Dipl\.-Ing)\.?\s+)?"
# More people customers name: "my hubby kwame", "my flatmate, Tobiasz", "my boss Ines".
KIN = (
    r"hubby|missus|baby|fianc[ée]e?|girlfriend|boyfriend|bf|gf|spouse|grandson|granddaughter|grandma|grandmother|"
    r"grandad|granddad|grandpa|grandfather|nan|nana|gran|granny|aunt|auntie|uncle|cousin|niece|nephew|"
    r"stepson|stepdaughter|\w+-in-law|ex|ex-(?:husband|wife|partner)|kid|child|roommate|neighbou?r|friend|mate|boss|carer|nanny|cleaner"
)
# Job titles before a name: "Our CTO Wojciech", "the founder, Thibault", "our head of ops Grzegorz".
_JOB_TITLES = (
    r"ceo|cto|cfo|coo|cmo|cio|cpo|ciso|vp|svp|evp|md|(?:co-?)?founder|director|president|"
    r"chair(?:man|woman|person)?|owner|proprietor|head of [a-z]+"
)
JOB_TITLE = re.compile(rf"(?i)\b(?:{_JOB_TITLES})[:,]?\s+\(?$")
# A title opening a signature line before its company or town: "CTO, Northwind Logistics".
SIGNATURE_TITLE = re.compile(rf"(?:^|\n)[ \t]*(?:[\w&-]+[ \t]+){{0,3}}(?i:{_JOB_TITLES}),[ \t]*$")
# A title that is someone's, so an unknown word after it is a name: "our CTO", "the founder".
OWNED_TITLE = re.compile(rf"(?i)\b(?:our|my|the|their|your|his|her|its)\s+(?:{_JOB_TITLES})[:,]?\s+\(?$")
NAME_CUE = re.compile(
    r"(?:\b(?i:signed off by|signed for by|signed by|written by|sent by|my name is|name's|name is|name was|ask for|asked for|ask to speak to|spoke (?:to|with)|talked to|named|"
    r"talk to|speak (?:to|with)|speaking (?:to|with)|thanks to|thank you to|shout[- ]?out to|tell|"
    r"(?:a |some )?(?:guy|lady|woman|man|girl|bloke|chap|someone|somebody) called|"
    r"agent|rep|representative|advisor|adviser|technician|driver|courier|colleague|"
    r"accountant|bookkeeper|solicitor|lawyer|attorney|landlord|landlady|assistant|secretary|"
    r"engineer|installer|trainer|instructor|coach|csm|account manager|case handler|claims handler|"
    r"receptionist|nurse|doctor|cashier|clerk|teller|concierge|waiter|waitress|barista|stylist|therapist|physio|"
    r"tutor|teacher|caretaker|supervisor|consultant|specialist|operator|dispatcher|mechanic|electrician|"
    r"plumber|fitter|surveyor|inspector|assessor|adjuster|broker|banker|manager|team lead|"
    # more staff a customer meets: "our vet Ingrid", "the hygienist Dana"
    r"cook|vet|dentist|hygienist|optician|optometrist|pharmacist|midwife|paramedic|porter|valet|"
    r"housekeeper|gardener|builder|decorator|roofer|locksmith|handyman|recruiter|lecturer|headteacher|"
    r"principal|counsel(?:l)?or|mentor|host|hostess|steward|stewardess|guard|rider|groomer|sitter|dog walker|"
    # job titles: "Our CTO Wojciech", "the founder, Thibault", "our head of ops Grzegorz"
    rf"{_JOB_TITLES}|"
    r"helped by|served by|dealt with by|handled by|seen by|visited by|called by|contacted by|"
    r"kudos to|props to|big up|"
    r"husband|wife|partner|son|daughter|mother|father|mum|mom|dad|brother|sister|flatmate|housemate|"
    rf"{KIN}|"
    r"member|account holder|holder|contact person|contact name|name|surname|"
    r"(?:account|membership|subscription|policy|contract) (?:of|for)|(?:in|under) the name(?: of)?|"
    # a booking's or account's holder: "booked under the name of Takahashi", "no nome de Figueiredo"
    r"n[oa] nome d[eoa]|on behalf of|"
    r"for the attention of|attn|fao|c/o|care of|addressed to|"
    r"sincerely|regards|signed|kind regards|best|yours faithfully|yours sincerely|yours truly|best wishes)"
    # a quote may open the name: "spoke to 'Hope'"
    r"[:,]?\s+[(‘'\"“]?|"
    r"(?<![\w.])@[ \t]+|"  # "@ Ravi - you promised": addressed by name
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\.?\s+)"
    rf"{_TITLE}({FULL_NAME})"
)
_ANY_DIGIT = re.compile(r"\d")
# Every match of NAME_CUE has a space, maybe "(", a title and a capitalised name's first part: a
# text without one (four in five) skips that long cue list (issue 17, speed). OTHER_LANG_NAME_CUE
# also finds lower-case names ("a atendente juliana"), so it always runs.
_NAME_AFTER_SPACE = re.compile(rf"\s[(‘'\"“]?{_TITLE}{NAME_PART}")
HONORIFIC_NAME = re.compile(
    rf"\b(?:{TITLE_WORDS})\.?\s+{_TITLE}"
    rf"((?:(?-i:de|da|do|dos|del|della|di|van|von|der|den|la|le|du|al|el)[ \t]+){{0,2}}{FULL_NAME})"
)
# A name right after an opening greeting ("Hi Sarah,", "Hello, Siobhán here", "Bonjour Amélie") or
# introducing the writer ("Siobhán here -"); "Hi team", "Dear Sir" and brands are left alone.
GREETING_NAME = re.compile(
    r"(?:^|\n)\s*(?i:hi|hello|hey|hiya|dear|hola|bonjour|hallo|olá|ola|ciao|salut|good (?:morning|afternoon|evening))"
    rf"[,!]?\s+(?:(?i:it's|it is|this is|i'm|i am)\s+)?({FULL_NAME})(?=\s*(?:[,!.:\-–—(]|\s+here\b|$))"
    rf"|(?:^|[.!?]\s+|,\s+)({FULL_NAME})\s+here\b"
)

DEPT_NAME = re.compile(
    rf"(?:^|[.!?:;,]\s+|\n)({NAME_WORD}(?:[ \t]+{NAME_WORD})?)\s+(?:from|in|at|on)\s+(?:the\s+)?(?:HR|IT|support|billing|sales|accounts|finance|"
    r"customer service|customer support|reception|the front desk|tech support|your (?:team|office|store|shop|branch)|"
    # a team named after its town or product: "Xóchitl from the Monterrey team"
    r"(?:(?:your|our|the)\s+)?(?:[A-Z][a-z]+[ \t]+)?[a-z]+ (?:team|department|office|desk)"
    r"|(?:your|our|the)\s+[A-Z][a-z]+ (?:team|department|office|desk))\b"
)
# The es/de/fr/pt cue words before a name (a role, a relative, "spoke with").
_OTHER_LANG_CUES = (
    r"(?i:mein name ist|ich heiße|je m'appelle|me llamo|mi nombre es|mi chiamo|mijn naam is|meu nome é|"
    r"signé|firmado|gezeichnet|"
    # whose the booking is: "au nom de", "a nombre de", "em nome de", "auf den Namen", "Passagier"
    r"au\s+nom\s+de|a\s+nombre\s+de|em\s+nome\s+de|im\s+namen\s+von|auf\s+den\s+namen|"
    r"passagier(?:in)?|passag(?:er|ère)|pasajer[oa]|passageir[oa]|"
    # whose the account is or whom to contact, as "account holder" and "contact person" in English
    r"(?:konto)?inhaber(?:in)?|titular(?:\s+(?:de\s+la|da)\s+conta|\s+de\s+la\s+cuenta)?|titulaire(?:\s+du\s+compte)?|"
    r"ansprechpartner(?:in)?|empfänger(?:in)?|destinataire|destinatari[oa]|destinatári[oa]|"
    # thanked or greeting from someone, as "thanks to" is in NAME_CUE: "Gracias a Xolani Dube",
    # "Merci à Tinashe", "Danke an Frau ...", "Obrigado ao Rui", "Schöne Grüße von Jana"
    r"gracias\s+a|merci\s+à|danke\s+an|obrigad[oa]\s+(?:ao|à|a)|grüße\s+von|saludos\s+de|"
    # es: "pregunten a Iñaki", "hablé con", "mi agente", "el técnico"
    r"pregunt(?:a|e|en|ad|ar|é)\s+(?:a|por)|habl(?:é|e|en|ad|ar|amos)\s+con|atendid[oa]\s+por|"
    r"(?:el|la|mi|su|tu|vuestr[oa])\s+(?:agente|asesor[a]?|técnic[oa]|comercial|repartidor[a]?|gestor[a]?|"
    r"(?:tele)?operador[a]?|marido|esposo|esposa|mujer|hij[oa]|herman[oa]|novi[oa]|pareja|compañer[oa])|"
    # de: "Ihr Mitarbeiter", "meine Frau", "sprach mit"
    r"(?:ihr|ihre|der|die|mein|meine|unser|unsere)\s+(?:mitarbeiter(?:in)?|techniker(?:in)?|(?:kunden)?berater(?:in)?|"
    r"fahrer(?:in)?|ehemann|ehefrau|mann|sohn|tochter|partner(?:in)?|kollegin|kollege|trainer(?:in)?)|"
    r"sprach\s+mit|gesprochen\s+mit|fragen\s+sie\s+nach|"
    # fr: "le conseiller", "ma femme", "parlé à"
    r"(?:le|la|mon|ma|votre|notre)\s+(?:conseill(?:er|ère)|technicien(?:ne)?|livreur|livreuse|vendeur|vendeuse|"
    r"mari|femme|époux|épouse|fils|fille|collègue|agent)|parl[ée]\s+(?:à|avec)|demandez(?:\s+à)?|"
    # pt: "a atendente", "falei com", "meu marido"
    r"(?:o|a|meu|minha|seu|sua)\s+(?:atendente|técnic[oa]|consultor[a]?|gerente|entregador[a]?|vendedor[a]?|"
    r"marido|esposa|mulher|filh[oa]|colega)|fal(?:ei|ar|em)\s+com(?:\s+(?:o|a)(?=\s+(?-i:[A-ZÁÉÍÓÚ])))?|pergunt(?:e|em|ar)\s+(?:pel[oa]|por))"
)
# Relatives and the staff of shops, surgeries and garages, in es/fr/pt/de (h-pii37): "mi padre",
# "mon père, Jean-Marc Dubois", "o mecânico Januário", "meine Oma"; "un tal", "um tal de": someone
# called. Tried only in a text that holds one of their nouns (a set lookup, not a scan).
_KIN_OTHER = (
    r"(?i:(?:mi|mis|su|tu|el|la|nuestr[oa])\s+(?:padre|madre|pap[áa]|mam[áa]|abuel[oa]|t[íi][oa]|prim[oa]|vecin[oa]|"
    r"suegr[oa]|cuñad[oa]|sobrin[oa]|niet[oa]|mec[áa]nico|m[ée]dic[oa]|doctor[a]?|enfermer[oa]|profesor[a]?|"
    r"entrenador[a]?|recepcionista|cajer[oa]|camarer[oa]|conductor[a]?|chofer|cartero|abogad[oa]|"
    r"contador[a]?|dentista|veterinari[oa]|peluquer[oa]|fisioterapeuta|cuidador[a]?|niñera|asistente|monitor[a]?)|"
    r"(?:mon|ma|notre|votre|le|la)\s+(?:p[èe]re|m[èe]re|fr[èe]re|s(?:œ|oe)ur|grand-m[èe]re|grand-p[èe]re|oncle|tante|"
    r"cousine?|voisine?|m[ée]canicien|m[ée]decin|docteur|infirmi[èe]re?|professeur|prof|"
    r"entra[îi]neur|coach|r[ée]ceptionniste|caissi[èe]re?|serveuse|serveur|chauffeur|facteur|"
    r"avocate?|comptable|dentiste|v[ée]t[ée]rinaire|coiffeuse|coiffeur|nounou|assistante?)|"
    r"(?:o|a|meu|minha|seu|sua|nosso|nossa)\s+(?:pai|m[ãa]e|irm[ãa]o|irm[ãa]|av[óô]|tio|tia|primo|prima|vizinh[oa]|"
    r"sogr[oa]|cunhad[oa]|sobrinh[oa]|net[oa]|mec[âa]nico|m[ée]dic[oa]|enfermeir[oa]|professor[a]?|"
    r"treinador[a]?|recepcionista|gar[çc]om|motorista|carteiro|advogad[oa]|contador[a]?|dentista|"
    r"veterin[áa]ri[oa]|cabeleireir[oa]|fisioterapeuta|cuidador[a]?|bab[áa]|assistente|instrutor[a]?)|"
    r"(?:mein|meine|unser|unsere|der|die)\s+(?:vater|mutter|bruder|schwester|oma|opa|großmutter|großvater|onkel|tante|"
    r"cousine?|nachbarin|nachbar|schwiegermutter|schwiegervater|mechaniker|ärztin|arzt|krankenschwester|"
    r"pflegerin|pfleger|lehrerin|lehrer|kellnerin|kellner|postbote|briefträger|anwältin|"
    r"anwalt|zahnärztin|zahnarzt|tierärztin|tierarzt|friseurin|friseur|vermieterin|vermieter)|"
    r"un[a]?\s+tal|um[a]?\s+tal\s+de|un\s+certain|une\s+certaine|ein\s+gewisser|eine\s+gewisse|soy|sou\s+(?:o|a))"
)
_KIN_OTHER_WORDS = frozenset(
    "padre madre papá papa mamá mama abuelo abuela tío tio tía tia primo prima vecino vecina suegro suegra cuñado "
    "cuñada sobrino sobrina nieto nieta mecánico mecanico médico medico médica medica doctor doctora enfermero "
    "enfermera profesor profesora entrenador entrenadora recepcionista cajero cajera camarero camarera conductor "
    "conductora chofer cartero abogado abogada contador contadora dentista veterinario veterinaria peluquero "
    "peluquera fisioterapeuta cuidador cuidadora niñera asistente monitor monitora "
    "père pere mère mere frère frere sœur soeur oncle tante cousin cousine voisin voisine mécanicien mecanicien "
    "médecin medecin docteur infirmier infirmière infirmiere professeur prof entraîneur entraineur coach "
    "réceptionniste receptionniste caissier caissière caissiere serveuse serveur chauffeur facteur avocat avocate "
    "comptable dentiste vétérinaire veterinaire coiffeuse coiffeur nounou assistant assistante "
    "pai mãe mae irmão irmao irmã irma avó avô avo neto neta vizinho vizinha sogro sogra cunhado cunhada sobrinho "
    "sobrinha mecânico enfermeiro enfermeira professor treinador treinadora garçom garcom motorista carteiro advogado "
    "advogada veterinário cabeleireiro cabeleireira babá baba instrutor instrutora "
    "vater mutter bruder schwester oma opa großmutter großvater onkel nachbarin nachbar schwiegermutter "
    "schwiegervater mechaniker ärztin arzt krankenschwester pflegerin pfleger lehrerin lehrer kellnerin kellner "
    "postbote briefträger anwältin anwalt zahnärztin zahnarzt tierärztin tierarzt friseurin friseur vermieterin "
    "vermieter tal certain certaine gewisser gewisse soy sou".split()
)
# The relatives and staff added in h-pii37, in German, where every noun is capitalised.
_GERMAN_CUE = re.compile(
    r"(?i:mein|meine|unser|unsere|der|die)\s+(?i:vater|mutter|bruder|schwester|oma|opa|großmutter|großvater|onkel|"
    r"tante|cousine?|nachbarin|nachbar|schwieger\w+|mechaniker|ärztin|arzt|krankenschwester|pfleger\w*|lehrer\w*|"
    r"kellner\w*|postbote|briefträger|anwält\w*|anwalt|zahnärzt\w*|zahnarzt|tierärzt\w*|tierarzt|friseur\w*|vermieter\w*)\b"
)
GODS = frozenset({"Dios", "Deus", "Dieu", "Gott", "God"})
GREETING_FROM = re.compile(r"(?i)grüße|saludos")
OTHER_LANG_NAME_CUE = re.compile(
    rf"(?:{_OTHER_LANG_CUES},?\s+"
    r"|\b(?:Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Dhr|Mevr|Madame|Monsieur|Senhor|Senhora)\.?\s+"
    # a title typed in lower case before a capitalised name: "el señor Olaechea", "a senhora Dias"
    r"|\b(?:señor|señora|señorita|senhor|senhora|monsieur|madame|mademoiselle|herr|frau|doña)\s+(?=[A-ZÁÉÍÓÚÑ]))"
    # ... or typed in lower case: "falei com a atendente juliana" (one scan for both); looked at,
    # not taken, so the cue of "au nom de mon père, Jean-Marc" is tried after "au nom de"
    rf"(?=(?:{_TITLE}({FULL_NAME})|([{LO}]{{3,}})(?![\w'’-])))"
)
KIN_NAME_CUE = re.compile(
    rf"(?<![\w'’-]){_KIN_OTHER},?\s+(?=(?:{_TITLE}({FULL_NAME})|([{LO}]{{3,}})(?![\w'’-])))"
)
_WORDS = re.compile(r"[^\W\d_]+")
# A family named by its surname: "the Okafor family", "Familie Hoffmann", "famille Martin".
FAMILY_NAME = re.compile(
    rf"\b(?i:the)[ \t]+((?:{PARTICLE}[ \t]+){{0,2}}{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}{NAME_WORD})?)"
    r"[ \t]+(?i:family|household|residence|twins|clan)\b"
    rf"|\b(?i:familie|famille|familia|família|famiglia)[ \t]+({FULL_NAME})"
)
# A name written right before its phone number or e-mail ("Kelechi Obi 07700 900734",
# "Ana Rocha (ana@example.com)"): two or more capitalised words at the start of a line or sentence.
NAME_BEFORE_CONTACT = re.compile(
    rf"(?:^|\n|[.!?;:]\s+|[-—–]\s*)({NAME_PART}(?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}{NAME_PART}){{0,3}}),?\s*[(<]?"
    r"(?=[\w.+-]+@[\w-]+\.|\+?\(?\d[\d ()-]{7,}\d)"
)

_PLAN_BEFORE = re.compile(
    r"(?i)\b(?:plan|tarifa|forfait|paquete|pacote|pack|bundle|tier|offer|oferta|offre)[ \t]+$"
)

# "First Last": a known given name followed by one or two capitalised words. The small NER model
# often tags such names as ORG or LOC, or not at all ("our CSM Daniel Reyes", "thanks Lina Park").
FIRST_LAST = re.compile(
    rf"(?<![\w.])({NAME_WORD})((?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}{NAME_PART}){{1,2}})(?![\w])"
)


# Street words that are no surname ("Lina Park", "Lois Lane" and "Glenn Close" are people).
STREET_SUFFIX = re.compile(
    r"(?i)(?:street|st|road|rd|avenue|ave|drive|crescent|terrace|place|square|gardens|mews|boulevard|blvd)\.?\b"
)


# The signer's own handle or e-mail may follow the name ("saludos, pepa ruiz (@peparuiz_bcn)",
# "Signé : Léa-Marie Fontaine (lm.fontaine@orange.fr)"): the name still ends the answer.
CONTACT_TAIL = r"(?:[ \t]*[(\[]?[ \t]*(?:@[\w.]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)[ \t]*[)\]]?)?"
# A name that signs off the answer: "Thanks, Dana Whitfield", "— Łukasz", "Regards,\nJosé Peña",
# "cheers Tom". Only at the very end of the text, after a closing word or a dash.
SIGN_OFF = re.compile(
    rf"(?:{CLOSING}[ \t]*[,!.:]?|{CLOSING_PUNCT})\s*(?:[-—–~]\s*)?({FULL_NAME}(?:\s*(?:&|\+|and|und|et|y|e)\s*{FULL_NAME})?)"
    rf"{CONTACT_TAIL}\s*[.!]?\s*$"
)
# Without a closing word ("... too expensive.\n— Łukasz") the name must look like one: a known
# given name, an initial, or letters beyond ASCII; "Too expensive - Ridiculous" stays.
DASH_SIGN_OFF = re.compile(
    rf"(?:(?:^|\s)[-—–~/]+[ \t]*|\n[ \t]*)({FULL_NAME}(?:[ \t]*(?:&|\+|and|und|et|y|e)[ \t]*{FULL_NAME})?)\s*[.!]?\s*$"
)
# The same in lower case ("— ana p.", "- kemal"): a known given name, or words customers never use.
# Initials ("j.p. okonkwo", "m. o'brien"), particles ("pieter de vries") and hyphens or apostrophes
# inside a word ("a. oyelaran-bello", "park ji-hoon") as a name's own shape.
LOWER_DASH_SIGN_OFF = re.compile(
    rf"(?:^|\s)[-—–~]+[ \t]*((?:[{LO}]\.[ \t]*){{0,3}}{LOWER_NAME_WORD}"
    rf"(?:[ \t]+(?:{_LOWER_PARTICLE}[ \t]+){{0,2}}{LOWER_NAME_WORD}|[ \t]+[{LO}]\.)?)\s*[.!]?\s*$"
)
# Typed without capitals ("thx, ángel", "regards, ngozi adeyemi") or in capitals ("JOHN MCALLISTER").
LOWER_SIGN_OFF = re.compile(
    rf"{CLOSING}(?:[ \t]*[,:\n-][ \t\n]*|[ \t]+)((?:[{LO}]\.[ \t]*)?[{LO}]+(?:[ \t]+[{LO}]+){{0,2}}){CONTACT_TAIL}\s*[.!]?\s*$"
)
# Initials signed after a closing: "Cheers — PJ", "Thanks, J.K."
INITIALS_SIGN_OFF = re.compile(
    rf"{CLOSING}[ \t]*[,!.:]?\s*(?:[-—–~]\s*)?((?:[A-Z]\.[ \t]?){{1,3}}|[A-Z]{{1,3}})\s*$"
)
_NOT_INITIALS = frozenset({"OK", "TY", "NO", "SO", "XX", "XO", "X", "LOL", "BTW", "FYI"})
CAPS_SIGN_OFF = re.compile(rf"(?:^|[.!?]\s+|\n)([{UP}]{{2,}}(?:[ \t]+[{UP}'’-]{{2,}}){{1,2}})\s*[.!]?\s*$")
# A name with a kiss to end the answer: "lol. jess x", "Thanks for trying. Mia xx".
KISS_SIGN_OFF = re.compile(rf"(?:^|[.!?,]\s+|\n)({NAME_WORD}|[{LO}]+)[ \t]+[xX]{{1,3}}\s*$")
# "REGARDS, DEEPAK CHOUDHARY", "RGDS, KEVIN O'DRISCOLL": a name in capitals after a closing.
CAPS_AFTER_CLOSING = re.compile(
    rf"{CLOSING}[ \t]*[,:.!]?[ \t]*(?:[-—–~]+[ \t]*)?([{UP}][{UP}'’-]+(?:[ \t]+[{UP}][{UP}'’-]+){{0,2}})\s*[.!]?\s*$"
)
# A name introducing the writer in lower case: "hi its gianluca, ...", "im priya here".
LOWER_INTRO = re.compile(
    r"(?:^|\n)\s*(?:(?i:hi|hello|hey|hiya|hola|ola|olá|hallo|bonjour|salut)[ \t]*[,!]?[ \t]*)?"
    rf"(?i:it'?s|it is|this is|i'?m|i am)[ \t]+([{LO}]+)(?=[ \t]*(?:[,!.:\-–—]|[ \t]+here\b|$))"
)
# A known given name opening a sentence with its possessive: "Tunde's card got charged twice".
POSSESSIVE_NAME = re.compile(rf"(?:^|[.!?]\s+|\n)({NAME_WORD})['’]s\b")


# A given name typed without capitals after a cue ("talk to ngozi", "ask for mehmet at the desk",
# "thanks to sandeep and pooja"); a name that is also a word ("ask for will") is left alone.
LOWER_CUE_NAME = re.compile(
    r"\b(?i:ask for|asked for|ask|talk to|talked to|speak to|speak with|spoke to|spoke with|thanks to|tell|"
    r"thank you to|shout[- ]?out to|kudos to|props to|helped by|served by|dealt with by|handled by|"
    r"agent|rep|advisor|adviser|technician|driver|installer|trainer|coach|colleague|manager|"
    # the role words of NAME_CUE too, and "asked": "your tech hannah achterberg", "asked gareth"
    r"asked|called|named|name is|name was|name's|emailed|e-mailed|messaged|texted|rang|phoned|contacted|chased|told|tech|engineer|courier|receptionist|instructor|consultant|supervisor|cashier|nurse|doctor|landlord|"
    rf"my (?:husband|wife|partner|son|daughter|mum|mom|dad|brother|sister|{KIN}))[,:]?\s+"
    # looked at, not taken: "i phoned, spoke to małgorzata" tries "spoke to" after "phoned"
    rf"(?=([{LO}]+)(?:\s+(?:and|&|n|'n'|\+)\s+([{LO}]+))?(?![\w'’-]))"
)


def _function_word(word: str) -> bool:
    """A function word of any shipped language ("Meine", "Unser"): no name's first word."""
    key = word.lower()
    return key in FOREIGN_FUNCTION_WORDS or any(key in sw for sw in stop_words().values())


_ENDED = re.compile(r"[.!?][ \t]*[-—–~]+[ \t]*$")
_NAME_PARTICLE_WORDS = frozenset(
    "de da do dos das del della di la le du van von der den bin ibn al el y i".split()
)
_NUMBER_AFTER = re.compile(r"[ \t]+#?\d")
# "a neighbour I've never met": a pronoun's contraction is capitalised like a name.
_CONTRACTION = re.compile(r"(?i)(?:i|you|we|they|he|she|it|that|there|who)['’](?:ve|m|d|ll|re|s)")


def _caps_name(words: list[str]) -> bool:
    """Words in capitals after a closing that name someone: a known given name first, or none
    of them a word customers use ("THANKS FOR NOTHING", "REGARDS, THE TEAM" stay)."""
    if words[0].title() in given_names():
        return True
    return not any(common_lower(w.lower()) or w.title() in NOT_NAMES for w in words)


def _non_ascii_name(words: list[str]) -> bool:
    """Two or more capitalised words, one with letters beyond ASCII, none a common word or brand:
    "- Koray Şahin", "— Bartek Woźniak" sign off; "- Crème Brûlée" (a brand) does not."""
    return (
        len(words) >= 2
        and any(not w.isascii() for w in words)
        and not any(common_lower(w.lower()) or w.strip(".") in NOT_NAMES or is_plain_brand(w) for w in words)
        and not is_plain_brand(" ".join(words))
    )


def _plain_opener(word: str) -> bool:
    """A word customers write in lower case that WordNet knows as an adverb, adjective or verb and
    no list knows as a name ("Back", "Still", "Also"): opening a sentence it is that word."""
    return (
        word.lower() in bank_vocabulary()
        and english_word(word)
        and word not in given_names()
        and word not in word_names()
        and word not in AMBIGUOUS_GIVEN
    )


def _common_word(word: str) -> bool:
    """A lower-case English word that no list holds as a given name: "bins", "gutters"; not
    "hazel", "mark" or an unknown name ("oyelaran")."""
    return english_word(word, nouns=True) and not lower_given(word) and word.title() not in given_names()


def name_spans(text: str) -> list[Span]:
    """PERSON spans found by the cue, greeting, sign-off and given-name patterns."""
    spans: list[Span] = []
    cued = _NAME_AFTER_SPACE.search(text) is not None  # else NAME_CUE finds nothing
    for m in DEPT_NAME.finditer(text):
        words = m.group(1).split()  # "Ulla-Britt Aronsson from billing"; "Customer Service from ..." stays
        if len(words) == 1 and _plain_opener(words[0]):
            continue  # "Back in the office full time": an adverb opens the sentence, no one is named
        if words[0] not in NOT_NAMES and (len(words) == 1 or not any(common_lower(w.lower()) for w in words)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    contact = "@" in text or _ANY_DIGIT.search(text) is not None  # what NAME_BEFORE_CONTACT looks ahead for
    for m in NAME_BEFORE_CONTACT.finditer(text) if contact else ():
        words = m.group(1).split()
        if not any(
            w.strip(".") in NOT_NAMES
            or is_plain_brand(w)
            or w.lower() in COMPANY_SUFFIXES
            or _function_word(w)  # "Meine Nummer 0171 ..."
            for w in words
        ):
            if len(words) == 1 and (words[0] not in given_names() or words[0] in AMBIGUOUS_GIVEN):
                continue  # one word alone before a number: only a given name ("Chiamaka, 0803 ..."), not "Call 0800 ..."
            spans.append((m.start(1), m.end(1), "PERSON"))
    names = given_names()
    for m in GREETING_NAME.finditer(text):
        g = 1 if m.group(1) else 2
        words = m.group(g).split()
        if g == 2 and not (words[0] in names or not words[0].isascii()):
            continue  # "Shopping here feels like a chore"
        checked = words if g == 1 else words[:1]  # "Nguyễn Văn An here": "An" is no article there
        # a greeting word's plural is still one: "Dear Sirs"
        greeted = (w.strip(".") in GREETED or w.strip(".").removesuffix("s") in GREETED for w in checked)
        if (
            not any(w.strip(".") in NOT_NAMES for w in checked)
            and not any(greeted)
            and not any(is_plain_brand(w) for w in words)
        ):
            spans.append((m.start(g), m.end(g), "PERSON"))
    for m in FAMILY_NAME.finditer(text):
        if _PLAN_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "el plan Familia Max": a plan's name
        g = 1 if m.group(1) else 2
        if not is_plain_brand(m.group(g)) and m.group(g).split()[0] not in NOT_NAMES:
            spans.append((m.start(g), m.end(g), "PERSON"))
    for m in FAMILY_SIGNS.finditer(text):
        family = m.group(1)
        if (
            family[:-1] not in NOT_NAMES
            and family.lower() not in bank_vocabulary()
            and not is_plain_brand(family)
        ):
            spans.append((m.start(1), m.end(1), "PERSON"))
    kin = not _KIN_OTHER_WORDS.isdisjoint(w.lower() for w in _WORDS.findall(text))
    cues = [*OTHER_LANG_NAME_CUE.finditer(text), *(KIN_NAME_CUE.finditer(text) if kin else ())]
    for m in cues:
        if m.group(2):
            if lower_given(m.group(2)) and not common_lower(m.group(2)):
                spans.append((m.start(2), m.end(2), "PERSON"))
            continue
        words = m.group(1).split()
        if words[0] in GODS or (m.group(1) in PLACES and GREETING_FROM.match(m.group(0))):
            continue  # "Gracias a Dios": thanks to God; "Saludos de Madrid": greetings from a town
        if _GERMAN_CUE.match(m.group(0)) and words[0] not in names:
            continue  # German nouns are capitalised: "Der Fahrer Paket ..." needs a name the lists know
        if (
            len(words) == 1
            and english_word(words[0])
            and words[0] not in names
            and words[0] not in word_names()
        ):
            continue  # "Le Directeur Commercial": the title's own adjective
        if not any(w.strip(".") in NOT_NAMES for w in words) and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in FIRST_LAST.finditer(text):
        last_words = m.group(2).split()
        if (
            m.group(1) in names
            and not _function_word(m.group(1))
            and not any(  # not "Meine Nummer"
                w in NOT_NAMES or is_plain_brand(w) for w in last_words
            )
            # "I Will Be Cancelling Due To ...": a sentence in title case, not "Will" and a surname
            and not any(
                w.lower() in stop_words()["en"] and w.lower() not in _NAME_PARTICLE_WORDS for w in last_words
            )
        ):
            if not STREET_SUFFIX.fullmatch(last_words[-1]):  # "Willow Lane", "Victoria Road": a street
                spans.append((m.start(), m.end(), "PERSON"))
    for m in HONORIFIC_NAME.finditer(text):
        if not is_plain_brand(m.group(1)) and not is_plain_brand(m.group(0)):  # "Dr. Martens"
            spans.append((m.start(), m.end(), "PERSON"))
    for m in find_at(SIGN_OFF, text, sign_off_starts(text)):
        words = m.group(1).split()
        if not any(w.strip(".") in NOT_NAMES for w in words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in DASH_SIGN_OFF.finditer(text):
        words = m.group(1).split()
        first = words[0]
        if all(w in PLACES for w in words):
            continue  # "--\nKasia Lewandowska\nKraków": the town under the name
        if first in names or first.endswith(".") or not first.isascii() or _non_ascii_name(words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in find_at(LOWER_SIGN_OFF, text, closing_starts(text)):
        words = m.group(1).split()
        spaced = not re.search(r"[,:\n-]", text[m.start() : m.start(1)])
        if lower_signed(words, known_only=True) if spaced else lower_name(words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_DASH_SIGN_OFF.finditer(text):
        words = m.group(1).split()
        # a name that is also a word signs alone after a finished sentence: "gave up. - will"
        alone = len(words) == 1 and words[0].title() in AMBIGUOUS_GIVEN and _ENDED.search(text, 0, m.start(1))
        # a common word alone after a dash, no given name, is what the answer is about: "Hazel again — bins"
        subject = len(words) == 1 and _common_word(words[0])
        if (lower_signed(words) and not subject) or alone or surname_first(words):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_INTRO.finditer(text):
        if lower_signed([m.group(1)]):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in find_at(CAPS_AFTER_CLOSING, text, closing_starts(text)):
        if _caps_name(m.group(1).split()):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in KISS_SIGN_OFF.finditer(text):
        word = m.group(1)
        if (word in names and word not in AMBIGUOUS_GIVEN) or lower_given(word):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in POSSESSIVE_NAME.finditer(text):
        if m.group(1) in names and m.group(1) not in AMBIGUOUS_GIVEN and not is_plain_brand(m.group(1)):
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in find_at(INITIALS_SIGN_OFF, text, closing_starts(text)):
        if m.group(1).strip() not in _NOT_INITIALS:
            spans.append((m.start(1), m.start(1) + len(m.group(1).rstrip()), "PERSON"))
    for m in CAPS_SIGN_OFF.finditer(text):
        words = m.group(1).split()
        # "HOPE EVANS": a name that is also a word counts with a surname no word
        word_name = words[0].title() in word_names() and not any(common_lower(w.lower()) for w in words[1:])
        if words[0].title() in names or word_name:
            spans.append((m.start(1), m.end(1), "PERSON"))
    for m in LOWER_CUE_NAME.finditer(text):
        for g in (1, 2):
            if m.group(g) and lower_given(m.group(g)):
                spans.append((m.start(g), m.end(g), "PERSON"))
    for m in NAME_CUE.finditer(text) if cued else ():
        words = m.group(1).split()
        while words and (words[0].strip(".") in NOT_NAMES or _CONTRACTION.fullmatch(words[0])):
            words.pop(0)
        if not words or (len(words) < len(m.group(1).split()) and words[0] not in names):
            continue  # "Regards, Customer Success", "Best, The Brightloop team": a team, not a person
        if any(w.lower().strip(".") in COMPANY_SUFFIXES for w in words):
            continue  # "Operations Manager\nAcme Ltd": a company
        if len(words) == 1 and common_lower(words[0].lower()) and _NUMBER_AFTER.match(text, m.end(1)):
            continue  # "the contract for Desk 12": a numbered thing, not a person
        if all(w in PLACES and w not in names for w in words):
            continue  # "Ops Manager, Leeds": a town on a signature line
        if JOB_TITLE.search(text[m.start() : m.start(1)]) and words[0] not in names:
            if (
                words[0].lower() in bank_vocabulary()
                or words[0] in PLACES
                or SIGNATURE_TITLE.search(text[: m.start(1)])
                or not OWNED_TITLE.search(text[max(0, m.start() - 12) : m.start(1)])
            ):
                continue  # "the CEO Dashboard", "Director, Bristol", "CTO, Northwind Ltd", "Owner Financing"
        start = m.start(1) + m.group(1).index(words[0])
        spans.append((start, m.end(1), "PERSON"))
    return spans
