"""The opt-out link of a "we fixed it" email, a CPR desk offer, a survey invitation or reminder and
an interview invitation:
``/f/<token>/opt-out`` (the footer link and the RFC 8058 one-click List-Unsubscribe URL).

The link carries a signed token naming the customer (and, but for a "we fixed it" email, that
email's kind, so the opt-out records where it came from; for a survey email, its invitation,
which is marked opted out too) (itsdangerous, the app's ``SECRET_KEY`` and a salt of its own). It
does not expire, unlike the survey link beside it: an opt-out link must keep working for as long
as the email sits in someone's inbox. Opting out is idempotent and only ever stops email, so a
replayed link does no harm.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation
from feedback_app.services.outreach import optout

_SALT = "afterword.we-fixed-it-opt-out.v1"
#: Where the link points; the public blueprint serves it.
PATH = "/f/{token}/opt-out"


def _serializers() -> list[URLSafeSerializer]:
    keys = [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return [URLSafeSerializer(key, salt=_SALT) for key in keys]


#: The email kinds that carry this link; a token without a kind is a "we fixed it" email's.
KINDS = ("we_fixed_it", "cpr_offer", "survey", "interview")


def make_token(
    customer: DepartedCustomer, kind: str = "we_fixed_it", invitation_id: int | None = None
) -> str:
    payload: dict[str, int | str] = {"c": customer.id}
    if kind != "we_fixed_it":  # links already sent carry no kind; they stay valid and mean "we fixed it"
        payload["k"] = kind
    if invitation_id is not None:
        payload["i"] = invitation_id
    return _serializers()[0].dumps(payload)


def opt_out_url(
    customer: DepartedCustomer, kind: str = "we_fixed_it", invitation_id: int | None = None
) -> str:
    """The customer's own opt-out link, for the email's footer and List-Unsubscribe header."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + PATH.format(token=make_token(customer, kind, invitation_id))


def _payload(token: str) -> dict[str, object] | None:
    if not token or len(token) > 200:
        return None
    for serializer in _serializers():  # a key rotated into SECRET_KEY_FALLBACKS still verifies
        try:
            payload = serializer.loads(token)
        except BadSignature:
            continue
        return payload if isinstance(payload, dict) and isinstance(payload.get("c"), int) else None
    return None


def _customer(payload: dict[str, object] | None) -> DepartedCustomer | None:
    return db.session.get(DepartedCustomer, payload["c"]) if payload is not None else None


def customer_for(token: str) -> DepartedCustomer | None:
    """The customer a link names, or None for a forged, mangled or over-long token."""
    return _customer(_payload(token))


def opt_out(token: str) -> bool:
    """Opt the link's customer out of all email; False for an unknown link. The signature is
    checked once: the payload names both the customer and the email's kind."""
    payload = _payload(token)
    customer = _customer(payload)
    if payload is None or customer is None:
        return False
    kind, invitation_id = payload.get("k"), payload.get("i")
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    optout.opt_out(
        customer,
        invitation=invitation if invitation is not None and invitation.customer_id == customer.id else None,
        channel=f"{kind if kind in KINDS else 'we_fixed_it'}_email",
    )
    return True
