"""Which of the NER model's PERSON entities to redact, and when to run the model at all.

The small English model tags many product names as people ("switched to Notion because it has
Gantt charts") and every German noun looks like a name to it; these checks keep recall on real
names (a leaked name is worse than a lost word) without eating the answer's brands.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..languages import detect_language, guess_language, looks_non_english, stop_words
from .brands import (
    PRODUCT_AFTER,
    PRODUCT_BEFORE,
    in_product_context,
    is_brand,
    is_name_brand,
    name_key,
    near_brand,
)
from .context import widen_lists
from .families import family_names
from .given import opening_verb
from .names import CLOSING, NAME_WORD, SHOP_AFTER
from .plain import trim_plain
from .signature import widen_names
from .spans import Span
from .teams import drop_teams, is_team
from .words import (
    AMBIGUOUS_GIVEN,
    COMMON_NOUNS,
    FOREIGN_FUNCTION_WORDS,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    NOT_NAMES,
    NOT_PEOPLE,
    NOT_PERSON,
    PLACES,
    bank_vocabulary,
    brand_words,
    given_names,
    word_names,
)

if TYPE_CHECKING:  # importing nlp.pii must not load spaCy
    from spacy.tokens import Doc

NAME_CANDIDATE = re.compile(
    rf"(?<![.!?:]\s)(?<!^)(?<!\n)(?<![\w'’]){NAME_WORD}(?![\w'’])|"
    rf"(?:^|[.!?:]\s+|\n){NAME_WORD}(?:\s+{NAME_WORD})?\s+(?:in|from|at|on|of|was|is|were|said|told|never|here|"
    r"and|kept|promised|hung|called|emailed|did|didn't|had|has|'s|could|couldn't|would|wouldn't|"
    r"just|then|also|who|tried|refused|laughed|asked)\b"
)
_INITIAL = re.compile(r"[A-Z]\.")
ACRONYM_COMPOUND = re.compile(r"[A-Z0-9]{2,}-\w+")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*$")
# What follows a person rather than a thing: "Bill said", "Will was rude", "Grace from billing".
PERSON_AFTER = re.compile(
    r"(?i)\s*(?:['’]s\b|,|(?:from|in|at|on) (?:the )?(?:support|billing|sales|accounts|customer|reception|your)\b|"
    r"(?:said|says|told|tells|promised|helped|hung|called|rang|phoned|emailed|replied|answered|refused|laughed|"
    r"explained|agreed|assured|insisted|offered|tried|kept|never|did|didn't|could|couldn't|would|wouldn't|"
    r"and [A-Z]|(?:was|is) (?:so |very |really )?(?:rude|lovely|great|helpful|unhelpful|nice|kind|brilliant|"
    r"polite|amazing|useless|patient|friendly|the only))\b)"
)
# Words that label a detail and are not people when the detail follows ("Reg: ...", "Postcode is ...").
LABELS = frozenset(
    "reg ref postcode zip zipcode eircode plz cep tel mob mobile phone cell fax email e-mail iban bic swift "
    "acct invoice ticket case claim policy order booking pin dob address ssn nino nif dni cpf vat".split()
)
LABEL_AFTER = re.compile(r"\s*(?:[:#=]|(?:is|was|no\.?|number)\b)\s*[A-Za-z]{0,4}[\s-]?\d")
PLACE_BEFORE = re.compile(
    r"(?i)\b(?:in|em|en|near|around|outside|across|throughout|"
    r"(?:ships?|shipped|shipping|deliver(?:s|y|ed|ies|ing)?|flights?|fl(?:y|ies|ew)|trips?|relocat\w*)(?:\s+\w+)?\s+(?:to|into))\s+$"
)
# Currencies, which the small model tags as people after a nationality ("Russian Ruble").
CURRENCIES = frozenset(
    "ruble rubles rouble roubles peso pesos dollar dollars euro euros pound pounds yen yuan renminbi franc "
    "francs rupee rupees rupiah real reais lira liras krona kronor krone kroner zloty zlotys forint koruna "
    "baht dinar dinars dirham dirhams rand naira cedi shilling shillings won ringgit dong leu lev hryvnia "
    "riyal rial shekel shekels taka kwacha peseta pesetas".split()
)
_STOP = frozenset().union(*stop_words().values()) | FUNCTION_WORDS
# What never follows a person who opens a sentence: "Shambles of an outfit", "Clickbait every day".
_NO_SUBJECT_AFTER = re.compile(
    r"(?i)[ \t]+(?:of|every|each|again|everywhere|from start|all (?:day|week|year|over))\b"
)


def _opens_sentence(text: str, start: int) -> bool:
    """Does ``text[:start]`` end where a sentence starts (:data:`SENTENCE_START`)? Read from the
    character before its trailing white space, not from the text's start: once per name, that
    made a long answer of names quadratic."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return SENTENCE_START.search(text, max(0, at - 1), start) is not None


def ner_person_is_plausible(
    text: str, start: int, end: int, keep_names: tuple[str, ...] | list[str] = ()
) -> bool:
    """Should a PERSON entity of the NER model be redacted?

    The small model tags many product names as people ("switched to Notion because it has
    Gantt charts"). A known given name or a multi-word name is redacted unless it is a brand;
    a single unknown word is kept when its context says product (see ``PRODUCT_BEFORE``/
    ``PRODUCT_AFTER``), and redacted otherwise (recall first: a leaked name is worse than a
    lost word).
    """
    name = text[start:end].strip(" .,'’")
    if not name or re.fullmatch(CLOSING, name):
        return False  # "Vielen Dank, Sabine": the closing, not the name
    if is_brand(name, tuple(keep_names)):
        return is_name_brand(name) and not in_product_context(text, start, end)
    words = name.split()
    after = text[end : end + 40]
    owner_end = start + text[start:end].index(name) + len(name)
    if (
        len(words) == 1
        and text.startswith(("'s", "’s"), owner_end)
        and SHOP_AFTER.match(text, owner_end + 2)
        and opening_verb(text, start)
    ):
        return False  # "Visit Joe's instead", "Love Ben's new shop": a shop named after its owner
    if len(words) == 1 and name.lower() in LABELS and LABEL_AFTER.match(after):
        return False  # "Reg: YX21 BNF", "Postcode is EH3 9DR": the label of what follows
    opens = _opens_sentence(text, start)
    if len(words) == 1 and opens and name in AMBIGUOUS_GIVEN:
        return bool(PERSON_AFTER.match(after))  # "Bill went up 40%" vs "Bill said he'd call"
    if any(w in given_names() for w in words):
        return True
    if len(words) == 1 and name in PLACES:
        return False  # "Ops Manager, Leeds": a town (a town that is a given name went above)
    if len(words) == 1 and re.sub(r"(?<=\w\w)['’]?s$", "", name.lower()) in bank_vocabulary():
        return False  # "Recipes got repetitive", "from Starter to Pro": a word customers use, not a name
    if len(words) == 1 and near_brand(name):
        return False  # "Visa or Matercard?": a brand misspelt
    if words[-1].lower() in CURRENCIES:
        return False  # "swapped Russian Ruble for pounds": a currency
    if len(words) > 1 and all(w.lower() in bank_vocabulary() for w in words):
        return False  # "returned to Pet Smart": words customers use and no given name
    if words[0] in NOT_NAMES:
        return False  # "Customer Success", "Support Team": a team signs it
    if any(w.islower() and w not in NAME_PARTICLES for w in words[1:-1]):
        return False  # "Chatbot statt Menschen": a lower-case word inside is no name's particle
    if any(w.lower() in _STOP and w.lower() not in NAME_PARTICLES for w in words[1:-1]):
        return False  # "I Will Be Cancelling Due To ...": a sentence in title case, not a name
    if any(w.lower() in _STOP for w in (words[0], words[-1])):
        return False  # "Rufen Sie mich an": a function word is never the edge of a name
    if ACRONYM_COMPOUND.fullmatch(name) or in_foreign_sentence(text, start, end):
        return False  # German nouns are capitalised: "Kein Rechenzentrum", "DSGVO-Bedenken"
    if len(words) == 1 and name.lower() in COMMON_NOUNS:
        return False  # "Courier says ...", "Cleaner, and ..."
    if len(words) == 1 and opens and _NO_SUBJECT_AFTER.match(after) and name not in word_names():
        return False  # "Shambles of an outfit", "Clickbait every single day": a word opening a sentence
    if len(words) > 1:  # "Found Strava" at the start of a sentence: a brand word and no given name
        before = text[max(0, start - 40) : start]
        if PLACE_BEFORE.search(before) or PRODUCT_BEFORE.search(before):
            return False  # "moved to Da Nang", "outages in Ho Chi Minh": no given name, a place or product
        if any(_INITIAL.fullmatch(w) for w in words):
            return True  # "Yours, A. Grant": an initial and a surname, whatever brand shares the word
        return not any(name_key(w) in brand_words() for w in words)
    if name in NOT_PEOPLE:
        return False
    if re.search(r"\d\s*$", text[:start]):
        return False  # "200 Mbps"
    before, after = text[max(0, start - 40) : start], text[end : end + 30]
    if PLACE_BEFORE.search(before):
        return False  # "outages in Bangalore": a place; a known given name was redacted above
    if PRODUCT_BEFORE.search(before):
        return False
    return not PRODUCT_AFTER.search(after)


_SENTENCE_END = re.compile(r"[.!?\n]")
OTHER_LANGUAGES = frozenset({"de", "es", "fr", "pt"})
_LETTERS = re.compile(r"[^\W\d_]{2,}")


@functools.lru_cache(maxsize=8)
def _sentence_ends(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _SENTENCE_END.finditer(text))


def in_foreign_sentence(text: str, start: int, end: int) -> bool:
    """Does the sentence around ``text[start:end]`` read as German, Spanish, French or Portuguese?

    The English model takes the capitalised nouns of those languages for people ("Fehler
    gemeldet", "Es fehlen vegetarische Gerichte"). The sentence is judged without the entity's
    own words (a name must not make its sentence look foreign) and needs py3langid's 0.9, or its
    function words and py3langid's best guess to agree; a
    single unknown word also goes when its whole sentence reads 0.7 foreign ("Downloads im
    Schneckentempo"). Only that sentence counts: one foreign-looking word elsewhere in the answer
    ("Um, ...", "from Des Moines") changes nothing, and known given names were kept before this.
    A sentence of three words or fewer besides the entity is judged by the whole answer instead.
    """
    ends = _sentence_ends(text)  # where the sentence opens, found once per text (not per name)
    first = ends[bisect.bisect_left(ends, start) - 1] + 1 if ends and ends[0] < start else 0
    stop = _SENTENCE_END.search(text, end)
    last = stop.start() if stop else len(text)
    rest = f"{text[first:start]} {text[end:last]}"
    if not _LETTERS.search(rest):
        return False  # a name standing alone after the reason ("Demasiado caro. Ana Souza") signs it
    if len(_LETTERS.findall(rest)) < 4:
        # Three words or fewer left ("Günstigerer Anbieter gefunden.", "Schlechter Empfang in Bad
        # Tölz."): too few to tell a language,
        # so the rest of the answer, still without the entity, speaks for its sentence.
        rest = f"{text[:start]} {text[end:]}"
    if detect_language(rest, min_probability=0.9) in OTHER_LANGUAGES:
        return True
    vote = guess_language(rest)  # function words and py3langid agree: "El plan ... era demasiado caro"
    if vote in OTHER_LANGUAGES and detect_language(rest) == vote:
        return True
    single = len(text[start:end].split()) == 1
    return single and detect_language(text[first:last], min_probability=0.7) in OTHER_LANGUAGES


# Words that open a sentence and are never a person's name: without them "Why was my card
# declined?" looks like "Sarah was ...", which on BANKING77 sent about two texts in three to the
# NER model for nothing. A name elsewhere in the text still sends it.
NEVER_NAMES = re.compile(
    r"(?<![\w'’])(?:What|Why|Where|When|How|Who|Which|There|This|That|These|Those|It|It['’]s|"
    r"I['’](?:m|ve|d|ll)|Ive|You|We|They|He|She|Someone|Somebody|Something|Nothing|Nobody|"
    r"Everything|Everyone|Anyone|Anything)(?![\w'’-])"
)


def needs_ner(text: str) -> bool:
    """Cheap gate: could this text contain a person's name the patterns did not catch?

    True when a capitalised word stands mid-sentence, or a capitalised word opens a sentence
    and is followed by a verb/preposition a name typically takes ("Sarah in support..."); the
    words of ``NEVER_NAMES`` do not count. The small NER model costs about 3 ms a text on 2
    cores, so most texts skip it.
    """
    candidates = NEVER_NAMES.sub(lambda m: m.group(0).lower(), text)
    if not NAME_CANDIDATE.search(candidates):
        return False
    # A whole answer in another language goes without the English model (its names are found by
    # the cue patterns); the function-word vote and py3langid must both say so, so that one word
    # English shares with them ("Um, ...", "Des Moines") does not switch the model off.
    return not (looks_non_english(text) and detect_language(text) in OTHER_LANGUAGES)


# What only a person does after a name the model took for an organisation ("Le Minh Duc said").
_SAID = re.compile(r"\s+(?:said|says|told|tells|promised|rang|phoned|texted|laughed|shouted|hung up)\b")


def _org_is_person(text: str, start: int, end: int) -> bool:
    """An ORG entity of 2-3 name words, one a known given name and none a brand word, that says
    or promises something: the small model tags many Vietnamese and African names as ORG."""
    words = text[start:end].split()
    return (
        2 <= len(words) <= 3
        and bool(_SAID.match(text, end))
        and all(re.fullmatch(NAME_WORD, w) for w in words)
        and any(w in given_names() for w in words)
        and not any(name_key(w) in brand_words() or w in NOT_NAMES for w in words)
    )


_LOWER_TAIL = re.compile(
    r"(?<=\S)[ \t]+(?!(?:de|da|do|dos|das|del|della|di|la|le|du|van|von|der|den|bin|ibn|al|y|i)$)[a-zß-öø-ÿ]+$"
)
_FIRST_WORD = re.compile(r"([^\W\d_]+)[ \t]+(?=\S)")


def _past_opening_word(text: str, start: int, end: int) -> int:
    """Where the entity's name is judged from: past a word that opens the sentence and that customers
    write in lower case ("[Took] Quickcover's offer", "[Sorry] Maurice"), unless a name list knows it."""
    m = _FIRST_WORD.match(text, start, end)
    if m is None or not _opens_sentence(text, start):
        return start
    word = m.group(1)
    if word.lower() not in bank_vocabulary() or word in given_names() or word in word_names():
        return start
    if word in AMBIGUOUS_GIVEN or word.lower() in NAME_PARTICLES or word.lower() in FOREIGN_FUNCTION_WORDS:
        return start  # "Ohne Angabe von Gründen" is judged whole
    if word.lower() in family_names():
        return start  # "Park Ji-hoon": a family name written first
    if is_team(text[start:end]) or word in NOT_NAMES:
        return start  # "Equipe Financeira", "Customer Success": a team is judged whole
    if not text[m.end() : m.end() + 1].isupper():
        return start  # "Chatbot statt Menschen": what follows is no name's start
    return m.end()


def person_spans(doc: Doc, keep_names: Iterable[str] = (), text: str | None = None) -> list[Span]:
    """PERSON entities that look like people's names, not brands, products, currencies or codes.
    ``text`` is ``doc.text`` when the caller has it (``Doc.text`` is rebuilt on every call)."""
    doc_text = doc.text if text is None else text
    spans = []
    for ent in doc.ents:
        if ent.label_ == "ORG" and _org_is_person(doc_text, ent.start_char, ent.end_char):
            spans.append((ent.start_char, ent.end_char, "PERSON"))
        if ent.label_ != "PERSON":
            continue
        text = ent.text.strip(" .,'")
        if not text or not text[0].isupper() or any(ch.isdigit() for ch in text) or "[" in text:
            continue
        if (text.isupper() and len(text) > 1) or text.lower() in NOT_PERSON:
            continue
        end = ent.start_char + len(ent.text.split("\n")[0].rstrip())  # a name ends at its line's end
        if trim_plain(doc_text, (ent.start_char, end, "PERSON")) is None:
            continue  # "Xin chào", "Grandma": no name at all, judged before its words are cut
        # nor on a lower-case word: "Bev [xx]", "L'agence de la [rue]" (then judged without it)
        while (tail := _LOWER_TAIL.search(doc_text, ent.start_char, end)) is not None:
            end = tail.start()
        # judged whole and without a word that opens the sentence ("[Took] Quickcover's offer"), and
        # redacted whole when both say name: the word may be the name's own ("Curt Johannesson")
        start = _past_opening_word(doc_text, ent.start_char, end)
        whole = ner_person_is_plausible(doc_text, ent.start_char, end, tuple(keep_names))
        if whole and (
            start == ent.start_char or ner_person_is_plausible(doc_text, start, end, tuple(keep_names))
        ):
            spans.append((ent.start_char, end, "PERSON"))
    return drop_teams(doc_text, widen_lists(doc_text, widen_names(doc_text, spans)))
