"""Things named like people, told by the words around the whole capitalised run: a provider the
customer switched to ("we use Molly Maid now"), a place travelled to ("flew into Marco Polo"), a
feast ("a Burns Night party"), a show watched ("finished Ted Lasso"), a firm ("at Ernst & Young",
"Joe & The Juice") or a brand that offers more ("Chase Sapphire gives better points").

Each shape is one a person's name does not take. A single known given name is left to the name
rules ("switched to Max" is decided by :func:`brands.in_product_context`), since a leaked name is
worse than a lost word; a run of two words or more, or one word that is no given name, is kept.
"""

from __future__ import annotations

import re

from .lexicon import english_verb, irregular_verb
from .words import given_names_lower

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
    r"(?i)[ \t]+(?:gives?|gave|offers?|offered|pays?|paid|has|had|charges?|charged)[ \t]+(?:(?:way|much|far|a lot)[ \t]+)?"
    r"(?:better|cheaper|more|higher|lower|faster|bigger|less)\b|"
    r"[ \t]+(?:(?:way|much|far)[ \t]+)?cheaper[ \t]+(?:on|at|from|in|elsewhere)\b"  # "found Elizabeth Arden cheaper on"
)


def capital_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of capitalised words (joined by "&", "The" after it, or a particle) around a span."""
    while (m := _RUN_BEFORE.search(text, max(0, start - 30), start)) is not None and m.end() == start:
        start = m.start()
    while (m := _RUN_AFTER.match(text, end)) is not None:
        end = m.end()
    return start, end


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
    before = text[max(0, start - 50) : start]
    after = text[end : end + 40]
    whose = _POSSESSIVE.match(text, end) or name.endswith(("'s", "’s"))
    if whose and not _WATCH_AFTER.match(text, end):
        return False  # "all of Sarah's emails", "in Sarah's team": whose something is
    if _TRAVEL_BEFORE.search(before) or _MOVED_BEFORE.search(before) or _IN_BEFORE.search(before):
        return True  # "flew into Marco Polo", "the nearest store is in Charlotte": a place
    if len(words) == 1 and name.lower() in given_names_lower():
        return False  # "went to Dave instead": a lone given name may be a person
    # "the Talbot Maria from reception", "we use Cabot Nkechi handled it": the thing has a person after it
    person_after = _name_after_thing(text, start, end)
    if (
        not person_after
        and len(words) > 1
        and THE_BEFORE.search(before)
        and not FAMILY_AFTER.match(text, end)
    ):
        return True
    if not person_after and _SWITCH_BEFORE.search(before):
        return not _GO_TO_BEFORE.search(before) or bool(_INSTEAD_AFTER.match(after))
    if (_FEAST_END.search(name) or _FEAST_NEXT.match(text, end)) and _TIME_BEFORE.search(before):
        return True
    if _WATCH_BEFORE.search(before) or _WATCH_AFTER.match(text, end):
        return True
    if "&" in words and (_AT_BEFORE.search(before) or "The" in words[words.index("&") :]):
        return True
    return len(words) > 1 and bool(_OFFERS_MORE.match(text, end))
