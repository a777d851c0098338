"""Building a multipart message that no name, subject or header value can break out of.

Every header goes through :func:`clean_header_text` and then through ``email.policy.SMTP`` (as
:class:`MailPolicy`, which writes List-Unsubscribe URLs unencoded),
which refuses any value that still holds a line break. Addresses go through
:class:`email.headerregistry.Address`, which quotes display names and rejects malformed addresses.

Why the cleaning decodes RFC 2047 encoded words first: the email package decodes any
``=?charset?q?...?=`` it finds in a header value (even inside a display name it quotes), and the
Python in use may lack the check that refuses a folded header holding a line break
(CVE-2024-6923). A name ``=?utf-8?q?Sam=0D=0AReply-To=3A_...?=`` cleaned as plain text would
come back as ``Sam`` CR LF ``Reply-To: ...`` in the bytes sent. So encoded words are decoded,
control characters removed from the result, and any encoded-word syntax still left (an encoded
word inside an encoded word) broken up, so the email package has nothing left to decode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from email.errors import HeaderParseError
from email.header import decode_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, getaddresses, make_msgid

#: Extra headers an outbox row may carry; anything else is dropped, never sent.
ALLOWED_EXTRA_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "X-Afterword-Kind")

#: Headers of angle-bracketed URLs (RFC 2369), written as they are: see :class:`MailPolicy`.
URL_LIST_HEADERS = frozenset({"list-unsubscribe"})
_URL_LIST_SEPARATOR = re.compile(r"(?<=>)\s*,\s*(?=<)")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")

_SPACES = re.compile(r"\s+")
#: What the email package would decode as an RFC 2047 encoded word (``=?charset?b|q?text?=``).
ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?[^?]*\?=")
#: Encoded words next to each other: the white space between them is not part of the text.
_ENCODED_RUN = re.compile(rf"{ENCODED_WORD.pattern}(?:\s+{ENCODED_WORD.pattern})*")


def _decode_word(word: str) -> str:
    """One encoded word as text; the word itself when it cannot be decoded."""
    try:
        parts = decode_header(word)
        if len(parts) != 1 or not isinstance(parts[0][0], bytes):
            return word
        data, charset = parts[0]
        return data.decode(charset or "ascii", errors="replace")
    except (ValueError, LookupError, HeaderParseError):  # bad base64, unknown charset
        return word


def decode_encoded_words(text: str) -> str:
    """``text`` with its RFC 2047 encoded words decoded, as a mail reader would show it."""
    return _ENCODED_RUN.sub(
        lambda run: "".join(_decode_word(w.group(0)) for w in ENCODED_WORD.finditer(run.group(0))), text
    )


def clean_header_text(value: str | None, *, limit: int = 300) -> str:
    """One line of plain text that no header parser reads as more than it shows.

    Encoded words are decoded first, then control characters (CR, LF, NUL, ...) and line
    separators become spaces, then any encoded word still present is broken up (``= ?``).
    """
    if not value:
        return ""
    text = decode_encoded_words(str(value))
    chars = [" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in text]
    text = ENCODED_WORD.sub(lambda match: "= ?" + match.group(0)[2:], "".join(chars))
    return _SPACES.sub(" ", text).strip()[:limit]


def parse_address(value: str, *, display_name: str | None = None) -> Address:
    """``Name <user@host>`` or ``user@host`` as an Address; ValueError when it is not one address."""
    cleaned = clean_header_text(value, limit=400)
    if cleaned != str(value).strip():
        raise ValueError(f"address {value!r} contains control characters")
    pairs = getaddresses([cleaned])
    if len(pairs) != 1 or "@" not in pairs[0][1] or " " in pairs[0][1]:
        raise ValueError(f"{value!r} is not a single email address")
    name, addr_spec = pairs[0]
    try:
        return Address(
            display_name=clean_header_text(display_name if display_name is not None else name),
            addr_spec=addr_spec,
        )
    except HeaderParseError as exc:  # '@host' and the like: not a ValueError in the email package
        raise ValueError(f"{value!r} is not an email address: {exc}") from None


def sender_domain(sender: str) -> str:
    """The domain of the configured sender, used for Message-IDs."""
    return parse_address(sender).domain or "localhost"


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID in the sender's domain, fixed once per outbox row."""
    return make_msgid(domain=sender_domain(sender))


class MailPolicy(EmailPolicy):
    """``email.policy.SMTP``, except that a List-Unsubscribe header is never RFC 2047 encoded.

    The stdlib folds a header line over 78 characters that has no space to break at into
    encoded words (``=?utf-8?q?=3Chttps=3A//...?=``). A survey's unsubscribe URL is always that
    long, and mail clients do not decode encoded words in a structured header, so Gmail or Yahoo
    would find no one-click unsubscribe. Its URLs are written as they are, one per line
    (RFC 5322 allows lines up to 998 characters); any other value falls back to the stdlib.
    """

    def fold(self, name: str, value: str) -> str:
        text = str(value)
        if name.lower() in URL_LIST_HEADERS and _PRINTABLE_ASCII.fullmatch(text) and text.startswith("<"):
            urls = _URL_LIST_SEPARATOR.split(text.strip())
            return f"{name}: " + f",{self.linesep} ".join(urls) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        text = str(value)
        if name.lower() in URL_LIST_HEADERS and _PRINTABLE_ASCII.fullmatch(text) and text.startswith("<"):
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


#: The policy every message is built and sent with (CRLF line ends, as ``email.policy.SMTP``).
SMTP = MailPolicy(linesep="\r\n")


def build_message(
    *,
    sender: str,
    recipient: str,
    recipient_name: str | None,
    subject: str,
    body_text: str,
    body_html: str,
    message_id: str,
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A text + HTML message with clean, single-line headers (ValueError for a bad address)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = parse_address(sender)
    message["To"] = parse_address(recipient, display_name=recipient_name or "")
    if reply_to:
        message["Reply-To"] = parse_address(reply_to)
    message["Subject"] = clean_header_text(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = clean_header_text(message_id)
    for name in ALLOWED_EXTRA_HEADERS:
        value = (headers or {}).get(name)
        if value:
            message[name] = clean_header_text(value, limit=900)
    message.set_content(body_text)
    message.add_alternative(body_html, subtype="html")
    return message
