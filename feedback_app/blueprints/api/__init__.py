"""The JSON API package; each area's views live in their own module, imported below to register them."""

from feedback_app.blueprints.api import active_counts, billing, departures, read, stripe  # noqa: F401
