"""Keep secrets and personal data out of logs.

Survey links carry a bearer token in the path (``/s/<token>``), set-password and unsubscribe
links do too, and error messages can quote an email address. Every log record, from any logger
(werkzeug's request log, gunicorn's access log, our own), is masked when it is created, its
traceback and stack included, so no handler or formatter configured later can leak the raw text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

#: A token in a link path: ``/s/<token>`` (survey), ``/f/<token>`` ("we fixed it" opt-out), ``/w/<token>``
#: (win-back), ``/auth/set-password/<token>``, ``/unsubscribe/<token>`` ... It stops at ``<`` too, so in
#: HTML (``/s/TOKEN</a>``) the closing tag is kept, not eaten.
_PATH_TOKEN = re.compile(
    r"(/(?:s|f|w|u|unsubscribe|opt-out|optout|set-password)/)[^\s/?#\"'<>]+", re.IGNORECASE
)
#: A token in a query string: ``?token=...``, ``&key=...``.
_QUERY_TOKEN = re.compile(r"([?&](?:token|key|api_key|password)=)[^&\s\"']+", re.IGNORECASE)
#: Anything that looks like an email address. Looked for only from the start of a run of the local
#: part's characters (the lookbehind): tried from every position, a long run with no ``@`` after
#: it was scanned to its end from each of its characters, so masking was quadratic, and every
#: request's access-log line (its User-Agent and Referer, 8 KB each) cost a worker a second of CPU.
#: A match found from inside a run is also found from its start, so what is masked is unchanged.
#: Internationalised addresses (``josé@example.com``, ``user@例え.jp``), which the address check
#: accepts, are masked too: every character from U+00C0 on counts as a letter of either part (one
#: that is not, such as a non-ASCII space, only widens what is masked). ASCII text is read as before.
_NON_ASCII = "\u00c0-\U0010ffff"
_EMAIL_LOCAL = rf"A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~{_NON_ASCII}-"
_DOMAIN = rf"A-Za-z0-9{_NON_ASCII}"
_EMAIL_HERE = re.compile(rf"[{_EMAIL_LOCAL}]+@[{_DOMAIN}](?:[{_DOMAIN}-]*[{_DOMAIN}])?(?:\.[{_DOMAIN}-]+)+")
_EMAIL = re.compile(rf"(?<![{_EMAIL_LOCAL}]){_EMAIL_HERE.pattern}")
#: A long opaque secret (our tokens are 43 URL-safe characters; API keys and hashes are long too).
_LONG_SECRET = re.compile(r"\b[A-Za-z0-9_-]{32,}\b")
#: A UUID on its own, as Celery's task ids: no secret (jobs take ids only, ``feedback_app.jobs``),
#: and what matches a task's "received" line to its "succeeded" one, so it is kept.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
#: A URL's user and password (``redis://:pw@host``, ``postgresql+psycopg://user:pw@host/db``): the
#: password runs to the last ``@`` before the host, so an unencoded ``@`` in it is masked too.
#: The scheme is looked for once per run of scheme characters, from its first letter after a word
#: boundary (as ``\b`` alone found it), and the atomic group keeps the search from starting again
#: at each later letter of a run that has no ``://`` after it (quadratic, as ``_EMAIL`` was).
_SCHEME_CHARACTERS = "A-Za-z0-9+.-"
_URL_CREDENTIALS = re.compile(
    rf"(?<![{_SCHEME_CHARACTERS}])(?>[{_SCHEME_CHARACTERS}]*?\b(?=[A-Za-z]))"
    rf"([A-Za-z][{_SCHEME_CHARACTERS}]*://)([^\s:/?#@\"'<>]*):[^\s/?#\"'<>]*@"
)


def mask_link_tokens(text: str) -> str:
    """The text with secret tokens in links masked (emails kept): for exports and previews."""
    return _QUERY_TOKEN.sub(r"\1[secret]", _PATH_TOKEN.sub(r"\1[token]", text))


def mask(text: str) -> str:
    """The text with link tokens, query secrets, long opaque strings, email addresses and URL
    passwords masked. A URL's password becomes ``***`` with its user and host kept (the email rule
    read ``:pw@127.0.0.1`` as an address and took the host with it, and left ``:pw@localhost``)."""
    pieces, start = [], 0
    for found in _URL_CREDENTIALS.finditer(text):
        pieces += [_mask_text(text[start : found.start()]), f"{found[1]}{_mask_text(found[2])}:***@"]
        start = found.end()
    return "".join([*pieces, _mask_text(text[start:])])


def find_emails(text: str) -> Iterator[re.Match[str]]:
    """The addresses in ``text``, as the pattern tried from every position found them. An address
    found can end on a character another may start with (``a@b.com&cc=c@d.org``, ``/``, ``+``):
    the next is looked for right at its end too, where the lookbehind of :data:`_EMAIL` would
    refuse it (and that address be logged)."""
    position = 0
    while (found := _EMAIL.search(text, position)) is not None:
        while found is not None:
            yield found
            position = found.end()
            found = _EMAIL_HERE.match(text, position)


def _mask_emails(text: str) -> str:
    pieces, start = [], 0
    for found in find_emails(text):
        pieces += [text[start : found.start()], "[email]"]
        start = found.end()
    return "".join([*pieces, text[start:]])


def _mask_text(text: str) -> str:
    text = _mask_emails(mask_link_tokens(text))
    return _LONG_SECRET.sub(_secret_unless_uuid, text)


def _secret_unless_uuid(found: re.Match[str]) -> str:
    return found[0] if _UUID.fullmatch(found[0]) else "[secret]"


_installed = False
_TRACEBACKS = logging.Formatter()  # only its formatException: the standard traceback text


def install_log_masking() -> None:
    """Mask every log record at creation (idempotent; the factory calls it once per process)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not ours to hide
            return record
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info:
            # A traceback ends with the error's message and shows source lines, either of which can
            # quote an address: it is written out now, masked, and the raw exception dropped, so a
            # formatter or handler cannot format it again from exc_info.
            record.exc_text = mask(_TRACEBACKS.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
