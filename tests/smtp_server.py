"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), able to fail on cue and to go down.

``server.fail_next("451 4.3.0 Try later", "550 5.1.1 No such user")`` makes the next messages
get those replies (at the DATA stage by default, or ``at="RCPT"``); after the script runs out
every message is accepted. ``server.stop()`` / ``server.start()`` take it down and up again on
the same port. ``server.messages`` holds what was accepted, parsed.
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage
    tls: bool = False
    authenticated: bool = False


class _Handler:
    def __init__(self, server: SmtpTestServer) -> None:
        self.server = server

    def _scripted(self, stage: str) -> str | None:
        with self.server.lock:
            if self.server.script and self.server.script[0][0] == stage:
                return self.server.script.popleft()[1]
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._scripted("RCPT")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self._scripted("DATA")
        if reply:
            return reply
        data = envelope.original_content or envelope.content
        received = Received(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            data,
            message_from_bytes(data, policy=policy.default),
            tls=session.ssl is not None,
            authenticated=bool(session.authenticated),
        )
        with self.server.lock:
            self.server.messages.append(received)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpTestServer:
    host = "127.0.0.1"

    def __init__(self, **controller_options: object) -> None:
        """``controller_options`` go to aiosmtpd's Controller (tls_context, ssl_context, authenticator...)."""
        self.options = controller_options
        self.port = free_port()
        self.messages: list[Received] = []
        self.script: deque[tuple[str, str]] = deque()
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, **self.options)  # type: ignore[arg-type]
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def fail_next(self, *replies: str, at: str = "DATA") -> None:
        """Answer the next messages with these replies (e.g. '451 4.3.0 Busy'), then accept again."""
        with self.lock:
            self.script.extend((at.upper(), reply) for reply in replies)

    def mail_settings(self) -> dict[str, object]:
        """App config that sends through this server."""
        return {
            "MAIL_TRANSPORT": "smtp",
            "MAIL_SERVER": self.host,
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": None,
            "MAIL_TIMEOUT": 5.0,
        }

    def by_recipient(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]
