"""The opt-out link of a "we fixed it" email: ``/f/<token>/opt-out``.

The email goes out once per customer and stores no token, so the link carries a signed token
naming the customer (itsdangerous, the app's ``SECRET_KEY`` and a salt of its own). It does not
expire: an opt-out link must keep working for as long as the email sits in someone's inbox.
Opting out is idempotent and only ever stops email, so a replayed link does no harm.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer
from feedback_app.services.outreach import optout

_SALT = "afterword.we-fixed-it-opt-out.v1"
#: Where the link points; the public blueprint serves it.
PATH = "/f/{token}/opt-out"


def _serializers() -> list[URLSafeSerializer]:
    keys = [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return [URLSafeSerializer(key, salt=_SALT) for key in keys]


def make_token(customer: DepartedCustomer) -> str:
    return _serializers()[0].dumps({"c": customer.id})


def opt_out_url(customer: DepartedCustomer) -> str:
    """The customer's own opt-out link, for the email's footer and List-Unsubscribe header."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + PATH.format(token=make_token(customer))


def customer_for(token: str) -> DepartedCustomer | None:
    """The customer a link names, or None for a forged, mangled or over-long token."""
    if not token or len(token) > 200:
        return None
    for serializer in _serializers():  # a key rotated into SECRET_KEY_FALLBACKS still verifies
        try:
            payload = serializer.loads(token)
        except BadSignature:
            continue
        if isinstance(payload, dict) and isinstance(payload.get("c"), int):
            return db.session.get(DepartedCustomer, payload["c"])
        return None
    return None


def opt_out(token: str) -> bool:
    """Opt the link's customer out of all email; False for an unknown link."""
    customer = customer_for(token)
    if customer is None:
        return False
    optout.opt_out(customer, channel="we_fixed_it_email")
    return True
