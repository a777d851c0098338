"""The timestamped HMAC-SHA256 signature header Stripe and Paddle both use, checked in one place.

Both send ``<timestamp key>=<unix time>`` and one or more ``<signature key>=<hex>`` (several during
a secret rotation) in one header, the hex being HMAC-SHA256 of ``"{time}{joiner}{raw body}"``
under the endpoint's secret. They differ only in names and separators, which a :class:`Scheme`
holds. A timestamp outside the tolerance window is refused so a captured request cannot be
replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass


class SignatureError(ValueError):
    """The request is not provably from the provider; the message says which check failed."""


@dataclass(frozen=True)
class Scheme:
    """One provider's spelling of the signature header."""

    header: str  #: e.g. ``Stripe-Signature``
    separator: str  #: between the header's parts: ``,`` (Stripe) or ``;`` (Paddle)
    timestamp_key: str  #: ``t`` or ``ts``
    signature_key: str  #: ``v1`` or ``h1``
    joiner: bytes  #: between the time and the body in what is signed: ``.`` or ``:``
    secret_name: str  #: what the provider calls the secret, for the message when nothing matches

    def sign(self, payload: bytes, secret: str, timestamp: int) -> str:
        """The hex signature the provider sends for this payload (also used by tests and tools)."""
        signed = str(timestamp).encode("ascii") + self.joiner + payload
        return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()

    def verify(
        self,
        payload: bytes,
        header: str | None,
        secret: str,
        tolerance_seconds: int,
        now: float | None = None,
    ) -> int:
        """Check the header against the payload; returns its timestamp, raises ``SignatureError`` otherwise."""
        if not header:
            raise SignatureError(f"The {self.header} header is missing.")
        timestamp: int | None = None
        signatures: list[str] = []
        for part in header.split(self.separator):
            name, _, value = part.strip().partition("=")
            if name == self.timestamp_key:
                try:
                    timestamp = int(value)
                except ValueError:
                    raise SignatureError(
                        f"The {self.header} timestamp ({self.timestamp_key}) is not a number."
                    ) from None
            elif name == self.signature_key:
                signatures.append(value)
        if timestamp is None:
            raise SignatureError(f"The {self.header} header has no timestamp ({self.timestamp_key}=...).")
        if not signatures:
            raise SignatureError(f"The {self.header} header has no {self.signature_key} signature.")
        expected = self.sign(payload, secret, timestamp).encode("ascii")
        # as bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, so a 500)
        if not any(
            hmac.compare_digest(expected, candidate.encode("utf-8", "replace")) for candidate in signatures
        ):
            raise SignatureError(
                f"No {self.signature_key} signature matches the payload; check {self.secret_name}."
            )
        now = time.time() if now is None else now
        if abs(now - timestamp) > tolerance_seconds:
            raise SignatureError(
                f"The signature timestamp is {int(now - timestamp)} s away from now, outside the "
                f"{tolerance_seconds} s tolerance window (replayed or clock skew)."
            )
        return timestamp
