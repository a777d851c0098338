"""Who became active or stopped being active, read from billing events, for active counts.

Each applied event may be one movement, stored in the event's own transaction (so a redelivered
event, already refused as a duplicate, never adds a second one):

* **new**: a subscription-created event (``NEW_SUBSCRIPTION_EVENTS``) for a customer who never
  left; once per customer and provider, however many such events arrive.
* **cancelled**: a departure that made an active customer inactive: a customer seen for the
  first time, or one who had come back and left again. Another cancellation of someone already
  gone is not a movement.
* **returned**: a return that marked a departed customer active again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import SubscriptionMovement

#: Event types that start a subscription; any other return event only brings a departed customer back.
NEW_SUBSCRIPTION_EVENTS = frozenset(
    {"customer.subscription.created", "subscription_created", "subscription.created"}
)


def record(provider: str, event_id: str, external_id: str, kind: str, day: date) -> None:
    """Add one movement to the session (committed with the event); a second 'new' is skipped."""
    if kind == "new" and db.session.scalar(
        select(SubscriptionMovement.id).where(
            SubscriptionMovement.provider == provider,
            SubscriptionMovement.external_id == external_id,
            SubscriptionMovement.kind == "new",
        )
    ):
        return
    db.session.add(
        SubscriptionMovement(
            provider=provider, event_id=event_id, external_id=external_id, kind=kind, day=day
        )
    )
