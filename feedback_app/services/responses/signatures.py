"""The stateless anti-forgery field of the public survey forms (the answer form and opt-out).

The survey link's token is itself the secret capability: whoever holds it may answer or opt out,
and a cross-site attacker cannot forge a POST to ``/s/<token>`` without knowing it. A
session-bound CSRF token adds nothing to that, but needs a session cookie on a page that
otherwise sets none. So these forms carry ``HMAC-SHA256(SECRET_KEY, purpose + token)`` instead:
derived, never stored, the same on every page of the same link, and checked with
``hmac.compare_digest``. It still proves the POST came from a page this app rendered for this
link and this purpose. See SECURITY.md ("Survey forms: a signed field instead of a session").
Staff pages keep Flask-WTF's session CSRF tokens.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

#: The purposes a signature can be for; a signature for one is refused for another.
ANSWER = "survey-answer"
OPT_OUT = "survey-opt-out"
#: The form field's name; the same as Flask-WTF's, so browsers, tests and the load mix post it as before.
FIELD_NAME = "csrf_token"


def link_signature(secret_key: str | bytes, token: str, purpose: str) -> str:
    """The signed field value for this link and purpose (hex, 64 characters)."""
    key = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(key, f"afterword/{purpose}/{token}".encode(), hashlib.sha256).hexdigest()


def signature_matches(
    secret_keys: Iterable[str | bytes], token: str, purpose: str, posted: str | None
) -> bool:
    """Whether ``posted`` is this link's signature for this purpose under one of the keys.

    ``secret_keys`` is the current key first, then any ``SECRET_KEY_FALLBACKS``, so pages open
    while the key is rotated still submit. Missing or malformed values are simply refused.
    """
    if not posted or len(posted) != 64:
        return False
    posted_bytes = posted.encode("ascii", "replace")
    return any(
        hmac.compare_digest(link_signature(key, token, purpose).encode("ascii"), posted_bytes)
        for key in secret_keys
        if key
    )
