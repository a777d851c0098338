"""Posting signed events to the three billing webhooks as each provider does, with one set of
secrets (:data:`SECRETS`, for ``app.config``) that tests driving all of them share."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from feedback_app.services.billing import paddle, stripe

STRIPE_SECRET, PADDLE_SECRET = "whsec_walkthrough", "pdl_ntfset_walkthrough"
CHARGEBEE_USER, CHARGEBEE_PASSWORD = "afterword", "a-long-random-password"
SECRETS = {
    "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
    "PADDLE_WEBHOOK_SECRET": PADDLE_SECRET,
    "CHARGEBEE_WEBHOOK_USERNAME": CHARGEBEE_USER,
    "CHARGEBEE_WEBHOOK_PASSWORD": CHARGEBEE_PASSWORD,
}


def post_stripe(client, event: dict[str, Any]):
    body, now = json.dumps(event).encode(), int(time.time())
    signature = f"t={now},v1={stripe.sign(body, STRIPE_SECRET, now)}"
    return client.post("/api/v1/webhooks/stripe", data=body, headers={"Stripe-Signature": signature})


def post_paddle(client, event: dict[str, Any]):
    body, now = json.dumps(event).encode(), int(time.time())
    signature = f"ts={now};h1={paddle.sign(body, PADDLE_SECRET, now)}"
    return client.post("/api/v1/webhooks/paddle", data=body, headers={"Paddle-Signature": signature})


def post_chargebee(client, event: dict[str, Any]):
    token = base64.b64encode(f"{CHARGEBEE_USER}:{CHARGEBEE_PASSWORD}".encode()).decode()
    return client.post("/api/v1/webhooks/chargebee", json=event, headers={"Authorization": f"Basic {token}"})
