"""The JSON API (API-key authenticated): intake of departures and billing events."""

from __future__ import annotations

from flask import Blueprint

from feedback_app.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # API clients authenticate with keys or signatures, not cookies
