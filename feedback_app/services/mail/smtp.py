"""The ``smtp`` transport: one connection reused across messages, STARTTLS or implicit TLS,
login, a timeout, and a rate limit in messages per second.

Every failure is sorted for the outbox: network errors, timeouts and 4xx replies are
transient; 5xx replies are permanent, and a 5xx refusing the recipient is a bounce unless its
enhanced code blames policy, the system or the content rather than the address. A message
the server cannot take at all (an international address without SMTPUTF8) is permanent too.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import time
from collections.abc import Mapping
from email.message import EmailMessage
from functools import cache
from typing import Any

from feedback_app.services.mail.errors import PermanentMailError, TransientMailError


@cache
def _local_hostname() -> str:
    """The name we give in EHLO, looked up once per process (a DNS lookup per connection is slow)."""
    return socket.getfqdn()


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


#: An RFC 3463 enhanced status code after the reply code: ``550 5.1.1 ...`` (class.subject.detail).
_ENHANCED_CODE = re.compile(r"^\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})\b")

#: Enhanced-code subjects that are not the address's fault: 3 the mail system (message too big),
#: 6 the content, 7 security or policy (relay denied, spam); a relay set up wrong refuses every
#: recipient with them. The others are the recipient's: 1 addressing, 2 mailbox, and 4 routing and
#: 5 protocol as the big providers use them for a mailbox or domain that does not exist
#: (``_ADDRESS_ROUTING_PROTOCOL``).
_NOT_THE_ADDRESS = frozenset({"3", "6", "7"})
#: The routing and protocol codes that say the mailbox or domain does not exist: Microsoft 365
#: "550 5.4.1 Recipient address rejected", "5.4.4 Unable to route", Outlook.com "550 5.5.0 ...
#: mailbox unavailable". The rest of those subjects are not the address's: a mail loop between
#: relays (5.4.6, Postfix's 5.4.0 "too many hops") refuses every recipient, as a syntax error does.
_ADDRESS_ROUTING_PROTOCOL = frozenset({("4", "1"), ("4", "4"), ("5", "0")})


def blames_address(reply: str) -> bool:
    """Whether a 5xx to a recipient or its message says the address is bad (a bounce); a reply
    without an enhanced code is taken at its word."""
    match = _ENHANCED_CODE.match(reply)
    if match is None:
        return True
    subject, detail = match.group(2), match.group(3)
    if subject in ("4", "5"):
        return (subject, detail) in _ADDRESS_ROUTING_PROTOCOL
    return subject not in _NOT_THE_ADDRESS


def _classify(code: int, reply: str, *, bounce: bool) -> Exception:
    if 400 <= code < 500:
        return TransientMailError(reply, code=code)
    if 500 <= code < 600:
        return PermanentMailError(reply, code=code, bounce=bounce and blames_address(reply))
    return TransientMailError(f"unexpected reply {reply}", code=code)


class SmtpTransport:
    """Sends through one SMTP server; ``reuse=False`` opens a connection per message (benchmarks)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        use_tls: bool = False,
        use_ssl: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        rate_per_second: float = 0.0,
        reuse: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if use_tls and use_ssl:
            raise ValueError("MAIL_USE_TLS (STARTTLS) and MAIL_USE_SSL (implicit TLS) cannot both be on")
        self.host, self.port = host, port
        self.use_tls, self.use_ssl = use_tls, use_ssl
        self.username, self.password = username, password
        self.timeout = timeout
        self.min_interval = 1.0 / rate_per_second if rate_per_second > 0 else 0.0
        self.reuse = reuse
        self.ssl_context = ssl_context
        self._connection: smtplib.SMTP | None = None
        self._last_send = 0.0
        self.connections_opened = 0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpTransport:
        return cls(
            config["MAIL_SERVER"],
            int(config["MAIL_PORT"]),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            timeout=float(config.get("MAIL_TIMEOUT") or 10.0),
            rate_per_second=float(config.get("MAIL_RATE_PER_SECOND") or 0.0),
        )

    # -- connection -------------------------------------------------------------------------
    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        where = f"{self.host}:{self.port}"
        if (self.use_ssl or self.use_tls) and self.ssl_context is None:
            self.ssl_context = ssl.create_default_context()  # loads the CA store: once per transport
        context = self.ssl_context
        try:
            if self.use_ssl:
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    local_hostname=_local_hostname(),
                    context=context,
                )
            else:
                connection = smtplib.SMTP(
                    self.host, self.port, timeout=self.timeout, local_hostname=_local_hostname()
                )
            connection.ehlo()
            if self.use_tls:
                connection.starttls(context=context)
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            # Bad credentials are a configuration problem, not the recipient's: retry later.
            raise TransientMailError(
                f"login to {where} refused: {_reply_text(exc.smtp_code, exc.smtp_error)}",
                code=exc.smtp_code,
                unreachable=True,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise TransientMailError(
                f"{where} refused the session: {_reply_text(exc.smtp_code, exc.smtp_error)}",
                code=exc.smtp_code,
                unreachable=True,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, timeout, TLS failure
            raise TransientMailError(
                f"could not connect to {where}: {exc or type(exc).__name__}", unreachable=True
            ) from exc
        self.connections_opened += 1
        return connection

    def close(self) -> None:
        """Say QUIT politely; a connection that already dropped is simply forgotten."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()

    def _reset_after_error(self) -> None:
        """Keep the connection for the next message if the server still talks, else drop it."""
        if self._connection is None:
            return
        try:
            self._connection.rset()
        except (OSError, smtplib.SMTPException):
            self._connection.close()
            self._connection = None

    # -- sending ----------------------------------------------------------------------------
    def _wait_for_rate(self) -> None:
        if not self.min_interval:
            return
        delay = self._last_send + self.min_interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def send(self, message: EmailMessage) -> None:
        """Send one message; raise TransientMailError or PermanentMailError if it was not accepted."""
        self._wait_for_rate()
        if self._connection is None:
            self._connection = self._connect()
        self._last_send = time.monotonic()
        try:
            refused = self._connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            self._reset_after_error()
            raise _classify(code, _reply_text(code, reply), bounce=True) from exc
        except smtplib.SMTPSenderRefused as exc:
            self._reset_after_error()
            raise _classify(exc.smtp_code, _reply_text(exc.smtp_code, exc.smtp_error), bounce=False) from exc
        except smtplib.SMTPNotSupportedError as exc:  # e.g. an international address, no SMTPUTF8
            # Refused before MAIL FROM, so the connection is still clean; retrying cannot help.
            raise PermanentMailError(
                f"{self.host}:{self.port} cannot take this message: {exc}", bounce=False
            ) from exc
        except smtplib.SMTPServerDisconnected as exc:
            self._connection = None
            raise TransientMailError(f"connection to {self.host}:{self.port} dropped: {exc}") from exc
        except smtplib.SMTPResponseException as exc:  # DATA refused, or 421 closing
            if exc.smtp_code == 421:
                self._connection.close()
                self._connection = None
            else:
                self._reset_after_error()
            raise _classify(exc.smtp_code, _reply_text(exc.smtp_code, exc.smtp_error), bounce=True) from exc
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            raise TransientMailError(
                f"sending to {self.host}:{self.port} failed: {exc or type(exc).__name__}"
            ) from exc
        if refused:  # only one recipient per message, so a partial refusal is a full one
            code, reply = next(iter(refused.values()))
            raise _classify(code, _reply_text(code, reply), bounce=True)
        if not self.reuse:
            self.close()
