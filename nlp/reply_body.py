"""What the customer wrote in an e-mail reply: the body, without the e-mail around it.

Customers answer the survey by replying to its e-mail, so a long answer often arrives as a
greeting, a story, a closing and a signature, with the survey e-mail quoted under it ("On Tue, 3
Nov 2026, Acme <[EMAIL]> wrote:" and "> " lines, or an Outlook "-----Original Message-----" block
with From:/Sent:/To:/Subject: fields) and sometimes a "Forwarded message" header above it. The
quoted survey e-mail names candidate reasons itself ("was it the price, the app or support?"),
and the greeting and signature only dilute the story, so the root-cause head, its clauses and the
themes read :func:`reply_body` of an answer. The redacted answer shown to people stays whole.

Only the furniture goes: the quoted history from its opening line down, forwarding markers and
the header fields above the body, mail-client lines ("Sent from my iPhone"), a greeting alone on
the first line ("Hi,", "Dear Acme team,") and a closing alone on its line with only signature
lines under it (a name, a title, a company, contact details: :func:`.non_answers.signature.name_line`).
So does the survey's question when the customer retyped or quoted it above the answer
(:func:`.non_answers.channel.after_question`). An answer with none of these is returned
unchanged, and so is one that would be left empty.
"""

from __future__ import annotations

import re

from .mail_furniture import (
    CLIENT_LINE,
    CLOSING_LINE,
    FIELD_LINE,
    FORWARD_LINE,
    GREETINGS,
    SENDER_FIELDS,
    is_footer_line,
    opens_quote,
)
from .non_answers import kinds
from .non_answers.channel import after_question
from .non_answers.signature import NAME_GLUE, name_line
from .pii.lexicon import english_word

_GREETING = re.compile(rf"(?i)^(?:{GREETINGS})\b[^.!?\n]{{0,60}}[,:!]?$")
# A line of a job title or a company: a few capitalised words with name glue and separators.
_TITLE_WORD = re.compile(r"[^\W\d_][\w'.-]*")
_MAX_GREETING_WORDS = 8
_MAX_NAME_WORDS = 4
# The marks around a name signed alone: a dash before it, kisses after it ("- Tomás", "Sue x").
_SIGNED = re.compile(r"^[-–—~]+\s*|\s+x{1,3}$", re.IGNORECASE)
# A first line of a few words ending in a comma is a greeting, whatever its words ("Morning
# Marek,", "Alright,", "Salaam,").
_MAX_SHORT_GREETING_WORDS = 3
_MAX_SIGNATURE_LINES = 6


def reply_body(text: str) -> str:
    """``text`` (normalised or redacted, lines kept) without its e-mail furniture (see the module
    docstring); unchanged when it has none or nothing would be left. The survey's own question
    retyped or quoted at the top ("Why did you cancel? too expensive") goes too."""
    asked = after_question(text)
    if asked is not None:
        return reply_body(asked)
    if "\n" not in text:  # every piece of furniture is a line of its own
        return text
    lines = text.split("\n")
    lines = _above_quote(lines)
    lines = [
        line for line in lines if not line.lstrip().startswith(">") and not CLIENT_LINE.match(line.strip())
    ]
    lines = _below_forward(lines)
    lines = _without_footer(lines)
    lines = _without_signature(lines)
    lines = _without_greeting(lines)
    body = "\n".join(line for line in lines if line.strip()).strip()
    return body if body else text


def _above_quote(lines: list[str]) -> list[str]:
    """The lines above the quoted e-mail's opening line (all lines when there is none, or when
    nothing is written above it)."""
    for i, line in enumerate(lines):
        if i and opens_quote(line.strip()) and any(x.strip() for x in lines[:i]):
            return lines[:i]
        # an Outlook reply without a marker: "From:" with other header fields right under it
        if i and FIELD_LINE.match(line.strip()) and line.strip().lower().startswith(SENDER_FIELDS):
            if sum(bool(FIELD_LINE.match(x.strip())) for x in lines[i : i + 5]) >= 3:
                if any(x.strip() for x in lines[:i]):
                    return lines[:i]
    return lines


def _below_forward(lines: list[str]) -> list[str]:
    """Without a forwarding marker and the header fields right under it."""
    out: list[str] = []
    in_header = False
    for line in lines:
        stripped = line.strip()
        if FORWARD_LINE.match(stripped):
            in_header = True
            continue
        if in_header and (FIELD_LINE.match(stripped) or not stripped):
            continue
        in_header = False
        out.append(line)
    return out


def _without_footer(lines: list[str]) -> list[str]:
    """Without the footer at the end of a work e-mail (:func:`.mail_furniture.is_footer_line`: a
    confidentiality notice, a disclaimer, the company's registration), line by line from the end."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or is_footer_line(lines[end - 1])):
        end -= 1
    return lines[:end]


def _without_signature(lines: list[str]) -> list[str]:
    """Without a closing alone on its line ("Kind regards,") and the signature lines under it."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for back, i in enumerate(reversed(filled)):
        if back > _MAX_SIGNATURE_LINES:
            break
        line = lines[i].strip().strip(" ,.!;:-").lower()
        if line and (kinds.is_polite(line) or CLOSING_LINE.match(line)):
            if i != filled[0] and all(_signature_line(lines[j]) for j in filled if j > i):
                return lines[:i]
            break
        if not _signature_line(lines[i]):
            break
    return _without_signed_name(lines, filled)


def _without_signed_name(lines: list[str], filled: list[int]) -> list[str]:
    """Without a name signed under the last sentence with no closing ("... every month.\nRadu",
    "- Tomás", "Sue x", a name with a title or a phone number under it): up to three signature
    lines, the first of a few words, under a line that ends a sentence."""
    for n in (1, 2, 3):
        if len(filled) <= n:
            break
        above, block = filled[-n - 1], filled[-n:]
        first = _SIGNED.sub("", lines[block[0]].strip())
        if (
            ":" not in first  # "User: ...", "Tel: ..." are no name
            and lines[above].rstrip().endswith((".", "!", "?", ")", '"'))
            and 0 < len(first.split()) <= _MAX_NAME_WORDS
            and _signature_line(first)
            and not any(english_word(w) for w in first.split())  # "Never Again" is no name
            and all(_signature_line(lines[j]) for j in block[1:])
        ):
            return lines[: block[0]]
    return lines


def _signature_line(line: str) -> bool:
    """A line of a signature: a name or contact details (:func:`name_line`), or a job title or
    company ("Office Manager | Keller Design Studio"), whose words may also be a brand's."""
    piece = line.strip(" .;:")
    if name_line(piece):
        return True
    words = _TITLE_WORD.findall(piece)
    return (
        0 < len(words) <= _MAX_GREETING_WORDS
        and not re.search(r"[?!]|[.,;]\s", piece)
        and all(w[0].isupper() or w.lower() in NAME_GLUE for w in words)
    )


def _without_greeting(lines: list[str]) -> list[str]:
    """Without a greeting alone on the first line ("Hi,", "Dear Acme team,")."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return lines
    first = lines[filled[0]].strip()
    bare = first.strip(" ,").lower()
    short = (
        first.endswith(",")
        and len(first.split()) <= _MAX_SHORT_GREETING_WORDS
        and not (kinds.is_polite(bare) or CLOSING_LINE.match(bare))  # "Best,\nJ. Whitfield" signs off
    )
    if (short or _GREETING.match(first)) and len(first.split()) <= _MAX_GREETING_WORDS:
        return lines[filled[1] :]
    return lines
