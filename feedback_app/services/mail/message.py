"""Building a multipart message that no name, subject or header value can break out of.

Every header goes through :func:`clean_header_text` (CR, LF and other control characters
become spaces) and then through ``email.policy.SMTP``, which refuses any value that still
holds a line break. Addresses go through :class:`email.headerregistry.Address`, which quotes
display names and rejects malformed addresses.
"""

from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid
from typing import Mapping

#: Extra headers an outbox row may carry; anything else is dropped, never sent.
ALLOWED_EXTRA_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "X-Afterword-Kind")

_SPACES = re.compile(r"\s+")


def clean_header_text(value: str | None, *, limit: int = 300) -> str:
    """One line of text: control characters (CR, LF, NUL, ...) and line separators become spaces."""
    if not value:
        return ""
    chars = [" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in str(value)]
    return _SPACES.sub(" ", "".join(chars)).strip()[:limit]


def parse_address(value: str, *, display_name: str | None = None) -> Address:
    """``Name <user@host>`` or ``user@host`` as an Address; ValueError when it is not one address."""
    cleaned = clean_header_text(value, limit=400)
    if cleaned != str(value).strip():
        raise ValueError(f"address {value!r} contains control characters")
    pairs = getaddresses([cleaned])
    if len(pairs) != 1 or "@" not in pairs[0][1] or " " in pairs[0][1]:
        raise ValueError(f"{value!r} is not a single email address")
    name, addr_spec = pairs[0]
    return Address(display_name=clean_header_text(display_name if display_name is not None else name),
                   addr_spec=addr_spec)


def sender_domain(sender: str) -> str:
    """The domain of the configured sender, used for Message-IDs."""
    return parse_address(sender).domain or "localhost"


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID in the sender's domain, fixed once per outbox row."""
    return make_msgid(domain=sender_domain(sender))


def build_message(*, sender: str, recipient: str, recipient_name: str | None, subject: str, body_text: str,
                  body_html: str, message_id: str, reply_to: str | None = None,
                  headers: Mapping[str, str] | None = None) -> EmailMessage:
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
