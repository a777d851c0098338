"""Closing words ("Thanks,", "Kind regards", "Cordialement") and where in a text they start.

The sign-off and signature patterns all begin with a closing word and were each tried at every
position of every answer (about 3.5 s CPU per 10,000 answers). The positions where a closing can
start are found once per text here, in one scan, and each pattern is then tried
only there: :func:`find_at` returns what ``pattern.finditer`` would, for less.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

# Not after a determiner: "my LG TV" is a television, "the BR team" a team.
_NOT_AFTER_DETERMINER = "".join(
    rf"(?<!\b(?i:{d}) )" for d in ("my", "the", "a", "an", "your", "our", "their")
)
CLOSING = (
    rf"(?<![\w'’]){_NOT_AFTER_DETERMINER}"
    r"(?i:sign(?:ed|é)(?=[ \t]*[,:\n])|sgd\.?|thanks(?: again| a lot| anyway| for asking)?|thank you(?: again| for asking)?|thx|ty|cheers|"
    r"regards|kind regards|best regards|warm regards|best wishes|all the best|best|sincerely|"
    r"yours(?: sincerely| truly)?|many thanks|bye(?: for now)?|goodbye|take care|ciao|merci(?: beaucoup)?|"
    r"cordialement|bien à vous|merci quand même|merci bien|gracias|muchas gracias|vielen dank|herzlichen dank|besten dank|saludos|un saludo|atentamente|danke(?: schön)?|"
    r"(?:mit )?freundlichen grüßen|viele grüße|lg|mfg|obrigad[oa]|atenciosamente|abraços?|grazie|"
    r"cordiali saluti|saluti|groeten|groetjes|met vriendelijke groet|mvg|br|rgds|brgds|mvh|vg|bg|gruß|grüße|"
    r"pozdrawiam|s pozdravem|üdvözlettel|üdv|saludos cordiales|atte?\.?|cdlt|hälsningar|vänliga hälsningar|"
    r"terveisin|med venlig hilsen|hilsen|cumprimentos|beijos|bjs|warm(?:est)? wishes|warmest regards|"
    r"with (?:best|kind|warm) (?:wishes|regards)|xo|xoxo|xx+|ta|tks|tnx|thank u|rgrds|kr|besos|bisous|bises|"
    r"ttyl|cya|laters|take it easy|peace out|peace|see you|see ya|see you soon|farewell|so long|adi[óo]s|"
    r"tsch[üu]ss|au revoir|tchau|até logo|hasta luego|"
    r"gr[üu]ße|liebe gr[üu]ße|un abrazo|abrazos|um abraço|bjo|beijinhos|a bientôt|à bientôt|bonne journée)(?![^\W_])"
)
# Closings that are also ordinary words sign off only before a comma or a line break ("Love, Anaïs").
CLOSING_PUNCT = r"(?i:love|lots of love|much love|hugs|warmly|with thanks|respectfully)[ \t]*[,\n]"

# Every position where CLOSING matches: one scan, in C, shared by all the patterns below.
CLOSING_AT = re.compile(rf"(?={CLOSING})")
# CLOSING_PUNCT has no word-boundary check, so its words are looked for at every position.
_PUNCT_CLOSING_AT = re.compile(r"(?i)(?=lots of love|much love|love|hugs|warmly|with thanks|respectfully)")


@functools.lru_cache(maxsize=4)
def closing_starts(text: str) -> tuple[int, ...]:
    """Every position where CLOSING matches (cached: the name and signature rules share it)."""
    return tuple(m.start() for m in CLOSING_AT.finditer(text))


@functools.lru_cache(maxsize=4)
def sign_off_starts(text: str) -> tuple[int, ...]:
    """Every position where CLOSING or CLOSING_PUNCT can start."""
    return tuple(sorted({*closing_starts(text), *(m.start() for m in _PUNCT_CLOSING_AT.finditer(text))}))


def find_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match at ``starts`` (ascending):
    the same matches, non-overlapping and leftmost first, tried at those positions alone."""
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m:
            yield m
            end = m.end() if m.end() > pos else pos + 1
