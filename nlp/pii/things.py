"""Things named like people, told by the words around the whole capitalised run: a provider the
customer switched to ("we use Molly Maid now"), a place travelled to ("flew into Marco Polo"), a
feast ("a Burns Night party"), a show watched ("finished Ted Lasso"), a firm ("at Ernst & Young",
"Joe & The Juice") or a brand that offers more ("Chase Sapphire gives better points").

Each shape is one a person's name does not take. A single known given name is left to the name
rules ("switched to Max" is decided by :func:`brands.in_product_context`), since a leaked name is
worse than a lost word; a run of two words or more, or one word that is no given name, is kept.

:func:`is_named_by_deed` (h-pii44) reads what the sentence does with the run: a shop "chez" which
one buys ("je vais chez Paul pour mes sandwichs"), a maker after a work ("les films de Louis de
Funès"), a show seen at a theatre, a firm of two names with one verb ("Toni & Guy ... does"),
goods named by their maker ("Old Mother Hubbard treats"), goods on offer, where one shops and an
area a service covers (a known place). Goods by their maker and the last four slots keep no run
that opens on a given name, read from any of its words ("Saw Kevin
Brown at the Royal Albert Hall"), and no noun a person sends or owns makes goods ("Kevin Brown
emails were never answered").
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ..languages import looks_non_english, stop_words
from .lexicon import english_modifier, english_noun, english_verb, irregular_verb
from .words import TITLE_WORDS, foreign_words, given_names_lower

# The capitalised run around a span: "[Toni & Guy]", "[Joe & The Juice]", "[Charles de Gaulle]".
# A word ends at a full stop unless it is an abbreviation ("Jr.", "St."): a run never crosses sentences.
_CAP = r"(?:(?:Jr|Sr|St|Ste|Dr|Mt|Ft|Mr|Mrs|Ms)\.|[A-Z][\w'’-]*)"
_RUN_BEFORE = re.compile(rf"(?:(?<![\w'’]){_CAP}[ \t]+(?:(?:&|de|da|du|del|van|von)[ \t]+)?)$")
_RUN_AFTER = re.compile(rf"[ \t]+(?:(?:&|de|da|du|del|van|von)[ \t]+)?(?:The[ \t]+)?{_CAP}")

# The customer now uses it: "switched to", "moved my savings over to", "we use", "signed up with".
# Not "transferred to" or "put through to" alone: a call is passed to a person.
_SWITCH_BEFORE = re.compile(
    r"(?i)\b(?:(?:switch(?:ed|ing)?|mov(?:ed|ing)|migrat(?:ed|ing)|defect(?:ed|ing)|jump(?:ed|ing) ship|drift(?:ed|ing))"
    r"(?:[ \t]+(?:my|our|the|all|all my|all our)[ \t]+\w+)?|"
    r"transferr?(?:ed|ing)?[ \t]+(?:my|our|the|all|all my|all our)[ \t]+\w+)"
    r"[ \t]+(?:over[ \t]+)?(?:to|with)[ \t]+$|"
    r"\b(?:we|i|they|now|still|all)[ \t]+(?:use|using)[ \t]+$|"
    r"\b(?:signed up with|(?:now|instead)[ \t]+with|went with|gone with|going with|(?:loan|mortgage|policy|insurance|insured|banking|"
    r"booking|flying|flights?|account|plan|contract)[ \t]+with|(?:going|went|go|gone)[ \t]+(?:over[ \t]+)?to)[ \t]+$"
)
# "going to X" alone could be a person; with "instead" or "now" after, it is where they went.
_INSTEAD_AFTER = re.compile(r"(?i)[ \t]+(?:instead|now|from now on)\b")
_GO_TO_BEFORE = re.compile(r"(?i)\b(?:going|went|go|gone)[ \t]+(?:over[ \t]+)?to[ \t]+$")

# Travelled to, from or through: "flight to", "flew into", "on the way back from", "pickup at".
_TRAVEL_BEFORE = re.compile(
    r"(?i)\b(?:flights?|flew|fly|flying|landed|landing|arrived|arriving|arrive|departed|departing|"
    r"connection|layover|stopover|trip|route|routes|journey|train|drive|drove|taxi|cab|ride|"
    r"pick-?up|picked up|drop-?off|dropped off|luggage|way(?:[ \t]+back)?)[ \t]+(?:\w+[ \t]+)?"
    r"(?:to|into|from|at|in|via|out of)[ \t]+$"
)
# An area a service covers: "the dog walking service stopped covering Harrogate", "no longer serves
# Keswick" (not "covering for Sarah", "covering Sarah's shift": a person or whose something is).
_AREA_BEFORE = re.compile(
    r"(?i)\b(?:cover(?:s|ed|ing)?|serv(?:e|es|ed|ing))[ \t]+(?:all of[ \t]+|the whole of[ \t]+)?$"
)

# In or near a place: "the nearest store is in Charlotte", "signal in Alice Springs".
_IN_BEFORE = re.compile(r"(?i)\b(?:in|near|around|outside|across|throughout)[ \t]+$")
# Moved or drove somewhere: "moved up to Darwin", "relocated to", "drove down to".
_MOVED_BEFORE = re.compile(
    r"(?i)\b(?:mov(?:ed|ing)|relocat(?:ed|ing)|drove|driving|walked|cycled|commut(?:e|ed|ing))[ \t]+"
    r"(?:(?:up|down|back|out|over|away|across)[ \t]+)?(?:to|into|from)[ \t]+$"
)

# A feast named after a person: "Burns Night", "Martin Luther King Jr. Day", after a word of time
# or another feast (not "The technician, Mackenzie Day, ...").
_FEAST_END = re.compile(r"[ \t](?:Day|Night|Eve)$")
_FEAST_NEXT = re.compile(r"(?:['’]s)?[ \t]+(?:Day|Night|Eve)\b")
_TIME_BEFORE = re.compile(
    r"(?:\b(?i:on|for|over|during|since|until|till|before|after|a|the|this|last|next|every|each|at)|"
    r"[A-Z][\w'’]*[ \t]+(?:and|or))[ \t]+$"  # "over Thanksgiving and [Martin Luther King Day]"
)

# A show or book watched, read or lost: "finished Ted Lasso", "all of Ted Lasso", "the X series".
_WATCH_BEFORE = re.compile(
    r"\b(?i:watch(?:es|ed|ing)?|re-?watch(?:es|ed|ing)?|finish(?:es|ed|ing)?|binged?|bingeing|binging|read|"
    r"reading|"
    r"stream(?:s|ed|ing)?|(?:all|half|most|rest|(?:seasons?|episodes?|series)(?:[ \t]+\d+)?) of)[ \t]+"
    # the titles listed before this one: "watch Peppa Pig and [Paw Patrol]"
    r"(?:(?:[A-Z][\w'’-]*[ \t]*)+(?:,|&|and|or)[ \t]+)*$"
)
_WATCH_AFTER = re.compile(
    r"(?i)(?:['’]s)?[ \t]+(?:series|season|seasons|episodes?|serialisation|serialization|serial|reruns?|"
    r"box ?set|spin-?off|reboot|franchise|sitcom|cartoons?|comics?|strip|novels?)\b"
)
_POSSESSIVE = re.compile(r"['’]s\b")

# "the" before the run: "The Ruth's Chris partnership" (not "the Okafor family").
THE_BEFORE = re.compile(r"(?<![\w'’])(?i:the)[ \t]+$")
FAMILY_AFTER = re.compile(r"[ \t]+(?i:family|household|residence|twins|clan|kids|boys|girls)\b")

# A firm: "at Ernst & Young", "Joe & The Juice" (not "for Ngozi & Femi": a couple).
_AT_BEFORE = re.compile(r"(?i)\bat[ \t]+$")

# A provider that offers more than the survey's company: "Chase Sapphire gives better points".
_OFFERS_MORE = re.compile(
    r"(?i)[ \t]+(?:gives?|gave|offers?|offered|pays?|paid|has|had|charges?|charged)[ \t]+(?:(?:a|an|the)[ \t]+)?"
    r"(?:(?:way|much|far|a lot)[ \t]+)?(?:better|cheaper|more|higher|lower|faster|bigger|less|same)\b|"
    r"[ \t]+(?:(?:way|much|far)[ \t]+)?cheaper[ \t]+(?:on|at|from|in|elsewhere)\b"  # "found Elizabeth Arden cheaper on"
)


# A shop or firm after French "chez" when the sentence speaks of buying, prices or switching: "Je
# vais chez Paul pour mes sandwichs", "les croissants de chez Paul", "passée chez Alan, moins cher"
# (not "le colis est chez Marie": no such word, and a delivery is left at someone's home, "colis
# livré chez Sophie Martin"; nor after a title, "chez Mme Roux"; nor a given name and a surname,
# "commande laissée chez Marie Lefèvre": a shop called after a person goes by one name).
_CHEZ_BEFORE = re.compile(r"(?<![\w'’])(?i:chez)[ \t]+$")
_CHEZ_TRADE = re.compile(
    r"(?i)\b(?:de chez|moins cher|plus cher|meilleur|meilleurs|meilleure|mieux|plus simple|prix|promos?|"
    r"achat|ach[eè]t|command|abonn|client|cliente|résili|offre|tarif|sandwich|croissant|pain|café|menu)"
)
# Going there says shop only for a name that is no given name ("je suis passé chez Free"; "je
# suis passée chez Marie hier soir" is a visit).
_CHEZ_GONE = re.compile(r"(?i)\b(?:pass[ée]e?s?|partie?s?|vais|allons|allez|all[ée]e?s?|parti)\b")
# a title says person; French lawyers and doctors too ("Me Roux", "Docteur Blanc")
_TITLES = rf"(?:{TITLE_WORDS}|Me|Docteur|Ma[iî]tre)"
_TITLE_FIRST = re.compile(rf"{_TITLES}\.?[ \t]")
# A work and its maker: "les films de Louis de Funès", "books by Sally Rooney", "narrated by Stephen
# Fry", "die Bücher von Sebastian Fitzek" (not "the email from Sarah": no work before).
_WORK_BY_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:films?|movies?|books?|novels?|audiobooks?|albums?|songs?|music|podcasts?|shows?|"
    r"series|plays?|poems?|poetry|paintings?|exhibitions?|memoirs?|biograph(?:y|ies)|autobiograph(?:y|ies)|"
    r"cookbooks?|recipes|lyrics|specials?|concerts?|sketches|narrated|sung|painted|composed|starring|"
    r"livres?|romans?|chansons?|disques?|spectacles?|pel[íi]culas?|libros?|novelas?|canciones|discos?|"
    r"filmes?|livros?|m[úu]sicas?|romances?|b[üu]cher|buch|filme|lieder|romane|serien|alben)"
    r"[ \t]+(?:by|of|de|d['’]|du|des|del|da|do|dos|das|von|vom)[ \t]*$"
)
# A show seen at a venue: "Saw Hamilton at the Victoria Palace Theatre", "watched Wicked at the Apollo".
_SAW_BEFORE = re.compile(r"(?i)\b(?:saw|seen|see|seeing|watch(?:ed|ing)?|tickets?[ \t]+(?:for|to))[ \t]+$")
_AT_VENUE = re.compile(
    r"[ \t]+(?:at|in)[ \t]+(?:the[ \t]+)?(?:[A-Z][\w'’-]*[ \t]+){0,3}"
    r"(?:Theatre|Theater|Arena|Stadium|Palladium|Apollo|Coliseum|Playhouse|Opera House|Hall|Dome|Lyceum|Olympia)\b"
)
# Two names joined by "&" that take a verb for one: a firm ("Toni & Guy in Kensington does a better
# cut"); a couple takes a verb for two ("Grace & Tom do ...", "Grace & Tom were").
_ONE_VERB_AFTER = re.compile(
    r"(?P<branch>[ \t]+(?:in|on|at)[ \t]+(?:[A-Z][\w'’-]*[ \t]*){1,3})?[ \t]+(?:does|has|is|was|gives|keeps|makes|"
    r"(?P<trade>charges|offers|sells|delivers|beats|stocks|ships))\b"
)


def _one_firm(name: str, text: str, run_end: int) -> bool:
    """Do two names joined by "&" take a verb for one, as a firm does? Two given names alone
    ("Tom & Grace was great") are a couple written with a singular verb, as people often write
    it, unless a branch ("Toni & Guy in Leeds does") or a trade ("... charges less") says firm."""
    m = _ONE_VERB_AFTER.match(text, run_end)
    if m is None:
        return False
    words = name.split()
    names = given_names_lower()
    # two different given names ("Johnson & Johnson" is one firm's name said twice)
    couple = (
        len(words) == 3
        and words[1] == "&"
        and words[0] != words[2]
        and all(w.lower() in names for w in words[::2])
    )
    return not couple or bool(m.group("branch") or m.group("trade"))


# Where one shops or what one buys from, in the five languages: "I now shop at", "bought it from",
# "compré en", "comprei tudo na", "nos pasamos a", "mudei para a" (a lone given name is left to the
# name rules: "bought it from Kevin" may be a seller).
_SHOP_BEFORE = re.compile(
    r"(?i)\b(?:shop(?:s|ped|ping)?[ \t]+(?:at|with)|(?:bought|buy(?:ing)?)[ \t]+(?:(?:it|them|one|mine|ours|everything|all|"
    r"the same)[ \t]+)?at|order(?:s|ed|ing)?[ \t]+(?:(?:it|them|everything|all)[ \t]+)?(?:from|at)|"
    r"compr(?:é|e|o|amos|ei|ou|aron|ava)[ \t]+(?:\w+[ \t]+)?(?:en|na|no|em|nas|nos)|"
    r"(?:me|nos|se)[ \t]+pas(?:é|e|amos|aron|ó)[ \t]+a|mud(?:ei|amos|ou|aram)[ \t]+(?:\w+[ \t]+)?para[ \t]+(?:a|o)?|"
    r"troc(?:amos|ei|ou)[ \t]+(?:\w+[ \t]+)?(?:pela|pelo))[ \t]*$"
)
# What goods do and not people: "Johnnie Walker was on offer elsewhere", "X is out of stock".
_STOCK_AFTER = re.compile(
    r"(?i)[ \t]+(?:(?:was|is|were|are|went|goes|got|has been|had been)[ \t]+)?(?:(?:back|always|never|still)[ \t]+)?"
    r"(?:on offer|on sale|in stock|out of stock|sold out|discounted|half price|on promo(?:tion)?)\b"
)
# A lower-case noun right after the run, with no "'s": what the name is on ("Old Mother Hubbard
# treats"; never for a run that opens on a given name: "Sophie Allport tea towels" is redacted,
# as "Kevin Brown apology" must be). A word that is also a verb counts only in
# the plural with no object after it ("Kevin calls me" is a person acting), and words that follow a
# person ("Kevin today", "Sarah Jones account", "the Okafor family") never count.
_NOUN_AFTER = re.compile(r"[ \t]+([a-z]{3,})\b(?![-'’])(?:[ \t]+([a-z]+))?")
_NOT_GOODS = frozenset(
    "today tonight yesterday tomorrow morning evening afternoon night week weekend month year time times back "
    "loads lots thanks thank mate bro guys team agent manager customer client member account number policy "
    "ticket case order reference phone mobile email address birthday family household residence twins clan "
    "kids boys girls husband wife son daughter mum dad mom brother sister partner boss surgery office desk "
    "line name plan contract deal who whom whose why what when where which how there here then now too also "
    "wont cant dont didnt doesnt isnt wasnt arent werent hasnt havent couldnt wouldnt shouldnt ive im "
    # what a person writes, sends or owns, its "'s" left out: "Kevin Brown emails were never answered"
    "replies reply emails email messages message texts calls photos pictures screenshots letters notes posts "
    "comments reviews details documents files records complaints requests claims answers responses voicemails "
    "car keys house flat bag phone laptop card shift rota calendar diary".split()
)
_BE_PLURAL = frozenset({"are", "were", "arent", "werent"})
# A person owed or sent something: "sent Kevin photos", "gave Priya feedback".
_GIVE_BEFORE = re.compile(
    r"(?i)\b(?:sent|send|gave|give|showed|show|told|tell|emailed|texted|messaged|owe|owed|paid|pay|bought|"
    r"brought|offered|handed|asked|wish|wished|let|make|made|have|had|got|get)[ \t]+$"
)
_WHOSE_BEFORE = re.compile(r"(?i)\b(?:my|our|his|her|their|your)[ \t]+[a-z]+[ \t]+$")
_TITLE_BEFORE = re.compile(rf"(?<![\w'’]){_TITLES}\.?[ \t]+$")


def _goods_noun_after(text: str, run_start: int, run_end: int, span_start: int) -> bool:
    """Is the run followed by a plain noun it names, as a maker or creator names its goods? Only in
    English ("Joana era", "Andrés vino" are a name and its verb), and only a noun that is no
    adjective or adverb ("Priya here", "Aoife three times", "Amir left") nor, unless plural before
    "are"/"were", a verb ("Pete knows", "Steve keeps leaving")."""
    m = _NOUN_AFTER.match(text, run_end)
    if m is None or not text[span_start].isupper() or foreign_words(text) or looks_non_english(text):
        return False
    word, nxt = m.group(1), m.group(2)
    if english_noun(word) is not True or english_modifier(word) or irregular_verb(word):
        return False
    if word in stop_words().get("en", frozenset()) or word.endswith(("nt", "s")) and english_verb(word[:-2]):
        return False  # "Blessing who", "omar does", "Pemberton wont": function words and verbs
    if word in _NOT_GOODS or _GIVE_BEFORE.search(text, max(0, span_start - 20), span_start):
        return False
    if _WHOSE_BEFORE.search(text, max(0, span_start - 30), span_start):
        return False  # "My sister Rutendo Gumbo Business owner": a relative or a role says person
    titled = (_TITLE_BEFORE.search(text, max(0, i - 8), i) for i in (run_start, span_start))
    if any(titled) or _TITLE_FIRST.match(text, run_start):
        return False  # "Dr Patel surgery": a title says person
    if english_verb(word) or word.endswith("ed"):
        return word.endswith("s") and not word.endswith("ss") and nxt in _BE_PLURAL
    return True


def is_named_by_deed(text: str, start: int, end: int) -> bool:
    """Is the capitalised run around the span a shop, a maker's work or a show by what the sentence
    does with it: a shop "chez" which one buys, a maker after a work ("les films de Louis de
    Funès"), a show seen at a theatre, or two names joined by "&" with one verb for both (a firm)?"""
    run_start, run_end = capital_run(text, start, end)
    # read from each word of the run and of the span: "[Saw Hadestown] at the ... Theatre" opens its
    # sentence; but a run that opens on a given name is a person's wherever it is read from
    # ("Kevin Brown apology": not "Brown" + goods)
    words = text[run_start:run_end].split()
    person_first = bool(words) and words[0].lower() in given_names_lower()
    if "&" in words and _one_firm(text[run_start:run_end], text, run_end):
        return True  # "Toni & Guy in Kensington does a better cut": one firm (read on the whole run)
    starts = [run_start + m.start() for m in _WORD_START.finditer(text[run_start:end])]
    return any(_deed_at(text, s, run_end, start, person_first) for s in starts)


def _deed_at(text: str, run_start: int, run_end: int, span_start: int, person_first: bool = False) -> bool:
    before = text[max(0, run_start - 60) : run_start]
    sentence = (
        re.split(r"[.!?\n]", text[max(0, run_start - 120) : run_start])[-1] + text[run_end : run_end + 80]
    )
    name = text[run_start:run_end]
    titled = _TITLE_FIRST.match(name) is not None
    full_name = len(name.split()) > 1 and name.split()[0].lower() in given_names_lower()
    if (
        not titled
        and not full_name
        and _CHEZ_BEFORE.search(before)
        and _CHEZ_TRADE.search(sentence.split(".")[0])
    ):
        return True
    if _WORK_BY_BEFORE.search(before):
        return True
    if _STOCK_AFTER.match(text, run_end):
        return True
    # a person's name is a given name first ("Saw Kevin Brown at the Royal Albert Hall", "chez
    # Marie Dubois", "covering Priya Shah", "Kevin Brown supervisor" with its "'s" left out):
    # these slots keep only names that open on none
    if (
        person_first
        or name.split()[0].lower() in given_names_lower()
        or name.endswith(("'s", "’s"))
        or _POSSESSIVE.match(text, run_end)
    ):
        return False  # "covering Okafor's shift": whose something is
    if _goods_noun_after(text, run_start, run_end, span_start):
        return True  # "Tyrrells crisps", "Old Mother Hubbard treats"
    if _SAW_BEFORE.search(before) and _AT_VENUE.match(text, run_end):
        return True
    if _AREA_BEFORE.search(before):
        from .places import known_place  # places reads capital_run from here

        return known_place(name)  # "stopped covering Harrogate"; not "the engineer covering Nowak"
    if _SHOP_BEFORE.search(before):
        return True  # "I now shop at Emma Bridgewater"
    gone = _CHEZ_GONE.search(sentence.split(".")[0]) is not None
    return _CHEZ_BEFORE.search(before) is not None and not titled and gone  # "je suis passé chez Free"


# No thing's or person's name runs longer: an answer typed In Title Case is no one name, and an
# unbounded run made every name in it read the whole run again (minutes for 2,000 characters).
MAX_RUN_WORDS = 10


@functools.lru_cache(maxsize=8)
def per_text(text: str, kind: str) -> dict:
    """A memo of ``kind`` for one text: the checks of :func:`brands.drop_kept_names` ask the same
    question of the same text once per span and again on its second pass, and a text dense with
    names holds thousands of spans (the last few texts are kept; h-piiperf)."""
    return {}


def capital_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of capitalised words (joined by "&", "The" after it, or a particle) around a span,
    at most :data:`MAX_RUN_WORDS` words each way (each span's run found once per text)."""
    memo = per_text(text, "capital_run")
    key = (start, end)
    if key not in memo:
        memo[key] = _capital_run(text, start, end)
    return memo[key][:2]


def _capital_run(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """The run (see :func:`capital_run`) and whether it was cut at :data:`MAX_RUN_WORDS` on both sides."""
    cut = 0
    for _ in range(MAX_RUN_WORDS):
        m = _RUN_BEFORE.search(text, max(0, start - 30), start)
        if m is None or m.end() != start:
            break
        start = m.start()
    else:
        cut += 1
    for _ in range(MAX_RUN_WORDS):
        if (m := _RUN_AFTER.match(text, end)) is None:
            break
        end = m.end()
    else:
        cut += 1
    return start, end, cut == 2


def deep_in_run(text: str, start: int, end: int) -> bool:
    """Does the capitalised run go on past :data:`MAX_RUN_WORDS` words on both sides of the span?
    No thing's name is that long and no context reaches into it ("Anna Anna Anna ...", a ticket
    of names): such a span is read as a name without the checks that read each word of its run,
    which made a text dense with names take minutes (h-piiperf)."""
    memo = per_text(text, "capital_run")
    key = (start, end)
    if key not in memo:
        memo[key] = _capital_run(text, start, end)
    return memo[key][2]


# The word after a run, when it is the run's verb or says who someone is: "Cabot Nkechi [handled]
# it", "Aviva Nkechi [was] great", "the Talbot Maria [from] reception".
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b")


def _starts_clause(text: str, end: int) -> bool:
    """Does the text after ``end`` go on with a finite verb or "from" (a person's desk or team), so that
    the given name before it is the subject of a new clause: "we use Cabot Nkechi handled it"?"""
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group(1)
    # a verb in the past or present tense ("handled", "sorts", "was"), not "dining" or "stuff"
    return word == "from" or irregular_verb(word) or (word.endswith(("ed", "s")) and english_verb(word))


def _name_after_thing(text: str, run_start: int, end: int) -> bool:
    """Is the run's last word a given name, after a thing's name, starting a new clause ("moved our
    pensions to Aviva [Nkechi] was great", "Stayed at the Talbot [Maria] from reception")?"""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in text[run_start:end].split()]
    names = given_names_lower()
    # the thing's own words are no given names: "Charles Stanley", "Ruth's Chris" are one name each
    return (
        len(words) > 1
        and words[-1] in names
        and not any(w in names or w == "&" for w in words[:-1])
        and _starts_clause(text, end)
    )


def is_named_thing(text: str, start: int, end: int) -> bool:
    """Is the capitalised run around ``text[start:end]`` a provider, place, feast, show or firm by
    its context (see the module's docstring)? The words before are read before the run and before
    the span itself: "[Finished] Ted Lasso" opens the sentence with its verb. A given name ending
    the run and starting a new clause is a person, and the thing's name does not shield it."""
    run_start, end = capital_run(text, start, end)
    starts = [run_start + m.start() for m in _WORD_START.finditer(text[run_start : start + 1])]
    return any(_thing_at(text, s, end) for s in starts)


_WORD_START = re.compile(r"(?<!\S)\S")


def _thing_at(text: str, start: int, end: int) -> bool:
    name = text[start:end].rstrip(".")
    words = name.split()
    if not words:
        return False
    said = _before_says(text[max(0, start - 50) : start])
    after = text[end : end + 40]
    whose = _POSSESSIVE.match(text, end) or name.endswith(("'s", "’s"))
    if whose and not _WATCH_AFTER.match(text, end):
        return False  # "all of Sarah's emails", "in Sarah's team": whose something is
    if said.place:
        return True  # "flew into Marco Polo", "the nearest store is in Charlotte": a place
    if len(words) == 1 and name.lower() in given_names_lower():
        return False  # "went to Dave instead": a lone given name may be a person
    # "the Talbot Maria from reception", "we use Cabot Nkechi handled it": the thing has a person after it
    person_after = _name_after_thing(text, start, end)
    if not person_after and len(words) > 1 and said.the and not FAMILY_AFTER.match(text, end):
        return True
    if not person_after and said.switch:
        return not said.go_to or bool(_INSTEAD_AFTER.match(after))
    if (_FEAST_END.search(name) or _FEAST_NEXT.match(text, end)) and said.time:
        return True
    if said.watch or _WATCH_AFTER.match(text, end):
        return True
    if "&" in words and (said.at or "The" in words[words.index("&") :]):
        return True
    return len(words) > 1 and bool(_OFFERS_MORE.match(text, end))


class _Before(NamedTuple):
    """What the words before a run say of it (see :func:`_thing_at`)."""

    place: bool
    the: bool
    switch: bool
    go_to: bool
    time: bool
    watch: bool
    at: bool


@functools.lru_cache(maxsize=4096)
def _before_says(before: str) -> _Before:
    """The patterns of :func:`_thing_at` on the 50 characters before a run, read once per such
    text: every word of every run is read from (a text dense with names repeats them)."""
    return _Before(
        place=bool(
            _TRAVEL_BEFORE.search(before) or _MOVED_BEFORE.search(before) or _IN_BEFORE.search(before)
        ),
        the=bool(THE_BEFORE.search(before)),
        switch=bool(_SWITCH_BEFORE.search(before)),
        go_to=bool(_GO_TO_BEFORE.search(before)),
        time=bool(_TIME_BEFORE.search(before)),
        watch=bool(_WATCH_BEFORE.search(before)),
        at=bool(_AT_BEFORE.search(before)),
    )
