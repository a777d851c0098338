"""Mail transports looked up by name (``MAIL_TRANSPORT``), and the errors they raise.

A transport sends one ready-built :class:`email.message.EmailMessage` at a time and sorts
every failure into *transient* (try again later) or *permanent* (never retry this address).
The outbox service decides what to do with each; transports know nothing of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any, Protocol

from feedback_app.i18n import N_
from feedback_app.services.mail.errors import MailError, PermanentMailError, TransientMailError
from feedback_app.services.mail.file import FileTransport
from feedback_app.services.mail.smtp import SmtpTransport
from feedback_app.startup import ConfigError

__all__ = [
    "MailError",
    "PermanentMailError",
    "TransientMailError",
    "Transport",
    "TRANSPORTS",
    "get_transport",
    "transport_factory",
    "transport_description",
    "FileTransport",
    "SmtpTransport",
]


class Transport(Protocol):
    """What the outbox needs from a transport; used as a context manager around a batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, message: EmailMessage) -> None: ...


TRANSPORTS: dict[str, Callable[[Mapping[str, Any]], Transport]] = {
    "smtp": SmtpTransport.from_config,
    "file": FileTransport.from_config,
}


#: What each transport does with an email, in words staff can act on (``N_``-marked for the pages).
TRANSPORT_DESCRIPTIONS = {
    "smtp": N_("Mail is sent through the mail server (SMTP)"),
    "file": N_("Mail is written to a folder, not sent (file transport)"),
}


def transport_description(name: str | None) -> str:
    """The configured transport as a sentence (untranslated ``N_`` text, for ``gettext``), so the
    Email page never shows a bare key like "file"."""
    key = (name or "file").lower()
    return TRANSPORT_DESCRIPTIONS.get(key, key)


def transport_factory(
    config: Mapping[str, Any], name: str | None = None
) -> Callable[[Mapping[str, Any]], Transport]:
    """The factory of the transport named by ``name`` or ``MAIL_TRANSPORT``; an unknown name is
    refused with the choices (``create_app`` calls it, so a typo stops startup, not each delivery)."""
    name = (name or config.get("MAIL_TRANSPORT") or "file").lower()
    try:
        return TRANSPORTS[name]
    except KeyError:
        raise ConfigError(f"MAIL_TRANSPORT must be one of {', '.join(TRANSPORTS)}, got {name!r}") from None


def get_transport(config: Mapping[str, Any], name: str | None = None) -> Transport:
    """The transport named by ``name`` or ``MAIL_TRANSPORT``, built from the app config."""
    return transport_factory(config, name)(config)
