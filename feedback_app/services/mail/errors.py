"""Delivery errors, sorted the way the outbox must react to them."""

from __future__ import annotations


class MailError(Exception):
    """A message was not accepted; ``reply`` is the server's answer or the network error."""

    def __init__(self, reply: str, *, code: int | None = None) -> None:
        super().__init__(reply)
        self.reply = reply
        self.code = code


class TransientMailError(MailError):
    """Worth retrying later: connection refused or dropped, timeout, SMTP 4xx.

    ``unreachable`` is set when no connection could be made at all, so the caller can stop
    the run instead of failing every queued message against a server that is down.
    """

    def __init__(self, reply: str, *, code: int | None = None, unreachable: bool = False) -> None:
        super().__init__(reply, code=code)
        self.unreachable = unreachable


class PermanentMailError(MailError):
    """Never retry: SMTP 5xx. ``bounce`` says whether the recipient address itself was refused."""

    def __init__(self, reply: str, *, code: int | None = None, bounce: bool = True) -> None:
        super().__init__(reply, code=code)
        self.bounce = bounce
